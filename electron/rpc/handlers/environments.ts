import type { EnvironmentService } from '../../services/environments/environmentService';
import type { DomainHandlers } from '../dispatcher';

export function environmentHandlers(environments: EnvironmentService): DomainHandlers<'environments'> {
  return {
    'environments.list': async () => environments.list(),
    'environments.setActive': async ({ id }) => environments.setActive(id),
  };
}
