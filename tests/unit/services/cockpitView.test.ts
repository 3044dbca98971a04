import { describe, expect, it } from 'vitest';
import { cockpitView } from '../../../electron/services/cockpit/cockpitView';
import type { ReconciliationSummary } from '../../../shared/api/domains/reconciliation';
import type { RunEntity, RunRecord } from '../../../shared/api/domains/projects';
import { errorRule, rulesOf } from '../../../shared/domain/jobs/cycles';

function entity(label: string, extra: Partial<RunEntity> = {}): RunEntity {
  return { label, stagingRecords: 10, targetRecords: 10, stagingErrors: 0, targetErrors: 0, ...extra };
}

function run(jobId: string, entities: RunEntity[], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    jobId,
    kind: 'import',
    environment: 'UAT',
    executionId: `x-${jobId}`,
    status: 'PartiallySucceeded',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:05:00.000Z',
    durationMs: 300_000,
    packageHash: null,
    settings: { company: 'USMF' },
    entities,
    errorCount: 0,
    errors: [],
    ...extra,
  };
}

const view = (runs: RunRecord[], reconciliations = new Map<string, ReconciliationSummary>()) =>
  cockpitView({
    dir: '/p',
    name: 'Wave',
    entities: ['Customer groups', 'Customers V3'],
    runs,
    reconciliations,
    reconciliationAvailable: reconciliations.size > 0,
  });

describe('cockpit view', () => {
  it('compares each entity with its own previous run, and keeps the errors of entities a re-import did not send', () => {
    const result = view([
      run('a', [
        entity('Customer groups', { targetRecords: 8, targetErrors: 2, sourceRows: 10, fingerprints: ['g1', 'g2'] }),
        entity('Customers V3', { targetRecords: 95, targetErrors: 5, sourceRows: 100, fingerprints: ['c1'] }),
      ]),
      // A re-import of the groups only: one fixed, one still failing, one new problem.
      run(
        'b',
        [
          entity('Customer groups', {
            targetRecords: 0,
            stagingRecords: 2,
            targetErrors: 2,
            sourceRows: 2,
            fingerprints: ['g2', 'g3'],
          }),
        ],
        { kind: 'reimport-failed' },
      ),
    ]);
    expect(result.runs.map((r) => [r.number, r.kind, r.openErrors])).toEqual([
      [1, 'import', 7],
      // The customers' five errors are still open: the re-import did not send them.
      [2, 'reimport-failed', 7],
    ]);
    expect(result.runs[0]!.entities[0]).toMatchObject({ new: 2, carriedOver: 0, resolved: 0 });
    expect(result.runs[1]!.entities[0]).toMatchObject({ new: 1, carriedOver: 1, resolved: 1 });
    expect(result.readiness).toEqual([
      // 8 rows of 10 loaded by the import, none by the re-import: partly loaded, 2 errors open.
      expect.objectContaining({
        label: 'Customer groups',
        loaded: 'partly',
        loadedRows: 8,
        sourceRows: 10,
        openErrors: 2,
        lastRun: 2,
      }),
      expect.objectContaining({ label: 'Customers V3', loaded: 'partly', loadedRows: 95, sourceRows: 100, lastRun: 1 }),
    ]);
  });

  it('calls an entity loaded once re-imports have loaded every row of its last import', () => {
    const result = view([
      run('a', [
        entity('Customer groups', { targetRecords: 8, targetErrors: 2, sourceRows: 10, fingerprints: ['g1'] }),
      ]),
      run('b', [entity('Customer groups', { targetRecords: 2, sourceRows: 2, fingerprints: [] })], {
        kind: 'reimport-failed',
      }),
    ]);
    expect(result.runs.map((r) => r.openErrors)).toEqual([2, 0]);
    expect(result.runs[1]!.entities[0]).toMatchObject({ new: 0, carriedOver: 0, resolved: 1 });
    expect(result.readiness[0]).toMatchObject({ loaded: 'loaded', loadedRows: 10, sourceRows: 10, openErrors: 0 });
  });

  it('reads runs recorded before the cockpit (no rows, rules or fingerprints) without inventing numbers', () => {
    const result = view([run('old', [entity('Customer groups')])]);
    expect(result.runs[0]!.entities[0]).toMatchObject({ sourceRows: null, rules: null, new: null, resolved: null });
    expect(result.runs[0]!.schedule).toBeNull();
    expect(result.readiness[0]).toMatchObject({ loaded: 'loaded', sourceRows: null });
    // An entity of the project never run is listed, not loaded.
    expect(result.readiness[1]).toMatchObject({ label: 'Customers V3', loaded: 'not-loaded', lastRun: null });
  });

  it('says reconciled only when the latest run of the entity was reconciled without differences', () => {
    const reconciliations = new Map<string, ReconciliationSummary>([
      [
        'a',
        {
          jobId: 'a',
          reconciledAt: '2026-12-01T11:00:00.000Z',
          by: 'consultant@contoso.com',
          status: 'differences',
          entities: [
            {
              label: 'Customer groups',
              company: 'USMF',
              status: 'reconciled',
              sent: 10,
              landed: 10,
              missingCount: 0,
              changedCount: 0,
            },
            {
              label: 'Customers V3',
              company: 'USMF',
              status: 'differences',
              sent: 10,
              landed: 9,
              missingCount: 1,
              changedCount: 2,
            },
          ],
        },
      ],
    ]);
    const result = view([run('a', [entity('Customer groups'), entity('Customers V3')])], reconciliations);
    expect(result.readiness.map((r) => r.reconciled)).toEqual(['reconciled', 'differences']);
    expect(result.reconciliationAvailable).toBe(true);
    // A later run that was not reconciled is "not reconciled" again.
    const later = view([run('a', [entity('Customer groups')]), run('b', [entity('Customer groups')])], reconciliations);
    expect(later.readiness[0]!.reconciled).toBe('not-reconciled');
  });
});

describe('error rules', () => {
  it("leave F&O's values out of the message, so that rows failing alike count together", () => {
    expect(
      errorRule("The value 'NOPE2' in field 'Terms of payment' is not found in the related table 'PaymTerm'."),
    ).toBe("The value '…' in field '…' is not found in the related table '…'.");
    expect(errorRule('Row 12: CUSTOMERGROUPID is 14 characters, longer than 10')).toBe(
      'Row #: CUSTOMERGROUPID is # characters, longer than #',
    );
    expect(
      rulesOf([
        { stage: 'target', message: "Terms 'A' not found" },
        { stage: 'target', message: "Terms 'B' not found" },
        { stage: 'staging', message: 'Duplicate key CG01' },
      ]),
    ).toEqual([
      { stage: 'target', rule: "Terms '…' not found", count: 2 },
      { stage: 'staging', rule: 'Duplicate key CG#', count: 1 },
    ]);
  });
});
