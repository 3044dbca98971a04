import type { CliIo } from './io';

export interface Command {
  readonly name: string;
  /** One line for `dmfw --help`. */
  readonly summary: string;
  /** The full usage text for `dmfw <name> --help`. */
  readonly usage: string;
  /** Returns the exit code. Throws UsageError for bad arguments. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
