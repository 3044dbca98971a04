/**
 * Value mapping tables (conversion lists), contract domain `values`: per project and target field, which F&O value each
 * legacy value becomes (shared/domain/valueMapping). One git-friendly file per table in the
 * project folder, `value-maps/<id>.json`, each rule saying who set it and when, with a history of
 * changes. A table is built from a source column's distinct values beside the field's valid F&O
 * values (enum names and labels, keys of another entity of the project or of the environment),
 * applied as a recipe step (`mapValues`) on every cycle's extract, and exported to CSV or Excel for
 * a client's process owner to fill in.
 */
import { z } from '../zod';
import { VALUE_RULE_KINDS } from '../../domain/valueMapping/table';
import type { ValueStatus } from '../../domain/valueMapping/table';
import type { SuggestionReason } from '../../domain/valueMapping/suggest';
import type { RecipeApplyResult } from './datasets';
import { event, method } from '../define';

export const VALUE_MAP_SCHEMA_VERSION = 1;
/** Rules per table: code lists, not customer masters (those are keys, mapped by their own entity). */
export const MAX_VALUE_RULES = 50_000;
/** Valid values kept in a table file; a longer key list is read again when needed, not stored. */
export const MAX_STORED_TARGETS = 20_000;

const text = z.string().max(1000);
const tableId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a table id is lower-case letters, digits and dashes');

export const valueRuleSchema = z
  .object({
    kind: z.enum(VALUE_RULE_KINDS),
    /** exact: the legacy value; pattern: `42*`; keep: an optional pattern; default: absent. */
    from: text.optional(),
    /** The F&O value written (exact, pattern, default); absent for keep. */
    to: text.optional(),
    changedBy: z.string().min(1).max(320),
    changedAt: z.string().min(1).max(40),
    note: z.string().max(500).optional(),
  })
  .strict();
export type ValueRuleRecord = z.output<typeof valueRuleSchema>;

/** A rule as a caller gives it: who and when are stamped by the service. */
export const valueRuleInputSchema = valueRuleSchema.omit({ changedBy: true, changedAt: true });
export type ValueRuleInput = z.input<typeof valueRuleInputSchema>;

export const targetValueSchema = z.object({ value: text, label: z.string().max(1000).optional() }).strict();

