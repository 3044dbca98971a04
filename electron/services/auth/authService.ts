import {
  AuthError,
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
} from '@azure/msal-node';
import type { AccountInfo, Configuration, ICachePlugin } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Publish } from '../../../shared/api/contract';
import type { AccountChoice, AuthStatus } from '../../../shared/api/domains/auth';
import { AppError } from '../../../shared/api/errors';
import { LOCAL_EMULATOR_ID } from '../../../shared/domain/environments';
import type { TokenSource } from '../dmf/dmfHttp';
import type { ConnectionProfile, ConnectionService } from '../environments/connections';
import type { EnvironmentService } from '../environments/environmentService';
import type { Logger } from '../logging/logger';
import type { Cipher } from './cipher';
import { encryptedCachePlugin } from './encryptedCachePlugin';

export interface AuthServiceOptions {
  readonly environments: EnvironmentService;
  readonly connections: ConnectionService;
  /** Encrypts the token cache at rest; null or unavailable: tokens live in memory only. */
  readonly cipher: Cipher | null;
  /** Folder of the encrypted token caches (one file per client id + authority). */
  readonly cacheDir: string;
  readonly logger: Logger;
  readonly publish: Publish;
  /** The system browser: shell.openExternal in the app, xdg-open/open/start in the CLI. */
  readonly openSystemBrowser: (url: string) => Promise<void>;
  /**
   * May a job open the browser when its silent token fails with interaction required? Yes in
   * the desktop app; no in the CLI, which tells the user to run `dmfw login`.
   */
  readonly interactiveOnDemand: boolean;
  /** Where client secrets are read from, by the variable name the environment gives. */
  readonly secrets: Readonly<Record<string, string | undefined>>;
}

const SUCCESS_PAGE =
  '<!doctype html><title>DMF Workbench</title><p style="font-family:sans-serif">Signed in. You can close this tab and return to DMF Workbench.</p>';
const ERROR_PAGE =
  '<!doctype html><title>DMF Workbench</title><p style="font-family:sans-serif">Sign-in failed: {{error}}. Return to DMF Workbench and try again.</p>';
/** A person may take a while in the browser (MFA, picking an account), but not forever. */
const INTERACTIVE_TIMEOUT_MS = 10 * 60_000;

/**
 * Sign-in with MSAL: a PublicClientApplication per (client id, authority) sharing an encrypted
 * cache; the system browser with a loopback redirect and PKCE for people; a confidential client
 * with a secret from an environment variable for unattended runs. Tokens only leave this module
 * as the Authorization header of DmfHttp: never through the contract, never into a log.
 */
export class AuthService {
  readonly #options: AuthServiceOptions;
  readonly #publicApps = new Map<string, PublicClientApplication>();
  readonly #confidentialApps = new Map<string, ConfidentialClientApplication>();
  /** When the last access token handed out for each environment expires (shown, never the token). */
  readonly #expiries = new Map<string, Date>();
  #persistent: Promise<boolean> | null = null;

  constructor(options: AuthServiceOptions) {
    this.#options = options;
  }

