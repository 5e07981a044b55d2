/** The time source; injected everywhere so ticks are replayable and tests never sleep for real. */
export type Clock = () => Date;

/** Waits `ms` milliseconds; injected so tests can advance fake time instead of waiting. */
export type Sleep = (ms: number) => Promise<void>;

export const systemClock: Clock = () => new Date();

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** ISO-8601 UTC with milliseconds: the one string form of instants in records (sorts lexically). */
export function toIso(date: Date): string {
  return date.toISOString();
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
