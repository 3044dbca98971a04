import type { PayloadOf } from '../shared/api/contract';
import type { AppInfo } from '../shared/api/domains/app';
import { describeJobEnd, jobEndWatcher } from '../shared/domain/jobs/outcome';
import type { JobEndNotice } from '../shared/domain/jobs/outcome';
import type { Dispatcher, Handlers } from './rpc/dispatcher';
import { createDispatcher } from './rpc/dispatcher';
import { EventHub } from './rpc/eventHub';
import { join } from 'node:path';
import { AppError } from '../shared/api/errors';
import { appHandlers } from './rpc/handlers/app';
import { authHandlers } from './rpc/handlers/auth';
import { catalogHandlers } from './rpc/handlers/catalog';
import { cockpitHandlers } from './rpc/handlers/cockpit';
import { CockpitService } from './services/cockpit/cockpitService';
import { packageHandlers } from './rpc/handlers/packages';
import { ProjectPackages } from './services/projects/projectPackages';
import { jobHandlers } from './rpc/handlers/jobs';
import { projectHandlers } from './rpc/handlers/projects';
import { datasetHandlers } from './rpc/handlers/datasets';
import { environmentHandlers } from './rpc/handlers/environments';
import { valueMapHandlers } from './rpc/handlers/valueMaps';
import { reconciliationHandlers } from './rpc/handlers/reconciliation';
import { reportHandlers } from './rpc/handlers/reports';
import { AuthService } from './services/auth/authService';
import { DatasetService } from './services/datasets/datasetService';
import type { FileDialog } from './services/datasets/datasetService';
import { createDatasetEngine } from './services/datasets/defaultEngine';
import type { ReaderFactory } from './services/datasets/engine';
import { inProcessEngine, workerEngine } from './services/datasets/engineHost';
import type { WorkerSpec } from './services/datasets/engineHost';
import { RecentFolders, fileJournal, fileRecipes } from './services/datasets/persistence';
import type { Cipher } from './services/auth/cipher';
import { keyFileCipher } from './services/auth/keyFileCipher';
import { DmfClients } from './services/dmf/dmfClients';
import type { RetryPolicy, Timing } from './services/dmf/retry';
import { realTiming } from './services/dmf/retry';
import { ConnectionService } from './services/environments/connections';
import type { EmulatorLauncher } from './services/environments/connections';
import { localEmulatorLauncher } from './services/environments/localEmulator';
import { EnvironmentProbe } from './services/environments/environmentProbe';
import { EnvironmentService } from './services/environments/environmentService';
import type { Logger } from './services/logging/logger';
import { ProjectService } from './services/projects/projectService';
import { ranByOf } from './services/jobs/ranBy';
import { environmentActor, projectActor } from './services/projects/actor';
import { ReconciliationService } from './services/reconciliation/reconciliationService';
import { chromiumPrinter } from './services/reports/pdf';
import type { PdfPrinter } from './services/reports/pdf';
import { ReportService } from './services/reports/reportService';
import { ValueMapService } from './services/valueMaps/valueMapService';
import { EnvironmentQueue } from './services/jobs/environmentQueue';
import { environmentKey, fileEnvironmentLocks } from './services/jobs/environmentLock';
import { DEFAULT_POLL_POLICY } from './services/jobs/execution';
import type { PollPolicy } from './services/jobs/execution';
import { JobRunner } from './services/jobs/jobRunner';
import { JobService } from './services/jobs/jobService';
import { ErrorRoundTrip } from './services/jobs/errorRoundTrip';
import { JobStore } from './services/jobs/jobStore';
import { copyJob } from './services/jobs/kinds/copyJob';
import { exportJob } from './services/jobs/kinds/exportJob';
import { importJob } from './services/jobs/kinds/importJob';
import { dequeueJob, enqueueJob } from './services/jobs/kinds/recurringJobs';
import { createPackageEngine } from './services/jobs/packageEngineAdapter';
import { CatalogService } from './services/metadata/liveCatalog';
import type { JobServices } from './services/jobs/services';
import { BUILT_IN_CATALOG, indexCatalog } from '../shared/domain/catalog';
import type { FetchLike } from './services/net/fetch';
import { nodeFetch } from './services/net/fetch';
import { PreferencesService } from './services/settings/preferences';
import type { SettingsStore } from './services/settings/settings';
import type { DownloadOffers } from './services/web/downloads';

