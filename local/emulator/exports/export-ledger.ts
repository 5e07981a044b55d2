/**
 * ExportServerlessCacheSnapshot: the checks the service makes before it accepts an export (the snapshot, then
 * the bucket through the S3 API), the snapshot `exporting` meanwhile, and the objects written into the bucket
 * once the export completes on the clock. Completion happens in `settle()`, which the emulator runs before
 * every request, so a caller that sees the snapshot `available` again finds the objects in the bucket.
 *
 * Object keys: ElastiCache names an exported backup after the name it is given, adding an instance
 * identifier and `.rdb` (`my-exported-backup` → `my-exported-backup-0001.rdb`: ElastiCache User Guide,
 * "Exporting a backup", and the CopySnapshot API reference). A serverless export takes no target name, so
 * the snapshot's own name is the base: `<snapshot-name>-0001.rdb`, `-0002.rdb`, … one per object.
 * The refusal messages are the ones the CopySnapshot documentation lists for exports, answered as
 * InvalidParameterValue, the only fault of ExportServerlessCacheSnapshot's model they fit.
 */
import type { Partition } from '#local/emulator/model/arns';
import { requireParameter } from '#local/emulator/model/input-rules';
import { snapshotStatusAt, toSnapshotView } from '#local/emulator/model/records';
import { faults } from '#local/emulator/model/service-fault';
import type { SnapshotStore } from '#local/emulator/model/snapshot-store';
import type { EmulatorExport, EmulatorSnapshot } from '#local/emulator/types';
import type { ExportTarget } from './export-target';

/** Timings and shape of exports; mutable so a running emulator can be re-tuned. */
export interface ExportRules {
  exportCompletionMs: number;
  exportObjectCount: number;
  exportObjectMaxBytes: number;
}

interface ExportEntry {
  view: EmulatorExport;
  readonly store: SnapshotStore;
  readonly injectedFailure: boolean;
  readonly bytesUsedForCache: number;
}

/** The keys an export of `snapshotName` writes. */
export function exportKeysOf(snapshotName: string, count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => `${snapshotName}-${String(index + 1).padStart(4, '0')}.rdb`,
  );
}

/** An RDB-shaped body: the `REDIS` magic and version, the snapshot's identity, then padding. */
function rdbBody(snapshotName: string, part: number, size: number): Buffer {
  const body = Buffer.alloc(Math.max(size, 64));
  body.write(`REDIS0011${JSON.stringify({ snapshot: snapshotName, part })}`);
  return body;
}

export class ExportLedger {
  private readonly entries: ExportEntry[] = [];
  /** The entries still `exporting`, so completing them costs nothing per request once they are done. */
  private readonly pending = new Set<ExportEntry>();
  private readonly deniedBuckets = new Set<string>();
  private settling: Promise<void> = Promise.resolve();
  /** Exports still to fail after they started (a test's injection), consumed in order. */
  pendingFailures = 0;
  target: ExportTarget | undefined;

  constructor(
    private readonly clock: () => Date,
    private readonly rules: ExportRules,
  ) {}

  /** Makes exports to `bucket` refused as if ElastiCache had not been granted write access to it. */
  denyWrites(bucket: string, denied: boolean): void {
    if (denied) this.deniedBuckets.add(bucket);
    else this.deniedBuckets.delete(bucket);
  }

  /** Every export accepted so far, oldest first. */
  list(): EmulatorExport[] {
    return this.entries.map((entry) => ({ ...entry.view, keys: [...entry.view.keys] }));
  }

  async start(
    partition: Partition,
    store: SnapshotStore,
    snapshotName: string | undefined,
    bucketName: string | undefined,
  ): Promise<EmulatorSnapshot> {
    const name = requireParameter('ServerlessCacheSnapshotName', snapshotName);
    const bucket = requireParameter('S3BucketName', bucketName);
    const record = store.find(name);
    if (!record) throw faults.snapshotNotFound(name);
    if (record.engine === 'memcached') {
      throw faults.invalidParameterValue('Exporting is available for Valkey and Redis OSS snapshots only.');
    }
    const available = () => {
      const status = snapshotStatusAt(record, this.clock());
      if (status !== 'available') throw faults.snapshotState(record.name, status);
    };
    available();
    const keys = exportKeysOf(record.name, this.rules.exportObjectCount);
    await this.checkBucket(partition, bucket, keys);
    available();
    const now = this.clock();
    store.setStatus(record, 'exporting', undefined);
    const injectedFailure = this.pendingFailures > 0;
    if (injectedFailure) this.pendingFailures -= 1;
    const entry: ExportEntry = {
      view: {
        snapshotName: record.name,
        accountId: partition.accountId,
        region: partition.region,
        bucket,
        keys,
        status: 'exporting',
        startedAt: now,
        completesAt: new Date(now.getTime() + this.rules.exportCompletionMs),
        completedAt: undefined,
        error: undefined,
      },
      store,
      injectedFailure,
      bytesUsedForCache: record.bytesUsedForCache,
    };
    this.entries.push(entry);
    this.pending.add(entry);
    return toSnapshotView(record, now);
  }

  /** Completes every export due on the clock: writes its objects (or fails it) and frees the snapshot. */
  settle(): Promise<void> {
    this.settling = this.settling.then(() => this.completeDue());
    return this.settling;
  }

  private async completeDue(): Promise<void> {
    const now = this.clock();
    for (const entry of [...this.pending]) {
      if (now < entry.view.completesAt) continue;
      this.pending.delete(entry);
      const error = await this.write(entry);
      entry.view = {
        ...entry.view,
        status: error === undefined ? 'completed' : 'failed',
        completedAt: entry.view.completesAt,
        error,
      };
      const record = entry.store.find(entry.view.snapshotName);
      if (record?.status === 'exporting') entry.store.setStatus(record, 'available', undefined);
    }
  }

  /** Writes the export's objects; the reason it failed, or undefined. */
  private async write(entry: ExportEntry): Promise<string | undefined> {
    if (entry.injectedFailure) return 'Injected export failure: no object was written.';
    if (!this.target) return 'No S3 endpoint is connected to the emulator.';
    const { keys, bucket, snapshotName } = entry.view;
    const size = Math.floor(Math.min(entry.bytesUsedForCache, this.rules.exportObjectMaxBytes) / keys.length);
    try {
      for (const [index, key] of keys.entries()) {
        await this.target.putObject(bucket, key, rdbBody(snapshotName, index + 1, size));
      }
      return undefined;
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  }

  private async checkBucket(partition: Partition, bucket: string, keys: readonly string[]): Promise<void> {
    const region = this.target ? await this.target.bucketRegion(bucket) : undefined;
    if (region === undefined) throw faults.invalidParameterValue(`The S3 bucket ${bucket} does not exist.`);
    if (region !== partition.region) {
      throw faults.invalidParameterValue(`The S3 bucket ${bucket} is outside of the region.`);
    }
    if (this.deniedBuckets.has(bucket)) {
      throw faults.invalidParameterValue(
        `ElastiCache has not been granted WRITE permissions ${bucket} on the S3 Bucket.`,
      );
    }
    for (const key of keys) {
      if (await this.target?.objectExists(bucket, key)) {
        throw faults.invalidParameterValue(
          `The S3 bucket ${bucket} already contains an object with key ${key}.`,
        );
      }
    }
  }
}
