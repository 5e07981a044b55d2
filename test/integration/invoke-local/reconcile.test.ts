import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '#lib/observability';
import { type Invocation, type InvokeFixture, startInvokeFixture } from './invoke-fixture';

const SAMPLE = 'events/reconcile-tick.json';

let fixture: InvokeFixture;
let invocation: Invocation;

beforeAll(async () => {
  fixture = await startInvokeFixture();
  fixture.stack.emulator.seedCache({ name: 'orders' });
  // Two operator records the stream never delivered: one on an existing cache, one on a missing cache.
  await fixture.policies.put({
    policyId: 'orders-daily',
    cacheName: 'orders',
    schedule: 'cron(0 3 * * ? *)',
  });
  await fixture.policies.put({ policyId: 'ghost-daily', cacheName: 'ghost', schedule: 'cron(0 3 * * ? *)' });
  invocation = await fixture.invoke('reconcile', { path: SAMPLE });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('serverless invoke local reconcile with events/reconcile-tick.json', () => {
  it('returns its summary: both records scanned and synced', () => {
    expect(invocation.result).toMatchObject({ scanned: 2, synced: 2, failed: 0 });
  });

  it('activates the policy on an existing cache and marks the other INVALID, naming the attribute', async () => {
    const active = await fixture.policies.get('orders-daily');
    const invalid = await fixture.policies.get('ghost-daily');

    expect(active?.state).toBe('ACTIVE');
    expect(active?.nextRunAt).toMatch(/T03:00:00\.000Z$/);
    expect(invalid?.state).toBe('INVALID');
    expect(invalid?.stateReason).toMatch(/^cacheName: /);
  });

  it('logs an INVALID outcome line and counts it', () => {
    expect(invocation.logs.find((line) => line.outcome === 'INVALID')).toMatchObject({
      policyId: 'ghost-daily',
    });
    expect(invocation.metrics.map((metric) => metric.name)).toContain(METRIC.InvalidPolicies);
  });

  it('reports the recovery point the RPO alarm watches', () => {
    const rpo = invocation.metrics.find((metric) => metric.name === METRIC.MaxNewestSnapshotAgeSeconds);

    expect(rpo?.namespace).toBe(METRICS_NAMESPACE);
    expect(rpo?.dimensions).toEqual([['service']]);
  });

  it('makes only calls its role allows', () => {
    // Query: the runs of each active policy, for the snapshot check (GONE).
    expect(invocation.dynamoCalls.map((call) => call.operation).sort()).toEqual([
      'Query',
      'Query',
      'Scan',
      'UpdateItem',
      'UpdateItem',
    ]);
    expect(fixture.deniedCalls('reconcile', invocation)).toEqual([]);
  });
});
