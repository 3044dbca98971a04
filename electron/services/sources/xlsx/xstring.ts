/**
 * Excel's escape for characters XML cannot carry in cell text, `_xHHHH_` (ECMA-376 Part 1
 * §22.9.2.19 ST_Xstring; MS-OI29500 2.1.1747: Excel writes a CR as `_x000D_`, and a literal
 * `_xHHHH_` as `_x005F_xHHHH_`). Excel shows the character, so the workbench reads it so.
 * (openpyxl leaves the escapes in the text.)
 */

export function unescapeXstring(value: string): string {
  if (!value.includes('_x')) return value;
  return value.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The text of a value that holds `_xHHHH_` itself, so that Excel (and our reader) show it as it is. */
export function escapeXstring(value: string): string {
  if (!value.includes('_x')) return value;
  return value.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
}
