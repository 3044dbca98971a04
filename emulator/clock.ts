/**
 * The emulator's clock. Everything time-based in the emulator (job latency, SAS and token expiry,
 * recurring exports, 30-minute redelivery, 7-day blob retention) reads this clock, never Date.now(),
 * so tests can jump hours ahead in a millisecond and the CLI can run a day in minutes (--speed).
 *
 * Time = start + (elapsed wall time × speed) + everything `advance()` added. A manual clock never
 * moves by itself: only `advance()` and `set()` move it.
 */
export interface EmulatorClockOptions {
  /** Emulator time at start, ms since epoch. Default: the wall clock. */
  readonly start?: number;
  /** How many emulator milliseconds pass per wall millisecond (default 1). */
  readonly speed?: number;
  /** True: time stands still until a test advances it. */
  readonly manual?: boolean;
}

export interface EmulatorClock {
  now(): number;
  readonly speed: number;
  readonly manual: boolean;
  /** Moves time forward and runs every timer that came due, in time order. */
  advance(ms: number): void;
  /** Runs `fn` when emulator time reaches `time`. Returns a cancel function. */
  at(time: number, fn: () => void): () => void;
  after(ms: number, fn: () => void): () => void;
  close(): void;
}

interface Timer {
  readonly time: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

const MAX_WALL_DELAY = 2_147_483_647;

export function createClock(options: EmulatorClockOptions = {}): EmulatorClock {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`Clock speed must be a positive number, not ${speed}.`);
  const manual = options.manual ?? false;
  const start = options.start ?? Date.now();
  const wallStart = performance.now();
  let offset = 0;
  let seq = 0;
  let closed = false;
  let wallTimer: NodeJS.Timeout | undefined;
  const timers: Timer[] = [];

  const now = (): number => start + offset + (manual ? 0 : (performance.now() - wallStart) * speed);

  function runDue(): void {
    // Timers added while running (a recurring job re-arming itself) run too if already due.
    for (;;) {
      const t = now();
      timers.sort((a, b) => a.time - b.time || a.seq - b.seq);
      const next = timers[0];
      if (!next || next.time > t) break;
      timers.shift();
      if (!next.cancelled) next.fn();
    }
  }

  function arm(): void {
    if (wallTimer) clearTimeout(wallTimer);
    wallTimer = undefined;
    if (closed) return;
    let earliest = Infinity;
    for (const t of timers) if (!t.cancelled && t.time < earliest) earliest = t.time;
    if (earliest === Infinity) return;
    // A manual clock still runs timers that are already due (a job queued "now"), never later ones.
    if (manual && earliest > now()) return;
    const delay = Math.min(MAX_WALL_DELAY, Math.max(0, Math.ceil((earliest - now()) / speed)));
    wallTimer = setTimeout(() => {
      runDue();
      arm();
    }, delay);
    wallTimer.unref();
  }

  return {
    now,
    speed,
    manual,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`The clock only moves forward: advance(${ms}).`);
      // Step from timer to timer, so a timer that re-arms itself ("every 5 minutes") sees the time
      // it was due at, not the end of the jump, and fires once per period.
      const target = now() + ms;
      for (;;) {
        timers.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.time > target) break;
        offset += Math.max(0, next.time - now());
        runDue();
      }
      offset += Math.max(0, target - now());
      runDue();
      arm();
    },
    at(time, fn) {
      const timer: Timer = { time, seq: seq++, fn, cancelled: false };
      timers.push(timer);
      arm();
      return () => {
        timer.cancelled = true;
        const i = timers.indexOf(timer);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    after(ms, fn) {
      return this.at(now() + ms, fn);
    },
    close() {
      closed = true;
      timers.length = 0;
      if (wallTimer) clearTimeout(wallTimer);
    },
  };
}
