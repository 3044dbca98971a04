import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { buildPackage } from '../../support/emulatorPackages';
import { REPO_ROOT } from '../../support/paths';

/**
 * Real third-party clients, unchanged, against the printed authority (issue #13 items 1 and 9):
 * @azure/identity and @azure/msal-node in a Node child (the CA through NODE_EXTRA_CA_CERTS, read
 * at process start), and MSAL Python from Debian's python3-msal (`verify=` the CA file). Each signs
 * in with a secret, a certificate and (MSAL Node) the password grant, then calls the package API
 * over https with the token. Then MSAL Python with requests replays Microsoft's documented request
 * sequences (package API, recurring enqueue → jobstatus for a package job and a file job,
 * dequeue → download → ack, an OData read) against an emulator run at speed 'max'.
 */
let emulator: Emulator;
const run = promisify(execFile);
const client = (name: string) => fileURLToPath(new URL(`./clients/${name}`, import.meta.url));

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
});
afterAll(async () => {
  await emulator?.stop();
});

const environment = () => ({
  ...process.env,
  EMULATOR_JSON: JSON.stringify({
    httpsUrl: emulator.httpsUrl,
    authority: emulator.authority,
    authorityHost: emulator.authorityHost,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    clientCertificateFile: emulator.clientCertificateFile,
    clientCertificateThumbprint: emulator.clientCertificateThumbprint,
    clientCertificateThumbprintSha256: emulator.clientCertificateThumbprintSha256,
    caFile: emulator.caFile,
    username: emulator.user.upn,
    password: emulator.userPassword,
  }),
});

type Results = Record<string, { ok: boolean; status?: number; error?: string }>;

describe('third-party clients sign in with the printed authority and call the package API', () => {
  it('@azure/identity and @azure/msal-node (secret, certificate, password; with and without the trailing slash)', async () => {
    const { stdout } = await run(process.execPath, [client('nodeClients.mjs')], {
      cwd: REPO_ROOT,
      env: { ...environment(), NODE_EXTRA_CA_CERTS: emulator.caFile },
      timeout: 120_000,
    });
    const results = JSON.parse(stdout) as Results;
    const ok = { ok: true, status: 200 };
    expect(results).toMatchObject({
      'identity.secret': ok,
      'identity.certificate': ok,
      'msal.secret': ok,
      'msal.secret.noSlash': ok,
      'msal.certificate': ok,
      'msal.password': ok,
      'msal.wrongSecret': { ok: false, error: expect.stringMatching(/AADSTS7000215/) },
    });
  });

  it('MSAL Python from Debian (secret, certificate; with and without the trailing slash)', async () => {
    const { stdout } = await run('/usr/bin/python3', [client('msalPython.py')], {
      // requests lets REQUESTS_CA_BUNDLE (set on many machines) win over a session's verify=, so
      // it is given the CA file too: both are the documented ways.
      env: { ...environment(), REQUESTS_CA_BUNDLE: emulator.caFile },
      timeout: 120_000,
    });
    const results = JSON.parse(stdout) as Results;
    const ok = { ok: true, status: 200 };
    expect(results).toMatchObject({
      secret: ok,
      'secret.noSlash': ok,
      certificate: ok,
      wrongSecret: { ok: false, error: expect.stringMatching(/AADSTS7000215/) },
    });
  });

  it("MSAL Python replays Microsoft's documented sequences: package API, recurring file and package jobs, dequeue → download → ack, OData", async () => {
    const own = await startEmulator({ speed: 'max' });
    const dir = await mkdtemp(join(tmpdir(), 'dmfw-sequences-'));
    try {
      const zip = await buildPackage(dir, 'sequence', [
        {
          label: 'Customer groups',
          target: 'CustCustomerGroupEntity',
          level: 1,
          columns: ['CUSTOMERGROUPID', 'DESCRIPTION'],
          rows: [['PYP1', 'Sequence package']],
        },
      ]);
      await writeFile(join(dir, 'sequence.zip'), zip);
      const { stdout } = await run('/usr/bin/python3', [client('documentedSequences.py')], {
        env: {
          ...process.env,
          REQUESTS_CA_BUNDLE: own.caFile,
          PACKAGE_FILE: join(dir, 'sequence.zip'),
          EMULATOR_JSON: JSON.stringify({
            httpsUrl: own.httpsUrl,
            authority: own.authority,
            clientId: own.clientId,
            clientSecret: own.clientSecret,
            caFile: own.caFile,
            recurringJobs: own.recurringJobs,
            adminUrl: own.adminUrl,
            adminToken: own.adminToken,
          }),
        },
        timeout: 180_000,
      });
      expect(JSON.parse(stdout)).toEqual({
        packageApi: { put: 201, status: 'Succeeded', errors: '[]' },
        enqueuePackage: { status: 200, quoted: true, state: 'Processed', messageStatus: 'Processed' },
        enqueueFile: { status: 200, state: 'Processed', messageStatus: 'Processed' },
        export: { dequeue: 200, zip: true, ack: 200, again: 204 },
        odata: [expect.objectContaining({ CustomerGroupId: 'PYF1', Description: 'Sequence file' })],
      });
    } finally {
      await own.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
