import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CopyChoices, CopyDiffEntity, CopyDiffRow } from '../../../../shared/api/domains/jobs';
import { AppError } from '../../../../shared/api/errors';
import type { CatalogEntity } from '../../../../shared/domain/catalog';
import type { DmfClient } from '../../dmf/dmfClient';
import { executionIdFor } from '../execution';
import { DONE, PAUSE } from '../jobRunner';
import type { JobKindSpec } from '../jobRunner';
import type { JobContext, JobServices } from '../services';
import { exportSteps } from './exportJob';
import { importSteps, readLineage, readRowErrors, required } from './importJob';
import type { ImportData } from './importJob';
import type { AfterStatus } from './copyDiff';
import { choicesFor, hasBefore, packageText, readBefore, sendsRecord, writeAfter, writeBefore } from './copyDiff';
import { collectResults, settle } from './results';

export interface CopyParams {
  readonly from: { readonly environmentId: string; readonly company: string };
  readonly to: { readonly environmentId: string; readonly company: string };
  readonly entities: readonly string[];
  readonly review: boolean;
  /** Send only records the target does not have (absent in older jobs: false). */
  readonly insertOnly?: boolean;
}

export interface CopyData extends ImportData {
  exportExecutionId?: string;
  /** The diff with the target is done and kept with the job (copyDiff.ts). */
  diffDone?: boolean;
  /** What the consultant chose at review (jobs.confirm); absent: everything, or insert-only as asked. */
  choices?: CopyChoices;
}

/** The transformed package (every exported record), before the choices. */
const TRANSFORMED = 'package.zip';
/** The package the import sends: the records chosen, with the target values kept. */
const SELECTED = 'selected.zip';

/** The choices a copy runs with: the consultant's at review, else all records (or only new ones). */
export function copyChoices(job: { params: Record<string, unknown>; data: Record<string, unknown> }): CopyChoices {
  const p = job.params as unknown as CopyParams;
  return (job.data as CopyData).choices ?? { insertOnly: p.insertOnly ?? false, entities: {} };
}

/** Examples of changed records kept per entity for review. */
const EXAMPLES = 5;

function params(context: JobContext): CopyParams {
  return context.job.params as unknown as CopyParams;
}

/**
 * The data project a copy uses on both sides: one per entity set, so repeated copies of the same
 * setup reuse it instead of filling the environment with projects.
 */
export function copyProjectName(entities: readonly string[]): string {
  const hash = createHash('sha256')
    .update(
      [...entities]
        .map((e) => e.toLowerCase())
        .sort()
        .join('|'),
    )
    .digest('hex');
  return `DMFW-Copy-${hash.slice(0, 8)}`;
}

const source = (context: JobContext) => {
  const p = params(context);
  return {
    environmentId: p.from.environmentId,
    dataProject: copyProjectName(p.entities),
    company: p.from.company,
    outFile: join(context.dir, 'exported.zip'),
    incremental: false,
    entities: p.entities,
  };
};

const target = (context: JobContext) => {
  const p = params(context);
  return {
    environmentId: p.to.environmentId,
    dataProject: copyProjectName(p.entities),
    company: p.to.company,
    execute: true,
    overwrite: true,
  };
};

/**
 * Copies the package: entity selection, and the legal entity remapped where the data carries it
 * (most F&O exports do not: the company comes from the import call).
 */
