/**
 * Reconciliation after a load: what landed in F&O against what an import job sent, read back
 * over OData per entity and legal entity (counts with $count, every sent key, sums of chosen
 * numeric fields). The report is kept with the run (the project's reconciliations/<job>.json, or
 * the job folder for a ready package), and its summary is what the migration cockpit shows.
 */
import { z } from '../zod';
import { event, method } from '../define';

/** Where a sent row came from: the source file as the project names it, and its 1-based data row. */
export interface ReconciledSource {
  readonly file: string;
  readonly row: number;
}

/** A sent key F&O does not hold. */
export interface MissingRecord {
  /** Key values in the order of `ReconciledEntity.keyFields`. */
  readonly key: readonly string[];
  readonly source: ReconciledSource | null;
}

/** A sent key F&O holds with another value in a summed field. */
export interface ChangedRecord {
  readonly key: readonly string[];
  /** Staging field, e.g. CREDITLIMIT. */
  readonly field: string;
  readonly sent: string;
  /** What F&O holds; '' when the record holds no value. */
  readonly landed: string;
  readonly source: ReconciledSource | null;
}

/** Sums of one numeric field over the sent keys, exact decimals as text ("1234.500000"). */
export interface ReconciledSum {
  readonly field: string;
  readonly sent: string;
  readonly landed: string;
  /** landed − sent. */
  readonly difference: string;
}

/**
 * `reconciled`: every sent key landed with the sent sums; `differences`: some are missing or
 * changed; `not-checked`: the entity could not be read back (`problem` says why and what to do).
 */
export type ReconciliationStatus = 'reconciled' | 'differences' | 'not-checked';

/** One entity of one legal entity. */
export interface ReconciledEntity {
  /** Entity label, e.g. "Customers V3". */
  readonly label: string;
  /** The OData entity set read back, e.g. CustomersV3 (null when the catalog has none). */
  readonly collection: string | null;
  /** Legal entity (dataAreaId) read; null for a shared entity. */
  readonly company: string | null;
  /** Staging fields of the key, e.g. ["CUSTOMERACCOUNT"] (without the legal entity). */
  readonly keyFields: readonly string[];
  readonly status: ReconciliationStatus;
  /** Rows of the package's data file. */
  readonly rows: number;
  /** Distinct keys sent (a key sent twice counts once: F&O keeps the last row). */
  readonly sent: number;
  readonly repeatedKeys: number;
  /** Sent keys read back from F&O. */
  readonly landed: number;
  /** F&O's own $count over the sent keys (null when not asked for or not answered). */
  readonly counted: number | null;
  readonly missingCount: number;
  /** The first missing keys (all are counted). */
  readonly missing: readonly MissingRecord[];
  readonly changedCount: number;
  readonly changed: readonly ChangedRecord[];
  readonly sums: readonly ReconciledSum[];
  /** True when `missing` or `changed` were cut (every difference is counted). */
  readonly truncated: boolean;
  /** Why the entity was not checked, and what to do; null when it was. */
  readonly problem: string | null;
}

/** A reconciliation of one import job. */
export interface ReconciliationReport {
  readonly jobId: string;
  /** The project the job built its package from (null: a ready package). */
  readonly projectDir: string | null;
  readonly environmentId: string;
  readonly environmentName: string;
  readonly executionId: string | null;
  readonly dataProject: string | null;
  /** When the job finished, and when it was reconciled (ISO). */
  readonly loadedAt: string | null;
  readonly reconciledAt: string;
  /** Who reconciled: the signed-in account where known, else the OS user. */
  readonly by: string;
  readonly status: ReconciliationStatus;
  readonly entities: readonly ReconciledEntity[];
  /** OData requests made to read it back. */
  readonly requests: number;
}

/** One entity of a run's reconciliation, as the cockpit's readiness matrix shows it. */
export interface ReconciledEntitySummary {
  readonly label: string;
  readonly company: string | null;
  readonly status: ReconciliationStatus;
  readonly sent: number;
  readonly landed: number;
  readonly missingCount: number;
  readonly changedCount: number;
}

/** A run's reconciliation in a few numbers (reconciliation.list): one per reconciled job of a project. */
export interface ReconciliationSummary {
  readonly jobId: string;
  readonly reconciledAt: string;
  readonly by: string;
  readonly status: ReconciliationStatus;
  readonly entities: readonly ReconciledEntitySummary[];
}

const id = z.string().min(1).max(200);
const field = z.string().min(1).max(200);

export const reconciliationMethods = {
  'reconciliation.run': method<ReconciliationReport>()(
    "Reconcile a finished import job: read every sent key back over OData per entity and legal entity (in batches, with F&O's $count), and sum the chosen numeric fields (default: the package's real-valued fields). Saved with the run.",
    z
      .object({
        jobId: id,
        /** Entity label → staging fields to sum; an entity not named gets its real-valued fields. */
        sums: z.record(field, z.array(field).max(50)).optional(),
      })
      .strict(),
  ),
  'reconciliation.get': method<ReconciliationReport | null>()(
    "A job's last reconciliation (null: not reconciled yet).",
    z.object({ jobId: id }).strict(),
  ),
  'reconciliation.list': method<readonly ReconciliationSummary[]>()(
    "Every reconciliation of a project's runs, newest first, in a few numbers per entity and legal entity.",
    z.object({ dir: z.string().min(1).max(4096) }).strict(),
  ),
  'reconciliation.openDifferences': method<{
    readonly datasetId: string;
    readonly path: string;
    readonly rows: number;
  }>()(
    "Open an entity's differences in the grid: one row per missing key and changed field, with what was sent, what F&O holds, and the source file and row.",
    z.object({ jobId: id, entity: field }).strict(),
  ),
} as const;

export const reconciliationEvents = {
  'reconciliation.changed': event<ReconciliationSummary & { readonly projectDir: string | null }>(
    'A job was reconciled (the cockpit refreshes its readiness matrix).',
  ),
} as const;
