import { createHash } from 'node:crypto';
import type { CatalogEntity, CatalogIndex } from '../../shared/domain/catalog';
import { TextColumns, detached, grown } from '../store/columns';
import type { RecordStore } from '../store/records';
import type { SourceInfo } from './packageIo';
import { runUnits } from './schedule';
import type { StepTiming } from './schedule';
import { convertValue } from './values';

/**
 * An import as F&O's DMF runs it (dmf-reference.md §4.1):
 *  1. source → staging for every entity: map columns (XMLField → EntityField), convert types,
 *     find duplicate keys. Failures are *staging errors*; the failing input rows go to the staging
 *     error file in the source's own format.
 *  2. staging → target (only when execute=true), unit by unit, level by level, by sequence in the
 *     level: mandatory fields, references to other entities' keys (as the target tables are at
 *     that moment: a reference created in a later level does not exist yet), business validations.
 *     Failures are *target errors*; the error keys file lists their keys. Others upsert by key.
 * Units run in parallel in F&O: each starts when the batch picks the job up, and staging → target
 * follows those times on the emulator clock (processing/schedule.ts).
 */
export interface SourceRowBatch {
  readonly rows: readonly (readonly string[])[];
  /** 1-based data row number of rows[0]. */
  readonly firstRow: number;
}

export interface SourceRows extends AsyncIterable<SourceRowBatch> {
  readonly columns: readonly string[];
  /** What the reader learnt about the file (read after the rows: some is known only then). */
  readonly info?: SourceInfo;
}

export interface ImportEntityInput {
  /** The manifest's EntityName (label) or TargetEntity. */
  readonly name: string;
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
  readonly failLevelOnError: boolean;
  readonly failExecutionUnitOnError: boolean;
  /** XMLField (source column) → EntityField (staging field); null maps columns by name. */
  readonly maps: readonly { readonly xmlField: string; readonly entityField: string }[] | null;
  open(): Promise<SourceRows>;
}

/** An entity imported on its own: unit 1, level 1, sequence 1, source columns mapped by name. */
export function standaloneInput(name: string, open: () => Promise<SourceRows>): ImportEntityInput {
  return {
    name,
    executionUnit: 1,
    level: 1,
    sequence: 1,
    failLevelOnError: false,
    failExecutionUnitOnError: false,
    maps: null,
    open,
  };
}

export interface ImportSettings {
  readonly executionId: string;
  readonly company: string;
  /** false stops after staging (ImportFromPackage execute=false). */
  readonly execute: boolean;
  readonly stagingFailureRate: number;
  readonly targetFailureRate: number;
  /** Keep at most this many messages for GetExecutionErrors [INFER: F&O keeps all; a cap keeps huge failures cheap]. */
  readonly maxMessages?: number;
}

export type EntityState = 'NotRun' | 'Finished' | 'Error';

export interface ExecutionMessage {
  readonly RecordId: string;
  readonly Field: string;
  readonly ErrorMessage: string;
  /** The entity label (not in F&O's JSON: removed before GetExecutionErrors answers). */
  readonly entity: string;
}

export interface EntityImportResult {
  readonly entity: CatalogEntity;
  readonly label: string;
  readonly company: string;
  stagingStatus: EntityState;
  targetStatus: EntityState;
  /** Rows read from the source. */
  sourceRows: number;
  /** Rows that reached staging. */
  stagingRecords: number;
  stagingErrorCount: number;
  targetCreated: number;
  targetUpdated: number;
  targetErrorCount: number;
  /** The source columns and the failing input rows, for the staging error file. */
  readonly stagingErrorRows: { columns: readonly string[]; rows: (readonly string[])[]; info?: SourceInfo };
  /** Key values of the records that failed staging → target (for the error keys file). */
  readonly targetErrorKeys: string[][];
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
  /** Emulator-clock times: staging starts, staging ends, target starts (null: not run), all done. */
  startedAt: number;
  stagingCompletedAt: number;
  targetStartedAt: number | null;
  completedAt: number;
}

export interface ImportResult {
  readonly entities: EntityImportResult[];
  readonly messages: ExecutionMessage[];
  /** A failure before any row was processed (unknown entity, unreadable file). */
  readonly fatal: string | null;
  /** When the last execution unit ends on the emulator clock. */
  readonly endsAt: number;
}

/** Rows processed between two turns of the event loop (big imports must not stall the server). */
const YIELD_EVERY = 10_000;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** F&O RecIds start at 5637144576 in every table. */
const FIRST_REC_ID = 5_637_144_576;

/**
 * An entity's staging table during the import: the rows that passed source → staging, column-wise
 * (store/columns.ts), with their RecIds. Only the `fields` the source maps can hold values.
 */
class StagingRows {
  readonly columns: TextColumns;
  recIds = new Float64Array(64);
  fields: readonly number[] = [];

  constructor(width: number) {
    this.columns = new TextColumns(width);
  }

  push(values: readonly string[], recId: number): void {
    const row = this.columns.push(values, this.fields);
    this.recIds = grown(this.recIds, row + 1);
    this.recIds[row] = recId;
  }

