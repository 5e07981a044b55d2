/**
 * What commands print on stdout: JSON for machines (`--json`), aligned tables and plain lines for people.
 * Errors never come through here (main.ts writes them to stderr); warnings do, on stderr. Nothing here spreads a list into a call
 * or Math.max, so output of any length (a file of 200,000 policies) prints without overflowing the stack.
 */
import { jsonText } from './format';

/** Prints `value` as indented JSON (bigints as text, sets as lists: items may hold them). */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonText(value, 2)}\n`);
}

/** Writes `cache-snapshots: warning: <line>` on stderr: something the command worked around, not an error. */
export function printWarning(line: string): void {
  process.stderr.write(`cache-snapshots: warning: ${line}\n`);
}

/** Prints one line as it is. */
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints each line as it is, in one write. */
export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** The lines of a table: a header row, then the rows, columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) =>
    rows.reduce((widest, row) => Math.max(widest, (row[column] ?? '').length), header.length),
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
  printLines(rows.length === 0 ? [empty] : formatTable(headers, rows));
}
