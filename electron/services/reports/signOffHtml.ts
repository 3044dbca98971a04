/**
 * The sign-off report as one self-contained HTML document: no script, no remote resource, one
 * style element allowed by its hash in the document's own CSP, so that Chromium prints exactly
 * this and nothing the data could smuggle in runs. Every value from a project, a source or F&O is
 * escaped.
 */
import { createHash } from 'node:crypto';
import type { RunRecord } from '../../../shared/api/domains/projects';
import type { ReconciliationReport, ReconciliationStatus } from '../../../shared/api/domains/reconciliation';
import type { ValueMapSummary } from '../../../shared/api/domains/valueMaps';
import type { CycleCounts } from '../../../shared/domain/jobs/cycles';
import { asRanBy, ranByText } from '../../../shared/domain/jobs/ranBy';

export interface SignOffEntity {
  readonly label: string;
  /** Rows in the package sent (null when the job that knew is gone). */
  readonly inPackage: number | null;
  readonly staged: number;
  readonly loaded: number;
  readonly stagingErrors: number;
  readonly targetErrors: number;
}

/** Errors of one kind: entity, stage, field and F&O's message with its values taken out. */
export interface ErrorRule {
  readonly entity: string;
  readonly stage: string;
  readonly field: string | null;
  /** The message with quoted values as '…': what identifies the rule F&O applied. */
  readonly rule: string;
  readonly count: number;
  /** The first occurrence: source file and row, and the message as F&O wrote it. */
  readonly example: { readonly sourceFile: string | null; readonly sourceRow: number | null; readonly message: string };
}

export interface SignOffData {
  readonly project: { readonly name: string; readonly dir: string };
  readonly cycle: number;
  readonly cycles: number;
  /** The cycle's import run, and the re-imports of its failed rows after it. */
  readonly run: RunRecord;
  readonly reimports: readonly RunRecord[];
  readonly company: string | null;
  readonly dataProject: string | null;
  readonly comparedWith: (CycleCounts & { readonly cycle: number | null }) | null;
  readonly entities: readonly SignOffEntity[];
  readonly reconciliation: ReconciliationReport | null;
  /** Errors still open at the end of the cycle (the last run of it), by rule. */
  readonly errors: { readonly total: number; readonly rules: readonly ErrorRule[]; readonly more: number };
  readonly valueTables: readonly ValueMapSummary[];
  readonly generatedAt: string;
  readonly preparedBy: string;
}

