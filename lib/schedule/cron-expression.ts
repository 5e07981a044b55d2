import { shorten } from '#lib/errors';
import { CRON_FIELDS, expandCronField, parseCronValue } from './cron-fields';
import { failSchedule } from './fail-schedule';
import type { CronSchedule } from './types';

const FIELD_ORDER = 'minutes hours day-of-month month day-of-week year';

function expandList(text: string, spec: (typeof CRON_FIELDS)[keyof typeof CRON_FIELDS]): string {
  if (text.includes('?'))
    failSchedule(`cron ${spec.label}: '?' is only allowed in day-of-month or day-of-week`);
  return expandCronField(text, spec).join(',');
}

/** Day-of-month: a plain field, or `L` (last day), `LW` (last weekday), `nW` (weekday nearest day n). */
function translateDayOfMonth(text: string): string {
  const upper = text.toUpperCase();
  if (upper === 'L' || upper === 'LW') return upper;
  const nearest = /^(\d{1,2})W$/.exec(upper);
  if (nearest?.[1] !== undefined) return `${parseCronValue(nearest[1], CRON_FIELDS.dayOfMonth)}W`;
  if (/[LW]/.test(upper)) {
    failSchedule(`cron day-of-month: '${shorten(text)}' is not valid; L, LW and nW must stand alone`);
  }
  return expandList(text, CRON_FIELDS.dayOfMonth);
}

/** Day-of-week (1 = SUN … 7 = SAT): a plain field, `L` (Saturday), `nL` (last n of the month), `n#k`. */
function translateDayOfWeek(text: string): string {
  const upper = text.toUpperCase();
  if (upper === 'L') return '7';
  const last = /^([A-Z0-9]+)L$/.exec(upper);
  if (last?.[1] !== undefined) return `${parseCronValue(last[1], CRON_FIELDS.dayOfWeek)}#L`;
  const nth = /^([A-Z0-9]+)#(\d+)$/.exec(upper);
  if (nth?.[1] !== undefined && nth[2] !== undefined) {
    const occurrence = Number(nth[2]);
    if (occurrence < 1 || occurrence > 5)
      failSchedule(`cron day-of-week: '${shorten(text)}' needs an occurrence 1-5`);
    return `${parseCronValue(nth[1], CRON_FIELDS.dayOfWeek)}#${occurrence}`;
  }
  if (/[L#]/.test(upper)) {
    failSchedule(`cron day-of-week: '${shorten(text)}' is not valid; L, nL and n#k must stand alone`);
  }
  return expandList(text, CRON_FIELDS.dayOfWeek);
}

/**
 * Parses the inside of `cron(...)`: six fields, EventBridge rules (exactly one of day-of-month and
 * day-of-week is `?`; day-of-week 1 = SUNDAY; year 1970-2199), into croner's 7-part syntax with every
 * list expanded. Ranges must run forwards (`22-2` is refused rather than wrapped).
 */
export function parseCronExpression(expression: string, body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    failSchedule(`cron needs 6 fields (${FIELD_ORDER}), found ${body.trim() === '' ? 0 : fields.length}`);
  }
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  const anyDayOfMonth = dayOfMonth === '?';
  const anyDayOfWeek = dayOfWeek === '?';
  if (anyDayOfMonth && anyDayOfWeek) failSchedule('cron: day-of-month and day-of-week cannot both be ?');
  if (!anyDayOfMonth && !anyDayOfWeek) {
    failSchedule('cron: one of day-of-month and day-of-week must be ? (EventBridge rule)');
  }
  const pattern = [
    '0',
    expandList(minutes, CRON_FIELDS.minutes),
    expandList(hours, CRON_FIELDS.hours),
    anyDayOfMonth ? '*' : translateDayOfMonth(dayOfMonth),
    expandList(month, CRON_FIELDS.month),
    anyDayOfWeek ? '*' : translateDayOfWeek(dayOfWeek),
    year === '*' ? `${CRON_FIELDS.year.min}-${CRON_FIELDS.year.max}` : expandList(year, CRON_FIELDS.year),
  ].join(' ');
  return { kind: 'cron', expression, pattern };
}
