/**
 * Migration cycles compared: each run keeps a fingerprint of every distinct error, and a run
 * compared with the one before tells which errors are new, which were carried over and which
 * were resolved. A fingerprint ignores where the row sits (a fresh extract moves rows about) and
 * keeps what identifies the problem: entity, stage, field and the message with its values.
 */

export interface CycleCounts {
  /** Errors this run has that the previous one did not. */
  readonly new: number;
  /** Errors both runs have. */
  readonly carriedOver: number;
  /** Errors the previous run had that this one no longer has. */
  readonly resolved: number;
  /** The job of the run compared with. */
  readonly comparedWith: string;
}

export interface FingerprintSource {
  readonly entity: string;
  readonly stage?: string | null;
  readonly field?: string | null;
  readonly message: string;
}

/** cyrb53: a fast 53-bit string hash (pure TypeScript; fingerprints are not secrets). */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function errorFingerprint(error: FingerprintSource): string {
  const message = error.message
    .toLowerCase()
    // Positions change from one extract to the next; the problem does not.
    .replace(/\b(row|line|record)\s*#?\s*\d+\b/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return hash53([error.entity.toLowerCase(), error.stage ?? '', (error.field ?? '').toUpperCase(), message].join('|'));
}

/** The distinct fingerprints of a run's errors. */
export function fingerprints(errors: Iterable<FingerprintSource>): string[] {
  const seen = new Set<string>();
  for (const error of errors) seen.add(errorFingerprint(error));
  return [...seen];
}

export function compareCycles(
  previous: { readonly jobId: string; readonly fingerprints: readonly string[] },
  current: readonly string[],
): CycleCounts {
  const before = new Set(previous.fingerprints);
  const now = new Set(current);
  let carriedOver = 0;
  for (const f of now) if (before.has(f)) carriedOver++;
  return {
    new: now.size - carriedOver,
    carriedOver,
    resolved: before.size - carriedOver,
    comparedWith: previous.jobId,
  };
}

/**
 * An error's rule: F&O's message with its values taken out (quoted values, numbers), so that the
 * rows failing for one reason count together ("Customer group '…' does not exist"). F&O gives
 * no rule code with its errors; this grouping is the workbench's [INFER].
 */
export function errorRule(message: string): string {
  return message
    .replace(/'[^']*'|"[^"]*"|“[^”]*”/g, (quoted) => `${quoted[0]}…${quoted.at(-1)}`)
    .replace(/\d+(?:[.,]\d+)*/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** Errors counted by stage and rule, most first. */
export function rulesOf(
  errors: Iterable<{ readonly stage: string; readonly message: string }>,
): { stage: string; rule: string; count: number }[] {
  const counts = new Map<string, { stage: string; rule: string; count: number }>();
  for (const error of errors) {
    const rule = errorRule(error.message);
    const key = `${error.stage}\u0000${rule}`;
    const entry = counts.get(key) ?? { stage: error.stage, rule, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}
