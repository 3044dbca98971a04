import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { followJob, withClient } from '../session';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw export --env <name> --project <data project> --out <package.zip> [--company <legal entity>]
                   [--incremental] [--entities "<label>,…"] [--json]

Exports a data project to a package file: ExportToPackage, waits for it, downloads the package
(size-checked) and lists what it holds.

  --incremental         only what changed since the project's last export (entities set to
                        Incremental push; the first run is a full push)
  --entities "<a>,<b>"  create the data project with these entities when it does not exist
  --json                print the job as JSON
`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a data project to a package file (full or incremental)',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, {
      env: { type: 'string' },
      project: { type: 'string' },
      company: { type: 'string' },
      out: { type: 'string' },
      incremental: { type: 'boolean', default: false },
      entities: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    for (const required of ['env', 'project', 'out'] as const) {
      if (!values[required]) throw new UsageError(`--${required} is required.`);
    }
    return withClient(io, async (client) => {
      const started = await client.call('jobs.startExport', {
        environmentId: values.env as string,
        dataProject: values.project as string,
        outFile: values.out as string,
        incremental: values.incremental,
        ...(values.company ? { company: values.company } : {}),
        ...(values.entities ? { entities: splitList(values.entities) } : {}),
      });
      const job = await followJob(client, io, started);
      if (values.json) io.stdout(jsonText(job));
      else if (job.state === 'succeeded' || job.state === 'partially-succeeded') {
        io.stdout(`Exported ${job.executionId} to ${job.output}\n\n`);
        io.stdout(
          table(
            ['Entity', 'Rows'],
            job.entities.map((e) => [e.label, String(e.stagingRecords)]),
          ),
        );
      } else io.stderr(`dmfw export: ${job.error?.message ?? job.state}\n`);
      return job.state === 'succeeded' ? EXIT.ok : EXIT.findings;
    });
  },
};

/** "Customer groups, Customers V3" → ['Customer groups', 'Customers V3']. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
