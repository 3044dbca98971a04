import type { RanBy } from '../../../shared/api/domains/jobs';
import type { AuthService } from '../auth/authService';
import type { JobContext } from './services';
import { osUser } from '../projects/actor';

/**
 * Who runs a job in an environment, for its record: the user name of the account signed in to it
 * (MSAL's account `username`, the UPN F&O records as the user; the Local emulator's demo user),
 * never a token, and the computer's user. No network call: the account comes from the token cache.
 */
export function ranByOf(auth: Pick<AuthService, 'status'>): (environmentId: string) => Promise<RanBy> {
  return async (environmentId) => {
    const status = await auth.status(environmentId).catch(() => null);
    const account = status?.signedIn && status.account?.username ? status.account.username : null;
    return { account, machineUser: osUser() };
  };
}

/**
 * A job created before anyone signed in to its environment signs in while it runs (the first
 * token): the account F&O saw is filled in at its end, for its record and its run file.
 */
export async function learnAccount(context: JobContext): Promise<void> {
  const { job, services } = context;
  if (!job.ranBy || job.ranBy.account !== null || !services.ranBy) return;
  const now = await services.ranBy(job.targetEnvironmentId ?? job.environmentId);
  if (now.account !== null) job.ranBy = { ...job.ranBy, account: now.account };
}
