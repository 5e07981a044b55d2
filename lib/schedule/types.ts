/**
 * A parsed EventBridge schedule expression. Only `parseSchedule` produces one; the slot functions take it
 * together with the IANA time zone it is evaluated in.
 */
export type Schedule = CronSchedule | RateSchedule;

/** `cron(min hour day-of-month month day-of-week year)`, wall-clock times in the policy's time zone. */
export interface CronSchedule {
  readonly kind: 'cron';
  /** The expression as written (trimmed). */
  readonly expression: string;
  /** The same schedule in croner's 7-part syntax (seconds first, Quartz weekdays 1 = SUN), fully expanded. */
  readonly pattern: string;
}

export type RateUnit = 'minutes' | 'hours' | 'days';

/** `rate(N unit)`, anchored deterministically (see `rate-slots.ts`). */
export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
}
