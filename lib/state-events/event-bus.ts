/**
 * State-change events (docs/architecture.md, "Events"): what the orchestrator publishes and the port it
 * publishes through. Nothing here knows EventBridge's API; lib/adapters/eventbridge implements the port.
 */
import { loadOnce } from '#lib/load-once';

/** `source` of every event the orchestrator publishes. */
export const EVENT_SOURCE = 'cache-snapshot-orchestrator';

/** The `detail-type` of each kind of state change: runs now, exports (issue 14) and restore tests (issue 15). */
export const DETAIL_TYPE = {
  run: 'Snapshot Run State Change',
  export: 'Snapshot Export State Change',
  restoreTest: 'Restore Test State Change',
} as const;

export type DetailType = (typeof DETAIL_TYPE)[keyof typeof DETAIL_TYPE];

/** One state change to publish: its kind, its detail (a JSON object) and when it happened. */
export interface StateEvent {
  readonly detailType: DetailType;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly time: Date;
}

/** An event as the bus takes it: the detail already serialised. */
export interface BusEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly time: Date;
}

/**
 * What became of one entry of a put: accepted, or refused with the service's code and whether putting it
 * again may succeed (`transient`: throttled or an internal failure) or not (`terminal`).
 */
export type EntryResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly faultClass: 'transient' | 'terminal';
    };

/** The result of an entry the bus answered nothing for: transient, putting it again is the only way to know. */
export const NO_RESULT: EntryResult = {
  ok: false,
  code: 'MissingResultEntry',
  message: 'the bus answered no result for this entry',
  faultClass: 'transient',
};

/**
 * The event bus port. `put` takes at most PUT_LIMITS.entries entries of at most PUT_LIMITS.bytes in all and
 * answers one result per entry, in order; a failure of the whole call throws EventBusError. `signal`
 * abandons the call (the publisher's bounded wait).
 */
export interface EventBus {
  put(entries: readonly BusEntry[], signal: AbortSignal): Promise<readonly EntryResult[]>;
}

/**
 * PutEvents' limits: 10 entries a call, 256 KB in all, an entry's size being its Source, DetailType and
 * Detail in UTF-8 bytes plus 14 for a Time (Amazon EventBridge User Guide, "Calculating PutEvents event
 * entry size").
 */
export const PUT_LIMITS = { entries: 10, bytes: 256 * 1024, timeBytes: 14 } as const;

/** The size PutEvents counts for `entry`. */
export function entrySize(entry: BusEntry): number {
  return (
    PUT_LIMITS.timeBytes +
    Buffer.byteLength(entry.source) +
    Buffer.byteLength(entry.detailType) +
    Buffer.byteLength(entry.detail)
  );
}

/**
 * An EventBus that builds the real one on the first put (loadOnce): a process that never publishes never
 * evaluates the EventBridge client.
 */
export function lazyEventBus(load: () => Promise<EventBus>): EventBus {
  const bus = loadOnce(load);
  return { put: async (entries, signal) => (await bus()).put(entries, signal) };
}
