import { HOUR_MS, toIso } from '#lib/clock';
import { logger } from '#lib/observability';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { Policy, PolicyItem } from '#lib/policy/types';
import { latestSlotAtOrBefore } from '#lib/schedule/policy-slots';
import type { TargetTable } from '#lib/targets/target-table';
import type { RestoreTestStore } from './restore-test-store';
import { type StartRestoreTestDeps, startRestoreTest, targetsInFlight } from './start-restore-test';

export type { StartRestoreTestDeps };

/**
 * What reconcile's restore-test part reads besides what starting one touches: a targets policy's targets, and
 * each target's tests (its restore-test age, report-restore-test-age.ts).
 */
export interface DueRestoreTestDeps extends StartRestoreTestDeps {
  readonly targets: Pick<TargetTable, 'listByPolicy'>;
  readonly restoreTests: StartRestoreTestDeps['restoreTests'] & Pick<RestoreTestStore, 'listOfTarget'>;
}

/**
 * A restore-test slot is started at most this long after it: restore tests are at most daily, so a slot
 * older than that has been followed by another (or the orchestrator was down for a day: the next slot
 * tests then).
 */
export const RESTORE_TEST_START_WINDOW_MS = 24 * HOUR_MS;

/**
 * The caches a policy's restore tests cover: a `cacheName` policy's cache, a `targets` policy's ACTIVE
 * targets (one Query of the targets table; a retired target is tested no more, like it is snapshotted no more).
 */
export async function restoreTestTargets(
  deps: Pick<DueRestoreTestDeps, 'targets'>,
  policy: Policy,
): Promise<readonly string[]> {
  if (policy.cacheName !== undefined) return [policy.cacheName];
  const caches: string[] = [];
  for await (const target of deps.targets.listByPolicy(policy.policyId)) {
    if (target.state === 'ACTIVE') caches.push(target.cacheName);
  }
  return caches;
}

/** The policy's restore-test slot due at `now` (the latest, within the start window), if any. */
function dueSlot(policy: Policy, item: PolicyItem, now: Date): string | undefined {
  if (policy.restoreTest === undefined) return undefined;
  const slot = latestSlotAtOrBefore(
    { schedule: policy.restoreTest.schedule, timezone: policy.timezone },
    now,
  );
  if (slot === undefined || now.getTime() - slot.getTime() > RESTORE_TEST_START_WINDOW_MS) return undefined;
  const iso = toIso(slot);
  const { view } = readOrchestratorAttributes(item);
  // Not before the policy was active (a brand-new policy has nothing to restore yet), and not again once
  // the slot (or a later one, such as a test asked for by the CLI) has a test.
  if (view.activatedAt !== undefined && iso < view.activatedAt) return undefined;
  if (view.lastRestoreTest !== undefined && view.lastRestoreTest.slot >= iso) return undefined;
  return iso;
}

/**
 * Reconcile's part of restore tests (docs/architecture.md, "Restore tests"): for every ACTIVE policy with a
 * `restoreTest` whose latest restore-test slot has no test yet, the test of each of its targets is started
 * (startRestoreTest: the record; the next tick makes the scratch cache). Runs every reconcile period, so a
 * test starts within one period of its slot; reads nothing for policies without `restoreTest` and, thanks to
 * the policy's `lastRestoreTest` summary, nothing for a slot already started. A `targets` policy's slot is
 * started for each ACTIVE target at once: one that could not start then (an error, or its previous test still
 * in flight) waits for the policy's next slot, the summary saying the slot has started. One policy's failure
 * is logged and the others go on. Returns the number of tests started.
 */
export async function startDueRestoreTests(
  deps: DueRestoreTestDeps,
  items: readonly PolicyItem[],
): Promise<number> {
  const now = deps.clock();
  const due: { policy: Policy; slot: string }[] = [];
  for (const item of items) {
    if (item.state !== 'ACTIVE' || item.restoreTest === undefined) continue;
    const parsed = validatePolicy(item);
    if (!parsed.ok) continue;
    const slot = dueSlot(parsed.policy, item, now);
    if (slot !== undefined) due.push({ policy: parsed.policy, slot });
  }
  if (due.length === 0) return 0;
  const inFlight = await targetsInFlight(deps);
  let started = 0;
  for (const { policy, slot } of due) {
    let caches: readonly string[];
    try {
      caches = await restoreTestTargets(deps, policy);
    } catch (error) {
      logger.error('could not read the targets of the policy; the next reconcile tries again', {
        policyId: policy.policyId,
        slot,
        error,
      });
      continue;
    }
    for (const cacheName of caches) {
      try {
        const outcome = await startRestoreTest(deps, policy, cacheName, slot, inFlight);
        if (outcome.started) started += 1;
        else if (outcome.inFlight) {
          logger.warn('a restore test of the cache is still in flight; the slot waits for it', {
            policyId: policy.policyId,
            cacheName,
            slot,
          });
        }
      } catch (error) {
        logger.error('could not start the restore test; the next reconcile tries again', {
          policyId: policy.policyId,
          cacheName,
          slot,
          error,
        });
      }
    }
  }
  return started;
}
