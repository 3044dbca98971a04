/**
 * Deterministic Customers V3 extracts for tests and the grid benchmark: the same seed and
 * row count always give the same bytes. 18 columns with the mix of a real legacy extract
 * (unique keys, low-cardinality codes, free text, numbers, dates, some blanks).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from './random';

export const SOURCE_COLUMNS = [
  'CUSTOMERACCOUNT',
  'ORGANIZATIONNAME',
  'CUSTOMERGROUPID',
  'SALESCURRENCYCODE',
  'ADDRESSCOUNTRYREGIONID',
  'DELIVERYADDRESSCITY',
  'DELIVERYADDRESSSTREET',
  'DELIVERYADDRESSZIPCODE',
  'PRIMARYCONTACTPHONE',
  'PRIMARYCONTACTEMAIL',
  'CREDITLIMIT',
  'PAYMENTTERMS',
  'DELIVERYMODE',
  'SALESTAXGROUP',
  'LANGUAGEID',
  'INVOICEACCOUNT',
  'IDENTIFICATIONNUMBER',
  'SALESMEMO',
] as const;

const GROUPS = ['10', '20', '30', '40', '50', 'INTERCO', 'RETAIL', 'WHOLESALE'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'DKK'];
const COUNTRIES = ['USA', 'DEU', 'GBR', 'CAN', 'DNK', 'FRA', 'NLD', 'ESP', 'ITA', 'SWE'];
const CITIES = [
  'Seattle',
  'Redmond',
  'Berlin',
  'München',
  'London',
  'Toronto',
  'København',
  'Paris',
  'Amsterdam',
  'Madrid',
  'Milano',
  'Stockholm',
];
const WORDS = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Litware',
  'Adventure',
  'Tailspin',
  'Wingtip',
  'Alpine',
  'Coho',
  'Proseware',
  'Trey',
  'Woodgrove',
];
const SUFFIXES = ['Retail', 'Traders', 'Supply', 'Holdings', 'GmbH', 'Ltd', 'Inc.', 'A/S'];
const STREETS = [
  'Main St',
  'Market St',
  'Hauptstraße',
  'High Street',
  'Queen St',
  'Strøget',
  'Rue de Rivoli',
  'Damrak',
];
const TERMS = ['Net10', 'Net30', 'Net45', 'Net60', 'COD', 'Month+15'];
const MODES = ['10', '20', '30', 'Air', 'Truck', 'Parcel'];
const TAX = ['AV', 'CA', 'EU', 'EXEMPT', 'WA', 'NY'];
const LANGS = ['en-us', 'de', 'en-gb', 'fr', 'da'];

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One data row (1-based `row`) of the extract. */
export function sourceRow(rand: () => number, row: number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const account = `C${String(row).padStart(7, '0')}`;
  const name = `${pick(WORDS)} ${pick(SUFFIXES)} ${Math.floor(rand() * 1000)}`;
  const year = 2015 + Math.floor(rand() * 10);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  return [
    account,
    name,
    pick(GROUPS),
    pick(CURRENCIES),
    pick(COUNTRIES),
    pick(CITIES),
    `${1 + Math.floor(rand() * 999)} ${pick(STREETS)}`,
    String(10000 + Math.floor(rand() * 89999)),
    `+1 425 555 ${String(Math.floor(rand() * 10000)).padStart(4, '0')}`,
    `ap${row}@${pick(WORDS).toLowerCase()}.example`,
    String(Math.floor(rand() * 500) * 100),
    pick(TERMS),
    pick(MODES),
    pick(TAX),
    pick(LANGS),
    rand() < 0.1 ? `C${String(1 + Math.floor(rand() * row)).padStart(7, '0')}` : '',
    `ID-${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}-${Math.floor(rand() * 100)}`,
    rand() < 0.2 ? `Call before delivery, "dock ${Math.floor(rand() * 9)}"` : '',
  ];
}

/** Writes a header and `rows` data rows to `path` (UTF-8, CRLF), streaming. */
export async function writeSourceCsv(path: string, rows: number, seed = 42): Promise<void> {
  const out = createWriteStream(path);
  const rand = seededRandom(seed);
  out.write(`${SOURCE_COLUMNS.join(',')}\r\n`);
  let buffer = '';
  for (let row = 1; row <= rows; row++) {
    buffer += `${sourceRow(rand, row).map(quote).join(',')}\r\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'close');
}