async function transform(context: JobContext): Promise<string> {
  const { dir, services } = context;
  const p = params(context);
  const state = context.job.data as CopyData;
  const from = p.from.company.toLowerCase();
  const built = await services.packages.rewritePackage(join(dir, 'exported.zip'), join(dir, TRANSFORMED), {
    labels: p.entities,
    dataProject: copyProjectName(p.entities),
    rows:
      p.from.company.toLowerCase() === p.to.company.toLowerCase()
        ? undefined
        : (_label, columns) => {
            const at = columns.findIndex((c) => c.toUpperCase() === 'DATAAREAID');
            return (row) => {
              if (at < 0 || (row[at] ?? '').trim().toLowerCase() !== from) return row;
              const copy = [...row];
              copy[at] = p.to.company;
              return copy;
            };
          },
  });
  const lineageFile = join(dir, 'lineage.json');
  await writeFile(lineageFile, JSON.stringify(built.lineage));
  state.packagePath = join(dir, TRANSFORMED);
  state.lineageFile = lineageFile;
  state.rows = { ...built.rows };
  state.uploadName = `dmfw-${context.job.id}.zip`;
  // The export is done: from here the job follows its import, under an execution id of its own.
  state.exportExecutionId = context.job.executionId ?? undefined;
  state.submitSentAt = undefined;
  context.job.executionId = executionIdFor(
    `${copyProjectName(p.entities)}-In`,
    context.job.id,
    new Date(context.job.createdAt),
  );
  context.job.executionStatus = null;
  await context.save();
  return 'diff';
}

/**
 * New / changed / same per entity: the package's rows against what the target holds (OData),
 * every record kept with the job (copyDiff.ts) as it was before the copy.
 */
async function diff(context: JobContext): Promise<string> {
  const { job, services, signal, dir } = context;
  const p = params(context);
  const { dmf } = await services.dmf.open(p.to.environmentId);
  context.progress({ phase: 'diff', message: 'Comparing with the target' });
  const packagePath = join(dir, TRANSFORMED);
  const summary = await services.packages.describe(packagePath);
  const result: CopyDiffEntity[] = [];
  for (const entity of summary.entities) {
    const counts = { new: 0, changed: 0, same: 0 };
    const examples: { key: string; fields: string[] }[] = [];
    const fields = new Map<string, number>();
    await writeBefore(
      dir,
      entity.label,
      (async function* () {
        for await (const row of diffRows(services, dmf, packagePath, entity.label, p.to.company, signal)) {
          counts[row.status]++;
          if (row.status === 'changed') {
            if (examples.length < EXAMPLES) examples.push({ key: row.key, fields: row.changes.map((c) => c.field) });
            for (const c of row.changes) fields.set(c.field, (fields.get(c.field) ?? 0) + 1);
          }
          yield row;
        }
      })(),
    );
    result.push({
      label: entity.label,
      ...counts,
      examples,
      fields: [...fields].map(([field, records]) => ({ field, records })).sort((a, b) => b.records - a.records),
      sent: null,
      verified: null,
    });
  }
  job.diff = result;
  (job.data as CopyData).diffDone = true;
  await context.save();
  return p.review ? PAUSE : 'select';
}

/**
 * The consultant's choices applied: records left out (unticked, or existing ones when the copy
 * is insert-only) are not sent, and a field whose target value is kept is sent with that value,
 * so the import leaves it as it is. An entity with nothing left is not in the package; a copy
 * with nothing left ends here, having written nothing.
 */
