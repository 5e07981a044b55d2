import { type Command, InvalidArgumentError } from 'commander';
import { contextOf, type GlobalOptions } from '#cli/context';
import { CliError } from '#cli/errors';
import { formatDuration } from '#cli/format';
import { parseDuration } from '#cli/option-parsers';
import { printJson, printLine } from '#cli/output';
import { defaultStackName } from '#cli/resolve-tables';
import { realSleep, type Sleep } from '#lib/clock';
import { SnapshotServiceError } from '#lib/errors';
import { isValidSnapshotName } from '#lib/naming/snapshot-name';
import { planRestore } from '#lib/restore-tests/restore-request';
import { MAX_CACHE_NAME_LENGTH, SCRATCH_CACHE_PREFIX } from '#lib/restore-tests/scratch-cache';
import { ownerOf } from '#lib/restore-tests/snapshot-owner';
import type { Runtime } from '#lib/runtime';
import type { CacheInfo, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';

/** Tag on a cache made by `restore`: the snapshot it holds. Not a scratch cache: nothing ever deletes it. */
export const RESTORED_FROM_TAG = 'snapshot-orchestrator-restored-from';

interface RestoreOptions {
  readonly as: string;
  readonly wait?: boolean;
  readonly subnetIds?: string[];
  readonly securityGroupIds?: string[];
  readonly poll: number;
  readonly timeout: number;
}

function parseCacheName(value: string): string {
  const name = value.toLowerCase();
  if (name.length > MAX_CACHE_NAME_LENGTH || !isValidSnapshotName(name)) {
    throw new InvalidArgumentError(
      `expected a cache name: at most ${MAX_CACHE_NAME_LENGTH} letters, digits and single hyphens, starting with a letter`,
    );
  }
  if (name.startsWith(SCRATCH_CACHE_PREFIX)) {
    throw new InvalidArgumentError(
      `names starting with ${SCRATCH_CACHE_PREFIX} are the restore tests' scratch caches`,
    );
  }
  return name;
}

/** A comma-separated list of ids matching `pattern`; repeating the option adds more. */
function idList(kind: string, pattern: RegExp) {
  return (value: string, previous: string[] = []): string[] => {
    const ids = value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const bad = ids.find((id) => !pattern.test(id));
    if (ids.length === 0 || bad !== undefined)
      throw new InvalidArgumentError(`expected ${kind} ids such as ${kind}-0a1b2c3d`);
    return [...previous, ...ids];
  };
}

/** The deployment whose snapshots may be restored: DEPLOYMENT_NAME, else the stack the tables come from. */
function deploymentOf(options: GlobalOptions, env: NodeJS.ProcessEnv): string {
  return env.DEPLOYMENT_NAME?.trim() || options.stack || defaultStackName(options.stage);
}

/** Refuses a snapshot that is not this deployment's (docs/architecture.md, "Deployment identity"). */
async function requireOwnSnapshot(
  runtime: Runtime,
  snapshot: SnapshotInfo,
  deployment: string,
): Promise<void> {
  const owner = ownerOf(await runtime.snapshots.listTags(snapshot.arn));
  if (owner.kind === 'deployment' && owner.deployment === deployment) return;
  if (owner.kind === 'legacy') {
    // Made before deployment tags and run kinds: a scheduled run of its own cache names it.
    const key = { policyId: owner.policyId, cacheName: snapshot.cacheName, slot: owner.slot };
    const run = await runtime.runs.get({ ...key, kind: 'SCHEDULED' });
    if (run?.snapshotName === snapshot.name) return;
  }
  const whose =
    owner.kind === 'deployment'
      ? `deployment ${owner.deployment}'s`
      : owner.kind === 'legacy'
        ? `not named by a run record of policy ${owner.policyId}`
        : 'not made by cache-snapshot-orchestrator';
  throw new CliError(
    `snapshot ${snapshot.name} is ${whose}, not one of ${deployment}'s (use --stage or --stack)`,
  );
}

/** Polls the cache until it is `available`; create-failed, a vanished cache or the timeout end it with an error. */
export async function waitUntilAvailable(
  runtime: Pick<Runtime, 'snapshots'>,
  name: string,
  options: { pollMs: number; timeoutMs: number; report: (cache: CacheInfo, elapsedMs: number) => void },
  sleep: Sleep = realSleep,
  now: () => number = Date.now,
): Promise<CacheInfo> {
  const start = now();
  for (;;) {
    const cache = await runtime.snapshots.getCache(name);
    const elapsedMs = now() - start;
    if (cache === undefined) throw new CliError(`cache ${name} disappeared while being created`);
    options.report(cache, elapsedMs);
    if (cache.status === 'available') return cache;
    if (cache.status === 'create-failed')
      throw new CliError(`the restore failed: cache ${name} is create-failed`);
    if (elapsedMs >= options.timeoutMs) {
      throw new CliError(
        `cache ${name} is still ${cache.status} after ${formatDuration(elapsedMs)}; it was left as it is`,
      );
    }
    await sleep(options.pollMs);
  }
}

function summary(cache: CacheInfo, snapshot: SnapshotInfo) {
  return {
    cacheName: cache.name,
    status: cache.status,
    snapshotName: snapshot.name,
    engine: cache.engine,
    majorEngineVersion: cache.majorEngineVersion,
    subnetIds: cache.subnetIds,
    securityGroupIds: cache.securityGroupIds,
    arn: cache.arn,
  };
}

async function restoreAction(snapshotName: string, options: RestoreOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const snapshot = await runtime.snapshots.getSnapshot(snapshotName);
  if (snapshot === undefined) throw new CliError(`no snapshot ${snapshotName}`);
  await requireOwnSnapshot(runtime, snapshot, deploymentOf(context.options, process.env));
  const plan = planRestore({
    name: options.as,
    snapshot,
    source: await runtime.snapshots.getCache(snapshot.cacheName),
    subnetIds: options.subnetIds,
    securityGroupIds: options.securityGroupIds,
    tags: { [RESTORED_FROM_TAG]: snapshot.name },
  });
  if (!plan.ok) throw new CliError(`cannot restore: ${plan.reason}`);
  const created = await runtime.snapshots.createCache(plan.request).catch((error: unknown) => {
    const reason = error instanceof SnapshotServiceError ? `${error.code}: ${error.message}` : String(error);
    throw new CliError(`ElastiCache refused to create cache ${options.as}: ${reason}`, { cause: error });
  });
  const { json } = context.options;
  const request = plan.request;
  if (!json) {
    printLine(
      `restoring ${snapshot.name} into ${created.name} (${[request.engine, request.majorEngineVersion].filter(Boolean).join(' ')}, ` +
        `subnets ${request.subnetIds?.join(',') || 'default'}, security groups ${request.securityGroupIds?.join(',') || 'default'}): ${created.status}`,
    );
  }
  if (!options.wait) {
    if (json) printJson(summary(created, snapshot));
    return;
  }
  let lastLine = { status: created.status, at: 0 };
  const report = (cache: CacheInfo, elapsedMs: number) => {
    if (json || (cache.status === lastLine.status && elapsedMs - lastLine.at < 60_000)) return;
    printLine(`${formatDuration(elapsedMs)}: ${cache.name} ${cache.status}`);
    lastLine = { status: cache.status, at: elapsedMs };
  };
  const ready = await waitUntilAvailable(runtime, created.name, {
    pollMs: options.poll,
    timeoutMs: options.timeout,
    report,
  });
  if (json) printJson(summary(ready, snapshot));
}

/** `restore <snapshotName> --as <cache>`: a real restore of one of this deployment's snapshots into a new cache. */
export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description(
      "restore one of this deployment's snapshots into a new serverless cache (same engine and major version; " +
        "the source cache's subnets and security groups unless given); never deleted by the orchestrator",
    )
    .argument('<snapshotName>', 'the snapshot to restore')
    .requiredOption('--as <cacheName>', 'name of the new cache', parseCacheName)
    .option(
      '--wait',
      'report progress until the cache is available (exit 1 if it fails or the timeout passes)',
    )
    .option(
      '--subnet-ids <ids>',
      'subnets of the new cache, comma-separated',
      idList('subnet', /^subnet-[0-9a-f]{8,17}$/),
    )
    .option(
      '--security-group-ids <ids>',
      'security groups of the new cache, comma-separated',
      idList('sg', /^sg-[0-9a-f]{8,17}$/),
    )
    .option('--poll <duration>', 'with --wait: how often to look', parseDuration, 15_000)
    .option('--timeout <duration>', 'with --wait: how long to wait', parseDuration, 3_600_000)
    .action(restoreAction);
}
