/**
 * Suggestions for a value mapping table: for each legacy value, the F&O values it most likely
 * means, with the reason, for the consultant to accept or correct. Nothing is mapped without a
 * person accepting it: a suggestion is a guess and says how strong it is.
 *
 * Target values come from what F&O knows: enum names and labels (environment metadata), keys of a
 * reference snapshot, or keys of another entity of the package; each carries where it came from.
 */
import { compactText, fingerprint, ngramFingerprint, ngrams, words } from './keys';

export interface TargetValue {
  /** The value F&O takes (enum name, key). */
  readonly value: string;
  /** Its label or description (enum label "Balance sheet", a payment term's "Net 30 days"). */
  readonly label?: string;
  /** Where the value is known from ("enum DimensionLedgerAccountType, USMF metadata of 2026-12-01"). */
  readonly origin: string;
}

export const SUGGESTION_REASONS = ['same value', 'same label', 'same words', 'same letters', 'similar'] as const;
export type SuggestionReason = (typeof SUGGESTION_REASONS)[number];

export interface Suggestion {
  readonly to: string;
  /** 0..1: 1 for equal values, lower the further the guess. */
  readonly score: number;
  readonly reason: SuggestionReason;
  readonly origin: string;
}

export interface ValueSuggestions {
  readonly from: string;
  /** Best first; empty when nothing is close enough. */
  readonly suggestions: readonly Suggestion[];
}

export interface SuggestOptions {
  /** Suggestions kept per value (default 3). */
  readonly limit?: number;
  /** Similarity below this is not suggested (default 0.3). */
  readonly threshold?: number;
}

const SCORES: Readonly<Record<Exclude<SuggestionReason, 'similar'>, number>> = {
  'same value': 1,
  'same label': 0.98,
  'same words': 0.95,
  'same letters': 0.9,
};
/** The highest a merely similar value can score: below every equality. */
const SIMILAR_CEILING = 0.85;
/** The similarity of a value that holds every word of a target's value or label. */
const WORDS_CONTAINED = 0.8;
/** Letter pairs shared by more targets than this do not find candidates ("ne" in every "Net…"). */
const COMMON_GRAM = 5000;

const keyOf = (value: string) => value.trim().toLowerCase();
const digitsOf = (value: string) => value.replace(/\D+/g, ' ').trim();

interface IndexedTarget {
  readonly target: TargetValue;
  /** Letter pairs of the value and of the label. */
  readonly grams: readonly (readonly string[])[];
  readonly digits: readonly string[];
  /** Distinct words of the value and of the label. */
  readonly words: readonly (readonly string[])[];
}

/**
 * Suggests F&O values for each legacy value. Equalities (value, label, fingerprint, n-gram
 * fingerprint) are map lookups; similarity (Dice coefficient of letter pairs, with agreement of
 * the numbers in the value: "30 days" is near "Net30", not "Net60") looks only at targets sharing a
 * letter pair, so thousands of legacy values against 100k keys stay fast.
 */
export function suggestMappings(
  legacy: readonly string[],
  targets: readonly TargetValue[],
  options: SuggestOptions = {},
): ValueSuggestions[] {
  const limit = options.limit ?? 3;
  const threshold = options.threshold ?? 0.3;
  const byValue = new Map<string, TargetValue>();
  const byLabel = new Map<string, TargetValue>();
  const byWords = new Map<string, TargetValue>();
  const byLetters = new Map<string, TargetValue>();
  const postings = new Map<string, number[]>();
  const indexed: IndexedTarget[] = [];
  const first = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (!map.has(key)) map.set(key, value);
  };
  for (const target of targets) {
    const texts = target.label ? [target.value, target.label] : [target.value];
    first(byValue, keyOf(target.value), target);
    if (target.label) first(byLabel, keyOf(target.label), target);
    for (const t of texts) {
      const words = fingerprint(t);
      if (words !== '') first(byWords, words, target);
      const letters = ngramFingerprint(t);
      if (letters !== '') first(byLetters, letters, target);
    }
    const id = indexed.length;
    const grams = texts.map((t) => ngrams(t));
    indexed.push({ target, grams, digits: texts.map(digitsOf), words: texts.map((t) => [...new Set(words(t))]) });
    for (const g of new Set(grams.flat())) {
      const list = postings.get(g);
      if (list) list.push(id);
      else postings.set(g, [id]);
    }
  }

  return legacy.map((from) => {
    const found = new Map<string, Suggestion>();
    const offer = (target: TargetValue | undefined, reason: SuggestionReason, score: number) => {
      if (!target) return;
      const earlier = found.get(target.value);
      if (!earlier || earlier.score < score)
        found.set(target.value, { to: target.value, score, reason, origin: target.origin });
    };
    const key = keyOf(from);
    if (key !== '') {
      offer(byValue.get(key), 'same value', SCORES['same value']);
      offer(byLabel.get(key), 'same label', SCORES['same label']);
      offer(byWords.get(fingerprint(from)), 'same words', SCORES['same words']);
      offer(byLetters.get(ngramFingerprint(from)), 'same letters', SCORES['same letters']);
      for (const s of similar(from, indexed, postings)) {
        if (s.score >= threshold) offer(s.target, 'similar', s.score);
      }
    }
    const suggestions = [...found.values()]
      .sort((a, b) => b.score - a.score || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0))
      .slice(0, limit);
    return { from, suggestions };
  });
}

function similar(
  from: string,
  indexed: readonly IndexedTarget[],
  postings: ReadonlyMap<string, readonly number[]>,
): { target: TargetValue; score: number }[] {
  const grams = ngrams(from);
  if (grams.length === 0 || compactText(from).length < 2) return [];
  const shared = new Map<number, number>();
  const lists = grams.map((g) => postings.get(g) ?? []);
  const usable = lists.filter((l) => l.length <= COMMON_GRAM);
  for (const list of usable.length > 0 ? usable : lists)
    for (const id of list) shared.set(id, (shared.get(id) ?? 0) + 1);
  const digits = digitsOf(from);
  const gramSet = new Set(grams);
  const fromWords = new Set(words(from));
  const out: { target: TargetValue; score: number }[] = [];
  for (const id of shared.keys()) {
    const t = indexed[id];
    if (!t) continue;
    let best = 0;
    t.grams.forEach((targetGrams, i) => {
      let common = 0;
      for (const g of targetGrams) if (gramSet.has(g)) common++;
      let score = (2 * common) / (grams.length + targetGrams.length);
      // Every word of the target's label in the value ("Retail customers" holds "Retail") says more
      // than letter pairs shared with a longer label ("Export customers").
      const targetWords = t.words[i] ?? [];
      if (targetWords.length > 0 && targetWords.every((w) => fromWords.has(w)))
        score = Math.max(score, WORDS_CONTAINED);
      const targetDigits = t.digits[i] ?? '';
      // Numbers carry the meaning of most legacy codes (terms, rates, warehouses): agreeing numbers
      // make a guess stronger, different numbers make it much weaker.
      if (digits !== '' && targetDigits !== '')
        score = digits === targetDigits ? score + (1 - score) * 0.5 : score * 0.3;
      if (score > best) best = score;
    });
    out.push({ target: t.target, score: Math.round(best * SIMILAR_CEILING * 1000) / 1000 });
  }
  return out;
}
