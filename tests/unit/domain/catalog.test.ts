import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CATALOG,
  CatalogDefinitionError,
  ENTITY_AREAS,
  FIELD_TYPES,
  UnknownEntityError,
  assembleCatalog,
  indexCatalog,
  matchEnumValue,
} from '../../../shared/domain/catalog';
import { defineEntity, ref, text } from '../../../shared/domain/catalog/define';
import type { EntitySpec } from '../../../shared/domain/catalog/define';

const index = indexCatalog(BUILT_IN_CATALOG);

describe('the built-in entity catalog', () => {
  it('holds at least 150 entities across every functional area', () => {
    expect(BUILT_IN_CATALOG.entities.length).toBeGreaterThanOrEqual(150);
    const areas = new Set(BUILT_IN_CATALOG.entities.map((e) => e.area));
    for (const area of ENTITY_AREAS) expect(areas, area).toContain(area);
  });

  it('puts every entity in F&O header order: keys in key order, then the rest alphabetically', () => {
    for (const e of BUILT_IN_CATALOG.entities) {
      const names = e.fields.map((f) => f.name);
      expect(names.slice(0, e.keys.length), e.label).toEqual(e.keys);
      const rest = names.slice(e.keys.length);
      expect(rest, e.label).toEqual([...rest].sort());
    }
  });

  it('has upper-case staging names, known types, lengths only on strings and sources on every entity', () => {
    for (const e of BUILT_IN_CATALOG.entities) {
      expect(e.sources.length, e.label).toBeGreaterThan(0);
      for (const f of e.fields) {
        expect(f.name).toBe(f.name.toUpperCase());
        expect(FIELD_TYPES).toContain(f.type);
        if (f.maxLength !== undefined) expect(f.type).toBe('String');
        if (f.type === 'Enum' || f.type === 'NoYes')
          expect(index.findEnum(f.enumType!), `${e.label}.${f.name}`).toBeDefined();
        if (e.keys.includes(f.name)) expect(f.mandatory).toBe(true);
      }
    }
  });

  it('matches the header of a real Exchange rates export (keys first, then alphabetical)', () => {
    const names = index.requireEntity('Exchange rates').fields.map((f) => f.name);
    expect(names.slice(0, 7)).toEqual([
      'RATETYPENAME',
      'FROMCURRENCY',
      'TOCURRENCY',
      'STARTDATE',
      'CONVERSIONFACTOR',
      'ENDDATE',
      'RATE',
    ]);
  });

  it('resolves relations to the target key and every relation target exists', () => {
    const customers = index.requireEntity('Customers V3');
    const group = customers.relations.find((r) => r.fields[0] === 'CUSTOMERGROUPID');
    expect(group).toEqual({
      fields: ['CUSTOMERGROUPID'],
      target: 'CustCustomerGroupEntity',
      targetFields: ['CUSTOMERGROUPID'],
    });
    for (const e of BUILT_IN_CATALOG.entities) {
      for (const r of e.relations) expect(index.findEntity(r.target), `${e.label} → ${r.target}`).toBeDefined();
    }
  });
});

describe("facts F&O's own System setup export proves (issue #10)", () => {
  const field = (entity: string, name: string) => index.findField(index.requireEntity(entity), name);

  it('calls entities by the labels F&O writes, and still resolves the old labels', () => {
    for (const [old, label] of [
      ['Main accounts', 'Main account'],
      ['Departments', 'Operating unit'],
      ['Address and contact information purposes', 'Address and contact information purpose'],
      ['Address formats', 'Address format'],
    ]) {
      expect(index.findEntity(label!)?.label, label).toBe(label);
      expect(index.findEntity(old!)?.label, old).toBe(label);
    }
  });

  it('types the columns F&O writes as it writes them', () => {
    const triangulation = field('Currencies', 'REFERENCECURRENCYFORTRIANGULATION');
    expect(triangulation?.type).toBe('NoYes');
    expect(index.requireEntity('Currencies').relations).toEqual([]);
    expect(field('Address format lines', 'LINENUMBER')).toMatchObject({ type: 'Real', scale: 16 });
    const unitClass = index.findEnum(field('Units', 'UNITCLASS')!.enumType!)!;
    for (const value of ['DryVolume', 'LiquidVolume', 'Energy', 'Quantity', 'Mass'])
      expect(matchEnumValue(unitClass, value), value).toBeDefined();
  });

  it('knows the purpose entity by the columns F&O exports, keyed by purpose and language', () => {
    const purpose = index.requireEntity('Address and contact information purpose');
    expect(purpose.fields.map((f) => f.name)).toEqual([
      'PURPOSE',
      'LANGUAGE',
      'CONTACTINFO',
      'DESCRIPTION',
      'POSTALADDRESS',
      'TYPE',
    ]);
    expect(purpose.keys).toEqual(['PURPOSE', 'LANGUAGE']);
  });

  it('has the columns F&O writes outside its own map', () => {
    expect(field('Exchange rates', 'ENDDATE')).toBeDefined();
    expect(field('Relationship types', 'SYSTEMTYPE')).toBeDefined();
    expect(field('Team types', 'ISSYSTEMCRITERION')).toBeDefined();
  });
});

