import { hasErrors } from '../../services/packages/lint';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { catalogFor, latestReferenceSnapshot } from './catalogSource';
import { lintJson, lintText, onePackage, readAndLint } from './inspect';
import { jsonText } from './text';

const USAGE = `Usage: dmfw lint <package.zip|folder> [--json] [--strict] [--metadata <folder> | --env <environment> [--company <id>]]

Checks a data package for what makes F&O fail or misread it: missing, extra or misnamed data
files, nested folders, composite entities, Excel column limits, characters XML cannot carry, empty
files, headers that do not match the mapping, encodings and line endings, data files over 256 MB,
and, for entities the catalog knows, duplicate keys and unmapped mandatory fields. Every finding
has a code and says how to fix it.

  --json               print the findings as JSON: [{code, message, entity?, file?, source?}]
                       (source: where a catalog rule came from, e.g. "built-in, unverified")
  --strict             exit 1 on warnings too
  --metadata <folder>  use an environment's saved metadata instead of the built-in catalog
  --env <environment>  use that environment's latest metadata snapshot (\`dmfw metadata pull\`)
                       and its latest reference snapshot of the legal entity (\`dmfw snapshot pull\`)
  --company <id>       the legal entity of that reference snapshot (default: the environment's)

Exit code 1 when there are errors (or warnings with --strict), 2 when the package cannot be read.
`;

export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check a data package for problems F&O would fail on, with fixes',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        json: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        metadata: { type: 'string' },
        env: { type: 'string' },
        company: { type: 'string' },
      },
      { positionals: true },
    );
    const path = onePackage(positionals);
    if (values.company !== undefined && values.env === undefined)
      throw new UsageError('--company goes with --env: the reference snapshot of that legal entity.');
    const snapshot = values.env === undefined ? null : await latestReferenceSnapshot(values.env, values.company, io);
    const { report } = await readAndLint(io, path, await catalogFor(values, io), snapshot ?? undefined);
    io.stdout(values.json ? jsonText(report.findings.map(lintJson)) : `${lintText(report.findings)}\n`);
    const failing = values.strict ? report.findings.some((f) => f.severity !== 'info') : hasErrors(report.findings);
    return failing ? EXIT.findings : EXIT.ok;
  },
};
