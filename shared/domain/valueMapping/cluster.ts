/**
 * Clustering a column's distinct values, as OpenRefine offers it: key collision (values whose key
 * is equal) and nearest neighbour (values within an edit distance). A cluster is merged to one
 * chosen value in one step; which value is the consultant's choice, the most frequent is offered.
 */
import { boundedLevenshtein, fingerprint, metaphone, ngramFingerprint } from './keys';

export interface ValueCount {
  readonly value: string;
  /** Rows holding the value. */
  readonly count: number;
}

export interface ValueCluster {
  /** The shared key (key collision) or the centre value (nearest neighbour). */
  readonly key: string;
  /** The cluster's values, most frequent first. */
  readonly values: readonly ValueCount[];
  /** Rows across the cluster's values. */
  readonly rows: number;
  /** What a merge would write: the most frequent value (ties: the most carefully written, then ordinal order). */
  readonly suggested: string;
}

export const KEY_COLLISION_METHODS = ['fingerprint', 'ngram-fingerprint', 'metaphone'] as const;
export type KeyCollisionMethod = (typeof KEY_COLLISION_METHODS)[number];

export interface KeyCollisionOptions {
  readonly method: KeyCollisionMethod;
  /** n of the n-gram fingerprint (default 2, OpenRefine's default). */
  readonly ngramSize?: number;
}

function keyer(options: KeyCollisionOptions): (value: string) => string {
  switch (options.method) {
    case 'fingerprint':
      return fingerprint;
    case 'ngram-fingerprint': {
      const n = options.ngramSize ?? 2;
      return (v) => ngramFingerprint(v, n);
    }
    case 'metaphone':
      return metaphone;
  }
}

/**
 * How carefully a value is written, for ties between equally frequent values: trimmed, and words
 * not in capitals only ("Contoso Ltd" before "CONTOSO LTD" and " Contoso Ltd"; codes such as "USD"
 * are written in capitals on purpose). [INFER] OpenRefine offers the most frequent value and leaves
 * ties to the user; this picks the likelier one to keep.
 */
const carelessness = (value: string) =>
  (value !== value.trim() ? 2 : 0) + (/\p{Lu}{4}/u.test(value) && value === value.toUpperCase() ? 1 : 0);

