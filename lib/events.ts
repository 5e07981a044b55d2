import { z } from 'zod';
import { InvalidEventError } from './errors';

/** The parts of an EventBridge scheduled event a tick uses. */
export interface ScheduledTick {
  readonly id: string;
  /** The scheduled time of the event: the tick's clock. */
  readonly time: Date;
}

const scheduledEventSchema = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  source: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
});

/**
 * Narrows a Lambda event to an EventBridge scheduled event, or throws InvalidEventError saying what is
 * wrong: a scheduled function must never guess at other triggers.
 */
export function parseScheduledEvent(event: unknown): ScheduledTick {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`,
    );
    throw new InvalidEventError(`not an EventBridge scheduled event (${problems.join('; ')})`);
  }
  return { id: parsed.data.id, time: new Date(parsed.data.time) };
}
