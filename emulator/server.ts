import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { startAzurite } from './blob/azurite';
import type { AzuriteSpawner } from './blob/azurite';
import { createBlobStore } from './blob/blobStore';
import { CallLog } from './callLog';
import { createClock } from './clock';
import type { EmulatorClock, EmulatorClockOptions } from './clock';
import { createEntraAuthority } from './entra/authority';
import type { AuthorityMetadata, EmulatorUser } from './entra/authority';
import { loadOrCreateSecrets } from './entra/secrets';
import { loadOrCreateTls, processTls } from './entra/tls';
import { checkDoor } from './http/door';
import { listenHttpAndHttps } from './http/listener';
import { checkFaultSettings, emptyFaultState } from './faults';
import type { FaultScope, FaultSettings } from './faults';
import { ActionFailure, ActionParams, checkParameters } from './fno/actions';
import { PACKAGE_API_ACTIONS, TOLERATED_ALIASES } from '../shared/domain/dmf/packageApiActions';
import { IIS_MAX_CONTENT_LENGTH, iisTooLarge, refusedByRequestFiltering } from './http/iis';
import { createDmfActions } from './fno/dmfActions';
import { actionError, odataError, unauthorized } from './fno/odataError';
import { BodyTooLargeError, parseJsonObject, readBody, sendJson, sendText } from './http/http';
import { handleAdmin } from './admin';
import type { AdminContext } from './admin';
import { RecurringService } from './fno/recurring';
import type { RecurringJob, RecurringJobSpec } from './fno/recurring';
import { handleConnector } from './fno/connectorApi';
import type { ConnectorContext } from './fno/connectorApi';
import { handleOData } from './fno/odata';
import { THROTTLED_MESSAGES, createThrottling } from './fno/throttling';
import type { ThrottlingMode, ThrottlingSettings } from './fno/throttling';
import { seedProjects, seedRecords } from './seeds/seed';
import { createPersistence, loadState } from './store/persistence';
import type { Persistence } from './store/persistence';
import type { ODataContext } from './fno/odata';
import { BUILT_IN_CATALOG } from '../shared/domain/catalog';
import { EmulatorCatalog } from './store/learntEntities';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { RecordStore } from './store/records';
import { legalEntities } from './store/legalEntities';
import { DmfService } from './fno/dmfService';
import { MessageRegistry } from './fno/connector';
import { NO_LATENCY, REALISTIC_LATENCY } from './fno/executions';
import type { PackageIo } from './processing/packageIo';
import { enginePackageIo } from './processing/enginePackageIo';

export interface EmulatorOptions {
  /** Port for the F&O endpoints, the authority and the admin API (default: a free port). */
  readonly port?: number;
  /** Keep data, blobs and job history here; omitted: everything in memory. */
  readonly dataDir?: string;
  /** Emulator time per wall time (default 1); 'max' = no simulated latency at all. */
  readonly speed?: number | 'max';
  /** Start time and manual mode of the emulator clock (tests advance a manual clock). */
  readonly clock?: Omit<EmulatorClockOptions, 'speed'>;
  readonly faults?: FaultSettings;
  /**
   * Service protection on OData (fno/throttling.ts): 'resource' (default: current F&O, 10.0.19 and
   * later), 'user' (the per-user limits of 10.0.19 to 10.0.35) or 'off'; or settings for tests.
   */
  readonly throttling?: ThrottlingMode | ThrottlingSettings;
  /** Access token lifetime (default 3600 s, like Entra's minimum default), in wall-clock seconds. */
  readonly tokenLifetimeSeconds?: number;
  /** The wall clock Entra reads (default Date.now): tokens live in real time whatever `speed` is. */
  readonly wallClock?: () => number;
  /** SAS URL lifetime (default 600 s) [INFER: the API's expiry is undocumented; the UI's default link is 10 minutes]. */
  readonly sasLifetimeSeconds?: number;
  /** Diagnostic lines (Azurite's output, request failures); default: dropped. Never gets tokens. */
  readonly log?: (line: string) => void;
  /** Load the demo data, projects and recurring jobs (default true). */
  readonly seed?: boolean;
  /** Behaviours of production F&O that clients must cope with, off by default. */
  readonly quirks?: { readonly downloadLocationHttp80?: boolean };
  /**
   * The processing recurrence of recurring import jobs added without one, in minutes of emulator
   * time: an enqueued message waits for the job's next batch run (default 1, F&O's shortest batch
   * recurrence; with speed 'max' 0: at once).
   */
  readonly importRecurrenceMinutes?: number;
  /** Largest file or package enqueue accepts (default 2 GiB). */
  readonly maxEnqueueBytes?: number;
  /** The package engine (default: the workbench's own reader and writer). */
  readonly packageIo?: PackageIo;
  /** How Azurite's child process starts (default: Node's fork; the desktop app: utilityProcess). */
  readonly azuriteSpawner?: AzuriteSpawner;
}

