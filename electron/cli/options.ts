import { parseArgs } from 'node:util';

type OptionsConfig = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/**
 * A command's arguments, parsed strictly: an unknown or malformed option is a usage error (main.ts
 * turns parseArgs' errors into exit code 2 with the command's usage), and so is a positional
 * argument unless the command takes some (`{ positionals: true }`).
 */
export function parseOptions<const O extends OptionsConfig, const P extends boolean = false>(
  args: readonly string[],
  options: O,
  accepts?: { readonly positionals: P },
) {
  return parseArgs({ args: [...args], options, allowPositionals: (accepts?.positionals ?? false) as P, strict: true });
}
