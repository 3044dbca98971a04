import type { INetworkModule } from '@azure/msal-node';
import { AppError } from '../../../shared/api/errors';
import type { AuthMode, EnvironmentKind, EnvironmentTag } from '../../../shared/domain/environments';
import { LOCAL_EMULATOR_ID } from '../../../shared/domain/environments';
import type { Logger } from '../logging/logger';
import type { FetchLike } from '../net/fetch';
import { createEmulatorNetworkClient, isEmulatorAuthority } from '../../../emulator/entra/networkClient';
import { msalNetworkClient } from '../auth/msalNetworkClient';
import { apiBaseOf, authorityOf, scopeOf } from './environmentInput';
import type { EnvironmentService } from './environmentService';
import { completeEmulatorConsent } from './localEmulator';

/** How to sign in to one environment. Tokens are never part of it. */
export interface AuthProfile {
  readonly clientId: string;
  readonly tenantId: string;
  /** https URL ending in '/', as MSAL wants it. */
  readonly authority: string;
  /** Hosts MSAL trusts without cloud discovery (AD FS, the emulator's authority). */
  readonly knownAuthorities: readonly string[];
  /** OpenID metadata given up front (JSON), so MSAL does not fetch it; the emulator gives it. */
  readonly authorityMetadata?: string;
  readonly mode: AuthMode;
  /** Where to read the client secret from at the moment it is needed (client-credentials). */
  readonly clientSecretVariable?: string;
  /** The network MSAL talks through (the emulator's maps its authority host to loopback). */
  readonly network: INetworkModule;
  /**
   * Opens the authorisation URL. Absent: the platform's system browser. The emulator completes
   * the consent itself, so its sign-in needs no browser.
   */
  readonly openBrowser?: (url: string) => Promise<void>;
}

/** Everything a service needs to talk to one environment. */
export interface ConnectionProfile {
  readonly environmentId: string;
  readonly name: string;
  readonly kind: EnvironmentKind;
  readonly tag: EnvironmentTag;
  /** Base of /data and /api/connector: the URL, plus /namespaces/AXSF on-premises. */
  readonly apiBase: string;
  /** `https://<env>/.default`: the scope of this environment's tokens. */
  readonly scope: string;
  readonly defaultCompany: string;
  readonly companies: readonly string[] | null;
  readonly auth: AuthProfile;
  /** The network for F&O and connector calls. */
  readonly fetch: FetchLike;
}

/** A running local emulator, as the workbench needs to see it. */
export interface LocalEmulator {
  readonly baseUrl: string;
  readonly authority: string;
  readonly knownAuthorities: readonly string[];
  readonly authorityMetadata?: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly companies: readonly string[];
  /** Network for F&O calls to the emulator. */
  readonly fetch: FetchLike;
  /** MSAL's network client: reaches the emulator's authority, whose https host is never resolved. */
  readonly network: INetworkModule;
  /** Completes the authorise step the way a browser would, without one. */
  readonly openBrowser: (url: string) => Promise<void>;
  stop(): Promise<void>;
}

/** Starts the built-in emulator in this process (the composition binds emulator/'s startEmulator). */
export type EmulatorLauncher = () => Promise<LocalEmulator>;

/**
 * Turns an environment into a connection profile, starting the Local emulator the first time it
 * is needed (once per process, even under concurrent callers).
 */
export class ConnectionService {
  readonly #environments: EnvironmentService;
  readonly #launch: EmulatorLauncher | null;
  readonly #fetch: FetchLike;
  readonly #network: INetworkModule;
  readonly #logger: Logger;
  #emulator: Promise<LocalEmulator> | null = null;

  constructor(options: {
    environments: EnvironmentService;
    launchEmulator: EmulatorLauncher | null;
    fetch: FetchLike;
    logger: Logger;
  }) {
    this.#environments = options.environments;
    this.#launch = options.launchEmulator;
    this.#fetch = options.fetch;
    this.#network = msalNetworkClient(options.fetch);
    this.#logger = options.logger;
  }

