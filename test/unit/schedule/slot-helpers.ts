import { parseSchedule, slotsBetween } from '#lib/schedule/schedule';

/** The first `count` slots of `expression` in `timeZone` strictly after `from`, as ISO strings. */
export function firstSlots(expression: string, timeZone: string, from: string, count: number): string[] {
  return slotsBetween(
    parseSchedule(expression),
    timeZone,
    new Date(from),
    new Date('2300-01-01T00:00:00Z'),
    count,
  ).map((slot) => slot.toISOString());
}
