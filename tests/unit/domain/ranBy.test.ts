import { describe, expect, it } from 'vitest';
import { asRanBy, ranByText } from '../../../shared/domain/jobs/ranBy';

describe('who ran a job, in words', () => {
  it('names the account F&O saw, then the computer user', () => {
    expect(ranByText({ account: 'anna@contoso.com', machineUser: 'anna' })).toBe(
      'anna@contoso.com (computer user anna)',
    );
    expect(ranByText({ account: null, machineUser: 'svc' })).toBe('no user account signed in (computer user svc)');
  });

  it('says "not recorded" for a job or run from before it was kept, or a run file edited out of shape', () => {
    expect(ranByText(null)).toBe('not recorded');
    expect(ranByText(undefined)).toBe('not recorded');
    expect(asRanBy(undefined)).toBeNull();
    expect(asRanBy({ account: 3, machineUser: 'anna' })).toBeNull();
    expect(asRanBy({ account: 'a@b.c' })).toBeNull();
    expect(asRanBy({ account: null, machineUser: 'anna', extra: 1 })).toEqual({ account: null, machineUser: 'anna' });
  });
});
