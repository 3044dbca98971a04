/**
 * Spreadsheet formula injection (OWASP "CSV Injection", CWE-1236): Excel, LibreOffice Calc and
 * Google Sheets read a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
 * before one) as a formula, and one such as `=cmd|' /C calc'!A0` can run a program when the file
 * is opened. Files written for a person to open (saved copies, diffs, error lists) neutralise such
 * cells as the guidance says: a leading `'` makes the spreadsheet show the value as text. Data
 * packages and source files for F&O are never neutralised: F&O would import the `'`.
 *
 * A plain number (`-5`, `+1.5`, `-1e3`) runs nothing and is left as it is, so negative amounts
 * stay numbers. [INFER] from the guidance, which names the characters, not the numbers.
 */
const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a spreadsheet would read this value as a formula. */
export function looksLikeFormula(value: string): boolean {
  return TRIGGER.test(value) && !PLAIN_NUMBER.test(value);
}

/** The value as a spreadsheet shows it as text: `'=cmd|…` for a formula-looking value, else unchanged. */
export function neutralizeFormula(value: string): string {
  return looksLikeFormula(value) ? `'${value}` : value;
}
