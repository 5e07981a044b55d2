import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '#lib/errors';
import { parseScheduledEvent } from '#lib/events';

function scheduledEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: '2025-03-01T10:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/scheduler-tick'],
    detail: {},
    ...overrides,
  };
}

function rejectionOf(event: unknown): InvalidEventError {
  try {
    parseScheduledEvent(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('the event was accepted');
}

describe('parseScheduledEvent', () => {
  it('accepts an EventBridge scheduled event and takes its id, scheduled time, account and region', () => {
    const tick = parseScheduledEvent(scheduledEvent());

    expect(tick).toEqual({
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      time: new Date('2025-03-01T10:00:00.000Z'),
      account: '123456789012',
      region: 'us-east-1',
    });
  });

  it('accepts a time with an offset and reads it as the same instant', () => {
    const tick = parseScheduledEvent(scheduledEvent({ time: '2025-03-01T11:00:00+01:00' }));

    expect(tick.time.toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it('rejects an event of another detail-type, naming the field', () => {
    const error = rejectionOf(scheduledEvent({ 'detail-type': 'Object Created' }));

    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toContain('detail-type');
  });

  it('rejects an event whose time is not a date-time, naming the field', () => {
    const error = rejectionOf(scheduledEvent({ time: 'yesterday' }));

    expect(error.message).toContain('time');
  });

  it('rejects an event without an id, naming the field', () => {
    const { id: _id, ...withoutId } = scheduledEvent();

    const error = rejectionOf(withoutId);

    expect(error.message).toMatch(/\bid\b/);
  });

  it('rejects an event without the EventBridge envelope’s account and region, naming them', () => {
    const { account: _account, region: _region, ...partial } = scheduledEvent();

    const error = rejectionOf(partial);

    expect(error.message).toContain('account');
    expect(error.message).toContain('region');
  });

  it('rejects an API Gateway request instead of guessing at it', () => {
    const error = rejectionOf({ httpMethod: 'GET', path: '/tick', headers: {} });

    expect(error.message).toContain('detail-type');
    expect(error.message).toContain('source');
  });

  it('rejects a value that is not an object at all', () => {
    expect(() => parseScheduledEvent('tick')).toThrow(InvalidEventError);
    expect(() => parseScheduledEvent(null)).toThrow(InvalidEventError);
  });
});
