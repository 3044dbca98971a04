import { resolve } from 'node:path';
import { parseDelimiter } from '../../../shared/domain/dialects/csvDialect';
import { SOURCE_FORMATS, normalizeSourceFormat } from '../../../shared/domain/package/formats';
import { pack } from '../../services/packages/pack';
import type { PackResult } from '../../services/packages/pack';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { createProgress } from '../progress';
import { catalogFor } from './catalogSource';
import { table } from './text';

const USAGE = `Usage: dmfw pack --out <package.zip> --entity "<label>=<file>" [...]
                 [--format ${SOURCE_FORMATS.join('|')}] [--definition-group <name>]
                 [--auto-sequence] [--split-mb <n>] [--no-validate]
                 [--encoding <name>] [--delimiter <,|;|tab|||>] [--metadata <folder> | --env <environment>]

Builds a data package F&O imports: one data file per entity (named after the entity label), the
manifest with each column mapped to its staging field, and the package header. Rows are validated
against the entity catalog while they are packed; errors stop the package from being written.

  --entity "<label>=<file>"   an entity and its source file (.csv, .txt, .tsv, .xlsx, .xml); repeatable
  --format <format>           format of the data files (default: from each file's extension; .csv → CSV)
  --definition-group <name>   data project name (default: the package file's name)
  --auto-sequence             execution units, levels and sequences from the entities' references
                              (default: 1.1.1, 1.1.2, … in the order given)
  --split-mb <n>              start a new package (name-2.zip, …) when a data file reaches n MB
  --no-validate               write the package even if rows break the catalog's rules
  --encoding <name>           encoding of the source files (default: detected)
  --delimiter <d>             column delimiter of CSV sources (default: detected)
  --metadata <folder>         use an environment's saved metadata instead of the built-in catalog
  --env <environment>         use that environment's latest metadata snapshot (\`dmfw metadata pull\`)

Exit code 1 when validation finds errors (nothing is written), 2 for usage or unreadable input.
`;

export const packCommand: Command = {
  name: 'pack',
  summary: 'Build a data package from files: mapping, validation, sequencing',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        out: { type: 'string' },
        entity: { type: 'string', multiple: true, default: [] },
        format: { type: 'string' },
        'definition-group': { type: 'string' },
        'auto-sequence': { type: 'boolean', default: false },
        'split-mb': { type: 'string' },
        'no-validate': { type: 'boolean', default: false },
        encoding: { type: 'string' },
        delimiter: { type: 'string' },
        metadata: { type: 'string' },
        env: { type: 'string' },
      },
      { positionals: true },
    );
    if (positionals.length > 0)
      throw new UsageError(`Unexpected argument "${positionals[0]}". Give files with --entity "<label>=<file>".`);
    if (!values.out) throw new UsageError('Name the package to write with --out <package.zip>.');
    if (values.entity.length === 0) throw new UsageError('Give at least one --entity "<label>=<file>".');
    const entities = values.entity.map((spec) => {
      const eq = spec.lastIndexOf('=');
      const entity = spec.slice(0, eq).trim();
      const file = spec.slice(eq + 1).trim();
      if (eq <= 0 || entity === '' || file === '') {
        throw new UsageError(
          `--entity takes "<label>=<file>", e.g. --entity "Customers V3=customers.csv"; not "${spec}".`,
        );
      }
      return { entity, file: resolve(io.cwd, file) };
    });
    const format = values.format === undefined ? undefined : normalizeSourceFormat(values.format);
    if (values.format !== undefined && !format) {
      throw new UsageError(`--format must be one of ${SOURCE_FORMATS.join(', ')}; not "${values.format}".`);
    }
    const splitMb = values['split-mb'] === undefined ? undefined : Number(values['split-mb']);
    if (splitMb !== undefined && (!Number.isInteger(splitMb) || splitMb < 1 || splitMb > 5000)) {
      throw new UsageError(`--split-mb must be a whole number of MB from 1 to 5000, not "${values['split-mb']}".`);
    }
    const delimiter = values.delimiter === undefined ? undefined : parseDelimiter(values.delimiter);
    if (values.delimiter !== undefined && !delimiter) {
      throw new UsageError(`--delimiter must be , ; | : or tab, not "${values.delimiter}".`);
    }
    const catalog = await catalogFor(values, io);
    const progress = createProgress(io);
    let result: PackResult;
    try {
      result = await pack({
        out: resolve(io.cwd, values.out),
        entities,
        catalog,
        ...(format ? { format } : {}),
        ...(values['definition-group'] ? { definitionGroup: values['definition-group'] } : {}),
        autoSequence: values['auto-sequence'],
        ...(splitMb === undefined ? {} : { splitMb }),
        validate: !values['no-validate'],
        ...(values.encoding ? { encoding: values.encoding } : {}),
        ...(delimiter ? { delimiter } : {}),
        onProgress: ({ entity, bytesRead, total }) => progress.update(entity, bytesRead, total),
        onNotice: (message) => {
          progress.end();
          io.stderr(`${message}\n`);
        },
      });
    } finally {
      progress.end();
    }
    io.stdout(packText(result, values.out));
    return result.packages.length === 0 ? EXIT.findings : EXIT.ok;
  },
};

/** Findings printed in full; the rest are counted. */
const SHOWN_FINDINGS = 20;

function packText(result: PackResult, out: string): string {
  const lines: string[] = [];
  const rows = result.entities.map((e) => [
    `${e.placement.executionUnit}.${e.placement.level}.${e.placement.sequence}`,
    e.label,
    e.targetEntity ?? '',
    e.format,
    e.file,
    e.rows.toLocaleString('en-US'),
    String(e.maps.length),
  ]);
  lines.push(table(['U.L.S', 'Entity', 'Target entity', 'Format', 'Data file', 'Rows', 'Fields'], rows));
  for (const p of result.plan?.placements ?? []) lines.push(`${p.label}: ${p.reason}`);
  for (const c of result.plan?.cycles ?? []) lines.push(`Cycle: ${c.message}`);
  for (const w of result.plan?.warnings ?? []) lines.push(`Sequencing: ${w}`);
  if (result.errors + result.warnings > 0) {
    lines.push(
      '',
      `Validation: ${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'}`,
    );
    for (const f of result.findings.slice(0, SHOWN_FINDINGS)) {
      lines.push(
        `  ${f.severity.padEnd(7)} ${f.entity}${f.row > 0 ? `, row ${f.row}` : ''}${f.column ? `, ${f.column}` : ''}: ${f.message} [${f.source}]`,
      );
    }
    const hidden = result.errors + result.warnings - Math.min(result.findings.length, SHOWN_FINDINGS);
    if (hidden > 0) lines.push(`  … and ${hidden.toLocaleString('en-US')} more (dmfw validate lists them all).`);
  }
  lines.push(
    '',
    result.packages.length === 0
      ? `Nothing written: fix the errors above, or pack with --no-validate to write ${out} anyway.`
      : `Wrote ${result.packages.join(', ')}${result.packages.length > 1 ? ' (import them in this order)' : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
