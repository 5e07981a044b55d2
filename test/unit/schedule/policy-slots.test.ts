import { describe, expect, it } from 'vitest';
import { latestSlotAtOrBefore, nextSlotAfter, slotsBetween } from '#lib/schedule/policy-slots';

const policy = { schedule: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin' };

describe('policy slots', () => {
  it('evaluates a policy schedule in the policy time zone', () => {
    const at = new Date('2026-01-15T12:00:00Z');

    expect(nextSlotAfter(policy, at)?.toISOString()).toBe('2026-01-16T01:00:00.000Z');
    expect(latestSlotAtOrBefore(policy, at)?.toISOString()).toBe('2026-01-15T01:00:00.000Z');
    expect(slotsBetween(policy, at, new Date('2026-01-18T00:00:00Z'), 5)).toHaveLength(2);
  });

  it('takes the policy’s next slot in its zone in summer time too', () => {
    expect(nextSlotAfter(policy, new Date('2026-07-14T12:00:00Z'))?.toISOString()).toBe(
      '2026-07-15T00:00:00.000Z',
    );
  });

  it('has no next slot once the schedule’s last year has passed', () => {
    const once = { schedule: 'cron(0 0 1 1 ? 2030)', timezone: 'UTC' };

    expect(nextSlotAfter(once, new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('answers a question asked again (as every policy of one schedule asks a tick) with an equal, fresh Date', () => {
    const at = new Date('2026-03-10T12:34:00Z');
    const first = nextSlotAfter(policy, at);
    first?.setTime(0);

    expect(nextSlotAfter(policy, at)?.toISOString()).toBe('2026-03-11T01:00:00.000Z');
    expect(nextSlotAfter({ ...policy, timezone: 'UTC' }, at)?.toISOString()).toBe('2026-03-11T02:00:00.000Z');
    expect(latestSlotAtOrBefore(policy, at)?.toISOString()).toBe('2026-03-10T01:00:00.000Z');
  });

  it('remembers that a schedule has no slot as well', () => {
    const before = { schedule: 'cron(0 0 1 1 ? 2030)', timezone: 'UTC' };
    const at = new Date('2029-06-01T00:00:00Z');

    expect(latestSlotAtOrBefore(before, at)).toBeUndefined();
    expect(latestSlotAtOrBefore(before, at)).toBeUndefined();
  });
});
