import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { StoreError } from '#lib/errors';
import type { LastRunSummary } from '#lib/policy/types';
import { newRunFor } from '#lib/runs/new-run';
import { saveNewRun, saveRun } from '#lib/runs/save-run';
import { ended, missedRun, retrying } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { SchedulerHarness, TEST_DEPLOYMENT } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const ITEM = policyItem('orders-hourly');
const BUSY = { code: 'CacheBusy', message: 'busy' };

/** A policy store whose lastRun summary cannot be written. */
class SummaryFailingStore extends InMemoryPolicyStore {
  override async recordLastRun(_policyId: string, _summary: LastRunSummary): Promise<void> {
    throw new StoreError('policies table unavailable (scripted)');
  }
}

async function arrange(policies?: InMemoryPolicyStore) {
  const h = new SchedulerHarness({ start: SLOT });
  const observed: RunRecord[] = [];
  const deps = {
    ...h.deps,
    policies: policies ?? h.policies,
    observe: (run: RunRecord) => observed.push(run),
  };
  await putActivePolicy(policies ?? h.policies, ITEM, '2025-03-01T11:00:00.000Z');
  const claim = claimedRunOf(policyOf(ITEM), SLOT, 'tick-a', SLOT);
  await h.runs.create(claim);
  return { h, deps, observed, claim };
}

describe('saving run outcomes', () => {
  it('writes the run, tells the observer and records it as the policy’s last run', async () => {
    const { h, deps, observed, claim } = await arrange();
    const next = retrying(claim, BUSY, new Date('2025-03-01T10:02:00.000Z'), new Date(SLOT));

    const saved = await saveRun(deps, next, claim);

    expect(saved).toBe(true);
    expect(await h.requireRun('orders-hourly', SLOT)).toEqual(next);
    expect(observed).toEqual([next]);
    expect((await h.policies.get('orders-hourly'))?.lastRun).toEqual({
      slot: SLOT,
      status: 'RETRYING',
      at: SLOT,
      errorCode: 'CacheBusy',
    });
  });

  it('writes nothing and returns false when another tick changed the run first', async () => {
    const { h, deps, observed, claim } = await arrange();
    const theirs = retrying(claim, BUSY, new Date('2025-03-01T10:02:00.000Z'), new Date(SLOT));
    await h.runs.transition(theirs, { status: 'CLAIMED', leaseOwner: 'tick-a' });
    const stale = ended(claim, 'FAILED', new Date(SLOT), 90, BUSY);

    const saved = await saveRun(deps, stale, claim);

    expect(saved).toBe(false);
    expect(await h.requireRun('orders-hourly', SLOT)).toEqual(theirs);
    expect(observed).toEqual([]);
  });

  it('refuses to write over a claim another tick has taken over since it was read', async () => {
    const { h, deps, claim } = await arrange();
    const takenOver = { ...claim, leaseOwner: 'tick-b' };
    await h.runs.transition(takenOver, { status: 'CLAIMED' });

    const saved = await saveRun(deps, ended(claim, 'FAILED', new Date(SLOT), 90, BUSY), claim);

    expect(saved).toBe(false);
    expect((await h.requireRun('orders-hourly', SLOT)).leaseOwner).toBe('tick-b');
  });

  it('still reports the run saved when the policy’s last-run summary cannot be written', async () => {
    const { h, deps, observed, claim } = await arrange(new SummaryFailingStore());
    const next = retrying(claim, BUSY, new Date('2025-03-01T10:02:00.000Z'), new Date(SLOT));

    const saved = await saveRun(deps, next, claim);

    expect(saved).toBe(true);
    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('RETRYING');
    expect(observed).toHaveLength(1);
  });

  it('keeps the newest slot as the last run when an older slot’s outcome comes later', async () => {
    const { h, deps, claim } = await arrange();
    await saveRun(deps, retrying(claim, BUSY, new Date('2025-03-01T10:02:00.000Z'), new Date(SLOT)), claim);
    const older = missedRun(
      newRunFor(policyOf(ITEM), new Date('2025-03-01T09:00:00.000Z'), TEST_DEPLOYMENT, HOME),
      { code: 'SlotSuperseded', message: 'outage' },
      new Date(SLOT),
      90,
    );

    await saveNewRun(deps, older);

    expect((await h.policies.get('orders-hourly'))?.lastRun).toMatchObject({
      slot: SLOT,
      status: 'RETRYING',
    });
  });

  it('creates a terminal record once: a slot that already has a record keeps it', async () => {
    const { h, deps, observed, claim } = await arrange();
    const missed = missedRun(
      newRunFor(policyOf(ITEM), new Date(SLOT), TEST_DEPLOYMENT, HOME),
      BUSY,
      new Date(SLOT),
      90,
    );

    const saved = await saveNewRun(deps, missed);

    expect(saved).toBe(false);
    expect(await h.requireRun('orders-hourly', SLOT)).toEqual(claim);
    expect(observed).toEqual([]);
  });

  it('counts every record a tick writes in its summary', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, ITEM, '2025-03-01T08:00:00.000Z');
    h.gateway.failNext('createSnapshot', serviceFault('busy'));

    const summary = await h.tick(SLOT);

    expect(summary.outcomes).toEqual({ MISSED: 2, RETRYING: 1 });
  });
});
