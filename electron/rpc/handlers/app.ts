import type { AppInfo } from '../../../shared/api/domains/app';
import type { DomainHandlers } from '../dispatcher';

export function appHandlers(info: AppInfo): DomainHandlers<'app'> {
  return {
    'app.info': async () => info,
  };
}
