/** F&O environments as the workbench knows them. Pure data: no secrets, ever. */

export const ENVIRONMENT_KINDS = ['emulator', 'cloud', 'on-premises'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

/** The colour tag consultants use to tell environments apart; PROD writes need confirmation. */
export const ENVIRONMENT_TAGS = ['DEV', 'TEST', 'UAT', 'PROD', 'OTHER'] as const;
export type EnvironmentTag = (typeof ENVIRONMENT_TAGS)[number];

/** How far the workbench got with an environment in this session. */
export const CONNECTION_STATES = ['not-started', 'starting', 'signed-out', 'signing-in', 'signed-in', 'error'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

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
}

export const LOCAL_EMULATOR_ID = 'local-emulator';
export const LOCAL_EMULATOR_NAME = 'Local emulator';
