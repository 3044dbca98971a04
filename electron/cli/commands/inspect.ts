import type { ReferenceSnapshot } from '../../../shared/domain/validation';
import { resolve } from 'node:path';
import { entityPlacement } from '../../../shared/domain/package/model';
import type { LintFinding } from '../../../shared/domain/package/lint';
import { hasErrors, lintPackage } from '../../services/packages/lint';
import type { EntityReport, PackageReport } from '../../services/packages/lint';
import { openPackage } from '../../services/packages/packageReader';
import type { DataPackage } from '../../services/packages/packageReader';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import type { CliIo } from '../io';
import { parseOptions } from '../options';
import { createProgress } from '../progress';
import { catalogFor } from './catalogSource';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw inspect <package.zip|folder> [--json] [--metadata <folder> | --env <environment>]

Shows a data package: its header, each entity with execution unit, level and sequence, format,
data file, row count and field mapping, and the lint findings (see dmfw lint).

  --json               print JSON: {header, entities, lint}
  --metadata <folder>  check keys and mandatory fields against an environment's saved metadata
                       instead of the built-in catalog
  --env <environment>  use that environment's latest metadata snapshot (\`dmfw metadata pull\`)

Exit code 1 when lint finds errors, 2 when the package cannot be read.
`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Show a data package: header, entities, sequence, mapping, rows, lint findings',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { json: { type: 'boolean', default: false }, metadata: { type: 'string' }, env: { type: 'string' } },
      { positionals: true },
    );
    const path = onePackage(positionals);
    const catalog = await catalogFor(values, io);
    const { pkg, report } = await readAndLint(io, path, catalog);
    io.stdout(values.json ? jsonText(inspectJson(pkg, report)) : inspectText(pkg, report));
    return hasErrors(report.findings) ? EXIT.findings : EXIT.ok;
  },
};

/** The one positional a package command takes. */
export function onePackage(positionals: readonly string[]): string {
  const [path, ...rest] = positionals;
  if (path === undefined) throw new UsageError('Name the package: a .zip file or a folder.');
  if (rest.length > 0) throw new UsageError(`Name one package, not ${positionals.length}.`);
  return path;
}

/** Opens a package and lints it with progress on stderr (shared by inspect and lint). */
export async function readAndLint(
  io: CliIo,
  path: string,
  catalog: Awaited<ReturnType<typeof catalogFor>>,
  snapshot?: ReferenceSnapshot,
): Promise<{ pkg: DataPackage; report: PackageReport }> {
  const pkg = await openPackage(resolve(io.cwd, path), { displayName: path });
  const progress = createProgress(io);
  try {
    const report = await lintPackage(pkg, {
      catalog,
      ...(snapshot ? { snapshot } : {}),
      onProgress: ({ entity, bytesRead, total }) => progress.update(entity, bytesRead, total),
    });
    return { pkg, report };
  } finally {
    progress.end();
    await pkg.close();
  }
}

/** Entities in execution order: unit, level, sequence. */
function ordered(report: PackageReport): EntityReport[] {
  return [...report.entities].sort((a, b) => {
    const pa = entityPlacement(a.entity);
    const pb = entityPlacement(b.entity);
    return pa.executionUnit - pb.executionUnit || pa.level - pb.level || pa.sequence - pb.sequence;
  });
}

export function inspectJson(pkg: DataPackage, report: PackageReport) {
  return {
    header: {
      description: pkg.header?.description ?? null,
      packageType: pkg.header?.packageType ?? null,
      packageVersion: pkg.header?.packageVersion ?? null,
    },
    entities: ordered(report).map((r) => {
      const placement = entityPlacement(r.entity);
      return {
        label: r.entity.entityName,
        targetEntity: r.entity.targetEntity ?? null,
        file: r.entity.inputFilePath ?? null,
        format: r.entity.sourceFormat ?? null,
        executionUnit: placement.executionUnit,
        level: placement.level,
        sequence: placement.sequence,
        rows: r.rows,
        fields: (r.entity.entityMapList ?? []).map((m) => ({ xmlField: m.xmlField, entityField: m.entityField })),
      };
    }),
    lint: report.findings.map(lintJson),
  };
}

export function lintJson(f: LintFinding): {
  code: string;
  message: string;
  entity?: string;
  file?: string;
  source?: string;
} {
  return {
    code: f.code,
    // The keys are fixed ({code, message, entity?, file?, source?}), so the severity leads the message.
    message: `${f.severity}: ${f.message}`,
    ...(f.entity === undefined ? {} : { entity: f.entity }),
    ...(f.file === undefined ? {} : { file: f.file }),
    ...(f.source === undefined ? {} : { source: f.source }),
  };
}

function inspectText(pkg: DataPackage, report: PackageReport): string {
  const h = pkg.header;
  const m = pkg.manifest;
  const out: string[] = [
    `Package       ${pkg.location.file} (${pkg.kind}, ${pkg.files.length} files)`,
    `Header        ${h ? `${h.description ?? ''} · ${h.packageType ?? ''} · version ${h.packageVersion ?? ''}` : '(no PackageHeader.xml)'}`,
    `Data project  ${m.definitionGroupName ?? ''}`,
    '',
  ];
  const rows = ordered(report).map((r) => {
    const p = entityPlacement(r.entity);
    return [
      `${p.executionUnit}.${p.level}.${p.sequence}`,
      r.entity.entityName,
      r.entity.targetEntity ?? '',
      r.entity.sourceFormat ?? '',
      r.entity.inputFilePath ?? '',
      r.rows === null ? '-' : r.rows.toLocaleString('en-US'),
      String(r.entity.entityMapList?.length ?? 0),
    ];
  });
  out.push(table(['U.L.S', 'Entity', 'Target entity', 'Format', 'Data file', 'Rows', 'Fields'], rows));
  for (const r of ordered(report)) {
    const maps = r.entity.entityMapList ?? [];
    if (maps.length === 0) continue;
    const shown = maps.map((mp) =>
      mp.xmlField === mp.entityField ? mp.entityField : `${mp.xmlField} → ${mp.entityField}`,
    );
    out.push(`${r.entity.entityName}: ${shown.join(', ')}`);
  }
  out.push('', lintText(report.findings));
  return `${out.join('\n')}\n`;
}

export function lintText(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return 'Lint: no findings.';
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const notes = findings.length - errors - warnings;
  const lines = findings.map((f) => {
    const where = [f.entity, f.file && f.file !== f.entity ? f.file : undefined].filter(Boolean).join(' · ');
    const source = f.source ? `\n          rule: ${f.source}` : '';
    return `  ${f.severity.padEnd(7)} ${f.code}${where ? ` (${where})` : ''}\n          ${f.message}${source}`;
  });
  return [
    `Lint: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${notes > 0 ? `, ${notes} note${notes === 1 ? '' : 's'}` : ''}`,
    ...lines,
  ].join('\n');
}
