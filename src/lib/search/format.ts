/**
 * The chunked search index on disk (issue #16), shared by the builder
 * (chunks.ts) and the searcher (search.ts). Pure: runs in Node and the browser.
 *
 * A folder of small JSON files under `search-index/`:
 *
 * - `manifest.json` (`SearchManifest`): what a reader downloads first: the
 *   first word of every term chunk, the number of dictionary buckets, the
 *   outlets, and the story count (for idf).
 * - `d/<bucket>.json` (`DictionaryBucket`): the vocabulary by key. A key is a
 *   word's first three letters, or the first three letters of the word with
 *   one of its first three letters deleted (so a typo in the first letters
 *   still meets the right word), or a two-letter prefix with its most
 *   frequent completions (keys.ts). Keys are spread over the buckets by hash.
 *   The searcher expands a query word (itself, completions, typos) from the
 *   buckets of its keys alone.
 * - `t/<name>.json` (`TermChunk`): postings of a run of words in sorted
 *   order, cut where the word itself says (content-defined, so an update moves
 *   no boundary but near a changed word): each word's stories, with the
 *   fields it is in. The manifest's first words say which chunk has a word.
 * - `o/<name>.json` (`OutletChunk`): the stories of an outlet, for the
 *   outlet filter and for query words that are in outlet names (outlet names
 *   are not in the term chunks: the searcher matches query words against the
 *   manifest's outlets).
 * - `r/<story>.json` (`StoryFragment`): what a result shows and fuse.js ranks:
 *   a story (headline, body terms, snippet, date, outlets) with its articles.
 *   Fetched only for the few stories a query ranks highest.
 *
 * Stories are numbered by their date and a hash of their id (`storyNumber`),
 * not by position: a story keeps its number when others come and go, so an
 * update rewrites only the chunks whose words' stories changed, and numbers
 * still sort by date (newest first is the larger number; a date filter is a
 * range of numbers).
 */

export const INDEX_VERSION = 4;

/** The folder, under the site's base, that holds the index. */
export const INDEX_DIR = 'search-index';

/** The fields fuse.js indexes, in key order, with their weights. */
export const FUSE_KEYS = [
  { name: 'title', weight: 3 },
  { name: 'terms', weight: 1.5 },
  { name: 'snippet', weight: 1 },
] as const;

// Field bits of a posting: where in a story (or its articles) a word is.
export const TITLE = 1;
export const TERMS = 2;
export const SNIPPET = 4;
/** In the name of one of its outlets (from the outlet chunks, never stored in a term chunk). */
export const OUTLET = 8;
/** In the title of one of the story's articles that is not titled as the story. */
export const ARTICLE_TITLE = 16;

export interface SearchManifest {
  v: number;
  /** Stories in the index (idf is log(1 + stories / df), df counted in stories). */
  stories: number;
  /** Dictionary buckets: key `k` is in `d/<fnv(k) % buckets>.json`. */
  buckets: number;
  /** First word of each term chunk, ascending: a word is in the last chunk whose first word is <= it. */
  chunks: string[];
  /** Every outlet name, in code-unit order (the client sorts them for display). */
  outlets: string[];
}

/**
 * Dictionary bucket: key -> its words, space-separated; a word that starts
 * with the key as `word:class` (class: `frequencyClass` of its story count),
 * one filed under a deletion key as just `word`.
 */
export type DictionaryBucket = Record<string, string>;

/**
 * A term chunk: words ascending, and per word its postings: story numbers
 * ascending as deltas (`p`, the first from 0) and one field-bits character per
 * story (`m`), both in the `encodeNumbers` alphabet.
 */
export interface TermChunk {
  w: string[];
  p: string[];
  m: string[];
}

/** Outlet name -> its stories' numbers as deltas (several outlets only when their names' hashes collide). */
export type OutletChunk = Record<string, string>;

/** An article of a fragment: id, title ('' when it is the story's headline), outlet, date ('' when undated). */
export type FragmentArticle = [id: string, title: string, outlet: string, date: string];

export interface StoryFragment {
  id: string;
  /** Headline. */
  t: string;
  /** Distinctive body words the headline lacks, space-separated. */
  k: string;
  /** Snippet: dek or first summary sentence, clipped. */
  s: string;
  /** Last date (YYYY-MM-DD), '' when undated. */
  d: string;
  /** Outlets. */
  o: string[];
  a: FragmentArticle[];
}

// ---------------------------------------------------------------------------
// Paths

/** FNV-1a over UTF-16 code units, as an unsigned 32-bit number. Deterministic everywhere. */
export function fnv32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const manifestPath = 'manifest.json';
export const bucketOf = (key: string, buckets: number): number => fnv32(key) % buckets;
export const bucketPath = (bucket: number): string => `d/${bucket}.json`;
/** A term chunk is named by its first word's hash (the builder never cuts where two names would collide). */
export const chunkName = (firstWord: string): string => fnv32(firstWord).toString(36);
export const chunkPath = (firstWord: string): string => `t/${chunkName(firstWord)}.json`;
export const outletPath = (outlet: string): string => `o/${fnv32(outlet).toString(36)}.json`;
export const fragmentPath = (story: number): string => `r/${story.toString(36)}.json`;

/** Index of the chunk holding `word`: the last whose first word is <= it (-1: before every chunk). */
export function chunkIndex(chunks: readonly string[], word: string): number {
  let lo = 0;
  let hi = chunks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid] <= word) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

