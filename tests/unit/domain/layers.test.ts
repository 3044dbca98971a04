import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, assembleCatalog, indexCatalog } from '../../../shared/domain/catalog';
import { defineEntity, defineEnum, enumOf, int, noYes, ref, text } from '../../../shared/domain/catalog/define';
import { EntityObserver, learntProvenance, shapeOf } from '../../../shared/domain/catalog/learnt';
import type { LearntKnowledge, LearntPackage } from '../../../shared/domain/catalog/learnt';
import { LEARNT_AREA, indexLayers, layerCatalog } from '../../../shared/domain/catalog/layers';
import { validateRows } from '../../../shared/domain/validation';

/** A small built-in-like catalog whose facts F&O's exports contradict, as issue 10 found them. */
const guessed = {
  ...assembleCatalog(
    'built-in',
    [
      defineEntity({
        label: 'Currencies',
        publicEntityName: 'Currency',
        publicCollectionName: 'Currencies',
        targetEntity: 'CurrencyEntity',
        area: 'System setup',
        companySpecific: false,
        keys: ['CURRENCYCODE'],
        fields: [
          text('CurrencyCode', 3),
          text('Name', 60, { mandatory: true }),
          text('ReferenceCurrencyForTriangulation', 3),
        ],
        relations: [ref('REFERENCECURRENCYFORTRIANGULATION', 'CurrencyEntity')],
        fieldCoverage: 'complete',
        sources: [],
      }),
      defineEntity({
        label: 'Address format lines',
        publicEntityName: 'AddressFormatLine',
        publicCollectionName: 'AddressFormatLines',
        targetEntity: 'LogisticsAddressFormatLineEntity',
        area: 'System setup',
        companySpecific: false,
        keys: ['ADDRESSFORMAT', 'LINENUMBER'],
        fields: [text('AddressFormat', 10), int('LineNumber')],
        fieldCoverage: 'complete',
        sources: [],
      }),
      defineEntity({
        label: 'Units',
        publicEntityName: 'Unit',
        publicCollectionName: 'Units',
        targetEntity: 'UnitOfMeasureEntity',
        area: 'System setup',
        companySpecific: false,
        keys: ['UNITSYMBOL'],
        fields: [text('UnitSymbol', 10), enumOf('UnitClass', 'UnitOfMeasureClass')],
        fieldCoverage: 'complete',
        sources: [],
      }),
      defineEntity({
        label: 'Address and contact information purposes',
        publicEntityName: 'Purpose',
        publicCollectionName: 'Purposes',
        targetEntity: 'LogisticsLocationRoleEntity',
        area: 'Global address book',
        companySpecific: false,
        keys: ['NAME'],
        fields: [text('Name', 30), text('Description', 60)],
        fieldCoverage: 'complete',
        sources: [],
      }),
      defineEntity({
        label: 'Payment days',
        publicEntityName: 'PaymentDay',
        publicCollectionName: 'PaymentDays',
        targetEntity: 'PaymentDayEntity',
        area: 'Accounts receivable',
        companySpecific: true,
        keys: ['NAME'],
        fields: [text('Name', 10), noYes('Active')],
        fieldCoverage: 'complete',
        sources: [],
      }),
    ],
    [
      defineEnum(
        'UnitOfMeasureClass',
        [
          ['Length', 1],
          ['Mass', 2],
        ],
        [],
      ),
      defineEnum(
        'NoYes',
        [
          ['No', 0],
          ['Yes', 1],
        ],
        [],
      ),
    ],
  ),
  provenance: { layer: 'built-in', label: 'built-in, unverified' },
} as const;

