/**
 * Child process that runs hostile cases (tests/support/hostile/corpus.ts) one at a time, told by
 * its parent (pool.ts) over the IPC channel, so that the parent can bound each case's time and
 * memory and see a crash for what it is. Every case goes through every part that reads it:
 *
 * - open: the strict reader (what pack, lint and validate read with);
 * - the row store (the grid's engine, which reads past broken rows and flags them);
 * - validate (the validation session over the rows read);
 * - pack (the package writer, then the package read back) and lint of the package;
 * - export for a person (formula-looking cells neutralised; the package keeps them exact);
 * - the bridge (bridge cases): frames over the browser-mode WebSocket, then a call that must work.
 *
 * A case passes when every part ends in a clear error (an AppError, not INTERNAL, naming the
 * file) or in the same, correct rows; the verdict lists every way it did not.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { MAX_REPLY_BYTES } from '../../../electron/rpc/replySize';
import { startBrowserBridge } from '../../../electron/rpc/wsBridge';
import type { BrowserBridge } from '../../../electron/rpc/wsBridge';
import { DatasetEngine } from '../../../electron/services/datasets/engine';
import { kindOf, openSourceFile } from '../../../electron/services/datasets/readers';
import { silentLogger } from '../../../electron/services/logging/logger';
import { lintPackage } from '../../../electron/services/packages/lint';
import { pack } from '../../../electron/services/packages/pack';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { createRowWriter, openRowReader } from '../../../electron/services/sources/dataFiles';
import { fileSource } from '../../../electron/services/sources/rows';
import type { RowReader } from '../../../electron/services/sources/rows';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../shared/api/protocol';
import { createClient } from '../../../shared/api/client';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { looksLikeFormula, neutralizeFormula } from '../../../shared/domain/dialects/formulas';
import { createValidationSession, mapColumns } from '../../../shared/domain/validation';
import { connectTransport, rpcUrl, tokenOf } from '../bridgeClient';
import { createTestWorkbench } from '../workbench';
import type { TestWorkbench } from '../workbench';
import { hostileCorpus } from './corpus';
import type { BridgeCase, FileCase, Frame } from './corpus';

export interface CaseVerdict {
  readonly id: string;
  /** What each part ended in, in a few words ("rows 2", "error: …"). */
  readonly outcome: Record<string, string>;
  /** Every way the case failed; empty when it passed. */
  readonly problems: string[];
}

const catalog = indexCatalog(BUILT_IN_CATALOG);
const cases = new Map(hostileCorpus().map((c) => [c.id, c]));

interface Rows {
  readonly columns: string[];
  readonly rows: string[][];
}

/** A clear error: the app's own (an AppError with a code other than INTERNAL) that names the file. */
function clarity(error: unknown, fileName: string): string | null {
  const e = error as { code?: unknown; message?: unknown; details?: { file?: unknown } };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (typeof e?.code !== 'string' || e.code === 'INTERNAL') {
    return `not the app's own error (${(error as Error)?.name ?? typeof error}: ${message.slice(0, 200)})`;
  }
  if (!message.includes(fileName) && typeof e.details?.file !== 'string')
    return `does not name the file: ${message.slice(0, 200)}`;
  return null;
}

const short = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);

async function readRows(reader: RowReader): Promise<Rows> {
  const rows: string[][] = [];
  try {
    for await (const batch of reader) for (const row of batch.rows) rows.push(row);
  } finally {
    await reader.close();
  }
  return { columns: [...reader.columns], rows };
}

async function strictRead(c: FileCase, path: string): Promise<Rows> {
  if (c.family === 'package') {
    const pkg = await openPackage(path);
    try {
      const name = c.packageEntity ?? c.entity;
      const entity = pkg.manifest.entities.find((e) => e.entityName === name);
      if (!entity) throw new Error(`the package read has no entity ${name}`);
      return await readRows(await pkg.openRows(entity));
    } finally {
      await pkg.close();
    }
  }
  return readRows(await openRowReader(await fileSource(path, basename(path)), await kindOf(path), {}));
}

function describeRows(r: Rows): string {
  return `rows ${r.rows.length} × ${r.columns.length}`;
}

