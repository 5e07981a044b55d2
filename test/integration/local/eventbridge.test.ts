import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalEventBridge, type RecordedEvent, startLocalEventBridge } from '#local/eventbridge/index';
import { CredentialRegistry } from '#local/identity/credential-registry';

const AT = new Date('2025-03-01T12:00:00.000Z');

function entry(status: string, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: 'cache-snapshot-orchestrator',
    DetailType: 'Snapshot Run State Change',
    Detail: JSON.stringify({ policyId: 'orders-hourly', status }),
    ...extra,
  };
}

describe('the local EventBridge through the real SDK', () => {
  let events: LocalEventBridge;
  let client: EventBridgeClient;

  beforeEach(async () => {
    events = await startLocalEventBridge({
      credentials: new CredentialRegistry('123456789012'),
      clock: () => AT,
    });
    client = new EventBridgeClient({
      endpoint: events.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterEach(async () => {
    client.destroy();
    await events.stop();
  });

  it('records each entry with its bus, account and region, and answers an EventId per entry', async () => {
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          entry('REQUESTED'),
          entry('AVAILABLE', {
            EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/ops',
            Resources: ['arn:x'],
          }),
        ],
      }),
    );

    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries).toEqual([{ EventId: expect.any(String) }, { EventId: expect.any(String) }]);
    expect(events.events()).toEqual([
      expect.objectContaining({
        eventId: output.Entries?.[0]?.EventId,
        accountId: '123456789012',
        region: 'eu-west-1',
        eventBusName: 'default',
        source: 'cache-snapshot-orchestrator',
        detailType: 'Snapshot Run State Change',
        detail: { policyId: 'orders-hourly', status: 'REQUESTED' },
        time: AT,
      }),
      expect.objectContaining({ eventBusName: 'ops', resources: ['arn:x'] }),
    ]);
  });

  it('fails the entries that are malformed or injected to fail, and lets the others through', async () => {
    events.failNextEntries(1);
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          entry('A'),
          entry('B', { Detail: 'not json' }),
          entry('C', { Source: undefined }),
          entry('D'),
        ],
      }),
    );

    expect(output.FailedEntryCount).toBe(3);
    expect(output.Entries).toEqual([
      { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter(s) Source could not be found.' },
      { EventId: expect.any(String) },
    ]);
    expect(events.events().map((event) => event.detail.status)).toEqual(['D']);
  });

  it('refuses more than 10 entries in one call with ValidationException', async () => {
    const refused = await client
      .send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, index) => entry(String(index))) }))
      .catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => error);

    expect(refused).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(events.events()).toEqual([]);
  });

  it('answers an outage with 5xx or throttling, which the SDK retries, until it is lifted', async () => {
    events.scriptFaults(['throttling', 'http500']);
    const retried = await client.send(new PutEventsCommand({ Entries: [entry('A')] }));
    events.setOutage('http500');
    const single = new EventBridgeClient({
      endpoint: events.endpoint,
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });

    const failed = await single
      .send(new PutEventsCommand({ Entries: [entry('B')] }))
      .catch((error: Error) => error);
    events.setOutage(undefined);
    await single.send(new PutEventsCommand({ Entries: [entry('C')] }));
    single.destroy();

    expect(retried.FailedEntryCount).toBe(0);
    expect(failed).toMatchObject({ name: 'InternalException', $metadata: { httpStatusCode: 500 } });
    expect(events.calls.map((call) => call.outcome)).toEqual([
      'ThrottlingException',
      'InternalException',
      'ok',
      'InternalException',
      'ok',
    ]);
    expect(events.events().map((event) => event.detail.status)).toEqual(['A', 'C']);
  });

  it('tells subscribers of each event as it arrives, until they unsubscribe', async () => {
    const seen: RecordedEvent[] = [];
    const unsubscribe = events.subscribe((event) => seen.push(event));

    await client.send(new PutEventsCommand({ Entries: [entry('A'), entry('B')] }));
    unsubscribe();
    await client.send(new PutEventsCommand({ Entries: [entry('C')] }));

    expect(seen.map((event) => event.detail.status)).toEqual(['A', 'B']);
  });

  it('holds PutEvents unanswered while stalled: a client may give up, one that waits is answered once lifted', async () => {
    events.setStalled(true);
    const abandoned = new AbortController();
    const givenUp = client
      .send(new PutEventsCommand({ Entries: [entry('A')] }), { abortSignal: abandoned.signal })
      .catch((error: Error) => error);
    const waiting = client.send(new PutEventsCommand({ Entries: [entry('B')] }));
    abandoned.abort();

    expect(await givenUp).toMatchObject({ name: 'AbortError' });
    events.setStalled(false);
    expect((await waiting).FailedEntryCount).toBe(0);
    expect(events.events().map((event) => event.detail.status)).toContain('B');
  });
});
