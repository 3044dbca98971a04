import type { AppInfo } from '../shared/api/domains/app';
import type { Dispatcher, Handlers } from './rpc/dispatcher';
import { createDispatcher } from './rpc/dispatcher';
import { EventHub } from './rpc/eventHub';
import { appHandlers } from './rpc/handlers/app';
import { environmentHandlers } from './rpc/handlers/environments';
import { EnvironmentService } from './services/environments/environmentService';
import type { Logger } from './services/logging/logger';
import type { SettingsStore } from './services/settings/settings';

/** What differs between the desktop app, browser mode, the CLI and tests. */
export interface WorkbenchPorts {
  readonly appInfo: AppInfo;
  readonly settings: SettingsStore;
  readonly logger: Logger;
}

export interface Workbench {
  readonly hub: EventHub;
  readonly dispatcher: Dispatcher;
  readonly services: {
    readonly environments: EnvironmentService;
  };
}

/** The one wiring root: services built from ports, handlers bound to services. */
export function createWorkbench(ports: WorkbenchPorts): Workbench {
  const hub = new EventHub();
  const publish = hub.publish.bind(hub);
  const environments = new EnvironmentService(ports.settings, publish);
  const handlers: Handlers = {
    ...appHandlers(ports.appInfo),
    ...environmentHandlers(environments),
  };
  return { hub, dispatcher: createDispatcher(handlers, ports.logger), services: { environments } };
}
