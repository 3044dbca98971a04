import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Client } from '../../../shared/api/client';
import type { JobSummary } from '../../../shared/api/domains/jobs';
import { PROJECT_FILE } from '../../services/projects/projectService';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import type { CliIo } from '../io';
import { parseOptions } from '../options';
import { followJob, reportJson, reportText, withClient } from '../session';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw import <package.zip|project-dir> [--env <name>] [--project <data project>] [--company <legal entity>]
                   [--wait] [--json] [--staging-only] [--keep-definition] [--confirm-prod <name>]

Imports a data package, or builds one from a workbench project folder and imports it: uploads it
(resumable), calls ImportFromPackage once, and with --wait follows the execution to the end and
maps every staging and target error back to its source file and row.

  --env <name>            the environment (default for a project folder: the environment its
                          dmfw-project.json is bound to; required for a package)
  --project <name>        the data project (definition group) to import into (default: the
                          project folder's binding; required for a package)
  --company <id>          legal entity (default: the project's, else the environment's)
  --wait                  wait for the end and report; without it the command returns once F&O
                          has the import (follow it with \`dmfw status <execution id> --env <name>\`)
  --staging-only          execute=false: stop at staging
  --keep-definition       overwrite=false: keep the data project's entities and mapping as they are
  --confirm-prod <name>   required to write to an environment tagged PROD: its exact name
  --json                  print {executionId, status, entities, errors} (sourceRow is the 1-based data row)

Exit code 0 when the import succeeded, 1 when it partially succeeded or failed.
`;

export const importCommand: Command = {
  name: 'import',
  summary: 'Import a package or a workbench project into an environment (errors mapped to source rows)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        env: { type: 'string' },
        project: { type: 'string' },
        company: { type: 'string' },
        wait: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'staging-only': { type: 'boolean', default: false },
        'keep-definition': { type: 'boolean', default: false },
        'confirm-prod': { type: 'string' },
      },
      { positionals: true },
    );
    if (positionals.length !== 1)
      throw new UsageError('Give one package (.zip) or workbench project folder to import.');
    const source = resolve(io.cwd, positionals[0] as string);
    return withClient(io, async (client) => {
      const environmentId = values.env ?? (await boundEnvironment(client, source));
      const started = await client.call('jobs.startImport', {
        environmentId,
        source,
        ...(values.project ? { dataProject: values.project } : {}),
        ...(values.company ? { company: values.company } : {}),
        execute: !values['staging-only'],
        overwrite: !values['keep-definition'],
        ...(values['confirm-prod'] ? { confirmProduction: values['confirm-prod'] } : {}),
      });
      return finishImport(client, io, started, { wait: values.wait, json: values.json, environmentId });
    });
  },
};

/**
 * The environment a workbench project is bound to (its dmfw-project.json), when --env is not
 * given. A package, or a project bound to none, needs --env.
 */
async function boundEnvironment(client: Client, source: string): Promise<string> {
  const isProject = await stat(join(source, PROJECT_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isProject) throw new UsageError('--env is required for a data package (see `dmfw envs`).');
  const { document } = await client.call('projects.open', { dir: source });
  if (!document.binding.environment) {
    throw new UsageError(
      `--env is required: the project "${document.name}" is bound to no environment. Give --env, or bind it ` +
        'in the Package area (it is then written to dmfw-project.json).',
    );
  }
  return document.binding.environment;
}

/** Follows an import job (to the end with --wait, else until F&O has it) and reports it. */
export async function finishImport(
  client: Client,
  io: CliIo,
  started: JobSummary,
  options: { wait: boolean; json: boolean; environmentId: string },
): Promise<number> {
  const submitted = (j: JobSummary) =>
    ['poll', 'results', 'done'].includes(j.step) || j.state === 'failed' || j.state === 'cancelled';
  const job = await followJob(client, io, started, options.wait ? undefined : submitted);
  if (job.state === 'failed' && job.step !== 'done') {
    io.stderr(`dmfw import: ${job.error?.message ?? 'the import failed'}\n`);
    // Stopped after F&O took the import (the environment stopped answering while we polled):
    // importing again would run it twice; resuming follows the same execution.
    if (job.step === 'poll' || job.step === 'results') {
      io.stderr(
        `F&O has import ${job.executionId ?? ''}: do not import again. Once ${job.environmentName} answers, ` +
          `follow it with: dmfw resume ${job.id} --wait\n`,
      );
    }
    return EXIT.findings;
  }
  const executionId = job.executionId as string;
  if (!options.wait) {
    if (options.json)
      io.stdout(jsonText({ executionId, status: job.executionStatus ?? 'NotRun', entities: [], errors: [] }));
    else
      io.stdout(
        `Import ${executionId} is with F&O. Follow it with: dmfw status ${executionId} --env "${job.environmentName}"\n`,
      );
    return job.state === 'failed' ? EXIT.findings : EXIT.ok;
  }
  const report = await client.call('jobs.status', {
    environmentId: options.environmentId,
    executionId,
    limit: 100_000,
  });
  io.stdout(options.json ? reportJson(report) : reportText(report, table));
  if (!options.json && report.errorCount)
    io.stdout(`Failed rows: ${job.output ?? ''}\nRe-import them once fixed: dmfw reimport ${job.id} --wait\n`);
  return job.state === 'succeeded' ? EXIT.ok : EXIT.findings;
}
