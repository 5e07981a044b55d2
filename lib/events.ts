import * as z from 'zod';
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
 * The EventBridge envelope (version, id, source, account, time, region, resources, detail) of a scheduled
 * event; `time` may carry an offset, as an ISO-8601 instant may. Written here rather than extending
 * Powertools' EventBridgeSchema: its module imports zod by name, which makes esbuild keep all of zod (every
 * locale, the JSON-schema code: 455 KB of the scheduler's 1.1 MB bundle, 98 KB without) in the scheduler's and
 * reconcile's bundles, all of it parsed at every cold start (BENCHMARKS.md, row 4). Policy sync keeps Powertools'
 * stream schema.
 */
const scheduledEventSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  source: z.string().min(1),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
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
