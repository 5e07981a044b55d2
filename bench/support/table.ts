/** One line of the benchmark table: a figure, the baseline measured beside it, and their ratio. */
export interface Row {
  readonly name: string;
  readonly measured: string;
  readonly baseline: string;
  /** measured ÷ baseline (or the row's own definition, said in `target`); undefined when meaningless. */
  readonly ratio: number | undefined;
  readonly target: string;
  /** undefined for a row reported without a target. */
  readonly pass: boolean | undefined;
}

function cells(row: Row): string[] {
  const ratio = row.ratio === undefined || !Number.isFinite(row.ratio) ? '—' : row.ratio.toFixed(2);
  const result = row.pass === undefined ? 'info' : row.pass ? 'pass' : 'FAIL';
  return [row.name, row.measured, row.baseline, ratio, row.target, result];
}

/** The rows as one Markdown table (readable in a terminal, pasted as is into BENCHMARKS.md). */
export function renderTable(rows: readonly Row[]): string {
  const header = ['row', 'measured', 'baseline (same run)', 'ratio', 'target', 'result'];
  const lines = [header, header.map(() => '---'), ...rows.map(cells)];
  return lines.map((line) => `| ${line.join(' | ')} |`).join('\n');
}
