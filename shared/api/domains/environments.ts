import { z } from '../zod';
import type { EnvironmentSummary } from '../../domain/environments';
import { AUTH_MODES, ENVIRONMENT_KINDS, ENVIRONMENT_TAGS } from '../../domain/environments';
import { event, method } from '../define';

export interface EnvironmentList {
  readonly environments: readonly EnvironmentSummary[];
  /** The environment the status bar shows and jobs default to. */
  readonly activeId: string;
}

const environmentId = z.string().min(1).max(200);

/** A legal entity (company, dataAreaId) of an environment. */
export interface LegalEntityInfo {
  readonly id: string;
  readonly name: string | null;
}

export type ConnectionCheckId = 'address' | 'sign-in' | 'data-management' | 'legal-entities';

/** One step of a connection test: what was tried, whether it worked, and what to do if not. */
export interface ConnectionCheck {
  readonly id: ConnectionCheckId;
  readonly label: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

export interface ConnectionTest {
  readonly environmentId: string;
  /** Every check passed. Checks stop at the first failure. */
  readonly ok: boolean;
  readonly checks: readonly ConnectionCheck[];
  readonly legalEntities: readonly LegalEntityInfo[];
  readonly testedAt: string;
}

/** What a consultant enters to register an environment. The service normalises and checks it. */
export const environmentInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** e.g. https://contoso.operations.dynamics.com (on-premises: the AOS URL; /namespaces/AXSF is added). */
    url: z.string().min(1).max(2000),
    /** cloud when omitted. (No default here: in a patch a default would overwrite the stored kind.) */
    kind: z.enum(ENVIRONMENT_KINDS.filter((k) => k !== 'emulator') as ['cloud', 'on-premises']).optional(),
    tenantId: z.string().min(1).max(256),
    clientId: z.string().min(1).max(128),
    /** AD FS (on-premises) or a non-default Entra authority; omit for https://login.microsoftonline.com/<tenant>/. */
    authority: z.string().min(1).max(2000).nullish(),
    defaultCompany: z.string().min(1).max(4).optional(),
    tag: z.enum(ENVIRONMENT_TAGS).optional(),
    authMode: z.enum(AUTH_MODES).optional(),
    /** The NAME of the environment variable holding the client secret (client-credentials only). */
    clientSecretVariable: z.string().min(1).max(128).nullish(),
  })
  .strict();

export type EnvironmentInput = z.output<typeof environmentInputSchema>;
export type EnvironmentPatch = Partial<EnvironmentInput>;

export const environmentMethods = {
  'environments.list': method<EnvironmentList>()(
    'Every registered environment, the built-in Local emulator first.',
    z.object({}).strict(),
  ),
  'environments.setActive': method<EnvironmentList>()(
    'Choose the environment that jobs default to.',
    z.object({ id: environmentId }).strict(),
  ),
  'environments.add': method<EnvironmentSummary>()(
    'Register an F&O environment (cloud or on-premises). No secrets: sign-in stores tokens encrypted, apart.',
    environmentInputSchema,
  ),
  'environments.update': method<EnvironmentSummary>()(
    'Change a registered environment. Changing its tenant, client or URL forgets the chosen account.',
    z.object({ id: environmentId, patch: environmentInputSchema.partial() }).strict(),
  ),
  'environments.remove': method<EnvironmentList>()(
    'Forget a registered environment (the built-in Local emulator stays).',
    z.object({ id: environmentId }).strict(),
  ),
  'environments.test': method<ConnectionTest>()(
    'Test connection: the address answers, the sign-in gives a token, the data management API and OData answer. Never opens a browser.',
    z.object({ id: environmentId }).strict(),
  ),
  'environments.legalEntities': method<readonly LegalEntityInfo[]>()(
    'The legal entities of an environment for pickers (read over OData when signed in; otherwise what is known without asking).',
    z.object({ id: environmentId }).strict(),
  ),
  'environments.connect': method<EnvironmentSummary>()(
    'Make an environment reachable: starts the Local emulator on demand; for others checks the address answers.',
    z.object({ id: environmentId }).strict(),
  ),
} as const;

export const environmentEvents = {
  'environments.changed': event<EnvironmentList>('The list, the active environment or a connection state changed.'),
} as const;
