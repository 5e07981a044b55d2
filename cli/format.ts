import { offsetMsAt } from '#lib/schedule/time-zone';

/** JSON.stringify's replacer for what DynamoDB items may hold beyond JSON: bigints as text, sets as lists. */
function beyondJson(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value instanceof Set ? [...value] : value;
}

/** `value` as JSON text, whatever an item holds (JSON.stringify alone throws on a bigint). */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, beyondJson, indent) ?? String(value);
}

/** How a table cell shows an attribute of any type (items may hold anything an operator wrote). */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  return typeof value === 'string' ? value : jsonText(value);
}

/** An instant in UTC, to the second: `2026-03-23T06:00:00Z`. */
export function formatUtc(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return Number.isNaN(date.getTime()) ? cell(instant) : `${date.toISOString().slice(0, 19)}Z`;
}

/** Whether `timeZone` is UTC under any of its names (`UTC`, `Etc/UTC`, `GMT`, `Zulu`, …). */
export function isUtcZone(timeZone: string): boolean {
  return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone === 'UTC';
}

/** An instant as wall time in `timeZone`, with its offset: `2026-03-23T07:00+01:00`. */
export function formatInZone(instant: Date, timeZone: string): string {
  const offsetMinutes = Math.round(offsetMsAt(instant.getTime(), timeZone) / 60_000);
  const wall = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 16);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${wall}${sign}${hours}:${minutes}`;
}

/** A duration as its two largest units: `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [days, hours, minutes] = [
    Math.floor(seconds / 86_400),
    Math.floor(seconds / 3600) % 24,
    Math.floor(seconds / 60) % 60,
  ];
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return minutes > 0 ? `${minutes}m` : `${seconds}s`;
}
