/**
 * The per-file cache of the incremental ingest. The store is log-store.ts;
 * where it lives, cache-fs.ts.
 *
 * What is cached is the output of `articlesFromFile` (decode -> parse -> clean
 * -> dedupe -> metadata for one file): the articles, rejections and warnings one
 * raw file gives. An entry is reused only when
 *   - the file's path is the same (ids derive from it),
 *   - the SHA-256 of its bytes is the same, and
 *   - the cache was written by the same pipeline: the same per-file options and
 *     the same ingest source code (a fingerprint of src/lib/ingest/** and its
 *     dependencies' lockfile), so editing a cleaning rule invalidates everything.
 * The corpus-level stages (cluster, digest) always run again: they depend on
 * every file and are cheap next to parsing.
 */
import { createHash } from 'node:crypto';
import type { Article, RawFile, Rejection, Warning } from '../ingest/types.ts';
import type { LogStore } from './log-store.ts';

export interface FileResult {
  articles: Article[];
  rejected: Rejection[];
  warnings: Warning[];
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
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
 * Wraps a per-file function with the cache, an append-only store
 * (log-store.ts; in memory when the caller keeps no cache), entry text
 * `<sha256>\t<result JSON>`: a hit is parsed from its text, so it is already
 * the caller's own copy (no clone), and the hash is compared without parsing.
 * `finish()` lists the entries of files not seen this run (the store drops
 * them when saved) and says whether the store changed.
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
