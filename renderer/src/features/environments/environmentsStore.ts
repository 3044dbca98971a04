import { createStore } from 'zustand/vanilla';
import type { Client } from '../../../../shared/api/client';
import type { AuthStatus } from '../../../../shared/api/domains/auth';
import type { ConnectionTest } from '../../../../shared/api/domains/environments';
import type { EnvironmentSummary } from '../../../../shared/domain/environments';
import { messageOf } from '../../app/errors';

/** What one card is doing right now: only one action at a time per environment. */
export type EnvironmentActivity = 'signing-in' | 'signing-out' | 'testing' | 'starting' | null;

export interface EnvironmentsState {
  readonly auth: Readonly<Record<string, AuthStatus>>;
  readonly tests: Readonly<Record<string, ConnectionTest>>;
  readonly activity: Readonly<Record<string, EnvironmentActivity>>;
  /** The last failed action per environment, in words that say what to do. */
  readonly problems: Readonly<Record<string, string>>;
  refreshAuth(env: EnvironmentSummary): Promise<void>;
  signIn(id: string, prompt?: 'select_account'): Promise<void>;
  useAccount(id: string, homeAccountId: string): Promise<void>;
  signOut(id: string): Promise<void>;
  test(id: string): Promise<void>;
  dismissProblem(id: string): void;
}

export type EnvironmentsStore = ReturnType<typeof createEnvironmentsStore>;

export function createEnvironmentsStore(client: Client) {
  const store = createStore<EnvironmentsState>()((set, get) => {
    const patch = <K extends 'auth' | 'tests' | 'activity' | 'problems'>(
      key: K,
      id: string,
      value: EnvironmentsState[K][string] | undefined,
    ) => {
      const next = Object.fromEntries(Object.entries(get()[key]).filter(([k]) => k !== id));
      if (value !== undefined) next[id] = value;
      set({ [key]: next } as Partial<EnvironmentsState>);
    };
    /** Runs one action of a card: marks it busy, records the outcome or the problem. */
    const act = async (id: string, activity: EnvironmentActivity, work: () => Promise<void>) => {
      patch('activity', id, activity);
      patch('problems', id, undefined);
      try {
        await work();
      } catch (error) {
        patch('problems', id, messageOf(error));
      } finally {
        patch('activity', id, null);
      }
    };
    return {
      auth: {},
      tests: {},
      activity: {},
      problems: {},
      async refreshAuth(env) {
        // Asking the emulator's sign-in state would start it: wait until it runs.
        if (env.kind === 'emulator' && env.connection === 'not-started') return;
        try {
          patch('auth', env.id, await client.call('auth.status', { environmentId: env.id }));
        } catch {
          // The card shows the connection state from the list; the status is an extra.
        }
      },
      signIn: (id, prompt) =>
        act(id, 'signing-in', async () => {
          patch('auth', id, await client.call('auth.signIn', { environmentId: id, ...(prompt ? { prompt } : {}) }));
        }),
      useAccount: (id, homeAccountId) =>
        act(id, 'signing-in', async () => {
          patch('auth', id, await client.call('auth.useAccount', { environmentId: id, homeAccountId }));
        }),
      signOut: (id) =>
        act(id, 'signing-out', async () => {
          patch('auth', id, await client.call('auth.signOut', { environmentId: id }));
          patch('tests', id, undefined);
        }),
      test: (id) =>
        act(id, 'testing', async () => {
          patch('tests', id, await client.call('environments.test', { id }));
          await client
            .call('auth.status', { environmentId: id })
            .then((status) => patch('auth', id, status))
            .catch(() => undefined);
        }),
      dismissProblem: (id) => patch('problems', id, undefined),
    };
  });
  client.on('auth.changed', (status) => {
    store.setState({ auth: { ...store.getState().auth, [status.environmentId]: status } });
  });
  return store;
}
