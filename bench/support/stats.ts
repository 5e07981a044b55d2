/** The value at quantile `q` (0..1) of `values`, by nearest rank; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** The median of `values` (the lower middle one for an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** `value` with `digits` decimals and a thousands separator. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
