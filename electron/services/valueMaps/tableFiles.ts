/**
 * A value mapping table as a file a client's process owner fills in: .csv (UTF-8 with a BOM, which
 * Excel opens with the right characters) or .xlsx. One row per rule, then one per legacy value of
 * the extract that no rule maps yet, with its rows and the best suggestion, the F&O value left
 * empty to fill in. Reading it back turns every row with an F&O value into a rule.
 *
 * The file is for a person: in CSV, a cell a spreadsheet would run as a formula (= + - @) is
 * written with a leading `'` (shared/domain/dialects/formulas.ts), and the `'` is taken off again
 * when such a cell is read back. The xlsx writer writes every cell as an inline string, which no
 * spreadsheet runs.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ValueMapDraft, ValueMapFile } from '../../../shared/api/domains/valueMaps';
import { MAX_VALUE_RULES } from '../../../shared/api/domains/valueMaps';
import { AppError } from '../../../shared/api/errors';
import { looksLikeFormula, neutralizeFormula } from '../../../shared/domain/dialects/formulas';
import type { RuleInput, ValueRuleKind } from '../../../shared/domain/valueMapping';
import { VALUE_RULE_KINDS } from '../../../shared/domain/valueMapping';
import { NEW_CSV } from '../datasets/writers';
import { createAtomicWriteStream } from '../fs/atomicWrite';
import { createRowWriter, openRowReader } from '../sources/dataFiles';
import { fileSource } from '../sources/rows';

export const TABLE_COLUMNS = [
  'Legacy value',
  'F&O value',
  'Rule',
  'F&O label',
  'Rows',
  'Suggestion',
  'Changed by',
  'Changed at',
  'Note',
] as const;

/** A filled-in table is a few thousand rows; anything far bigger is not one. */
const MAX_TABLE_FILE_BYTES = 64 * 2 ** 20;

type Kind = 'csv' | 'xlsx';

function kindOf(path: string): Kind {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new AppError('INVALID_PARAMS', `${basename(path)}: a value table is written to and read from .csv or .xlsx.`);
}

/** The rows of the file: the table's rules, then the unmapped values of the draft. */
export function tableRows(table: ValueMapFile, draft: ValueMapDraft | null): string[][] {
  const labels = new Map((table.targets?.values ?? []).map((t) => [t.value.toLowerCase(), t.label ?? '']));
  const counts = new Map((draft?.values ?? []).map((v) => [v.value.trim().toLowerCase(), v.count]));
  const rows: string[][] = table.rules.map((rule) => [
    rule.from ?? '',
    rule.to ?? '',
    rule.kind,
    labels.get((rule.to ?? '').toLowerCase()) ?? '',
    rule.kind === 'exact' && counts.has((rule.from ?? '').trim().toLowerCase())
      ? String(counts.get((rule.from ?? '').trim().toLowerCase()))
      : '',
    '',
    rule.changedBy,
    rule.changedAt,
    rule.note ?? '',
  ]);
  for (const value of draft?.values ?? []) {
    if (value.status !== 'unmapped') continue;
    const best = value.suggestions[0];
    rows.push([
      value.value,
      '',
      '',
      '',
      String(value.count),
      best ? `${best.to}${best.label ? ` (${best.label})` : ''}: ${best.reason}, ${best.score.toFixed(2)}` : '',
      '',
      '',
      '',
    ]);
  }
  return rows;
}

export async function exportTable(
  table: ValueMapFile,
  draft: ValueMapDraft | null,
  path: string,
  overwrite: boolean,
): Promise<{ path: string; rows: number }> {
  const kind = kindOf(path);
  if (!overwrite && (await stat(path).catch(() => null))) {
    throw new AppError('CONFLICT', `${path} already exists: choose another name, or confirm to replace it.`);
  }
  const rows = tableRows(table, draft);
  const target = await createAtomicWriteStream(path);
  try {
    const writer = createRowWriter(kind, target.stream, {
      columns: [...TABLE_COLUMNS],
      file: basename(path),
      dialect: NEW_CSV,
      sheetName: 'Value mapping',
    });
    await writer.write(kind === 'csv' ? rows.map((row) => row.map(neutralizeFormula)) : rows);
    await writer.end();
    await target.commit();
    return { path, rows: rows.length };
  } catch (error) {
    await target.abort();
    throw error;
  }
}