describe('catalog lookups', () => {
  it('finds an entity by label, target entity, public entity or collection name, case-insensitively', () => {
    for (const name of ['Customers V3', 'customers v3', 'CustCustomerV3Entity', 'CustomerV3', 'CUSTOMERSV3']) {
      expect(index.findEntity(name)?.targetEntity, name).toBe('CustCustomerV3Entity');
    }
    expect(index.findEntity('Nope')).toBeUndefined();
  });

  it('suggests close labels for an unknown entity', () => {
    expect(() => index.requireEntity('Customer V3')).toThrow(UnknownEntityError);
    let thrown: unknown;
    try {
      index.requireEntity('Custmers V3');
    } catch (error) {
      thrown = error;
    }
    // Outside the catch: a lookup that stopped throwing fails here instead of passing silently.
    expect(thrown).toBeInstanceOf(UnknownEntityError);
    expect((thrown as UnknownEntityError).suggestions).toContain('Customers V3');
    expect((thrown as Error).message).toContain('Did you mean "Customers V3"');
    expect(() => index.requireEntity('zzzzzzzzzzzzzzzzzzz')).toThrow(/dmfw catalog/);
  });

  it('finds fields by staging name and lists who references an entity', () => {
    const customers = index.requireEntity('CustomersV3');
    expect(index.findField(customers, 'customergroupid')?.mandatory).toBe(true);
    expect(index.referencing('CustCustomerGroupEntity').map((e) => e.label)).toContain('Customers V3');
  });

  it('matches enum cells by name or label, trimmed and case-insensitive', () => {
    const blocked = index.findEnum('CustVendorBlocked')!;
    expect(matchEnumValue(blocked, ' invoice ')?.value).toBe(1);
    const type = index.findEnum('DimensionLedgerAccountType')!;
    expect(matchEnumValue(type, 'Balance sheet')?.name).toBe('BalanceSheet');
    expect(matchEnumValue(type, 'BalanceSheet')?.name).toBe('BalanceSheet');
    expect(matchEnumValue(type, 'Balance')).toBeUndefined();
  });
});

describe('assembling a catalog', () => {
  const group: EntitySpec = defineEntity({
    label: 'Groups',
    publicEntityName: 'Group',
    publicCollectionName: 'Groups',
    targetEntity: 'GroupEntity',
    area: 'System setup',
    companySpecific: true,
    keys: ['GROUPID'],
    fields: [text('Name', 60), text('GroupId', 10)],
    fieldCoverage: 'complete',
    sources: [{ kind: 'inferred', ref: 'test', covers: 'all' }],
  });

  it('orders fields and makes key fields mandatory', () => {
    expect(group.fields.map((f) => [f.name, f.mandatory])).toEqual([
      ['GROUPID', true],
      ['NAME', false],
    ]);
  });

  it.each([
    ['a relation to an unknown entity', { relations: [ref('NAME', 'MissingEntity')] }, /unknown entity MissingEntity/],
    ['a relation field that is not a field', { relations: [ref('NOPE', 'GroupEntity')] }, /relation field NOPE/],
    ['a key that is not a field', { keys: ['MISSING'] }, /key MISSING is not a field/],
    ['an undefined enum', { fields: [{ ...group.fields[0]!, type: 'Enum', enumType: 'Nope' }] }, /undefined enum Nope/],
    ['a mismatched relation arity', { relations: [ref(['GROUPID', 'NAME'], 'GroupEntity')] }, /2 field\(s\) against 1/],
  ] as const)('rejects %s', (_name, change, message) => {
    const other = { ...group, label: 'Other', targetEntity: 'OtherEntity', ...change } as EntitySpec;
    expect(() => assembleCatalog('test', [group, other], [])).toThrow(CatalogDefinitionError);
    expect(() => assembleCatalog('test', [group, other], [])).toThrow(message);
  });

  it('rejects duplicate labels and target entities', () => {
    expect(() => assembleCatalog('test', [group, group], [])).toThrow(/defined twice[\s\S]*used twice/);
  });
});

describe('entity aliases', () => {
  const spec = (label: string, targetEntity: string, aliases?: readonly string[]): EntitySpec =>
    defineEntity({
      label,
      ...(aliases ? { aliases } : {}),
      publicEntityName: targetEntity.replace(/Entity$/, ''),
      publicCollectionName: `${targetEntity.replace(/Entity$/, '')}s`,
      targetEntity,
      area: 'System setup',
      companySpecific: false,
      keys: ['ID'],
      fields: [text('Id', 10)],
      fieldCoverage: 'complete',
      sources: [{ kind: 'inferred', ref: 'test', covers: 'all' }],
    });

  it('resolves an alias to its entity, while a label of another entity wins over it', () => {
    const catalog = assembleCatalog(
      'test',
      [spec('Main account', 'MainAccountEntity', ['Main accounts']), spec('Ledgers', 'LedgerEntity')],
      [],
    );
    const lookup = indexCatalog(catalog);
    expect(lookup.findEntity('main ACCOUNTS')?.label).toBe('Main account');
    expect(lookup.findEntity('Main account')?.aliases).toEqual(['Main accounts']);
    expect(lookup.findEntity('Ledgers')?.aliases).toBeUndefined();
  });

  it('rejects an alias that repeats another entity label', () => {
    expect(() =>
      assembleCatalog(
        'test',
        [spec('Main account', 'MainAccountEntity', ['Ledgers']), spec('Ledgers', 'LedgerEntity')],
        [],
      ),
    ).toThrow(/the label "Ledgers" is used twice/);
  });
});
