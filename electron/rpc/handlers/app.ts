import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AppInfo } from '../../../shared/api/domains/app';
import { AppError } from '../../../shared/api/errors';
import type { PreferencesService } from '../../services/settings/preferences';
import type { DomainHandlers } from '../dispatcher';

export function appHandlers(
  info: AppInfo,
  preferences: PreferencesService,
  revealPath: ((path: string) => Promise<void>) | undefined,
): DomainHandlers<'app'> {
  return {
    'app.showInFolder': async ({ path }) => {
      if (!revealPath) {
        throw new AppError('FORBIDDEN', `There is no file manager to show from browser mode. The file is at ${path}.`);
      }
      const file = resolve(path);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile())
        throw new AppError('NOT_FOUND', `There is no file ${file}: it may have been moved or deleted.`);
      await revealPath(file);
      return { shown: true };
    },
    'app.info': async () => info,
    'app.preferences': async () => preferences.get(),
    'app.setPreferences': async (change) => preferences.set(change),
  };
}
