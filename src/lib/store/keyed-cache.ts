/**
 * The shape shared by the ingest's cache files (digest-cache.ts, render-cache.ts):
 * entries under content hashes, valid only for one format version and one
 * pipeline fingerprint (the code and options that produced them). Anything
 * else read back (another version, another fingerprint, corrupt JSON) is an
 * empty cache, never an error. Pure: the file I/O is in cache-fs.ts.
 */

export interface KeyedCache<V> {
  version: number;
  /** Fingerprint of the code and options that produced the entries. */
  pipeline: string;
  /** Input hash -> cached value. */
  entries: Record<string, V>;
}

export function emptyKeyedCache<V>(version: number, pipeline: string): KeyedCache<V> {
  return { version, pipeline, entries: {} };
}

export function parseKeyedCache<V>(text: string | null, version: number, pipeline: string): KeyedCache<V> {
  if (!text) return emptyKeyedCache(version, pipeline);
  try {
    const data = JSON.parse(text) as Partial<KeyedCache<V>>;
    if (data.version !== version || data.pipeline !== pipeline || !data.entries || typeof data.entries !== 'object') {
      return emptyKeyedCache(version, pipeline);
    }
    return { version, pipeline, entries: data.entries };
  } catch {
    return emptyKeyedCache(version, pipeline);
  }
}

/** Stable bytes: entries sorted by key. */
export function serializeKeyedCache<V>(cache: KeyedCache<V>): string {
  const entries: Record<string, V> = {};
  for (const key of Object.keys(cache.entries).sort()) entries[key] = cache.entries[key];
  return JSON.stringify({ version: cache.version, pipeline: cache.pipeline, entries });
}

/** Drops the entries whose keys this run did not use (inputs gone or changed); true when any went. */
export function dropUnused<V>(cache: KeyedCache<V>, used: Set<string>): boolean {
  let dropped = false;
  for (const key of Object.keys(cache.entries)) {
    if (!used.has(key)) {
      delete cache.entries[key];
      dropped = true;
    }
  }
  return dropped;
}