/** What an F&O export of those entities holds: its own labels, its map, its values. */
function exportOf(): LearntPackage {
  const observe = (
    label: string,
    targetEntity: string | null,
    header: string[],
    mapped: string[],
    rows: string[][],
  ) => {
    const observer = new EntityObserver(
      { label, targetEntity, sourceFormat: 'EXCEL', placement: { executionUnit: 1, level: 10, sequence: 1 } },
      header,
      mapped.map((m) => ({ xmlField: m, entityField: m })),
    );
    observer.observe(rows);
    return observer.result();
  };
  return {
    id: 'sha',
    name: 'System setup.zip',
    learntAt: '2026-11-30T10:00:00.000Z',
    evidence: 'test',
    entities: [
      observe(
        'Currencies',
        'CurrencyEntity',
        ['CURRENCYCODE', 'NAME', 'REFERENCECURRENCYFORTRIANGULATION'],
        ['CURRENCYCODE', 'NAME', 'REFERENCECURRENCYFORTRIANGULATION'],
        [
          ['USD', 'US dollar', 'No'],
          ['EUR', 'Euro', 'Yes'],
        ],
      ),
      observe(
        'Address format lines',
        'LogisticsAddressFormatLineEntity',
        ['ADDRESSFORMAT', 'LINENUMBER'],
        ['ADDRESSFORMAT', 'LINENUMBER'],
        [['0001', '1.0000000000000000']],
      ),
      observe(
        'Units',
        'UnitOfMeasureEntity',
        ['UNITSYMBOL', 'UNITCLASS'],
        ['UNITSYMBOL', 'UNITCLASS'],
        [
          ['l', 'LiquidVolume'],
          ['kWh', 'Energy'],
        ],
      ),
      observe(
        'Address and contact information purpose',
        'LogisticsLocationRoleEntity',
        ['PURPOSE', 'LANGUAGE', 'DESCRIPTION', 'TYPE'],
        ['PURPOSE', 'LANGUAGE', 'DESCRIPTION', 'TYPE'],
        [['Business', 'en-us', 'Business', 'Both']],
      ),
      observe(
        'Exchange rates',
        'ExchangeRateEntity',
        ['RATETYPENAME', 'FROMCURRENCY', 'RATE', 'ENDDATE'],
        ['RATETYPENAME', 'FROMCURRENCY', 'RATE'],
        [['Default', 'USD', '1.0000000000000000', '2026-12-31 00:00:00']],
      ),
    ],
  };
}

const learnt: LearntKnowledge = { packages: [exportOf()] };

describe('what F&O packages teach: observations', () => {
  it('tells the shapes F&O writes apart', () => {
    expect(['', ' 12 ', '1.0000000000000000', '.5', 'Yes', 'no', '2011-01-31 00:00:00', 'Energy'].map(shapeOf)).toEqual(
      ['empty', 'integer', 'real', 'real', 'noYes', 'noYes', 'dateTime', 'text'],
    );
  });

  it('keeps the map and the columns outside it, bounded samples and the longest value', () => {
    const observer = new EntityObserver(
      { label: 'X', targetEntity: null, sourceFormat: 'CSV', placement: { executionUnit: 1, level: 1, sequence: 1 } },
      ['A', 'B', 'EXTRA'],
      [
        { xmlField: 'A', entityField: 'A' },
        { xmlField: 'B', entityField: 'BFIELD' },
      ],
      3,
    );
    observer.observe(Array.from({ length: 10 }, (_, i) => [String(i), 'x'.repeat(i), 'e']));
    const result = observer.result();
    expect(result.rows).toBe(3);
    expect(result.fields.map((f) => [f.name, f.column, f.mapped])).toEqual([
      ['A', 'A', true],
      ['BFIELD', 'B', true],
      ['EXTRA', 'EXTRA', false],
    ]);
    expect(result.fields[1]).toMatchObject({ maxLength: 2, shapes: { empty: 1, text: 2 } });
  });
});

