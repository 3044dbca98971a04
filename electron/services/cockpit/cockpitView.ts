import type {
  CockpitEntityRun,
  CockpitRule,
  CockpitRun,
  CockpitView,
  EntityReadiness,
} from '../../../shared/api/domains/cockpit';
import type { ReconciliationSummary } from '../../../shared/api/domains/reconciliation';
import type { RunEntity, RunRecord } from '../../../shared/api/domains/projects';
import { compareCycles } from '../../../shared/domain/jobs/cycles';
import { asRanBy } from '../../../shared/domain/jobs/ranBy';

const STAGES = new Set(['staging', 'target', 'execution']);

/**
 * The cockpit of a project from its run files, oldest first (pure: the service reads the files).
 * An entity's errors are compared with its own previous run (a re-import of failed rows sends
 * only some entities); the errors open after a run are, per entity, those of its latest run so far.
 */
export function cockpitView(input: {
  readonly dir: string;
  readonly name: string;
  /** The project's enabled entities, in the project's order. */
  readonly entities: readonly string[];
  readonly runs: readonly RunRecord[];
  readonly reconciliations: ReadonlyMap<string, ReconciliationSummary>;
  readonly reconciliationAvailable: boolean;
}): CockpitView {
  const previous = new Map<string, RunEntity>();
  const standing = new Map<string, Standing>();
  const runs: CockpitRun[] = input.runs.map((record, i) => {
    const entities = record.entities.map((entity): CockpitEntityRun => {
      const before = previous.get(entity.label);
      previous.set(entity.label, entity);
      standing.set(entity.label, standingAfter(standing.get(entity.label), entity, record.kind, i + 1));
      return entityRun(entity, before);
    });
    let openErrors = 0;
    for (const s of standing.values()) openErrors += s.errors;
    return {
      number: i + 1,
      jobId: record.jobId,
      kind: record.kind,
      environment: record.environment,
      company: typeof record.settings.company === 'string' ? record.settings.company : null,
      executionId: record.executionId,
      status: record.status,
      startedAt: record.startedAt,
      durationMs: record.durationMs,
      packageHash: record.packageHash,
      ranBy: asRanBy(record.ranBy),
      entities,
      openErrors,
      schedule: record.schedule ?? null,
      reconciliation: input.reconciliations.get(record.jobId) ?? null,
    };
  });
  const labels = [...input.entities];
  for (const run of runs) for (const e of run.entities) if (!labels.includes(e.label)) labels.push(e.label);
  const readiness = labels.map((label): EntityReadiness => {
    const s = standing.get(label);
    if (!s) {
      return {
        label,
        loaded: 'not-loaded',
        loadedRows: 0,
        sourceRows: null,
        openErrors: 0,
        reconciled: 'not-reconciled',
        lastRun: null,
      };
    }
    const reconciliation = runs[s.run - 1]?.reconciliation?.entities.find((r) => r.label === label);
    const all = s.errors === 0 && (s.sourceRows === null || s.loaded >= s.sourceRows);
    return {
      label,
      loaded: all ? 'loaded' : s.loaded > 0 ? 'partly' : 'not-loaded',
      loadedRows: s.loaded,
      sourceRows: s.sourceRows,
      openErrors: s.errors,
      reconciled: reconciliation?.status ?? 'not-reconciled',
      lastRun: s.run,
    };
  });
  return {
    dir: input.dir,
    name: input.name,
    runs,
    entities: labels,
    readiness,
    reconciliationAvailable: input.reconciliationAvailable,
  };
}

/** Where an entity stands after a run: rows of its last full import, loaded so far, errors still open. */
interface Standing {
  readonly run: number;
  readonly sourceRows: number | null;
  readonly loaded: number;
  readonly errors: number;
}

/**
 * An import sends the entity's whole source: it stands where that run left it. A re-import of
 * failed rows sends only those: what it loaded adds to what was loaded, and its errors are the
 * ones still open (the rows a re-import leaves out were imported by a later job).
 */
function standingAfter(before: Standing | undefined, entity: RunEntity, kind: string, run: number): Standing {
  const errors = errorsOf(entity);
  if (kind === 'reimport-failed' && before) {
    return { run, sourceRows: before.sourceRows, loaded: before.loaded + entity.targetRecords, errors };
  }
  return { run, sourceRows: entity.sourceRows ?? null, loaded: entity.targetRecords, errors };
}

function errorsOf(entity: RunEntity): number {
  return entity.stagingErrors + entity.targetErrors;
}

function entityRun(entity: RunEntity, before: RunEntity | undefined): CockpitEntityRun {
  const compared =
    entity.fingerprints && before?.fingerprints
      ? compareCycles({ jobId: '', fingerprints: before.fingerprints }, entity.fingerprints)
      : null;
  return {
    label: entity.label,
    sourceRows: entity.sourceRows ?? null,
    staged: entity.stagingRecords,
    loaded: entity.targetRecords,
    stagingErrors: entity.stagingErrors,
    targetErrors: entity.targetErrors,
    rules:
      entity.rules?.map((r): CockpitRule => ({
        stage: STAGES.has(r.stage) ? (r.stage as CockpitRule['stage']) : 'execution',
        rule: r.rule,
        count: r.count,
      })) ?? null,
    new: compared?.new ?? (before === undefined && entity.fingerprints ? entity.fingerprints.length : null),
    carriedOver: compared?.carriedOver ?? (before === undefined && entity.fingerprints ? 0 : null),
    resolved: compared?.resolved ?? (before === undefined && entity.fingerprints ? 0 : null),
  };
}
