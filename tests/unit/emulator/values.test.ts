import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { CatalogField } from '../../../shared/domain/catalog';
import { convertValue, exportRowFormatter, exportText, fixedDecimals } from '../../../emulator/processing/values';

const catalog = indexCatalog(BUILT_IN_CATALOG);
const field = (entity: string, name: string): CatalogField =>
  catalog.requireEntity(entity).fields.find((f) => f.name === name)!;
const stored = (entity: string, name: string, raw: string): string => {
  const f = field(entity, name);
  const converted = convertValue(f, raw, f.enumType ? catalog.findEnum(f.enumType) : undefined);
  if (!converted.ok) throw new Error(converted.message);
  return converted.value;
};

describe('emulator values: source text → stored form → what F&O exports', () => {
  it('writes reals in the field scale without a leading zero, rounding in decimal', () => {
    expect(fixedDecimals('0', 6)).toBe('.000000');
    expect(fixedDecimals('0.5', 6)).toBe('.500000');
    expect(fixedDecimals('1.33574', 16)).toBe('1.3357400000000000');
    expect(fixedDecimals('8', 16)).toBe('8.0000000000000000');
    expect(fixedDecimals('8.7', 16)).toBe('8.7000000000000000');
    expect(fixedDecimals('-2.0000005', 6)).toBe('-2.000001');
    expect(fixedDecimals('-0.0000001', 6)).toBe('.000000');
    expect(fixedDecimals('1e-7', 6)).toBe('.000000');
    expect(fixedDecimals('1.5e+21', 2)).toBe('1500000000000000000000.00');
    expect(fixedDecimals('999.9999996', 6)).toBe('1000.000000');
    // Credit limit (an amount: 6 decimals) and an exchange rate (16 decimals).
    const credit = field('Customers V3', 'CREDITLIMIT');
    expect(exportText(credit, stored('Customers V3', 'CREDITLIMIT', '5000'), undefined)).toBe('5000.000000');
    expect(exportText(credit, '', undefined)).toBe('.000000');
    const rate = field('Exchange rates', 'RATE');
    expect(exportText(rate, stored('Exchange rates', 'RATE', '1.33574'), undefined)).toBe('1.3357400000000000');
  });

  it('writes dates with a midnight time, UTC date-times likewise, and leaves empty dates empty', () => {
    const start = field('Exchange rates', 'STARTDATE');
    expect(exportText(start, stored('Exchange rates', 'STARTDATE', '1/31/2011'), undefined)).toBe(
      '2011-01-31 00:00:00',
    );
    expect(exportText(start, '', undefined)).toBe('');
    expect(exportText(start, '1900-01-01', undefined)).toBe('');
    const utc: CatalogField = { name: 'STAMP', publicName: 'Stamp', type: 'UtcDateTime', mandatory: false };
    const converted = convertValue(utc, '2024-01-31T13:45:00+02:00', undefined);
    expect(converted).toEqual({ ok: true, value: '2024-01-31T11:45:00Z' });
    expect(exportText(utc, '2024-01-31T11:45:00Z', undefined)).toBe('2024-01-31 11:45:00');
  });

  it('writes enum names (labels are read too), NoYes as Yes/No, and defaults for values never given', () => {
    const factor = field('Exchange rates', 'CONVERSIONFACTOR');
    const factors = catalog.findEnum(factor.enumType!);
    // "1" is the label; real exports carry the name ("One").
    expect(exportText(factor, stored('Exchange rates', 'CONVERSIONFACTOR', '1'), factors)).toBe('One');
    expect(exportText(factor, '', factors)).toBe('One');
    const cash = field('Terms of payment', 'ISCASHPAYMENT');
    expect(exportText(cash, stored('Terms of payment', 'ISCASHPAYMENT', 'true'), undefined)).toBe('Yes');
    expect(exportText(cash, '', undefined)).toBe('No');
    const days = field('Terms of payment', 'NUMBEROFDAYS');
    expect(exportText(days, '', undefined)).toBe('0');
  });

  it('formats whole records in the order of the fields it is given', () => {
    const entity = catalog.requireEntity('Exchange rates');
    const format = exportRowFormatter(entity.fields, catalog);
    const values = entity.fields.map(
      (f) => ({ RATETYPENAME: 'Default', STARTDATE: '2011-01-31', RATE: '8' })[f.name] ?? '',
    );
    const row = format(values);
    expect(row[entity.fields.findIndex((f) => f.name === 'STARTDATE')]).toBe('2011-01-31 00:00:00');
    expect(row[entity.fields.findIndex((f) => f.name === 'RATE')]).toBe('8.0000000000000000');
    expect(row[entity.fields.findIndex((f) => f.name === 'ENDDATE')]).toBe('');
  });

  it('converts what F&O converts and refuses the rest with its staging error', () => {
    const days = field('Terms of payment', 'NUMBEROFDAYS');
    expect(convertValue(days, ' 007 ', undefined)).toEqual({ ok: true, value: '7' });
    expect(convertValue(days, '3000000000', undefined)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Int32 range'),
    });
    const next: CatalogField = { name: 'NEXT', publicName: 'Next', type: 'Int64', mandatory: false };
    // Int64 beyond 2^53 keeps every digit.
    expect(convertValue(next, '9007199254740993', undefined)).toEqual({ ok: true, value: '9007199254740993' });
    const start = field('Exchange rates', 'STARTDATE');
    expect(convertValue(start, '2023-02-29', undefined)).toMatchObject({
      ok: false,
      message: expect.stringContaining('DMF2016'),
    });
    expect(convertValue(start, '2011-01-31 00:00:00', undefined)).toEqual({ ok: true, value: '2011-01-31' });
  });
});
