import { DAY_MS, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { BoundedCache } from '#lib/collections';

/**
 * Time-zone arithmetic on top of `Intl` (no tz database of our own): UTC offsets, wall time → instant with
 * DST gaps and overlaps resolved the way the schedules need it. Instants are epoch milliseconds.
 */

const formatters = new BoundedCache<Intl.DateTimeFormat>(1000);

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  return formatters.get(
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  );
}

/**
 * Whether `name` is a time zone this runtime knows: an IANA name (`Europe/Berlin`, links such as
 * `US/Eastern`) or `UTC`. Offset forms (`+01:00`) are refused: they have no DST rules and are not IANA names.
 */
export function isValidTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset at `instant`, in milliseconds (positive east of Greenwich). */
export function offsetMsAt(instant: number, timeZone: string): number {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    values.year ?? 1970,
    (values.month ?? 1) - 1,
    values.day ?? 1,
    values.hour ?? 0,
    values.minute ?? 0,
    values.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show `wallMs` (a wall time encoded as if it were UTC).
 * A wall time that occurs twice (clocks fall back) resolves to its first occurrence; one that does not
 * exist (clocks spring forward) resolves to the first instant after the gap.
 */
export function instantOfWallTime(wallMs: number, timeZone: string): number {
  const before = offsetMsAt(wallMs - DAY_MS, timeZone);
  const after = offsetMsAt(wallMs + DAY_MS, timeZone);
  const matches = [wallMs - before, wallMs - after].filter((t) => offsetMsAt(t, timeZone) === wallMs - t);
  if (matches.length > 0) return Math.min(...matches);
  if (after <= before) return wallMs - before;
  let low = wallMs - after;
  let high = wallMs - before;
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMsAt(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** Whether the wall time shown at `instant` was already shown earlier: the second pass of a fall-back. */
export function isRepeatedWallTime(instant: number, timeZone: string): boolean {
  const now = offsetMsAt(instant, timeZone);
  const earlier = offsetMsAt(instant - 3 * HOUR_MS, timeZone);
  if (earlier <= now) return false;
  return offsetMsAt(instant - (earlier - now), timeZone) === earlier;
}

/** Days since 1970-01-01 of the zone's calendar date at `instant`. */
export function localDayNumber(instant: number, timeZone: string): number {
  return Math.floor((instant + offsetMsAt(instant, timeZone)) / DAY_MS);
}
