/** The shape of `search-index.json`, shared by the builder and the searcher. */

export const INDEX_VERSION = 1;

/** The fields fuse.js indexes, in key order, with their weights. */
export const FUSE_KEYS = [
  { name: 'title', weight: 3 },
  { name: 'terms', weight: 1.5 },
  { name: 'snippet', weight: 1 },
] as const;

export type FuseField = (typeof FUSE_KEYS)[number]['name'];

/**
 * One record: kind (0 story, 1 article), id, date (YYYY-MM-DD or ''),
 * the record index of the article's story (-1 for stories), outlet indices.
 * Arrays rather than objects: the property names would be most of the bytes.
 */
export type IndexDoc = [kind: 0 | 1, id: string, date: string, story: number, outlets: number[]];

/** A value of a fuse.js index record: the text and its field-length norm. */
export interface FuseValue {
  v: string;
  n: number;
}

export interface SearchIndexData {
  v: number;
  outlets: string[];
  docs: IndexDoc[];
  /** `Fuse.createIndex(...).toJSON()`, with each record's `i` (its position) dropped. */
  fuse: {
    keys: { path: string[]; id: string; weight: number; src: string | string[] }[];
    records: Record<string, FuseValue>[];
  };
}