function sameRows(a: Rows, b: Rows): string | null {
  if (!isDeepStrictEqual(a.columns, b.columns))
    return `columns ${JSON.stringify(a.columns.slice(0, 5))} ≠ ${JSON.stringify(b.columns.slice(0, 5))}`;
  if (a.rows.length !== b.rows.length) return `${a.rows.length} rows ≠ ${b.rows.length}`;
  for (let i = 0; i < a.rows.length; i++) {
    if (!isDeepStrictEqual(a.rows[i], b.rows[i]))
      return `row ${i + 1}: ${short(JSON.stringify(a.rows[i]))} ≠ ${short(JSON.stringify(b.rows[i]))}`;
  }
  return null;
}

let engineEvents: ((id: string, state: string) => void) | null = null;
const engine = new DatasetEngine({
  openReader: openSourceFile,
  catalog,
  emit: (event) => {
    if (event.type === 'progress') engineEvents?.(event.payload.id, event.payload.state);
  },
});
let datasetCount = 0;

/** The row store: loads the file as the grid does; ends in its rows (read-only columns left out) and problem count. */
async function storeRead(c: FileCase, path: string): Promise<{ rows: Rows; problems: number } | { failed: string }> {
  const id = `case-${++datasetCount}`;
  let settled!: () => void;
  const done = new Promise<void>((resolve) => (settled = resolve));
  engineEvents = (eventId, state) => {
    if (eventId === id && state !== 'loading') settled();
  };
  try {
    const opened = await engine.openFile(
      id,
      path,
      c.family === 'package' ? { entity: c.packageEntity ?? c.entity } : {},
      c.fileName,
    );
    if (opened.state === 'loading') await done;
    const info = engine.info(id);
    if (info.state === 'failed') return { failed: info.error ?? '' };
    const page = engine.rows(id, { sort: [], filters: [], issues: null }, 0, info.rowCount);
    const keep = info.columns.filter((col) => !col.readOnly);
    const rows = page.rows.map((row) => keep.map((col) => row.cells[col.index]!));
    return { rows: { columns: keep.map((col) => col.name), rows }, problems: info.problems?.total ?? 0 };
  } finally {
    engineEvents = null;
    await engine.close(id).catch(() => undefined);
  }
}

async function runFileCase(c: FileCase, dir: string, started: () => void): Promise<CaseVerdict> {
  const outcome: Record<string, string> = {};
  const problems: string[] = [];
  const path = join(dir, c.fileName);
  await writeFile(path, c.bytes());
  started();
  // Where the case's time goes, part by part (the bench prints it for the slowest cases).
  const times: string[] = [];
  let last = performance.now();
  const lap = (part: string) => {
    const now = performance.now();
    times.push(`${part} ${Math.round(now - last)}`);
    last = now;
  };
  const fail = (part: string, text: string) => problems.push(`${part}: ${text}`);
  const unclear = (part: string, error: unknown) => {
    const why = clarity(error, c.fileName);
    if (why) fail(part, `unclear error, ${why}`);
  };

  // 1. The strict reader.
  let strict: Rows | null = null;
  try {
    strict = await strictRead(c, path);
    outcome.open = describeRows(strict);
    if (c.expected === 'error') fail('open', `read ${describeRows(strict)} where the file must be refused`);
    else if (c.expected) {
      const diff = sameRows(strict, { columns: [...c.expected.columns], rows: c.expected.rows.map((r) => [...r]) });
      if (diff) fail('open', `not the file's rows: ${diff}`);
    }
  } catch (error) {
    outcome.open = `error: ${short((error as Error).message)}`;
    unclear('open', error);
    if (c.expected && c.expected !== 'error') fail('open', 'refused a file whose rows are known');
  }

  lap('open');

  // 2. The row store: the same rows, or the file's problems listed, or a clear failure.
  try {
    const stored = await storeRead(c, path);
    if ('failed' in stored) {
      outcome.store = `failed: ${short(stored.failed)}`;
      if (!stored.failed) fail('store', 'failed without a message');
      if (strict) fail('store', 'failed on a file the reader reads');
    } else {
      outcome.store = `${describeRows(stored.rows)}, ${stored.problems} problems`;
      if (strict) {
        const diff = sameRows(stored.rows, strict);
        if (diff) fail('store', `other rows than the reader's: ${diff}`);
        if (stored.problems > 0) fail('store', `${stored.problems} read problems in a file the reader reads`);
      } else if (stored.problems === 0) {
        fail('store', 'loaded without a word a file the reader refuses');
      }
    }
  } catch (error) {
    outcome.store = `error: ${short((error as Error).message)}`;
    unclear('store', error);
  }

  lap('store');

  // 3. Validation of the rows read.
  if (strict) {
    try {
      const session = createValidationSession({ catalog });
      const validator = session.validator(c.entity, mapColumns(strict.columns, catalog.requireEntity(c.entity)));
      const findings = [
        ...validator.headerFindings,
        ...validator.validateRows(strict.rows, 1),
        ...validator.finish(),
        ...session.finish().flatMap((f) => f.findings),
      ];
      outcome.validate = `${findings.length} findings`;
      if (c.finding && !findings.some((f) => f.row === c.finding!.row && f.column === c.finding!.column)) {
        fail(
          'validate',
          `no finding for row ${c.finding.row}, ${c.finding.column} (${short(JSON.stringify(strict.rows[c.finding.row - 1]))})`,
        );
      }
    } catch (error) {
      outcome.validate = `error: ${short((error as Error).message)}`;
      unclear('validate', error);
    }
  }

  lap('validate');

  // 4. Pack, read the package back (the same rows, exactly), lint it. A package case is linted as it is.
  if (c.family === 'package') await lintAs(path, 'lint', outcome, unclear);
  else await packCase(c, path, dir, strict, outcome, fail, unclear);
  lap(c.family === 'package' ? 'lint' : 'pack+lint');

  // 5. A copy for a person: formula-looking cells neutralised.
  if (c.formulas && strict) {
    await exportCase(strict, dir, outcome, fail);
    lap('export');
  }
  outcome.ms = times.join(', ');
  return { id: c.id, outcome, problems };
}