  /** Row `row` into `into` (full width; the fields no source column maps stay empty). */
  read(row: number, into: string[]): string[] {
    for (const f of this.fields) into[f] = this.columns.value(row, f);
    return into;
  }
}

interface Planned {
  readonly input: ImportEntityInput;
  readonly entity: CatalogEntity;
  readonly result: EntityImportResult;
  readonly staged: StagingRows;
}

function emptyResult(input: ImportEntityInput, entity: CatalogEntity, company: string, at: number): EntityImportResult {
  return {
    executionUnit: input.executionUnit,
    level: input.level,
    sequence: input.sequence,
    entity,
    label: entity.label,
    company: entity.companySpecific ? company : '',
    stagingStatus: 'NotRun',
    targetStatus: 'NotRun',
    sourceRows: 0,
    stagingRecords: 0,
    stagingErrorCount: 0,
    targetCreated: 0,
    targetUpdated: 0,
    targetErrorCount: 0,
    stagingErrorRows: { columns: [], rows: [] },
    targetErrorKeys: [],
    startedAt: at,
    stagingCompletedAt: at,
    targetStartedAt: null,
    completedAt: at,
  };
}

export async function runImport(
  inputs: readonly ImportEntityInput[],
  settings: ImportSettings,
  catalog: CatalogIndex,
  store: RecordStore,
  timing: StepTiming,
): Promise<ImportResult> {
  const messages: ExecutionMessage[] = [];
  const maxMessages = settings.maxMessages ?? 10_000;
  const note = (m: ExecutionMessage): void => {
    if (messages.length < maxMessages) messages.push(m);
  };
  let recId = FIRST_REC_ID;
  const company = settings.company.toUpperCase();

  const order: Planned[] = [];
  for (const input of inputs) {
    const entity = catalog.findEntity(input.name);
    if (!entity)
      return {
        entities: [],
        messages,
        fatal: `Entity '${input.name}' is not a data entity of this environment.`,
        endsAt: timing.startAt,
      };
    order.push({
      input,
      entity,
      result: emptyResult(input, entity, company, timing.startAt),
      staged: new StagingRows(entity.fields.length),
    });
  }
  order.sort(
    (a, b) =>
      a.input.executionUnit - b.input.executionUnit ||
      a.input.level - b.input.level ||
      a.input.sequence - b.input.sequence,
  );

  // 1. Source → staging.
  for (const { input, entity: e, result, staged } of order) {
    let source: SourceRows;
    try {
      source = await input.open();
    } catch (error) {
      result.stagingStatus = 'Error';
      note({
        RecordId: '',
        Field: '',
        ErrorMessage: error instanceof Error ? error.message : String(error),
        entity: e.label,
      });
      continue;
    }
    result.stagingErrorRows.columns = source.columns;
    const table = store.table(e);
    // Column c of the source feeds staging field target[c] (-1: not mapped, ignored).
    const target = source.columns.map((column) => {
      const staging = input.maps
        ? input.maps.find((m) => m.xmlField.toLowerCase() === column.toLowerCase())?.entityField
        : column;
      return staging === undefined ? -1 : (table.fieldIndex.get(staging.toUpperCase()) ?? -1);
    });
    const enums = e.fields.map((f) => (f.enumType ? catalog.findEnum(f.enumType) : undefined));
    staged.fields = [...new Set(target.filter((f) => f >= 0))];
    const seen = new Set<string>();
    // One row buffer for the whole entity: only mapped fields are ever set, and reset per row.
    const values = new Array<string>(e.fields.length).fill('');
    let batches = 0;
    for await (const batch of source) {
      if (++batches % 5 === 0) await yieldToEventLoop();
      for (let r = 0; r < batch.rows.length; r++) {
        const raw = batch.rows[r] ?? [];
        result.sourceRows += 1;
        const id = recId++;
        for (const f of staged.fields) values[f] = '';
        let error: { field: string; message: string } | null = null;
        for (let c = 0; c < target.length; c++) {
          const f = target[c] ?? -1;
          const field = e.fields[f];
          if (!field) continue;
          const converted = convertValue(field, raw[c] ?? '', enums[f]);
          if (!converted.ok) {
            error = { field: field.name, message: converted.message };
            break;
          }
          values[f] = converted.value;
        }
        if (
          !error &&
          settings.stagingFailureRate > 0 &&
          injected(settings.executionId, 's', e.label, id, settings.stagingFailureRate)
        ) {
          error = { field: '', message: 'Injected staging failure (emulator fault stagingFailureRate).' };
        }
        // Duplicates are found by key; an entity with no known key has none.
        if (!error && table.keyIndex.length > 0) {
          const key = table.keyOf(values);
          if (seen.has(key)) {
            error = {
              field: e.keys.join(','),
              message: `Duplicate key: a record with the key ${e.keys.map((k) => `${k}='${values[table.fieldIndex.get(k) ?? -1] ?? ''}'`).join(', ')} is already in this file (DMF1959).`,
            };
          } else {
            seen.add(detached(key));
          }
        }
        if (error) {
          result.stagingErrorCount += 1;
          result.stagingErrorRows.rows.push(raw);
          note({ RecordId: String(id), Field: error.field, ErrorMessage: error.message, entity: e.label });
        } else {
          staged.push(values, id);
        }
      }
    }
    if (source.info) result.stagingErrorRows.info = source.info;
    result.stagingRecords = staged.columns.length;
    result.stagingStatus = result.stagingErrorCount > 0 ? 'Error' : 'Finished';
  }

  // 2. Staging → target: units side by side on the emulator clock, each in level and sequence order.
  const stoppedUnits = new Set<number>();
  const stoppedLevels = new Set<string>();
  const endsAt = await runUnits(
    order,
    (p) => p.input.executionUnit,
    timing.startAt,
    async ({ input, entity: e, result, staged }, at) => {
      result.startedAt = at;
      result.stagingCompletedAt = result.completedAt = at + timing.stepMs(result.sourceRows);
      const levelKey = `${input.executionUnit}.${input.level}`;
      if (!settings.execute || stoppedUnits.has(input.executionUnit) || stoppedLevels.has(levelKey))
        return result.completedAt;
      result.targetStartedAt = result.stagingCompletedAt;
      await writeTarget(e, result, staged);
      result.completedAt = result.targetStartedAt + timing.stepMs(result.stagingRecords);
      const failed = result.stagingErrorCount + result.targetErrorCount > 0;
      if (failed && input.failExecutionUnitOnError) stoppedUnits.add(input.executionUnit);
      if (failed && input.failLevelOnError) stoppedLevels.add(levelKey);
      return result.completedAt;
    },
  );
  return { entities: order.map((p) => p.result), messages, fatal: null, endsAt };

  /** One entity's staging → target: mandatory fields, references, business validations, upserts. */
  async function writeTarget(e: CatalogEntity, result: EntityImportResult, staged: StagingRows): Promise<void> {
    const table = store.table(e);
    const mandatory = e.fields.flatMap((f, index) => (f.mandatory ? [{ ...f, index }] : []));
    const relations = e.relations.map((rel) => ({
      rel,
      idx: rel.fields.map((f) => table.fieldIndex.get(f) ?? -1),
      targetTable: store.tableByName(rel.target),
    }));
    let sinceYield = 0;
    const values = new Array<string>(e.fields.length).fill('');
    for (let row = 0; row < staged.columns.length; row++) {
      staged.read(row, values);
      const recId = staged.recIds[row] ?? 0;
      // Let the server answer status polls while a big entity is written.
      if (++sinceYield === YIELD_EVERY) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      let error: { field: string; message: string } | null = null;
      for (const field of mandatory) {
        if (values[field.index] === '') {
          error = { field: field.name, message: `Field '${field.publicName}' must be filled in.` };
          break;
        }
      }
      if (!error) {
        for (const { rel, idx, targetTable } of relations) {
          if (!targetTable || idx.includes(-1)) continue;
          const refValues = idx.map((i) => values[i] ?? '');
          if (refValues.some((v) => v === '')) continue;
          // A self-reference to the row's own key is satisfied by the row itself.
          if (
            targetTable === table &&
            rel.targetFields.every((f, k) => table.keyIndex[k] === table.fieldIndex.get(f)) &&
            refValues.every((v, k) => v.toLowerCase() === (values[table.keyIndex[k] ?? -1] ?? '').toLowerCase())
          )
            continue;
          if (!targetTable.hasValues(company, rel.targetFields, refValues)) {
            const shown = rel.fields.map((f, k) => `${f}='${refValues[k]}'`).join(', ');
            error = {
              field: rel.fields.join(','),
              message: `The value ${shown} does not exist in ${targetTable.entity.label} (${rel.target}).`,
            };
            break;
          }
        }
      }
      if (
        !error &&
        settings.targetFailureRate > 0 &&
        injected(settings.executionId, 't', e.label, recId, settings.targetFailureRate)
      ) {
        error = {
          field: '',
          message:
            'Injected target failure (emulator fault targetFailureRate): validations failed while writing the entity record.',
        };
      }
      if (error) {
        result.targetErrorCount += 1;
        result.targetErrorKeys.push(table.keyIndex.map((i) => values[i] ?? ''));
        note({
          RecordId: String(recId),
          Field: error.field,
          ErrorMessage: `Results. ${error.message}\r\nValidations failed while writing entity record.`,
          entity: e.label,
        });
        continue;
      }
      const outcome = table.upsert(company, values, staged.fields);
      if (outcome === 'created') result.targetCreated += 1;
      else result.targetUpdated += 1;
    }
    result.targetStatus = result.targetErrorCount > 0 ? 'Error' : 'Finished';
  }
}

/** A deterministic coin: the same job, entity and row always get the same answer. */
function injected(executionId: string, step: string, entity: string, recId: number, rate: number): boolean {
  const h = createHash('sha1').update(`${executionId}|${step}|${entity}|${recId}`).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
}
