import { ApiCallError } from '../../shared/api/client';
import { AppError } from '../../shared/api/errors';
import type { Command } from './command';
import { EXIT, UsageError, processIo } from './io';
import type { CliIo } from './io';

/**
 * Every dmfw command, by name. A command's module (and everything it imports) is loaded only when
 * that command runs, or for `dmfw --help`: the workbench services take about a second and 70 MB
 * to import, which `dmfw pack` or `dmfw inspect` should not pay. Later features add theirs here.
 */
interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
}

const entry = (name: string, load: () => Promise<Command>): CommandEntry => ({ name, load });

export const COMMANDS: readonly CommandEntry[] = [
  entry('serve', async () => (await import('./commands/serve')).serveCommand),
  entry('catalog', async () => (await import('./commands/catalog')).catalogCommand),
  entry('sequence', async () => (await import('./commands/sequence')).sequenceCommand),
  entry('validate', async () => (await import('./commands/validate')).validateCommand),
  entry('emulator', async () => (await import('./commands/emulator')).emulatorCommand),
  entry('envs', async () => (await import('./commands/envs')).envsCommand),
  entry('login', async () => (await import('./commands/login')).loginCommand),
  entry('import', async () => (await import('./commands/import')).importCommand),
  entry('export', async () => (await import('./commands/export')).exportCommand),
  entry('copy', async () => (await import('./commands/copy')).copyCommand),
  entry('status', async () => (await import('./commands/status')).statusCommand),
  entry('errors', async () => (await import('./commands/status')).errorsCommand),
  entry('enqueue', async () => (await import('./commands/recurring')).enqueueCommand),
  entry('dequeue', async () => (await import('./commands/recurring')).dequeueCommand),
  entry('jobs', async () => (await import('./commands/jobs')).jobsCommand),
  entry('resume', async () => (await import('./commands/jobs')).resumeCommand),
  entry('reimport', async () => (await import('./commands/jobs')).reimportCommand),
  entry('reconcile', async () => (await import('./commands/reconcile')).reconcileCommand),
  entry('report', async () => (await import('./commands/report')).reportCommand),
  entry('inspect', async () => (await import('./commands/inspect')).inspectCommand),
  entry('lint', async () => (await import('./commands/lint')).lintCommand),
  entry('pack', async () => (await import('./commands/pack')).packCommand),
  entry('metadata', async () => (await import('./commands/metadata')).metadataCommand),
  entry('snapshot', async () => (await import('./commands/snapshot')).snapshotCommand),
];

/** The command list with summaries: loads every command module (only help needs them all). */
async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
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
    io.stdout(await help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    // Imported on demand: context.ts loads the whole workbench, which other commands do not need.
    const { packageVersion } = await import('./context');
    io.stdout(`${await packageVersion()}\n`);
    return EXIT.ok;
  }
  const known = COMMANDS.find((c) => c.name === name);
  if (!known) {
    io.stderr(`dmfw: unknown command "${name}".\nRun \`dmfw --help\` for the commands.\n`);
    return EXIT.usage;
  }
  const command = await known.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // One line saying what is wrong, and where the options are: the whole usage buries the message.
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(
        `dmfw ${command.name}: ${usageMessage(error as Error)}\nRun \`dmfw ${command.name} --help\` for its options.\n`,
      );
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

/**
 * parseArgs' unknown-option message goes on about passing "--x" as a positional after "--", which
 * misleads far more often (a mistyped or misplaced option) than it helps: keep its first sentence.
 */
function usageMessage(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error.message;
  return `${error.message.split('. To specify a positional argument')[0]}: it is not an option of this command.`;
}
