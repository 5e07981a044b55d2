import { DAY_MS, MINUTE_MS } from '#lib/clock';
import { latestSlotAtOrBefore, nextSlotAfter, slotsBetween } from './schedule';
import { offsetMsAt } from './time-zone';
import type { Schedule } from './types';

/**
 * Where interval checks start: a fixed instant, so whether a record is valid does not depend on when it is
 * read. A schedule with no slot after it "never fires".
 */
export const SCHEDULE_CHECK_START = new Date('2026-01-01T00:00:00.000Z');

const HORIZON_DAYS = 400;
const WINDOW_SLOT_LIMIT = 250;

export interface ShortestInterval {
  /** Real (elapsed) time between the two slots. */
  readonly intervalMs: number;
  /** The later of the two slots. */
  readonly at: Date;
  /** True when the shortest gap shows only around a change of the zone's UTC offset (DST). */
  readonly aroundOffsetChange: boolean;
}

/** Gaps between the slots in [start, end], plus the slot just before and just after them. */
function scanWindow(
  schedule: Schedule,
  timeZone: string,
  start: number,
  end: number,
  aroundOffsetChange: boolean,
) {
  const slots = slotsBetween(schedule, timeZone, new Date(start), new Date(end), WINDOW_SLOT_LIMIT);
  const previous = latestSlotAtOrBefore(schedule, timeZone, new Date(start));
  if (previous !== undefined) slots.unshift(previous);
  const following = nextSlotAfter(schedule, timeZone, slots.at(-1) ?? new Date(end));
  if (following !== undefined) slots.push(following);
  let shortest: ShortestInterval | undefined;
  for (let index = 1; index < slots.length; index += 1) {
    const at = slots[index] as Date;
    const intervalMs = at.getTime() - (slots[index - 1] as Date).getTime();
    if (shortest === undefined || intervalMs < shortest.intervalMs)
      shortest = { intervalMs, at, aroundOffsetChange };
  }
  return shortest;
}

function findOffsetChanges(timeZone: string, start: number): number[] {
  const changes: number[] = [];
  let previous = offsetMsAt(start, timeZone);
  for (let day = 1; day <= HORIZON_DAYS; day += 1) {
    const offset = offsetMsAt(start + day * DAY_MS, timeZone);
    if (offset !== previous) changes.push(start + day * DAY_MS - DAY_MS / 2);
    previous = offset;
  }
  return changes;
}

/**
 * The shortest real time between two consecutive slots, or undefined when the schedule fires fewer than
 * twice. Scans the first 3 days from the first slot after `from`, and 2 days each side of every UTC-offset
 * change in the 400 days after it (at most 250 slots per window). That is enough for the "at most once an
 * hour" rule: a cron has the same wall-clock pattern every day it fires and a rate a fixed period, so a
 * shorter gap shows in the first window or comes from a DST change (e.g. a 30-minute change in
 * Australia/Lord_Howe turns `cron(30 * * * ? *)` into a 30-minute gap once a year).
 */
export function findShortestInterval(
  schedule: Schedule,
  timeZone: string,
  from: Date = SCHEDULE_CHECK_START,
): ShortestInterval | undefined {
  const first = nextSlotAfter(schedule, timeZone, from);
  if (first === undefined) return undefined;
  let shortest = scanWindow(schedule, timeZone, first.getTime(), first.getTime() + 3 * DAY_MS, false);
  if (shortest !== undefined && shortest.intervalMs <= MINUTE_MS) return shortest;
  for (const change of findOffsetChanges(timeZone, first.getTime())) {
    const found = scanWindow(schedule, timeZone, change - 2 * DAY_MS, change + 2 * DAY_MS, true);
    if (found !== undefined && (shortest === undefined || found.intervalMs < shortest.intervalMs))
      shortest = found;
  }
  return shortest;
}
