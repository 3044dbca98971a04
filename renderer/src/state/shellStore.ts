import { createStore } from 'zustand/vanilla';
import type { Client } from '../../../shared/api/client';
import type { AppInfo, Preferences, Theme } from '../../../shared/api/domains/app';
import type { EnvironmentList } from '../../../shared/api/domains/environments';
import type { TransportState } from '../../../shared/api/transport';

export const AREAS = ['environments', 'sources', 'package', 'jobs', 'copy', 'export', 'cockpit'] as const;
export type Area = (typeof AREAS)[number];

export interface ShellState {
  readonly area: Area;
  readonly appInfo: AppInfo | null;
  readonly environments: EnvironmentList | null;
  readonly transport: TransportState;
  /** A problem the whole shell shows (the services cannot be reached); null when all is well. */
  readonly problem: string | null;
  /** Remembered look: theme, layout, recent projects (null until loaded). */
  readonly preferences: Preferences | null;
}

export interface ShellActions {
  goTo(area: Area): void;
  setTransport(state: TransportState): void;
  load(): Promise<void>;
  setActiveEnvironment(id: string): Promise<void>;
  setTheme(theme: Theme): Promise<void>;
  /** Remembers a panel size or toggle (saved in the background). */
  setLayout(key: string, value: number | string | boolean): void;
}

export type ShellStore = ReturnType<typeof createShellStore>;

/** View state of the shell. A vanilla store: testable without React, read in React by hooks. */
export function createShellStore(client: Client, transport: TransportState) {
  return createStore<ShellState & ShellActions>()((set) => ({
    area: 'environments',
    appInfo: null,
    environments: null,
    transport,
    problem: null,
    preferences: null,
    goTo: (area) => {
      set({ area });
      // Remembered for the next start; losing it (service gone) costs nothing.
      client.call('app.setPreferences', { area }).catch(() => undefined);
    },
    setTransport: (state) =>
      set(
        state === 'disconnected'
          ? {
              transport: state,
              problem:
                'The workbench service is not reachable. If you started it with npm run serve, start it again and open the new address it prints.',
            }
          : { transport: state },
      ),
    async load() {
      try {
        const [appInfo, environments, preferences] = await Promise.all([
          client.call('app.info', {}),
          client.call('environments.list', {}),
          client.call('app.preferences', {}),
        ]);
        const remembered = AREAS.find((a) => a === preferences.area);
        set({ appInfo, environments, preferences, problem: null, ...(remembered ? { area: remembered } : {}) });
      } catch (error) {
        set({ problem: error instanceof Error ? error.message : String(error) });
      }
    },
    async setActiveEnvironment(id) {
      set({ environments: await client.call('environments.setActive', { id }) });
    },
    async setTheme(theme) {
      set({ preferences: await client.call('app.setPreferences', { theme }) });
    },
    setLayout(key, value) {
      client
        .call('app.setPreferences', { layout: { [key]: value } })
        .then((preferences) => set({ preferences }))
        .catch(() => undefined);
    },
  }));
}
