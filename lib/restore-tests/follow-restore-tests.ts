import { toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { logger } from '#lib/observability';
import { advanceRestoreTest } from './advance';
import type { RestoreTestDeps } from './restore-test-deps';
import { restoreTestFields } from './save-restore-test';
import type { RestoreTestRecord } from './types';

/** What a tick did with restore tests: the open ones it looked at, and how each was left. */
export interface RestoreTestSummaryOfTick {
  readonly open: number;
  readonly verified: number;
  readonly failed: number;
  readonly cleanedUp: number;
}

/**
 * The tick's restore-test phase: every open test due by `at` (the runs table's open index, never a scan)
 * one step on (advanceRestoreTest), several at once, none started within the deadline margin. One test's
 * failure is logged and the others go on; a test left out is listed again by the next tick.
 */
export async function followRestoreTests(deps: RestoreTestDeps, at: Date): Promise<RestoreTestSummaryOfTick> {
  const due: RestoreTestRecord[] = [];
  for await (const record of deps.restoreTests.listOpen(toIso(at))) due.push(record);
  const counts = { open: due.length, verified: 0, failed: 0, cleanedUp: 0 };
  if (due.length === 0) return counts;
  const { notStarted } = await runBounded(
    due,
    deps.settings.concurrency,
    async (record) => {
      try {
        const after = await advanceRestoreTest(deps, record);
        if (after.status !== record.status && after.status === 'VERIFIED') counts.verified += 1;
        if (after.status !== record.status && after.status === 'FAILED') counts.failed += 1;
        if (after.cleanedUpAt !== undefined && record.cleanedUpAt === undefined) counts.cleanedUp += 1;
      } catch (error) {
        logger.error('restore test step failed; the next tick takes it up again', {
          ...restoreTestFields(record),
          error,
        });
      }
    },
    () => deps.remainingMs() > deps.settings.deadlineMarginMs,
  );
  if (notStarted.length > 0)
    logger.warn('out of time: restore tests left for the next tick', { count: notStarted.length });
  logger.info('restore tests followed', { ...counts });
  return counts;
}