  async profile(idOrName: string): Promise<ConnectionProfile> {
    const env = this.#environments.get(idOrName);
    if (env.id === LOCAL_EMULATOR_ID) return this.#emulatorProfile(await this.localEmulator());
    const stored = this.#environments.stored(env.id);
    const authority = authorityOf(stored.tenantId, stored.authority);
    // An emulator run apart (`dmfw emulator`) registered by its URL: its https authority is reached
    // over plain http on the same port (no trust in its CA needed), and its consent page is
    // completed without a browser.
    const emulator = isEmulatorAuthority(authority) && isLoopback(stored.url);
    return {
      environmentId: stored.id,
      name: stored.name,
      kind: stored.kind,
      tag: stored.tag,
      apiBase: apiBaseOf(stored.url, stored.kind),
      scope: scopeOf(stored.url),
      defaultCompany: stored.defaultCompany,
      companies: null,
      auth: {
        clientId: stored.clientId,
        tenantId: stored.tenantId,
        authority,
        // Entra is discovered by MSAL itself; anything else (AD FS) must be trusted explicitly.
        knownAuthorities: stored.authority ? [new URL(authority).host] : [],
        mode: stored.authMode,
        clientSecretVariable: stored.clientSecretVariable,
        network: emulator ? createEmulatorNetworkClient(stored.url, this.#fetch) : this.#network,
        ...(emulator ? { openBrowser: (url: string) => completeEmulatorConsent(url, this.#fetch) } : {}),
      },
      fetch: this.#fetch,
    };
  }

  /** Has the built-in emulator been started (or is it starting) in this process? */
  get emulatorStarted(): boolean {
    return this.#emulator !== null;
  }

  /** Starts the built-in emulator on first use; later callers share the same instance. */
  localEmulator(): Promise<LocalEmulator> {
    if (!this.#launch) {
      return Promise.reject(
        new AppError('REMOTE_FAILED', 'The Local emulator is not available in this build of the workbench.'),
      );
    }
    if (!this.#emulator) {
      const launch = this.#launch;
      this.#environments.setConnection(LOCAL_EMULATOR_ID, 'starting');
      this.#emulator = launch().then(
        (emulator) => {
          this.#environments.setEmulatorUrl(emulator.baseUrl);
          this.#environments.setConnection(LOCAL_EMULATOR_ID, 'signed-out');
          this.#logger.info(`Local emulator started at ${emulator.baseUrl}`);
          return emulator;
        },
        (error: unknown) => {
          this.#emulator = null;
          this.#environments.setConnection(LOCAL_EMULATOR_ID, 'error');
          this.#logger.error('The Local emulator did not start', error);
          throw new AppError(
            'REMOTE_FAILED',
            `The Local emulator did not start: ${error instanceof Error ? error.message : String(error)}. ` +
              'Check the workbench log, then try again.',
            undefined,
            { cause: error },
          );
        },
      );
    }
    return this.#emulator;
  }

  /** Checks that an environment answers at all (any HTTP status counts: 401 means it is there). */
  async reachable(idOrName: string): Promise<void> {
    const profile = await this.profile(idOrName);
    try {
      const response = await profile.fetch(`${profile.apiBase}/data/`, {
        method: 'GET',
        signal: AbortSignal.timeout(15_000),
      });
      await response.body?.cancel();
    } catch (error) {
      throw new AppError(
        'REMOTE_FAILED',
        `${profile.name} (${profile.apiBase}) does not answer: ${error instanceof Error ? error.message : String(error)}. ` +
          'Check the address, your network and any proxy settings.',
        undefined,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    const running = this.#emulator;
    this.#emulator = null;
    if (!running) return;
    const emulator = await running.catch(() => null);
    await emulator?.stop();
    this.#environments.setEmulatorUrl(null);
    this.#environments.setConnection(LOCAL_EMULATOR_ID, 'not-started');
  }

  #emulatorProfile(emulator: LocalEmulator): ConnectionProfile {
    const summary = this.#environments.get(LOCAL_EMULATOR_ID);
    return {
      environmentId: LOCAL_EMULATOR_ID,
      name: summary.name,
      kind: 'emulator',
      tag: summary.tag,
      apiBase: emulator.baseUrl,
      scope: scopeOf(emulator.baseUrl),
      defaultCompany: summary.defaultCompany,
      companies: emulator.companies,
      auth: {
        clientId: emulator.clientId,
        tenantId: emulator.tenantId,
        authority: emulator.authority,
        knownAuthorities: emulator.knownAuthorities,
        authorityMetadata: emulator.authorityMetadata,
        mode: 'interactive',
        network: emulator.network,
        openBrowser: emulator.openBrowser,
      },
      fetch: emulator.fetch,
    };
  }
}

function isLoopback(url: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}
