/** The shape of `search-index.json`, shared by the builder and the searcher. */

export const INDEX_VERSION = 3;

/** The fields fuse.js indexes, in key order, with their weights. */
export const FUSE_KEYS = [
  { name: 'title', weight: 3 },
  { name: 'terms', weight: 1.5 },
  { name: 'snippet', weight: 1 },
] as const;

export type FuseField = (typeof FUSE_KEYS)[number]['name'];

/**
 * Columns rather than objects, and each text column one string with a line
 * per record: at 10,000 articles, property names, per-record structure and
 * tens of thousands of small strings would cost bytes and, on the client,
 * parse time; one long string parses fast and is read in one pass.
 *
 * Records are each story (in site order) followed by its articles (by id);
 * articles without a known story come last. Keeping a story's articles next
 * to it lets gzip share their repeated outlet names.
 */
export interface SearchIndexData {
  v: number;
  /** Per story, in record order: how many article records follow it. */
  storySize: number[];
  /** Article records after the last story's that belong to no known story. */
  orphans: number;
  /** Record ids, one a line. */
  ids: string;
  /** Stories: YYYY-MM-DD or ''. */
  storyDates: string[];
  /** Stories: indices into `outlets`. */
  storyOutlets: number[][];
  /** Articles, in record order: days after (negative: before) the story's date; null when undated or the story is. */
  articleDay: (number | null)[];
  /** Articles, in record order: index into `outlets`. */
  articleOutlet: number[];
  outlets: string[];
  /** fuse.js's keys, as `Fuse.createIndex(FUSE_KEYS, …).toJSON().keys` gives them. */
  keys: { path: string[]; id: string; weight: number; src: string | string[] }[];
  /**
   * Per key of FUSE_KEYS, every record's value, one a line ('' for none; no
   * value holds a newline). An article's title line is empty when the title
   * is its story's headline (a blank title is stored as a space). fuse.js's
   * index records are these values with their norms (`fuseNorm`), which the
   * client computes for the few records it ranks (`fuseRecord`).
   */
  text: string[];
}

/** A fuse.js index record, as `FuseIndex.toJSON()` gives and `Fuse.parseIndex` takes. */
export interface FuseRecord {
  i: number;
  $: Record<string, { v: string; n: number }>;
}

/**
 * fuse.js's field-length norm of a value (`FuseIndex` with the default
 * `fieldNormWeight` 1, three decimals): 1/√(words), words split on white space.
 * The same as fuse.js 7 computes in `createIndex`; a test checks it.
 */
export function fuseNorm(value: string): number {
  let tokens = 0;
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 9 && c <= 13) || c === 32 || c === 160) inWord = false;
    else if (!inWord) {
      tokens++;
      inWord = true;
    }
  }
  return Math.round(1000 / Math.sqrt(tokens || 1)) / 1000;
}

/** A fuse.js index record numbered `i` from a record's values in key order (blank values are left out, as fuse.js does). */
export function fuseRecord(values: readonly string[], i: number): FuseRecord {
  const $: FuseRecord['$'] = {};
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v && v.trim().length) $[k] = { v, n: fuseNorm(v) };
  }
  return { i, $ };
}

/** Every record's values in key order, titles inherited from stories resolved: what `Fuse.createIndex` was given. */
export function recordValues(data: SearchIndexData): string[][] {
  const columns = data.text.map((t) => t.split('\n'));
  const size = data.storySize.length + data.storySize.reduce((a, b) => a + b, 0) + data.orphans;
  const out: string[][] = [];
  let r = 0;
  data.storySize.forEach((n) => {
    const story = r;
    out.push(columns.map((c) => c[story] ?? ''));
    r++;
    for (let k = 0; k < n; k++, r++) out.push(columns.map((c, key) => (key === 0 && c[r] === '' ? c[story] : c[r]) ?? ''));
  });
  for (; r < size; r++) out.push(columns.map((c) => c[r] ?? ''));
  return out;
}

/** The fuse.js index records of the whole index: what `Fuse.createIndex(FUSE_KEYS, records).toJSON().records` gives. */
export function toFuseRecords(data: SearchIndexData): FuseRecord[] {
  return recordValues(data).map((values, i) => fuseRecord(values, i));
}

const DAY = 86_400_000;
export const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
