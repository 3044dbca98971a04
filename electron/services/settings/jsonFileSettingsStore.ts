import { readFile, rename } from 'node:fs/promises';
import type { Logger } from '../logging/logger';
import { writeFileAtomic } from '../fs/atomicWrite';
import { DEFAULT_SETTINGS, settingsSchema } from './settings';
import type { SettingsStore, WorkbenchSettings } from './settings';

/**
 * Settings in one JSON file, written atomically. A file that cannot be read as settings is kept
 * aside (renamed `.unreadable-<time>`) rather than overwritten, and the defaults are used.
 */
export async function openJsonFileSettingsStore(file: string, logger: Logger): Promise<SettingsStore> {
  let current = await load(file, logger);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    read: () => current,
    update(change) {
      const next = chain.then(async () => {
        const updated = settingsSchema.parse(change(current));
        await writeFileAtomic(file, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 });
        current = updated;
        return updated;
      });
      chain = next.catch(() => undefined);
      return next;
    },
  };
}

async function load(file: string, logger: Logger): Promise<WorkbenchSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
    throw error;
  }
  try {
    return settingsSchema.parse(JSON.parse(text));
  } catch (error) {
    const aside = `${file}.unreadable-${Date.now()}`;
    await rename(file, aside);
    logger.warn(`Settings file ${file} could not be read; it was kept as ${aside} and defaults are used.`, error);
    return DEFAULT_SETTINGS;
  }
}
