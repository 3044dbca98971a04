import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/api/domains/projects';
import { cyclesOf, ruleOf } from '../../../electron/services/reports/reportService';
import { escapeHtml, renderSignOff } from '../../../electron/services/reports/signOffHtml';

const run = (jobId: string, kind: string): RunRecord => ({
  jobId,
  kind,
  environment: 'UAT',
  executionId: null,
  status: 'Succeeded',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:05:00.000Z',
  durationMs: 300_000,
  packageHash: null,
  settings: {},
  entities: [],
  errorCount: 0,
  errors: [],
});

describe('sign-off report parts', () => {
  it('groups runs into cycles: each import starts one, re-imports of failed rows belong to it', () => {
    const cycles = cyclesOf([
      run('r0', 'reimport-failed'),
      run('a', 'import'),
      run('a1', 'reimport-failed'),
      run('a2', 'reimport-failed'),
      run('b', 'import'),
    ]);
    expect(cycles.map((c) => [c.run.jobId, c.reimports.map((r) => r.jobId)])).toEqual([
      ['a', ['a1', 'a2']],
      ['b', []],
    ]);
  });

  it("names an error's rule without its values, so that rows failing the same way count together", () => {
    expect(ruleOf("The value PAYMENTTERMID='NOPE' does not exist in Terms of payment (PaymentTermEntity).")).toBe(
      "The value PAYMENTTERMID='…' does not exist in Terms of payment (PaymentTermEntity).",
    );
    expect(ruleOf('Duplicate key at row 12: "C-001"')).toBe('Duplicate key at row …: "…"');
  });

  it('says who ran the import and each re-import: the account F&O saw, or "not recorded" for an older run', () => {
    const html = renderSignOff({
      project: { name: 'Wave', dir: '/p' },
      cycle: 1,
      cycles: 1,
      run: { ...run('a', 'import'), ranBy: { account: 'anna@contoso.com', machineUser: 'anna' } },
      reimports: [run('a1', 'reimport-failed')],
      company: 'USMF',
      dataProject: 'Wave',
      comparedWith: null,
      entities: [],
      reconciliation: null,
      errors: { total: 0, rules: [], more: 0 },
      valueTables: [],
      generatedAt: '2026-12-01T11:00:00.000Z',
      preparedBy: 'bob@contoso.com',
    });
    expect(html).toContain('<dt>Ran by</dt><dd>anna@contoso.com (computer user anna)</dd>');
    expect(html).toMatch(/<dt>Re-import 1<\/dt><dd>[^<]* \(ran by: not recorded\),/);
  });

  it('escapes what a source or F&O could put into the page', () => {
    expect(escapeHtml(`<img src=x onerror="alert('x')">&`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;',
    );
  });
});
