import { resolve } from 'node:path';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { emulatorSummary } from '../../../emulator/admin';
import type { Command } from '../command';
import { THROTTLING_MODES } from '../../../emulator/fno/throttling';
import type { ThrottlingMode } from '../../../emulator/fno/throttling';
import { EXIT, UsageError, parseEmulatorSpeed, parsePort, untilStopped } from '../io';
import { parseOptions } from '../options';

const USAGE = `Usage: dmfw emulator [--port <n>] [--data-dir <dir>] [--speed <factor>|max]
                     [--throttling resource|user|off] [--import-recurrence <minutes>] [--json] [--exit-with-parent]

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
  --throttling <mode>  service protection on OData (the DMF package API and recurring
                       integrations are exempt, as in F&O):
                         resource  (default) resource-based limits, F&O 10.0.19 and later (the only
                                   kind current F&O applies): a sustained overload (over 200
                                   requests a second for 5 seconds) answers 429 with Retry-After
                         user      user-based limits, F&O 10.0.19 to 10.0.35 (optional from 10.0.33,
                                   removed in 10.0.36): per user and app, 6,000 requests or 1,200 s
                                   of execution in 5 minutes, 52 concurrent requests
                         off       no limits (on-premises and development environments)
  --import-recurrence <minutes>
                       processing recurrence of recurring import jobs: an enqueued message waits
                       for the job's next batch run (default 1; 0 with --speed max)
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
      throttling: { type: 'string' },
      'import-recurrence': { type: 'string' },
      json: { type: 'boolean', default: false },
      'exit-with-parent': { type: 'boolean', default: false },
    });
    const port = parsePort(values.port);
    const speed = parseEmulatorSpeed('--speed', values.speed);
    const throttling = values.throttling ?? 'resource';
    if (!(THROTTLING_MODES as readonly string[]).includes(throttling))
      throw new UsageError(`--throttling must be one of ${THROTTLING_MODES.join(', ')}, not "${throttling}".`);
    const recurrence = values['import-recurrence'];
    const importRecurrenceMinutes = recurrence === undefined ? undefined : Number(recurrence);
    if (
      importRecurrenceMinutes !== undefined &&
      !(importRecurrenceMinutes >= 0 && Number.isFinite(importRecurrenceMinutes))
    )
      throw new UsageError(`--import-recurrence must be a number of minutes (0 or more), not "${recurrence}".`);
    const emulator = await startEmulator({
      port,
      speed,
      throttling: throttling as ThrottlingMode,
      ...(importRecurrenceMinutes === undefined ? {} : { importRecurrenceMinutes }),
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
          `  throttling     ${emulator.throttling}`,
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

/**
 * What `dmfw enqueue` must send to a recurring import job (a file sent to a package job, or a
 * package to a file job, ends in PreProcessingError as in F&O) and how often the job runs.
 */
function takes(job: Emulator['recurringJobs'][number]): string {
  const every = job.recurrenceMinutes > 0 ? `every ${job.recurrenceMinutes} min` : 'at once';
  if (job.direction !== 'import') return `; runs ${every}`;
  const what =
    job.dataSource === 'file'
      ? `takes single data files (${(job.files ?? []).map((f) => `${f.entity}: ${f.sourceFormat}`).join(', ') || 'the project has no entity'}): enqueue with --entity`
      : 'takes data packages (.zip)';
  return `; ${what}; picked up ${every}`;
}
