import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CallSummary, PartitionName, StackMessage, StackRequest } from './stack-protocol';

/** The local stack running in its own process: its environment and the emulator's knobs the rows use. */
export interface RemoteStack {
  /** Endpoint variables, table names, region and dummy credentials (as LocalStack.env). */
  readonly env: Readonly<Record<string, string>>;
  /** Seeds caches in the emulator's own partition, or in `partition`, each with `tags` (default none). */
  seedCaches(
    names: readonly string[],
    partition?: PartitionName,
    tags?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** The local STS lets `trusted` (an account) assume `roleArn` with `externalId`. */
  trustRole(roleArn: string, externalId: string, trusted: string): Promise<void>;
  /** Fixed wall-clock latency of every ElastiCache call; undefined for none. */
  setLatency(ms: number | undefined): Promise<void>;
  setRateLimit(perSecond: number | undefined): Promise<void>;
  calls(): Promise<readonly CallSummary[]>;
  resetCalls(): Promise<void>;
  stop(): Promise<void>;
}

const STACK_PROCESS = fileURLToPath(new URL('./stack-process.ts', import.meta.url));

function request(child: ChildProcess, id: number, body: StackRequest): Promise<readonly CallSummary[]> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: StackMessage) => {
      if (message.kind !== 'reply' || message.id !== id) return;
      child.off('message', onMessage);
      resolve(message.calls ?? []);
    };
    child.on('message', onMessage);
    child.send({ ...body, id }, (error) => {
      if (error) reject(error);
    });
  });
}

/** Starts dynalite and the emulator in a child process (run by tsx) with fresh tables. */
export async function startRemoteStack(): Promise<RemoteStack> {
  const child = fork(STACK_PROCESS, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const env = await new Promise<Readonly<Record<string, string>>>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`stack process exited with ${code} before it was ready`)));
    child.once('message', (message: StackMessage) => {
      if (message.kind === 'ready') resolve(message.env);
    });
  });
  let id = 0;
  const call = (body: StackRequest) => request(child, ++id, body);
  return {
    env,
    seedCaches: async (names, partition, tags) =>
      void (await call({ op: 'seedCaches', names, partition, tags })),
    trustRole: async (roleArn, externalId, trusted) =>
      void (await call({ op: 'trustRole', roleArn, externalId, trusted })),
    setLatency: async (ms) => void (await call({ op: 'setLatency', ms })),
    setRateLimit: async (perSecond) => void (await call({ op: 'setRateLimit', perSecond })),
    calls: () => call({ op: 'calls' }),
    resetCalls: async () => void (await call({ op: 'resetCalls' })),
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
