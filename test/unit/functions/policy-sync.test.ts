import { readFileSync } from 'node:fs';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidEventError } from '#lib/errors';
import type { PolicyItem } from '#lib/policy/types';

const synced = vi.hoisted(() => {
  vi.stubEnv('POLICIES_TABLE', 'policies');
  vi.stubEnv('RUNS_TABLE', 'runs');
  vi.stubEnv('TARGETS_TABLE', 'targets');
  vi.stubEnv('DEPLOYMENT_NAME', 'cache-snapshot-orchestrator-test');
  return { calls: [] as string[], failFor: new Set<string>(), pending: [] as (() => void)[] };
});

vi.mock('#lib/sync/sync-policy', () => ({
  syncPolicyItem: async (
    _deps: unknown,
    item: PolicyItem,
    _force: boolean,
    _takenUpTo: Date | undefined,
    wasTargets: boolean,
  ) => {
    synced.calls.push(`start ${item.policyId}${wasTargets ? ' (was a targets policy)' : ''}`);
    if (item.policyId.startsWith('slow')) await new Promise<void>((resolve) => synced.pending.push(resolve));
    synced.calls.push(`end ${item.policyId}`);
    if (synced.failFor.has(item.policyId)) throw new Error(`sync of ${item.policyId} failed (scripted)`);
    return { policyId: item.policyId, action: 'unchanged' };
  },
}));

vi.mock('#lib/sync/sync-targets', () => ({
  retireTargetsOfDeleted: async (_deps: unknown, policyId: string) => {
    synced.calls.push(`retire targets of ${policyId}`);
  },
}));

const { syncStream } = await import('#functions/policy-sync');

const SAMPLE = JSON.parse(readFileSync('events/policy-stream-insert.json', 'utf8')) as DynamoDBStreamEvent;
const [TEMPLATE] = SAMPLE.Records as [DynamoDBRecord];

function recordOf(
  policyId: string,
  sequenceNumber: string,
  eventName = 'INSERT',
  OldImage?: StreamRecord['OldImage'],
): DynamoDBRecord {
  const image = { ...TEMPLATE.dynamodb?.NewImage, policyId: { S: policyId } };
  return {
    ...TEMPLATE,
    eventName: eventName as DynamoDBRecord['eventName'],
    dynamodb: {
      ...TEMPLATE.dynamodb,
      Keys: { policyId: { S: policyId } },
      SequenceNumber: sequenceNumber,
      ...(eventName === 'REMOVE' ? { NewImage: undefined } : { NewImage: image }),
      ...(OldImage ? { OldImage } : {}),
    },
  };
}

afterEach(() => {
  synced.calls.length = 0;
  synced.failFor.clear();
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('the policy stream handler', () => {
  it('syncs every inserted or changed policy and reports no failure', async () => {
    const response = await syncStream({ Records: [recordOf('a', '1'), recordOf('b', '2', 'MODIFY')] });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(synced.calls).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('tells sync when the version a record replaced was a targets policy, so it retires the targets it had', async () => {
    const wasTargets = { policyId: { S: 'a' }, targets: { M: { tags: { M: { tier: { S: 'gold' } } } } } };
    const wasOneCache = { policyId: { S: 'b' }, cacheName: { S: 'orders' } };

    await syncStream({
      Records: [recordOf('a', '1', 'MODIFY', wasTargets), recordOf('b', '2', 'MODIFY', wasOneCache)],
    });

    expect(synced.calls).toEqual(['start a (was a targets policy)', 'end a', 'start b', 'end b']);
  });

  it('reports only the records that failed, by sequence number: a failed sync and a malformed record', async () => {
    synced.failFor.add('b');
    const malformed = { ...recordOf('c', '3'), eventSource: 'aws:sqs' } as unknown as DynamoDBRecord;

    const response = await syncStream({ Records: [recordOf('a', '1'), recordOf('b', '2'), malformed] });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '3' }] });
    expect(synced.calls).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('reports every record, rather than throwing, when all of them fail', async () => {
    synced.failFor.add('a');
    synced.failFor.add('b');

    const response = await syncStream({ Records: [recordOf('a', '1'), recordOf('b', '2')] });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '2' }] });
  });

  it('syncs the records one after the other, so two edits of a policy stay in order', async () => {
    const response = syncStream({ Records: [recordOf('slow-a', '1'), recordOf('b', '2')] });
    await vi.waitFor(() => expect(synced.pending).toHaveLength(1));

    const before = [...synced.calls];
    synced.pending.shift()?.();

    expect(await response).toEqual({ batchItemFailures: [] });
    expect(before).toEqual(['start slow-a']);
    expect(synced.calls).toEqual(['start slow-a', 'end slow-a', 'start b', 'end b']);
  });

  it('syncs nothing for a removed policy but retires its targets, and reports it done', async () => {
    const response = await syncStream({ Records: [recordOf('gone', '1', 'REMOVE')] });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(synced.calls).toEqual(['retire targets of gone']);
  });

  it('refuses an event that is not a stream batch', async () => {
    await expect(syncStream({} as DynamoDBStreamEvent)).rejects.toBeInstanceOf(InvalidEventError);
  });
});
