import type { ProjectPackages } from '../../services/projects/projectPackages';
import type { DomainHandlers } from '../dispatcher';

export function packageHandlers(packages: ProjectPackages): DomainHandlers<'packages'> {
  return {
    'packages.plan': async ({ dir, environmentId }) => packages.plan(dir, environmentId),
    'packages.build': async ({ dir, out, overwrite }) => packages.build(dir, out, overwrite),
    'packages.check': async ({ dir, environmentId }) => packages.check(dir, environmentId),
    'packages.downloadLink': async ({ path }) => packages.downloadLink(path),
  };
}
