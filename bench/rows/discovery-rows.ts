import { DESCRIBE_PAGE_SIZE } from '#bench/support/bare-discovery';
import { formatNumber, median } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { DISCOVERY_CONCURRENCY } from '#lib/fleet/fleet-source';

export const SMALL = 100;
export const LARGE = 1_000;
/** Every ElastiCache call held this long by the emulator: a round trip to the API, not loopback's. */
export const LATENCY_MS = 20;
/** Requests a second the emulator answers before Throttling, in the rate-limited run. */
export const RATE_LIMIT = 100;
export const DESCRIBE = 'DescribeServerlessCaches';
export const LIST_TAGS = 'ListTagsForResource';

/** One discovery: its wall and CPU time (this process's), and the calls the emulator answered. */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly describe: number;
  readonly listTags: number;
  readonly throttled: number;
}

/** The samples of the discovery row: ROUNDS of each at both sizes, and the rate-limited run. */
export interface DiscoveryFigures {
  readonly small: { readonly discovery: readonly Sample[]; readonly bare: readonly Sample[] };
  readonly large: { readonly discovery: readonly Sample[]; readonly bare: readonly Sample[] };
  readonly limited: Sample;
}

const calls = (s: Sample) => s.describe + s.listTags;
const perCache = (s: Sample, caches: number) => calls(s) / caches;
const callsText = (s: Sample, caches: number) =>
  `${formatNumber(perCache(s, caches), 3)} per cache (${s.describe} ${DESCRIBE} + ${formatNumber(s.listTags)} ${LIST_TAGS})`;
const wall = (samples: readonly Sample[]) => median(samples.map((s) => s.wallMs));
const cpu = (samples: readonly Sample[]) => median(samples.map((s) => s.cpuMs));
const ms = (value: number, digits = 0) => `${formatNumber(value, digits)} ms`;
/** Pages one after another, then the tag listings DISCOVERY_CONCURRENCY at a time, each LATENCY_MS. */
const ideal = (caches: number) =>
  (Math.ceil(caches / DESCRIBE_PAGE_SIZE) + Math.ceil(caches / DISCOVERY_CONCURRENCY)) * LATENCY_MS;

/** The discovery rows: calls per cache, wall time against the fleet's size and the bare calls, CPU, the limit. */
export function discoveryRows({ small, large, limited }: DiscoveryFigures): Row[] {
  const [firstSmall, firstLarge] = [small.discovery[0] as Sample, large.discovery[0] as Sample];
  const served = calls(limited) - limited.throttled;
  const rate = served / (limited.wallMs / 1000);
  const title = `13. discovery of ${formatNumber(LARGE)} caches`;
  return [
    {
      name: `${title}: API calls`,
      measured: callsText(firstLarge, LARGE),
      baseline: `${formatNumber(SMALL)} caches: ${callsText(firstSmall, SMALL)}`,
      ratio: perCache(firstLarge, LARGE) / perCache(firstSmall, SMALL),
      target: `≤ 1.1 per cache (1 + 1/${DESCRIBE_PAGE_SIZE}: one page per ${DESCRIBE_PAGE_SIZE} caches)`,
      pass: perCache(firstLarge, LARGE) <= 1.1 && perCache(firstSmall, SMALL) <= 1.1,
    },
    {
      name: `${title}: wall time against ${formatNumber(SMALL)} caches, every call ${LATENCY_MS} ms, median of ${large.discovery.length}`,
      measured: `${ms(wall(large.discovery))} (${ms(wall(large.discovery) / LARGE, 2)} per cache)`,
      baseline: `${ms(wall(small.discovery))} (${ms(wall(small.discovery) / SMALL, 2)} per cache)`,
      ratio: wall(large.discovery) / wall(small.discovery),
      target: `≤ ${formatNumber((1.1 * LARGE) / SMALL)} (linear: ${LARGE / SMALL} × the caches, + 10%)`,
      pass: wall(large.discovery) / wall(small.discovery) <= (1.1 * LARGE) / SMALL,
    },
    {
      name: `${title}: wall time against the bare calls at the same concurrency (${DISCOVERY_CONCURRENCY})`,
      measured: ms(wall(large.discovery)),
      baseline: `${ms(wall(large.bare))} bare SDK calls (ideal ${ms(ideal(LARGE))}: pages in turn, then tags ${DISCOVERY_CONCURRENCY} at a time)`,
      ratio: wall(large.discovery) / wall(large.bare),
      target: 'info: 1 = discovery adds no wall time to its calls',
      pass: undefined,
    },
    {
      name: `${title}: CPU per cache (this process, user + system), median of ${large.discovery.length}`,
      measured: `${ms(cpu(large.discovery) / LARGE, 3)} (${formatNumber(SMALL)} caches: ${ms(cpu(small.discovery) / SMALL, 3)})`,
      baseline: `${ms(cpu(large.bare) / LARGE, 3)} bare SDK calls (${formatNumber(SMALL)} caches: ${ms(cpu(small.bare) / SMALL, 3)})`,
      ratio: cpu(large.discovery) / cpu(large.bare),
      target: 'info: what the adapter and the adaptive limit add',
      pass: undefined,
    },
    {
      name: `${title}, the API limited to ${RATE_LIMIT} requests/s: calls, Throttling answers included`,
      measured: `${callsText(limited, LARGE)}, ${limited.throttled} answered Throttling`,
      baseline: `no limit: ${formatNumber(perCache(firstLarge, LARGE), 3)} per cache`,
      ratio: perCache(limited, LARGE) / perCache(firstLarge, LARGE),
      target: '≤ 1.1 per cache',
      pass: perCache(limited, LARGE) <= 1.1,
    },
    {
      name: `${title}, the API limited to ${RATE_LIMIT} requests/s: calls served per second`,
      measured: `${formatNumber(rate, 1)}/s (${ms(limited.wallMs)})`,
      baseline: `${RATE_LIMIT}/s limit`,
      ratio: rate / RATE_LIMIT,
      target: 'info: the adaptive limit keeps close under the limit',
      pass: undefined,
    },
  ];
}
