import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnvironmentList } from '../../../shared/api/domains/environments';
import { LOCAL_EMULATOR_ID } from '../../../shared/domain/environments';
import { ConnectionService } from '../../../electron/services/environments/connections';
import { EnvironmentService } from '../../../electron/services/environments/environmentService';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openJsonFileSettingsStore } from '../../../electron/services/settings/jsonFileSettingsStore';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';

describe('the environment registry', () => {
  let dir: string;
  let service: EnvironmentService;
  let events: EnvironmentList[];

  const open = async () => {
    const settings = await openJsonFileSettingsStore(join(dir, 'settings.json'), silentLogger);
    return new EnvironmentService(settings, (_event, payload) => events.push(payload as EnvironmentList));
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-envs-'));
    events = [];
    service = await open();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('adds a cloud environment, normalising its URL and company, and persists it', async () => {
    const env = await service.add({
      name: '  Contoso   UAT ',
      url: 'https://Contoso-UAT.sandbox.operations.dynamics.com/',
      tenantId: TENANT,
      clientId: CLIENT,
      defaultCompany: 'usmf',
      tag: 'UAT',
    });
    expect(env).toMatchObject({
      name: 'Contoso UAT',
      url: 'https://contoso-uat.sandbox.operations.dynamics.com',
      kind: 'cloud',
      defaultCompany: 'USMF',
      tag: 'UAT',
      builtIn: false,
      connection: 'signed-out',
      authMode: 'interactive',
      account: null,
    });
    expect(events.at(-1)?.environments.map((e) => e.name)).toEqual(['Local emulator', 'Contoso UAT']);
    const reopened = await open();
    expect(reopened.get('contoso uat').id).toBe(env.id);
  });

  it('keeps the built-in Local emulator first, unremovable and uneditable', async () => {
    expect(service.list().environments[0]).toMatchObject({ id: LOCAL_EMULATOR_ID, builtIn: true });
    await expect(service.remove(LOCAL_EMULATOR_ID)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.update(LOCAL_EMULATOR_ID, { name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      service.add({ name: 'local EMULATOR', url: 'https://a.example.com', tenantId: TENANT, clientId: CLIENT }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a second environment with the same name (any case)', async () => {
    await service.add({ name: 'Dev', url: 'https://a.example.com', tenantId: TENANT, clientId: CLIENT });
    await expect(
      service.add({ name: 'DEV', url: 'https://b.example.com', tenantId: TENANT, clientId: CLIENT }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(service.list().environments).toHaveLength(2);
  });

  it.each([
    [{ url: 'http://contoso.operations.dynamics.com' }, /must start with https/],
    [{ url: 'not a url' }, /not a web address/],
    [{ url: 'https://user:pw@contoso.example.com' }, /user name or password/],
    [{ url: 'https://contoso.example.com/data?x=1' }, /query/],
    [{ url: 'https://contoso.example.com/some/path' }, /without a path/],
    [{ tenantId: 'bad tenant!' }, /not a tenant/],
    [{ clientId: '' }, /not a client id/],
    [{ defaultCompany: 'TOOLONG' }, /not a legal entity/],
    [{ kind: 'on-premises' as const }, /AD FS/],
    [{ authMode: 'client-credentials' as const }, /NAME of the environment variable/],
    [
      { authMode: 'client-credentials' as const, clientSecretVariable: 'abc def=secret' },
      /not an environment variable name/,
    ],
    [{ authority: 'http://adfs.contoso.com/adfs' }, /must use https/],
  ])('refuses bad input %j with a message that says what to type', async (patch, message) => {
    const input = { name: 'X', url: 'https://x.example.com', tenantId: TENANT, clientId: CLIENT, ...patch };
    await expect(service.add(input)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(message),
    });
    expect(service.list().environments).toHaveLength(1);
  });

  it('registers an on-premises environment through AD FS with the /namespaces/AXSF API base', async () => {
    const env = await service.add({
      name: 'OnPrem',
      kind: 'on-premises',
      url: 'https://ax.contoso.local/namespaces/AXSF/',
      tenantId: 'adfs',
      clientId: CLIENT,
      authority: 'https://adfs.contoso.local/adfs',
    });
    expect(env).toMatchObject({ url: 'https://ax.contoso.local', authority: 'https://adfs.contoso.local/adfs/' });
    const connections = new ConnectionService({
      environments: service,
      launchEmulator: null,
      fetch: () => Promise.reject(new Error('no network in unit tests')),
      logger: silentLogger,
    });
    const profile = await connections.profile('onprem');
    expect(profile.apiBase).toBe('https://ax.contoso.local/namespaces/AXSF');
    expect(profile.scope).toBe('https://ax.contoso.local/.default');
    expect(profile.auth.authority).toBe('https://adfs.contoso.local/adfs/');
    expect(profile.auth.knownAuthorities).toEqual(['adfs.contoso.local']);
  });

  it("defaults a cloud environment's authority to Entra for its tenant", async () => {
    await service.add({ name: 'C', url: 'https://c.operations.dynamics.com', tenantId: TENANT, clientId: CLIENT });
    const connections = new ConnectionService({
      environments: service,
      launchEmulator: null,
      fetch: () => Promise.reject(new Error('unused')),
      logger: silentLogger,
    });
    const profile = await connections.profile('C');
    expect(profile.auth.authority).toBe(`https://login.microsoftonline.com/${TENANT}/`);
    expect(profile.auth.knownAuthorities).toEqual([]);
    expect(profile.apiBase).toBe('https://c.operations.dynamics.com');
    await expect(connections.profile(LOCAL_EMULATOR_ID)).rejects.toMatchObject({ code: 'REMOTE_FAILED' });
  });

  it('stores only the NAME of the client-secret variable, never a secret', async () => {
    await service.add({
      name: 'Batch',
      url: 'https://b.operations.dynamics.com',
      tenantId: TENANT,
      clientId: CLIENT,
      authMode: 'client-credentials',
      clientSecretVariable: 'DMFW_BATCH_SECRET',
    });
    const text = await readFile(join(dir, 'settings.json'), 'utf8');
    expect(text).toContain('"clientSecretVariable": "DMFW_BATCH_SECRET"');
    expect(Object.keys(JSON.parse(text).environments[0]).sort()).toEqual(
      [
        'authMode',
        'clientId',
        'clientSecretVariable',
        'defaultCompany',
        'id',
        'kind',
        'name',
        'tag',
        'tenantId',
        'url',
      ].sort(),
    );
  });

  it('edits an environment, and forgets the chosen account only when its identity changes', async () => {
    const env = await service.add({ name: 'E', url: 'https://e.example.com', tenantId: TENANT, clientId: CLIENT });
    await service.setChosenAccount(env.id, { homeAccountId: 'oid.tid', username: 'ana@contoso.com' });
    expect((await service.update(env.id, { tag: 'PROD', defaultCompany: 'demf' })).account).toBe('ana@contoso.com');
    const moved = await service.update(env.id, { url: 'https://f.example.com' });
    expect(moved).toMatchObject({ url: 'https://f.example.com', tag: 'PROD', defaultCompany: 'DEMF', account: null });
    expect(service.chosenAccount(env.id)).toBeNull();
  });

  it('removes an environment and falls back to the Local emulator when it was active', async () => {
    const env = await service.add({ name: 'R', url: 'https://r.example.com', tenantId: TENANT, clientId: CLIENT });
    await service.setActive('r');
    expect(service.list().activeId).toBe(env.id);
    const list = await service.remove(env.id);
    expect(list.activeId).toBe(LOCAL_EMULATOR_ID);
    expect(list.environments).toHaveLength(1);
    await expect(service.remove(env.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('asks for the exact name before writing to a PROD environment', async () => {
    const env = await service.add({
      name: 'Contoso PROD',
      url: 'https://p.example.com',
      tenantId: TENANT,
      clientId: CLIENT,
      tag: 'PROD',
    });
    expect(() => service.assertWritable(env.id, undefined)).toThrow(/tagged PROD/);
    expect(() => service.assertWritable(env.id, 'yes')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => service.assertWritable(env.id, 'contoso prod')).not.toThrow();
    expect(() => service.assertWritable(LOCAL_EMULATOR_ID, undefined)).not.toThrow();
  });

  it('names the registered environments when one is not found', () => {
    expect(() => service.get('Nowhere')).toThrow(/There is no environment "Nowhere"\. Registered: "Local emulator"/);
  });
});

describe('the environments contract', () => {
  it('adds, edits and removes through the typed client, publishing each change', async () => {
    const { createTestWorkbench } = await import('../../support/workbench');
    const { createInProcessTransport } = await import('../../../electron/rpc/inProcessTransport');
    const { createClient } = await import('../../../shared/api/client');
    const test = await createTestWorkbench();
    try {
      const client = createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));
      const seen: number[] = [];
      client.on('environments.changed', (list) => seen.push(list.environments.length));
      const added = await client.call('environments.add', {
        name: 'Contoso UAT',
        url: 'https://contoso-uat.sandbox.operations.dynamics.com',
        tenantId: TENANT,
        clientId: CLIENT,
        tag: 'UAT',
      });
      const edited = await client.call('environments.update', { id: added.id, patch: { defaultCompany: 'DEMF' } });
      expect(edited).toMatchObject({ kind: 'cloud', tag: 'UAT', defaultCompany: 'DEMF' });
      await expect(
        client.call('environments.add', { name: 'x', url: 'ftp://x', tenantId: TENANT, clientId: CLIENT }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(
        client.call('environments.add', {
          name: 'x',
          url: 'https://x.example.com',
          tenantId: TENANT,
          clientId: CLIENT,
          secret: 's',
        } as never),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
      const list = await client.call('environments.remove', { id: added.id });
      expect(list.environments.map((e) => e.name)).toEqual(['Local emulator']);
      expect(seen).toEqual([2, 2, 1]);
    } finally {
      await test.dispose();
    }
  });
});
