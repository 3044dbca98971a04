import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { localEmulatorLauncher } from '../../../electron/services/environments/localEmulator';
import { silentLogger } from '../../../electron/services/logging/logger';
import { nodeFetch } from '../../../electron/services/net/fetch';
import { adminFetch } from '../../support/emulatorHttp';
import { tempDirs } from '../../support/tempDir';

/**
 * The locked door (issue #13 item 8): what a web page the consultant visits could send through DNS
 * rebinding (a foreign Host on 127.0.0.1) or a cross-site request (a foreign Origin, a text/plain
 * POST that needs no preflight) is refused; admin calls need the run's token.
 */
let emulator: Emulator;
const temp = tempDirs('dmfw-door-');

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
});
afterAll(async () => {
  await emulator?.stop();
});

/** A raw HTTP request, so that Host and Origin are exactly what a browser would send. */
function raw(
  url: string,
  headers: Record<string, string>,
  method = 'GET',
  body = '',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, setHost: !('host' in headers) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const port = () => new URL(emulator.baseUrl).port;

describe('Host', () => {
  it('answers only 127.0.0.1, localhost and [::1] with its own port', async () => {
    for (const host of [
      `evil.example:${port()}`,
      'evil.example',
      `127.0.0.1:${Number(port()) + 1}`,
      `127.0.0.2:${port()}`,
    ]) {
      const res = await raw(`${emulator.baseUrl}/admin`, { host });
      expect(res.status, host).toBe(400);
      expect(res.body).toContain('Invalid Hostname');
    }
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`]) {
      // Past the door: the admin API asks for its token.
      expect((await raw(`${emulator.baseUrl}/admin`, { host })).status, host).toBe(401);
    }
  });

  it('guards the sign-in endpoints and the blob proxy too', async () => {
    const token = await raw(
      `${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`,
      { host: `rebound.example:${port()}`, 'content-type': 'application/x-www-form-urlencoded' },
      'POST',
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        scope: `${emulator.baseUrl}/.default`,
      }).toString(),
    );
    expect(token.status).toBe(400);
    const blobPort = new URL(emulator.blobEndpoint).port;
    expect(
      (await raw(`${emulator.blobEndpoint}/dmf?restype=container`, { host: `evil.example:${blobPort}` })).status,
    ).toBe(400);
  });
});

describe('Origin', () => {
  it('refuses requests from another site, and serves its own pages and programs without an Origin', async () => {
    const foreign = await raw(`${emulator.baseUrl}/data/$metadata`, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await raw(`${emulator.baseUrl}/data/$metadata`, { origin: 'null' })).status).toBe(403);
    // Its own origin and no origin get past the door (then F&O wants a token).
    expect((await raw(`${emulator.baseUrl}/data/$metadata`, { origin: emulator.baseUrl })).status).toBe(401);
    expect((await raw(`${emulator.baseUrl}/data/$metadata`, {})).status).toBe(401);
    expect(foreign.body).not.toContain('Access-Control');
  });

  it('refuses the no-preflight attack on the admin API: text/plain POST /admin/faults', async () => {
    const attack = await raw(
      `${emulator.adminUrl}/faults`,
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      'POST',
      JSON.stringify({ stuckExecutions: 5 }),
    );
    expect(attack.status).toBe(403);
    const faults = await (await adminFetch(emulator, '/faults')).json();
    expect(faults).toMatchObject({ stuckExecutions: 0 });
  });
});

describe('admin token', () => {
  it('needs the run token, and JSON bodies', async () => {
    expect((await fetch(emulator.adminUrl)).status).toBe(401);
    expect((await fetch(emulator.adminUrl, { headers: { authorization: 'Bearer guessed' } })).status).toBe(401);
    const plain = await fetch(`${emulator.adminUrl}/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ stuckExecutions: 1 }),
    });
    expect(plain.status).toBe(415);
    const json = await adminFetch(emulator, '/faults', { body: { stuckExecutions: 1 } });
    expect(json.status).toBe(200);
    await adminFetch(emulator, '/faults', { method: 'DELETE' });
    const summary = (await (await adminFetch(emulator, '')).json()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      adminToken: emulator.adminToken,
      caFile: emulator.caFile,
      tokenUrl: emulator.tokenUrl,
    });
  });

  it('is a new token every run, also for the in-app Local emulator, whose secret stays with its data dir', async () => {
    const dataDir = await temp.make();
    const launch = localEmulatorLauncher({ dataDir, fetch: nodeFetch, logger: silentLogger });
    const first = await launch();
    const firstPort = new URL(first.baseUrl).port;
    const refused = await raw(`${first.baseUrl}/data/`, { host: `attacker.example:${firstPort}` });
    await first.stop();
    expect(refused.status).toBe(400);

    const a = await startEmulator({ dataDir, clock: { manual: true } });
    const secret = a.clientSecret;
    const adminToken = a.adminToken;
    await a.stop();
    const b = await startEmulator({ dataDir, clock: { manual: true } });
    try {
      expect(b.clientSecret).toBe(secret);
      expect(b.adminToken).not.toBe(adminToken);
      expect(b.caFile.startsWith(dataDir)).toBe(true);
    } finally {
      await b.stop();
    }
  });
});