/** What differs between the desktop app, browser mode, the CLI and tests. */
export interface WorkbenchPorts {
  readonly appInfo: AppInfo;
  readonly settings: SettingsStore;
  readonly logger: Logger;
  /** The network (Electron net.fetch in the app); Node's fetch when omitted. */
  readonly fetch?: FetchLike;
  /** Starts the built-in Local emulator (default: in this process, data in dataDir/emulator); null: none. */
  readonly launchEmulator?: EmulatorLauncher | null;
  /** The workbench's own files: encrypted token caches, jobs (the app's user-data folder, ~/.dmf-workbench). */
  readonly dataDir: string;
  /**
   * Encrypts the token cache: safeStorage in the app. Default: AES-256-GCM with a 0600 key file in
   * dataDir. null: tokens in memory only.
   */
  readonly cipher?: Cipher | null;
  /** Opens a sign-in page in the system browser. Default: none (sign in from the app or `dmfw login`). */
  readonly openSystemBrowser?: (url: string) => Promise<void>;
  /** May a running job open the browser when its sign-in expired? (The desktop app: yes.) */
  readonly interactiveOnDemand?: boolean;
  /** Environment variables holding client secrets (client-credentials profiles). Default: process.env. */
  readonly secrets?: Readonly<Record<string, string | undefined>>;
  /** Retry policy of F&O calls (tests shorten the waits). */
  readonly retry?: RetryPolicy;
  /** How jobs wait for F&O (tests shorten the waits). */
  readonly poll?: PollPolicy;
  /** Upload block size and parallelism (tests use small blocks to exercise resume). */
  readonly transfer?: { readonly blockSize?: number; readonly concurrency?: number };
  readonly timing?: Timing;
  /**
   * Continue interrupted jobs as soon as the workbench starts (the desktop app). The CLI does
   * not: `dmfw resume` does it on request.
   */
  readonly resumeJobs?: boolean;
  /**
   * Tells the consultant a job ended while they look elsewhere: the desktop app shows an OS
   * notification from the main process (the page itself is granted no permission). None in
   * browser mode, where the renderer's in-app toast is the notification.
   */
  readonly notifyJobEnd?: (notice: JobEndNotice) => void;
  /** Browser mode: files its page may download (served by the bridge); none elsewhere. */
  readonly downloads?: DownloadOffers;
  /** Shows a file in the operating system's file manager (the desktop app); none in browser mode. */
  readonly revealPath?: (path: string) => Promise<void>;
  /** HTML to PDF (the desktop app's printToPDF); default: a Chromium found on the machine, headless. */
  readonly printPdf?: PdfPrinter;
  /** The row store of the source grid. */
  readonly datasets?: {
    /**
     * Where the engine runs: a worker thread (default: the TypeScript source through tsx; the app
     * passes its bundled worker), or null for in-process (tests).
     */
    readonly worker?: WorkerSpec | null;
    /** The file readers (default: the package engine's streaming readers). */
    readonly openReader?: ReaderFactory;
    /** The native "Open file" dialog (desktop app); none in browser mode. */
    readonly fileDialog?: FileDialog | null;
  };
}

/**
 * The worker's TypeScript source, for the CLI, browser mode and tests. The desktop app does not
 * ship sources: it passes its bundled worker instead.
 */
export function datasetWorkerSource(): WorkerSpec {
  return { entry: new URL('./services/datasets/worker.ts', import.meta.url), typescript: true };
}

const noBrowser = async (): Promise<void> => {
  throw new AppError(
    'UNAUTHORIZED',
    'No browser is available here to sign in. Sign in from the desktop app or with `dmfw login`.',
  );
};

