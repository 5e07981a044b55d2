/**
 * A local Amazon EventBridge endpoint (AWS JSON 1.1, `AWSEvents.PutEvents`) for `AWS_ENDPOINT_URL_EVENTBRIDGE`:
 * it records every event put on any bus of any account (as the real service, a bus that does not exist
 * still takes the event: nothing is checked about buses), answers like the service (EventId per entry, or
 * ErrorCode and ErrorMessage, FailedEntryCount), and lets tests inject outages and per-entry failures and
 * subscribe to events as they arrive.
 */
import { randomUUID } from 'node:crypto';
import { authenticate } from '#local/identity/authenticate';
import type { CredentialRegistry } from '#local/identity/credential-registry';
import { headerOf, listenService, type ServiceAnswer } from '#local/wire/http-service';
import { type JsonFault, judgePutEvents } from './put-events';

/** An event as the local bus received it. */
export interface RecordedEvent {
  readonly eventId: string;
  /** The account and region of the caller's credentials and signature. */
  readonly accountId: string;
  readonly region: string;
  /** The bus's name (`default` when the entry named none; the name part of an ARN). */
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  /** The entry's Detail, parsed. */
  readonly detail: Record<string, unknown>;
  readonly detailText: string;
  readonly resources: readonly string[];
  /** The entry's Time, else the time it was put. */
  readonly time: Date;
}

/** An injected answer in place of the normal one: `throttling` (400 ThrottlingException) or `http500` (InternalException). */
export type EventBridgeFault = 'throttling' | 'http500';

export interface LocalEventBridgeOptions {
  readonly credentials: CredentialRegistry;
  /** Time of events put without a Time; default the wall clock. */
  readonly clock?: () => Date;
  readonly port?: number;
}

