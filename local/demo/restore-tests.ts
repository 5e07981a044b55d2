/**
 * The demo week's restore tests (docs/architecture.md, "Restore tests"): `orders-daily` (examples/orders.yaml)
 * tests on Wednesday and Saturday mornings; reconcile's part (starting the tests whose slot came) runs every
 * simulated hour here, the tick follows them, and before Saturday's the emulator is told to fail the next
 * cache creation, so the week shows one VERIFIED test and one FAILED.
 */
import { formatDuration } from '#cli/format';
import { HOUR_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { startDueRestoreTests } from '#lib/restore-tests/start-due-restore-tests';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import type { Simulation } from '#local/simulation';

/** The injected failure: the first cache creation after this instant ends `create-failed`. */
export const RESTORE_FAILURE_AT = new Date('2026-03-28T08:30:00Z');

/** The policy and cache whose restore tests the demo shows. */
const TARGET = { policyId: 'orders-daily', cacheName: 'orders' } as const;

/**
 * What the demo does about restore tests at tick time `at` (before the tick): on the hour, reconcile's start
 * of due restore tests; once, the injected create failure. Returns the lines to log.
 */
export async function restoreTestsBeforeTick(
  simulation: Simulation,
  at: Date,
  stepMs: number,
): Promise<string[]> {
  const lines: string[] = [];
  if (at.getTime() <= RESTORE_FAILURE_AT.getTime() && RESTORE_FAILURE_AT.getTime() < at.getTime() + stepMs) {
    simulation.stack.emulator.failNextCacheCreations(1);
    lines.push('the next CreateServerlessCache (a restore test) ends create-failed');
  }
  if (at.getTime() % HOUR_MS !== 0) return lines;
  const items: PolicyItem[] = [];
  for await (const item of simulation.runtime.policies.listAll()) items.push(item);
  const started = await startDueRestoreTests(simulation.restoreTestStartDeps(), items);
  if (started > 0) lines.push(`reconcile started ${started} restore test(s)`);
  return lines;
}

/** One line per restore test of the week: when, the outcome and why, the snapshot, and the cleanup. */
export function describeRestoreTest(record: RestoreTestRecord): string {
  const outcome =
    record.status === 'VERIFIED'
      ? `VERIFIED, restored in ${formatDuration((record.restoreSeconds ?? 0) * 1000)} (to the tick)`
      : `${record.status}${record.lastError ? ` ${record.lastError.code}: ${record.lastError.message}` : ''}`;
  const cleanup = record.cleanedUpAt
    ? `scratch cache ${record.scratchCacheName} deleted`
    : `scratch cache ${record.scratchCacheName} not yet gone`;
  return `  ${record.policyId}/${record.cacheName} ${record.slot.slice(0, 16)}Z  ${outcome}; from ${record.snapshotName ?? 'no snapshot'}; ${cleanup}`;
}

/** The report's restore-test section: every test of the demo's target. */
export async function restoreTestReport(simulation: Simulation): Promise<string[]> {
  const lines = ['\nRestore tests (the newest snapshot restored into a scratch cache, then deleted):'];
  for await (const record of simulation.runtime.restoreTests.listOfTarget(
    TARGET.policyId,
    TARGET.cacheName,
  )) {
    lines.push(describeRestoreTest(record));
  }
  return lines;
}
