/**
 * Per-story digest cache (layout.ts `digestCache`).
 *
 * A story's digest (ingest/pipeline.ts `digestStory`) depends only on its
 * context (id, related stories, an editor's notes), its member articles, their assignments (story, copyOf,
 * score, shared), the digest options and the code. The key hashes all of
 * these (the code through the store's pipeline fingerprint), so a rebuild
 * after one drop-in re-digests only the stories whose members or links
 * changed, and a cached record is exactly what a fresh computation gives
 * (test/digest-cache.test.ts).
 *
 * Records are kept as JSON would store them, and parsed on each use; fresh
 * ones are passed through JSON too, so a hit and a miss give identical
 * objects, not only identical bytes.
 */
import type { Story } from '../schema.ts';
import type { Article, Assignment, DigestOptions, StoryInput } from '../ingest/index.ts';
import { sha256 } from './fingerprint.ts';
import type { Store } from './log-store.ts';

export type StoryDigester = (story: StoryInput, members: Article[], assignments: Map<string, Assignment>, options: Partial<DigestOptions>) => Story;

/** Everything a story's digest reads, hashed: the entry's key. */
export function digestKey(story: StoryInput, members: Article[], assignments: Map<string, Assignment>, options: Partial<DigestOptions>): string {
  const parts = [JSON.stringify({ id: story.id, related: story.related ?? null, editor: story.editor ?? null, options })];
  for (const a of members) parts.push(JSON.stringify(a), JSON.stringify(assignments.get(a.id) ?? null));
  return sha256(parts.join('\n'));
}

export interface DigestCacheStats {
  hits: number;
  misses: number;
}

/**
 * Wraps a digester with the cache. `finish()` says whether the store changed
 * (entries not used this run, stories gone or changed, are dropped when it is
 * saved). `lookup` and `record` let a caller digest the misses elsewhere (on
 * worker threads) and record them after: `record` keeps the story as JSON
 * would and returns a copy.
 */
export function withDigestCache(
  store: Store,
  digester: StoryDigester,
): {
  digest: StoryDigester;
  lookup: (key: string) => Story | undefined;
  record: (key: string, story: Story) => Story;
  stats: DigestCacheStats;
  finish: () => boolean;
} {
  const stats: DigestCacheStats = { hits: 0, misses: 0 };
  const lookup = (key: string): Story | undefined => {
    const hit = store.get(key);
    if (hit === undefined) return undefined;
    stats.hits++;
    return JSON.parse(hit) as Story;
  };
  const record = (key: string, story: Story): Story => {
    stats.misses++;
    const json = JSON.stringify(story);
    store.put(key, json);
    return JSON.parse(json) as Story;
  };
  const run: StoryDigester = (story, members, assignments, options) => {
    const key = digestKey(story, members, assignments, options);
    return lookup(key) ?? record(key, digester(story, members, assignments, options));
  };
  return { digest: run, lookup, record, stats, finish: () => store.changed };
}
