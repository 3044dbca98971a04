/**
 * Validation micro-benchmark: 1M realistic Customers V3 rows (20 mapped columns) through one
 * streaming validator, references checked against a reference snapshot and the file itself.
 * Row generation is not timed; only validateRows/finish are.
 *
 *   npm run bench -- validate [rows]
 */
import { BUILT_IN_CATALOG, indexCatalog } from '../../shared/domain/catalog';
import { createValidationSession, mapColumns } from '../../shared/domain/validation';

const HEADER = [
  'CUSTOMERACCOUNT',
  'CREDITLIMIT',
  'CREDITLIMITISMANDATORY',
  'CUSTOMERGROUPID',
  'IDENTIFICATIONNUMBER',
  'INVOICEACCOUNT',
  'INVOICEADDRESSCITY',
  'INVOICEADDRESSSTATE',
  'INVOICEADDRESSSTREET',
  'INVOICEADDRESSZIPCODE',
  'ISONETIMECUSTOMER',
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
const GROUPS = ['10', '20', '30', '40', '50', '60', '70', '80', '90', '100'];
const CITIES = ['Seattle', 'Redmond', 'Chicago', 'Dallas', 'Boston', 'Denver', 'Atlanta', 'Phoenix'];
const STATES = ['WA', 'IL', 'TX', 'MA', 'CO', 'GA', 'AZ'];
const TERMS = ['Net10', 'Net30', 'Net45', 'COD'];

function batchOf(start: number, size: number, random: () => number): string[][] {
  const rows: string[][] = [];
  for (let i = start; i < start + size; i++) {
    const account = `US-${String(i).padStart(7, '0')}`;
    const invoice = i > 10 && random() < 0.1 ? `US-${String(1 + Math.floor(random() * (i - 1))).padStart(7, '0')}` : '';
    rows.push([
      account,
      (random() * 100000).toFixed(2),
      random() < 0.5 ? 'Yes' : 'No',
      GROUPS[i % GROUPS.length]!,
      String(100000000 + i),
      invoice,
      CITIES[i % CITIES.length]!,
      STATES[i % STATES.length]!,
      `${(i % 9000) + 100} Main Street`,
      String(10000 + (i % 89999)),
      'No',
      'en-us',
      i % 97 === 0 ? 'Invoice' : 'No',
      `Contoso Customer ${i}`,
      'Organization',
      TERMS[i % TERMS.length]!,
      `billing${i}@contoso.example`,
      `+1 425 555 ${String(i % 10000).padStart(4, '0')}`,
      'USD',
      i % 3 === 0 ? 'CA' : 'WA',
    ]);
  }
  return rows;
}

export async function run(args: string[]): Promise<number> {
  const total = Number(args[0] ?? 1_000_000);
  const batchSize = 10_000;
  const catalog = indexCatalog(BUILT_IN_CATALOG);
  const session = createValidationSession({
    catalog,
    packageEntities: ['Customers V3'],
    snapshot: {
      entities: [
        { entity: 'Customer groups', fields: ['CUSTOMERGROUPID'], rows: GROUPS.map((g) => [g]) },
        { entity: 'Currencies', fields: ['CURRENCYCODE'], rows: [['USD'], ['EUR']] },
        { entity: 'Terms of payment', fields: ['NAME'], rows: TERMS.map((t) => [t]) },
        { entity: 'Sales tax groups', fields: ['TAXGROUPCODE'], rows: [['CA'], ['WA']] },
      ],
    },
  });
  const validator = session.validator('Customers V3', mapColumns(HEADER, catalog.requireEntity('Customers V3')));
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  let elapsed = 0n;
  let findings = 0;
  let peakHeap = 0;
  for (let start = 1; start <= total; start += batchSize) {
    const rows = batchOf(start, Math.min(batchSize, total - start + 1), random);
    const t0 = process.hrtime.bigint();
    findings += validator.validateRows(rows, start).length;
    elapsed += process.hrtime.bigint() - t0;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const t0 = process.hrtime.bigint();
  findings += validator.finish().length;
  elapsed += process.hrtime.bigint() - t0;
  const seconds = Number(elapsed) / 1e9;
  const summary = validator.summary();
  console.log(`validate: ${summary.rows} rows × ${HEADER.length} columns in ${seconds.toFixed(2)} s (validation only)`);
  console.log(
    `  ${Math.round(summary.rows / seconds).toLocaleString('en-US')} rows/s, ${Math.round(summary.cells / seconds).toLocaleString('en-US')} cells/s`,
  );
  console.log(
    `  findings: ${findings} (errors ${summary.errors}, warnings ${summary.warnings}); peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MB`,
  );
  return findings === summary.errors + summary.warnings || summary.truncated ? 0 : 1;
}
