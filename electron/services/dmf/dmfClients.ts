import type { AuthService } from '../auth/authService';
import type { ConnectionProfile, ConnectionService } from '../environments/connections';
import type { Logger } from '../logging/logger';
import { DmfClient } from './dmfClient';
import { DmfHttp } from './dmfHttp';
import type { RetryPolicy, Timing } from './retry';

export interface DmfConnection {
  readonly profile: ConnectionProfile;
  readonly dmf: DmfClient;
}

/** Builds a DMF client for an environment: its profile, its network and its token source. */
export class DmfClients {
  readonly #connections: ConnectionService;
  readonly #auth: AuthService;
  readonly #logger: Logger;
  readonly #retry?: RetryPolicy;
  readonly #timing?: Timing;

  constructor(options: {
    connections: ConnectionService;
    auth: AuthService;
    logger: Logger;
    retry?: RetryPolicy;
    timing?: Timing;
  }) {
    this.#connections = options.connections;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#retry = options.retry;
    this.#timing = options.timing;
  }

  async open(environmentId: string): Promise<DmfConnection> {
    const profile = await this.#connections.profile(environmentId);
    const http = new DmfHttp({
      fetch: profile.fetch,
      tokens: this.#auth.tokenSource(profile),
      logger: this.#logger,
      environmentName: profile.name,
      retry: this.#retry,
      timing: this.#timing,
    });
    return { profile, dmf: new DmfClient(http, profile.apiBase) };
  }
}
