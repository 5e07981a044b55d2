import { attributeSchemas } from '#lib/policy/attribute-schemas';
import type { CacheSeed, Emulator } from '#local/emulator/index';

/**
 * What the cache commands change: the emulator's caches. `removeCache` (a cache gone at once, as after a
 * DeleteServerlessCache has run its course) is optional: an emulator without it marks the cache `deleting`
 * instead, which is where a real deletion starts.
 */
export type CacheControls = Pick<Emulator, 'seedCache' | 'setCacheStatus' | 'caches'> & {
  readonly removeCache?: (name: string) => void;
};

const ENGINES = ['valkey', 'redis', 'memcached'] as const;

/** The commands `npm start -- --serve` reads on its stdin, one per line, as serve prints them. */
export const CACHE_COMMANDS_HELP: readonly string[] = [
  '  cache add <name> [--engine valkey|redis|memcached] [key=value ...]   a serverless cache, with tags',
  '  cache remove <name>                                                  the cache is deleted (snapshots stay)',
  '  cache list                                                           every cache, its engine, status, tags',
];

function addCache(controls: CacheControls, name: string | undefined, options: readonly string[]): string[] {
  if (name === undefined) return ['error: cache add needs a name'];
  if (!attributeSchemas.cacheName.safeParse(name).success) {
    return [
      `error: ${JSON.stringify(name)} is not a serverless cache name (lowercase letters, digits, hyphens)`,
    ];
  }
  const seed: { name: string; engine?: string; tags: Record<string, string> } = { name, tags: {} };
  for (let index = 0; index < options.length; index += 1) {
    const option = options[index] ?? '';
    if (option === '--engine') {
      const engine = options[++index];
      if (!ENGINES.includes(engine as (typeof ENGINES)[number])) {
        return [`error: --engine takes ${ENGINES.join(', ')}`];
      }
      seed.engine = engine;
      continue;
    }
    const equals = option.indexOf('=');
    if (equals < 1) return [`error: ${JSON.stringify(option)} is not a tag (key=value) or --engine`];
    seed.tags[option.slice(0, equals)] = option.slice(equals + 1);
  }
  const existed = controls.caches().some((cache) => cache.name === name);
  const cache = controls.seedCache(seed satisfies CacheSeed);
  return [
    `cache ${cache.name} (${cache.engine}) ${existed ? 'replaced' : 'added'}, tags ${JSON.stringify(cache.tags)}`,
  ];
}

function removeCache(controls: CacheControls, name: string | undefined): string[] {
  if (name === undefined) return ['error: cache remove needs a name'];
  if (!controls.caches().some((cache) => cache.name === name)) return [`error: no cache named ${name}`];
  if (controls.removeCache) {
    controls.removeCache(name);
    return [`cache ${name} removed (its snapshots stay)`];
  }
  controls.setCacheStatus(name, 'deleting');
  return [`cache ${name} is deleting (this emulator cannot drop a cache yet: it stays listed as deleting)`];
}

function listCaches(controls: CacheControls): string[] {
  const caches = controls.caches();
  if (caches.length === 0) return ['no caches'];
  return caches.map(
    (cache) => `${cache.name}  ${cache.engine}  ${cache.status}  ${JSON.stringify(cache.tags)}`,
  );
}

/**
 * Runs one line typed into `npm start -- --serve` (CACHE_COMMANDS_HELP) on the emulator and returns the
 * lines to print: what changed, or `error: …` for a line it does not understand. Blank lines do nothing.
 */
export function runCacheCommand(controls: CacheControls, line: string): string[] {
  const [command, action, name, ...options] = line.trim().split(/\s+/).filter(Boolean);
  if (command === undefined) return [];
  if (command === 'cache' && action === 'add') return addCache(controls, name, options);
  if (command === 'cache' && action === 'remove') return removeCache(controls, name);
  if (command === 'cache' && action === 'list') return listCaches(controls);
  const help = ['commands:', ...CACHE_COMMANDS_HELP];
  return command === 'help' ? help : [`error: unknown command ${JSON.stringify(line.trim())}`, ...help];
}
