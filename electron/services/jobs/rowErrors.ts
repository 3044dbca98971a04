import type { RowError } from '../../../shared/api/domains/jobs';
import type { ExecutionError } from '../dmf/types';
import type { Lineage } from './lineage';
import { locate } from './lineage';

/** Rows of a data file, streamed in batches; `firstRow` is the 1-based data row of rows[0]. */
export interface RowSource extends AsyncIterable<{
  readonly rows: readonly (readonly string[])[];
  readonly firstRow: number;
}> {
  readonly columns: readonly string[];
  close(): Promise<void>;
}

export interface EntityErrorFiles {
  /** Entity label, as in the manifest (and as F&O names it in its answers). */
  readonly label: string;
  /** Staging field names of the entity key, in key order. */
  readonly keyFields: readonly string[];
  /** Package column (XMLField) → staging field (EntityField); columns not listed map by name. */
  readonly stagingFieldOf: (column: string) => string;
  /** The entity's data file in the package that was imported. */
  readonly openPackageRows: () => Promise<RowSource>;
  /** The staging error file (the input rows that failed source → staging), when F&O gave one. */
  readonly openStagingErrors: (() => Promise<RowSource>) | null;
  /** The target error keys file (keys of the records that failed staging → target). */
  readonly openTargetErrorKeys: (() => Promise<RowSource>) | null;
}

export interface FailedRow {
  readonly packageRow: number;
  readonly stage: 'staging' | 'target';
  readonly messages: { field: string | null; message: string }[];
}

export interface EntityErrors {
  readonly label: string;
  readonly failed: readonly FailedRow[];
  readonly stagingErrors: number;
  readonly targetErrors: number;
  /** Error-file rows that matched no package row (their messages still appear, without a row). */
  readonly unmatched: number;
}

export interface MappedErrors {
  readonly entities: readonly EntityErrors[];
  readonly rowErrors: RowError[];
}

/**
 * Maps F&O's error answers back to rows of the imported package, and through the lineage to the
 * original source rows:
 *
 * - staging error file rows are matched to package rows by content (every column the two files
 *   share, trimmed), falling back to the entity key when F&O rewrote a value;
 * - target error keys are matched by the entity key, compared as DMF's staging index does
 *   (trimmed, case-insensitive);
 * - GetExecutionErrors elements name a staging RecId, not a row. [INFER] F&O numbers staging
 *   records in the order it reads them, so within an entity RecId − row is a constant: the
 *   offset that explains all of an entity's failed rows attaches each message to its row.
 *   Messages that no offset explains are kept as execution errors without a row.
 */
export async function mapErrors(
  entities: readonly EntityErrorFiles[],
  messages: readonly ExecutionError[],
  lineage: Lineage | null,
): Promise<MappedErrors> {
  const mapped: {
    label: string;
    failed: Map<number, FailedRow>;
    stagingErrors: number;
    targetErrors: number;
    unmatched: number;
  }[] = [];
  for (const entity of entities) mapped.push({ label: entity.label, ...(await matchEntity(entity)) });

  const pool = new Map<number, ExecutionError[]>();
  const loose: ExecutionError[] = [];
  for (const message of messages) {
    const id = message.recordId !== null && /^\d+$/.test(message.recordId) ? Number(message.recordId) : null;
    if (id === null) loose.push(message);
    else pool.set(id, [...(pool.get(id) ?? []), message]);
  }
  let lastOffset = -Infinity;
  for (const entity of mapped) {
    const rows = [...entity.failed.keys()].sort((a, b) => a - b);
    const offset = calibrate(rows, pool, lastOffset);
    if (offset === null) continue;
    lastOffset = offset;
    for (const row of rows) {
      const found = pool.get(row + offset) ?? [];
      pool.delete(row + offset);
      const failed = entity.failed.get(row) as FailedRow;
      for (const m of found) failed.messages.push({ field: m.field, message: m.message });
    }
  }
  for (const left of pool.values()) loose.push(...left);

  const rowErrors: RowError[] = [];
  for (const entity of mapped) {
    for (const failed of [...entity.failed.values()].sort((a, b) => a.packageRow - b.packageRow)) {
      const where = lineage ? locate(lineage, entity.label, failed.packageRow) : null;
      const list = failed.messages.length ? failed.messages : [{ field: null, message: defaultMessage(failed.stage) }];
      for (const m of list) {
        rowErrors.push({
          entity: entity.label,
          sourceFile: where?.sourceFile ?? null,
          sourceRow: where?.sourceRow ?? null,
          field: m.field,
          message: m.message,
          stage: failed.stage,
        });
      }
    }
  }
  for (const m of loose) rowErrors.push(executionRowError(m));
  return {
    entities: mapped.map((e) => ({
      label: e.label,
      failed: [...e.failed.values()].sort((a, b) => a.packageRow - b.packageRow),
      stagingErrors: e.stagingErrors,
      targetErrors: e.targetErrors,
      unmatched: e.unmatched,
    })),
    rowErrors,
  };
}

/** An execution message that names no row of the package. */
export function executionRowError(message: ExecutionError): RowError {
  return {
    entity: '',
    sourceFile: null,
    sourceRow: null,
    field: message.field,
    message: message.message,
    stage: 'execution',
  };
}

function defaultMessage(stage: 'staging' | 'target'): string {
  return stage === 'staging'
    ? 'The row failed from source to staging (it is in the staging error file); F&O gave no message for it.'
    : 'The record failed from staging to target (its key is in the target error keys file); F&O gave no message for it.';
}

