import { reportExportRecoveryPoints } from '#lib/exports/export-rpo';
import type { EnrolmentSummary } from '#lib/fleet/enrol-targets';
import { onceEachPlacement } from '#lib/fleet/fleet-source';
import { checkAvailableSnapshots, type SnapshotCheckDeps } from '#lib/lifecycle/snapshot-check';
import { logger } from '#lib/observability';
import type { Placement } from '#lib/placements/placement';
import { validatePolicy } from '#lib/policy/parse-policy';
import { isCachePolicy } from '#lib/policy/policy-for-target';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { Policy, PolicyItem } from '#lib/policy/types';
import { reportRestoreTestAges } from '#lib/restore-tests/report-restore-test-age';
import { type DueRestoreTestDeps, startDueRestoreTests } from '#lib/restore-tests/start-due-restore-tests';
import { listedOnce } from '#lib/targets/listed-once';
import type { TargetRecord } from '#lib/targets/types';
import { type FleetPassSummary, reconcileFleet } from './reconcile-fleet';
import { reportRecoveryPoints } from './report-rpo';
import {
  activePoliciesByCache,
  activeReason,
  isInSync,
  peerKey,
  type SyncDeps,
  syncPolicyItem,
} from './sync-policy';

/** What reconcile touches: policy sync's dependencies and the snapshot check's. */
export interface ReconcileDeps extends SyncDeps, SnapshotCheckDeps {
  readonly policies: PolicyStore;
  readonly placements: SyncDeps['placements'] & SnapshotCheckDeps['placements'];
  readonly targets: SyncDeps['targets'] & SnapshotCheckDeps['targets'];
}

export interface ReconcileSummary extends FleetPassSummary {
  readonly scanned: number;
  readonly synced: number;
  readonly failed: number;
  /** Runs whose snapshot was found deleted outside the orchestrator (now GONE). */
  readonly snapshotsGone: number;
  /** The worst recovery point of the active policies, in seconds (undefined when none is active). */
  readonly maxNewestSnapshotAgeSeconds: number | undefined;
  /** Restore tests started for their due slots (docs/architecture.md, "Restore tests"). */
  readonly restoreTestsStarted: number;
}

/** An INVALID policy whose only fault may have healed on its own (the cache was created since). */
function awaitsCache(item: PolicyItem): boolean {
  return item.state === 'INVALID' && (item.stateReason ?? '').startsWith('cacheName: no serverless cache');
}

/** An ACTIVE policy whose fit warning no longer matches its cache's other active policies. */
function warningChanged(item: PolicyItem, index: PeerIndex, now: Date): boolean {
  if (item.state !== 'ACTIVE') return false;
  const parsed = validatePolicy(item);
  if (!parsed.ok || !isCachePolicy(parsed.policy)) return false;
  const peers = index.peers.get(peerKey(parsed.policy, index.home)) ?? [];
  return activeReason(parsed.policy, peers, now) !== item.stateReason;
}

/** The ACTIVE `cacheName` policies by cache (`peerKey`), and the own placement the keys were made with. */
export interface PeerIndex {
  readonly peers: Map<string, Policy[]>;
  readonly home: Placement;
}

/** Puts `item` in the peer index as it now is: out of every cache's list, back in if ACTIVE. */
export function replacePeer({ peers, home }: PeerIndex, item: PolicyItem): void {
  for (const [cacheName, list] of peers) {
    peers.set(
      cacheName,
      list.filter((policy) => policy.policyId !== item.policyId),
    );
  }
  for (const [cacheName, list] of activePoliciesByCache([item], home)) {
    peers.set(cacheName, [...(peers.get(cacheName) ?? []), ...list]);
  }
}

/**
 * Every policy item (one Scan), the ACTIVE policies among them by cache, and `deps` whose `peersOn` answers
 * from that index: a pass over many policies judges each one's 24-in-24 h fit without reading the table
 * again. Keep the index current with replacePeer as the pass syncs policies.
 */
export async function readPeerIndex(
  deps: SyncDeps,
): Promise<{ items: PolicyItem[]; index: PeerIndex; withPeers: SyncDeps }> {
  const items: PolicyItem[] = [];
  for await (const item of deps.policies.listAll()) items.push(item);
  const home = await deps.placements.home();
  const peers = activePoliciesByCache(items, home);
  return {
    items,
    index: { peers, home },
    withPeers: { ...deps, peersOn: async (key) => peers.get(key) ?? [] },
  };
}