async function select(context: JobContext): Promise<string> {
  const { job, services, dir } = context;
  const p = params(context);
  const state = job.data as CopyData;
  const choices = copyChoices(job);
  const summary = await services.packages.describe(join(dir, TRANSFORMED));
  const plans = new Map<string, { send: boolean[]; values: Map<number, Map<string, string>> }>();
  for (const entity of summary.entities) {
    if (!(await hasBefore(dir, entity.label))) continue;
    const { skip, keep } = choicesFor(choices, entity.label);
    const send: boolean[] = [];
    const values = new Map<number, Map<string, string>>();
    for await (const row of readBefore(dir, entity.label)) {
      const sent = sendsRecord(row, choices, skip);
      if (sent && row.status === 'changed' && keep.size > 0) {
        const kept = new Map(
          row.changes.filter((c) => keep.has(c.field) && c.target !== null).map((c) => [c.field, c.target as string]),
        );
        if (kept.size > 0) values.set(send.length, kept);
      }
      send.push(sent);
    }
    plans.set(entity.label, { send, values });
  }
  const sentOf = (label: string) => plans.get(label)?.send.filter(Boolean).length ?? null;
  job.diff = (job.diff ?? []).map((d) => ({ ...d, sent: sentOf(d.label) ?? d.new + d.changed + d.same }));
  const labels = summary.entities.map((e) => e.label).filter((label) => sentOf(label) !== 0);
  if (labels.length === 0) {
    // Nothing to send: the copy is over, and the target untouched.
    job.executionId = null;
    await context.save();
    return DONE;
  }
  const built = await services.packages.rewritePackage(join(dir, TRANSFORMED), join(dir, SELECTED), {
    labels,
    dataProject: copyProjectName(p.entities),
    rows: (label, columns) => {
      const plan = plans.get(label);
      if (!plan) return (row) => row;
      const at = new Map(columns.map((c, i) => [c.toUpperCase(), i]));
      return (row, index) => {
        if (!plan.send[index]) return null;
        const kept = plan.values.get(index);
        if (!kept) return row;
        const copy = [...row];
        for (const [field, value] of kept) {
          const i = at.get(field);
          if (i !== undefined) copy[i] = value;
        }
        return copy;
      };
    },
  });
  const lineageFile = join(dir, 'lineage.json');
  await writeFile(lineageFile, JSON.stringify(built.lineage));
  state.packagePath = join(dir, SELECTED);
  state.lineageFile = lineageFile;
  state.rows = { ...built.rows };
  await context.save();
  return 'upload';
}

async function results(context: JobContext): Promise<string> {
  const p = params(context);
  const state = context.job.data as CopyData;
  await collectResults(context, {
    environmentId: p.to.environmentId,
    packagePath: required(state.packagePath, 'package'),
    lineage: state.lineageFile ? await readLineage(state.lineageFile) : null,
    packageLabel: 'exported.zip',
    rows: state.rows ?? null,
    execute: true,
  });
  return 'verify';
}

/**
 * After the import: every record the package carried should now be the same in the target.
 * What the target holds of each is kept with the job, beside the diff from before.
 */
async function verify(context: JobContext): Promise<string> {
  const { job, services, signal, dir } = context;
  const p = params(context);
  const state = context.job.data as CopyData;
  const { dmf } = await services.dmf.open(p.to.environmentId);
  const packagePath = required(state.packagePath, 'package');
  const matching = new Map<string, number>();
  for (const entity of (await services.packages.describe(packagePath)).entities) {
    const after = new Map<string, AfterStatus>();
    let matches = 0;
    for await (const row of diffRows(services, dmf, packagePath, entity.label, p.to.company, signal)) {
      after.set(row.key, row.status === 'same' ? 'matches' : row.status === 'changed' ? 'differs' : 'missing');
      if (row.status === 'same') matches++;
    }
    await writeAfter(dir, entity.label, after);
    matching.set(entity.label, matches);
  }
  settle(context, await readRowErrors(context.dir, 3));
  job.diff = (job.diff ?? []).map((before) => ({ ...before, verified: matching.get(before.label) ?? null }));
  const short = job.diff.filter((d) => d.verified !== null && d.verified < (d.sent ?? d.new + d.changed + d.same));
  if (short.length && job.state === 'succeeded') {
    job.state = 'partially-succeeded';
    job.error = {
      code: 'REMOTE_FAILED',
      message: `After the import, ${short.map((d) => `${d.label}: ${d.verified} of ${d.sent ?? d.new + d.changed + d.same}`).join('; ')} records match in the target.`,
    };
  }
  return DONE;
}

/**
 * Each row of an entity in the package, compared with the target's record of the same key:
 * new (no such record), changed (with the fields that differ) or same.
 */
