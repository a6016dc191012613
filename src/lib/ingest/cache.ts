/**
 * The per-file cache of the incremental ingest. Pure: the file I/O is in
 * cache-fs.ts.
 *
 * What is cached is the output of `articlesFromFile` (decode -> parse -> clean
 * -> dedupe -> metadata for one file): the articles, rejections and warnings one
 * raw file gives. An entry is reused only when
 *   - the file's path is the same (ids derive from it),
 *   - the SHA-256 of its bytes is the same, and
 *   - the cache was written by the same pipeline: the same per-file options and
 *     the same ingest source code (a fingerprint of src/lib/ingest and its
 *     dependencies' lockfile), so editing a cleaning rule invalidates everything.
 * The corpus-level stages (cluster, digest) always run again: they depend on
 * every file and are cheap next to parsing.
 */
import { createHash } from 'node:crypto';
import type { Article, RawFile, Rejection, Warning } from './types.ts';
import type { LogStore } from './log-store.ts';

export const CACHE_VERSION = 1;

export interface FileResult {
  articles: Article[];
  rejected: Rejection[];
  warnings: Warning[];
}

export interface CacheEntry {
  hash: string;
  result: FileResult;
}

export interface FileCache {
  version: number;
  /** Fingerprint of the pipeline (code + options) that produced the entries. */
  pipeline: string;
  entries: Record<string, CacheEntry>;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function emptyCache(pipeline: string): FileCache {
  return { version: CACHE_VERSION, pipeline, entries: {} };
}

/** A cache read from disk, or an empty one when it is missing, malformed or from another pipeline. */
export function parseCache(text: string | null, pipeline: string): FileCache {
  if (!text) return emptyCache(pipeline);
  try {
    const data = JSON.parse(text) as Partial<FileCache>;
    if (data.version !== CACHE_VERSION || data.pipeline !== pipeline || !data.entries || typeof data.entries !== 'object') {
      return emptyCache(pipeline);
    }
    return { version: CACHE_VERSION, pipeline, entries: data.entries };
  } catch {
    return emptyCache(pipeline);
  }
}

/** Stable bytes: entries sorted by path. */
export function serializeCache(cache: FileCache): string {
  const entries: Record<string, CacheEntry> = {};
  for (const key of Object.keys(cache.entries).sort()) entries[key] = cache.entries[key];
  return JSON.stringify({ version: cache.version, pipeline: cache.pipeline, entries });
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Paths of raw files parsed this run (new or changed). */
  parsed: string[];
  /** Paths whose entries were dropped because the file is gone. */
  dropped: string[];
}

/**
 * Wraps a per-file function with the cache. Returns the wrapped function, and
 * `finish()` which drops entries of files not seen this run and says whether
 * the cache changed (so it is written only then).
 */
export function withCache(
  cache: FileCache,
  perFile: (file: RawFile) => FileResult,
  /** The file's SHA-256, when the caller already has it. */
  hashOf: (file: RawFile) => string = (file) => sha256(file.bytes),
): { run: (file: RawFile) => FileResult; stats: CacheStats; finish: () => boolean } {
  const stats: CacheStats = { hits: 0, misses: 0, parsed: [], dropped: [] };
  const seen = new Set<string>();
  let changed = false;
  const run = (file: RawFile): FileResult => {
    seen.add(file.raw);
    const hash = hashOf(file);
    const hit = cache.entries[file.raw];
    if (hit && hit.hash === hash) {
      stats.hits++;
      // A copy: later stages must not mutate what the cache holds.
      return structuredClone(hit.result);
    }
    stats.misses++;
    stats.parsed.push(file.raw);
    const result = perFile(file);
    // Stored as JSON would store it, so a hit and a miss give identical records.
    cache.entries[file.raw] = { hash, result: JSON.parse(JSON.stringify(result)) as FileResult };
    changed = true;
    return structuredClone(cache.entries[file.raw].result);
  };
  const finish = (): boolean => {
    for (const key of Object.keys(cache.entries)) {
      if (!seen.has(key)) {
        delete cache.entries[key];
        stats.dropped.push(key);
        changed = true;
      }
    }
    return changed;
  };
  return { run, stats, finish };
}

/**
 * `withCache` over the on-disk store (log-store.ts), entry text
 * `<sha256>\t<result JSON>`: a hit is parsed from its text, so it is already
 * the caller's own copy (no clone), and the hash is compared without parsing.
 */
export function withStoredCache(
  store: LogStore,
  perFile: (file: RawFile) => FileResult,
  hashOf: (file: RawFile) => string = (file) => sha256(file.bytes),
): { run: (file: RawFile) => FileResult; stats: CacheStats; finish: () => boolean } {
  const stats: CacheStats = { hits: 0, misses: 0, parsed: [], dropped: [] };
  const seen = new Set<string>();
  const run = (file: RawFile): FileResult => {
    seen.add(file.raw);
    const hash = hashOf(file);
    if (storedHash(store, file.raw) === hash) {
      stats.hits++;
      return JSON.parse(store.get(file.raw)!.slice(hash.length + 1)) as FileResult;
    }
    stats.misses++;
    stats.parsed.push(file.raw);
    // Stored as JSON would store it, so a hit and a miss give identical records.
    const json = JSON.stringify(perFile(file));
    store.set(file.raw, `${hash}\t${json}`);
    return JSON.parse(json) as FileResult;
  };
  const finish = (): boolean => {
    for (const key of store.keys()) if (!seen.has(key)) stats.dropped.push(key);
    return store.changed;
  };
  return { run, stats, finish };
}

/** The SHA-256 of the file a stored entry was made from. */
export function storedHash(store: LogStore, raw: string): string | undefined {
  const text = store.peek(raw);
  return text === undefined ? undefined : text.slice(0, text.indexOf('\t'));
}
