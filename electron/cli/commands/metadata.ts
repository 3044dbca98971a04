import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MetadataSnapshotSummary } from '../../../shared/api/domains/catalog';
import { snapshotAge } from '../../../shared/domain/catalog/age';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { createProgress } from '../progress';
import { withClient } from '../session';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw metadata pull --env <environment> [--out <folder>] [--json]
       dmfw metadata list --env <environment> [--json]

pull downloads the environment's metadata (/data/$metadata, /Metadata/DataEntities,
/Metadata/PublicEnumerations, /Metadata/Labels where served, and its version where it says) and
saves it in the workbench's data folder with its date and hashes. From then on every command
given --env <environment> (catalog, validate, lint, inspect, pack, sequence) and the app use it
offline. It also says which staging fields the workbench knows matched no OData property.
list shows the saved snapshots and their age; pull again to refresh.

  --env <environment>  the environment (name or id; see \`dmfw envs\`)
  --out <folder>       also copy the snapshot there (a folder \`--metadata <folder>\` reads)
  --json               print JSON
`;

export const metadataCommand: Command = {
  name: 'metadata',
  summary: "Pull an environment's metadata once and use it offline; list the saved snapshots",
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseOptions(
      rest,
      { env: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } },
      { positionals: true },
    );
    if (sub !== 'pull' && sub !== 'list')
      throw new UsageError('Say what to do: dmfw metadata pull|list --env <environment>.');
    if (positionals.length > 0) throw new UsageError(`Unexpected "${positionals[0]}".`);
    if (!values.env) throw new UsageError('--env <environment> is required (see `dmfw envs`).');
    const env = values.env;
    if (sub === 'list') {
      if (values.out) throw new UsageError('--out goes with pull.');
      return withClient(io, async (client) => {
        const { snapshots } = await client.call('catalog.metadataSnapshots', { environmentId: env });
        if (values.json) io.stdout(jsonText(snapshots.map(snapshotJson)));
        else if (snapshots.length === 0)
          io.stdout(`No metadata snapshot of ${env} yet. Pull one with: dmfw metadata pull --env "${env}"\n`);
        else
          io.stdout(
            table(
              ['Pulled', 'Age', 'Entities', 'Version', 'Hash', 'Folder'],
              snapshots.map((s) => [
                s.pulledAt,
                snapshotAge(s.pulledAt, Date.now()),
                s.entities.toLocaleString('en-US'),
                s.version.application ?? '-',
                s.hash.slice(0, 12),
                s.folder,
              ]),
            ),
          );
        return EXIT.ok;
      });
    }
    return withClient(io, async (client) => {
      const progress = createProgress(io);
      const off = client.on('catalog.metadataProgress', (p) => {
        if (p.phase === 'download' && p.document)
          progress.update(`Downloading ${p.document}`, p.bytes, p.total ?? undefined);
      });
      let snapshot: MetadataSnapshotSummary;
      try {
        snapshot = await client.call('catalog.pullMetadata', { environmentId: env });
      } finally {
        off();
        progress.end();
      }
      const out = values.out === undefined ? null : resolve(io.cwd, values.out);
      if (out) await copyFolder(snapshot.folder, out);
      io.stdout(
        values.json ? jsonText({ ...snapshotJson(snapshot), ...(out ? { out } : {}) }) : pullText(snapshot, out),
      );
      return EXIT.ok;
    });
  },
};

async function copyFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) await copyFile(join(from, name), join(to, name));
}

function snapshotJson(s: MetadataSnapshotSummary) {
  return {
    environment: s.environmentName,
    pulledAt: s.pulledAt,
    label: s.label,
    version: s.version,
    entities: s.entities,
    enums: s.enums,
    hash: s.hash,
    folder: s.folder,
    documents: s.documents,
    matching: s.matching,
    notes: s.notes,
    notesTotal: s.notesTotal,
  };
}

/** What a consultant wants to know after a pull: what was saved, and what did not match. */
export function pullText(s: MetadataSnapshotSummary, out: string | null): string {
  const lines = [
    `Saved ${s.label}: ${s.entities.toLocaleString('en-US')} entities, ${s.enums.toLocaleString('en-US')} enums` +
      (s.version.application ? `, application ${s.version.application}` : '') +
      (s.version.platform ? `, platform ${s.version.platform}` : '') +
      '.',
    ...s.documents.map(
      (d) => `  ${d.file.padEnd(24)} ${(d.bytes / 2 ** 20).toFixed(1).padStart(7)} MB  sha256 ${d.sha256}`,
    ),
    `  in ${s.folder}`,
  ];
  if (out) lines.push(`  copied to ${out}`);
  if (!s.version.application && !s.version.platform) lines.push(`${s.environmentName} did not say its version.`);
  const m = s.matching;
  const unmatched = m.unmatched.reduce((n, u) => n + u.fields.length, 0);
  lines.push(
    `Staging fields the workbench knows: ${m.fieldsMatched.toLocaleString('en-US')} matched an OData property of ${m.entitiesMatched} entities; ${unmatched} did not.`,
  );
  for (const u of m.unmatched.slice(0, 20)) lines.push(`  ${u.entity}: ${u.fields.join(', ')}`);
  if (m.unmatched.length > 20) lines.push(`  … and ${m.unmatched.length - 20} more entities (see --json).`);
  if (m.missingEntities.length > 0) {
    const shown = m.missingEntities.slice(0, 10).join(', ');
    lines.push(
      `${m.missingEntities.length} built-in ${m.missingEntities.length === 1 ? 'entity is' : 'entities are'} not in ${s.environmentName} (or not enabled for data management): ${shown}${m.missingEntities.length > 10 ? ', …' : ''}.`,
    );
  }
  if (s.notesTotal > 0)
    lines.push(`${s.notesTotal} note${s.notesTotal === 1 ? '' : 's'} from reading the metadata (see --json).`);
  lines.push(`Use it offline with --env "${s.environmentName}" (validate, lint, inspect, pack, catalog, sequence).`);
  return `${lines.join('\n')}\n`;
}
