import { MINUTE_MS } from '#lib/clock';
import type { CacheSeed, Emulator } from '#local/emulator/index';

/** The simulated week: Monday 2026-03-23 00:00Z to the next Monday, across Berlin's spring-forward night. */
export const DEMO_START = new Date('2026-03-23T00:00:00Z');
/** How long the simulation runs. */
export const DEMO_DAYS = 7;
/** How often the simulated EventBridge rule fires (the deployed one fires every minute). */
export const DEMO_TICK_MS = 10 * MINUTE_MS;

/** The serverless caches the example policies (examples/) snapshot. */
export const DEMO_CACHES: readonly CacheSeed[] = [
  { name: 'orders', engine: 'valkey', bytesUsed: 3_200_000_000 },
  { name: 'sessions', engine: 'redis', bytesUsed: 450_000_000 },
  { name: 'catalog', engine: 'memcached', bytesUsed: 80_000_000 },
];

/** A snapshot a person took before the week: retention must never touch it. */
export const PERSON_SNAPSHOT = { name: 'orders-before-migration', cacheName: 'orders' } as const;

/** Something done to the emulator at a simulated time, with the line that announces it. */
export interface DemoEvent {
  readonly at: Date;
  readonly says: string;
  apply(emulator: Emulator): void;
}

const at = (iso: string) => new Date(iso);
const CREATE = 'CreateServerlessCacheSnapshot';

/** The faults of the week, in time order. */
export const DEMO_EVENTS: readonly DemoEvent[] = [
  {
    at: DEMO_START,
    says: 'from now on 5% of CreateServerlessCacheSnapshot calls find the cache busy',
    apply: (emulator) =>
      emulator.setRandomFaults({ rate: 0.05, seed: 2026, kinds: ['busy'], actions: [CREATE] }),
  },
  {
    at: at('2026-03-24T08:50:00Z'),
    says: 'the next 3 CreateServerlessCacheSnapshot calls are throttled (more than the SDK retries)',
    apply: (emulator) =>
      emulator.scriptFaults(CREATE, [{ kind: 'throttling' }, { kind: 'throttling' }, { kind: 'throttling' }]),
  },
  {
    at: at('2026-03-25T09:50:00Z'),
    says: 'the next 3 CreateServerlessCacheSnapshot calls hit the snapshot quota',
    apply: (emulator) =>
      emulator.scriptFaults(
        CREATE,
        Array.from({ length: 3 }, () => ({
          kind: 'fault' as const,
          code: 'ServerlessCacheSnapshotQuotaExceededFault',
        })),
      ),
  },
  {
    at: at('2026-03-26T11:50:00Z'),
    says: 'cache sessions is being modified for 100 minutes (no snapshots possible)',
    apply: (emulator) => emulator.setCacheStatus('sessions', 'modifying'),
  },
  {
    at: at('2026-03-26T13:30:00Z'),
    says: 'cache sessions is available again',
    apply: (emulator) => emulator.setCacheStatus('sessions', 'available'),
  },
];

/** A stretch with no ticks at all, [from, to) (the scheduler is down): what it skipped is recorded MISSED. */
export const SCHEDULER_OUTAGE = {
  from: at('2026-03-27T23:50:00Z'),
  to: at('2026-03-28T05:20:00Z'),
  says: 'the scheduler is down for 5 h 30 min (no ticks)',
} as const;

/** Whether the scheduler ticks at `instant` (false during the outage). */
export function schedulerRunsAt(instant: Date): boolean {
  return instant < SCHEDULER_OUTAGE.from || instant >= SCHEDULER_OUTAGE.to;
}
