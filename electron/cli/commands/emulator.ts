import { resolve } from 'node:path';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { emulatorSummary } from '../../../emulator/admin';
import type { Command } from '../command';
import { EXIT, parseEmulatorSpeed, parsePort, untilStopped } from '../io';
import { parseOptions } from '../options';

const USAGE = `Usage: dmfw emulator [--port <n>] [--data-dir <dir>] [--speed <factor>|max] [--json] [--exit-with-parent]

Runs a local Dynamics 365 F&O environment on 127.0.0.1: the DMF package API, the recurring
integrations API, OData, an Entra authority and blob storage (Azurite), with demo data for USMF,
USRT and DEMF. Prints its base URL, authority, token URL, CA file, tenant, client id, secret and
certificate, the demo user, legal entities, recurring jobs and the admin token when ready.

One port speaks http and https. Sign in with any MSAL or azure-identity client: authority
https://127.0.0.1:<port>/<tenant> (with or without the trailing slash), trust the printed CA file
(NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, MSAL Python's verify=), and turn instance discovery /
authority validation off. It answers only to 127.0.0.1, localhost and [::1] on its own port, and
refuses requests from other sites' web pages. Admin calls need Authorization: Bearer <admin token>.

  --port <n>           listen on this port (default: a free port)
  --data-dir <dir>     keep data, blobs and jobs in this folder (default: in memory)
  --speed <factor>     emulator time per wall time (default 1); "max" = no simulated latency
  --json               print one JSON line instead of the text summary
  --exit-with-parent   stop when standard input closes (for test runners and scripts)
`;

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run a local F&O emulator (DMF API, recurring integrations, OData, sign-in, blob storage)',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      speed: { type: 'string' },
      json: { type: 'boolean', default: false },
      'exit-with-parent': { type: 'boolean', default: false },
    });
    const port = parsePort(values.port);
    const speed = parseEmulatorSpeed('--speed', values.speed);
    const emulator = await startEmulator({
      port,
      speed,
      ...(values['data-dir'] ? { dataDir: resolve(io.cwd, values['data-dir']) } : {}),
    });
    const summary = emulatorSummary(emulator);
    if (values.json) {
      io.stdout(`${JSON.stringify(summary)}\n`);
    } else {
      io.stdout(
        [
          `F&O emulator ready at ${emulator.baseUrl}  (also ${emulator.httpsUrl})`,
          `  authority      ${emulator.authority}  (tenant ${emulator.tenantId})`,
          `  token URL      ${emulator.tokenUrl}`,
          `  CA file        ${emulator.caFile}`,
          `  client id      ${emulator.clientId}`,
          `  client secret  ${emulator.clientSecret}`,
          `  certificate    ${emulator.clientCertificateFile}  (thumbprint ${emulator.clientCertificateThumbprint})`,
          `  user           ${emulator.user.upn}  (password ${emulator.userPassword})`,
          `  companies      ${emulator.companies.join(', ')}`,
          ...emulator.recurringJobs.map(
            (j) => `  recurring      ${j.direction.padEnd(6)} ${j.activityId}  (${j.project}${takes(j)})`,
          ),
          `  admin          ${emulator.adminUrl}  (token ${emulator.adminToken})`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
    }
    await untilStopped(values['exit-with-parent']);
    await emulator.stop();
    return EXIT.ok;
  },
};

/** What `dmfw enqueue` must send to a recurring import job: a file sent to a package job fails in F&O. */
function takes(job: Emulator['recurringJobs'][number]): string {
  if (job.direction !== 'import') return '';
  return job.dataSource === 'file' ? '; takes data files: enqueue with --entity' : '; takes data packages (.zip)';
}
