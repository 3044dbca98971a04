/**
 * Metadata snapshot benchmark (issue 10 item 1): a generated, realistic $metadata of 3,000
 * entities (about 35 MB) is pulled into a snapshot as from an environment (streamed to disk and
 * hashed, parsed streaming, catalog built and compiled, saved), and the saved snapshot is loaded
 * for validation (compiled form read, layered over the built-in catalog, indexed). Each step runs
 * in a child process of its own, so its peak RSS is its own. Targets: parse ≤ 10 s and ≤ 300 MB
 * RSS; load ≤ 1 s. The machine's load average is printed with the figures.
 *
 *   npm run bench -- metadata [entities]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_CATALOG } from '../../shared/domain/catalog';
import { indexLayers } from '../../shared/domain/catalog/layers';
import { readEdmxCatalog } from '../../electron/services/metadata/edmxReader';
import { readJsonDocument } from '../../electron/services/metadata/metadataFolder';
import { pullMetadata } from '../../electron/services/metadata/metadataPull';
import { MetadataSnapshots, loadSnapshotCatalog } from '../../electron/services/metadata/metadataSnapshots';
import { generatedMetadata } from '../support/generatedMetadata';
import { MB } from './support/measure';

const REPORT_RSS = fileURLToPath(new URL('./support/reportRss.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILES = {
  '/data/$metadata': '$metadata.xml',
  '/Metadata/DataEntities': 'DataEntities.json',
  '/Metadata/PublicEnumerations': 'PublicEnumerations.json',
  '/Metadata/Labels': 'Labels.json',
} as const;

interface StepResult {
  readonly ms: number;
  /** CPU time of the step (all threads): a figure the machine's load inflates less than wall time. */
  readonly cpuMs: number;
  readonly entities: number;
  readonly peak: number;
}

export async function run(args: readonly string[]): Promise<number> {
  if (args[0] === '--child') return child(args[1] ?? '', args[2] ?? '', args[3] ?? '');
  const count = Number(args[0] ?? 3000);
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-metadata-'));
  try {
    const served = join(dir, 'served');
    await mkdir(served);
    const docs = generatedMetadata(count);
    await writeFile(join(served, FILES['/data/$metadata']), docs.edmx);
    await writeFile(join(served, FILES['/Metadata/DataEntities']), JSON.stringify(docs.dataEntities));
    await writeFile(join(served, FILES['/Metadata/PublicEnumerations']), JSON.stringify(docs.publicEnumerations));
    await writeFile(join(served, FILES['/Metadata/Labels']), JSON.stringify(docs.labels));
    const size = (await stat(join(served, FILES['/data/$metadata']))).size;
    console.log(`Generated $metadata: ${count.toLocaleString('en-US')} entities, ${(size / MB).toFixed(1)} MB`);

    const step = (name: string, ...rest: string[]): StepResult => {
      const out = execFileSync(
        process.execPath,
        ['--import', REPORT_RSS, 'bin/bench.mjs', 'metadata', '--child', name, ...rest],
        { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * MB },
      );
      return JSON.parse(out.trim().split('\n').at(-1)!) as StepResult;
    };
    const parse = step('parse', served);
    const pull = step('pull', served, join(dir, 'store'));
    const load = step('load', join(dir, 'store'));
    const load2 = step('load', join(dir, 'store'));
    const [l1, l5] = loadavg();
    console.log(
      `Machine: ${availableParallelism()} cores, load average ${l1!.toFixed(1)} (1 min) ${l5!.toFixed(1)} (5 min): other work shares it`,
    );
    const line = (label: string, r: StepResult, target: string) =>
      console.log(
        `${label.padEnd(58)} ${(r.ms / 1000).toFixed(2).padStart(6)} s wall  ${(r.cpuMs / 1000).toFixed(2).padStart(5)} s CPU  peak RSS ${(r.peak / MB).toFixed(0).padStart(4)} MB  ${r.entities} entities  (${target})`,
      );
    line('parse $metadata (streaming) + build the catalog', parse, 'target ≤ 10 s, ≤ 300 MB');
    line('pull: stream to disk + hash, parse, build, compile, save', pull, 'whole pull without the network');
    line('load the saved snapshot for validation (layered, indexed)', load, 'target ≤ 1 s');
    line('load again', load2, 'target ≤ 1 s');
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One measured step; prints `{ms, entities, peak}` as its last line. */
async function child(name: string, a: string, b: string): Promise<number> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let entities: number;
  if (name === 'parse') {
    const [dataEntities, publicEnumerations, labels] = await Promise.all([
      readJsonDocument(join(a, FILES['/Metadata/DataEntities'])),
      readJsonDocument(join(a, FILES['/Metadata/PublicEnumerations'])),
      readJsonDocument(join(a, FILES['/Metadata/Labels'])),
    ]);
    const built = await readEdmxCatalog(join(a, FILES['/data/$metadata']), {
      origin: 'bench',
      dataEntities,
      publicEnumerations,
      labels,
    });
    entities = built.catalog.entities.length;
  } else if (name === 'pull') {
    // The environment's answers, streamed from the generated files as a response body would be.
    const dmf = {
      async metadataDocument(path: string): Promise<Response> {
        const file = FILES[path as keyof typeof FILES];
        if (!file) return new Response('', { status: 404 });
        const body = Readable.toWeb(createReadStream(join(a, file), { highWaterMark: 1 << 16 })) as ReadableStream;
        return new Response(body, { headers: { 'content-length': String((await stat(join(a, file))).size) } });
      },
      async versions() {
        return { application: '10.0.41', platform: 'Update65' };
      },
    };
    const saved = await pullMetadata({
      dmf,
      environment: { id: 'bench', name: 'Bench', url: 'https://generated.operations.dynamics.com' },
      store: new MetadataSnapshots(b),
    });
    entities = saved.entities;
  } else if (name === 'load') {
    const latest = await new MetadataSnapshots(a).latest('bench');
    if (!latest) throw new Error('no snapshot saved');
    const built = await loadSnapshotCatalog(latest.folder);
    const index = indexLayers({ metadata: built.catalog, builtIn: BUILT_IN_CATALOG });
    entities = index.catalog.entities.length;
    if (!built.compiled) throw new Error('the compiled form was not used');
  } else throw new Error(`unknown step ${name}`);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  console.log(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      entities,
      peak: process.resourceUsage().maxRSS * 1024,
    }),
  );
  return 0;
}
