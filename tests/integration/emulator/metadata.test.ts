import { parse } from '@sap-ux/edmx-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { DMF_EXECUTION_SUMMARY_STATUS, PACKAGE_API_ACTIONS } from '../../../shared/domain/dmf/packageApiActions';
import { appToken } from '../../support/emulatorHttp';

/**
 * $metadata in F&O's shape, read by a maintained third-party EDMX parser (@sap-ux/edmx-parser,
 * what SAP's OData tooling uses), and a client driven by nothing but what it found (issue #13
 * item 3): every entity set has its type with keys, every enum a property names is declared,
 * navigation properties resolve, and the package API's bound actions are all there with their
 * parameters and return types.
 */
let emulator: Emulator;
let token: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parser's types are not shipped with it
let model: any;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
  token = await appToken(emulator);
  const res = await fetch(`${emulator.baseUrl}/data/$metadata`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
  model = parse(await res.text(), '$metadata').schema;
});
afterAll(async () => {
  await emulator?.stop();
});

interface Named {
  name: string;
  fullyQualifiedName: string;
}

describe('$metadata read by @sap-ux/edmx-parser', () => {
  it('declares every bound action of the package API with its parameters and return type', () => {
    const actions = new Map((model.actions as (Named & Record<string, unknown>)[]).map((a) => [a.name, a]));
    for (const expected of PACKAGE_API_ACTIONS) {
      const found = actions.get(expected.name) as
        | {
            isBound: boolean;
            sourceType: string;
            parameters: { name: string; type: string; nullable: boolean }[];
            returnType: string;
          }
        | undefined;
      expect(found, expected.name).toBeDefined();
      expect(found!.isBound).toBe(true);
      expect(found!.sourceType).toBe('Collection(Microsoft.Dynamics.DataEntities.DataManagementDefinitionGroup)');
      expect(found!.parameters.slice(1).map((p) => [p.name, p.type, p.nullable])).toEqual(
        expected.parameters.map((p) => [p.name, p.type, p.nullable]),
      );
      if (expected.returns)
        expect(found!.returnType.replace(/^Collection\((.*)\)$/, '$1')).toBe(
          expected.returns.replace(/^Collection\((.*)\)$/, '$1'),
        );
    }
    expect(actions.size).toBe(PACKAGE_API_ACTIONS.length);
  });

  it('declares DMFExecutionSummaryStatus and every enum a property names', () => {
    const enums = new Map(
      (model.enumTypes as (Named & { members: { name: string }[] })[]).map((e) => [e.fullyQualifiedName, e]),
    );
    expect(enums.get('Microsoft.Dynamics.DataEntities.DMFExecutionSummaryStatus')!.members.map((m) => m.name)).toEqual([
      ...DMF_EXECUTION_SUMMARY_STATUS,
    ]);
    for (const type of model.entityTypes as (Named & { entityProperties: { name: string; type: string }[] })[]) {
      for (const p of type.entityProperties) {
        if (!p.type.startsWith('Edm.')) expect(enums.has(p.type), `${type.name}.${p.name}: ${p.type}`).toBe(true);
      }
    }
  });

  it('has a type with keys for every entity set, and navigation properties that resolve', async () => {
    const types = new Map(
      (
        model.entityTypes as (Named & {
          keys: { name: string }[];
          entityProperties: { name: string }[];
          navigationProperties: {
            name: string;
            targetTypeName: string;
            referentialConstraint: { sourceProperty: string; targetProperty: string }[];
          }[];
        })[]
      ).map((t) => [t.fullyQualifiedName, t]),
    );
    const sets = model.entitySets as { name: string; entityTypeName: string }[];
    const service = (await (
      await fetch(`${emulator.baseUrl}/data/`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { value: { name: string }[] };
    expect(sets.map((s) => s.name).sort()).toEqual(service.value.map((s) => s.name).sort());
    for (const set of sets) {
      const type = types.get(set.entityTypeName);
      expect(type, set.name).toBeDefined();
      expect(type!.keys.length, set.name).toBeGreaterThan(0);
      for (const nav of type!.navigationProperties) {
        const target = types.get(nav.targetTypeName);
        expect(target, `${type!.name}.${nav.name}`).toBeDefined();
        for (const c of nav.referentialConstraint) {
          expect(type!.entityProperties.some((p) => p.name === c.sourceProperty)).toBe(true);
          expect(target!.entityProperties.some((p) => p.name === c.targetProperty)).toBe(true);
        }
      }
    }
    const customers = types.get('Microsoft.Dynamics.DataEntities.CustomerV3')!;
    expect(customers.keys.map((k) => k.name)).toEqual(['dataAreaId', 'CustomerAccount']);
    expect(customers.navigationProperties.length).toBeGreaterThan(0);
  });

  it('is enough to build a working client: every action called as the metadata describes it is found', async () => {
    const sets = model.entitySets as { name: string; entityTypeName: string }[];
    for (const action of model.actions as {
      fullyQualifiedName: string;
      sourceType: string;
      parameters: { name: string; type: string }[];
    }[]) {
      const bound = action.sourceType.replace(/^Collection\((.*)\)$/, '$1');
      const set = sets.find((s) => s.entityTypeName === bound)!;
      const name = action.fullyQualifiedName.replace(/\(.*$/, '');
      const body = Object.fromEntries(
        action.parameters
          .slice(1)
          .map((p) => [
            p.name,
            p.name === 'legalEntityId' ? '' : p.type === 'Edm.String' ? 'probe' : p.type === 'Edm.Boolean' ? false : 1,
          ]),
      );
      const res = await fetch(`${emulator.httpsUrl.replace('https', 'http')}/data/${set.name}/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      // Found and its parameters accepted: 200, or F&O's action exception (500) for the probe values.
      expect([200, 500], name).toContain(res.status);
    }
  });
});
