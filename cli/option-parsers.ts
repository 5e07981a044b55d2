import { InvalidArgumentError } from 'commander';
import type * as z from 'zod';
import { attributeSchemas } from '#lib/policy/attribute-schemas';
import { RUN_STATUSES, type RunStatus } from '#lib/runs/types';

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const RELATIVE = /^(\d+)([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const INSTANT_FORMS = '2026-03-23T06:00:00Z or 2026-03-23T08:00+02:00';

/** Whether the fields of an ISO_INSTANT match name a real time: no 30 February, no 25:00, no offset +25:00. */
function isRealTime(fields: readonly number[]): boolean {
  const [
    year = 0,
    month = 0,
    day = 0,
    hours = 0,
    minutes = 0,
    seconds = 0,
    offsetHours = 0,
    offsetMinutes = 0,
  ] = fields;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hours <= 23 &&
    minutes <= 59 &&
    seconds <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59
  );
}

/**
 * An ISO-8601 instant with a zone (`Z` or `±hh:mm`): never a local time open to guessing, and never an
 * impossible one that JavaScript's Date would roll over (2026-02-30 is not 2 March).
 */
export function parseInstant(value: string): Date {
  const match = ISO_INSTANT.exec(value);
  if (!match) throw new InvalidArgumentError(`expected an ISO-8601 time with a zone, e.g. ${INSTANT_FORMS}`);
  if (!isRealTime(match.slice(1).map((field) => Number(field ?? 0)))) {
    throw new InvalidArgumentError(
      'no such time: its month, day, hour, minute, second or offset is out of range (2026-02-30 and 25:00 do not exist)',
    );
  }
  return new Date(value);
}

/** `--since`: an ISO instant, or a duration back from now such as `90m`, `12h`, `7d`. */
export function parseSince(value: string, now: () => Date = () => new Date()): Date {
  const relative = RELATIVE.exec(value);
  if (relative) {
    const unit = relative[2] as keyof typeof UNIT_MS;
    const since = new Date(now().getTime() - Number(relative[1]) * UNIT_MS[unit]);
    if (Number.isNaN(since.getTime())) throw new InvalidArgumentError('that is further back than any date');
    return since;
  }
  if (!ISO_INSTANT.test(value)) {
    throw new InvalidArgumentError(
      `expected an ISO-8601 time with a zone (${INSTANT_FORMS}) or a duration back from now (90m, 12h, 7d)`,
    );
  }
  return parseInstant(value);
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

/** A duration such as `30s`, `15m` or `2h`, in milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(value);
  const ms = match ? Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'] : 0;
  if (ms <= 0) throw new InvalidArgumentError('expected a duration such as 30s, 20m or 2h');
  return ms;
}
/** A value of `schema` (a policy attribute's), or the attribute's own message as the option's error. */
function parseWith(schema: z.ZodType<string>) {
  return (value: string): string => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'invalid value');
    return parsed.data;
  };
}

/** `--account`: a 12-digit account id, by the rule of the policy attribute `account`. */
export const parseAccount = parseWith(attributeSchemas.account);

/** `--region`: an AWS Region code, by the rule of the policy attribute `region`. */
export const parseRegion = parseWith(attributeSchemas.region);
