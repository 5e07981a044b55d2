import type { Clock } from '#lib/clock';
import { logger } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import { DEFAULT_RESTORE_TEST_MAX_MINUTES } from '#lib/policy/check-restore-test';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { Policy } from '#lib/policy/types';
import type { RestoreTestStore } from './restore-test-store';
import { restoreTestFields } from './save-restore-test';
import { newRestoreTest } from './transitions';
import type { RestoreTestRecord } from './types';

/** What starting a restore test touches: the records, the policy's summary, the clock, the deployment. */
export interface StartRestoreTestDeps {
  readonly restoreTests: Pick<RestoreTestStore, 'create' | 'get' | 'listOpen'>;
  readonly policies: Pick<PolicyStore, 'recordRestoreTest'>;
  readonly clock: Clock;
  readonly deployment: string;
}

/** The far end of the open index: listing up to it lists every open restore test. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

/** `policyId` and `cacheName` as one key of a set of targets. */
export function targetKey(policyId: string, cacheName: string): string {
  return JSON.stringify([policyId, cacheName]);
}

/**
 * The targets with a restore test in flight (RESTORING, or its scratch cache not yet gone): every open
 * test in the runs table's open index (a handful; never a scan).
 */
export async function targetsInFlight(
  deps: Pick<StartRestoreTestDeps, 'restoreTests'>,
): Promise<Set<string>> {
  const targets = new Set<string>();
  for await (const record of deps.restoreTests.listOpen(END_OF_TIME)) {
    targets.add(targetKey(record.policyId, record.cacheName));
  }
  return targets;
}

export type StartOutcome =
  | { readonly started: true; readonly record: RestoreTestRecord }
  /** The slot already has its test (this record), or the target has another in flight (`inFlight`). */
  | { readonly started: false; readonly record?: RestoreTestRecord; readonly inFlight?: true };

/**
 * Starts the restore test of one target (`policy`, `cacheName`) for `slot`: the RESTORING record, created
 * only if the slot has none (a conditional create: exactly one test per policy, cache and slot, whoever asks
 * at once), only while no other test of the target is in flight (`inFlight`, from targetsInFlight: never
 * two scratch caches of one target). The Create of the scratch cache is the next step of whoever follows
 * the test (a tick, or the CLI: advanceRestoreTest). `policy` may be any policy naming the cache: a
 * `targets` policy's test is started per target the same way. The record names the policy's account and
 * region (where it names them): the test runs there.
 */
export async function startRestoreTest(
  deps: StartRestoreTestDeps,
  policy: Policy,
  cacheName: string,
  slot: string,
  inFlight: ReadonlySet<string>,
): Promise<StartOutcome> {
  if (inFlight.has(targetKey(policy.policyId, cacheName))) return { started: false, inFlight: true };
  const maxMinutes = policy.restoreTest?.maxMinutes ?? DEFAULT_RESTORE_TEST_MAX_MINUTES;
  const record = newRestoreTest(
    { policyId: policy.policyId, cacheName, slot },
    deps.deployment,
    maxMinutes,
    deps.clock(),
    placementOf(policy),
  );
  if (!(await deps.restoreTests.create(record))) {
    const existing = await deps.restoreTests.get(record);
    return existing ? { started: false, record: existing } : { started: false };
  }
  logger.info('restore test started', {
    ...restoreTestFields(record),
    outcome: 'RestoreTestClaimed',
    deadlineAt: record.deadlineAt,
  });
  try {
    await deps.policies.recordRestoreTest(policy.policyId, {
      cacheName,
      slot,
      status: record.status,
      at: record.createdAt,
    });
  } catch (error) {
    logger.warn('could not record the restore test on the policy', { ...restoreTestFields(record), error });
  }
  return { started: true, record };
}
