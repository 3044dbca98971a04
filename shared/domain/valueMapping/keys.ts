/**
 * Keys that make variants of one legacy value collide: the keying methods of OpenRefine's
 * clustering ("Clustering in depth", OpenRefine documentation), written for this project.
 *
 * - fingerprint: "Contoso Ltd." and "LTD contoso" → "contoso ltd" (case, punctuation, accents,
 *   word order and repeated words do not count);
 * - n-gram fingerprint: "N30" and "N 30" → the same letter pairs, whatever the spacing;
 * - metaphone: "Smith" and "Smyth" → "SM0" (words that sound alike in English).
 */

/** Marks (accents) split off by NFD: "é" → "e" + U+0301. */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** Letters NFD does not take apart, folded the way people type them on an ASCII keyboard. */
const LIGATURES: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  þ: 'th',
};
const LIGATURE_PATTERN = /[ßæœøđłþ]/g;

/** Lower case without accents ("Müller Großhandel" → "muller grosshandel"). */
export function foldText(value: string): string {
  const lower = value.toLowerCase();
  // Pure ASCII (most legacy codes): nothing to decompose.
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(LIGATURE_PATTERN, (c) => LIGATURES[c] ?? c);
}

/** Everything but letters and digits of any script (punctuation, symbols, controls). */
const NOT_WORD = /[^\p{L}\p{N}\s]+/gu;

/** The words of a value: folded, punctuation removed, split on white space. */
export function words(value: string): string[] {
  return foldText(value)
    .replace(NOT_WORD, '')
    .split(/\s+/)
    .filter((w) => w !== '');
}

/** OpenRefine's fingerprint: the distinct folded words, sorted, joined by one space. */
export function fingerprint(value: string): string {
  const unique = [...new Set(words(value))];
  unique.sort();
  return unique.join(' ');
}

/** The value's letters and digits only, folded ("N 30-days" → "n30days"). */
export function compactText(value: string): string {
  return foldText(value).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The distinct n-grams of the compacted value, sorted (a value shorter than n is its own n-gram). */
export function ngrams(value: string, n = 2): string[] {
  const text = compactText(value);
  if (text.length <= n) return text === '' ? [] : [text];
  const grams = new Set<string>();
  for (let i = 0; i + n <= text.length; i++) grams.add(text.slice(i, i + n));
  return [...grams].sort();
}

/** OpenRefine's n-gram fingerprint: the sorted distinct n-grams joined. */
export function ngramFingerprint(value: string, n = 2): string {
  return ngrams(value, n).join('');
}

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
const FRONT_VOWELS = new Set(['E', 'I', 'Y']);

/**
 * Lawrence Philips' original Metaphone (1990) of a value's words, joined by spaces: an English
 * sound key ("Catherine" and "Kathryn" → "K0RN"). Digits are kept as they are, so "NET 30" and
 * "Net 30" share a key and "Net 60" does not.
 */
export function metaphone(value: string): string {
  return words(value)
    .map((w) => (/^\p{N}+$/u.test(w) ? w : metaphoneWord(w.toUpperCase().replace(/[^A-Z]/g, ''))))
    .filter((k) => k !== '')
    .join(' ');
}

function metaphoneWord(word: string): string {
  if (word === '') return '';
  // Doubled letters count once, except C (as in "accident").
  let w = '';
  for (const ch of word) if (ch !== w[w.length - 1] || ch === 'C') w += ch;
  if (/^(KN|GN|PN|AE|WR)/.test(w)) w = w.slice(1);
  else if (w[0] === 'X') w = `S${w.slice(1)}`;
  else if (w.startsWith('WH')) w = `W${w.slice(2)}`;

  const at = (i: number) => w[i] ?? '';
  const isVowel = (i: number) => VOWELS.has(at(i));
  let key = '';
  for (let i = 0; i < w.length; i++) {
    const c = at(i);
    const next = at(i + 1);
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
        if (i === 0) key += c;
        break;
      case 'B':
        if (!(i === w.length - 1 && at(i - 1) === 'M')) key += 'B';
        break;
      case 'C':
        if (at(i - 1) === 'S' && FRONT_VOWELS.has(next)) break; // "science": silent
        if (next === 'I' && at(i + 2) === 'A') key += 'X';
        else if (next === 'H') key += at(i - 1) === 'S' ? 'K' : 'X';
        else if (FRONT_VOWELS.has(next)) key += 'S';
        else key += 'K';
        break;
      case 'D':
        key += next === 'G' && FRONT_VOWELS.has(at(i + 2)) ? 'J' : 'T';
        break;
      case 'G':
        if (next === 'H' && i + 2 < w.length && !isVowel(i + 2)) break; // "night": silent
        if (next === 'N' && (i + 2 === w.length || (at(i + 2) === 'E' && at(i + 3) === 'D' && i + 4 === w.length)))
          break; // "sign", "signed"
        key += FRONT_VOWELS.has(next) ? 'J' : 'K';
        break;
      case 'H':
        if (isVowel(i + 1) && !'CSPTG'.includes(at(i - 1))) key += 'H';
        break;
      case 'K':
        if (at(i - 1) !== 'C') key += 'K';
        break;
      case 'P':
        key += next === 'H' ? 'F' : 'P';
        break;
      case 'Q':
        key += 'K';
        break;
      case 'S':
        if (next === 'H' || (next === 'I' && (at(i + 2) === 'O' || at(i + 2) === 'A'))) key += 'X';
        else key += 'S';
        break;
      case 'T':
        if (next === 'I' && (at(i + 2) === 'O' || at(i + 2) === 'A')) key += 'X';
        else if (next === 'H') key += '0';
        else if (!(next === 'C' && at(i + 2) === 'H')) key += 'T';
        break;
      case 'V':
        key += 'F';
        break;
      case 'W':
      case 'Y':
        if (isVowel(i + 1)) key += c;
        break;
      case 'X':
        key += 'KS';
        break;
      case 'Z':
        key += 'S';
        break;
      default:
        key += c; // F J L M N R
    }
  }
  return key;
}

/**
 * Levenshtein distance, or `limit + 1` as soon as it must exceed `limit` (nearest-neighbour
 * clustering only asks "within the radius?", so long values cost no more than short ones).
 */
export function boundedLevenshtein(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}