describe('the layered catalog', () => {
  const layered = layerCatalog({ builtIn: guessed, learnt });
  const index = indexCatalog(layered.catalog);
  const entity = (name: string) => index.requireEntity(name);

  it("takes F&O's own labels, keeping the old ones as aliases", () => {
    const purpose = entity('Address and contact information purpose');
    expect(purpose.aliases).toEqual(['Address and contact information purposes']);
    expect(entity('Address and contact information purposes')).toBe(purpose);
  });

  it('takes back what F&O’s own export contradicts, each with a note', () => {
    const currencies = entity('Currencies');
    expect(currencies.relations).toEqual([]);
    // Yes/No fits a 3-character string, so the field stays; only the reference is taken back.
    expect(index.findField(currencies, 'REFERENCECURRENCYFORTRIANGULATION')).toMatchObject({ type: 'String' });
    expect(index.findField(entity('Address format lines'), 'LINENUMBER')?.provenance).toEqual(
      learntProvenance(exportOf()),
    );
    expect(index.findField(entity('Address format lines'), 'LINENUMBER')).toMatchObject({ type: 'Real' });
    expect(index.findEnum('UnitOfMeasureClass')?.values.map((v) => v.name)).toEqual([
      'Length',
      'Mass',
      'LiquidVolume',
      'Energy',
    ]);
    const purpose = entity('Address and contact information purpose');
    expect(purpose.keys).toEqual([]);
    expect(purpose.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['PURPOSE', 'LANGUAGE', 'TYPE', 'DESCRIPTION']),
    );
    expect(purpose.fieldCoverage).toBe('partial');
    expect(layered.notes.join('\n')).toMatch(
      /LINENUMBER: F&O's export in System setup\.zip of 2026-11-30 writes "1\.0000000000000000"/,
    );
    expect(layered.notes.join('\n')).toMatch(/the key NAME is not in F&O's own map/);
  });

  it('knows an entity seen only in a package by its fields and label, with no type and no key', () => {
    const rates = entity('Exchange rates');
    expect(rates).toMatchObject({ area: LEARNT_AREA, keys: [], fieldCoverage: 'partial', exportedOnly: ['ENDDATE'] });
    expect(rates.fields.map((f) => [f.name, f.type, f.maxLength])).toEqual([
      // In F&O's map order.
      ['RATETYPENAME', 'String', undefined],
      ['FROMCURRENCY', 'String', undefined],
      ['RATE', 'String', undefined],
    ]);
  });

  it("validates F&O's own exported rows with 0 errors and 0 warnings", () => {
    const cases: [string, string[], string[][]][] = [
      ['Currencies', ['CURRENCYCODE', 'NAME', 'REFERENCECURRENCYFORTRIANGULATION'], [['USD', 'US dollar', 'No']]],
      ['Address format lines', ['ADDRESSFORMAT', 'LINENUMBER'], [['0001', '1.0000000000000000']]],
      ['Units', ['UNITSYMBOL', 'UNITCLASS'], [['kWh', 'Energy']]],
      [
        'Address and contact information purpose',
        ['PURPOSE', 'LANGUAGE', 'DESCRIPTION', 'TYPE'],
        [['Business', 'en-us', 'Business', 'Both']],
      ],
      [
        'Exchange rates',
        ['RATETYPENAME', 'FROMCURRENCY', 'RATE', 'ENDDATE'],
        [['Default', 'USD', '1.0', '2026-12-31 00:00:00']],
      ],
    ];
    for (const [label, header, rows] of cases) {
      const { findings } = validateRows(index, label, header, rows);
      expect(findings, label).toEqual([]);
    }
  });

  it('puts an environment’s metadata first, the built-in catalog under it, and says which layers are in force', () => {
    const metadata = {
      ...assembleCatalog(
        'UAT',
        [
          defineEntity({
            label: 'CurrencyEntity',
            publicEntityName: 'Currency',
            publicCollectionName: 'Currencies',
            targetEntity: 'CurrencyEntity',
            area: 'System setup',
            companySpecific: false,
            keys: ['CURRENCYCODE'],
            fields: [text('CurrencyCode', 3), text('Name', 60)],
            fieldCoverage: 'complete',
            sources: [],
          }),
        ],
        [],
      ),
      provenance: { layer: 'metadata', label: 'UAT metadata of 2026-12-01' },
    } as const;
    const both = indexLayers({ metadata, builtIn: guessed, learnt: { packages: [] } });
    const currencies = both.requireEntity('Currencies');
    // No label text in the metadata (the AOT name): the built-in label reads better.
    expect(currencies.label).toBe('Currencies');
    expect(both.provenanceOf(currencies, both.findField(currencies, 'NAME')).label).toBe('UAT metadata of 2026-12-01');
    // A staging field the OData entity lacks keeps the built-in word, unverified.
    expect(both.provenanceOf(currencies, both.findField(currencies, 'REFERENCECURRENCYFORTRIANGULATION')).label).toBe(
      'built-in, unverified',
    );
    expect(both.findEntity('Units')).toBeUndefined();
    expect(both.layered.layers.map((l) => l.label)).toEqual(['UAT metadata of 2026-12-01', 'built-in, unverified']);
    expect(both.layered.notes[0]).toMatch(/4 built-in entities are not in the UAT metadata of 2026-12-01/);
  });

  it('leaves the real built-in catalog whole when nothing else is known', () => {
    const alone = layerCatalog({ builtIn: BUILT_IN_CATALOG });
    expect(alone.catalog.entities).toHaveLength(BUILT_IN_CATALOG.entities.length);
    expect(alone.layers).toEqual([{ layer: 'built-in', label: 'built-in, unverified' }]);
  });
});