  async status(environmentId: string): Promise<AuthStatus> {
    const env = this.#options.environments.get(environmentId);
    if (env.id === LOCAL_EMULATOR_ID && !this.#options.connections.emulatorStarted) {
      // Asking who is signed in must not start the emulator: answer from the settings.
      const chosen = this.#options.environments.chosenAccount(env.id);
      return {
        environmentId: env.id,
        mode: 'interactive',
        signedIn: false,
        account: chosen
          ? { homeAccountId: chosen.homeAccountId, username: chosen.username, name: null, tenantId: '' }
          : null,
        accounts: [],
        tokenCache: (await this.#isPersistent()) ? 'encrypted' : 'memory',
        tokenExpiresAt: null,
      };
    }
    const profile = await this.#options.connections.profile(environmentId);
    return this.#status(profile);
  }

  /**
   * Interactive sign-in (in the system browser; the Local emulator completes it without one).
   * `prompt: 'select_account'` is "use another account".
   */
  async signIn(
    environmentId: string,
    options: { prompt?: 'select_account' | 'login'; loginHint?: string } = {},
  ): Promise<AuthStatus> {
    const profile = await this.#options.connections.profile(environmentId);
    if (profile.auth.mode === 'client-credentials') {
      await this.#clientCredentials(profile, true);
      this.#options.environments.setConnection(profile.environmentId, 'signed-in');
      return this.#changed(profile);
    }
    await this.#interactive(profile, options);
    return this.#changed(profile);
  }

  /** Account picker: use a signed-in account for this environment (no browser if its session holds). */
  async useAccount(environmentId: string, homeAccountId: string): Promise<AuthStatus> {
    const profile = await this.#options.connections.profile(environmentId);
    const app = await this.#publicApp(profile);
    const account = await app.getTokenCache().getAccountByHomeId(homeAccountId);
    if (!account) {
      throw new AppError(
        'NOT_FOUND',
        'That account is not signed in on this computer. Use "Sign in with another account".',
      );
    }
    try {
      const result = await app.acquireTokenSilent({ account, scopes: [profile.scope] });
      await this.#choose(profile, account);
      this.#noteExpiry(profile, result.expiresOn);
    } catch (error) {
      if (!needsInteraction(error)) throw authFailure(profile, error);
      await this.#interactive(profile, { loginHint: account.username });
    }
    return this.#changed(profile);
  }

  /** Forgets the environment's account and removes it from the token cache. */
  async signOut(environmentId: string): Promise<AuthStatus> {
    const profile = await this.#options.connections.profile(environmentId);
    const chosen = this.#options.environments.chosenAccount(profile.environmentId);
    if (profile.auth.mode === 'interactive' && chosen) {
      const app = await this.#publicApp(profile);
      const account = await app.getTokenCache().getAccountByHomeId(chosen.homeAccountId);
      if (account) await app.getTokenCache().removeAccount(account);
    }
    this.#confidentialApps.delete(appKey(profile));
    this.#expiries.delete(profile.environmentId);
    await this.#options.environments.setChosenAccount(profile.environmentId, null);
    this.#options.environments.setConnection(profile.environmentId, 'signed-out');
    return this.#changed(profile);
  }

  /** Bearer tokens for DmfHttp. Silent first; interactive only when interaction is required and allowed. */
  tokenSource(profile: ConnectionProfile): TokenSource {
    return {
      accessToken: async ({ forceRefresh }) => {
        if (profile.auth.mode === 'client-credentials') return this.#clientCredentials(profile, forceRefresh);
        try {
          return await this.#silent(profile, forceRefresh);
        } catch (error) {
          if (!needsInteraction(error)) throw authFailure(profile, error);
          if (!profile.auth.openBrowser && !this.#options.interactiveOnDemand) {
            this.#options.environments.setConnection(profile.environmentId, 'signed-out');
            throw new AppError(
              'UNAUTHORIZED',
              `Sign in to ${profile.name} first: run \`dmfw login --env "${profile.name}"\` or use Sign in in Environments.`,
            );
          }
          return (await this.#interactive(profile, {})).accessToken;
        }
      },
    };
  }

  async #silent(profile: ConnectionProfile, forceRefresh: boolean): Promise<string> {
    const app = await this.#publicApp(profile);
    const account = await this.#chosenAccount(profile, app);
    if (!account) throw new InteractionRequiredAuthError('no_account', 'No account is signed in for this environment.');
    const result = await app.acquireTokenSilent({ account, scopes: [profile.scope], forceRefresh });
    this.#noteExpiry(profile, result.expiresOn);
    return result.accessToken;
  }

  async #interactive(
    profile: ConnectionProfile,
    options: { prompt?: 'select_account' | 'login'; loginHint?: string },
  ): Promise<{ accessToken: string }> {
    const { environments, logger } = this.#options;
    const app = await this.#publicApp(profile);
    environments.setConnection(profile.environmentId, 'signing-in');
    try {
      const pending = app.acquireTokenInteractive({
        scopes: [profile.scope],
        openBrowser: profile.auth.openBrowser ?? this.#options.openSystemBrowser,
        successTemplate: SUCCESS_PAGE,
        errorTemplate: ERROR_PAGE,
        ...(options.prompt ? { prompt: options.prompt } : {}),
        ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      });
      const result = await withTimeout(pending, INTERACTIVE_TIMEOUT_MS, profile);
      if (!result.account)
        throw new AppError('UNAUTHORIZED', `Sign-in to ${profile.name} returned no account. Try again.`);
      await this.#choose(profile, result.account);
      this.#noteExpiry(profile, result.expiresOn);
      logger.info(`Signed in to ${profile.name} as ${result.account.username}`);
      return { accessToken: result.accessToken };
    } catch (error) {
      environments.setConnection(profile.environmentId, 'signed-out');
      throw authFailure(profile, error);
    }
  }

