import type { EventBusError } from '#lib/errors';
import type { BusEntry, EntryResult, EventBus } from '#lib/state-events/event-bus';

/** How the fake bus answers one put: every entry taken, per-entry results, a failed call, or no answer yet. */
export type FakeAnswer = 'ok' | readonly EntryResult[] | EventBusError | 'hang';

/** One put the fake bus received. */
export interface FakePut {
  readonly entries: readonly BusEntry[];
  readonly signal: AbortSignal;
}

/**
 * An EventBus in memory: records every put and answers from a script (then `ok`). A `hang` answer never
 * comes until `release()` (then it is `ok`) or the put's signal aborts (then it rejects, as the SDK does).
 */
export class FakeEventBus implements EventBus {
  readonly puts: FakePut[] = [];
  private readonly script: FakeAnswer[] = [];
  private readonly held: (() => void)[] = [];

  /** Answers the next puts with `answers`, one per put, in order. */
  answer(...answers: FakeAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** Lets every hanging put answer `ok`. */
  release(): void {
    for (const resume of this.held.splice(0)) resume();
  }

  /** Every entry of every put, in order (retries included). */
  entries(): BusEntry[] {
    return this.puts.flatMap((put) => put.entries);
  }

  async put(entries: readonly BusEntry[], signal: AbortSignal): Promise<readonly EntryResult[]> {
    this.puts.push({ entries, signal });
    const answer = this.script.shift() ?? 'ok';
    if (answer === 'hang') {
      await new Promise<void>((resolve, reject) => {
        this.held.push(resolve);
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
      return entries.map(() => ({ ok: true }));
    }
    if (answer === 'ok') return entries.map(() => ({ ok: true }));
    if (Array.isArray(answer)) return answer;
    throw answer;
  }
}