const byCountThenValue = (a: ValueCount, b: ValueCount) =>
  b.count - a.count ||
  carelessness(a.value) - carelessness(b.value) ||
  (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

function clusterOf(key: string, values: ValueCount[]): ValueCluster {
  values.sort(byCountThenValue);
  let rows = 0;
  for (const v of values) rows += v.count;
  return { key, values, rows, suggested: values[0]?.value ?? '' };
}

/** Biggest clusters first (rows, then number of values), then by key. */
const clusterOrder = (a: ValueCluster, b: ValueCluster) =>
  b.rows - a.rows || b.values.length - a.values.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Clustering as steps: the generator yields now and then (every few thousand values or
 * comparisons) so that a caller sharing its thread (the row store's worker, which also serves the
 * grid's pages) can answer other calls between steps. Run to the end, it returns the clusters.
 */
export type ClusterSteps = Generator<void, ValueCluster[], void>;

/** Runs clustering steps to the end in one go. */
export function runSteps(steps: ClusterSteps): ValueCluster[] {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Values keyed between two yields. */
const KEYS_PER_STEP = 5_000;
/** Edit distances computed between two yields. */
const COMPARISONS_PER_STEP = 20_000;

/**
 * Groups values whose key collides. Values with an empty key (blank, punctuation only) never
 * cluster: merging "-" into "." would be a guess, not a variant. Linear in the values.
 */
export function clusterByKey(values: readonly ValueCount[], options: KeyCollisionOptions): ValueCluster[] {
  return runSteps(clusterByKeySteps(values, options));
}

export function* clusterByKeySteps(values: readonly ValueCount[], options: KeyCollisionOptions): ClusterSteps {
  const key = keyer(options);
  const groups = new Map<string, ValueCount[]>();
  let done = 0;
  for (const v of values) {
    if (++done % KEYS_PER_STEP === 0) yield;
    const k = key(v.value);
    if (k === '') continue;
    const group = groups.get(k);
    if (group) group.push(v);
    else groups.set(k, [v]);
  }
  const clusters: ValueCluster[] = [];
  for (const [k, group] of groups) if (group.length > 1) clusters.push(clusterOf(k, group));
  return clusters.sort(clusterOrder);
}

export interface NearestNeighbourOptions {
  /** Largest edit distance inside a cluster (default 1). */
  readonly radius?: number;
  /**
   * Long values (over SHORT_VALUE characters, at a radius over 1) are only compared when they share
   * a substring of this many characters (OpenRefine's "block chars", default 6).
   */
  readonly blockChars?: number;
}

/** At a radius over 1, values up to this long find their neighbours through deletion variants. */
const SHORT_VALUE = 16;
/**
 * A substring block with more values than this says little ("contos" in every Contoso company) and
 * would cost its square in comparisons: it is skipped, the values' rarer substrings still meet.
 */
const MAX_SUBSTRING_BLOCK = 200;

/** Every string `value` becomes with at most `radius` characters deleted (itself included). */
function deletionVariants(value: string, radius: number): Set<string> {
  let level = new Set([value]);
  const all = new Set(level);
  for (let d = 0; d < radius; d++) {
    const next = new Set<string>();
    for (const v of level) for (let i = 0; i < v.length; i++) next.add(v.slice(0, i) + v.slice(i + 1));
    for (const v of next) all.add(v);
    level = next;
  }
  return all;
}

/**
 * Groups each value with its neighbours within `radius` edits (case-insensitive). Not transitive: a
 * chain of values each one edit from the next ("CA01", "CA02", "CB02", "CB03") would otherwise end
 * as one cluster offering to merge codes that are far apart, so every cluster is a value and its own
 * neighbours; clusters with the same members are reported once. Short codes one edit apart are often
 * all valid ("Net10", "Net30"): the consultant unticks them, as in OpenRefine.
 *
 * Candidates come from blocks, so the work stays near linear on 100k distinct values. Two values
 * within `radius` edits share a string reachable from each by at most `radius` deletions (the
 * symmetric-deletion principle): exact, and used for every value at radius 1 and for short values
 * beyond. Long values at a larger radius are blocked by shared substrings, as OpenRefine does.
 */
export function clusterByDistance(
  values: readonly ValueCount[],
  options: NearestNeighbourOptions = {},
): ValueCluster[] {
  return runSteps(clusterByDistanceSteps(values, options));
}

export function* clusterByDistanceSteps(
  values: readonly ValueCount[],
  options: NearestNeighbourOptions = {},
): ClusterSteps {
  const radius = Math.max(0, Math.floor(options.radius ?? 1));
  const blockChars = Math.max(1, options.blockChars ?? 6);
  const deletionLimit = radius <= 1 ? Infinity : SHORT_VALUE;
  const folded = values.map((v) => v.value.trim().toLowerCase());
  const deletionBlocks = new Map<string, number[]>();
  const substringBlocks = new Map<string, number[]>();
  const add = (blocks: Map<string, number[]>, block: string, i: number) => {
    const list = blocks.get(block);
    if (!list) blocks.set(block, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (let i = 0; i < folded.length; i++) {
    if ((i + 1) % KEYS_PER_STEP === 0) yield;
    const text = folded[i] ?? '';
    if (text === '') continue;
    // A value near the boundary gets both kinds of block, so a short and a slightly longer value still meet.
    if (text.length <= deletionLimit + radius)
      for (const v of deletionVariants(text, radius)) add(deletionBlocks, v, i);
    if (text.length > deletionLimit)
      for (let p = 0; p + blockChars <= text.length; p++) add(substringBlocks, text.slice(p, p + blockChars), i);
  }
  const neighbours = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    let set = neighbours.get(a);
    if (!set) neighbours.set(a, (set = new Set()));
    set.add(b);
  };
  let comparisons = 0;
  const compareWithin = (list: readonly number[]) => {
    for (let x = 0; x < list.length; x++) {
      const i = list[x] as number;
      const linked = neighbours.get(i);
      for (let y = x + 1; y < list.length; y++) {
        const j = list[y] as number;
        if (linked?.has(j)) continue;
        comparisons++;
        if (boundedLevenshtein(folded[i] ?? '', folded[j] ?? '', radius) <= radius) {
          link(i, j);
          link(j, i);
        }
      }
    }
  };
  let blocks = 0;
  for (const list of deletionBlocks.values()) {
    if (list.length > 1) compareWithin(list);
    if (++blocks % KEYS_PER_STEP === 0 || comparisons >= COMPARISONS_PER_STEP) {
      comparisons = 0;
      yield;
    }
  }
  for (const list of substringBlocks.values()) {
    if (list.length > 1 && list.length <= MAX_SUBSTRING_BLOCK) compareWithin(list);
    if (++blocks % KEYS_PER_STEP === 0 || comparisons >= COMPARISONS_PER_STEP) {
      comparisons = 0;
      yield;
    }
  }
  const seen = new Set<string>();
  const clusters: ValueCluster[] = [];
  for (const [centre, set] of neighbours) {
    const members = [centre, ...set].sort((a, b) => a - b);
    const id = members.join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    clusters.push(
      clusterOf(
        values[centre]?.value ?? '',
        members.map((m) => values[m] as ValueCount),
      ),
    );
  }
  return clusters.sort(clusterOrder);
}