/** A cell as the person meant it: the `'` a spreadsheet shows a formula-looking text with is removed. */
function personCell(value: string): string {
  return value.startsWith("'") && looksLikeFormula(value.slice(1)) ? value.slice(1) : value;
}

/** Reads a filled-in table: rules from the rows that have an F&O value (or say keep), reasons for the others. */
export async function readTableFile(
  path: string,
  table: ValueMapFile,
): Promise<{ file: string; rules: RuleInput[]; skipped: string[] }> {
  const kind = kindOf(path);
  const file = basename(path);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file ${path}: check the path.`);
  if (info.size > MAX_TABLE_FILE_BYTES) {
    throw new AppError(
      'INVALID_INPUT',
      `${file} is ${(info.size / 2 ** 20).toFixed(0)} MB: a value table holds at most ${MAX_VALUE_RULES.toLocaleString('en-US')} rules. Check that it is the right file.`,
    );
  }
  // The first sheet: the one the workbench wrote, whatever the process owner renamed it to.
  const reader = await openRowReader(await fileSource(path), kind);
  const rules: RuleInput[] = [];
  const skipped: string[] = [];
  try {
    const at = (name: string) => reader.columns.findIndex((c) => c.trim().toLowerCase() === name.toLowerCase());
    const legacyAt = at('Legacy value');
    const valueAt = at('F&O value');
    const ruleAt = at('Rule');
    const noteAt = at('Note');
    if (legacyAt < 0 || valueAt < 0) {
      throw new AppError(
        'INVALID_INPUT',
        `${file} has no ${legacyAt < 0 ? '"Legacy value"' : '"F&O value"'} column: fill in the file the workbench exported for the table "${table.name}" (its first row names the columns).`,
      );
    }
    for await (const batch of reader) {
      batch.rows.forEach((row, i) => {
        const line = batch.lines[i] ?? batch.firstRow + i + 1;
        const from = personCell(row[legacyAt] ?? '');
        const to = personCell(row[valueAt] ?? '').trim();
        const written = (ruleAt >= 0 ? (row[ruleAt] ?? '') : '').trim().toLowerCase();
        const note = noteAt >= 0 ? personCell(row[noteAt] ?? '').trim() : '';
        if (written !== '' && !VALUE_RULE_KINDS.includes(written as ValueRuleKind)) {
          skipped.push(`Row ${line}: the rule "${row[ruleAt] ?? ''}" is not one of ${VALUE_RULE_KINDS.join(', ')}.`);
          return;
        }
        const kind: ValueRuleKind =
          written !== '' ? (written as ValueRuleKind) : /[*?]/.test(from) ? 'pattern' : 'exact';
        if (kind !== 'keep' && to === '') return; // Not filled in yet: the value stays unmapped.
        if (kind === 'pattern' && from.trim() === '') {
          skipped.push(`Row ${line}: a pattern rule needs a pattern in "Legacy value" (such as 42*).`);
          return;
        }
        if (kind === 'exact' && from.trim() === '' && written === '') {
          skipped.push(
            `Row ${line}: "${to}" has no legacy value. Write "default" in Rule to map every other value to it, or "exact" to map empty cells.`,
          );
          return;
        }
        if (rules.length >= MAX_VALUE_RULES) {
          throw new AppError(
            'INVALID_INPUT',
            `${file} holds more than ${MAX_VALUE_RULES.toLocaleString('en-US')} rules.`,
          );
        }
        rules.push({
          kind,
          ...(kind !== 'default' && (from !== '' || kind === 'exact') ? { from } : {}),
          ...(kind !== 'keep' ? { to } : {}),
          ...(note ? { note } : {}),
        });
      });
    }
  } finally {
    await reader.close();
  }
  return { file, rules, skipped };
}
