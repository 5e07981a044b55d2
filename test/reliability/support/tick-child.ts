/**
 * One scheduler tick in a process of its own, built from the environment as the Lambda builds it
 * (loadConfig + createRuntime: the real SDK clients, endpoints from AWS_ENDPOINT_URL_*), so a test can
 * SIGKILL it at any point. The clock is the tick's time from argv (the emulator in the parent reads the
 * parent's clock, which the parent holds at that time while the child runs).
 *
 *   node --import tsx tick-child.ts <tick time, ISO-8601> [hold point] [hold at the Nth Create]
 *
 * A hold point stops the tick there, for the parent to kill it: `before-create` (after the claim, in place
 * of the Nth CreateServerlessCacheSnapshot call) or `after-create` (the Nth Create the service accepted has
 * been answered, before its record is written). The child then prints `HOLD <point> <snapshot name>` and waits forever. It prints
 * `READY` before the tick and `DONE <summary JSON>` after it.
 */
import { randomUUID } from 'node:crypto';
import { addMs } from '#lib/clock';
import { loadConfig } from '#lib/config';
import { withOwnGateway } from '#lib/placements/placement-clients';
import { createRuntime, schedulerDeps } from '#lib/runtime';
import { runTick } from '#lib/scheduler/tick';
import type { CreateSnapshotRequest, SnapshotGateway } from '#lib/snapshots/snapshot-gateway';

const HOLD_POINTS = [
  'before-create',
  'after-create',
  'before-create-cache',
  'after-create-cache',
  'after-delete-cache',
] as const;
type HoldPoint = (typeof HOLD_POINTS)[number];

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const forever = () => new Promise<never>(() => setInterval(() => {}, 60_000));

/**
 * The gateway, stopped at `point` on its `nth` call: a snapshot Create (`before-create`, `after-create`), a
 * scratch cache's Create (`before-create-cache`, `after-create-cache`) or Delete (`after-delete-cache`, the
 * delete accepted, before its record is written).
 */
function holding(gateway: SnapshotGateway, point: HoldPoint, nth: number): SnapshotGateway {
  let creates = 0;
  const hold = (name: string) => {
    say(`HOLD ${point} ${name}`);
    return forever();
  };
  return {
    listSnapshots: (name) => gateway.listSnapshots(name),
    getSnapshot: (name) => gateway.getSnapshot(name),
    deleteSnapshot: (name) => gateway.deleteSnapshot(name),
    listTags: (arn) => gateway.listTags(arn),
    tagSnapshot: (arn, tags) => gateway.tagSnapshot(arn, tags),
    getCache: (name) => gateway.getCache(name),
    listCaches: () => gateway.listCaches(),
    exportSnapshot: (name, bucket) => gateway.exportSnapshot(name, bucket),
    async createCache(request) {
      if (point === 'before-create-cache') {
        creates += 1;
        if (creates === nth) return hold(request.name);
        return gateway.createCache(request);
      }
      const created = await gateway.createCache(request);
      creates += point === 'after-create-cache' ? 1 : 0;
      return point === 'after-create-cache' && creates === nth ? hold(request.name) : created;
    },
    async deleteCache(name) {
      const deletion = await gateway.deleteCache(name);
      if (point !== 'after-delete-cache') return deletion;
      creates += 1;
      return creates === nth ? hold(name) : deletion;
    },
    async createSnapshot(request: CreateSnapshotRequest) {
      if (point !== 'before-create' && point !== 'after-create') return gateway.createSnapshot(request);
      if (point === 'before-create') {
        creates += 1;
        if (creates !== nth) return gateway.createSnapshot(request);
        say(`HOLD ${point} ${request.snapshotName}`);
        return forever();
      }
      const created = await gateway.createSnapshot(request);
      creates += 1;
      if (creates !== nth) return created;
      say(`HOLD ${point} ${request.snapshotName}`);
      return forever();
    },
  };
}

async function main(): Promise<void> {
  const [atArg, pointArg, nthArg] = process.argv.slice(2);
  const at = new Date(atArg ?? '');
  if (Number.isNaN(at.getTime()))
    throw new Error(`usage: tick-child <ISO time> [hold point] [n]; got "${atArg}"`);
  const point = HOLD_POINTS.find((candidate) => candidate === pointArg);
  const runtime = createRuntime(loadConfig());
  const snapshots = point ? holding(runtime.snapshots, point, Number(nthArg ?? 1)) : runtime.snapshots;
  let now = at;
  const deps = {
    ...schedulerDeps(
      { ...runtime, snapshots, placements: withOwnGateway(runtime.placements, snapshots) },
      () => 60_000,
    ),
    clock: () => now,
    sleep: async (ms: number) => {
      now = addMs(now, ms);
    },
  };
  say('READY');
  const summary = await runTick(deps, { at, tickId: `child-${randomUUID()}` });
  say(`DONE ${JSON.stringify(summary)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `tick-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
