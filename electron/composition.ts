import type { AppInfo } from '../shared/api/domains/app';
import type { Dispatcher, Handlers } from './rpc/dispatcher';
import { createDispatcher } from './rpc/dispatcher';
import { EventHub } from './rpc/eventHub';
import { appHandlers } from './rpc/handlers/app';
import { environmentHandlers } from './rpc/handlers/environments';
import { ConnectionService } from './services/environments/connections';
import type { EmulatorLauncher } from './services/environments/connections';
import { EnvironmentService } from './services/environments/environmentService';
import type { Logger } from './services/logging/logger';
import type { FetchLike } from './services/net/fetch';
import { nodeFetch } from './services/net/fetch';
import type { SettingsStore } from './services/settings/settings';

/** What differs between the desktop app, browser mode, the CLI and tests. */
export interface WorkbenchPorts {
  readonly appInfo: AppInfo;
  readonly settings: SettingsStore;
  readonly logger: Logger;
  /** The network (Electron net.fetch in the app); Node's fetch when omitted. */
  readonly fetch?: FetchLike;
  /** Starts the built-in Local emulator in this process; null where it is not available. */
  readonly launchEmulator?: EmulatorLauncher | null;
}

export interface Workbench {
  readonly hub: EventHub;
  readonly dispatcher: Dispatcher;
  readonly services: {
    readonly environments: EnvironmentService;
    readonly connections: ConnectionService;
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
    launchEmulator: ports.launchEmulator ?? null,
    fetch: ports.fetch ?? nodeFetch,
    logger: ports.logger,
  });
  const handlers: Handlers = {
    ...appHandlers(ports.appInfo),
    ...environmentHandlers(environments, connections),
  };
  return {
    hub,
    dispatcher: createDispatcher(handlers, ports.logger),
    services: { environments, connections },
    close: () => connections.stop(),
  };
}
