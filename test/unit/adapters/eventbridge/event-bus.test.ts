import {
  EventBridgeClient,
  EventBridgeServiceException,
  InternalException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyEventBridgeError, entryResultOf } from '#lib/adapters/eventbridge/classify-error';
import { createEventBridgeClient, EventBridgeEventBus } from '#lib/adapters/eventbridge/event-bus';
import { EventBusError } from '#lib/errors';
import type { BusEntry } from '#lib/state-events/event-bus';

const eventBridge = mockClient(EventBridgeClient);
const AT = new Date('2026-03-23T10:00:00.000Z');

function entry(n: number): BusEntry {
  return {
    source: 'cache-snapshot-orchestrator',
    detailType: 'Snapshot Run State Change',
    detail: `{"n":${n}}`,
    time: AT,
  };
}

function serviceError(name: string, httpStatusCode: number): EventBridgeServiceException {
  return new EventBridgeServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: name,
  });
}

describe('EventBridgeEventBus', () => {
  let bus: EventBridgeEventBus;
  beforeEach(() => {
    eventBridge.reset();
    bus = new EventBridgeEventBus(createEventBridgeClient(), 'ops-events');
  });

  it('puts every entry on its bus with source, detail-type, detail and time', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }] });

    const results = await bus.put([entry(1), entry(2)], new AbortController().signal);

    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
      Entries: [1, 2].map((n) => ({
        Source: 'cache-snapshot-orchestrator',
        DetailType: 'Snapshot Run State Change',
        Detail: `{"n":${n}}`,
        Time: AT,
        EventBusName: 'ops-events',
      })),
    });
  });

  it('answers each refused entry with its code, transient only for the codes EventBridge calls retryable', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 3,
      Entries: [
        { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure' },
        { EventId: 'b' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        { ErrorCode: 'AccessDeniedException', ErrorMessage: 'no' },
      ],
    });

    const results = await bus.put([1, 2, 3, 4].map(entry), new AbortController().signal);

    expect(results).toEqual([
      { ok: false, code: 'InternalFailure', message: 'Internal Failure', faultClass: 'transient' },
      { ok: true },
      { ok: false, code: 'ThrottlingException', message: 'Rate exceeded', faultClass: 'transient' },
      { ok: false, code: 'AccessDeniedException', message: 'no', faultClass: 'terminal' },
    ]);
  });

  it('throws a failed call as an EventBusError of its class', async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(
        new InternalException({ $metadata: { httpStatusCode: 500 }, message: 'Internal service error.' }),
      )
      .rejectsOnce(serviceError('AccessDeniedException', 400));

    const first = await bus.put([entry(1)], new AbortController().signal).catch((error: unknown) => error);
    const second = await bus.put([entry(1)], new AbortController().signal).catch((error: unknown) => error);

    expect(first).toBeInstanceOf(EventBusError);
    expect(first).toMatchObject({ code: 'InternalException', faultClass: 'transient' });
    expect(second).toMatchObject({ code: 'AccessDeniedException', faultClass: 'terminal' });
  });
});

describe('classifyEventBridgeError', () => {
  it.each([
    ['ThrottlingException', serviceError('ThrottlingException', 400), 'transient'],
    ['an HTTP 5xx', serviceError('InternalException', 500), 'transient'],
    [
      'a network error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'transient',
    ],
    ['ValidationException', serviceError('ValidationException', 400), 'terminal'],
    ['ResourceNotFoundException', serviceError('ResourceNotFoundException', 400), 'terminal'],
  ])('classifies %s', (_, error, faultClass) => {
    expect(classifyEventBridgeError(error).faultClass).toBe(faultClass);
  });
});

describe('entryResultOf', () => {
  it('counts an entry the service answered nothing for as a transient refusal', () => {
    expect(entryResultOf(undefined)).toMatchObject({ ok: false, faultClass: 'transient' });
    expect(entryResultOf({})).toMatchObject({ ok: false, faultClass: 'transient' });
  });
});
