import type { EnvironmentSummary } from '../../../shared/domain/environments';
import { ENVIRONMENT_TAGS } from '../../../shared/domain/environments';
import type { EnvironmentTag } from '../../../shared/domain/environments';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import type { CliIo } from '../io';
import { parseOptions } from '../options';
import { withClient } from '../session';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw envs [--json]
       dmfw envs add --name <name> --url <url> --tenant <id> --client-id <id> [--authority <url>] [--on-prem]
                     [--company <legal entity>] [--tag DEV|TEST|UAT|PROD|OTHER] [--client-secret-env <VAR>]
       dmfw envs remove <name>

Lists the F&O environments the workbench knows (the built-in "Local emulator" first), registers
one, or forgets one. Nothing secret is stored: sign in with \`dmfw login --env <name>\`.

  --url <url>               the environment's address, e.g. https://contoso.operations.dynamics.com
  --tenant <id>             Entra tenant id or domain (contoso.onmicrosoft.com)
  --client-id <id>          Application (client) id of the app registration used to sign in
  --authority <url>         sign-in authority when it is not Entra's (AD FS: https://adfs.contoso.com/adfs/)
  --on-prem                 an on-premises environment (API under /namespaces/AXSF; needs --authority)
  --company <id>            default legal entity (default USMF)
  --tag <tag>               colour tag; writing to PROD asks for --confirm-prod "<name>"
  --client-secret-env <VAR> sign in unattended with client credentials; the secret is read from this
                            environment variable at run time and never stored
  --json                    print JSON
`;

export const envsCommand: Command = {
  name: 'envs',
  summary: 'List, add or remove F&O environments (the Local emulator is built in)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'add') return add(rest, io);
    if (sub === 'remove') return remove(rest, io);
    const { values, positionals } = parseOptions(
      args,
      { json: { type: 'boolean', default: false } },
      { positionals: true },
    );
    if (positionals.length) throw new UsageError(`Unknown envs subcommand "${positionals[0]}": use add or remove.`);
    return withClient(io, async (client) => {
      const list = await client.call('environments.list', {});
      if (values.json) io.stdout(jsonText(list.environments.map(envJson)));
      else {
        io.stdout(
          table(
            ['Name', 'Tag', 'Kind', 'Company', 'Account', 'URL'],
            list.environments.map((e) => [
              `${e.id === list.activeId ? '* ' : '  '}${e.name}`,
              e.tag,
              e.kind,
              e.defaultCompany,
              e.account ?? (e.authMode === 'client-credentials' ? `secret from $${e.clientSecretVariable}` : '-'),
              e.url ?? '(starts when used)',
            ]),
          ),
        );
      }
      return EXIT.ok;
    });
  },
};

function envJson(e: EnvironmentSummary) {
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    url: e.url,
    tag: e.tag,
    defaultCompany: e.defaultCompany,
    tenantId: e.tenantId,
    clientId: e.clientId,
    authority: e.authority,
    authMode: e.authMode,
    clientSecretVariable: e.clientSecretVariable,
    account: e.account,
    builtIn: e.builtIn,
  };
}

async function add(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    name: { type: 'string' },
    url: { type: 'string' },
    tenant: { type: 'string' },
    'client-id': { type: 'string' },
    authority: { type: 'string' },
    'on-prem': { type: 'boolean', default: false },
    company: { type: 'string' },
    tag: { type: 'string' },
    'client-secret-env': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  for (const required of ['name', 'url', 'tenant', 'client-id'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required.`);
  }
  const tag = values.tag?.toUpperCase();
  if (tag !== undefined && !(ENVIRONMENT_TAGS as readonly string[]).includes(tag)) {
    throw new UsageError(`--tag must be one of ${ENVIRONMENT_TAGS.join(', ')}, not "${values.tag}".`);
  }
  return withClient(io, async (client) => {
    const env = await client.call('environments.add', {
      name: values.name as string,
      url: values.url as string,
      tenantId: values.tenant as string,
      clientId: values['client-id'] as string,
      kind: values['on-prem'] ? 'on-premises' : 'cloud',
      ...(values.authority ? { authority: values.authority } : {}),
      ...(values.company ? { defaultCompany: values.company } : {}),
      ...(tag ? { tag: tag as EnvironmentTag } : {}),
      ...(values['client-secret-env']
        ? { authMode: 'client-credentials' as const, clientSecretVariable: values['client-secret-env'] }
        : {}),
    });
    io.stdout(
      values.json
        ? jsonText(envJson(env))
        : `Added "${env.name}" (${env.url}). Sign in with: dmfw login --env "${env.name}"\n`,
    );
    return EXIT.ok;
  });
}

async function remove(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseOptions(args, {}, { positionals: true });
  if (positionals.length !== 1) throw new UsageError('Give the name of the environment to remove.');
  return withClient(io, async (client) => {
    const list = await client.call('environments.list', {});
    const wanted = (positionals[0] as string).toLowerCase();
    const env = list.environments.find((e) => e.name.toLowerCase() === wanted || e.id === positionals[0]);
    if (!env) throw new UsageError(`There is no environment "${positionals[0]}".`);
    await client.call('environments.remove', { id: env.id });
    io.stdout(`Removed "${env.name}".\n`);
    return EXIT.ok;
  });
}
