import type { AppInfo } from '../../../shared/api/domains/app';
import type { PreferencesService } from '../../services/settings/preferences';
import type { DomainHandlers } from '../dispatcher';

export function appHandlers(info: AppInfo, preferences: PreferencesService): DomainHandlers<'app'> {
  return {
    'app.info': async () => info,
    'app.preferences': async () => preferences.get(),
    'app.setPreferences': async (change) => preferences.set(change),
  };
}