/** The targets this pass's enrolments listed and nothing wrote since (not those the snapshot check moved). */
function untouchedTargets(
  enrolments: ReadonlyMap<string, EnrolmentSummary>,
  moved: ReadonlySet<string>,
): Map<string, readonly TargetRecord[]> {
  const known = new Map<string, readonly TargetRecord[]>();
  for (const [policyId, { untouched }] of enrolments) {
    if (untouched !== undefined && !moved.has(policyId)) known.set(policyId, untouched);
  }
  return known;
}

/**
 * Heals what the stream missed: every policy item whose orchestrator attributes do not reflect its
 * operator attributes (or that waits for its cache to exist, or whose 24-in-24 h fit warning changed with the
 * other policies on its cache) is synced again. Then every policy's AVAILABLE runs are checked against one
 * listing per cache (checkAvailableSnapshots): a snapshot deleted by hand ends its run GONE and the policy's
 * newest snapshot moves back, so the recovery-point metrics, emitted last for every active policy, count only
 * snapshots that exist and the RPO alarm fires within one reconcile period; the export recovery points
 * (ExportRecoveryPointAgeHours per destination bucket) come from the exporting policies' runs. Runs on its own schedule (every
 * 15 minutes by default) and reads the whole table, which a tick never does: the tick's cost stays
 * proportional to what is due. Last, with `restoreTests`, the restore tests whose slot came are started (the
 * tick follows them) and the restore-test ages reported. One item's failure is logged and the others go on.
 */
export async function reconcilePolicies(
  deps: ReconcileDeps,
  restoreTests?: DueRestoreTestDeps,
): Promise<ReconcileSummary> {
  let scanned = 0;
  let synced = 0;
  let failed = 0;
  // Whom each policy shares its cache with, kept current as this pass activates or deactivates policies.
  const read = await readPeerIndex(deps);
  const { items, index } = read;
  // One discovery of the account's caches for the whole pass: every targets policy is judged against it.
  const withPeers = { ...read.withPeers, fleet: onceEachPlacement(deps.placements) };
  const seen: PolicyItem[] = [];
  // This pass's enrolments by policyId, each sync's then the fleet pass's: each policy is enrolled (and its
  // targets listed) once, and the reports take the listing of those whose enrolment wrote nothing.
  const enrolments = new Map<string, EnrolmentSummary>();
  for (const item of items) {
    scanned += 1;
    if (isInSync(item) && !awaitsCache(item) && !warningChanged(item, index, deps.clock())) {
      seen.push(item);
      continue;
    }
    try {
      const outcome = await syncPolicyItem(withPeers, item, true);
      const after = outcome.action === 'written' ? { ...item, ...outcome.result } : item;
      if (outcome.action === 'written') replacePeer(index, after);
      if (outcome.action === 'written' && outcome.enrolment) enrolments.set(item.policyId, outcome.enrolment);
      seen.push(after);
      if (outcome.action === 'written') synced += 1;
    } catch (error) {
      failed += 1;
      logger.error('could not sync the policy; the next reconcile tries again', {
        policyId: item.policyId,
        error,
      });
    }
  }
  const fleetPass = await reconcileFleet(withPeers, seen, deps.clock(), enrolments);
  const checked = await checkAvailableSnapshots(deps, seen);
  // The reports below write no target: each policy's targets are read once for all of them, or not at all
  // when this pass's enrolment listed them and neither it nor the check wrote one since.
  const targets = listedOnce(deps.targets.table, untouchedTargets(enrolments, checked.targetsMoved));
  const tests = restoreTests && { ...restoreTests, targets };
  const maxNewestSnapshotAgeSeconds = await reportRecoveryPoints(targets, checked.items, deps.clock());
  await reportExportRecoveryPoints(deps, checked.items);
  await reportRestoreTestAges(tests, checked.items, deps.clock());
  const restoreTestsStarted = tests ? await startDueRestoreTests(tests, checked.items) : 0;
  const summary = {
    scanned,
    synced,
    failed,
    snapshotsGone: checked.gone,
    maxNewestSnapshotAgeSeconds,
    restoreTestsStarted,
    ...fleetPass,
  };
  logger.info('reconcile finished', summary);
  return summary;
}