export interface LocalEventBridge {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_EVENTBRIDGE`. */
  readonly endpoint: string;
  /** Every event received so far, in arrival order. */
  events(): RecordedEvent[];
  clearEvents(): void;
  /** Calls `listener` with each event as it arrives; returns the function that unsubscribes. */
  subscribe(listener: (event: RecordedEvent) => void): () => void;
  /** Answers every PutEvents with `fault` until lifted with undefined (the SDK retries both kinds on its own). */
  setOutage(fault: EventBridgeFault | undefined): void;
  /** Answers the next PutEvents calls with these faults, one per call, before any outage. */
  scriptFaults(faults: readonly EventBridgeFault[]): void;
  /**
   * With true, holds every PutEvents unanswered until called with false, which answers them as usual (those
   * whose client gave up too, as a service that got the request would): for clients' bounded waits.
   */
  setStalled(stalled: boolean): void;
  /** The next `count` entries that would be accepted fail instead (default `InternalFailure`, which is retryable). */
  failNextEntries(count: number, error?: { code: string; message: string }): void;
  /** PutEvents calls answered so far, with their outcome (`ok`, or the fault's type). */
  readonly calls: readonly {
    readonly at: Date;
    readonly entries: number;
    readonly failed: number;
    readonly outcome: string;
  }[];
  stop(): Promise<void>;
}

const FAULTS: Readonly<Record<EventBridgeFault, JsonFault>> = {
  throttling: { type: 'ThrottlingException', httpStatus: 400, message: 'Rate exceeded' },
  http500: { type: 'InternalException', httpStatus: 500, message: 'Internal service error.' },
};

const AUTH_FAULTS: Readonly<Record<'missing' | 'malformed' | 'expired' | 'invalid-token', JsonFault>> = {
  missing: {
    type: 'MissingAuthenticationTokenException',
    httpStatus: 403,
    message: 'Missing Authentication Token',
  },
  malformed: {
    type: 'IncompleteSignatureException',
    httpStatus: 403,
    message: 'Authorization header requires AWS4-HMAC-SHA256 signature.',
  },
  expired: {
    type: 'ExpiredTokenException',
    httpStatus: 403,
    message: 'The security token included in the request is expired',
  },
  'invalid-token': {
    type: 'UnrecognizedClientException',
    httpStatus: 403,
    message: 'The security token included in the request is invalid.',
  },
};

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function reject(fault: JsonFault): ServiceAnswer {
  return {
    status: fault.httpStatus,
    contentType: CONTENT_TYPE,
    body: JSON.stringify({ __type: fault.type, message: fault.message }),
    headers: { 'x-amzn-errortype': fault.type },
  };
}

export async function startLocalEventBridge(options: LocalEventBridgeOptions): Promise<LocalEventBridge> {
  const clock = options.clock ?? (() => new Date());
  const events: RecordedEvent[] = [];
  const listeners = new Set<(event: RecordedEvent) => void>();
  const scripted: EventBridgeFault[] = [];
  const calls: { at: Date; entries: number; failed: number; outcome: string }[] = [];
  let outage: EventBridgeFault | undefined;
  let stall: Promise<void> | undefined;
  let endStall = () => {};
  let entryFailures = { count: 0, code: 'InternalFailure', message: 'Internal Failure' };

  function deliver(event: RecordedEvent): void {
    events.push(event);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('Local EventBridge: a subscriber failed', error);
      }
    }
  }

  function refuse(fault: JsonFault): ServiceAnswer {
    calls.push({ at: clock(), entries: 0, failed: 0, outcome: fault.type });
    return reject(fault);
  }

  function putEvents(body: string, accountId: string, region: string): ServiceAnswer {
    const verdicts = judgePutEvents(body);
    if (!Array.isArray(verdicts)) return reject(verdicts);
    const now = clock();
    const entries = verdicts.map((verdict) => {
      if (!verdict.ok) return { ErrorCode: verdict.errorCode, ErrorMessage: verdict.errorMessage };
      if (entryFailures.count > 0) {
        entryFailures = { ...entryFailures, count: entryFailures.count - 1 };
        return { ErrorCode: entryFailures.code, ErrorMessage: entryFailures.message };
      }
      const { entry } = verdict;
      const eventId = randomUUID();
      deliver({ eventId, accountId, region, ...entry, time: entry.time ?? now });
      return { EventId: eventId };
    });
    const failed = entries.filter((entry) => 'ErrorCode' in entry).length;
    calls.push({ at: now, entries: entries.length, failed, outcome: 'ok' });
    return {
      status: 200,
      contentType: CONTENT_TYPE,
      body: JSON.stringify({ FailedEntryCount: failed, Entries: entries }),
    };
  }

  async function answerPutEvents(body: string, accountId: string, region: string): Promise<ServiceAnswer> {
    while (stall) await stall;
    const injected = scripted.shift() ?? outage;
    if (injected) return refuse(FAULTS[injected]);
    return putEvents(body, accountId, region);
  }

  function setStalled(stalled: boolean): void {
    if (stalled && !stall) stall = new Promise((resolve) => (endStall = resolve));
    if (!stalled && stall) {
      stall = undefined;
      endStall();
    }
  }

  const transport = await listenService(
    'Local EventBridge',
    ({ body, headers }) => {
      const identity = authenticate(
        options.credentials,
        headers.authorization,
        headerOf(headers, 'x-amz-security-token'),
      );
      if (!identity.ok) return refuse(AUTH_FAULTS[identity.reason]);
      const target = headerOf(headers, 'x-amz-target');
      if (target !== 'AWSEvents.PutEvents') {
        return refuse({
          type: 'UnknownOperationException',
          httpStatus: 400,
          message: `Unknown operation ${target}`,
        });
      }
      return answerPutEvents(body, identity.principal.accountId, identity.region);
    },
    options.port,
  );

  return {
    endpoint: transport.endpoint,
    events: () => [...events],
    clearEvents() {
      events.length = 0;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOutage(fault) {
      outage = fault;
    },
    setStalled,
    scriptFaults(faults) {
      scripted.push(...faults);
    },
    failNextEntries(count, error) {
      entryFailures = {
        count,
        code: error?.code ?? 'InternalFailure',
        message: error?.message ?? 'Internal Failure',
      };
    },
    get calls() {
      return calls;
    },
    stop: () => {
      setStalled(false);
      return transport.close();
    },
  };
}
