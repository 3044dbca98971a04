import { ApiCallError } from '../../shared/api/client';
import { AppError } from '../../shared/api/errors';
import type { Command } from './command';
import { catalogCommand } from './commands/catalog';
import { emulatorCommand } from './commands/emulator';
import { copyCommand } from './commands/copy';
import { envsCommand } from './commands/envs';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { jobsCommand, reimportCommand, resumeCommand } from './commands/jobs';
import { loginCommand } from './commands/login';
import { dequeueCommand, enqueueCommand } from './commands/recurring';
import { errorsCommand, statusCommand } from './commands/status';
import { inspectCommand } from './commands/inspect';
import { lintCommand } from './commands/lint';
import { packCommand } from './commands/pack';
import { sequenceCommand } from './commands/sequence';
import { serveCommand } from './commands/serve';
import { validateCommand } from './commands/validate';
import { EXIT, UsageError, processIo } from './io';
import type { CliIo } from './io';

/** Every dmfw command. Later features add theirs here. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  catalogCommand,
  sequenceCommand,
  validateCommand,
  emulatorCommand,
  envsCommand,
  loginCommand,
  importCommand,
  exportCommand,
  copyCommand,
  statusCommand,
  errorsCommand,
  enqueueCommand,
  dequeueCommand,
  jobsCommand,
  resumeCommand,
  reimportCommand,
  inspectCommand,
  lintCommand,
  packCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'dmfw: the DMF Workbench command line (Dynamics 365 Finance & Operations data management)',
    '',
    'Usage: dmfw <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `dmfw <command> --help` for the options of one command.',
    'Exit codes: 0 ok, 1 findings (validation or lint problems, a failed job), 2 usage or unreadable input.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    // Imported on demand: context.ts loads the whole workbench, which other commands do not need.
    const { packageVersion } = await import('./context');
    io.stdout(`${await packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`dmfw: unknown command "${name}".\n\n${help()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`dmfw ${command.name}: ${(error as Error).message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    // Services throw AppError (bad input files: INVALID_INPUT, with the file and line in the message).
    if (error instanceof ApiCallError || error instanceof AppError) {
      io.stderr(`dmfw ${command.name}: ${error.message} [${error.code}]\n`);
      return error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND' || error.code === 'INVALID_PARAMS'
        ? EXIT.usage
        : EXIT.findings;
    }
    throw error;
  }
}

/** util.parseArgs throws TypeErrors coded ERR_PARSE_ARGS_* for unknown or malformed options. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
