import type { Publish } from '../../../shared/api/contract';
import type { EnvironmentList } from '../../../shared/api/domains/environments';
import { AppError } from '../../../shared/api/errors';
import type { ConnectionState, EnvironmentSummary } from '../../../shared/domain/environments';
import { LOCAL_EMULATOR_ID, LOCAL_EMULATOR_NAME } from '../../../shared/domain/environments';
import type { SettingsStore, StoredEnvironment } from '../settings/settings';

/** The registry of F&O environments, with the built-in Local emulator always first. */
export class EnvironmentService {
  readonly #settings: SettingsStore;
  readonly #publish: Publish;
  readonly #connections = new Map<string, ConnectionState>();

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

  async setActive(id: string): Promise<EnvironmentList> {
    if (!this.list().environments.some((env) => env.id === id)) {
      throw new AppError(
        'NOT_FOUND',
        `There is no environment with id "${id}". Choose one from the Environments list.`,
      );
    }
    await this.#settings.update((current) => ({ ...current, activeEnvironmentId: id }));
    return this.#changed();
  }

  #changed(): EnvironmentList {
    const list = this.list();
    this.#publish('environments.changed', list);
    return list;
  }

  #localEmulator(): EnvironmentSummary {
    return {
      id: LOCAL_EMULATOR_ID,
      name: LOCAL_EMULATOR_NAME,
      kind: 'emulator',
      url: null,
      tag: 'DEV',
      defaultCompany: 'USMF',
      builtIn: true,
      connection: this.#connections.get(LOCAL_EMULATOR_ID) ?? 'not-started',
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
    };
  }
}
