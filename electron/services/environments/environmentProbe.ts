import type {
  ConnectionCheck,
  ConnectionCheckId,
  ConnectionTest,
  LegalEntityInfo,
} from '../../../shared/api/domains/environments';
import { AppError } from '../../../shared/api/errors';
import type { AuthService } from '../auth/authService';
import type { DmfClients } from '../dmf/dmfClients';
import type { ConnectionService } from './connections';
import type { EnvironmentService } from './environmentService';

/** A legal entity list is read at most this often per environment (pickers ask on every render). */
const LEGAL_ENTITY_TTL_MS = 5 * 60_000;

const LABELS: Record<ConnectionCheckId, string> = {
  address: 'The address answers',
  'sign-in': 'Signed in with a valid token',
  'data-management': 'Data management API answers',
  'legal-entities': 'Legal entities can be read',
};

/**
 * "Test connection" and the legal entities of an environment: each check says what was tried,
 * how long it took, and what to do when it failed. Never signs in by itself: a test must not open
 * a browser; the consultant signs in with the button next to it.
 */
export class EnvironmentProbe {
  readonly #environments: EnvironmentService;
  readonly #connections: ConnectionService;
  readonly #auth: AuthService;
  readonly #dmf: DmfClients;
  readonly #legalEntities = new Map<string, { at: number; list: LegalEntityInfo[] }>();

  constructor(options: {
    environments: EnvironmentService;
    connections: ConnectionService;
    auth: AuthService;
    dmf: DmfClients;
  }) {
    this.#environments = options.environments;
    this.#connections = options.connections;
    this.#auth = options.auth;
    this.#dmf = options.dmf;
  }

  async test(environmentId: string): Promise<ConnectionTest> {
    const checks: ConnectionCheck[] = [];
    let legalEntities: LegalEntityInfo[] = [];
    const run = async (id: ConnectionCheckId, check: () => Promise<string>): Promise<boolean> => {
      const started = Date.now();
      try {
        const detail = await check();
        checks.push({ id, label: LABELS[id], ok: true, detail, ms: Date.now() - started });
        return true;
      } catch (error) {
        const detail = error instanceof AppError ? error.message : `Unexpected failure: ${String(error)}`;
        checks.push({ id, label: LABELS[id], ok: false, detail, ms: Date.now() - started });
        return false;
      }
    };
    const profile = await this.#connections.profile(environmentId);
    const ok =
      (await run('address', async () => {
        await this.#connections.reachable(environmentId);
        return `${profile.apiBase} answered.`;
      })) &&
      (await run('sign-in', async () => {
        const status = await this.#auth.status(environmentId);
        if (!status.signedIn) {
          throw new AppError('UNAUTHORIZED', `Nobody is signed in to ${profile.name}. Use Sign in, then test again.`);
        }
        // A silent token: from the cache, or renewed with the refresh token (no browser).
        await this.#auth.tokenSource(profile).accessToken({ forceRefresh: false });
        return status.account ? `Signed in as ${status.account.username}.` : 'The client secret gives a token.';
      })) &&
      (await run('data-management', async () => {
        const { dmf } = await this.#dmf.open(environmentId);
        for await (const page of dmf.readCollection('DataManagementDefinitionGroups', {
          select: ['Name'],
          pageSize: 1,
        })) {
          void page;
          break;
        }
        return 'Data projects can be read; imports and exports can run.';
      })) &&
      (await run('legal-entities', async () => {
        legalEntities = await this.#readLegalEntities(environmentId);
        return `${legalEntities.length} legal ${legalEntities.length === 1 ? 'entity' : 'entities'}: ${legalEntities
          .slice(0, 8)
          .map((l) => l.id)
          .join(', ')}${legalEntities.length > 8 ? ', …' : ''}.`;
      }));
    return { environmentId: profile.environmentId, ok, checks, legalEntities, testedAt: new Date().toISOString() };
  }

  /**
   * The legal entities (companies) to offer in pickers. Without a sign-in the list is what is
   * known without asking: the emulator's companies, or the default legal entity.
   */
  async legalEntities(environmentId: string): Promise<LegalEntityInfo[]> {
    const env = this.#environments.get(environmentId);
    // Asking must not start the Local emulator (a consultant preparing packages offline).
    if (env.kind === 'emulator' && env.connection === 'not-started') return [{ id: env.defaultCompany, name: null }];
    const profile = await this.#connections.profile(environmentId);
    const fallback = (): LegalEntityInfo[] =>
      (profile.companies ?? [profile.defaultCompany]).map((id) => ({ id, name: null }));
    const status = await this.#auth.status(environmentId).catch(() => null);
    if (!status?.signedIn) return fallback();
    try {
      return await this.#readLegalEntities(environmentId);
    } catch {
      return fallback();
    }
  }

  async #readLegalEntities(environmentId: string): Promise<LegalEntityInfo[]> {
    const cached = this.#legalEntities.get(environmentId);
    if (cached && Date.now() - cached.at < LEGAL_ENTITY_TTL_MS) return cached.list;
    const { dmf } = await this.#dmf.open(environmentId);
    const list: LegalEntityInfo[] = [];
    for await (const page of dmf.readCollection('LegalEntities', { select: ['LegalEntityId', 'Name'] })) {
      for (const row of page) {
        const id = typeof row.LegalEntityId === 'string' ? row.LegalEntityId.toUpperCase() : null;
        if (id) list.push({ id, name: typeof row.Name === 'string' && row.Name ? row.Name : null });
      }
    }
    list.sort((a, b) => a.id.localeCompare(b.id));
    this.#legalEntities.set(environmentId, { at: Date.now(), list });
    return list;
  }
}
