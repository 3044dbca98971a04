import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { reportJson, reportText, withClient } from '../session';
import { jsonText, table } from './text';

const STATUS_USAGE = `Usage: dmfw status <execution id> --env <name> [--json]

Shows an execution's status (Unknown, NotRun, Executing, Succeeded, PartiallySucceeded, Failed,
Canceled), its entities with staging and target counts, and its errors (mapped to source rows when
this workbench ran it).

  --json   print {executionId, status, entities, errors}

Exit code 0 when the execution succeeded or still runs, 1 when it partially succeeded or failed.
`;

const ERRORS_USAGE = `Usage: dmfw errors <execution id> --env <name> --out <dir> [--json]

Writes an execution's errors to a folder: errors.csv (entity, source file, source row, stage, field,
message), F&O's staging error and target error keys files, and the failed rows (one CSV per entity
with the source file, row and messages), ready to fix and re-import.
`;

function parse(args: readonly string[], extra: Record<string, { type: 'string' }> = {}) {
  const { values, positionals } = parseOptions(
    args,
    { env: { type: 'string' }, json: { type: 'boolean', default: false }, ...extra },
    { positionals: true },
  );
  if (positionals.length !== 1) throw new UsageError('Give one execution id (the Job ID F&O shows).');
  if (!values.env) throw new UsageError('--env is required (see `dmfw envs`).');
  return {
    values: values as Record<string, string | boolean | undefined>,
    executionId: positionals[0] as string,
    environmentId: values.env,
  };
}

export const statusCommand: Command = {
  name: 'status',
  summary: "Show an execution's status, entity counts and errors",
  usage: STATUS_USAGE,
  async run(args, io) {
    const { values, executionId, environmentId } = parse(args);
    return withClient(io, async (client) => {
      const report = await client.call('jobs.status', { environmentId, executionId, limit: 100_000 });
      io.stdout(values.json ? reportJson(report) : reportText(report, table));
      return report.status === 'PartiallySucceeded' || report.status === 'Failed' || report.status === 'Canceled'
        ? EXIT.findings
        : EXIT.ok;
    });
  },
};

export const errorsCommand: Command = {
  name: 'errors',
  summary: "Save an execution's errors, error files and failed rows to a folder",
  usage: ERRORS_USAGE,
  async run(args, io) {
    const { values, executionId, environmentId } = parse(args, { out: { type: 'string' } });
    if (typeof values.out !== 'string') throw new UsageError('--out <dir> is required.');
    const outDir = values.out;
    return withClient(io, async (client) => {
      const saved = await client.call('jobs.saveErrors', { environmentId, executionId, outDir });
      io.stdout(
        values.json
          ? jsonText(saved)
          : `${saved.errorCount} errors; wrote:\n${saved.files.map((f) => `  ${f}`).join('\n')}\n`,
      );
      return saved.errorCount ? EXIT.findings : EXIT.ok;
    });
  },
};