async function lintAs(
  path: string,
  part: string,
  outcome: Record<string, string>,
  unclear: (part: string, error: unknown) => void,
): Promise<void> {
  try {
    const pkg = await openPackage(path);
    try {
      const report = await lintPackage(pkg, { catalog });
      outcome[part] = `${report.findings.length} findings`;
    } finally {
      await pkg.close();
    }
  } catch (error) {
    outcome[part] = `error: ${short((error as Error).message)}`;
    unclear(part, error);
  }
}

async function packCase(
  c: FileCase,
  path: string,
  dir: string,
  strict: Rows | null,
  outcome: Record<string, string>,
  fail: (part: string, text: string) => void,
  unclear: (part: string, error: unknown) => void,
): Promise<void> {
  const out = join(dir, 'packed.zip');
  try {
    const result = await pack({ out, entities: [{ entity: c.entity, file: path }], catalog });
    outcome.pack =
      result.packages.length > 0 ? `packed ${result.entities[0]?.rows ?? 0} rows` : `refused, ${result.errors} errors`;
    if (!strict && result.packages.length > 0) fail('pack', 'packed a file the reader refuses');
    if (result.packages.length === 0 && result.errors === 0) fail('pack', 'wrote nothing and said no error');
    if (result.packages.length > 0 && strict) {
      const pkg = await openPackage(result.packages[0]!);
      try {
        const back = await readRows(await pkg.openRows(pkg.manifest.entities[0]!));
        // The package carries the staging fields' names; the values must be the source's exactly.
        const diff = sameRows({ columns: strict.columns, rows: back.rows }, strict);
        if (diff) fail('pack', `the package holds other values: ${diff}`);
      } finally {
        await pkg.close();
      }
      await lintAs(result.packages[0]!, 'lint', outcome, (part, error) => {
        const why = clarity(error, basename(result.packages[0]!));
        if (why) fail(part, `unclear error, ${why}`);
      });
    }
  } catch (error) {
    outcome.pack = `error: ${short((error as Error).message)}`;
    unclear('pack', error);
  }
}

