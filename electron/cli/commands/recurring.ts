import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { followJob, withClient } from '../session';
import { jsonText } from './text';

const ENQUEUE_USAGE = `Usage: dmfw enqueue <file> --env <name> --activity <recurring job id> [--entity <name>] [--company <id>]
                    [--wait] [--confirm-prod <name>] [--json]

Sends a data file (with --entity) or a data package (without) to a recurring import job, and with
--wait follows its message status to the end.
`;

const DEQUEUE_USAGE = `Usage: dmfw dequeue --env <name> --activity <recurring job id> --out <dir> [--all] [--json]

Takes the next exported package of a recurring export job, saves it in the folder and acknowledges
it. With --all, repeats until nothing is queued. Exit code 0 also when nothing was queued.
`;

export const enqueueCommand: Command = {
  name: 'enqueue',
  summary: 'Send a file or package to a recurring import job',
  usage: ENQUEUE_USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        env: { type: 'string' },
        activity: { type: 'string' },
        entity: { type: 'string' },
        company: { type: 'string' },
        wait: { type: 'boolean', default: false },
        'confirm-prod': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { positionals: true },
    );
    if (positionals.length !== 1) throw new UsageError('Give one file or package to enqueue.');
    if (!values.env || !values.activity) throw new UsageError('--env and --activity are required.');
    return withClient(io, async (client) => {
      const started = await client.call('jobs.startEnqueue', {
        environmentId: values.env as string,
        activityId: values.activity as string,
        file: positionals[0] as string,
        ...(values.entity ? { entity: values.entity } : {}),
        ...(values.company ? { company: values.company } : {}),
        ...(values['confirm-prod'] ? { confirmProduction: values['confirm-prod'] } : {}),
      });
      const job = await followJob(
        client,
        io,
        started,
        values.wait ? undefined : (j) => j.messageId !== null || j.state === 'failed',
      );
      if (values.json) io.stdout(jsonText(job));
      else if (job.messageId)
        io.stdout(
          `Message ${job.messageId}${values.wait ? `: ${job.state}${job.executionId ? ` (execution ${job.executionId})` : ''}` : ' enqueued'}\n`,
        );
      if (job.state === 'failed') io.stderr(`dmfw enqueue: ${job.error?.message ?? 'failed'}\n`);
      return job.state === 'failed' || job.state === 'partially-succeeded' ? EXIT.findings : EXIT.ok;
    });
  },
};

export const dequeueCommand: Command = {
  name: 'dequeue',
  summary: 'Download and acknowledge the exports of a recurring export job',
  usage: DEQUEUE_USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, {
      env: { type: 'string' },
      activity: { type: 'string' },
      out: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (!values.env || !values.activity || !values.out)
      throw new UsageError('--env, --activity and --out are required.');
    return withClient(io, async (client) => {
      const files: string[] = [];
      for (;;) {
        const started = await client.call('jobs.startDequeue', {
          environmentId: values.env as string,
          activityId: values.activity as string,
          outDir: values.out as string,
        });
        const job = await followJob(client, io, started);
        if (job.state !== 'succeeded') {
          io.stderr(`dmfw dequeue: ${job.error?.message ?? job.state}\n`);
          return EXIT.findings;
        }
        if (!job.output) break;
        files.push(job.output);
        if (!values.all) break;
      }
      if (values.json) io.stdout(jsonText({ files }));
      else
        io.stdout(
          files.length ? `${files.map((f) => `Saved and acknowledged ${f}`).join('\n')}\n` : 'Nothing is queued.\n',
        );
      return EXIT.ok;
    });
  },
};