  async #clientCredentials(profile: ConnectionProfile, forceRefresh: boolean): Promise<string> {
    const variable = profile.auth.clientSecretVariable ?? 'DMFW_CLIENT_SECRET';
    const secret = this.#options.secrets[variable];
    if (!secret) {
      throw new AppError(
        'UNAUTHORIZED',
        `${profile.name} signs in with a client secret, but the environment variable ${variable} is not set. Set it to the app registration's secret.`,
      );
    }
    const key = appKey(profile);
    let app = this.#confidentialApps.get(key);
    if (!app) {
      app = new ConfidentialClientApplication({
        ...this.#configuration(profile),
        auth: { ...this.#auth(profile), clientSecret: secret },
      });
      this.#confidentialApps.set(key, app);
    }
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [profile.scope], skipCache: forceRefresh });
      if (!result) throw new AppError('UNAUTHORIZED', `${profile.name} returned no token for the client credentials.`);
      this.#noteExpiry(profile, result.expiresOn);
      this.#options.environments.setConnection(profile.environmentId, 'signed-in');
      return result.accessToken;
    } catch (error) {
      throw authFailure(profile, error);
    }
  }

  #noteExpiry(profile: ConnectionProfile, expiresOn: Date | null): void {
    if (expiresOn) this.#expiries.set(profile.environmentId, expiresOn);
    else this.#expiries.delete(profile.environmentId);
  }

  /** The expiry of the last token handed out, while it is in the future and its account still chosen. */
  #tokenExpiry(profile: ConnectionProfile, signedIn: boolean): string | null {
    const expiry = this.#expiries.get(profile.environmentId);
    return signedIn && expiry && expiry.getTime() > Date.now() ? expiry.toISOString() : null;
  }

  async #chosenAccount(profile: ConnectionProfile, app: PublicClientApplication): Promise<AccountInfo | null> {
    const chosen = this.#options.environments.chosenAccount(profile.environmentId);
    if (chosen) return app.getTokenCache().getAccountByHomeId(chosen.homeAccountId);
    return null;
  }

  async #choose(profile: ConnectionProfile, account: AccountInfo): Promise<void> {
    await this.#options.environments.setChosenAccount(profile.environmentId, {
      homeAccountId: account.homeAccountId,
      username: account.username,
    });
    this.#options.environments.setConnection(profile.environmentId, 'signed-in');
  }

  async #status(profile: ConnectionProfile): Promise<AuthStatus> {
    const persistent = await this.#isPersistent();
    if (profile.auth.mode === 'client-credentials') {
      const variable = profile.auth.clientSecretVariable ?? 'DMFW_CLIENT_SECRET';
      const signedIn = Boolean(this.#options.secrets[variable]);
      return {
        environmentId: profile.environmentId,
        mode: 'client-credentials',
        signedIn,
        account: null,
        accounts: [],
        tokenCache: 'memory',
        tokenExpiresAt: this.#tokenExpiry(profile, signedIn),
      };
    }
    const app = await this.#publicApp(profile);
    const accounts = await app.getTokenCache().getAllAccounts();
    const chosen = this.#options.environments.chosenAccount(profile.environmentId);
    const current = chosen ? accounts.find((a) => a.homeAccountId === chosen.homeAccountId) : undefined;
    return {
      environmentId: profile.environmentId,
      mode: 'interactive',
      signedIn: current !== undefined,
      account: current ? choice(current) : null,
      accounts: accounts.filter((a) => tenantMatches(profile, a)).map(choice),
      tokenCache: persistent ? 'encrypted' : 'memory',
      tokenExpiresAt: this.#tokenExpiry(profile, current !== undefined),
    };
  }

  async #changed(profile: ConnectionProfile): Promise<AuthStatus> {
    const status = await this.#status(profile);
    this.#options.publish('auth.changed', status);
    return status;
  }

  async #publicApp(profile: ConnectionProfile): Promise<PublicClientApplication> {
    const key = appKey(profile);
    let app = this.#publicApps.get(key);
    if (!app) {
      const cachePlugin = (await this.#isPersistent())
        ? encryptedCachePlugin(
            join(this.#options.cacheDir, `msal-${key}.bin`),
            this.#options.cipher as Cipher,
            this.#options.logger,
          )
        : undefined;
      app = new PublicClientApplication({ ...this.#configuration(profile, cachePlugin), auth: this.#auth(profile) });
      this.#publicApps.set(key, app);
    }
    return app;
  }

  #auth(profile: ConnectionProfile): Configuration['auth'] {
    return {
      clientId: profile.auth.clientId,
      authority: profile.auth.authority,
      knownAuthorities: [...profile.auth.knownAuthorities],
      ...(profile.auth.authorityMetadata ? { authorityMetadata: profile.auth.authorityMetadata } : {}),
    };
  }

  #configuration(profile: ConnectionProfile, cachePlugin?: ICachePlugin): Configuration {
    const { logger } = this.#options;
    return {
      auth: this.#auth(profile),
      ...(cachePlugin ? { cache: { cachePlugin } } : {}),
      system: {
        networkClient: profile.auth.network,
        loggerOptions: {
          // MSAL's own lines can carry personal data; keep warnings and errors, never PII.
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) =>
            level <= LogLevel.Error ? logger.warn(`MSAL: ${message}`) : logger.debug(`MSAL: ${message}`),
        },
      },
    };
  }

  /** Is the token cache written to disk (encrypted)? Only with a cipher that has a protected key. */
  #isPersistent(): Promise<boolean> {
    this.#persistent ??= (async () => {
      const { cipher, logger, cacheDir } = this.#options;
      if (!cipher) return false;
      if (!(await cipher.available())) {
        logger.warn(
          `No protected key store (${cipher.description}): sign-ins are kept in memory for this session only.`,
        );
        return false;
      }
      await mkdir(cacheDir, { recursive: true, mode: 0o700 });
      return true;
    })();
    return this.#persistent;
  }
}

