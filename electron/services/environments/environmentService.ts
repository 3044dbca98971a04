import { randomUUID } from 'node:crypto';
import type { Publish } from '../../../shared/api/contract';
import type { EnvironmentInput, EnvironmentList, EnvironmentPatch } from '../../../shared/api/domains/environments';
import { AppError } from '../../../shared/api/errors';
import type { ConnectionState, EnvironmentKind, EnvironmentSummary } from '../../../shared/domain/environments';
import { LOCAL_EMULATOR_ID, LOCAL_EMULATOR_NAME } from '../../../shared/domain/environments';
import type { SettingsStore, StoredEnvironment } from '../settings/settings';
import {
  checkClientId,
  checkCompany,
  checkName,
  checkSecretVariable,
  checkTenant,
  normaliseAuthority,
  normaliseEnvironmentUrl,
} from './environmentInput';

/** The account an environment signs in with (not a secret: MSAL's homeAccountId and user name). */
export interface ChosenAccount {
  readonly homeAccountId: string;
  readonly username: string;
}

/** The registry of F&O environments, with the built-in Local emulator always first. */
export class EnvironmentService {
  readonly #settings: SettingsStore;
  readonly #publish: Publish;
  readonly #connections = new Map<string, ConnectionState>();
  #emulatorUrl: string | null = null;

  constructor(settings: SettingsStore, publish: Publish) {
    this.#settings = settings;
    this.#publish = publish;
  }

