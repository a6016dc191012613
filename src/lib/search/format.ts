/** The shape of `search-index.json`, shared by the builder and the searcher. */

export const INDEX_VERSION = 2;

/** The fields fuse.js indexes, in key order, with their weights. */
export const FUSE_KEYS = [
  { name: 'title', weight: 3 },
  { name: 'terms', weight: 1.5 },
  { name: 'snippet', weight: 1 },
] as const;

export type FuseField = (typeof FUSE_KEYS)[number]['name'];

/**
 * Columns rather than objects: at 10,000 articles, property names and
 * per-record structure would be a large share of the bytes.
 *
 * Records are each story (in site order) followed by its articles (by id);
 * articles without a known story come last. Keeping a story's articles next
 * to it lets gzip share their repeated titles and outlet names.
 */
export interface SearchIndexData {
  v: number;
  /** Per story, in record order: how many article records follow it. */
  storySize: number[];
  /** Article records after the last story's that belong to no known story. */
  orphans: number;
  ids: string[];
  /** Stories: YYYY-MM-DD or ''. */
  storyDates: string[];
  /** Stories: indices into `outlets`. */
  storyOutlets: number[][];
  /** Articles, in record order: days after (negative: before) the story's date; null when undated or the story is. */
  articleDay: (number | null)[];
  /** Articles, in record order: index into `outlets`. */
  articleOutlet: number[];
  outlets: string[];
  /**
   * `Fuse.createIndex(FUSE_KEYS, records).toJSON()`, stored by column: for
   * key `k`, `values[k][r]` and `norms[k][r]` are record `r`'s `{v, n}`
   * (`''`/0 where fuse.js stored nothing). `toFuseRecords` turns it back.
   */
  fuse: {
    keys: { path: string[]; id: string; weight: number; src: string | string[] }[];
    values: string[][];
    norms: number[][];
  };
}

/** A fuse.js index record, as `FuseIndex.toJSON()` gives and `Fuse.parseIndex` takes. */
export interface FuseRecord {
  i: number;
  $: Record<string, { v: string; n: number }>;
}

/** Record `r` of the stored columns as a fuse.js index record numbered `i`. */
export function fuseRecord(fuse: SearchIndexData['fuse'], r: number, i = r): FuseRecord {
  const $: FuseRecord['$'] = {};
  for (let k = 0; k < fuse.values.length; k++) {
    const v = fuse.values[k][r];
    if (v) $[k] = { v, n: fuse.norms[k][r] };
  }
  return { i, $ };
}

/** The fuse.js records of the stored columns: what `FuseIndex.toJSON()` gave. */
export function toFuseRecords(fuse: SearchIndexData['fuse']): FuseRecord[] {
  return Array.from({ length: fuse.values[0]?.length ?? 0 }, (_, r) => fuseRecord(fuse, r));
}

const DAY = 86_400_000;
export const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