function appKey(profile: ConnectionProfile): string {
  return createHash('sha256').update(`${profile.auth.clientId}|${profile.auth.authority}`).digest('hex').slice(0, 16);
}

function choice(account: AccountInfo): AccountChoice {
  return {
    homeAccountId: account.homeAccountId,
    username: account.username,
    name: account.name ?? null,
    tenantId: account.tenantId,
  };
}

function tenantMatches(profile: ConnectionProfile, account: AccountInfo): boolean {
  const tenant = profile.auth.tenantId.toLowerCase();
  // A domain or 'organizations' tenant cannot be compared with the account's tenant GUID.
  return !/^[0-9a-f-]{36}$/.test(tenant) || account.tenantId.toLowerCase() === tenant;
}

function needsInteraction(error: unknown): boolean {
  if (error instanceof InteractionRequiredAuthError) return true;
  // No cached account or refresh token: MSAL reports these as client errors.
  return error instanceof AuthError && /no_account|no_tokens_found|invalid_grant|refresh_token/i.test(error.errorCode);
}

function authFailure(profile: ConnectionProfile, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof AuthError) {
    // errorMessage is the server's description (AADSTS…); it carries no token.
    const description = (error.errorMessage || error.errorCode).split('\n')[0];
    return new AppError(
      'UNAUTHORIZED',
      `Sign-in to ${profile.name} failed (${error.errorCode}): ${description}. Check the tenant, client id and authority of the environment, then sign in again.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(
    'REMOTE_FAILED',
    `Could not reach the sign-in service for ${profile.name}: ${message}. Check your network or proxy.`,
  );
}

async function withTimeout<T>(pending: Promise<T>, ms: number, profile: ConnectionProfile): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'TIMEOUT',
            `Sign-in to ${profile.name} was not completed in the browser within ${ms / 60_000} minutes. Try again.`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
