import {
  EventBridgeClient,
  type EventBridgeClientConfig,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import type { BusEntry, EntryResult, EventBus } from '#lib/state-events/event-bus';
import { classifyEventBridgeError, entryResultOf } from './classify-error';

/**
 * The one place the EventBridge client is built. No endpoint is set, so the SDK's standard
 * `AWS_ENDPOINT_URL_EVENTBRIDGE` decides between AWS and the local stack; `config` is for tests and the
 * simulation. The SDK's standard retry (3 attempts for throttling, 5xx and network errors) runs inside each
 * call; the publisher's retry of refused entries comes on top. `cacheMiddleware`: the middleware stack is
 * resolved once per command class, not on every call (nothing changes it after construction).
 */
export function createEventBridgeClient(config: EventBridgeClientConfig = {}): EventBridgeClient {
  return new EventBridgeClient({ cacheMiddleware: true, ...config });
}

/**
 * The EventBus port on PutEvents, every entry to the bus `eventBusName` (a name or an ARN; `default` is the
 * account's default bus). A failed call leaves as an EventBusError (classifyEventBridgeError); each entry's
 * result says whether EventBridge took it.
 */
export class EventBridgeEventBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async put(entries: readonly BusEntry[], signal: AbortSignal): Promise<readonly EntryResult[]> {
    const command = new PutEventsCommand({
      Entries: entries.map((entry) => ({
        Source: entry.source,
        DetailType: entry.detailType,
        Detail: entry.detail,
        Time: entry.time,
        EventBusName: this.eventBusName,
      })),
    });
    try {
      const output = await this.client.send(command, { abortSignal: signal });
      return entries.map((_, i) => entryResultOf(output.Entries?.[i]));
    } catch (err) {
      throw classifyEventBridgeError(err);
    }
  }
}
