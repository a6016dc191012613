/**
 * Cache of rendered article files (render.ts): an article's Markdown file is a
 * pure function of its record, so it is kept under a hash of that record and
 * the pipeline fingerprint (the code, cache-fs.ts). A rebuild after a drop-in
 * renders only the articles whose record changed instead of all of them
 * (gray-matter + js-yaml + schema validation, about 0.1 ms each, 10,000 times).
 * Pure: the file I/O is in cache-fs.ts.
 */
import { sha256 } from './cache.ts';

export const RENDER_CACHE_VERSION = 1;

export interface RenderCache {
  version: number;
  pipeline: string;
  /** Hash of the record -> the file's text. */
  entries: Record<string, string>;
}

export function emptyRenderCache(pipeline: string): RenderCache {
  return { version: RENDER_CACHE_VERSION, pipeline, entries: {} };
}

export function parseRenderCache(text: string | null, pipeline: string): RenderCache {
  if (!text) return emptyRenderCache(pipeline);
  try {
    const data = JSON.parse(text) as Partial<RenderCache>;
    if (data.version !== RENDER_CACHE_VERSION || data.pipeline !== pipeline || !data.entries || typeof data.entries !== 'object') {
      return emptyRenderCache(pipeline);
    }
    return { version: RENDER_CACHE_VERSION, pipeline, entries: data.entries };
  } catch {
    return emptyRenderCache(pipeline);
  }
}

/** Stable bytes: entries sorted by key. */
export function serializeRenderCache(cache: RenderCache): string {
  const entries: Record<string, string> = {};
  for (const key of Object.keys(cache.entries).sort()) entries[key] = cache.entries[key];
  return JSON.stringify({ version: cache.version, pipeline: cache.pipeline, entries });
}

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
  const finish = (): boolean => {
    for (const key of Object.keys(cache.entries)) {
      if (!used.has(key)) {
        delete cache.entries[key];
        changed = true;
      }
    }
    return changed;
  };
  return { render: run, finish };
}