  list(): EnvironmentList {
    const settings = this.#settings.read();
    const environments = [this.#localEmulator(), ...settings.environments.map((env) => this.#summary(env))];
    const activeId = environments.some((env) => env.id === settings.activeEnvironmentId)
      ? settings.activeEnvironmentId
      : LOCAL_EMULATOR_ID;
    return { environments, activeId };
  }

  /** One environment by id, or by name (case-insensitive) as the CLI's `--env` gives it. */
  get(idOrName: string): EnvironmentSummary {
    const { environments } = this.list();
    const wanted = idOrName.trim().toLowerCase();
    const found =
      environments.find((env) => env.id === idOrName) ?? environments.find((env) => env.name.toLowerCase() === wanted);
    if (!found) {
      const names = environments.map((env) => `"${env.name}"`).join(', ');
      throw new AppError(
        'NOT_FOUND',
        `There is no environment "${idOrName}". Registered: ${names}. Add one with \`dmfw envs add\` or in Environments.`,
      );
    }
    return found;
  }

  /** The stored record of a registered (not built-in) environment. */
  stored(id: string): StoredEnvironment {
    const env = this.#settings.read().environments.find((e) => e.id === id);
    if (!env) throw new AppError('NOT_FOUND', `There is no registered environment with id "${id}".`);
    return env;
  }

  async setActive(id: string): Promise<EnvironmentList> {
    const env = this.get(id);
    await this.#settings.update((current) => ({ ...current, activeEnvironmentId: env.id }));
    return this.#changed();
  }

  async add(input: EnvironmentInput): Promise<EnvironmentSummary> {
    const stored = this.#checked({ id: randomUUID(), ...input });
    await this.#settings.update((current) => {
      this.#assertNameFree(current.environments, stored.name, stored.id);
      return { ...current, environments: [...current.environments, stored] };
    });
    this.#changed();
    return this.get(stored.id);
  }

  async update(id: string, patch: EnvironmentPatch): Promise<EnvironmentSummary> {
    this.#assertEditable(id);
    const before = this.stored(id);
    const merged = this.#checked({ ...before, ...dropUndefined(patch), id });
    // A different tenant, client or address means the chosen account no longer applies.
    const sameIdentity =
      merged.tenantId === before.tenantId && merged.clientId === before.clientId && merged.url === before.url;
    const next: StoredEnvironment = sameIdentity
      ? { ...merged, homeAccountId: before.homeAccountId, username: before.username }
      : { ...merged, homeAccountId: undefined, username: undefined };
    await this.#settings.update((current) => {
      this.#assertNameFree(current.environments, next.name, id);
      return { ...current, environments: current.environments.map((env) => (env.id === id ? next : env)) };
    });
    this.#changed();
    return this.get(id);
  }

  async remove(id: string): Promise<EnvironmentList> {
    this.#assertEditable(id);
    this.stored(id);
    await this.#settings.update((current) => ({
      ...current,
      environments: current.environments.filter((env) => env.id !== id),
      activeEnvironmentId: current.activeEnvironmentId === id ? LOCAL_EMULATOR_ID : current.activeEnvironmentId,
    }));
    this.#connections.delete(id);
    return this.#changed();
  }

  /**
   * Writing to an environment tagged PROD needs the consultant to confirm by typing its name:
   * a checkbox is too easy to tick by habit. The UI asks; the CLI takes `--confirm-prod <name>`.
   */
  assertWritable(id: string, confirmation: string | undefined): void {
    const env = this.get(id);
    if (env.tag !== 'PROD') return;
    if (confirmation?.trim().toLowerCase() === env.name.toLowerCase()) return;
    throw new AppError(
      'FORBIDDEN',
      `"${env.name}" is tagged PROD. To write to it, confirm by giving its name exactly ` +
        `(confirmProduction: "${env.name}", or --confirm-prod "${env.name}" on the command line).`,
      { environmentId: env.id, tag: env.tag },
    );
  }

  chosenAccount(id: string): ChosenAccount | null {
    const settings = this.#settings.read();
    const record = id === LOCAL_EMULATOR_ID ? settings.localEmulator : settings.environments.find((e) => e.id === id);
    return record?.homeAccountId && record.username
      ? { homeAccountId: record.homeAccountId, username: record.username }
      : null;
  }

  async setChosenAccount(id: string, account: ChosenAccount | null): Promise<void> {
    const values = { homeAccountId: account?.homeAccountId, username: account?.username };
    await this.#settings.update((current) =>
      id === LOCAL_EMULATOR_ID
        ? { ...current, localEmulator: account ? { ...account } : undefined }
        : {
            ...current,
            environments: current.environments.map((env) => (env.id === id ? { ...env, ...values } : env)),
          },
    );
    this.#changed();
  }

  setConnection(id: string, state: ConnectionState): void {
    if (this.#connections.get(id) === state) return;
    this.#connections.set(id, state);
    this.#changed();
  }

  /** The emulator's address changes with every start (a free port); shown while it runs. */
  setEmulatorUrl(url: string | null): void {
    this.#emulatorUrl = url;
    this.#changed();
  }

  #checked(input: Omit<EnvironmentInput, 'kind'> & { id: string; kind?: EnvironmentKind }): StoredEnvironment {
    const kind = input.kind ?? 'cloud';
    if (kind === 'on-premises' && !input.authority) {
      throw new AppError(
        'INVALID_INPUT',
        'An on-premises environment signs in through AD FS: give its authority, e.g. https://adfs.contoso.com/adfs/.',
      );
    }
    const authMode = input.authMode ?? 'interactive';
    if (authMode === 'client-credentials' && !input.clientSecretVariable) {
      throw new AppError(
        'INVALID_INPUT',
        'Client-credentials sign-in needs the NAME of the environment variable that holds the secret (e.g. DMFW_CLIENT_SECRET).',
      );
    }
    return {
      id: input.id,
      name: checkName(input.name),
      kind,
      url: normaliseEnvironmentUrl(input.url, kind),
      tenantId: checkTenant(input.tenantId),
      clientId: checkClientId(input.clientId),
      authority: input.authority ? normaliseAuthority(input.authority) : undefined,
      defaultCompany: checkCompany(input.defaultCompany ?? 'USMF'),
      tag: input.tag ?? 'DEV',
      authMode,
      clientSecretVariable:
        authMode === 'client-credentials' && input.clientSecretVariable
          ? checkSecretVariable(input.clientSecretVariable)
          : undefined,
    };
  }

  #assertNameFree(environments: readonly StoredEnvironment[], name: string, id: string): void {
    const lower = name.toLowerCase();
    if (
      lower === LOCAL_EMULATOR_NAME.toLowerCase() ||
      environments.some((e) => e.id !== id && e.name.toLowerCase() === lower)
    ) {
      throw new AppError('CONFLICT', `An environment named "${name}" already exists. Choose another name.`);
    }
  }

  #assertEditable(id: string): void {
    if (id === LOCAL_EMULATOR_ID) {
      throw new AppError('FORBIDDEN', 'The built-in Local emulator cannot be edited or removed.');
    }
  }

  #changed(): EnvironmentList {
    const list = this.list();
    this.#publish('environments.changed', list);
    return list;
  }

  #localEmulator(): EnvironmentSummary {
    const account = this.#settings.read().localEmulator;
    return {
      id: LOCAL_EMULATOR_ID,
      name: LOCAL_EMULATOR_NAME,
      kind: 'emulator',
      url: this.#emulatorUrl,
      tag: 'DEV',
      defaultCompany: 'USMF',
      builtIn: true,
      connection: this.#connections.get(LOCAL_EMULATOR_ID) ?? 'not-started',
      tenantId: null,
      clientId: null,
      authority: null,
      authMode: 'interactive',
      clientSecretVariable: null,
      account: account?.username ?? null,
    };
  }

  #summary(env: StoredEnvironment): EnvironmentSummary {
    return {
      id: env.id,
      name: env.name,
      kind: env.kind,
      url: env.url,
      tag: env.tag,
      defaultCompany: env.defaultCompany,
      builtIn: false,
      connection: this.#connections.get(env.id) ?? 'signed-out',
      tenantId: env.tenantId,
      clientId: env.clientId,
      authority: env.authority ?? null,
      authMode: env.authMode,
      clientSecretVariable: env.clientSecretVariable ?? null,
      account: env.username ?? null,
    };
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
