/**
 * A deterministic Customers V3 extract for benchmarks: realistic columns (F&O header order, key
 * first), values and quoting, CRLF, ASCII. About 150 bytes a row.
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
];
const SUFFIXES = ['Inc.', 'Ltd.', 'LLC', 'Corp.', 'Group', 'Traders', 'Supplies'];
const STREETS = ['Main Street', 'Oak Avenue', 'Pine Road', '1st Avenue', 'Maple Drive', 'Lake Boulevard'];
const TERMS = ['Net10', 'Net30', 'Net45', 'COD'];
const MODES = ['UPS', 'FedEx', 'Truck', 'Air'];

export async function writeCustomersCsv(path: string, rows: number, seed = 20261124): Promise<void> {
  const r = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const out = createWriteStream(path);
  let text = `${CUSTOMER_COLUMNS.join(',')}\r\n`;
  for (let i = 1; i <= rows; i++) {
    const [city, state, zip] = pick(CITIES);
    const name = `${pick(WORDS)} ${pick(WORDS)} ${pick(SUFFIXES)}`;
    const account = `US-${String(i).padStart(7, '0')}`;
    text +=
      `${account},${(r() * 250000).toFixed(2)},${r() < 0.3 ? 'Yes' : 'No'},${10 * (1 + Math.floor(r() * 9))},${pick(MODES)},` +
      `${city},USA,${state},${100 + Math.floor(r() * 9800)} ${pick(STREETS)},${zip},en-us,` +
      `${r() < 0.02 ? 'Invoice' : 'No'},"${name}",Organization,${pick(TERMS)},` +
      `ap${i}@${name.split(' ')[0]!.toLowerCase()}.com,+1 425 555 ${String(Math.floor(r() * 10000)).padStart(4, '0')},USD,${state}\r\n`;
    if (text.length >= 1 << 20) {
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      text = '';
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(text, () => resolve());
  });
}
