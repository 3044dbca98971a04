/**
 * A deterministic Customers V3 extract for benchmarks: realistic columns (F&O header order, key
 * first), values and a few non-ASCII names, about 150 bytes a row. The same rows in the shapes
 * consultants really have:
 *
 * - `fno`: F&O's own CSV dialect (Windows-1252, CRLF, every value quoted), as an F&O export is;
 * - `extract`: UTF-8 without BOM, LF, quotes only where needed (SQL tools, scripts);
 * - `excel`: UTF-8 with BOM, CRLF, quotes only where needed (Excel's "CSV UTF-8").
 */
import { createWriteStream } from 'node:fs';
import { seededRandom } from '../../support/random';

export const CUSTOMER_COLUMNS = [
  'CUSTOMERACCOUNT',
  'CREDITLIMIT',
  'CREDITLIMITISMANDATORY',
  'CUSTOMERGROUPID',
  'DELIVERYMODE',
  'INVOICEADDRESSCITY',
  'INVOICEADDRESSCOUNTRYREGIONISOCODE',
  'INVOICEADDRESSSTATE',
  'INVOICEADDRESSSTREET',
  'INVOICEADDRESSZIPCODE',
  'LANGUAGEID',
  'ONHOLDSTATUS',
  'ORGANIZATIONNAME',
  'PARTYTYPE',
  'PAYMENTTERMS',
  'PRIMARYCONTACTEMAIL',
  'PRIMARYCONTACTPHONE',
  'SALESCURRENCYCODE',
  'SALESTAXGROUP',
];

const CITIES: [string, string, string][] = [
  ['Seattle', 'WA', '98101'],
  ['Redmond', 'WA', '98052'],
  ['Chicago', 'IL', '60601'],
  ['Dallas', 'TX', '75201'],
  ['Boston', 'MA', '02108'],
  ['Denver', 'CO', '80202'],
  ['Atlanta', 'GA', '30303'],
  ['Phoenix', 'AZ', '85004'],
];
const WORDS = [
  'Contoso',
  'Fabrikam',
  'Litware',
  'Northwind',
  'Adventure',
  'Tailspin',
  'Wingtip',
  'Proseware',
  'Alpine',
  'Coho',
  'Müller',
  'Société',
];
const SUFFIXES = ['Inc.', 'Ltd.', 'LLC', 'Corp.', 'Group', 'Traders', 'Supplies'];
const STREETS = ['Main Street', 'Oak Avenue', 'Pine Road', '1st Avenue', 'Maple Drive', 'Lake Boulevard'];
const TERMS = ['Net10', 'Net30', 'Net45', 'COD'];
const MODES = ['UPS', 'FedEx', 'Truck', 'Air'];

export type CustomerShape = 'fno' | 'extract' | 'excel';

/** The rows `writeCustomersCsv` writes, as values (for xlsx sources and read-back checks). */
export function* customerRows(rows: number, seed = 20261124): Generator<string[]> {
  const r = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  for (let i = 1; i <= rows; i++) {
    const [city, state, zip] = pick(CITIES);
    const first = pick(WORDS);
    const name = `${first} ${pick(WORDS)} ${pick(SUFFIXES)}`;
    // Some values need a text qualifier: a comma in the street, a quote in the name.
    const street = `${100 + Math.floor(r() * 9800)} ${pick(STREETS)}${r() < 0.05 ? `, Suite ${1 + Math.floor(r() * 900)}` : ''}`;
    const organization = r() < 0.01 ? `${name} "Old"` : name;
    yield [
      `US-${String(i).padStart(7, '0')}`,
      (r() * 250000).toFixed(2),
      r() < 0.3 ? 'Yes' : 'No',
      String(10 * (1 + Math.floor(r() * 9))),
      pick(MODES),
      city,
      'USA',
      state,
      street,
      zip,
      'en-us',
      r() < 0.02 ? 'Invoice' : 'No',
      organization,
      'Organization',
      pick(TERMS),
      `ap${i}@${first
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/g, '')}.com`,
      `+1 425 555 ${String(Math.floor(r() * 10000)).padStart(4, '0')}`,
      'USD',
      state,
    ];
  }
}

/** One CSV line of `values` in a shape's quoting and line ending. */
function csvLine(values: readonly string[], shape: CustomerShape): string {
  const all = shape === 'fno';
  const quoted = values.map((v) =>
    all || /[",\r\n]/.test(v) ? `"${v.includes('"') ? v.replaceAll('"', '""') : v}"` : v,
  );
  return quoted.join(',') + (shape === 'extract' ? '\n' : '\r\n');
}

export async function writeCustomersCsv(
  path: string,
  rows: number,
  shape: CustomerShape = 'fno',
  seed = 20261124,
): Promise<void> {
  const out = createWriteStream(path);
  const encoding = shape === 'fno' ? 'latin1' : 'utf8';
  // Windows-1252 and Latin-1 agree on every character these rows hold.
  const write = async (text: string) => {
    if (!out.write(Buffer.from(text, encoding)))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  let text = (shape === 'excel' ? '\ufeff' : '') + csvLine(CUSTOMER_COLUMNS, shape);
  for (const values of customerRows(rows, seed)) {
    text += csvLine(values, shape);
    if (text.length >= 1 << 20) {
      await write(text);
      text = '';
    }
  }
  await write(text);
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(() => resolve());
  });
}
