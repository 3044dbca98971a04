#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs tests/bench/<name>.bench.ts through tsx.
import { register } from 'tsx/esm/api';
import { readdirSync } from 'node:fs';

const available = readdirSync(new URL('../tests/bench/', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name> [args]\nBenchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
register();
const { run } = await import(`../tests/bench/${name}.bench.ts`);
process.exitCode = (await run(args)) ?? 0;
