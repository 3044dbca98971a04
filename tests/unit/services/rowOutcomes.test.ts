import { describe, expect, it } from 'vitest';
import type { RowError } from '../../../shared/api/domains/jobs';
import type { JobRecord } from '../../../electron/services/jobs/jobStore';
import { LineageBuilder } from '../../../electron/services/jobs/lineage';
import type { ImportMember } from '../../../electron/services/jobs/rowOutcomes';
import {
  coverageOf,
  latestOutcomes,
  leftOutReasons,
  rowKey,
  sameFamily,
} from '../../../electron/services/jobs/rowOutcomes';

/** An import job record: a project import into USMF of env "e", finished Succeeded unless told. */
function job(id: string, fields: Partial<JobRecord> & { params?: Record<string, unknown> } = {}): JobRecord {
  return {
    schemaVersion: 1,
    id,
    kind: 'import',
    title: id,
    environmentId: 'e',
    environmentName: 'UAT',
    targetEnvironmentId: null,
    state: 'succeeded',
    step: 'done',
    createdAt: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
    updatedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    executionId: `x-${id}`,
    executionStatus: 'Succeeded',
    dataProject: 'P',
    company: 'USMF',
    entities: [],
    errorCount: 0,
    output: null,
    diff: null,
    messageId: null,
    error: null,
    data: { submitSentAt: 1 },
    ...fields,
    params: { sourceKind: 'project', source: '/p', execute: true, ...fields.params },
  };
}

const ref = (sourceRow: number) => ({ entity: 'Customer groups', sourceFile: 'groups.csv', sourceRow });
const error = (sourceRow: number, message = 'bad'): RowError => ({
  entity: 'Customer groups',
  sourceFile: 'groups.csv',
  sourceRow,
  field: null,
  message,
  stage: 'target',
});

/** A job that sent rows `from`..`to` of groups.csv. */
function member(record: JobRecord, from: number, to: number, errors: RowError[] = []): ImportMember {
  const builder = new LineageBuilder();
  const entity = builder.entity('Customer groups', 'Customer groups.csv');
  entity.add('groups.csv', from, to - from + 1);
  entity.end();
  return { record, covers: coverageOf(record, builder.build()), errors };
}

describe('row outcomes across the jobs of one source', () => {
  it('a family is the same source, environment and legal entity; a package re-import goes back to its package', () => {
    const a = job('a1', { params: { sourceKind: 'package', source: '/pkg.zip' } });
    const b = job('b2', {
      params: {
        sourceKind: 'failed-rows',
        source: '/jobs/a1/failed-rows',
        basePackage: '/jobs/a1/p.zip',
        reimportOf: 'a1',
      },
    });
    const c = job('c3', {
      params: {
        sourceKind: 'failed-rows',
        source: '/jobs/b2/failed-rows',
        basePackage: '/jobs/b2/p.zip',
        reimportOf: 'b2',
      },
    });
    const otherCompany = job('d4', { company: 'DEMF', params: { sourceKind: 'package', source: '/pkg.zip' } });
    const otherEnv = job('e5', { environmentId: 'f', params: { sourceKind: 'package', source: '/pkg.zip' } });
    const project = job('f6');
    const family = sameFamily([otherEnv, c, project, a, otherCompany, b], a).map((r) => r.id);
    expect(family).toEqual(['a1', 'b2', 'c3']);
  });

  it('the latest job that says something about a row decides: imported, failed again, sent, importing', () => {
    const rows = [1, 2, 3, 4, 5].map(ref);
    const outcomes = latestOutcomes(
      [
        member(job('b1', { executionStatus: 'PartiallySucceeded' }), 1, 3, [error(2, 'again')]),
        // A Failed execution says nothing of the rows it names no error for.
        member(job('c2', { state: 'failed', executionStatus: 'Failed' }), 3, 3),
        // Sent, then the job lost touch with F&O: the row may be in the target.
        member(job('d3', { state: 'failed', executionStatus: 'Executing' }), 4, 4),
        member(job('e4', { state: 'running', executionStatus: 'Executing' }), 5, 5),
      ],
      rows,
    );
    expect(rows.map((r) => outcomes.get(rowKey(r))?.kind ?? null)).toEqual([
      'imported',
      'failed',
      'imported',
      'sent',
      'importing',
    ]);
    const reasons = leftOutReasons([...outcomes.values()]);
    expect(reasons.map((r) => [r.reason, r.jobId, r.rows])).toEqual([
      ['imported', 'b1', 2],
      ['sent', 'd3', 1],
      ['importing', 'e4', 1],
    ]);
    expect(reasons[1]!.message).toContain('dmfw resume d3 --wait');
  });

  it('a job cancelled before it sent, or a staging-only import, leaves the earlier outcome standing', () => {
    const outcomes = latestOutcomes(
      [
        member(job('b1', { state: 'cancelled', executionStatus: null, data: {} }), 1, 1),
        member(job('c2', { params: { execute: false } }), 1, 1),
      ],
      [ref(1)],
    );
    expect(outcomes.size).toBe(0);
  });

  it('before its package is built, a re-import sends its selection, a whole import that runs sends every row', () => {
    const selected = job('b1', {
      state: 'queued',
      params: { selection: { 'Customer groups': { 'groups.csv': [7] } } },
    });
    expect([6, 7].map((n) => coverageOf(selected, null)(ref(n)))).toEqual([false, true]);
    expect(coverageOf(job('c2', { state: 'running' }), null)(ref(99))).toBe(true);
    expect(coverageOf(job('d3', { state: 'failed', step: 'build' }), null)(ref(99))).toBe(false);
  });
});
