import { MINUTE_MS } from '#lib/clock';
import type { Policy } from '#lib/policy/types';
import type { RunStore } from '#lib/runs/run-store';
import type { RunRecord } from '#lib/runs/types';
import { latestSlotAtOrBefore } from '#lib/schedule/policy-slots';

/** Statuses of runs that made a snapshot (whatever became of it since): what `every` counts. */
const MADE_A_SNAPSHOT = new Set<string>(['AVAILABLE', 'PRUNING', 'PRUNED', 'GONE']);

function madeSnapshot(run: RunRecord): boolean {
  const kind = (run as RunRecord & { readonly kind?: string }).kind;
  return kind !== 'RESTORE_TEST' && (MADE_A_SNAPSHOT.has(run.status) || run.export !== undefined);
}

/**
 * Where to start reading a target's history for `every`: 2 × `every` of the schedule's interval before the
 * slot (the interval that ends at it), so that `every` snapshots fit even with some slots missed. Undefined
 * (the whole history) when the schedule has no earlier slot.
 */
export function windowStart(policy: Policy, slot: string, every: number): string | undefined {
  const at = Date.parse(slot);
  const previous = latestSlotAtOrBefore(policy, new Date(at - 1));
  if (previous === undefined) return undefined;
  const interval = Math.max(MINUTE_MS, at - previous.getTime());
  return new Date(at - 2 * every * interval).toISOString();
}

/**
 * Whether the run's new snapshot is one `export.every` chooses: the Nth snapshot of its target since the
 * target's last export (an export attempt of any outcome), counting every run that made a snapshot, whatever
 * became of it since (pruned, deleted) and of any kind but restore tests. Counted from the run records, not
 * a counter on the target: the records are the truth about which snapshots exist and which were exported,
 * they survive a crash between a snapshot and its export decision (the next snapshot then counts past N and
 * is exported), and the count costs nothing for `every` = 1 and one Query of about 2 × N runs otherwise.
 * With no export in that window (the target's first snapshot, or a schedule whose gaps outgrow the window)
 * the snapshot is exported: a window too short exports early, never skips one.
 */
export async function isExportDue(
  runs: Pick<RunStore, 'listByPolicy'>,
  policy: Policy,
  run: RunRecord,
): Promise<boolean> {
  const every = policy.export?.every ?? 1;
  if (every <= 1) return true;
  const since = windowStart(policy, run.slot, every);
  const earlier: RunRecord[] = [];
  // The target's own runs only (one key-range query): a targets policy's other caches are not read.
  const query = { cacheName: run.cacheName, ...(since === undefined ? {} : { since }) };
  for await (const other of runs.listByPolicy(run.policyId, query)) {
    if (other.slot < run.slot && madeSnapshot(other)) earlier.push(other);
  }
  let sinceLast = 0;
  for (const other of earlier.reverse()) {
    if (other.export !== undefined) return sinceLast >= every - 1;
    sinceLast += 1;
  }
  return true;
}
