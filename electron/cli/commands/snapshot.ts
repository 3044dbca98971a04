import type { ReferenceSnapshotSummary } from '../../../shared/api/domains/catalog';
import { snapshotAge } from '../../../shared/domain/catalog/age';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { withClient } from '../session';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw snapshot pull --env <environment> --company <legal entity> [--entities "<label>,<label>"] [--json]
       dmfw snapshot list --env <environment> [--company <legal entity>] [--json]

pull reads the keys of the entities packages refer to (customer groups, currencies, payment terms…)
in one legal entity of the environment over OData (paged, key fields only, throttling waited out)
and saves them with their date. From then on \`dmfw validate --env\` and \`dmfw lint --env\` check
references against the package plus this snapshot, offline, and say which snapshot each check used.
Without --entities, every entity the catalog's entities refer to is read. list shows the saved
snapshots and their age; pull again to refresh.

  --env <environment>    the environment (name or id; see \`dmfw envs\`)
  --company <id>         the legal entity (dataAreaId) whose keys are read, e.g. USMF
  --entities "<labels>"  only these entities, comma-separated ("Customer groups,Currencies")
  --json                 print JSON
`;

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: "Pull the keys of referenced entities from an environment's legal entity, to check references offline",
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseOptions(
      rest,
      {
        env: { type: 'string' },
        company: { type: 'string' },
        entities: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { positionals: true },
    );
    if (sub !== 'pull' && sub !== 'list')
      throw new UsageError('Say what to do: dmfw snapshot pull|list --env <environment>.');
    if (positionals.length > 0) throw new UsageError(`Unexpected "${positionals[0]}".`);
    if (!values.env) throw new UsageError('--env <environment> is required (see `dmfw envs`).');
    const env = values.env;
    if (sub === 'list') {
      if (values.entities) throw new UsageError('--entities goes with pull.');
      return withClient(io, async (client) => {
        const { snapshots } = await client.call('catalog.referenceSnapshots', {
          environmentId: env,
          ...(values.company ? { company: values.company } : {}),
        });
        if (values.json) io.stdout(jsonText(snapshots));
        else if (snapshots.length === 0)
          io.stdout(
            `No reference snapshot of ${env} yet. Pull one with: dmfw snapshot pull --env "${env}" --company <legal entity>\n`,
          );
        else
          io.stdout(
            table(
              ['Legal entity', 'Pulled', 'Age', 'Entities', 'Keys'],
              snapshots.map((s) => [
                s.company,
                s.pulledAt,
                snapshotAge(s.pulledAt, Date.now()),
                String(s.entities.length),
                s.entities.reduce((n, e) => n + e.keys, 0).toLocaleString('en-US'),
              ]),
            ),
          );
        return EXIT.ok;
      });
    }
    if (!values.company) throw new UsageError('--company <legal entity> is required: the keys of which legal entity?');
    const company = values.company;
    const entities = values.entities
      ?.split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    return withClient(io, async (client) => {
      let last = 0;
      const off = client.on('catalog.referencesProgress', (p) => {
        const now = Date.now();
        if (now - last < (io.interactive ? 200 : 5000)) return;
        last = now;
        const line = `Reading ${p.entity} (${p.done + 1} of ${p.total}): ${p.keys.toLocaleString('en-US')} keys`;
        io.stderr(io.interactive ? `\r${line.padEnd(72)}` : `${line}\n`);
      });
      let summary: ReferenceSnapshotSummary;
      try {
        summary = await client.call('catalog.pullReferences', {
          environmentId: env,
          company,
          ...(entities?.length ? { entities } : {}),
        });
      } finally {
        off();
        if (io.interactive && last > 0) io.stderr('\n');
      }
      if (values.json) io.stdout(jsonText(summary));
      else {
        const lines = [
          `Saved ${summary.label}: ${summary.entities.length} entities.`,
          ...summary.entities.map(
            (e) =>
              `  ${e.entity.padEnd(40)} ${e.keys.toLocaleString('en-US').padStart(9)} keys (${e.fields.join(', ')})`,
          ),
          `References are checked against it with: dmfw validate|lint … --env "${summary.environmentName}" --company ${summary.company}`,
        ];
        io.stdout(`${lines.join('\n')}\n`);
      }
      return EXIT.ok;
    });
  },
};
