import { request } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { startBrowserBridge } from '../../../electron/rpc/wsBridge';
import type { BrowserBridge } from '../../../electron/rpc/wsBridge';
import { silentLogger } from '../../../electron/services/logging/logger';
import { WS_MAX_MESSAGE_BYTES } from '../../../shared/api/protocol';
import { tokenOf, tryUpgrade } from '../../support/bridgeClient';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

function get(bridge: BrowserBridge, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends one raw frame and waits for the next reply frame. */
function exchange(socket: WebSocket, frame: string | Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.send(frame);
  });
}

describe('the browser-mode bridge', () => {
  let test: TestWorkbench;
  let bridge: BrowserBridge;
  let base: string;
  let root: string;

  beforeAll(async () => {
    test = await createTestWorkbench();
    base = await mkdtemp(join(tmpdir(), 'dmfw-renderer-'));
    root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<meta name="dmfw-style-nonce" content="__DMFW_STYLE_NONCE__">');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(base, 'secret.txt'), 'outside the bundle');
    bridge = await startBrowserBridge({
      dispatcher: test.workbench.dispatcher,
      hub: test.workbench.hub,
      rendererRoot: root,
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await bridge.close();
    await rm(base, { recursive: true, force: true });
    await test.dispose();
  });

  it('listens on loopback only, with a 32-byte token in the URL fragment', () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(tokenOf(bridge), 'base64url')).toHaveLength(32);
  });

  it('accepts the right token, Origin and Host', async () => {
    const { status, socket } = await tryUpgrade(bridge, {});
    expect(status).toBe(101);
    const reply = await exchange(socket!, JSON.stringify({ id: 1, method: 'app.info', params: {} }));
    expect(reply).toMatchObject({ id: 1, envelope: { ok: true } });
    socket!.close();
  });

  it.each([
    ['no token', { token: null }, 401],
    ['a wrong token', { token: 'A'.repeat(43) }, 401],
    ['a token one character off', { token: 'x' }, 401],
    ['an empty token', { token: '' }, 401],
    ['a foreign Origin', { origin: 'https://evil.example' }, 403],
    ['a null Origin', { origin: 'null' }, 403],
    ['another loopback port as Origin', { origin: 'http://127.0.0.1:1' }, 403],
    ['a rebinding Host', { host: 'evil.example' }, 403],
    ['a Host with another port', { host: '127.0.0.1:1' }, 403],
    ['another path', { path: '/other' }, 404],
  ] as const)('refuses an upgrade with %s', async (_label, options, expected) => {
    const result = await tryUpgrade(bridge, options);
    expect(result.status).toBe(expected);
  });

  it('serves the renderer with a nonce CSP header and no CORS header', async () => {
    const res = await get(bridge, '/');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`content="${nonce}"`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('gives each response its own nonce', async () => {
    const a = String((await get(bridge, '/')).headers['content-security-policy']);
    const b = String((await get(bridge, '/')).headers['content-security-policy']);
    expect(a).not.toBe(b);
  });

  it('refuses plain HTTP requests with a foreign Host header', async () => {
    const res = await get(bridge, '/', { host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%00app.js',
    '/..%5csecret.txt',
    '/assets/app.exe',
  ])('does not serve %s', async (path) => {
    const res = await get(bridge, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside the bundle');
  });

  it('answers malformed frames with INVALID_REQUEST and keeps the connection usable', async () => {
    const { socket } = await tryUpgrade(bridge, {});
    const bad = [
      'not json',
      '[]',
      '"text"',
      'null',
      '{"method":"app.info"}',
      '{"id":-1,"method":"app.info"}',
      '{"id":1.5}',
    ];
    for (const frame of bad) {
      await expect(exchange(socket!, frame)).resolves.toMatchObject({
        envelope: { ok: false, error: { code: 'INVALID_REQUEST' } },
      });
    }
    await expect(exchange(socket!, Buffer.from([1, 2, 3]))).resolves.toMatchObject({
      envelope: { ok: false, error: { code: 'INVALID_REQUEST' } },
    });
    await expect(exchange(socket!, '{"id":9,"method":"app.info"}')).resolves.toMatchObject({
      id: 9,
      envelope: { ok: true },
    });
    socket!.close();
  });

  it('closes a connection that sends an oversized message, and stays up for others', async () => {
    const { socket } = await tryUpgrade(bridge, {});
    const closed = new Promise<number>((resolve) => socket!.on('close', (code) => resolve(code)));
    socket!.send('x'.repeat(WS_MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
    const again = await tryUpgrade(bridge, {});
    expect(again.status).toBe(101);
    again.socket!.close();
  });
});
