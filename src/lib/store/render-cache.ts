/**
 * The render cache: for each collection file, the hash of the record it was
 * rendered from, the hash of its bytes, and its stat (size, mtime, inode) as
 * written. A file whose record is unchanged and whose stat is still the one
 * recorded holds exactly the bytes that record renders to, so a rebuild after a
 * drop-in neither renders it (gray-matter + js-yaml + schema validation, about
 * 0.1 ms each) nor reads it to compare: it renders, reads and writes only the
 * few files whose record changed. The rendered text itself is not kept (it was
 * 36 MB to read and rewrite at 10,000 articles).
 *
 * The stat is trusted the way git's index and content-cache.ts trust it: every
 * write goes through a rename (new inode), and an edit in place changes the
 * mtime or size; a file edited by hand is read, found different and restored.
 * Pure: the file I/O is in ingest-fs.ts and cache-fs.ts.
 */
import { sha256 } from './file-cache.ts';
import { emptyKeyedCache, parseKeyedCache, serializeKeyedCache, type KeyedCache } from './keyed-cache.ts';

// Still 1 although the entries changed shape: the pipeline fingerprint covers this
// file's source, so a cache of the old shape is never read back.
export const RENDER_CACHE_VERSION = 1;

/** Record hash, SHA-256 of the file's bytes, the file's stat when written (statKey). */
export type RenderEntry = [record: string, output: string, stat: string];

/** Collection path (`articles/<id>.md`) -> what it was rendered from. */
export type RenderCache = KeyedCache<RenderEntry>;

export function emptyRenderCache(pipeline: string): RenderCache {
  return emptyKeyedCache(RENDER_CACHE_VERSION, pipeline);
}

export function parseRenderCache(text: string | null, pipeline: string): RenderCache {
  return parseKeyedCache<RenderEntry>(text, RENDER_CACHE_VERSION, pipeline);
}

export const serializeRenderCache: (cache: RenderCache) => string = serializeKeyedCache;

/** The stat that stands for a file's bytes; the same string the output stamp hashes (ingest-fs.ts). */
export function statKey(s: { size: number; mtimeMs: number; ino: number }): string {
  return `${s.size}\0${s.mtimeMs}\0${s.ino}`;
}

/** A record's hash: its kind and its JSON (the caller's, so a record is stringified once). */
export function recordKey(kind: string, json: string): string {
  return sha256(`${kind}\0${json}`);
}
