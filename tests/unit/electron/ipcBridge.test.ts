import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { serveIpc } from '../../../electron/rpc/ipcBridge';
import type { IpcTarget } from '../../../electron/rpc/ipcBridge';
import { isTrustedFrameUrl } from '../../../electron/main/security';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../shared/api/protocol';
import { createTestWorkbench } from '../../support/workbench';

type InvokeHandler = (event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>;

function fakeWebContents() {
  const handlers = new Map<string, InvokeHandler>();
  const sent: Array<[string, unknown]> = [];
  const target = {
    ipc: {
      handle: (channel: string, handler: InvokeHandler) => void handlers.set(channel, handler),
      removeHandler: (channel: string) => void handlers.delete(channel),
    },
    send: (channel: string, message: unknown) => void sent.push([channel, message]),
    isDestroyed: () => false,
  } as unknown as IpcTarget;
  const invoke = (frameUrl: string | null, request: unknown) =>
    handlers.get(IPC_CALL_CHANNEL)!(
      { senderFrame: frameUrl === null ? null : { url: frameUrl } } as IpcMainInvokeEvent,
      request,
    );
  return { target, handlers, sent, invoke };
}

describe('the main side of the IPC transport', () => {
  it('dispatches calls from our own bundle and pushes events to the window', async () => {
    const test = await createTestWorkbench();
    const wc = fakeWebContents();
    const stop = serveIpc({
      target: wc.target,
      dispatcher: test.workbench.dispatcher,
      hub: test.workbench.hub,
      isTrustedFrameUrl,
    });
    await expect(wc.invoke('app://bundle/index.html', { method: 'app.info', params: {} })).resolves.toMatchObject({
      ok: true,
    });
    await wc.invoke('app://bundle/index.html', { method: 'environments.setActive', params: { id: 'local-emulator' } });
    expect(wc.sent.map(([channel, message]) => [channel, (message as { event: string }).event])).toEqual([
      [IPC_EVENT_CHANNEL, 'environments.changed'],
    ]);
    stop();
    expect(wc.handlers.size).toBe(0);
    await test.dispose();
  });

  it('refuses a call larger than a WebSocket frame may be, before any handler sees it', async () => {
    const test = await createTestWorkbench();
    const wc = fakeWebContents();
    serveIpc({ target: wc.target, dispatcher: test.workbench.dispatcher, hub: test.workbench.hub, isTrustedFrameUrl });
    const huge = { method: 'datasets.open', params: { path: 'x'.repeat(5 * 1024 * 1024) } };
    await expect(wc.invoke('app://bundle/index.html', huge)).resolves.toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'The call is larger than the 4.0 MB one call may carry.' },
    });
    await expect(wc.invoke('app://bundle/index.html', { method: 'app.info', params: {} })).resolves.toMatchObject({
      ok: true,
    });
    await test.dispose();
  });

  it.each([null, 'https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'not a url'])(
    'refuses calls from the frame %j with FORBIDDEN',
    async (frameUrl) => {
      const test = await createTestWorkbench();
      const wc = fakeWebContents();
      serveIpc({
        target: wc.target,
        dispatcher: test.workbench.dispatcher,
        hub: test.workbench.hub,
        isTrustedFrameUrl,
      });
      await expect(wc.invoke(frameUrl, { method: 'app.info', params: {} })).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      await test.dispose();
    },
  );

  it('answers a request that is not an object with INVALID_REQUEST', async () => {
    const test = await createTestWorkbench();
    const wc = fakeWebContents();
    serveIpc({ target: wc.target, dispatcher: test.workbench.dispatcher, hub: test.workbench.hub, isTrustedFrameUrl });
    await expect(wc.invoke('app://bundle/', 'app.info')).resolves.toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    await test.dispose();
  });
});
