import { InvalidArgumentError } from 'commander';
import { RUN_STATUSES, type RunStatus } from '#lib/runs/types';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^(\d+)([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An ISO-8601 instant with a zone (`Z` or `±hh:mm`): never a local time open to guessing. */
export function parseInstant(value: string): Date {
  const at = new Date(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError('expected an ISO-8601 time with a zone, e.g. 2026-03-23T06:00:00Z');
  }
  return at;
}

/** `--since`: an ISO instant, or a duration back from now such as `90m`, `12h`, `7d`. */
export function parseSince(value: string, now: () => Date = () => new Date()): Date {
  const relative = RELATIVE.exec(value);
  if (!relative) return parseInstant(value);
  const unit = relative[2] as keyof typeof UNIT_MS;
  return new Date(now().getTime() - Number(relative[1]) * UNIT_MS[unit]);
}

/** A whole number from 1 to `max`. */
export function parseCount(max: number): (value: string) => number {
  return (value) => {
    const count = Number(value);
    if (!Number.isInteger(count) || count < 1 || count > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    }
    return count;
  };
}

/** `--status`: one or more run statuses, comma-separated, any case; repeating the option adds more. */
export function parseStatuses(value: string, previous: RunStatus[] = []): RunStatus[] {
  const statuses = value.split(',').map((status) => status.trim().toUpperCase());
  const unknown = statuses.filter((status) => !(RUN_STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0) {
    const known = RUN_STATUSES.join(', ');
    throw new InvalidArgumentError(`unknown status ${unknown.join(', ')} (one of ${known})`);
  }
  return [...previous, ...(statuses as RunStatus[])];
}
