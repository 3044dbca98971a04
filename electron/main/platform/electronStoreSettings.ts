import type ElectronStore from 'electron-store';
import type { Logger } from '../../services/logging/logger';
import { DEFAULT_SETTINGS, settingsSchema } from '../../services/settings/settings';
import type { SettingsStore, WorkbenchSettings } from '../../services/settings/settings';

interface Persisted {
  settings?: unknown;
  unreadable?: unknown;
}

/**
 * The SettingsStore of the desktop app: electron-store (atomic writes in the user-data folder).
 * The workbench's own zod schema stays the single source of truth; a stored value that no longer
 * parses is kept under `unreadable` (never silently dropped) and the defaults are used.
 */
export async function openElectronStoreSettings(logger: Logger): Promise<SettingsStore> {
  // electron-store is ESM-only and main is bundled as CommonJS: a real dynamic import (esbuild
  // keeps it for a node22 target) loads it as ESM; a static import would become require().
  const { default: Store } = await import('electron-store');
  const store: ElectronStore<Persisted> = new Store<Persisted>({ name: 'settings', clearInvalidConfig: false });
  let current: WorkbenchSettings = DEFAULT_SETTINGS;
  const raw = store.get('settings');
  if (raw !== undefined) {
    const parsed = settingsSchema.safeParse(raw);
    if (parsed.success) current = parsed.data;
    else {
      store.set('unreadable', raw);
      logger.warn(
        `Settings in ${store.path} could not be read; they were kept under "unreadable" and defaults are used.`,
      );
    }
  }
  return {
    read: () => current,
    // electron-store writes synchronously and atomically, so updates cannot interleave.
    async update(change) {
      const next = settingsSchema.parse(change(current));
      store.set('settings', next);
      current = next;
      return next;
    },
  };
}
