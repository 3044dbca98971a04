import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { followJob, withClient } from '../session';
import { splitList } from './export';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw copy --from <env[:company]> --to <env[:company]> --entities "<label>,…" [--dry-run]
                 [--insert-only] [--confirm-prod <name>] [--json]

Configuration copy: exports the entities from one environment (or legal entity), remaps the legal
entity, compares them with what the target holds (new / changed / same per entity), imports them
into the target and checks that they arrived.

  --from "Contoso UAT:USMF"   source environment and legal entity (default: its default company)
  --to "Local emulator:DEMF"  target environment and legal entity
  --entities "<a>,<b>"        entity labels to copy
  --dry-run                   stop after the diff; nothing is imported
  --insert-only               copy only records the target does not have; never change an existing one
  --confirm-prod <name>       required when the target is tagged PROD: its exact name
`;

function endpoint(text: string): { environmentId: string; company?: string } {
  const at = text.lastIndexOf(':');
  // "https://…" style names are not expected; a colon followed by 1–4 letters/digits is a company.
  if (at > 0 && /^[A-Za-z0-9]{1,4}$/.test(text.slice(at + 1))) {
    return { environmentId: text.slice(0, at), company: text.slice(at + 1) };
  }
  return { environmentId: text };
}

export const copyCommand: Command = {
  name: 'copy',
  summary: 'Copy configuration between environments or legal entities, with a diff',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      entities: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'insert-only': { type: 'boolean', default: false },
      'confirm-prod': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    for (const required of ['from', 'to', 'entities'] as const) {
      if (!values[required]) throw new UsageError(`--${required} is required.`);
    }
    const entities = splitList(values.entities as string);
    if (entities.length === 0) throw new UsageError('--entities lists no entity.');
    return withClient(io, async (client) => {
      const started = await client.call('jobs.startCopy', {
        from: endpoint(values.from as string),
        to: endpoint(values.to as string),
        entities,
        review: values['dry-run'],
        insertOnly: values['insert-only'],
        ...(values['confirm-prod'] ? { confirmProduction: values['confirm-prod'] } : {}),
      });
      let job = await followJob(client, io, started);
      if (values['dry-run'] && job.state === 'waiting') job = await client.call('jobs.cancel', { jobId: job.id });
      if (values.json) io.stdout(jsonText(job));
      else {
        if (job.diff) {
          io.stdout(
            table(
              ['Entity', 'New', 'Changed', 'Same', 'Sent', 'Verified'],
              job.diff.map((d) => [
                d.label,
                String(d.new),
                String(d.changed),
                String(d.same),
                d.sent === null || d.sent === undefined ? '-' : String(d.sent),
                d.verified === null ? '-' : String(d.verified),
              ]),
            ),
          );
        }
        // A dry run ends by cancelling its own job: that is no error, but a failure before the diff is.
        if (job.error && job.state !== 'cancelled') io.stderr(`dmfw copy: ${job.error.message}\n`);
        else if (values['dry-run'] && job.diff)
          io.stdout('Dry run: nothing was imported. Run it again without --dry-run to copy.\n');
      }
      if (values['dry-run']) return job.diff ? EXIT.ok : EXIT.findings;
      return job.state === 'succeeded' ? EXIT.ok : EXIT.findings;
    });
  },
};
