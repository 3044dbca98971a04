import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { emulatorBench } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
/** Browser-side authorise requests: a test must never start an interactive sign-in. */
let authorizeCalls = 0;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator, {
    fetch: (input, init) => {
      if (String(input).includes('/oauth2/v2.0/authorize')) authorizeCalls++;
      return fetch(input, init);
    },
  });
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
});

describe('test connection and the legal entities of an environment', () => {
  it('stops at the sign-in check, without opening a browser, when nobody is signed in', async () => {
    const { client, env } = bench;
    const test = await client.call('environments.test', { id: env });
    expect(test.ok).toBe(false);
    expect(test.checks.map((c) => [c.id, c.ok])).toEqual([
      ['address', true],
      ['sign-in', false],
    ]);
    expect(test.checks[1]!.detail).toMatch(/Nobody is signed in to Emulator\. Use Sign in, then test again\./);
    expect(authorizeCalls).toBe(0);
    // Pickers still get something to offer: the default legal entity.
    await expect(client.call('environments.legalEntities', { id: env })).resolves.toEqual([{ id: 'USMF', name: null }]);
    await expect(client.call('auth.status', { environmentId: env })).resolves.toMatchObject({ tokenExpiresAt: null });
  });

  it('passes every check once signed in, lists the legal entities and shows when the token expires', async () => {
    const { client, env } = bench;
    const signedIn = await client.call('auth.signIn', { environmentId: env });
    expect(Date.parse(signedIn.tokenExpiresAt ?? '')).toBeGreaterThan(Date.now());
    const test = await client.call('environments.test', { id: env });
    expect(test.checks.map((c) => [c.id, c.ok])).toEqual([
      ['address', true],
      ['sign-in', true],
      ['data-management', true],
      ['legal-entities', true],
    ]);
    expect(test.ok).toBe(true);
    expect(test.legalEntities.map((l) => l.id)).toEqual(['DEMF', 'USMF', 'USRT']);
    expect(test.legalEntities.find((l) => l.id === 'DEMF')?.name).toBe('Contoso Entertainment System Germany');
    expect(test.checks[3]!.detail).toBe('3 legal entities: DEMF, USMF, USRT.');
    await expect(client.call('environments.legalEntities', { id: env })).resolves.toHaveLength(3);
    // The environment's own metadata as the entity catalog (the emulator serves it from its catalog).
    const live = await client.call('catalog.entities', { environmentId: env });
    expect(live.origin).toBe('Emulator');
    expect(live.environmentId).toBe(env);
    const groups = live.entities.find((e) => e.label === 'Customer groups');
    expect(groups).toMatchObject({ targetEntity: 'CustCustomerGroupEntity', keys: ['CUSTOMERGROUPID'] });
    expect(groups?.references).toContain('Terms of payment');
    const fields = await client.call('catalog.fields', { entity: 'Customer groups', environmentId: env });
    expect(fields.find((f) => f.name === 'CUSTOMERGROUPID')).toMatchObject({ key: true, type: 'String' });
    await expect(client.call('catalog.fields', { entity: 'No such entity' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const out = await client.call('auth.signOut', { environmentId: env });
    expect(out).toMatchObject({ signedIn: false, tokenExpiresAt: null });
  });

  it('says which address does not answer', async () => {
    const { client } = bench;
    const dead = await client.call('environments.add', {
      name: 'Nowhere',
      url: 'http://127.0.0.1:9',
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      authority: emulator.authority,
    });
    const test = await client.call('environments.test', { id: dead.id });
    expect(test.ok).toBe(false);
    expect(test.checks).toHaveLength(1);
    expect(test.checks[0]).toMatchObject({ id: 'address', ok: false });
    expect(test.checks[0]!.detail).toMatch(/Nowhere \(http:\/\/127\.0\.0\.1:9\) does not answer: .*Check the address/);
  });
});