export interface Emulator {
  /** http://127.0.0.1:<port>: the environment URL; access tokens carry it as `aud`. */
  readonly baseUrl: string;
  /** https://127.0.0.1:<port>: the same service over https (same port), for clients that need it. */
  readonly httpsUrl: string;
  /** https://127.0.0.1:<port>/<tenant>/ : works as printed, with or without the trailing slash. */
  readonly authority: string;
  /** https://127.0.0.1:<port> (azure-identity's `authorityHost`). */
  readonly authorityHost: string;
  /** https://127.0.0.1:<port>/<tenant>/oauth2/v2.0/token (the v1 endpoint is …/oauth2/token). */
  readonly tokenUrl: string;
  /** The CA certificate (PEM) that signs the https certificate: what clients are told to trust. */
  readonly caFile: string;
  /** The OpenID metadata to give MSAL as `authorityMetadata` (no discovery round trip). */
  readonly authorityMetadata: AuthorityMetadata;
  readonly tenantId: string;
  readonly clientId: string;
  /** Generated per data dir (or per in-memory run). */
  readonly clientSecret: string;
  /** PEM with the private key and certificate registered on the app (certificate credentials). */
  readonly clientCertificateFile: string;
  /** Its SHA-1 and SHA-256 thumbprints (hex), as MSAL's `thumbprint` / `thumbprintSha256`. */
  readonly clientCertificateThumbprint: string;
  readonly clientCertificateThumbprintSha256: string;
  /** The user the consent page and the password grant sign in. */
  readonly user: EmulatorUser;
  /** The user's password (resource owner password grant), generated per data dir. */
  readonly userPassword: string;
  /** The legal entities: USMF, USRT, DEMF and any imported through the Legal entities entity. */
  readonly companies: readonly string[];
  readonly recurringJobs: readonly RecurringJobSummary[];
  /** The service protection mode on OData (see EmulatorOptions.throttling). */
  readonly throttling: ThrottlingMode;
  /** http://127.0.0.1:<port>/admin */
  readonly adminUrl: string;
  /** The per-run token admin requests send as `Authorization: Bearer <adminToken>`. */
  readonly adminToken: string;
  /** Azure blob endpoint clients upload to (through the fault proxy in front of Azurite). */
  readonly blobEndpoint: string;
  /** The storage account key of this run (tests that inspect blobs directly; never printed). */
  readonly blobAccountKey: string;
  readonly clock: EmulatorClock;
  /** Every F&O request received (operation = action name, connector verb or OData collection). */
  readonly calls: CallLog;
  /** Adds a recurring data job (same as POST /admin/recurring-jobs). */
  addRecurringJob(spec: RecurringJobSpec): RecurringJob;
  /** Adds faults (same as POST /admin/faults). Throws on a bad setting. */
  setFaults(faults: FaultSettings): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

/** A recurring data job as the startup output lists it. */
export interface RecurringJobSummary {
  readonly activityId: string;
  readonly name: string;
  readonly project: string;
  readonly direction: 'import' | 'export';
  /** What an import job takes: data packages, or data files of one entity (enqueue's `entity`). */
  readonly dataSource: 'package' | 'file';
  /** Minutes between the job's batch runs on the emulator clock (imports: 0 = at once). */
  readonly recurrenceMinutes: number;
  /** File jobs: the entities a file may be enqueued for, each in the format the project gives it. */
  readonly files?: readonly { readonly entity: string; readonly sourceFormat: string }[];
}

/** Fixed ids so that a user's saved Local emulator profile keeps working across restarts. */
export const EMULATOR_TENANT_ID = '7e1d3f55-0c5b-4a9e-9f3c-2b8a6d4e1c01';
export const EMULATOR_CLIENT_ID = 'c5d0b8a2-6f4e-4b1d-9a7c-3e2f1d0c9b88';
const TENANT_DOMAIN = 'contoso.emulator';
const DEFAULT_USER: EmulatorUser = {
  oid: '4f3e2d1c-0b9a-4877-8665-544332211000',
  upn: 'admin@contoso.emulator',
  name: 'Emulator Admin',
};

const DMF_ACTION_PREFIX = '/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.';
const ACTIONS_BY_NAME = new Map(PACKAGE_API_ACTIONS.map((a) => [a.name, a]));

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log = options.log ?? (() => undefined);
  const speed = options.speed ?? 1;
  const clock = createClock({ ...options.clock, speed: speed === 'max' ? 1 : speed });
  const azurite = await startAzurite({
    ...(options.dataDir ? { location: join(options.dataDir, 'blobs') } : {}),
    ...(options.azuriteSpawner ? { spawn: options.azuriteSpawner } : {}),
    log,
  });
  const cleanup: (() => Promise<void>)[] = [() => azurite.stop()];
  try {
    const blobs = await createBlobStore({ azurite, clock, sasLifetimeSeconds: options.sasLifetimeSeconds ?? 600 });
    cleanup.unshift(() => blobs.close());
    const faults = emptyFaultState();
    const tls = options.dataDir ? await loadOrCreateTls(join(options.dataDir, 'tls')) : await processTls();
    const secrets = await loadOrCreateSecrets(options.dataDir ?? null);
    const adminToken = randomBytes(32).toString('base64url');
    // Requests that arrive before the emulator is wired (a client of an earlier run) get a 503.
    let ready = false;
    const listener = await listenHttpAndHttps({
      port: options.port ?? 0,
      host: '127.0.0.1',
      tls: { key: tls.serverKeyPem, cert: tls.serverCertPem },
      handler: (req, res) => onRequest(req, res),
    });
    cleanup.unshift(() => listener.close());
    const port = listener.port;
    const baseUrl = `http://127.0.0.1:${port}`;
    const httpsUrl = `https://127.0.0.1:${port}`;
    const entra = createEntraAuthority({
      tenantId: EMULATOR_TENANT_ID,
      tenantDomain: TENANT_DOMAIN,
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: secrets.clientSecret,
      certificates: [tls.clientCertificate],
      port,
      // The environment is one service on one port: any loopback name, http or https.
      resources: ['127.0.0.1', 'localhost', '[::1]'].flatMap((h) => [`http://${h}:${port}`, `https://${h}:${port}`]),
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      user: DEFAULT_USER,
      userPassword: secrets.userPassword,
      ...(options.wallClock ? { now: options.wallClock } : {}),
    });
    const calls = new CallLog();
    const catalog = new EmulatorCatalog(BUILT_IN_CATALOG);
    let persistence: Persistence | null = null;
    const store = new RecordStore(catalog);
    const workDir = await mkdtemp(join(tmpdir(), 'dmfw-emulator-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const dmf = new DmfService({
      clock,
      blobs,
      catalog,
      store,
      faults,
      latency: speed === 'max' ? NO_LATENCY : REALISTIC_LATENCY,
      io: options.packageIo ?? enginePackageIo,
      workDir,
      changed: () => persistence?.changed(),
      log,
    });
    const messages = new MessageRegistry(clock, dmf.executions);
    const actions = createDmfActions({ blobs, dmf, catalog, clock, messages, baseUrl });
    const recurring = new RecurringService({
      clock,
      store,
      blobs,
      dmf,
      messages,
      latency: speed === 'max' ? NO_LATENCY : REALISTIC_LATENCY,
      importIntervalMinutes: options.importRecurrenceMinutes ?? (speed === 'max' ? 0 : 1),
      changed: () => persistence?.changed(),
      log,
    });
    cleanup.unshift(async () => recurring.close());
    // The data dir keeps state across runs; a first start (or memory) gets the seeds.
    const stateDir = options.dataDir ? join(options.dataDir, 'state') : null;
    const parts = { dmf, messages, recurring, store, catalog };
    const loaded = stateDir ? await loadState(stateDir, parts) : false;
    if (!loaded && options.seed !== false) {
      await seedRecords(catalog, store);
      seedProjects(dmf, recurring, 5);
    }
    if (stateDir) {
      const saver = createPersistence(stateDir, parts);
      persistence = saver;
      saver.changed();
      cleanup.unshift(() => saver.flush());
    }
    const odata: ODataContext = {
      baseUrl,
      catalog,
      store,
      dmf,
      clock,
      defaultCompany: 'USMF',
      changed: () => persistence?.changed(),
    };
    const throttling = createThrottling(
      typeof options.throttling === 'string'
        ? { mode: options.throttling }
        : (options.throttling ?? { mode: 'resource' }),
      clock,
    );
    const connector: ConnectorContext = {
      recurring,
      blobs,
      baseUrl,
      downloadLocationHttp80: options.quirks?.downloadLocationHttp80 ?? false,
      maxEnqueueBytes: options.maxEnqueueBytes ?? 2 * 1024 ** 3,
    };

    const setFaults = (settings: FaultSettings): void => {
      const problem = checkFaultSettings(settings);
      if (problem) throw new RangeError(problem);
      if (settings.httpBurst) faults.burst = { ...settings.httpBurst, remaining: settings.httpBurst.count };
      if (settings.uploadResets) blobs.resetUploads(settings.uploadResets);
      if (settings.expireSas) blobs.expireIssuedSas();
      if (settings.expireTokens) entra.expireIssuedTokens();
      if (settings.stuckExecutions !== undefined) faults.stuckExecutions = settings.stuckExecutions;
      if (settings.stagingFailureRate !== undefined) faults.stagingFailureRate = settings.stagingFailureRate;
      if (settings.targetFailureRate !== undefined) faults.targetFailureRate = settings.targetFailureRate;
    };
    const clearFaults = (): void => {
      Object.assign(faults, emptyFaultState());
      blobs.resetUploads({ count: 0 });
    };
    if (options.faults) setFaults(options.faults);

    /** A 429/503 burst answer, or false when no burst applies to this request. */
    function burst(res: ServerResponse, scope: FaultScope): boolean {
      const b = faults.burst;
      if (!b || b.remaining <= 0 || (b.scope && b.scope !== 'any' && b.scope !== scope)) return false;
      b.remaining -= 1;
      const retryAfter = String(b.retryAfterSeconds ?? 5);
      if (b.status === 429) {
        // A burst is F&O under load: the resource-based limit's message [DOC].
        odataError(res, 429, THROTTLED_MESSAGES.resource, {
          message: THROTTLED_MESSAGES.resource,
          headers: { 'retry-after': retryAfter },
        });
      } else {
        odataError(res, 503, 'The service is temporarily unavailable.', {
          message: 'Service Unavailable',
          headers: { 'retry-after': retryAfter },
        });
      }
      return true;
    }

    async function dmfAction(req: IncomingMessage, res: ServerResponse, name: string): Promise<number> {
      const handler = Object.hasOwn(actions, name) ? actions[name] : undefined;
      if (!handler || req.method !== 'POST') {
        odataError(
          res,
          404,
          `No HTTP resource was found that matches the request URI '${baseUrl}${DMF_ACTION_PREFIX}${name}'.`,
          { message: 'No HTTP resource was found that matches the request URI.' },
        );
        return 404;
      }
      let body: Buffer;
      try {
        body = await readBody(req, IIS_MAX_CONTENT_LENGTH);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        return iisTooLarge(req, res);
      }
      const json = body.length === 0 ? {} : parseJsonObject(body);
      if (json === null) {
        odataError(res, 400, 'The request body is not a JSON object of action parameters.', {
          message: 'The input was not valid.',
        });
        return 400;
      }
      const declared = ACTIONS_BY_NAME.get(name);
      const problem = declared ? checkParameters(declared, json, TOLERATED_ALIASES[name]) : null;
      if (problem) {
        // [INFER] Web API's ModelState answer in the AX envelope: "The request is invalid." with
        // ODataLib's message under the parameters key.
        odataError(res, 400, `parameters : ${problem}\r\n`, {
          message: 'The request is invalid.',
          type: 'Microsoft.OData.ODataException',
        });
        return 400;
      }
      try {
        const result = await handler(new ActionParams(name, json));
        sendJson(res, 200, {
          '@odata.context': `${baseUrl}/data/$metadata#${result.type ?? 'Edm.String'}`,
          value: result.value,
        });
        return 200;
      } catch (error) {
        if (!(error instanceof ActionFailure)) throw error;
        if (error.status === 400) odataError(res, 400, error.message, { message: error.message });
        else actionError(res, name, error.message, error.status);
        return error.status;
      }
    }

    async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const refused = checkDoor(req, port);
      if (refused) {
        req.resume();
        sendText(res, refused.status, refused.message, 'text/plain; charset=utf-8', { connection: 'close' });
        return;
      }
      const url = new URL(req.url ?? '/', baseUrl);
      if (await entra.handle(req, res, url)) return;
      if (url.pathname === '/admin' || url.pathname.startsWith('/admin/')) {
        await handleAdmin(req, res, url, admin);
        return;
      }
      // On-premises deployments serve the same API under /namespaces/AXSF [DOC].
      const onPrem = url.pathname.startsWith('/namespaces/AXSF/');
      const path = onPrem ? url.pathname.slice('/namespaces/AXSF'.length) : url.pathname;
      const scope: FaultScope | null = path.startsWith(DMF_ACTION_PREFIX)
        ? 'dmf'
        : path === '/data' || path.startsWith('/data/') || path.startsWith('/Metadata/')
          ? 'odata'
          : path.startsWith('/api/connector/') && !onPrem
            ? 'connector'
            : null;
      if (!scope) {
        odataError(res, 404, `No HTTP resource was found that matches the request URI '${baseUrl}${url.pathname}'.`, {
          message: 'No HTTP resource was found that matches the request URI.',
        });
        return;
      }
      const operation = scope === 'dmf' ? path.slice(DMF_ACTION_PREFIX.length) : path;
      const check = entra.checkAccessToken(req.headers.authorization);
      let status: number;
      // IIS refuses an oversized body before anything else sees the request.
      if (scope !== 'connector' && refusedByRequestFiltering(req, res)) {
        status = 404;
      } else if (!check.ok) {
        unauthorized(res, entra.authority, check.reason);
        status = 401;
      } else if (burst(res, scope)) {
        status = res.statusCode;
      } else if (scope === 'dmf') {
        status = await dmfAction(req, res, operation);
      } else if (scope === 'connector') {
        status = await handleConnector(req, res, path, url, connector);
      } else {
        // The throttling key: the user (or the app's service principal) and the client id [DOC].
        const admission = throttling.admit(
          `${String(check.claims.oid ?? '')}|${String(check.claims.appid ?? check.claims.azp ?? '')}`,
        );
        if (admission.throttled) {
          // [INFER] the documented message in F&O's OData error envelope.
          odataError(res, 429, admission.throttled.message, {
            message: admission.throttled.message,
            headers: { 'retry-after': String(admission.throttled.retryAfterSeconds) },
          });
          status = 429;
        } else {
          try {
            status = await handleOData(req, res, path, url, odata);
          } finally {
            admission.done();
          }
        }
      }
      calls.add({ time: clock.now(), method: req.method ?? 'GET', path: url.pathname, operation, status });
    }

