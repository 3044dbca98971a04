/**
 * Clustering benchmark (issue 14: key collision ≤ 5 s on 1M rows with 100k distinct values):
 * a generated company-name column with planted variants (case, punctuation, word order, typing
 * errors), its distinct values counted as the row store's facet does, then every clustering method.
 * Yardstick in the same run: counting the distinct values (the floor any clustering pays).
 * Then the same column in the row store's worker thread, as the Values panel asks for it
 * (`datasets.clusters`: counting over the whole view, clustering, the answer back).
 *
 *   npm run bench -- cluster [rows] [distinct]
 */
import { datasetWorkerSource } from '../../electron/composition';
import { workerEngine } from '../../electron/services/datasets/engineHost';
import { clusterByDistance, clusterByKey } from '../../shared/domain/valueMapping';
import type { ValueCount } from '../../shared/domain/valueMapping';
import { seededRandom } from '../support/random';

const STEMS = ['Contoso', 'Fabrikam', 'Northwind', 'Adventure', 'Litware', 'Proseware', 'Tailspin', 'Wingtip'];
const KINDS = ['Traders', 'Holdings', 'Supplies', 'Logistics', 'Foods', 'Motors', 'Systems', 'Partners'];
const FORMS = ['Ltd', 'Inc', 'GmbH', 'LLC', 'SA', 'BV', 'AB', 'Oy'];

function variant(name: string, random: () => number): string {
  switch (Math.floor(random() * 5)) {
    case 0:
      return name.toUpperCase();
    case 1:
      return `${name}.`;
    case 2:
      return name.split(' ').reverse().join(' ');
    case 3: {
      const i = 1 + Math.floor(random() * (name.length - 2));
      return name.slice(0, i) + name.slice(i + 1);
    }
    default:
      return `  ${name}`;
  }
}

export async function run(args: string[]): Promise<number> {
  const rows = Number(args[0] ?? 1_000_000);
  const distinctTarget = Number(args[1] ?? 100_000);
  const random = seededRandom(14);
  const canonical: string[] = [];
  for (let i = 0; canonical.length < distinctTarget * 0.8; i++) {
    const stem = STEMS[i % STEMS.length] ?? '';
    canonical.push(`${stem} ${KINDS[Math.floor(i / 8) % 8]} ${Math.floor(i / 64)} ${FORMS[i % 7]}`);
  }
  const pool = [...canonical];
  while (pool.length < distinctTarget)
    pool.push(variant(canonical[Math.floor(random() * canonical.length)] ?? '', random));
  const column: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) column[r] = pool[r < pool.length ? r : Math.floor(random() * pool.length)] ?? '';

  const time = <T>(label: string, work: () => T): T => {
    const start = performance.now();
    const result = work();
    console.log(`${label.padEnd(38)} ${((performance.now() - start) / 1000).toFixed(2).padStart(6)} s`);
    return result;
  };
  console.log(`${rows.toLocaleString('en-US')} rows, ${new Set(pool).size.toLocaleString('en-US')} distinct values`);
  const values: ValueCount[] = time('yardstick: count distinct values', () => {
    const counts = new Map<string, number>();
    for (const v of column) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].map(([value, count]) => ({ value, count }));
  });
  for (const method of ['fingerprint', 'ngram-fingerprint', 'metaphone'] as const) {
    const clusters = time(`key collision: ${method}`, () => clusterByKey(values, { method }));
    console.log(
      `  ${clusters.length.toLocaleString('en-US')} clusters, largest ${clusters[0]?.values.length ?? 0} values`,
    );
  }
  const near = time('nearest neighbour: Levenshtein radius 1', () => clusterByDistance(values, { radius: 1 }));
  console.log(`  ${near.length.toLocaleString('en-US')} clusters`);

  console.log('row store (worker thread), datasets.clusters over the whole column:');
  const engine = workerEngine(
    datasetWorkerSource(),
    () => undefined,
    (error) => console.error(error),
  );
  await engine.openRows('bench', { name: 'bench', source: 'generated', columns: [{ name: 'NAME', readOnly: false }] });
  for (let start = 0; start < rows; start += 20_000)
    await engine.pushRows(
      'bench',
      column.slice(start, start + 20_000).map((v) => [v]),
    );
  await engine.endRows('bench');
  const view = { sort: [], filters: [], issues: null };
  for (const method of ['fingerprint', 'ngram-fingerprint', 'metaphone', 'levenshtein'] as const) {
    const start = performance.now();
    const result = await engine.clusters('bench', view, 0, { method, ngramSize: 2, radius: 1, limit: 200 });
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `${`  ${method}`.padEnd(38)} ${seconds.toFixed(2).padStart(6)} s  (${result.clusterCount.toLocaleString('en-US')} clusters, ${result.distinct.toLocaleString('en-US')} distinct)`,
    );
  }
  await engine.dispose();
  const { heapUsed, rss } = process.memoryUsage();
  console.log(`heap ${(heapUsed / 2 ** 20).toFixed(0)} MB, RSS ${(rss / 2 ** 20).toFixed(0)} MB`);
  return 0;
}
