import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserBridge } from '../../../electron/rpc/wsBridge';
import type { BrowserBridge } from '../../../electron/rpc/wsBridge';
import { silentLogger } from '../../../electron/services/logging/logger';
import { DownloadOffers, attachmentHeader } from '../../../electron/services/web/downloads';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

function get(bridge: BrowserBridge, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('downloads in browser mode', () => {
  let test: TestWorkbench;
  let bridge: BrowserBridge;
  let dir: string;
  let now = 1_000_000;
  const offers = new DownloadOffers(() => now);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-downloads-'));
    test = await createTestWorkbench({ downloads: offers });
    bridge = await startBrowserBridge({
      dispatcher: test.workbench.dispatcher,
      hub: test.workbench.hub,
      rendererRoot: null,
      logger: silentLogger,
      downloads: offers,
    });
  });

  afterAll(async () => {
    await bridge.close();
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves an offered file as an attachment, to the page itself only', async () => {
    const file = join(dir, 'Wave 1 – Kunden.zip');
    await writeFile(file, 'PK fake zip bytes');
    const url = offers.offer(file, 'Wave 1 – Kunden.zip', 'application/zip');
    expect(url).toMatch(/^\/download\/[A-Za-z0-9_-]{43}$/);

    const res = await get(bridge, url, { 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('PK fake zip bytes');
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-length']).toBe('17');
    expect(res.headers['content-disposition']).toBe(attachmentHeader('Wave 1 – Kunden.zip'));
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''Wave%201%20%E2%80%93%20Kunden.zip");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();

    // A link on another site, another Origin, another Host: refused.
    expect((await get(bridge, url, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(bridge, url, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(bridge, url, { host: 'evil.example' })).status).toBe(403);
  });

  it('knows no file by path, by a made-up token or after the offer expired', async () => {
    const file = join(dir, 'later.zip');
    await writeFile(file, 'PK');
    const url = offers.offer(file, 'later.zip', 'application/zip');
    expect((await get(bridge, `/download/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await get(bridge, `/download/${encodeURIComponent(file)}`)).status).toBe(404);
    expect((await get(bridge, `${url}/../x`)).status).toBe(404);
    expect((await get(bridge, url)).status).toBe(200);
    now += 31 * 60 * 1000;
    const expired = await get(bridge, url);
    expect(expired.status).toBe(404);
    expect(expired.body.toString()).toContain('save the package again');
  });

  it('offers only packages the wizard saved in this session', async () => {
    const file = join(dir, 'not-built.zip');
    await writeFile(file, 'PK');
    const envelope = await test.workbench.dispatcher.call(
      'packages.downloadLink',
      { path: file },
      { transport: 'websocket' },
    );
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('was not saved by the package wizard') },
    });
  });
});
