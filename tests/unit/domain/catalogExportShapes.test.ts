/**
 * Export-shaped fixtures (issue #10 item 7): for every built-in entity, a data file shaped the way
 * F&O itself writes an export (dmf-reference.md §1.5, §1.7) validates with no error. The shape is
 * written here from F&O's documented format, not taken from the validator or the emulator's
 * formatter: staging names as the header, key fields first in key order and the rest in ordinal
 * order, reals in the field's scale without a leading zero, enum values by name, Yes/No, dates as
 * `2011-01-31 00:00:00`, empty values left out. Where F&O's own export is known to hold given
 * values for a field (issue #10, §1.5), those values are used, so a catalog that contradicts F&O
 * fails here.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, DEFAULT_REAL_SCALE, indexCatalog } from '../../../shared/domain/catalog';
import type { CatalogEntity, CatalogField } from '../../../shared/domain/catalog';
import { validateRows } from '../../../shared/domain/validation';

/**
 * The built-in catalog's rules are only warnings (validation/grading.ts); graded as if an
 * environment's metadata said the same, a rule F&O's export breaks shows here as an error.
 */
const AS_METADATA = { layer: 'metadata', label: 'built-in, graded as metadata' } as const;
const index = indexCatalog({ ...BUILT_IN_CATALOG, provenance: AS_METADATA });
const ROWS = 3;

/** Cells F&O's own exports hold (entity label → staging field → one value per row). */
const WRITTEN_BY_FO: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  // issue #10: Yes/No in 177 of 177 rows of the System setup export.
  Currencies: { REFERENCECURRENCYFORTRIANGULATION: ['No', 'Yes', 'No'] },
  // issue #10: a real with 16 decimals in 131 of 131 rows.
  'Address format lines': { LINENUMBER: ['1.0000000000000000', '2.0000000000000000', '10.0000000000000000'] },
  // issue #10: unit classes the export uses.
  Units: { UNITCLASS: ['DryVolume', 'LiquidVolume', 'Energy'] },
  // dmf-reference.md §1.5: rates with 16 decimals, display factor One, dates with a midnight time.
  'Exchange rates': {
    RATE: ['1.3357400000000000', '.9000000000000000', '8.0000000000000000'],
    CONVERSIONFACTOR: ['One', 'One', 'One'],
    STARTDATE: ['2011-01-31 00:00:00', '2012-01-31 00:00:00', '2013-01-31 00:00:00'],
  },
  'Unit conversions': { FACTOR: ['8.0000000000000000', '.5000000000000000', '1000.0000000000000000'] },
};

/** F&O's header order: the key fields in key order, then every other staging field in ordinal order. */
function foHeader(entity: CatalogEntity): string[] {
  const rest = entity.fields
    .map((f) => f.name)
    .filter((n) => !entity.keys.includes(n))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...entity.keys, ...rest];
}

/** A real as F&O writes it: the field's decimals, and no zero before the point (`.500000`). */
function foReal(value: number, scale: number): string {
  return value.toFixed(scale).replace(/^(-?)0\./, '$1.');
}

const REALS = [0.5, 1234.5, -0.25];
const DATES = ['2011-01-31 00:00:00', '2024-02-29 00:00:00', '2026-12-01 00:00:00'];
const DATE_TIMES = ['2011-01-31 12:34:56', '2024-02-29 00:00:00', '2026-12-01 23:59:59'];

/** One cell of row `row` (0-based) as F&O would write it; '' = the cell left out. */
function foCell(entity: CatalogEntity, field: CatalogField, row: number, column: number): string {
  const known = WRITTEN_BY_FO[entity.label]?.[field.name]?.[row];
  if (known !== undefined) return known;
  const isKey = entity.keys.includes(field.name);
  const selfReference = entity.relations.some((r) => r.target === entity.targetEntity && r.fields.includes(field.name));
  if (selfReference && !isKey) return '';
  // F&O leaves empty values out: the middle row has every other optional cell empty.
  if (!isKey && !field.mandatory && row === 1 && column % 2 === 0) return '';
  switch (field.type) {
    case 'String': {
      const value = isKey ? `${String.fromCharCode(65 + row)}${row + 1}` : `${String.fromCharCode(97 + row)}${column}`;
      return value.slice(0, field.maxLength ?? value.length);
    }
    case 'Int':
      return String(row * 7 + (isKey ? 1 : 0));
    case 'Int64':
      return String(5637144576 + row);
    case 'Real':
      return foReal(isKey ? row + 1 : (REALS[row] ?? 0), field.scale ?? DEFAULT_REAL_SCALE);
    case 'Date':
      return DATES[row] ?? '';
    case 'UtcDateTime':
      return DATE_TIMES[row] ?? '';
    case 'NoYes':
      return row % 2 === 0 ? 'Yes' : 'No';
    case 'Enum': {
      const values = index.findEnum(field.enumType!)!.values;
      return values[(row * 2) % values.length]!.name;
    }
    case 'Time':
    case 'Guid':
      // No F&O export of these types is on record: left out rather than guessed.
      return '';
  }
}

function foFile(entity: CatalogEntity): { header: string[]; rows: string[][] } {
  const header = foHeader(entity);
  const rows = Array.from({ length: ROWS }, (_, row) =>
    header.map((name, column) => foCell(entity, index.findField(entity, name)!, row, column)),
  );
  return { header, rows };
}

function errorsOf(
  catalog: ReturnType<typeof indexCatalog>,
  label: string,
  file: { header: string[]; rows: string[][] },
) {
  return validateRows(catalog, label, file.header, file.rows)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `row ${f.row} ${f.field ?? f.column}: ${f.message}`);
}

describe('an F&O-shaped export of every built-in entity', () => {
  it.each(BUILT_IN_CATALOG.entities.map((e) => [e.label, e] as const))(
    '%s validates with no error',
    (label, entity) => {
      const file = foFile(entity);
      expect(file.header.slice(0, entity.keys.length)).toEqual(entity.keys);
      expect(errorsOf(index, label, file)).toEqual([]);
    },
  );

  it('catches a catalog that contradicts what F&O writes', () => {
    // The catalog as it stood before issue #10: Units without DryVolume/LiquidVolume/Energy,
    // Address format lines with a whole-number LINENUMBER.
    const units = index.requireEntity('Units');
    const lines = index.requireEntity('Address format lines');
    const narrowClass = { ...index.findEnum('UnitOfMeasureClass')!, name: 'OldUnitClass' };
    const oldClass = {
      ...narrowClass,
      values: narrowClass.values.filter((v) => !['DryVolume', 'LiquidVolume', 'Energy'].includes(v.name)),
    };
    const wrongUnits = {
      ...units,
      fields: units.fields.map((f) => (f.name === 'UNITCLASS' ? { ...f, enumType: 'OldUnitClass' } : f)),
    };
    const wrongLines = {
      ...lines,
      fields: lines.fields.map((f) => (f.name === 'LINENUMBER' ? { ...f, type: 'Int' as const, scale: undefined } : f)),
      relations: [],
    };
    const old = indexCatalog({
      origin: 'old',
      entities: [wrongUnits, wrongLines],
      enums: [...BUILT_IN_CATALOG.enums, oldClass],
      provenance: AS_METADATA,
    });
    expect(errorsOf(old, 'Units', foFile(units)).length).toBeGreaterThan(0);
    expect(errorsOf(old, 'Address format lines', foFile(lines)).length).toBeGreaterThan(0);
  });
});
