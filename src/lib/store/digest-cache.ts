/**
 * Per-story digest cache. Pure: the file I/O is in ingest-fs.ts.
 *
 * A story's digest (digest.ts) depends only on its context (id, related
 * stories), its member articles, their assignments (story, copyOf, score,
 * shared), the digest options and the code. The key hashes all of these (the
 * code through the pipeline fingerprint, cache-fs.ts), so a rebuild after one
 * drop-in re-digests only the stories whose members or links changed, and a
 * cached record is exactly what a fresh computation gives (test/digest-cache.test.ts).
 *
 * Records are kept as JSON would store them; fresh ones are passed through JSON
 * too, so a hit and a miss give identical objects, not only identical bytes.
 */
import type { Story } from '../schema.ts';
import type { Article, Assignment } from '../ingest/types.ts';
import { sha256 } from './file-cache.ts';
import { dropUnused, emptyKeyedCache, parseKeyedCache, serializeKeyedCache, type KeyedCache } from './keyed-cache.ts';
import type { DigestOptions, StoryContext } from '../ingest/digest/digest.ts';

export const DIGEST_CACHE_VERSION = 1;

export type DigestCache = KeyedCache<Story>;

export type StoryDigester = (story: StoryContext, members: Article[], assignments: Map<string, Assignment>, options: Partial<DigestOptions>) => Story;

export function emptyDigestCache(pipeline: string): DigestCache {
  return emptyKeyedCache(DIGEST_CACHE_VERSION, pipeline);
}

export function parseDigestCache(text: string | null, pipeline: string): DigestCache {
  return parseKeyedCache<Story>(text, DIGEST_CACHE_VERSION, pipeline);
}

export const serializeDigestCache: (cache: DigestCache) => string = serializeKeyedCache;

/** Everything a story's digest reads, hashed. */
export function digestKey(story: StoryContext, members: Article[], assignments: Map<string, Assignment>, options: Partial<DigestOptions>): string {
  const parts = [JSON.stringify({ id: story.id, related: story.related ?? null, options })];
  for (const a of members) parts.push(JSON.stringify(a), JSON.stringify(assignments.get(a.id) ?? null));
  return sha256(parts.join('\n'));
}

export interface DigestCacheStats {
  hits: number;
  misses: number;
}

/**
 * Wraps a digester with the cache. `finish()` drops entries not used this run
 * (stories gone or changed) and says whether the cache changed. `lookup` and
 * `store` let a caller digest the misses elsewhere (on worker threads) and
 * record them after: `store` keeps the record as JSON would and returns a copy.
 */
export function withDigestCache(
  cache: DigestCache,
  digester: StoryDigester,
): {
  digest: StoryDigester;
  lookup: (key: string) => Story | undefined;
  store: (key: string, story: Story) => Story;
  stats: DigestCacheStats;
  finish: () => boolean;
} {
  const stats: DigestCacheStats = { hits: 0, misses: 0 };
  const used = new Set<string>();
  let changed = false;
  const lookup = (key: string): Story | undefined => {
    used.add(key);
    const hit = cache.entries[key];
    if (!hit) return undefined;
    stats.hits++;
    return structuredClone(hit);
  };
  const store = (key: string, story: Story): Story => {
    used.add(key);
    stats.misses++;
    const fresh = JSON.parse(JSON.stringify(story)) as Story;
    cache.entries[key] = fresh;
    changed = true;
    return structuredClone(fresh);
  };
  const run: StoryDigester = (story, members, assignments, options) => {
    const key = digestKey(story, members, assignments, options);
    return lookup(key) ?? store(key, digester(story, members, assignments, options));
  };
  const finish = (): boolean => dropUnused(cache, used) || changed;
  return { digest: run, lookup, store, stats, finish };
}
