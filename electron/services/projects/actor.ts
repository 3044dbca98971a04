/**
 * Who is making a change to a project or running its work, for the records that keep it (value
 * tables, sign-off reports): the account signed in to the project's environment when there is one,
 * else the operating-system user. No network call: the account comes from the token cache.
 */
import { userInfo } from 'node:os';
import type { ProjectDocument } from '../../../shared/api/domains/projects';
import type { AuthService } from '../auth/authService';
import type { EnvironmentService } from '../environments/environmentService';

export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (a container running as a bare uid).
    return process.env.USER ?? process.env.USERNAME ?? 'unknown user';
  }
}

/** Who works in an environment: the account signed in to it, else the OS user. */
export function environmentActor(auth: AuthService): (environmentId: string) => Promise<string> {
  return async (environmentId) => {
    const status = await auth.status(environmentId).catch(() => null);
    return status?.signedIn && status.account?.username ? status.account.username : osUser();
  };
}

export function projectActor(
  environments: EnvironmentService,
  auth: AuthService,
): (document: ProjectDocument) => Promise<string> {
  return async (document) => {
    const name = document.binding.environment;
    const environment = name ? environments.list().environments.find((e) => e.name === name) : undefined;
    return environment ? environmentActor(auth)(environment.id) : osUser();
  };
}
