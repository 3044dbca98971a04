/** F&O environments as the workbench knows them. Pure data: no secrets, ever. */

export const ENVIRONMENT_KINDS = ['emulator', 'cloud', 'on-premises'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

/** The colour tag consultants use to tell environments apart; PROD writes need confirmation. */
export const ENVIRONMENT_TAGS = ['DEV', 'TEST', 'UAT', 'PROD', 'OTHER'] as const;
export type EnvironmentTag = (typeof ENVIRONMENT_TAGS)[number];

/** How far the workbench got with an environment in this session. */
export const CONNECTION_STATES = ['not-started', 'starting', 'signed-out', 'signing-in', 'signed-in', 'error'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * How the workbench gets tokens for an environment. `interactive`: a person signs in in the
 * system browser. `client-credentials`: an app registration's secret, for unattended CLI runs;
 * the secret itself is read from the environment variable named here, never stored.
 */
export const AUTH_MODES = ['interactive', 'client-credentials'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface EnvironmentSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: EnvironmentKind;
  /** Base URL, e.g. https://contoso.operations.dynamics.com; null while the emulator is not started. */
  readonly url: string | null;
  readonly tag: EnvironmentTag;
  /** Legal entity (dataAreaId) used when a job does not name one. */
  readonly defaultCompany: string;
  /** The built-in Local emulator cannot be edited or removed. */
  readonly builtIn: boolean;
  readonly connection: ConnectionState;
  /** Entra tenant (GUID or domain); for on-premises the AD FS realm is the authority. */
  readonly tenantId: string | null;
  /** The app registration (public client) used to sign in. */
  readonly clientId: string | null;
  /** The sign-in authority when it is not Entra's default for the tenant (AD FS on-premises). */
  readonly authority: string | null;
  readonly authMode: AuthMode;
  /** Name of the environment variable holding the client secret (client-credentials only). */
  readonly clientSecretVariable: string | null;
  /** The signed-in (or last chosen) account's user name; null when nobody signed in yet. */
  readonly account: string | null;
}

export const LOCAL_EMULATOR_ID = 'local-emulator';
export const LOCAL_EMULATOR_NAME = 'Local emulator';

/** Base path that on-premises (AD FS) deployments put between the host and /data. */
export const ON_PREMISES_BASE_PATH = '/namespaces/AXSF';
