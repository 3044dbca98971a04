import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { withClient } from '../session';
import { jsonText } from './text';

const USAGE = `Usage: dmfw login --env <name> [--another-account] [--logout] [--json]

Signs in to an environment in the system browser (the address is printed too); tokens are kept
encrypted on this computer, so later commands sign in silently. The "Local emulator" signs in
without a browser. An environment registered with --client-secret-env signs in with its secret.

  --another-account   pick another account than the one used last
  --logout            sign out: forget the account and remove its tokens from this computer
  --json              print JSON
`;

export const loginCommand: Command = {
  name: 'login',
  summary: 'Sign in to an environment (system browser; tokens kept encrypted)',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, {
      env: { type: 'string' },
      'another-account': { type: 'boolean', default: false },
      logout: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (!values.env) throw new UsageError('--env is required (see `dmfw envs`).');
    const environmentId = values.env;
    return withClient(io, async (client) => {
      const status = values.logout
        ? await client.call('auth.signOut', { environmentId })
        : await client.call('auth.signIn', {
            environmentId,
            ...(values['another-account'] ? { prompt: 'select_account' as const } : {}),
          });
      if (values.json) io.stdout(jsonText(status));
      else if (values.logout) io.stdout(`Signed out of ${values.env}.\n`);
      else {
        const who = status.account?.username ?? 'the app registration (client credentials)';
        io.stdout(
          `Signed in to ${values.env} as ${who}.${status.tokenCache === 'memory' ? ' (No protected key store: the sign-in lasts for this session only.)' : ''}\n`,
        );
      }
      return EXIT.ok;
    });
  },
};
