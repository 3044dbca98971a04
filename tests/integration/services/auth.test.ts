import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import type { FetchLike } from '../../../electron/services/net/fetch';
import { createClient } from '../../../shared/api/client';
import type { Client } from '../../../shared/api/client';
import { LOCAL_EMULATOR_ID } from '../../../shared/domain/environments';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

function clientOf(test: TestWorkbench): { client: Client; results: unknown[]; events: unknown[] } {
  const raw = createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));
  const results: unknown[] = [];
  const events: unknown[] = [];
  test.workbench.hub.subscribe((_name, payload) => events.push(payload));
  const client: Client = {
    ...raw,
    call: async (method, params) => {
      const result = await raw.call(method, params);
      results.push(result);
      return result;
    },
  };
  return { client, results, events };
}

/** A network port that counts the browser-side authorise requests (a silent sign-in makes none). */
function countingFetch(): { fetch: FetchLike; authorizeCalls: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      if (String(input).includes('/oauth2/v2.0/authorize')) calls++;
      return fetch(input, init);
    },
    authorizeCalls: () => calls,
  };
}

async function tokenFor(test: TestWorkbench, environmentId: string): Promise<string> {
  const profile = await test.workbench.services.connections.profile(environmentId);
  return test.workbench.services.auth.tokenSource(profile).accessToken({ forceRefresh: false });
}

/** Every place a token must never be: log lines, contract results, events, settings. */
async function expectNowhere(test: TestWorkbench, token: string, seen: unknown[]): Promise<void> {
  const signature = token.split('.')[2]!;
  expect(signature.length).toBeGreaterThan(20);
  expect(test.logLines.join('\n')).not.toContain(signature);
  expect(JSON.stringify(seen)).not.toContain(signature);
  expect(await readFile(join(test.home, 'settings.json'), 'utf8')).not.toContain(signature);
  for (const file of await readdir(join(test.home, 'token-cache'))) {
    expect((await readFile(join(test.home, 'token-cache', file))).toString('latin1')).not.toContain(signature);
  }
}

