import * as z from 'zod';
import type { PolicyIssue } from '#lib/errors';
import { checkWithSchema, mustBe } from './attribute-checks';
import type {
  LastRunSummary,
  NewestSnapshotSummary,
  PolicyItem,
  PolicyState,
  RestoreTestSummary,
} from './types';

/** The form of every instant the orchestrator writes (toIso): `2026-03-23T06:00:00.000Z`. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const text = () => z.string(mustBe('a string'));
const instant = () =>
  text().refine((value) => ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)), {
    error: 'must be an ISO-8601 UTC instant such as 2026-03-23T06:00:00.000Z',
  });

const lastRunSchema = z.object(
  { slot: instant(), status: text(), at: instant(), errorCode: text().optional() },
  mustBe('a map { slot, status, at }'),
);

const newestSnapshotSchema = z.object(
  { slot: instant(), snapshotName: text(), takenAt: instant(), availableAt: instant() },
  mustBe('a map { slot, snapshotName, takenAt, availableAt }'),
);

const restoreTestSchema = z.object(
  {
    cacheName: text(),
    slot: instant(),
    status: text(),
    at: instant(),
    verifiedAt: instant().optional(),
    restoreSeconds: z.number(mustBe('a number')).optional(),
    errorCode: text().optional(),
  },
  mustBe('a map { cacheName, slot, status, at }'),
);

/** The shape of each orchestrator attribute a view shows (dueBucket and specHash are the stores' own). */
const VIEW_SCHEMAS = {
  state: z.enum(['ACTIVE', 'INVALID', 'DISABLED'], mustBe('ACTIVE, INVALID or DISABLED')),
  stateReason: text(),
  nextRunAt: instant(),
  syncedAt: instant(),
  activatedAt: instant(),
  lastRun: lastRunSchema,
  newestSnapshot: newestSnapshotSchema,
  lastRestoreTest: restoreTestSchema,
  lastVerifiedRestoreTest: restoreTestSchema,
} as const;

/** The orchestrator's attributes of a policy item, each present only when it has the shape it is written in. */
export interface OrchestratorView {
  readonly state?: PolicyState;
  readonly stateReason?: string;
  readonly nextRunAt?: string;
  readonly syncedAt?: string;
  readonly activatedAt?: string;
  readonly lastRun?: LastRunSummary;
  readonly newestSnapshot?: NewestSnapshotSummary;
  readonly lastRestoreTest?: RestoreTestSummary;
  readonly lastVerifiedRestoreTest?: RestoreTestSummary;
}

/** What readOrchestratorAttributes found: the well-formed attributes, and one issue per broken one. */
export interface OrchestratorReading {
  readonly view: OrchestratorView;
  readonly problems: readonly PolicyIssue[];
}

/**
 * Reads the orchestrator's own attributes of `item` one by one, defensively: anyone with table access can
 * write anything there (a console edit, a script, an older version), so an attribute that breaks its
 * shape (`lastRun` a string, a `slot` that is a number, a `nextRunAt` that is no instant) is left out of
 * the view and named in `problems`, and never hides the other attributes or the other items.
 */
export function readOrchestratorAttributes(item: PolicyItem): OrchestratorReading {
  const problems: PolicyIssue[] = [];
  const view: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(VIEW_SCHEMAS)) {
    const value: unknown = Object.hasOwn(item, name) ? item[name] : undefined;
    if (value === undefined) continue;
    const parsed = checkWithSchema(problems, name, schema as z.ZodType<unknown>, value);
    if (parsed !== undefined) view[name] = parsed;
  }
  return { view: view as OrchestratorView, problems };
}
