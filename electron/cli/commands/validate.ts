import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UnknownEntityError } from '../../../shared/domain/catalog';
import type { CatalogEntity } from '../../../shared/domain/catalog';
import { createValidationSession, mapColumns } from '../../../shared/domain/validation';
import type { Finding, ValidationSummary, ValueFormats } from '../../../shared/domain/validation';
import { dataFileKind } from '../../../shared/domain/package/formats';
import { openRowReader } from '../../services/sources/dataFiles';
import { InputFileError } from '../../services/sources/inputError';
import { fileSource } from '../../services/sources/rows';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import type { CliIo } from '../io';
import { parseOptions } from '../options';
import { catalogFor, latestReferenceSnapshot } from './catalogSource';
import { jsonText } from './text';

const USAGE = `Usage: dmfw validate --entity "<entity>" <file> [--metadata <folder> | --env <environment> [--company <id>]] [--date-order MDY|DMY|YMD]
                     [--decimal . | ,] [--json]
       dmfw validate <project folder> [--metadata <folder> | --env <environment> [--company <id>]] [--date-order …] [--decimal …] [--json]

Checks a data file against the entity's staging fields before it goes to F&O: mandatory fields,
types (whole and decimal numbers, dates, times, GUIDs, enum names or labels, Yes/No), lengths,
duplicate keys (trimmed, case-insensitive, as DMF compares them) and references inside the file.
Each finding names the data row (1 = the first row after the header), the column and how to fix it.
Given a workbench project folder (with dmfw-project.json), checks every enabled entity's file with
the project's sheet and mapping, and references between the project's entities.

  --entity "<entity>"   entity label ("Customers V3"), target entity or public name
  --metadata <folder>   validate against an environment's saved metadata instead of the built-in catalog
  --env <environment>   use that environment's latest metadata snapshot (\`dmfw metadata pull\`)
                        and its latest reference snapshot of the legal entity (\`dmfw snapshot pull\`)
  --company <id>        the legal entity of that reference snapshot (default: the environment's)
  --date-order <order>  day/month/year order of slashed or dotted dates (default MDY; ISO dates always work)
  --decimal <char>      decimal separator of numbers (default .)
  --json                print JSON: { entity, file, summary, findings }; for a project
                        { project, entities: [{ entity, file, summary, findings }] }

Exit code 1 when there are errors (warnings alone exit 0), 2 when the file cannot be read.
`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a data file against its entity: mandatory, types, lengths, keys, references',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        entity: { type: 'string' },
        metadata: { type: 'string' },
        env: { type: 'string' },
        company: { type: 'string' },
        'date-order': { type: 'string' },
        decimal: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { positionals: true },
    );
    if (positionals.length !== 1) throw new UsageError(`Give exactly one data file, not ${positionals.length}.`);
    const file = resolve(io.cwd, positionals[0] ?? '');
    if (values.entity === undefined && (await isProjectFolder(file))) {
      const formats = valueFormats(values['date-order'], values.decimal);
      const catalog = await catalogFor(values, io);
      const snapshot = await referencesFor(values, io);
      const { validateProject } = await import('./validateProject');
      const checked = await validateProject(file, catalog, formats, io, snapshot ?? undefined);
      io.stdout(
        values.json ? jsonText(checked) : checked.entities.map((e) => report(e.file, e.summary, e.findings)).join('\n'),
      );
      const failing = checked.entities.some(
        (e) => e.summary.errors > 0 || e.findings.some((f) => f.severity === 'error'),
      );
      return failing ? EXIT.findings : EXIT.ok;
    }
    if (values.entity === undefined) {
      throw new UsageError('Name the entity: --entity "Customers V3" (or give a workbench project folder).');
    }
    const kind = dataFileKind(null, file);
    if (kind === undefined) {
      throw new UsageError(`${file}: give a CSV (.csv, .txt, .tsv), Excel (.xlsx) or XML (.xml) data file.`);
    }
    const formats = valueFormats(values['date-order'], values.decimal);
    const catalog = await catalogFor(values, io);
    let entity: CatalogEntity;
    try {
      entity = catalog.requireEntity(values.entity);
    } catch (error) {
      if (error instanceof UnknownEntityError) throw new UsageError(error.message);
      throw error;
    }

    const snapshot = await referencesFor(values, io);
    const session = createValidationSession({
      catalog,
      packageEntities: [entity.label],
      packageLabel: 'this file',
      formats,
      ...(snapshot ? { snapshot } : {}),
    });
    const findings: Finding[] = [];
    let validator: ReturnType<typeof session.validator>;
    try {
      const reader = await openRowReader(await fileSource(file), kind);
      if (reader.columns.length === 0) {
        await reader.close();
        throw new UsageError(`${file}: is empty: a data file starts with a header row of staging field names.`);
      }
      validator = session.validator(entity.label, mapColumns(reader.columns, entity));
      for await (const batch of reader) {
        findings.push(...validator.validateRows(batch.rows, batch.firstRow));
        if (io.interactive) io.stderr(`\rvalidated ${validator.summary().rows.toLocaleString('en-US')} rows`);
      }
    } catch (error) {
      if (error instanceof InputFileError) throw new UsageError(error.message);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${file}: does not exist.`);
      throw error;
    }
    if (io.interactive) io.stderr('\n');
    const done = validator;
    findings.push(...done.finish());
    for (const late of session.finish()) findings.push(...late.findings);
    const all = [...done.headerFindings, ...findings.sort((a, b) => a.row - b.row)];
    const summary = done.summary();
    io.stdout(
      values.json ? jsonText({ entity: entity.label, file, summary, findings: all }) : report(file, summary, all),
    );
    return summary.errors > 0 ? EXIT.findings : EXIT.ok;
  },
};

/** With --env, the environment's latest reference snapshot of --company (default: its own legal entity). */
async function referencesFor(values: { env?: string | undefined; company?: string | undefined }, io: CliIo) {
  if (values.company !== undefined && values.env === undefined)
    throw new UsageError('--company goes with --env: the reference snapshot of that legal entity.');
  return values.env === undefined ? null : latestReferenceSnapshot(values.env, values.company, io);
}

/** A workbench project folder (dmfw-project.json, named here: the projects service loads on demand). */
async function isProjectFolder(path: string): Promise<boolean> {
  return stat(join(path, 'dmfw-project.json')).then(
    (s) => s.isFile(),
    () => false,
  );
}

function valueFormats(dateOrder: string | undefined, decimal: string | undefined): ValueFormats {
  const order = (dateOrder ?? 'MDY').toUpperCase();
  if (order !== 'MDY' && order !== 'DMY' && order !== 'YMD')
    throw new UsageError(`--date-order takes MDY, DMY or YMD, not "${dateOrder}".`);
  const separator = decimal ?? '.';
  if (separator !== '.' && separator !== ',') throw new UsageError(`--decimal takes "." or ",", not "${decimal}".`);
  return { dateOrder: order, decimalSeparator: separator };
}

function report(file: string, summary: ValidationSummary, findings: readonly Finding[]): string {
  const lines = findings.map((f) => {
    const where = f.row === 0 ? 'header' : `row ${f.row}`;
    return `${f.severity === 'error' ? 'error' : 'warning'}  ${where}${f.column ? `, ${f.column}` : ''}  [${f.rule}]  ${f.message}  (rule: ${f.source})`;
  });
  const counted = summary.errors + summary.warnings;
  if (summary.truncated)
    lines.push(
      `(${counted - findings.length} more findings counted but not listed: the first 1000 per rule and column are shown)`,
    );
  if (summary.uncheckedReferences.length > 0) {
    lines.push(
      `References to ${summary.uncheckedReferences.join(', ')} were not checked: they are not in this file and no reference snapshot has them (\`dmfw snapshot pull --env <environment> --company <legal entity>\`).`,
    );
  }
  lines.push(
    `${summary.entity}: ${summary.rows.toLocaleString('en-US')} rows in ${file}: ` +
      `${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}
