import { describe, expect, it } from 'vitest';
import { compareCycles, errorFingerprint, fingerprints } from '../../../shared/domain/jobs/cycles';

const error = (message: string, extra: Partial<{ entity: string; stage: string; field: string }> = {}) => ({
  entity: 'Customers V3',
  stage: 'target',
  field: 'CUSTOMERGROUPID',
  message,
  ...extra,
});

describe('cycle-over-cycle error fingerprints', () => {
  it('ignores where a row sits but keeps what the problem is', () => {
    const a = errorFingerprint(error("Row 12: CUSTOMERGROUPID='90' does not exist in Customer groups."));
    const b = errorFingerprint(error("row   40: CUSTOMERGROUPID='90' does not exist in Customer groups."));
    expect(a).toBe(b);
    expect(errorFingerprint(error("Row 12: CUSTOMERGROUPID='91' does not exist in Customer groups."))).not.toBe(a);
    expect(
      errorFingerprint(
        error("Row 12: CUSTOMERGROUPID='90' does not exist in Customer groups.", { entity: 'Vendors V2' }),
      ),
    ).not.toBe(a);
    expect(
      errorFingerprint(error("Row 12: CUSTOMERGROUPID='90' does not exist in Customer groups.", { stage: 'staging' })),
    ).not.toBe(a);
  });

  it('counts new, carried over and resolved errors against the previous run', () => {
    const first = fingerprints([error('A'), error('B'), error('C'), error('C')]);
    expect(first).toHaveLength(3);
    const second = fingerprints([error('B'), error('C'), error('D')]);
    expect(compareCycles({ jobId: 'job-1', fingerprints: first }, second)).toEqual({
      new: 1,
      carriedOver: 2,
      resolved: 1,
      comparedWith: 'job-1',
    });
    expect(compareCycles({ jobId: 'job-2', fingerprints: second }, [])).toMatchObject({
      new: 0,
      carriedOver: 0,
      resolved: 3,
    });
  });
});