const STYLE = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.45 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; color: #1b2430; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #c8ced6; }
p { margin: 1mm 0; }
.muted { color: #5b6675; }
.mono { font-family: 'DejaVu Sans Mono', Consolas, monospace; font-size: 8.5pt; }
.hash { word-break: break-all; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { text-align: left; padding: 1.2mm 1.6mm; border-bottom: 1px solid #dfe3e8; vertical-align: top; }
thead th { background: #eef0f3; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 2mm 0; }
dt { color: #5b6675; }
dd { margin: 0; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; font-size: 8.5pt; font-weight: 600; }
.ok { background: #eaf6ed; color: #1a7f37; }
.warn { background: #fff6e5; color: #8a5200; }
.danger { background: #fdf0ef; color: #c42b1c; }
.summary { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; margin: 3mm 0; }
.summary div { border: 1px solid #dfe3e8; border-radius: 2mm; padding: 2mm 3mm; }
.summary strong { display: block; font-size: 15pt; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; margin-top: 10mm; page-break-inside: avoid; }
.signatures div { border-top: 1px solid #1b2430; padding-top: 1mm; }
`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const n = (value: number | null): string => (value === null ? '—' : value.toLocaleString('en-US'));
/** Times as UTC, written out: the report is read in other time zones than the consultant's. */
const when = (iso: string | null): string => (iso === null ? '—' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`);

const STATUS_LABEL: Record<ReconciliationStatus, [string, string]> = {
  reconciled: ['Reconciled', 'ok'],
  differences: ['Differences', 'danger'],
  'not-checked': ['Not checked', 'warn'],
};

function table(headings: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []) {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  return `<table><thead><tr>${headings.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Cells are HTML: plain values go through this. */
const t = (value: string | number | null | undefined): string =>
  typeof value === 'number' ? n(value) : escapeHtml(value ?? '—');

function readiness(data: SignOffData, label: string): string {
  const parts = data.reconciliation?.entities.filter((e) => e.label.toLowerCase() === label.toLowerCase()) ?? [];
  if (parts.length === 0) return '<span class="badge warn">Not reconciled</span>';
  const status: ReconciliationStatus = parts.some((p) => p.status === 'differences')
    ? 'differences'
    : parts.some((p) => p.status === 'not-checked')
      ? 'not-checked'
      : 'reconciled';
  const [text, tone] = STATUS_LABEL[status];
  return `<span class="badge ${tone}">${text}</span>`;
}

export function renderSignOff(data: SignOffData): string {
  const { run } = data;
  const last = data.reimports.at(-1) ?? run;
  const loaded = data.entities.reduce((s, e) => s + e.loaded, 0);
  const sent = data.entities.reduce((s, e) => s + (e.inPackage ?? e.staged + e.stagingErrors), 0);
  const recon = data.reconciliation;
  const missing = recon?.entities.reduce((s, e) => s + e.missingCount, 0) ?? null;
  const changed = recon?.entities.reduce((s, e) => s + e.changedCount, 0) ?? null;
  const title = `${data.project.name}: sign-off of cycle ${data.cycle}`;
  const sections: string[] = [];
  sections.push(`<h1>${escapeHtml(title)}</h1>
<p class="muted">Cycle ${data.cycle} of ${data.cycles} · ${escapeHtml(run.environment)}${data.company ? ` · legal entity ${escapeHtml(data.company)}` : ''} · prepared ${when(data.generatedAt)} by ${escapeHtml(data.preparedBy)}</p>
<div class="summary">
<div><span class="muted">Rows sent</span><strong>${n(sent)}</strong></div>
<div><span class="muted">Loaded into F&amp;O</span><strong>${n(loaded)}</strong></div>
<div><span class="muted">Open errors</span><strong>${n(data.errors.total)}</strong></div>
<div><span class="muted">Reconciliation</span><strong>${recon ? `${n(missing)} missing, ${n(changed)} changed` : 'not run'}</strong></div>
</div>`);
  sections.push(`<h2>Run</h2><dl>
<dt>Environment</dt><dd>${escapeHtml(run.environment)}</dd>
<dt>Legal entity</dt><dd>${t(data.company)}</dd>
<dt>Data project</dt><dd>${t(data.dataProject)}</dd>
<dt>Import job</dt><dd class="mono hash">${escapeHtml(run.jobId)}</dd>
<dt>F&amp;O execution id</dt><dd class="mono hash">${t(run.executionId)}</dd>
<dt>F&amp;O status</dt><dd>${escapeHtml(run.status)}</dd>
<dt>Ran</dt><dd>${when(run.startedAt)} to ${when(run.finishedAt)}</dd>
<dt>Ran by</dt><dd>${escapeHtml(ranByText(asRanBy(run.ranBy)))}</dd>
<dt>Package hash</dt><dd class="mono hash">${t(run.packageHash)}</dd>
${data.reimports
  .map(
    (r, i) =>
      `<dt>Re-import ${i + 1}</dt><dd>${when(r.startedAt)} (ran by: ${escapeHtml(ranByText(asRanBy(r.ranBy)))}), ${escapeHtml(r.status)}, ${n(r.errorCount)} errors left · <span class="mono hash">${t(r.packageHash)}</span></dd>`,
  )
  .join('\n')}
<dt>Reconciled</dt><dd>${recon ? `${when(recon.reconciledAt)} by ${escapeHtml(recon.by)}` : 'not yet (dmfw reconcile, or Reconcile in the job monitor)'}</dd>
<dt>Project folder</dt><dd class="mono hash">${escapeHtml(data.project.dir)}</dd>
</dl>`);
  sections.push(
    `<h2>Entities</h2>${table(
      ['Entity', 'In package', 'Staged', 'Loaded', 'Staging errors', 'Target errors', 'Reconciliation'],
      data.entities.map((e) => [
        t(e.label),
        t(e.inPackage),
        t(e.staged),
        t(e.loaded),
        t(e.stagingErrors),
        t(e.targetErrors),
        readiness(data, e.label),
      ]),
      [1, 2, 3, 4, 5],
    )}`,
  );
  if (recon) {
    const parts = recon.entities;
    sections.push(
      `<h2>Reconciliation</h2><p class="muted">Every key sent read back from ${escapeHtml(recon.environmentName)} over OData, with F&amp;O's own count, ${when(recon.reconciledAt)}.</p>${table(
        ['Entity', 'Legal entity', 'Sent', 'In F&O', 'F&O count', 'Missing', 'Changed', 'Status'],
        parts.map((e) => [
          t(e.label),
          t(e.company ?? 'shared'),
          t(e.sent),
          t(e.landed),
          t(e.counted),
          t(e.missingCount),
          t(e.changedCount),
          `<span class="badge ${STATUS_LABEL[e.status][1]}">${STATUS_LABEL[e.status][0]}</span>${e.problem ? `<br><span class="muted">${escapeHtml(e.problem)}</span>` : ''}`,
        ]),
        [2, 3, 4, 5, 6],
      )}`,
    );
    const sums = parts.flatMap((e) => e.sums.map((s) => ({ e, s })));
    if (sums.length > 0) {
      sections.push(
        table(
          ['Entity', 'Field', 'Sum sent', 'Sum in F&O', 'Difference'],
          sums.map(({ e, s }) => [
            t(`${e.label}${e.company ? ` (${e.company})` : ''}`),
            `<span class="mono">${escapeHtml(s.field)}</span>`,
            t(s.sent),
            t(s.landed),
            t(s.difference),
          ]),
          [2, 3, 4],
        ),
      );
    }
    const listed = parts.flatMap((e) => [
      ...e.missing
        .slice(0, 20)
        .map((m) => [
          t(e.label),
          t(m.key.join(', ')),
          'missing',
          t(m.source ? `${m.source.file}, row ${m.source.row}` : null),
        ]),
      ...e.changed
        .slice(0, 20)
        .map((c) => [
          t(e.label),
          t(c.key.join(', ')),
          t(`${c.field}: sent ${c.sent}, in F&O ${c.landed}`),
          t(c.source ? `${c.source.file}, row ${c.source.row}` : null),
        ]),
    ]);
    if (listed.length > 0) {
      sections.push(
        `<p><strong>Differences</strong> (the first 20 of each kind per entity; the workbench lists them all)</p>${table(['Entity', 'Key', 'Difference', 'Source'], listed)}`,
      );
    }
  }
  const cycleLine = data.comparedWith
    ? `<p>Compared with ${data.comparedWith.cycle ? `cycle ${data.comparedWith.cycle}` : 'the run before'}: ${n(data.comparedWith.new)} new, ${n(data.comparedWith.carriedOver)} carried over, ${n(data.comparedWith.resolved)} resolved.</p>`
    : '';
  sections.push(
    `<h2>Open errors</h2><p class="muted">Errors of the cycle's last run (${when(last.finishedAt)}), grouped by the rule F&amp;O applied.</p>${cycleLine}${
      data.errors.rules.length === 0
        ? '<p>No open errors.</p>'
        : table(
            ['Entity', 'Stage', 'Field', 'Rule', 'Rows', 'First at'],
            data.errors.rules.map((r) => [
              t(r.entity),
              t(r.stage),
              r.field ? `<span class="mono">${escapeHtml(r.field)}</span>` : '—',
              t(r.rule),
              t(r.count),
              t(r.example.sourceRow === null ? null : `${r.example.sourceFile ?? ''}, row ${r.example.sourceRow}`),
            ]),
            [4],
          )
    }${data.errors.more > 0 ? `<p class="muted">${n(data.errors.more)} more rules; the job keeps every error.</p>` : ''}`,
  );
  sections.push(
    `<h2>Value tables</h2>${
      data.valueTables.length === 0
        ? '<p>The project has no value mapping tables.</p>'
        : `<p class="muted">The project's value mapping tables as they are when the report is prepared.</p>${table(
            ['Table', 'Entity', 'Field', 'Rules', 'Valid values', 'Last changed'],
            data.valueTables.map((v) => [
              t(v.name),
              t(v.entity),
              `<span class="mono">${escapeHtml(v.field)}</span>`,
              t(v.rules),
              t(v.targets),
              t(v.changedAt ? `${when(v.changedAt)} by ${v.changedBy ?? '—'}` : null),
            ]),
            [3, 4],
          )}`
    }`,
  );
  sections.push(`<div class="signatures"><div>Migration lead, date</div><div>Process owner, date</div></div>`);
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${styleHash}'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}
