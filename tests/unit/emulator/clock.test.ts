import { describe, expect, it } from 'vitest';
import { createClock } from '../../../emulator/clock';

describe('emulator clock', () => {
  it('stands still when manual and runs due timers in time order on advance', () => {
    const clock = createClock({ start: 1_000_000, manual: true });
    const fired: string[] = [];
    clock.at(1_000_500, () => fired.push('b'));
    clock.after(100, () => fired.push('a'));
    const cancel = clock.after(200, () => fired.push('cancelled'));
    cancel();
    expect(clock.now()).toBe(1_000_000);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(1000);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1_001_099);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.close();
  });

  it('lets a timer re-arm itself (a recurring job) and fires each period once', () => {
    const clock = createClock({ start: 0, manual: true });
    let runs = 0;
    const every = (): void => {
      runs += 1;
      clock.after(60_000, every);
    };
    clock.after(60_000, every);
    clock.advance(5 * 60_000);
    expect(runs).toBe(5);
    clock.close();
  });

  it('runs speed × wall time when not manual', async () => {
    const clock = createClock({ speed: 1000 });
    const start = clock.now();
    const fired = await new Promise<number>((resolve) => clock.after(20_000, () => resolve(clock.now())));
    expect(fired - start).toBeGreaterThanOrEqual(20_000);
    expect(() => createClock({ speed: 0 })).toThrow(RangeError);
    clock.close();
  });
});