    function onRequest(req: IncomingMessage, res: ServerResponse): void {
      if (!ready) {
        req.resume();
        sendText(res, 503, 'The emulator is starting: try again in a moment.', 'text/plain; charset=utf-8', {
          'retry-after': '1',
        });
        return;
      }
      route(req, res).catch((error: unknown) => {
        const id = randomUUID();
        log(
          `emulator: request ${req.method} ${(req.url ?? '').split('?')[0]} failed (${id}): ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent) odataError(res, 500, `An unexpected error occurred in the emulator (reference ${id}).`);
        else res.destroy();
      });
    }

    const emulator: Emulator = {
      baseUrl,
      httpsUrl,
      authority: entra.authority,
      authorityHost: httpsUrl,
      tokenUrl: entra.tokenUrl,
      caFile: tls.caFile,
      authorityMetadata: entra.metadata,
      tenantId: EMULATOR_TENANT_ID,
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: secrets.clientSecret,
      clientCertificateFile: tls.clientCertificateFile,
      clientCertificateThumbprint: tls.clientCertificate.thumbprintSha1,
      clientCertificateThumbprintSha256: tls.clientCertificate.thumbprintSha256,
      user: DEFAULT_USER,
      userPassword: secrets.userPassword,
      get companies() {
        return legalEntities(store);
      },
      get recurringJobs() {
        return recurring.jobs().map((j): RecurringJobSummary => {
          const summary = {
            activityId: j.activityId,
            name: j.name,
            project: j.project,
            direction: j.direction,
            dataSource: j.dataSource,
            recurrenceMinutes: j.intervalMinutes,
          };
          if (j.direction !== 'import' || j.dataSource !== 'file') return summary;
          const entities = dmf.projects.get(j.project)?.entities ?? [];
          return { ...summary, files: entities.map((e) => ({ entity: e.entityName, sourceFormat: e.sourceFormat })) };
        });
      },
      throttling: throttling.mode,
      adminUrl: `${baseUrl}/admin`,
      adminToken,
      blobEndpoint: blobs.endpoint,
      blobAccountKey: azurite.accountKey,
      clock,
      calls,
      setFaults,
      clearFaults,
      addRecurringJob: (spec) => recurring.addJob(spec),
      async stop() {
        clock.close();
        for (const step of cleanup.splice(0))
          await step().catch((error: unknown) => log(`emulator: stop: ${String(error)}`));
      },
    };
    const admin: AdminContext = { emulator, faults, setFaults, clearFaults, recurring, dmf, adminToken };
    ready = true;
    return emulator;
  } catch (error) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw error;
  }
}
