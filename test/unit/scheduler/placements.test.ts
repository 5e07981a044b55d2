import { describe, expect, it, vi } from 'vitest';
import { retrying } from '#lib/runs/transitions';
import { HOME } from '#test/support/fake-placements';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const MEMBER = '222222222222';
const DENIED = '333333333333';
const OTHER_REGION = 'eu-west-1';

function harness() {
  const h = new SchedulerHarness({ start: SLOT });
  const member = h.placements.add({ account: MEMBER, region: HOME.region }, ['orders']);
  const memberAbroad = h.placements.add({ account: MEMBER, region: OTHER_REGION }, ['orders']);
  const ownAbroad = h.placements.add({ account: HOME.account, region: OTHER_REGION }, ['orders']);
  const denied = h.placements.add({ account: DENIED, region: HOME.region }, ['orders']);
  h.placements.deny(DENIED);
  return { h, member, memberAbroad, ownAbroad, denied };
}

describe('runs in the account and region their policy names', () => {
  it('snapshots each policy’s cache in its own placement and records account and region on every run', async () => {
    const { h, member, memberAbroad, ownAbroad } = harness();
    await putActivePolicy(h.policies, policyItem('own'), SLOT);
    await putActivePolicy(h.policies, policyItem('member', { account: MEMBER }), SLOT);
    await putActivePolicy(
      h.policies,
      policyItem('member-eu', { account: MEMBER, region: OTHER_REGION }),
      SLOT,
    );
    await putActivePolicy(h.policies, policyItem('own-eu', { region: OTHER_REGION }), SLOT);

    await h.tick(SLOT);

    const placed = async (policyId: string) => {
      const { status, account, region } = await h.requireRun(policyId, SLOT);
      return { status, account, region };
    };
    expect(await placed('own')).toEqual({ status: 'REQUESTED', account: HOME.account, region: HOME.region });
    expect(await placed('member')).toEqual({ status: 'REQUESTED', account: MEMBER, region: HOME.region });
    expect(await placed('member-eu')).toEqual({ status: 'REQUESTED', account: MEMBER, region: OTHER_REGION });
    expect(await placed('own-eu')).toEqual({
      status: 'REQUESTED',
      account: HOME.account,
      region: OTHER_REGION,
    });
    for (const gateway of [h.gateway, member, memberAbroad, ownAbroad]) {
      expect(gateway.createRequests).toHaveLength(1);
    }
  });

  it('keeps one snapshot at a time per cache within a placement, not across placements of one name', async () => {
    const { h, member } = harness();
    await putActivePolicy(h.policies, policyItem('own'), SLOT);
    await putActivePolicy(h.policies, policyItem('member', { account: MEMBER }), SLOT);
    await putActivePolicy(
      h.policies,
      policyItem('member-audit', { account: MEMBER, namePrefix: 'audit' }),
      SLOT,
    );

    await h.tick(SLOT);

    expect((await h.requireRun('own', SLOT)).status).toBe('REQUESTED');
    const memberStatuses = [
      (await h.requireRun('member', SLOT)).status,
      (await h.requireRun('member-audit', SLOT)).status,
    ].sort();
    expect(memberStatuses).toEqual(['REQUESTED', 'RETRYING']);
    expect(member.createRequests).toHaveLength(1);
  });

  it('works each placement with its own concurrency: a stalled account holds up none of the others', async () => {
    const h = new SchedulerHarness({ start: SLOT, settings: { concurrency: 1 } });
    const member = h.placements.add({ account: MEMBER, region: HOME.region }, ['orders', 'billing']);
    h.gateway.addCache('billing');
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const create = member.createSnapshot.bind(member);
    member.createSnapshot = async (request) => {
      await stalled;
      return create(request);
    };
    for (const cacheName of ['orders', 'billing']) {
      await putActivePolicy(h.policies, policyItem(`own-${cacheName}`, { cacheName }), SLOT);
      await putActivePolicy(
        h.policies,
        policyItem(`member-${cacheName}`, { cacheName, account: MEMBER }),
        SLOT,
      );
    }

    const tick = h.tick(SLOT);
    await vi.waitFor(() => expect(h.gateway.createRequests).toHaveLength(2));
    release();
    await tick;

    expect(member.createRequests).toHaveLength(2);
  });

  it('fails a denied account’s runs with AssumeRoleFailed while the other accounts’ runs go on', async () => {
    const { h, member, denied } = harness();
    await putActivePolicy(h.policies, policyItem('own'), SLOT);
    await putActivePolicy(h.policies, policyItem('member', { account: MEMBER }), SLOT);
    await putActivePolicy(h.policies, policyItem('denied', { account: DENIED }), SLOT);

    await h.tick(SLOT);

    expect(await h.requireRun('denied', SLOT)).toMatchObject({
      status: 'FAILED',
      account: DENIED,
      lastError: { code: 'AssumeRoleFailed', message: expect.stringContaining(`::${DENIED}:role/`) },
    });
    expect((await h.requireRun('own', SLOT)).status).toBe('REQUESTED');
    expect((await h.requireRun('member', SLOT)).status).toBe('REQUESTED');
    expect(denied.createRequests).toHaveLength(0);
    expect(member.createRequests).toHaveLength(1);
  });

  it('ends a run whose AssumeRole kept failing at its window’s close without looking for its snapshot', async () => {
    const { h, denied } = harness();
    h.placements.deny(DENIED, 'transient');
    await putActivePolicy(h.policies, policyItem('denied', { account: DENIED }), SLOT);
    await h.tick(SLOT);
    const retry = await h.requireRun('denied', SLOT);
    expect(retry).toMatchObject({ status: 'RETRYING', lastError: { code: 'AssumeRoleFailed' } });

    await h.tick('2025-03-01T10:31:00.000Z');

    expect(await h.requireRun('denied', SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'AssumeRoleFailed' },
    });
    expect(denied.count('getSnapshot')).toBe(0);
  });

  it('works a run recorded before accounts (no account or region) in the orchestrator’s own placement', async () => {
    const { h } = harness();
    const stored = await putActivePolicy(h.policies, policyItem('own'), '2025-03-01T11:00:00.000Z');
    const { account: _a, region: _r, ...before } = claimedBefore(stored.policyId);
    await h.runs.create(
      retrying(before, { code: 'Throttling', message: 'x' }, new Date(SLOT), new Date(SLOT)),
    );

    await h.tick('2025-03-01T10:05:00.000Z');

    expect((await h.requireRun('own', SLOT)).status).toBe('REQUESTED');
    expect(h.gateway.createRequests).toHaveLength(1);
  });
});

function claimedBefore(policyId: string) {
  return {
    policyId,
    slot: SLOT,
    cacheName: 'orders',
    kind: 'SCHEDULED' as const,
    account: undefined,
    region: undefined,
    snapshotName: 'orders-20250301-1000-1a2b3c4d',
    status: 'CLAIMED' as const,
    attempts: 1,
    createdAt: SLOT,
    updatedAt: SLOT,
    windowClosesAt: '2025-03-01T10:30:00.000Z',
  };
}
