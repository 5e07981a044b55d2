/**
 * The ledger every reliability part checks: which (policy, slot) pairs the schedules produced, what the
 * runs table holds for them, and what the emulator saw (its call log and its snapshots).
 *
 * Definitions used throughout the suite:
 * - a slot is **lost** when the schedules produced it in the simulated span and it has no run record;
 * - a slot has a **duplicate** when it got more than one successful CreateServerlessCacheSnapshot (answered
 *   `ok`) or more than one snapshot carrying its managed tags;
 * - a Create is **repeated** when it is called for a slot after an earlier Create for that slot was answered
 *   `ok` (a tick that did not know the slot was done; zero wherever no response or record write is lost);
 * - a run is **resolved** when it ends AVAILABLE or PRUNED, or in FAILED, MISSED or SKIPPED with a reason;
 * - Creates are **raced** when one slot gets more than one Create at the same simulated instant: ticks running
 *   at once share the clock, so two claim holders called it (meaningful only where the emulator injects no
 *   faults, as the SDK's own retries also repeat a call at the same instant).
 */
import { parsePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord, RunStatus } from '#lib/runs/types';
import { slotsBetween } from '#lib/schedule/policy-slots';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import type { CallRecord, EmulatorSnapshot } from '#local/emulator/index';

export const CREATE = 'CreateServerlessCacheSnapshot';

const SUCCESS: ReadonlySet<RunStatus> = new Set(['AVAILABLE', 'PRUNED']);
const TERMINAL_WITH_REASON: ReadonlySet<RunStatus> = new Set(['FAILED', 'MISSED', 'SKIPPED']);
/** Statuses whose run may own a snapshot that exists right now. */
const HOLDS_SNAPSHOT: ReadonlySet<RunStatus> = new Set(['AVAILABLE', 'REQUESTED', 'PRUNING']);

export function slotKey(policyId: string, slot: string): string {
  return `${policyId}@${slot}`;
}

/** Every slot the (valid) policies' schedules produce in (`fromExclusive`, `toInclusive`]. */
export function scheduledSlots(
  items: readonly PolicyItem[],
  fromExclusive: Date,
  toInclusive: Date,
): Set<string> {
  const keys = new Set<string>();
  for (const item of items) {
    const policy = parsePolicy(item);
    for (const slot of slotsBetween(policy, fromExclusive, toInclusive, 100_000)) {
      keys.add(slotKey(policy.policyId, slot.toISOString()));
    }
  }
  return keys;
}

function tagsOf(call: CallRecord): Readonly<Record<string, string>> {
  const tags = call.params.Tags;
  return typeof tags === 'object' ? tags : {};
}

/** The slot a Create call was for, from the managed tags it carried. */
export function createKey(call: CallRecord): string {
  const tags = tagsOf(call);
  return slotKey(tags[MANAGED_TAGS.policyId] ?? '?', tags[MANAGED_TAGS.slot] ?? '?');
}

export interface SlotAudit {
  /** Slots the schedules produced. */
  readonly slots: number;
  readonly lost: readonly string[];
  /** Run records at an instant that is not a slot of their policy. */
  readonly unexpected: readonly string[];
  readonly duplicates: readonly string[];
  readonly repeated: readonly string[];
  /** Runs not resolved (still open, or terminal without a reason). */
  readonly unresolved: readonly RunRecord[];
  /** Snapshots of ours whose run does not say it holds one (a snapshot the records lost track of). */
  readonly orphans: readonly string[];
  /** AVAILABLE runs whose snapshot is not there. */
  readonly missingSnapshots: readonly string[];
  readonly byStatus: Readonly<Record<string, number>>;
  readonly createCalls: number;
  /** Slots that needed more than one Create call (SDK retries, in-tick retries and durable retries). */
  readonly retried: number;
}

export interface AuditInput {
  readonly expected: ReadonlySet<string>;
  readonly runs: readonly RunRecord[];
  readonly calls: readonly CallRecord[];
  readonly snapshots: readonly EmulatorSnapshot[];
}

function isResolved(run: RunRecord): boolean {
  if (SUCCESS.has(run.status)) return true;
  return TERMINAL_WITH_REASON.has(run.status) && !!run.lastError?.code && !!run.lastError.message;
}

/** Checks the runs and the emulator's record of them against the slots the schedules produced. */
export function auditSlots(input: AuditInput): SlotAudit {
  const runsByKey = new Map<string, RunRecord>();
  const byStatus: Record<string, number> = {};
  for (const run of input.runs) {
    runsByKey.set(slotKey(run.policyId, run.slot), run);
    byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
  }
  const creates = input.calls.filter((call) => call.action === CREATE);
  const callsPerKey = new Map<string, number>();
  const okPerKey = new Map<string, number>();
  const repeated = new Set<string>();
  for (const call of creates) {
    const key = createKey(call);
    if ((okPerKey.get(key) ?? 0) > 0) repeated.add(key);
    callsPerKey.set(key, (callsPerKey.get(key) ?? 0) + 1);
    if (call.outcome === 'ok') okPerKey.set(key, (okPerKey.get(key) ?? 0) + 1);
  }
  const snapshotsPerKey = new Map<string, EmulatorSnapshot[]>();
  for (const snapshot of input.snapshots) {
    if (snapshot.tags[MANAGED_TAGS.managedBy] !== MANAGED_BY_VALUE) continue;
    const key = slotKey(snapshot.tags[MANAGED_TAGS.policyId] ?? '?', snapshot.tags[MANAGED_TAGS.slot] ?? '?');
    snapshotsPerKey.set(key, [...(snapshotsPerKey.get(key) ?? []), snapshot]);
  }
  const duplicates = new Set<string>();
  for (const [key, count] of okPerKey) if (count > 1) duplicates.add(key);
  for (const [key, snapshots] of snapshotsPerKey) if (snapshots.length > 1) duplicates.add(key);
  const orphans = [...snapshotsPerKey.entries()]
    .filter(([key, snapshots]) => {
      const run = runsByKey.get(key);
      return !run || !HOLDS_SNAPSHOT.has(run.status) || snapshots.some((s) => s.name !== run.snapshotName);
    })
    .map(([key]) => key);
  const missingSnapshots = input.runs
    .filter((run) => run.status === 'AVAILABLE')
    .filter(
      (run) =>
        !snapshotsPerKey.get(slotKey(run.policyId, run.slot))?.some((s) => s.name === run.snapshotName),
    )
    .map((run) => slotKey(run.policyId, run.slot));
  return {
    slots: input.expected.size,
    lost: [...input.expected].filter((key) => !runsByKey.has(key)),
    unexpected: [...runsByKey.keys()].filter((key) => !input.expected.has(key)),
    duplicates: [...duplicates],
    repeated: [...repeated],
    unresolved: input.runs.filter((run) => !isResolved(run)),
    orphans,
    missingSnapshots,
    byStatus,
    createCalls: creates.length,
    retried: [...callsPerKey.values()].filter((count) => count > 1).length,
  };
}

/** The slots (with the instant) that got more than one Create at the same simulated instant. */
export function racedCreates(calls: readonly CallRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const call of calls) {
    if (call.action !== CREATE) continue;
    const key = `${createKey(call)} at ${call.at.toISOString()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([key]) => key);
}

/** `AVAILABLE 900, FAILED 3` */
export function formatStatuses(byStatus: Readonly<Record<string, number>>): string {
  return Object.entries(byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status} ${count}`)
    .join(' ');
}
