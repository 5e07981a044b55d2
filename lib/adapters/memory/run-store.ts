import { compareStrings, stripUndefined } from '#lib/adapters/plain-values';
import { isListedOpen } from '#lib/adapters/run-items';
import { ConditionalWriteError } from '#lib/errors';
import { runKeyOf, runKeyPrefix } from '#lib/runs/run-key';
import type { RunQuery, RunStore } from '#lib/runs/run-store';
import type { RunKey, RunRecord, RunStatus } from '#lib/runs/types';

/** The table's key: policyId, and runKey (cache, slot, kind) as the range. */
function keyOf(key: RunKey): string {
  return JSON.stringify([key.policyId, runKeyOf(key)]);
}

function copy(run: RunRecord): RunRecord {
  return structuredClone(stripUndefined(run));
}

/**
 * RunStore in memory with the DynamoDB store's semantics (conditional create and transition, sparse open
 * listing by nextCheckAt, runs of a policy in runKey order), for fast domain tests. Records are deep-copied in and out.
 */
export class InMemoryRunStore implements RunStore {
  private readonly runs = new Map<string, RunRecord>();

  async get(key: RunKey): Promise<RunRecord | undefined> {
    const stored = this.runs.get(keyOf(key));
    return stored === undefined ? undefined : copy(stored);
  }

  async create(run: RunRecord): Promise<RunRecord | undefined> {
    const existing = this.runs.get(keyOf(run));
    if (existing !== undefined) return copy(existing);
    this.runs.set(keyOf(run), copy(run));
    return undefined;
  }

  async transition(next: RunRecord, expected: { status: RunStatus; leaseOwner?: string }): Promise<void> {
    const stored = this.runs.get(keyOf(next));
    const leaseHeld = expected.leaseOwner === undefined || stored?.leaseOwner === expected.leaseOwner;
    if (stored?.status !== expected.status || !leaseHeld) {
      throw new ConditionalWriteError(
        `transition ${keyOf(next)}: expected ${expected.status}, found ${stored?.status ?? 'no record'}`,
      );
    }
    this.runs.set(keyOf(next), copy(next));
  }

  async *listOpen(at: string): AsyncIterable<RunRecord> {
    const open = [...this.runs.values()]
      .filter((run) => isListedOpen(run) && String(run.nextCheckAt) <= at)
      .sort(
        (a, b) =>
          compareStrings(String(a.nextCheckAt), String(b.nextCheckAt)) || compareStrings(keyOf(a), keyOf(b)),
      );
    yield* open.map(copy);
  }

  async *listByPolicy(policyId: string, query: RunQuery = {}): AsyncIterable<RunRecord> {
    const { since, statuses, cacheName } = query;
    const runs = [...this.runs.values()]
      .filter((run) => run.policyId === policyId)
      .filter((run) => cacheName === undefined || runKeyOf(run).startsWith(runKeyPrefix(cacheName)))
      .filter((run) => since === undefined || run.slot >= since)
      .filter((run) => statuses === undefined || statuses.includes(run.status))
      .sort((a, b) => compareStrings(runKeyOf(a), runKeyOf(b)));
    yield* runs.map(copy);
  }
}