export interface Workbench {
  readonly hub: EventHub;
  readonly dispatcher: Dispatcher;
  readonly services: {
    readonly environments: EnvironmentService;
    readonly connections: ConnectionService;
    readonly auth: AuthService;
    readonly dmf: DmfClients;
    readonly projects: ProjectService;
    readonly jobs: JobService;
    readonly preferences: PreferencesService;
    readonly datasets: DatasetService;
  };
  /** Stops what the workbench started (the Local emulator, running jobs' timers). */
  close(): Promise<void>;
}

/** The one wiring root: services built from ports, handlers bound to services. */
export function createWorkbench(ports: WorkbenchPorts): Workbench {
  const hub = new EventHub();
  const publish = hub.publish.bind(hub);
  const environments = new EnvironmentService(ports.settings, publish);
  const connections = new ConnectionService({
    environments,
    launchEmulator:
      ports.launchEmulator === undefined
        ? localEmulatorLauncher({
            dataDir: join(ports.dataDir, 'emulator'),
            fetch: ports.fetch ?? nodeFetch,
            logger: ports.logger,
          })
        : ports.launchEmulator,
    fetch: ports.fetch ?? nodeFetch,
    logger: ports.logger,
  });
  const auth = new AuthService({
    environments,
    connections,
    cipher: ports.cipher === undefined ? keyFileCipher(join(ports.dataDir, 'token-cache.key')) : ports.cipher,
    cacheDir: join(ports.dataDir, 'token-cache'),
    logger: ports.logger,
    publish,
    openSystemBrowser: ports.openSystemBrowser ?? noBrowser,
    interactiveOnDemand: ports.interactiveOnDemand ?? false,
    secrets: ports.secrets ?? process.env,
  });
  const dmf = new DmfClients({ connections, auth, logger: ports.logger, retry: ports.retry });
  const preferences = new PreferencesService(ports.settings);
  const probe = new EnvironmentProbe({ environments, connections, auth, dmf });
  const projects = new ProjectService(publish);
  const catalog = indexCatalog(BUILT_IN_CATALOG);
  const catalogs = new CatalogService({
    dmf,
    environments,
    logger: ports.logger,
    builtIn: catalog,
    snapshotsDir: join(ports.dataDir, 'metadata'),
    referencesDir: join(ports.dataDir, 'references'),
    onProgress: (progress) => publish('catalog.metadataProgress', progress),
    onReferencesProgress: (progress) => publish('catalog.referencesProgress', progress),
  });
  const packages = createPackageEngine(catalog, {
    // What the grid shows is what gets imported: edited sources are read through the row store.
    editedRows: (path) => datasets.editedRows(path),
    catalogFor: async (project) => {
      const env = project.binding.environment;
      const id = env ? environments.list().environments.find((e) => e.name === env)?.id : undefined;
      return (await catalogs.cachedOrBuiltIn(id)).index;
    },
  });
  // Shared with the other workbench processes on this data dir: environments and jobs.
  const locks = fileEnvironmentLocks(
    join(ports.dataDir, 'locks'),
    ports.appInfo.mode === 'desktop' ? ports.appInfo.name : 'dmfw',
  );
  // Who runs each job, on its record: the account F&O sees and the computer's user.
  const ranBy = ranByOf(auth);
  const runner = new JobRunner<JobServices>({
    store: new JobStore(join(ports.dataDir, 'jobs'), ports.logger),
    jobLocks: locks,
    queue: new EnvironmentQueue({
      locks,
      describe: (id) => {
        const env = environments.get(id);
        // The Local emulator's URL changes with each start: its id names it.
        return { key: env.builtIn || env.url === null ? env.id : environmentKey(env.url), name: env.name };
      },
    }),
    publish,
    logger: ports.logger,
    kinds: { import: importJob, export: exportJob, copy: copyJob, enqueue: enqueueJob, dequeue: dequeueJob },
    services: {
      environments,
      dmf,
      projects,
      packages,
      catalog,
      logger: ports.logger,
      timing: ports.timing ?? realTiming,
      poll: ports.poll ?? DEFAULT_POLL_POLICY,
      transfer: { ...ports.transfer, fetch: ports.fetch ?? nodeFetch },
      ranBy,
    },
  });
  const notifyJobEnd = ports.notifyJobEnd;
  if (notifyJobEnd) {
    const watch = jobEndWatcher((job) => notifyJobEnd(describeJobEnd(job)));
    hub.subscribe((event, payload) => {
      if (event === 'jobs.changed') watch(payload as PayloadOf<'jobs.changed'>);
    });
  }
  const jobs = new JobService({ runner, environments, projects, dmf, packages, catalog, ranBy });
  if (ports.resumeJobs) {
    void runner
      .resumeInterrupted()
      .catch((error: unknown) => ports.logger.error('Interrupted jobs could not be resumed', error));
  }
  const datasetPorts = ports.datasets ?? {};
  const worker = datasetPorts.worker === undefined ? datasetWorkerSource() : datasetPorts.worker;
  const datasets = new DatasetService({
    startEngine: (onEvent) =>
      worker === null || datasetPorts.openReader
        ? inProcessEngine((emit) => createDatasetEngine(emit, datasetPorts.openReader), onEvent)
        : workerEngine(worker, onEvent, (error) => ports.logger.error('The row store worker crashed', error)),
    publish,
    journal: fileJournal(join(ports.dataDir, 'datasets', 'journals'), ports.logger),
    recipes: fileRecipes(join(ports.dataDir, 'datasets', 'recipes.json')),
    recent: new RecentFolders(join(ports.dataDir, 'datasets', 'recent-folders.json')),
    logger: ports.logger,
    fileDialog: datasetPorts.fileDialog ?? null,
    projects,
  });
  const valueMaps = new ValueMapService({
    projects,
    catalogs,
    environments,
    datasets,
    dmf,
    publish,
    actor: projectActor(environments, auth),
  });
  datasets.useValueMaps(valueMaps);
  const projectPackages = new ProjectPackages({
    projects,
    catalogs,
    environments,
    datasets,
    packages,
    valueMaps,
    downloads: ports.downloads ?? null,
  });
  const reconciliation = new ReconciliationService({
    runner,
    dmf,
    packages,
    catalogs,
    publish,
    datasets,
    actor: environmentActor(auth),
  });
  const actor = projectActor(environments, auth);
  const reports = new ReportService({
    projects,
    runner,
    valueMaps,
    printPdf: ports.printPdf ?? chromiumPrinter(),
    actor: async (dir) => actor((await projects.open(dir)).document),
  });
  const handlers: Handlers = {
    ...appHandlers(ports.appInfo, preferences, ports.revealPath),
    ...environmentHandlers(environments, connections, probe),
    ...authHandlers(auth),
    ...projectHandlers(projects, preferences),
    ...catalogHandlers(catalogs),
    ...packageHandlers(projectPackages),
    ...jobHandlers(
      jobs,
      new ErrorRoundTrip({
        jobs,
        runner,
        datasets,
        logger: ports.logger,
        onJobChanged: (listener) =>
          hub.subscribe((event, payload) => {
            if (event === 'jobs.changed') listener(payload as PayloadOf<'jobs.changed'>);
          }),
      }),
    ),
    ...datasetHandlers(datasets),
    ...valueMapHandlers(valueMaps),
    ...reconciliationHandlers(reconciliation),
    ...reportHandlers(reports),
    ...cockpitHandlers(new CockpitService({ projects, reconciliation })),
  };
  return {
    hub,
    dispatcher: createDispatcher(handlers, ports.logger),
    services: { environments, connections, auth, dmf, projects, jobs, preferences, datasets },
    close: async () => {
      await datasets.dispose();
      await runner.stop();
      await connections.stop();
    },
  };
}
