import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { InvalidEventError } from './errors';

/** The parts of an EventBridge scheduled event a tick uses. */
export interface ScheduledTick {
  readonly id: string;
  /** The scheduled time of the event: the tick's clock. */
  readonly time: Date;
  /** The account and region of the rule that sent it: the orchestrator's own. */
  readonly account: string;
  readonly region: string;
}

/**
 * Powertools' EventBridge envelope (version, id, source, account, time, region, resources, detail), narrowed
 * to a scheduled event; `time` may carry an offset, as an ISO-8601 instant may.
 */
const scheduledEventSchema = EventBridgeSchema.extend({
  id: z.string().min(1),
  source: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  time: z.iso.datetime({ offset: true }),
});

/**
 * An InvalidEventError for input that is not `what`, naming every problem the schema found
 * (`path: message; …`, `whole` standing for the input itself).
 */
export function invalidEvent(what: string, error: z.ZodError, whole = 'event'): InvalidEventError {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`);
  return new InvalidEventError(`not ${what} (${problems.join('; ')})`);
}

/**
 * Narrows a Lambda event to an EventBridge scheduled event, or throws InvalidEventError saying what is
 * wrong: a scheduled function must never guess at other triggers.
 */
export function parseScheduledEvent(event: unknown): ScheduledTick {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) throw invalidEvent('an EventBridge scheduled event', parsed.error);
  const { id, time, account, region } = parsed.data;
  return { id, time: new Date(time), account, region };
}