export async function* diffRows(
  services: Pick<JobServices, 'packages' | 'catalog'>,
  dmf: DmfClient,
  packagePath: string,
  label: string,
  company: string,
  signal: AbortSignal,
): AsyncGenerator<CopyDiffRow> {
  const summary = await services.packages.describe(packagePath);
  const entity = summary.entities.find((e) => e.label.toLowerCase() === label.toLowerCase());
  if (!entity) throw new AppError('NOT_FOUND', `The copied package has no entity "${label}".`);
  const known = services.catalog.findEntity(entity.targetEntity ?? entity.label);
  if (!known) {
    throw new AppError('INVALID_INPUT', `${entity.label} is not an entity the workbench knows; it cannot be compared.`);
  }
  const existing = await readTarget(dmf, known, company, signal);
  const rows = await services.packages.openRows(packagePath, entity.label);
  try {
    const fields = rows.columns.map((c) => known.fields.find((f) => f.name === c.toUpperCase()));
    const keyIdx = known.keys.map((k) => rows.columns.findIndex((c) => c.toUpperCase() === k));
    if (keyIdx.some((i) => i < 0)) {
      throw new AppError(
        'INVALID_INPUT',
        `The exported ${entity.label} has no column for its key (${known.keys.join(', ')}).`,
      );
    }
    for await (const batch of rows) {
      for (const row of batch.rows) {
        const key = keyIdx.map((i) => row[i] ?? '').join(', ');
        const there = existing.get(keyIdx.map((i) => norm(row[i])).join('\u001f'));
        const changes: CopyDiffRow['changes'][number][] = [];
        fields.forEach((field, i) => {
          if (!field || field.name === 'DATAAREAID') return;
          const value = row[i] ?? '';
          if (!there) {
            if (value.trim() !== '') changes.push({ field: field.name, target: null, copied: value });
          } else if (field.publicName in there && !sameValue(value, there[field.publicName])) {
            changes.push({ field: field.name, target: packageText(field, there[field.publicName]), copied: value });
          }
        });
        yield { key, status: !there ? 'new' : changes.length > 0 ? 'changed' : 'same', changes };
      }
    }
  } finally {
    await rows.close();
  }
}

/** The target's records of an entity by key (trimmed, case-insensitive, as DMF compares keys). */
async function readTarget(
  dmf: DmfClient,
  entity: CatalogEntity,
  company: string,
  signal: AbortSignal,
): Promise<Map<string, Record<string, unknown>>> {
  const keyNames = entity.keys.map((k) => entity.fields.find((f) => f.name === k)?.publicName ?? k);
  const filter = entity.companySpecific ? `dataAreaId eq '${company.toLowerCase()}'` : undefined;
  const map = new Map<string, Record<string, unknown>>();
  for await (const page of dmf.readCollection(
    entity.publicCollectionName,
    { crossCompany: true, filter },
    { signal },
  )) {
    for (const record of page) map.set(keyNames.map((k) => norm(String(record[k] ?? ''))).join('\u001f'), record);
  }
  return map;
}

const norm = (value: string | undefined) => (value ?? '').trim().toLowerCase();

/**
 * Does a package cell say the same as an OData value? Packages write text (".500000",
 * "2011-01-31 00:00:00", "Yes"); OData sends numbers, ISO dates and enum names.
 */
export function sameValue(cell: string, value: unknown): boolean {
  const text = cell.trim();
  if (value === null || value === undefined) return text === '';
  // An empty cell imports as the field's default: 0, No, an empty string.
  if (text === '') return value === 0 || value === false || value === '' || value === 'No';
  if (typeof value === 'number') return text !== '' && Number(text) === value;
  if (typeof value === 'boolean') return ['yes', 'true', '1'].includes(text.toLowerCase()) === value;
  const other = String(value).trim();
  if (text.toLowerCase() === other.toLowerCase()) return true;
  if (text !== '' && other !== '' && !Number.isNaN(Number(text)) && !Number.isNaN(Number(other)))
    return Number(text) === Number(other);
  const a = Date.parse(text.replace(' ', 'T'));
  const b = Date.parse(other);
  return /\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(a) && !Number.isNaN(b) && dayOf(a) === dayOf(b);
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const copyJob: JobKindSpec<JobServices> = {
  steps: {
    ...exportSteps(source, 'transform'),
    transform,
    diff,
    select,
    ...importSteps(target, 'results'),
    results,
    verify,
  },
};
