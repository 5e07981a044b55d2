/**
 * What commands print on stdout: JSON for machines (`--json`), aligned tables and plain lines for people.
 * Errors never come through here (main.ts writes them to stderr).
 */

/** Prints `value` as indented JSON. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints each line as it is. */
export function printLines(...lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** The lines of a table: a header row, then the rows, columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(headers), ...rows.map(render)];
}

/** Prints a table (formatTable), or `empty` when there are no rows. */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  empty: string,
): void {
  if (rows.length === 0) printLines(empty);
  else printLines(...formatTable(headers, rows));
}
