/**
 * How big the reliability checks run: `RELIABILITY_SCALE` (a positive whole number, default 1) multiplies
 * every count. `npm test` runs them at 1; `npm run soak` at 10.
 */
function readScale(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`RELIABILITY_SCALE must be a positive whole number, got "${raw}"`);
  }
  return value;
}

export const SCALE = readScale(process.env.RELIABILITY_SCALE);

/** `count` at the current scale. */
export function scaled(count: number): number {
  return count * SCALE;
}

/** A test timeout that grows with the scale. */
export function timeoutFor(baseMs: number): number {
  return baseMs * SCALE;
}