async function exportCase(
  strict: Rows,
  dir: string,
  outcome: Record<string, string>,
  fail: (part: string, text: string) => void,
): Promise<void> {
  const formulaCells = strict.rows.flat().filter(looksLikeFormula).length;
  for (const kind of ['csv', 'xlsx'] as const) {
    const file = join(dir, `copy.${kind}`);
    const stream = createWriteStream(file);
    const writer = createRowWriter(kind, stream, {
      columns: strict.columns,
      file: basename(file),
      neutralizeFormulas: true,
    });
    await writer.write(strict.rows);
    await writer.end();
    await finished(stream);
    const back = await readRows(await openRowReader(await fileSource(file, basename(file)), kind, {}));
    // CSV: the person's copy carries the leading apostrophe; xlsx: the value, styled as text.
    const wanted = kind === 'csv' ? strict.rows.map((r) => r.map(neutralizeFormula)) : strict.rows;
    const diff = sameRows(back, { columns: strict.columns, rows: wanted });
    if (diff) fail(`export ${kind}`, diff);
    if (kind === 'xlsx') {
      const archive = await ZipArchive.open(file);
      try {
        const sheet = (await archive.readEntry('xl/worksheets/sheet1.xml', 1 << 26)).toString('utf8');
        const styles = (await archive.readEntry('xl/styles.xml', 1 << 20)).toString('utf8');
        const xfs = [...(styles.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g)].map(
          (m) => m[0],
        );
        const quoted = new Set(xfs.flatMap((xf, i) => (/quotePrefix="1"/.test(xf) ? [String(i)] : [])));
        const styledCells = [...sheet.matchAll(/<c\b[^>]*\bs="(\d+)"/g)].filter((m) => quoted.has(m[1]!)).length;
        if (/<f[\s>]/.test(sheet)) fail('export xlsx', 'the copy holds a formula element');
        if (styledCells !== formulaCells)
          fail('export xlsx', `${styledCells} cells styled as text, ${formulaCells} look like formulas`);
      } finally {
        archive.close();
      }
    }
  }
  outcome.export = `${formulaCells} formula-looking cells neutralised`;
}

// ------------------------------------------------------------------------------------- the bridge

interface BridgeFixture {
  readonly test: TestWorkbench;
  readonly bridge: BrowserBridge;
  /** `$DATASET`, `$ESCAPED`, `$WIDE` in a case's frames → the ids of the datasets open for the page cases. */
  readonly datasets: Record<string, string>;
}

let bridgeSetup: Promise<BridgeFixture> | null = null;

/** One workbench and bridge per child, with datasets of long cells open for the page cases. */
function bridgeFixture(root: string): Promise<BridgeFixture> {
  bridgeSetup ??= (async () => {
    // The row store in this process (no worker thread): the process is measured, and the frames are the case.
    const test = await createTestWorkbench({ datasets: { worker: null } });
    const bridge = await startBrowserBridge({
      dispatcher: test.workbench.dispatcher,
      hub: test.workbench.hub,
      rendererRoot: null,
      logger: silentLogger,
    });
    // Rows of ten 40,000-character cells: a page of them is cut per cell and stops at its size limit.
    const client = createClient(connectTransport(bridge));
    // The page cases ask for rows of whole files: each open waits for the end of its load (an event;
    // the pool bounds the making of the fixture).
    const loaded = new Set<string>();
    let wake = () => {};
    client.on('datasets.progress', (p) => {
      if (p.state === 'loading') return;
      loaded.add(p.id);
      wake();
    });
    const header = Array.from({ length: 10 }, (_, i) => `C${i}`).join(',');
    const open = async (name: string, cell: string, rows: number) => {
      const file = join(root, name);
      const long = Array.from({ length: 9 }, () => cell).join(',');
      await writeFile(file, `${header}\r\n${Array.from({ length: rows }, (_, i) => `${i},${long}`).join('\r\n')}\r\n`);
      const info = await client.call('datasets.open', { path: file });
      while (info.state === 'loading' && !loaded.has(info.id)) await new Promise<void>((resolve) => (wake = resolve));
      const settled = await client.call('datasets.get', { id: info.id });
      if (settled.state !== 'ready' || settled.rowCount !== rows)
        throw new Error(`${name} did not load: ${settled.state} ${settled.rowCount} ${settled.error ?? ''}`);
      return info.id;
    };
    // Each holds more than a page (MAX_PAGE_BYTES is 4 to 14 of its rows).
    const datasets = {
      $DATASET: await open('long-cells.csv', 'x'.repeat(40_000), 60),
      // A quoted field: "" is one quote (two bytes in JSON), \u0001 six.
      $ESCAPED: await open('escaped-cells.csv', `"${'""\u0001'.repeat(20_000)}"`, 20),
      $WIDE: await open('wide-cells.csv', '€'.repeat(40_000), 20),
    };
    return { test, bridge, datasets };
  })();
  return bridgeSetup;
}

/** What is kept of a reply: its size and outcome (not its result: the case's process is measured). */
interface Reply {
  readonly bytes: number;
  readonly envelope: { ok: boolean; error?: { code: string; message: string } };
}

