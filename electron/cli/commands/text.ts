/** Plain-text tables for command output: columns padded to their widest cell. */
export function table(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  // The last column is not padded, so its rule only spans its heading.
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? (headings[i]?.length ?? w) : w));
  return [line(headings), line(rule), ...rows.map(line)].join('\n') + '\n';
}

/** What `--json` prints: the value as indented JSON and a newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
