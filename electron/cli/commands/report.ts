import { isAbsolute, resolve } from 'node:path';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { withClient } from '../session';
import { jsonText } from './text';

const USAGE = `Usage: dmfw report <project folder> [--cycle N] --out <file.pdf|file.html> [--overwrite] [--json]

Writes the sign-off report of a migration cycle: entities with counts, reconciliation, open errors
by rule, value tables, package hash, environment and legal entity, who ran and reconciled it and
when. A cycle is an import run of the project with the re-imports of its failed rows (1 = the
first); default: the latest. The report is also saved into the project (reports/cycle-<N>.html
and .pdf).

The PDF is printed by a Chromium, Chrome or Edge found on this machine (CHROMIUM_PATH names one).
Without one, ask for --out <file>.html and print it to PDF from a browser.

  --cycle N     the cycle to report on
  --out <file>  where to write it: .pdf or .html
  --overwrite   replace the file
  --json        print {cycle, jobId, html, pdf, pdfProblem, out}
`;

export const reportCommand: Command = {
  name: 'report',
  summary: "Write a cycle's sign-off report (PDF or HTML)",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        cycle: { type: 'string' },
        out: { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { positionals: true },
    );
    if (positionals.length !== 1) throw new UsageError('Give one project folder (it holds dmfw-project.json).');
    if (typeof values.out !== 'string') throw new UsageError('--out <file.pdf|file.html> is required.');
    if (!/\.(pdf|html?)$/i.test(values.out)) throw new UsageError('--out must end in .pdf or .html.');
    let cycle: number | undefined;
    if (values.cycle !== undefined) {
      cycle = Number(values.cycle);
      if (!Number.isInteger(cycle) || cycle < 1)
        throw new UsageError(`--cycle ${values.cycle} is not a cycle number (1, 2, …).`);
    }
    const at = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
    const out = at(values.out);
    return withClient(io, async (client) => {
      const written = await client.call('reports.signOff', {
        dir: at(positionals[0] as string),
        out,
        overwrite: values.overwrite === true,
        pdf: /\.pdf$/i.test(out),
        ...(cycle !== undefined ? { cycle } : {}),
      });
      io.stdout(
        values.json
          ? jsonText(written)
          : `Cycle ${written.cycle} (job ${written.jobId}): wrote ${out}\n  saved in the project: ${written.html}${written.pdf ? `\n  and ${written.pdf}` : ''}\n${written.pdfProblem ? `${written.pdfProblem}\n` : ''}`,
      );
      return EXIT.ok;
    });
  },
};
