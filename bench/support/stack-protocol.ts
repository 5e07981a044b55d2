/** Messages between the bench and its stack process (bench/support/stack-process.ts). */

/** One ElastiCache call as the emulator logged it, reduced to what the rows need. */
export interface CallSummary {
  readonly action: string;
  /** Arrival on the emulator's clock, epoch milliseconds. */
  readonly at: number;
  readonly outcome: string;
  /** The partition (account, region) the call reached; undefined when refused before (bad credentials). */
  readonly accountId?: string | undefined;
  readonly region?: string | undefined;
}

/** Where seeded caches go: an account and region of the emulator (default: its own). */
export interface PartitionName {
  readonly accountId: string;
  readonly region: string;
}

export type StackRequest =
  | {
      readonly op: 'seedCaches';
      readonly names: readonly string[];
      readonly partition?: PartitionName;
      readonly tags?: Readonly<Record<string, string>>;
    }
  | {
      readonly op: 'trustRole';
      readonly roleArn: string;
      readonly externalId: string;
      readonly trusted: string;
    }
  | { readonly op: 'setLatency'; readonly ms: number | undefined }
  | { readonly op: 'setRateLimit'; readonly perSecond: number | undefined }
  | { readonly op: 'calls' }
  | { readonly op: 'resetCalls' };

export type StackMessage =
  | { readonly kind: 'ready'; readonly env: Readonly<Record<string, string>> }
  | { readonly kind: 'reply'; readonly id: number; readonly calls?: readonly CallSummary[] };
