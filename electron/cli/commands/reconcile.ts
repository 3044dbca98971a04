import type { ReconciliationReport } from '../../../shared/api/domains/reconciliation';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { withClient } from '../session';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw reconcile <job id> [--sum "<entity>=FIELD,FIELD"]... [--json]

Reconciles a finished import (see \`dmfw jobs\`): reads every key the job sent back from the
environment over OData, per entity and legal entity, with F&O's own $count, and compares the sums of
numeric fields. Lists every missing key and changed amount with the source file and row it came
from. The result is saved with the run (the project's reconciliations/ folder).

  --sum "<entity>=FIELD,..."  staging fields to sum for an entity (default: its real-valued fields),
                              e.g. --sum "Customers V3=CREDITLIMIT"
  --json                      print the whole report

Exit code 0 when everything sent landed as sent, 1 when keys are missing, amounts differ or an
entity could not be checked.
`;

/** Differences printed per entity in text (the report and --json keep them all). */
const SHOWN = 20;

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'Check that what an import sent landed in F&O: counts, keys and sums',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { sum: { type: 'string', multiple: true, default: [] }, json: { type: 'boolean', default: false } },
      { positionals: true },
    );
    if (positionals.length !== 1) throw new UsageError('Give one job id (see `dmfw jobs`).');
    const sums: Record<string, string[]> = {};
    for (const option of values.sum as string[]) {
      const at = option.lastIndexOf('=');
      const entity = option.slice(0, at).trim();
      const fields = option
        .slice(at + 1)
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      if (at <= 0 || fields.length === 0) {
        throw new UsageError(`--sum "${option}" is not <entity>=FIELD,FIELD (e.g. --sum "Customers V3=CREDITLIMIT").`);
      }
      sums[entity] = [...(sums[entity] ?? []), ...fields];
    }
    const jobId = positionals[0] as string;
    return withClient(io, async (client) => {
      const report = await client.call('reconciliation.run', {
        jobId,
        ...(Object.keys(sums).length > 0 ? { sums } : {}),
      });
      io.stdout(values.json ? jsonText(report) : reportText(report));
      return report.status === 'reconciled' ? EXIT.ok : EXIT.findings;
    });
  },
};

function reportText(report: ReconciliationReport): string {
  const lines: string[] = [
    `Job ${report.jobId} in ${report.environmentName}: ${STATUS_TEXT[report.status]} (${report.requests} OData requests).`,
    '',
    table(
      ['Entity', 'Legal entity', 'Sent', 'Landed', '$count', 'Missing', 'Changed', 'Status'],
      report.entities.map((e) => [
        e.label,
        e.company ?? '(shared)',
        String(e.sent),
        String(e.landed),
        e.counted === null ? '-' : String(e.counted),
        String(e.missingCount),
        String(e.changedCount),
        e.status,
      ]),
    ),
  ];
  for (const e of report.entities) {
    const where = `${e.label}${e.company ? ` (${e.company})` : ''}`;
    if (e.problem) lines.push(`${where}: ${e.problem}`);
    for (const s of e.sums) {
      lines.push(`${where} sum of ${s.field}: sent ${s.sent}, in F&O ${s.landed}, difference ${s.difference}`);
    }
    const source = (s: { file: string; row: number } | null) => (s ? ` (${s.file} row ${s.row})` : '');
    for (const m of e.missing.slice(0, SHOWN)) lines.push(`${where} missing: ${m.key.join(', ')}${source(m.source)}`);
    for (const c of e.changed.slice(0, SHOWN)) {
      lines.push(
        `${where} changed: ${c.key.join(', ')} ${c.field} sent ${c.sent}, in F&O ${c.landed}${source(c.source)}`,
      );
    }
    const more =
      e.missingCount + e.changedCount - Math.min(SHOWN, e.missing.length) - Math.min(SHOWN, e.changed.length);
    if (more > 0)
      lines.push(`${where}: ${more} more differences (--json, or open them in the grid from the job monitor).`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const STATUS_TEXT: Record<ReconciliationReport['status'], string> = {
  reconciled: 'everything sent landed as sent',
  differences: 'differences found',
  'not-checked': 'some entities could not be checked',
};
