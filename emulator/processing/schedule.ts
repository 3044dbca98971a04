/**
 * When an execution's steps happen on the emulator clock (dmf-reference.md §4.1): different
 * execution units run in parallel, each starting when the batch job picks the execution up; inside
 * a unit the entities run one after another in level and sequence order (a level finishes before
 * the next starts). The emulator computes the steps one at a time in the order of those times
 * (ties: the lower unit first), so an entity sees exactly what other units wrote before it started,
 * and the same input always gives the same result.
 */

/** How long steps take on the emulator clock. */
export interface StepTiming {
  /** When the batch job starts the execution. */
  readonly startAt: number;
  /** One entity's staging (or target) step over this many rows, in emulator milliseconds. */
  stepMs(rows: number): number;
}

/** Zero-length steps at time 0 (seed data, unit tests). */
export const INSTANT: StepTiming = { startAt: 0, stepMs: () => 0 };

/**
 * Runs `items` (in unit, level, sequence order) unit by unit side by side: `run(item, at)` gets the
 * time its unit reaches the item and returns when the item ends. Resolves to when the last unit
 * ends (`startAt` when there is nothing to run).
 */
export async function runUnits<T>(
  items: readonly T[],
  unitOf: (item: T) => number,
  startAt: number,
  run: (item: T, at: number) => Promise<number>,
): Promise<number> {
  const units = new Map<number, T[]>();
  for (const item of items) {
    const unit = unitOf(item);
    const queue = units.get(unit);
    if (queue) queue.push(item);
    else units.set(unit, [item]);
  }
  const lanes = [...units].sort(([a], [b]) => a - b).map(([, queue]) => ({ queue, next: 0, at: startAt }));
  let end = startAt;
  for (;;) {
    let lane: (typeof lanes)[number] | undefined;
    for (const l of lanes) if (l.next < l.queue.length && (!lane || l.at < lane.at)) lane = l;
    if (!lane) return end;
    const item = lane.queue[lane.next++] as T;
    lane.at = Math.max(lane.at, await run(item, lane.at));
    end = Math.max(end, lane.at);
  }
}
