import type { RanBy } from '../../api/domains/jobs';

/** "Not recorded": a job or run from before the workbench kept who ran it. */
export const RAN_BY_NOT_RECORDED = 'not recorded';

/**
 * Who ran a job, in one line for job cards, the cockpit and the sign-off report: the account F&O
 * saw, then the computer's user ("anna@contoso.com (computer user anna)").
 */
export function ranByText(ranBy: RanBy | null | undefined): string {
  if (!ranBy) return RAN_BY_NOT_RECORDED;
  const account = ranBy.account ?? 'no user account signed in';
  return `${account} (computer user ${ranBy.machineUser})`;
}

/** A run file's "ran by" as recorded, or null (absent, or not the shape: a hand edit). */
export function asRanBy(value: unknown): RanBy | null {
  if (typeof value !== 'object' || value === null) return null;
  const { account, machineUser } = value as Record<string, unknown>;
  if (typeof machineUser !== 'string' || (account !== null && typeof account !== 'string')) return null;
  return { account, machineUser };
}