/** The smallest offset above the previous entity's that maps every failed row to a message. */
function calibrate(rows: readonly number[], pool: ReadonlyMap<number, unknown>, after: number): number | null {
  const first = rows[0];
  if (first === undefined) return null;
  const candidates = [...pool.keys()]
    .map((id) => id - first)
    .filter((c) => c > after)
    .sort((a, b) => a - b);
  for (const offset of candidates) {
    if (rows.every((row) => pool.has(row + offset))) return offset;
  }
  return null;
}

const norm = (value: string | undefined) => (value ?? '').trim();
const keyNorm = (value: string | undefined) => norm(value).toLowerCase();

async function readAll(
  open: () => Promise<RowSource>,
): Promise<{ columns: readonly string[]; rows: (readonly string[])[] }> {
  const source = await open();
  try {
    const rows: (readonly string[])[] = [];
    for await (const batch of source) rows.push(...batch.rows);
    return { columns: source.columns, rows };
  } finally {
    await source.close();
  }
}

async function matchEntity(entity: EntityErrorFiles): Promise<{
  failed: Map<number, FailedRow>;
  stagingErrors: number;
  targetErrors: number;
  unmatched: number;
}> {
  const staging = entity.openStagingErrors ? await readAll(entity.openStagingErrors) : null;
  const target = entity.openTargetErrorKeys ? await readAll(entity.openTargetErrorKeys) : null;
  const failed = new Map<number, FailedRow>();
  const stagingCount = staging?.rows.length ?? 0;
  const targetCount = target?.rows.length ?? 0;
  if (stagingCount === 0 && targetCount === 0) return { failed, stagingErrors: 0, targetErrors: 0, unmatched: 0 };

  const packageRows = await entity.openPackageRows();
  try {
    const columns = packageRows.columns;
    const lower = columns.map((c) => c.toLowerCase());
    // Content: the columns the staging error file shares with the package, in package order.
    const stagingIndex = staging ? staging.columns.map((c) => lower.indexOf(c.toLowerCase())) : [];
    const shared = stagingIndex.filter((i) => i >= 0);
    const contentOfPackage = (row: readonly string[]) => shared.map((i) => norm(row[i])).join('\u001f');
    const contentOfStaging = (row: readonly string[]) => {
      const byPackageColumn = new Map<number, string>();
      stagingIndex.forEach((p, s) => {
        if (p >= 0) byPackageColumn.set(p, norm(row[s]));
      });
      return shared.map((i) => byPackageColumn.get(i) ?? '').join('\u001f');
    };
    // Keys: the package columns that feed the key's staging fields.
    const stagingFields = columns.map((c) => entity.stagingFieldOf(c).toUpperCase());
    const keyColumns = entity.keyFields.map((k) => stagingFields.indexOf(k.toUpperCase()));
    const keyOfPackage = (row: readonly string[]) =>
      keyColumns.every((i) => i >= 0) ? keyColumns.map((i) => keyNorm(row[i])).join('\u001f') : null;
    const keyOfColumns = (cols: readonly string[], row: readonly string[]) => {
      const fields = cols.map((c) => entity.stagingFieldOf(c).toUpperCase());
      const idx = entity.keyFields.map((k) => fields.indexOf(k.toUpperCase()));
      return idx.every((i) => i >= 0) ? idx.map((i) => keyNorm(row[i])).join('\u001f') : null;
    };
    const targetKeyOf = (row: readonly string[]) => {
      const cols = (target?.columns ?? []).map((c) => c.toUpperCase());
      const idx = entity.keyFields.map((k) => cols.indexOf(k.toUpperCase()));
      return idx.every((i) => i >= 0) ? idx.map((i) => keyNorm(row[i])).join('\u001f') : null;
    };

    const wantedContent = new Map<string, number[]>();
    const wantedKeys = new Map<string, number[]>();
    const stagingContent = (staging?.rows ?? []).map(contentOfStaging);
    const stagingKeys = (staging?.rows ?? []).map((row) => keyOfColumns(staging?.columns ?? [], row));
    const targetKeys = (target?.rows ?? []).map(targetKeyOf);
    for (const c of stagingContent) wantedContent.set(c, []);
    for (const k of [...stagingKeys, ...targetKeys]) if (k !== null) wantedKeys.set(k, []);

    // One pass over the package: remember only the rows someone asked for (bounded by the errors).
    for await (const batch of packageRows) {
      batch.rows.forEach((row, i) => {
        const packageRow = batch.firstRow + i;
        if (shared.length) wantedContent.get(contentOfPackage(row))?.push(packageRow);
        const key = keyOfPackage(row);
        if (key !== null) wantedKeys.get(key)?.push(packageRow);
      });
    }

    let unmatched = 0;
    const take = (list: number[] | undefined): number | undefined => {
      while (list?.length) {
        const row = list.shift() as number;
        if (!failed.has(row)) return row;
      }
      return undefined;
    };
    stagingContent.forEach((content, i) => {
      const key = stagingKeys[i];
      const row =
        take(wantedContent.get(content)) ?? (key !== null && key !== undefined ? take(wantedKeys.get(key)) : undefined);
      if (row === undefined) unmatched++;
      else failed.set(row, { packageRow: row, stage: 'staging', messages: [] });
    });
    for (const key of targetKeys) {
      const row = key !== null ? take(wantedKeys.get(key)) : undefined;
      if (row === undefined) unmatched++;
      else failed.set(row, { packageRow: row, stage: 'target', messages: [] });
    }
    return { failed, stagingErrors: stagingCount, targetErrors: targetCount, unmatched };
  } finally {
    await packageRows.close();
  }
}
