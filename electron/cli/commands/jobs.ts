import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { followJob, withClient } from '../session';
import { finishImport } from './import';
import { jsonText, table } from './text';

const JOBS_USAGE = `Usage: dmfw jobs [--json]

Lists the jobs this workbench ran or runs (imports, exports, copies, enqueues, dequeues), newest first.
`;

const RESUME_USAGE = `Usage: dmfw resume [<job id>] [--wait] [--json]

Continues jobs that were interrupted (the command was stopped, the machine restarted), from the
step they were in: an import already sent is never sent again. Without a job id, every interrupted
job; without --wait, returns once they are under way. With --wait an import ends with the same
report as \`dmfw import --wait\` (--json: the same JSON).
`;

const REIMPORT_USAGE = `Usage: dmfw reimport <job id> [--wait] [--json] [--confirm-prod <name>]

Re-imports only the rows that failed in an import, once fixed: for a workbench project they are
read again from its source files; for a ready package from the job's failed-rows dataset: the
<entity>.csv files in the folder \`dmfw import\` prints as "Failed rows" (<DMFW_HOME>/jobs/<job id>/
failed-rows), edited in place. The failed-<entity>.csv copies \`dmfw errors\` writes are not read
back. Each row keeps its source file and row for the next error report. Rows that a later job
imported (or is importing) are left out, with the reason: a row is never sent twice.
`;

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'List the jobs of this workbench',
  usage: JOBS_USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, { json: { type: 'boolean', default: false } });
    return withClient(io, async (client) => {
      const jobs = await client.call('jobs.list', {});
      if (values.json) io.stdout(jsonText(jobs));
      else {
        io.stdout(
          table(
            ['Job', 'Kind', 'State', 'Step', 'Execution', 'Environment', 'Title'],
            jobs.map((j) => [j.id, j.kind, j.state, j.step, j.executionId ?? '-', j.environmentName, j.title]),
          ),
        );
      }
      return EXIT.ok;
    });
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Continue interrupted jobs from the step they were in',
  usage: RESUME_USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { wait: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      { positionals: true },
    );
    return withClient(io, async (client) => {
      const all = await client.call('jobs.list', {});
      const chosen = positionals.length
        ? all.filter((j) => positionals.includes(j.id))
        : all.filter(
            (j) => j.state === 'queued' || j.state === 'running' || (j.state === 'waiting' && j.step !== 'pause'),
          );
      if (positionals.length && chosen.length !== positionals.length)
        throw new UsageError('Unknown job id (see `dmfw jobs`).');
      if (chosen.length === 0) {
        io.stdout('No interrupted job.\n');
        return EXIT.ok;
      }
      let worst: number = EXIT.ok;
      for (const job of chosen) {
        const resumed = await client.call('jobs.resume', { jobId: job.id });
        if (resumed.kind === 'import' && values.wait) {
          const code = await finishImport(client, io, resumed, {
            wait: true,
            json: values.json,
            environmentId: resumed.environmentId,
          });
          if (code !== EXIT.ok) worst = code;
          continue;
        }
        const ended = await followJob(client, io, resumed, values.wait ? undefined : (j) => j.state !== 'queued');
        io.stdout(`${ended.id}: ${ended.state}${ended.error ? ` (${ended.error.message})` : ''}\n`);
        if (ended.state === 'failed' || ended.state === 'partially-succeeded') worst = EXIT.findings;
      }
      return worst;
    });
  },
};

export const reimportCommand: Command = {
  name: 'reimport',
  summary: 'Re-import only the failed rows of an import, once fixed',
  usage: REIMPORT_USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        wait: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'confirm-prod': { type: 'string' },
      },
      { positionals: true },
    );
    if (positionals.length !== 1) throw new UsageError('Give the id of the import job (see `dmfw jobs`).');
    return withClient(io, async (client) => {
      const started = await client.call('jobs.reimportFailed', {
        jobId: positionals[0] as string,
        ...(values['confirm-prod'] ? { confirmProduction: values['confirm-prod'] } : {}),
      });
      // Rows a later job imported are never sent twice: say which were left out, and why.
      for (const left of started.leftOut) io.stderr(`${left.message}\n`);
      return finishImport(client, io, started, {
        wait: values.wait,
        json: values.json,
        environmentId: started.environmentId,
      });
    });
  },
};
