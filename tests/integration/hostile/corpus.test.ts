/**
 * Issue 12's hostile-input corpus (tests/support/hostile/corpus.ts, generated on every run):
 * every case through open, the row store, validate, pack, lint, export and the bridge, each in a
 * child process under 10 s and 500 MB (tests/support/hostile/pool.ts). A case passes with a clear
 * error or the correct rows; none may crash, hang, grow past its budget or change data silently.
 * `npm run bench -- hostile` runs the same and prints the slowest cases.
 */
import { describe, expect, it } from 'vitest';
import { hostileCorpus } from '../../support/hostile/corpus';
import { CASE_BUDGET, runCases } from '../../support/hostile/pool';

describe('the hostile-input corpus', () => {
  it(
    'ends every case in a clear error or the correct rows: 0 crashes, 0 hangs, 0 silent changes',
    async () => {
      const corpus = hostileCorpus();
      const families = new Map<string, number>();
      for (const c of corpus) families.set(c.family, (families.get(c.family) ?? 0) + 1);
      expect(corpus.length).toBeGreaterThanOrEqual(200);
      expect([...families.keys()].sort()).toEqual(['bridge', 'csv', 'package', 'xlsx', 'xml']);
      expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);

      const results = await runCases(
        corpus.map((c) => c.id),
        { workers: 2, budget: CASE_BUDGET },
      );
      const slowest = [...results].sort((a, b) => b.ms - a.ms)[0]!;
      const biggest = [...results].sort((a, b) => b.peakRssBytes - a.peakRssBytes)[0]!;
      // The margins, for the CI log: how close the slowest and the biggest case came to their budget.
      console.log(
        `Hostile corpus: ${results.length} cases (${[...families].map(([f, n]) => `${n} ${f}`).join(', ')}); ` +
          `slowest ${slowest.id} ${slowest.ms.toFixed(0)} ms of ${CASE_BUDGET.ms}; ` +
          `biggest ${biggest.id} ${(biggest.peakRssBytes / 2 ** 20).toFixed(0)} MB of ${CASE_BUDGET.rssBytes / 2 ** 20}`,
      );
      const failed = results
        .filter((r) => r.verdict !== 'pass')
        .map(
          (r) =>
            `${r.verdict} ${r.id} (${r.ms.toFixed(0)} ms, ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MB): ${r.problems.join('; ')}`,
        );
      expect(failed).toEqual([]);
      expect(results.every((r) => r.ms < CASE_BUDGET.ms && r.peakRssBytes < CASE_BUDGET.rssBytes)).toBe(true);
    },
    // 338 cases take ~90 s on two busy cores; a child that dies is replaced (tsx starts in ~5 s).
    15 * 60_000,
  );
});
