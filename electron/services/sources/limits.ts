/**
 * The limits every reader of data files checks before it spends the memory (CSV, TSV, xlsx, XML,
 * the data files of packages). One place, so that the readers, the row store and the bridge agree,
 * and a message can name the limit that was hit. Each reader takes overrides (tests, callers with
 * a reason); these are the defaults.
 */
export const INPUT_LIMITS = Object.freeze({
  /**
   * Characters of one value. Far above anything an F&O field takes (an Excel cell holds 32,767;
   * F&O's longest string fields are memo fields), low enough that a page of rows stays small.
   */
  fieldChars: 8 * 1024 * 1024,
  /** Characters of one record (all its values): an unclosed qualifier stops here. */
  recordChars: 64 * 1024 * 1024,
  /**
   * Values of one record, the header included. The row store addresses at most 4,096 columns
   * (shared/api/domains/datasets.ts); an F&O staging table has far fewer (SQL Server allows 1,024).
   */
  fieldsPerRecord: 4096,
  /**
   * Entries of an xlsx shared-string table (an empty `<si/>` costs a slot too). A sheet of a
   * million rows with four columns of distinct text has four million; reading more takes longer
   * than a person waits for a grid (saxes reads about 10 million entries a minute under load).
   */
  sharedStrings: 4 * 1024 * 1024,
  /** Characters of an xlsx shared-string table, all entries together. */
  sharedStringChars: 128 * 1024 * 1024,
  /** Element nesting of an XML document: DMF's files nest 3 deep, manifests 6. */
  xmlDepth: 64,
});

export type InputLimits = { -readonly [K in keyof typeof INPUT_LIMITS]: number };

/** `1,048,576`: limits in messages, spelt the same everywhere. */
export function formatLimit(n: number): string {
  return n.toLocaleString('en-US');
}