async function runBridgeCase(c: BridgeCase, root: string, started: () => void): Promise<CaseVerdict> {
  const { bridge, datasets } = await bridgeFixture(root);
  const outcome: Record<string, string> = {};
  const problems: string[] = [];
  const frames = c
    .frames()
    .map((f): Frame => (typeof f === 'string' ? f.replace(/\$[A-Z]+/g, (name) => datasets[name] ?? name) : f));
  const maxReplyBytes = c.maxReplyBytes ?? MAX_REPLY_BYTES;
  started();
  const socket = new WebSocket(rpcUrl(bridge), [WS_PROTOCOL, WS_TOKEN_PREFIX + tokenOf(bridge)], {
    origin: bridge.origin,
  });
  const replies: Reply[] = [];
  const ended = await new Promise<'answered' | 'closed' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 8_000);
    socket.on('open', () => {
      for (const f of frames) socket.send(typeof f === 'string' ? f : f.binary, { binary: typeof f !== 'string' });
    });
    socket.on('message', (data: RawData) => {
      const bytes = (data as Buffer).length;
      const frame = JSON.parse(data.toString()) as { id?: unknown; envelope?: Reply['envelope'] };
      if (!('envelope' in frame)) return; // an event
      const { ok, error } = frame.envelope!;
      replies.push({ bytes, envelope: error ? { ok, error } : { ok } });
      if (replies.length === frames.length) {
        clearTimeout(timer);
        resolve('answered');
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.on('error', () => undefined);
  });
  socket.terminate();
  const codes = replies.map((r) => (r.envelope.ok ? 'ok' : r.envelope.error!.code));
  outcome.bridge = `${ended}; ${[...new Set(codes)].join(', ') || 'no reply'}`;
  if (c.expect === 'closed' && ended !== 'closed')
    problems.push(`bridge: the server did not close the socket (${ended})`);
  if (c.expect !== 'closed' && ended !== 'answered')
    problems.push(`bridge: ${replies.length} of ${frames.length} frames answered, then ${ended}`);
  for (const r of replies) {
    if (!r.envelope.ok && r.envelope.error!.code === 'INTERNAL')
      problems.push(`bridge: INTERNAL error: ${r.envelope.error!.message}`);
    if (r.bytes > maxReplyBytes)
      problems.push(
        `bridge: a reply of ${r.bytes.toLocaleString('en-US')} bytes, over ${maxReplyBytes.toLocaleString('en-US')}`,
      );
  }
  if (c.expect === 'error' && replies.some((r) => r.envelope.ok))
    problems.push('bridge: a hostile frame was answered ok');
  if (c.expect === 'ok' && replies.some((r) => !r.envelope.ok))
    problems.push(`bridge: refused: ${replies.find((r) => !r.envelope.ok)!.envelope.error!.message}`);
  // Whatever the frames did, the server still answers.
  try {
    const client = createClient(connectTransport(bridge));
    await client.call('app.info', {});
    outcome.after = 'the server answers';
  } catch (error) {
    problems.push(`bridge: the server no longer answers: ${(error as Error).message}`);
  }
  return { id: c.id, outcome, problems };
}

// ------------------------------------------------------------------------------------- the loop

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'dmfw-hostile-'));
  await mkdir(root, { recursive: true });
  const send = (message: unknown) => process.send!(message);
  process.on('message', (message: { run?: string; stop?: boolean }) => {
    if (message.stop) {
      void (async () => {
        const fixture = await bridgeSetup?.catch(() => null);
        await fixture?.bridge.close();
        await fixture?.test.dispose();
        await rm(root, { recursive: true, force: true });
        process.exit(0);
      })();
      return;
    }
    const c = cases.get(message.run ?? '');
    void (async () => {
      if (!c) {
        send({ id: message.run ?? '', outcome: {}, problems: ['no such case'] } satisfies CaseVerdict);
        return;
      }
      const dir = await mkdtemp(join(root, 'case-'));
      try {
        // The budget starts once the case's file (or the bridge) is ready: making them is not the case.
        const started = () => send({ started: c.id });
        const verdict =
          c.family === 'bridge' ? await runBridgeCase(c, root, started) : await runFileCase(c, dir, started);
        send(verdict);
      } catch (error) {
        send({
          id: c.id,
          outcome: {},
          problems: [`the runner itself failed: ${(error as Error).stack ?? String(error)}`],
        } satisfies CaseVerdict);
      } finally {
        await rm(dir, { recursive: true, force: true });
        (globalThis as { gc?: () => void }).gc?.();
      }
    })();
  });
  send({ ready: true });
}

void main();
