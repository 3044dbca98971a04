/**
 * `npx tsx scripts/hostile-corpus.ts <folder> [--match text]`: writes issue 12's hostile-input
 * corpus (tests/support/hostile/corpus.ts) into a folder, one file per case (bridge cases as
 * their frames, one per line), with index.json saying what each case expects. The CI test
 * (tests/integration/hostile/corpus.test.ts) generates the same cases itself.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hostileCorpus } from '../tests/support/hostile/corpus';

const [folder, ...rest] = process.argv.slice(2);
if (!folder) {
  console.error('Usage: npx tsx scripts/hostile-corpus.ts <folder> [--match text]');
  process.exit(2);
}
const match = rest[0] === '--match' ? rest[1] : undefined;
const index: { id: string; file: string; family: string; expects: unknown }[] = [];
for (const c of hostileCorpus()) {
  if (match !== undefined && !c.id.includes(match)) continue;
  const file = c.family === 'bridge' ? `${c.id}.frames` : `${c.id}/${c.fileName}`;
  await mkdir(dirname(join(folder, file)), { recursive: true });
  const data =
    c.family === 'bridge'
      ? c
          .frames()
          .map((f) => (typeof f === 'string' ? f : `binary:${f.binary.toString('base64')}`))
          .join('\n')
      : c.bytes();
  await writeFile(join(folder, file), data);
  index.push({
    id: c.id,
    file,
    family: c.family,
    expects: c.family === 'bridge' ? c.expect : (c.expected ?? 'error or rows'),
  });
}
await writeFile(join(folder, 'index.json'), JSON.stringify(index, null, 2));
console.log(`${index.length} cases written to ${folder}`);
