import type { ConnectionService } from '../../services/environments/connections';
import type { EnvironmentProbe } from '../../services/environments/environmentProbe';
import type { EnvironmentService } from '../../services/environments/environmentService';
import type { DomainHandlers } from '../dispatcher';

export function environmentHandlers(
  environments: EnvironmentService,
  connections: ConnectionService,
  probe: EnvironmentProbe,
): DomainHandlers<'environments'> {
  return {
    'environments.list': async () => environments.list(),
    'environments.setActive': async ({ id }) => environments.setActive(id),
    'environments.add': async (input) => environments.add(input),
    'environments.update': async ({ id, patch }) => environments.update(id, patch),
    'environments.remove': async ({ id }) => environments.remove(id),
    'environments.test': async ({ id }) => probe.test(id),
    'environments.legalEntities': async ({ id }) => probe.legalEntities(id),
    'environments.connect': async ({ id }) => {
      await connections.reachable(id);
      return environments.get(id);
    },
  };
}