// ---------------------------------------------------------------------------
// Story numbers

const DAY = 86_400_000;
export const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * Slots per day: 4,096, so a day's few dozen (or few hundred) stories rarely
 * share a hash slot, and a story's number changes only when its date does.
 * Numbers stay below 2^31 until the year ~3300.
 */
export const SLOT_BITS = 12;
export const SLOTS = 1 << SLOT_BITS;
/** Day index 0 holds undated stories; dates count from 1900-01-01 at index SPILL (earlier dates are clamped). */
const DAY_BASE = dayNumber('1900-01-01');
/** Day indices left free after the undated ones, for their overflow (SPILL × SLOTS undated stories). */
const SPILL = 64;

/** Day index of a date ('' or null: undated, 0). */
export function dayIndex(date: string | null | undefined): number {
  if (!date) return 0;
  const day = dayNumber(date);
  if (!Number.isFinite(day)) return 0;
  return Math.max(day - DAY_BASE, 0) + SPILL;
}

/** The first story number of a date's day (for a date filter's bounds). */
export const firstNumberOfDay = (date: string): number => dayIndex(date) * SLOTS;

/**
 * Story numbers: the home slot of a story is its day index × SLOTS plus a
 * hash of its id; taken slots are skipped upwards (linear probing), stories
 * placed in order of home slot, then id. A story keeps its number while its
 * date and id do, unless a new story of the same day takes its home slot
 * first (rare: a day's slots are mostly empty).
 */
export function storyNumbers(stories: ReadonlyArray<{ id: string; date: string | null | undefined }>): number[] {
  // A year's stories share a few hundred dates: each parsed once (Date.parse was most of the cost).
  const days = new Map<string, number>();
  const day = (date: string | null | undefined) => {
    if (!date) return 0;
    let d = days.get(date);
    if (d === undefined) days.set(date, (d = dayIndex(date)));
    return d;
  };
  const home = stories.map((s, i) => ({ i, id: s.id, home: day(s.date) * SLOTS + (fnv32(s.id) & (SLOTS - 1)) }));
  home.sort((a, b) => a.home - b.home || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = new Array<number>(stories.length);
  let last = -1;
  for (const h of home) {
    const n = Math.max(h.home, last + 1);
    out[h.i] = n;
    last = n;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Numbers as text

/**
 * Numbers are written in a 90-character alphabet of printable ASCII that
 * needs no escaping in JSON (`#` to `~` without the backslash): base 45,
 * least significant digit first, a digit from the upper half of the alphabet
 * meaning more digits follow. A day apart in one story's postings (~4,096 ×
 * days) takes 3 characters; a story's field bits take one.
 */
const ALPHABET = (() => {
  let s = '';
  for (let c = 0x23; c < 0x7f; c++) if (c !== 0x5c) s += String.fromCharCode(c);
  return s;
})();
const BASE = 45;
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT_VALUE[ALPHABET.charCodeAt(i)] = i;

/** One number (a non-negative integer below 2^53). */
export function encodeNumber(v: number): string {
  let s = '';
  while (v >= BASE) {
    s += ALPHABET[BASE + (v % BASE)];
    v = Math.floor(v / BASE);
  }
  return s + ALPHABET[v];
}

/** Ascending numbers as deltas (the first from 0). */
export function encodeAscending(values: readonly number[]): string {
  let s = '';
  let prev = 0;
  for (const v of values) {
    if (v < prev) throw new Error('search index: numbers out of order');
    s += encodeNumber(v - prev);
    prev = v;
  }
  return s;
}

/** Reads `encodeAscending`'s text back into `out` (which must have room); returns how many. */
export function decodeAscending(text: string, out: Float64Array | number[]): number {
  let n = 0;
  let prev = 0;
  let v = 0;
  let scale = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? DIGIT_VALUE[c] : -1;
    if (d < 0) throw new Error('search index: bad number text');
    if (d >= BASE) {
      v += (d - BASE) * scale;
      scale *= BASE;
    } else {
      v += d * scale;
      prev += v;
      out[n++] = prev;
      v = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new Error('search index: truncated number text');
  return n;
}

/** How many numbers `encodeAscending` wrote into `text` (its final digits). */
export function countNumbers(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (DIGIT_VALUE[text.charCodeAt(i)] < BASE) n++;
  return n;
}

/** Field bits (0-31) as one character each. */
export const encodeMask = (mask: number): string => ALPHABET[mask];
export const decodeMask = (text: string, i: number): number => DIGIT_VALUE[text.charCodeAt(i)];

/**
 * A word's frequency class: its story count on a log scale, one class per
 * doubling from RARE_STORIES up (under it: 0; 8-15: 1; 16-31: 2; …).
 * Dictionary entries carry the class, not the count, so a few more stories
 * with a word rewrite its dictionary buckets only when it doubles (and never
 * while it is rare: most words are, and their counts change most often); the
 * count itself comes with the postings. Classes rank completions and typo
 * candidates, where rare words need not be told apart.
 */
const RARE_STORIES = 8;
export const frequencyClass = (df: number): number => (df < RARE_STORIES ? 0 : Math.floor(Math.log2(df / RARE_STORIES)) + 1);
/** About how many stories a word of this class is in (the middle of its range). */
export const classFrequency = (c: number): number => (c === 0 ? RARE_STORIES / 2 : 0.75 * RARE_STORIES * 2 ** c);

// ---------------------------------------------------------------------------
// fuse.js records

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
