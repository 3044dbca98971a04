/**
 * `npm run bench -- hostile [--top n] [--workers n] [--match text]`: runs the hostile-input corpus
 * (tests/support/hostile/corpus.ts) as the CI test does (tests/integration/hostile/corpus.test.ts:
 * child processes, 10 s and 500 MB per case) and prints the slowest cases and the biggest, with
 * every case that did not pass.
 */
import { hostileCorpus } from '../support/hostile/corpus';
import { runCases } from '../support/hostile/pool';
import type { CaseResult } from '../support/hostile/pool';
import { MB } from './support/measure';

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function line(r: CaseResult): string {
  return `${r.ms.toFixed(0).padStart(7)} ms ${(r.peakRssBytes / MB).toFixed(0).padStart(5)} MB  ${r.verdict.padEnd(6)} ${r.id}`;
}

export async function run(args: readonly string[]): Promise<number> {
  const top = Number(option(args, 'top') ?? 15);
  const match = option(args, 'match');
  const ids = hostileCorpus()
    .map((c) => c.id)
    .filter((id) => match === undefined || id.includes(match));
  const started = performance.now();
  let done = 0;
  const results = await runCases(ids, {
    workers: Number(option(args, 'workers') ?? 2),
    onResult: () => {
      done++;
      if (done % 25 === 0) console.error(`${done}/${ids.length} cases`);
    },
  });
  const wall = (performance.now() - started) / 1000;
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  console.log(
    `Hostile corpus: ${results.length} cases in ${wall.toFixed(1)} s (${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')})`,
  );
  console.log(`\nSlowest ${top}:`);
  for (const r of [...results].sort((a, b) => b.ms - a.ms).slice(0, top))
    console.log(`${line(r)}${r.outcome.ms ? `  (${r.outcome.ms} ms)` : ''}`);
  console.log(`\nBiggest ${Math.min(top, 5)} (peak RSS of the case's process):`);
  for (const r of [...results].sort((a, b) => b.peakRssBytes - a.peakRssBytes).slice(0, Math.min(top, 5)))
    console.log(line(r));
  const bad = results.filter((r) => r.verdict !== 'pass');
  if (bad.length > 0) {
    console.log(`\nNot passed (${bad.length}):`);
    for (const r of bad) console.log(`${line(r)}\n    ${r.problems.join('\n    ')}\n    ${JSON.stringify(r.outcome)}`);
  }
  return bad.length === 0 ? 0 : 1;
}
