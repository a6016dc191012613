/**
 * Where the searcher gets the index's files: over HTTP in the browser, from
 * memory in Node (tests, the benchmark). Each file is asked for once: the
 * parsed file (or the download in flight) is kept, so a chunk fetched for
 * one query answers the next ones, offline too. A failed download is not kept,
 * so it is tried again on a later query (back online).
 */
import type { SearchFiles } from './chunks';

export interface IndexSource {
  /** The parsed JSON of a file of the index (path relative to its folder); rejects when it cannot be had. */
  get(path: string): Promise<unknown>;
}

/** Caches what `load` gives per path; forgets failures. */
export function cachedSource(load: (path: string) => Promise<unknown>): IndexSource {
  const kept = new Map<string, Promise<unknown>>();
  return {
    get(path) {
      let p = kept.get(path);
      if (!p) {
        p = load(path);
        kept.set(path, p);
        p.catch(() => {
          if (kept.get(path) === p) kept.delete(path);
        });
      }
      return p;
    },
  };
}

/** The index folder at `baseUrl` (ending in `/`), over fetch. `first` may hand over downloads already started (a preload). */
export function fetchSource(baseUrl: string, first: Record<string, Promise<unknown>> = {}): IndexSource {
  return cachedSource((path) => {
    const started = first[path];
    if (started) {
      delete first[path];
      return started;
    }
    return fetch(baseUrl + path).then((r) => {
      if (!r.ok) throw new Error(`search index: HTTP ${r.status} for ${path}`);
      return r.json();
    });
  });
}

/** An index held in memory as files (chunks.ts), parsed on first use. */
export function filesSource(files: SearchFiles, onGet?: (path: string) => void): IndexSource {
  return cachedSource(async (path) => {
    onGet?.(path);
    const text = files.get(path);
    if (text === undefined) throw new Error(`search index: no file ${path}`);
    return JSON.parse(text);
  });
}