export const TARGET_KINDS = ['enum', 'entity', 'environment', 'manual'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** The field's valid F&O values and where they were read. */
export const valueTargetsSchema = z
  .object({
    kind: z.enum(TARGET_KINDS),
    /** "enum CustVendPaymTermsType, built-in catalog (unverified)", "Payment terms in USMF-UAT (USMF), 2026-12-03". */
    origin: z.string().min(1).max(500),
    at: z.string().min(1).max(40),
    /** The values; empty with `count` > 0 when there were too many to keep in the file. */
    values: z.array(targetValueSchema).max(MAX_STORED_TARGETS),
    count: z.number().int().min(0),
  })
  .strict();
export type ValueTargets = z.output<typeof valueTargetsSchema>;

export const valueMapChangeSchema = z
  .object({ at: z.string().max(40), by: z.string().max(320), change: z.string().max(2000) })
  .strict();

/** `value-maps/<id>.json`. */
export const valueMapFileSchema = z
  .object({
    schemaVersion: z.literal(VALUE_MAP_SCHEMA_VERSION),
    id: tableId,
    name: z.string().min(1).max(200),
    /** Entity label and staging field whose values the table maps. */
    entity: z.string().min(1).max(200),
    field: z.string().min(1).max(200),
    /** The extract's column that feeds the field, when it is not named like the field. */
    sourceColumn: z.string().min(1).max(400).optional(),
    targets: valueTargetsSchema.nullable().default(null),
    rules: z.array(valueRuleSchema).max(MAX_VALUE_RULES).default([]),
    /** Newest last; the oldest are dropped past the bound (git keeps them). */
    history: z.array(valueMapChangeSchema).max(2000).default([]),
  })
  .strict();
export type ValueMapFile = z.output<typeof valueMapFileSchema>;

export interface ValueMapSummary {
  readonly id: string;
  readonly name: string;
  readonly entity: string;
  readonly field: string;
  readonly sourceColumn: string | null;
  readonly rules: number;
  /** Valid values known (0: none read yet). */
  readonly targets: number;
  readonly targetsOrigin: string | null;
  readonly changedAt: string | null;
  readonly changedBy: string | null;
  /** Rules that make the table ambiguous, one sentence each. */
  readonly problems: readonly string[];
}

export interface ValueMapDetail extends ValueMapSummary {
  readonly file: ValueMapFile;
}

export interface DraftSuggestion {
  readonly to: string;
  readonly label: string | null;
  readonly score: number;
  readonly reason: SuggestionReason;
}

/** One distinct value of the source column, beside what the table does with it. */
export interface DraftValue {
  readonly value: string;
  readonly count: number;
  readonly status: ValueStatus;
  /** What the table writes for it (legacy), or null. */
  readonly mappedTo: string | null;
  /** The rule that decides it, when one does. */
  readonly rule: ValueRuleRecord | null;
  /** For unmapped values: the best guesses, best first, for the consultant to accept or correct. */
  readonly suggestions: readonly DraftSuggestion[];
}

export interface ValueMapDraft {
  readonly table: ValueMapDetail;
  readonly column: string;
  readonly values: readonly DraftValue[];
  readonly distinct: number;
  readonly rows: number;
  readonly counts: Readonly<Record<ValueStatus, number>>;
  /** More distinct values than listed (a key column?). */
  readonly truncated: boolean;
}

export interface ValueMapImportResult {
  readonly table: ValueMapDetail;
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Rules of the table the file did not list: kept, and counted here so nothing goes unnoticed. */
  readonly notInFile: number;
  /** Rows of the file that were not taken, each with its row and why. */
  readonly skipped: readonly string[];
}

const dir = z.string().min(1).max(4096);
const path = z.string().min(1).max(4096);
const datasetId = z.string().min(1).max(100);
const columnName = z.string().min(1).max(400);

export const valueMapMethods = {
  'values.list': method<readonly ValueMapSummary[]>()(
    'The value mapping tables of a project (value-maps/*.json), by entity and field.',
    z.object({ dir }).strict(),
  ),
  'values.get': method<ValueMapDetail>()('One value mapping table.', z.object({ dir, id: tableId }).strict()),
  'values.create': method<ValueMapDetail>()(
    "Create a table for an entity's field; an enum field gets its valid values from the catalog at once.",
    z
      .object({
        dir,
        entity: z.string().min(1).max(200),
        field: z.string().min(1).max(200),
        name: z.string().trim().min(1).max(200).optional(),
        sourceColumn: columnName.optional(),
      })
      .strict(),
  ),
  'values.setRules': method<ValueMapDetail>()(
    'Add or change rules (an exact rule is replaced by its legacy value, a pattern by its pattern, the catch-all by the new one) and remove others; who and when are recorded.',
    z
      .object({
        dir,
        id: tableId,
        set: z.array(valueRuleInputSchema).max(MAX_VALUE_RULES).default([]),
        remove: z
          .array(z.object({ kind: z.enum(VALUE_RULE_KINDS), from: text.optional() }).strict())
          .max(MAX_VALUE_RULES)
          .default([]),
      })
      .strict(),
  ),
  'values.delete': method<{ readonly deleted: boolean }>()(
    'Delete a table (its file; git keeps its history).',
    z.object({ dir, id: tableId }).strict(),
  ),
  'values.readTargets': method<ValueMapDetail>()(
    "Read the field's valid F&O values again: the enum of the catalog, the keys of another entity of the project (its source file), the environment's records over OData, or values given here.",
    z
      .object({
        dir,
        id: tableId,
        from: z.enum(TARGET_KINDS),
        /** from "entity": the project entity whose keys are the valid values (default: the referenced one). */
        entity: z.string().min(1).max(200).optional(),
        /** from "manual": the values, one each. */
        values: z.array(targetValueSchema).max(MAX_STORED_TARGETS).optional(),
      })
      .strict(),
  ),
  'values.draft': method<ValueMapDraft>()(
    "The distinct values of a dataset's column beside the table: what each becomes, what is unmapped, suggestions.",
    z
      .object({
        dir,
        id: tableId,
        datasetId,
        column: columnName.optional(),
        limit: z.number().int().min(1).max(20_000).default(2000),
      })
      .strict(),
  ),
  'values.apply': method<RecipeApplyResult>()(
    "Apply the table to a dataset's column: a recipe step (mapValues) that replays on the next cycle's extract with the table as it is then.",
    z.object({ dir, id: tableId, datasetId, column: columnName.optional() }).strict(),
  ),
  'values.export': method<{ readonly path: string; readonly rows: number }>()(
    "Write the table to .csv or .xlsx for a client's process owner: every rule, then every unmapped value of the dataset's column with its rows and the best suggestion, to fill in.",
    z
      .object({
        dir,
        id: tableId,
        path,
        datasetId: datasetId.optional(),
        column: columnName.optional(),
        overwrite: z.boolean().default(false),
      })
      .strict(),
  ),
  'values.import': method<ValueMapImportResult>()(
    'Read a filled-in .csv or .xlsx back: rows with an F&O value become rules, recorded as changed by the importer.',
    z.object({ dir, id: tableId, path }).strict(),
  ),
} as const;

export const valueMapEvents = {
  'values.changed': event<{ readonly dir: string; readonly table: ValueMapSummary | null; readonly id: string }>(
    'A value mapping table was created, changed or deleted (table null).',
  ),
} as const;