describe('sign-in with the real MSAL code against the emulator', () => {
  it('signs in to the built-in Local emulator without a browser, started on demand', async () => {
    const test = await createTestWorkbench();
    try {
      const { client, results, events } = clientOf(test);
      expect((await client.call('environments.list', {})).environments[0]).toMatchObject({
        connection: 'not-started',
        url: null,
      });
      // Asking who is signed in does not start it.
      await expect(client.call('auth.status', { environmentId: LOCAL_EMULATOR_ID })).resolves.toMatchObject({
        signedIn: false,
      });
      expect(test.workbench.services.connections.emulatorStarted).toBe(false);
      const status = await client.call('auth.signIn', { environmentId: LOCAL_EMULATOR_ID });
      expect(status).toMatchObject({
        signedIn: true,
        mode: 'interactive',
        tokenCache: 'encrypted',
        account: { username: 'admin@contoso.emulator' },
      });
      const local = (await client.call('environments.list', {})).environments[0]!;
      expect(local).toMatchObject({ connection: 'signed-in', account: 'admin@contoso.emulator' });
      expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The token works against the emulator's F&O endpoints.
      const { dmf } = await test.workbench.services.dmf.open(LOCAL_EMULATOR_ID);
      await expect(dmf.getAzureWriteUrl('probe.zip')).resolves.toMatchObject({
        blobUrl: expect.stringContaining('/dmf/probe.zip?'),
      });
      await expectNowhere(test, await tokenFor(test, LOCAL_EMULATOR_ID), [...results, ...events]);
    } finally {
      await test.dispose();
    }
  });

  it('keeps the sign-in across a restart in the encrypted cache and gets tokens silently', async () => {
    const network = countingFetch();
    const first = await createTestWorkbench({ fetch: network.fetch });
    let second: TestWorkbench | null = null;
    try {
      const { client } = clientOf(first);
      const env = await client.call('environments.add', {
        name: 'Emulator apart',
        url: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        authority: emulator.authority,
      });
      await client.call('auth.signIn', { environmentId: env.id });
      expect(network.authorizeCalls()).toBe(1);

      // A second workbench on the same folder (the app restarted): a token, with no browser.
      second = await createTestWorkbench({ home: first.home, fetch: network.fetch });
      const again = clientOf(second).client;
      await expect(again.call('auth.status', { environmentId: env.id })).resolves.toMatchObject({
        signedIn: true,
        account: { homeAccountId: `${emulator.user.oid}.${emulator.tenantId}` },
      });
      const token = await tokenFor(second, env.id);
      expect(network.authorizeCalls()).toBe(1);
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      expect(claims).toMatchObject({ aud: emulator.baseUrl, tid: emulator.tenantId });
      await expectNowhere(second, token, []);

      // The account picker lists it; signing out forgets it everywhere.
      const status = await again.call('auth.useAccount', {
        environmentId: env.id,
        homeAccountId: `${emulator.user.oid}.${emulator.tenantId}`,
      });
      expect(status.accounts).toHaveLength(1);
      const out = await again.call('auth.signOut', { environmentId: env.id });
      expect(out).toMatchObject({ signedIn: false, account: null, accounts: [] });
      await expect(
        again.call('auth.useAccount', { environmentId: env.id, homeAccountId: 'x.y' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await second?.dispose();
      await first.dispose();
    }
  });

  it('refreshes a token that expired mid-job (401) without asking the user', async () => {
    const network = countingFetch();
    const test = await createTestWorkbench({ fetch: network.fetch });
    try {
      const env = await test.workbench.services.environments.add({
        name: 'Emu',
        url: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        authority: emulator.authority,
      });
      await test.workbench.services.auth.signIn(env.id);
      const { dmf } = await test.workbench.services.dmf.open(env.id);
      await dmf.getAzureWriteUrl('one.zip');
      emulator.calls.clear();
      emulator.setFaults({ expireTokens: true });
      await dmf.getAzureWriteUrl('two.zip');
      expect(emulator.calls.list({ operation: 'GetAzureWriteUrl' }).map((c) => c.status)).toEqual([401, 200]);
      expect(network.authorizeCalls()).toBe(1);
    } finally {
      emulator.clearFaults();
      await test.dispose();
    }
  });

  it('signs in unattended with client credentials whose secret comes from an environment variable', async () => {
    const test = await createTestWorkbench({ secrets: { EMU_SECRET: emulator.clientSecret } });
    let missing: TestWorkbench | null = null;
    try {
      const env = await test.workbench.services.environments.add({
        name: 'Batch',
        url: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        authority: emulator.authority,
        authMode: 'client-credentials',
        clientSecretVariable: 'EMU_SECRET',
      });
      const { dmf } = await test.workbench.services.dmf.open(env.id);
      await expect(dmf.getAzureWriteUrl('batch.zip')).resolves.toMatchObject({ blobId: expect.any(String) });
      expect(await readFile(join(test.home, 'settings.json'), 'utf8')).not.toContain(emulator.clientSecret);
      missing = await createTestWorkbench({ home: test.home, secrets: {} });
      const other = await missing.workbench.services.dmf.open(env.id);
      await expect(other.dmf.getAzureWriteUrl('x.zip')).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('EMU_SECRET is not set'),
      });
    } finally {
      await missing?.workbench.close();
      await test.dispose();
    }
  });

  it('tells the CLI user to run dmfw login when a real environment needs interaction', async () => {
    const test = await createTestWorkbench();
    try {
      const env = await test.workbench.services.environments.add({
        name: 'Contoso UAT',
        url: 'https://contoso-uat.sandbox.operations.dynamics.com',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: '11111111-2222-3333-4444-555555555555',
      });
      await expect(tokenFor(test, env.id)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('dmfw login --env "Contoso UAT"'),
      });
    } finally {
      await test.dispose();
    }
  });
});

describe('environments.connect', () => {
  it('answers for a reachable environment and says what to check for an unreachable one', async () => {
    const test = await createTestWorkbench({ launchEmulator: null });
    try {
      const { client } = clientOf(test);
      const up = await client.call('environments.add', {
        name: 'Up',
        url: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        authority: emulator.authority,
      });
      await expect(client.call('environments.connect', { id: up.id })).resolves.toMatchObject({ name: 'Up' });
      const down = await client.call('environments.add', {
        name: 'Down',
        url: 'http://127.0.0.1:9',
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
      });
      await expect(client.call('environments.connect', { id: down.id })).rejects.toMatchObject({
        code: 'REMOTE_FAILED',
        message: expect.stringContaining('Check the address, your network and any proxy settings'),
      });
    } finally {
      await test.dispose();
    }
  });
});
