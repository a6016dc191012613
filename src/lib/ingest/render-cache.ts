/**
 * Cache of rendered article files (render.ts): an article's Markdown file is a
 * pure function of its record, so it is kept under a hash of that record and
 * the pipeline fingerprint (the code, cache-fs.ts). A rebuild after a drop-in
 * renders only the articles whose record changed instead of all of them
 * (gray-matter + js-yaml + schema validation, about 0.1 ms each, 10,000 times).
 * Pure: the file I/O is in cache-fs.ts.
 */
import { sha256 } from './cache.ts';
import { dropUnused, emptyKeyedCache, parseKeyedCache, serializeKeyedCache, type KeyedCache } from './keyed-cache.ts';

export const RENDER_CACHE_VERSION = 1;

export type RenderCache = KeyedCache<string>;

export function emptyRenderCache(pipeline: string): RenderCache {
  return emptyKeyedCache(RENDER_CACHE_VERSION, pipeline);
}

export function parseRenderCache(text: string | null, pipeline: string): RenderCache {
  return parseKeyedCache<string>(text, RENDER_CACHE_VERSION, pipeline);
}

export const serializeRenderCache: (cache: RenderCache) => string = serializeKeyedCache;

/** Wraps a renderer; `finish()` drops entries not used this run and says whether the cache changed. */
export function withRenderCache<T>(cache: RenderCache, render: (record: T) => string): { render: (record: T) => string; finish: () => boolean } {
  const used = new Set<string>();
  let changed = false;
  const run = (record: T): string => {
    const key = sha256(JSON.stringify(record));
    used.add(key);
    const hit = cache.entries[key];
    if (typeof hit === 'string') return hit;
    const text = render(record);
    cache.entries[key] = text;
    changed = true;
    return text;
  };
  const finish = (): boolean => dropUnused(cache, used) || changed;
  return { render: run, finish };
}
