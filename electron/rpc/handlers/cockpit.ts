import type { CockpitService } from '../../services/cockpit/cockpitService';
import type { DomainHandlers } from '../dispatcher';

export function cockpitHandlers(cockpit: CockpitService): DomainHandlers<'cockpit'> {
  return {
    'cockpit.project': async ({ dir }) => cockpit.project(dir),
  };
}
