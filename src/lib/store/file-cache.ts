/**
 * The per-file cache of the incremental ingest (layout.ts `fileCache`).
 *
 * What is cached is the output of `articlesFromFile` (decode -> parse -> clean
 * -> dedupe -> metadata for one file): the articles, rejections and warnings one
 * raw file gives. An entry is reused only when
 *   - the file's path is the same (ids derive from it),
 *   - the SHA-256 of its bytes is the same, and
 *   - the store was written by the same pipeline: the same per-file options and
 *     the same ingest source code (the pipeline fingerprint, fingerprint.ts), so
 *     editing a cleaning rule invalidates everything.
 * The corpus-level stages (cluster, digest) always run again: they depend on
 * every file and are cheap next to parsing.
 */
import type { Article, RawFile, Rejection, Warning } from '../ingest/index.ts';
import { sha256 } from './fingerprint.ts';
import type { Store } from './log-store.ts';

export interface FileResult {
  articles: Article[];
  rejected: Rejection[];
  warnings: Warning[];
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
 * Wraps a per-file function with the cache (a store keyed by raw path, each
 * entry the result's JSON under the file's SHA-256; in memory when the caller
 * keeps no cache): a hit is parsed from its text, so it is already the
 * caller's own copy (no clone), and the hash is compared without parsing.
 * `finish()` lists the entries of files not seen this run (the store drops
 * them when saved) and says whether the store changed.
 */
export function withStoredCache(
  store: Store,
  perFile: (file: RawFile) => FileResult,
  hashOf: (file: RawFile) => string = (file) => sha256(file.bytes),
): { run: (file: RawFile) => FileResult; stats: CacheStats; finish: () => boolean } {
  const stats: CacheStats = { hits: 0, misses: 0, parsed: [], dropped: [] };
  const seen = new Set<string>();
  const run = (file: RawFile): FileResult => {
    seen.add(file.raw);
    const hash = hashOf(file);
    const hit = store.get(file.raw, hash);
    if (hit !== undefined) {
      stats.hits++;
      return JSON.parse(hit) as FileResult;
    }
    stats.misses++;
    stats.parsed.push(file.raw);
    // Stored as JSON would store it, so a hit and a miss give identical records.
    const json = JSON.stringify(perFile(file));
    store.put(file.raw, json, { hash });
    return JSON.parse(json) as FileResult;
  };
  const finish = (): boolean => {
    for (const key of store.keys()) if (!seen.has(key)) stats.dropped.push(key);
    return store.changed;
  };
  return { run, stats, finish };
}
