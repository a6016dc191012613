/**
 * Files the story records (build.ts) into the chunked index (format.ts): the
 * manifest, dictionary buckets, term chunks, outlet chunks and one fragment
 * per story. Pure and deterministic: the same records give byte-identical
 * files, whatever order the stories came in.
 *
 * Made to be cheap to update: a story's number, its fragment's name, a term
 * chunk's boundaries and a dictionary key's bucket depend on the story, the
 * words and the keys themselves, not on positions in the whole archive. A
 * drop-in that changes a few stories rewrites their fragments, the term
 * chunks of their words, the dictionary buckets of words that are new or
 * changed frequency class, the outlet chunks of their outlets, and the
 * manifest (`changedFiles` lists them).
 */
import { tokenize } from './text';
import { STOPWORDS } from './text';
import type { StoryRecord } from './build';
import { shortPrefix, SHORT_COMPLETIONS, wordKeys } from './keys';
import {
  ARTICLE_TITLE,
  bucketOf,
  bucketPath,
  chunkName,
  chunkPath,
  encodeAscending,
  encodeMask,
  fnv32,
  fragmentPath,
  frequencyClass,
  INDEX_VERSION,
  manifestPath,
  outletPath,
  SNIPPET,
  storyNumbers,
  TERMS,
  TITLE,
  type DictionaryBucket,
  type OutletChunk,
  type SearchManifest,
  type StoryFragment,
  type TermChunk,
} from './format';

export interface ChunkOptions {
  /** A term chunk is not cut before it holds this many bytes of postings and words… */
  chunkMin: number;
  /** …and then before a word whose hash is a multiple of this (on average every so many words). */
  cutEvery: number;
  /** Nor does it grow past this (a cut is forced). */
  chunkMax: number;
  /** A word with this many bytes of postings or more is a chunk of its own. */
  bigWord: number;
  /** Dictionary bytes per bucket aimed at: the bucket count is the power of two that gives about this. */
  bucketBytes: number;
}

/**
 * Tuning (measured on the benchmark corpus, docs/search.md): a query word
 * fetches one term chunk, so chunks are small (1.5-12 KB raw, mean ~2.5 KB at
 * 10,000 articles, ~7 KB at 100,000 where each word has more postings); a
 * cut every ~32 words past the minimum keeps the manifest's list of first
 * words to a few KB. Buckets of ~3 KB: a query word needs up to four.
 */
export const defaultChunkOptions: ChunkOptions = {
  chunkMin: 1536,
  cutEvery: 32,
  chunkMax: 12_288,
  bigWord: 6144,
  bucketBytes: 3072,
};

/** The index as files: path under the index folder -> text. */
export type SearchFiles = Map<string, string>;

/** Words of a text that are indexed: every token but stop words. */
const indexWords = (text: string): string[] => tokenize(text).map((t) => t.term).filter((t) => !STOPWORDS.has(t));

/** The key a story is numbered by: its id, or for a record without a story, its article's. */
export const recordKey = (r: Pick<StoryRecord, 'id' | 'articles'>): string => r.id || `article:${r.articles[0]?.id ?? ''}`;

/** What a record adds to the index besides its fragment: its words with their field bits, and its outlets. */
export function recordPostings(r: StoryRecord): { fields: Map<string, number>; outlets: Set<string> } {
  const fields = new Map<string, number>();
  const post = (text: string, bit: number) => {
    for (const w of indexWords(text)) fields.set(w, (fields.get(w) ?? 0) | bit);
  };
  post(r.headline, TITLE);
  post(r.terms.join(' '), TERMS);
  post(r.snippet, SNIPPET);
  const outlets = new Set(r.outlets);
  for (const a of r.articles) {
    outlets.add(a.outlet);
    // Without a story, the article's title is the record's title.
    if (a.title !== r.headline) post(a.title, r.id ? ARTICLE_TITLE : TITLE);
  }
  // Outlet names are not posted with the words: every story has outlets, and a drop-in would
  // rewrite the big postings of "news" and "times". The searcher matches query words against
  // the manifest's outlet names and takes their stories from the outlet chunks.
  return { fields, outlets };
}

/** A word's postings as a term chunk holds them: stories ascending as deltas, one field-bits character each. */
export interface WordPostings {
  w: string;
  p: string;
  m: string;
}

export function encodePostings(w: string, stories: readonly number[], masks: readonly number[]): WordPostings {
  let m = '';
  for (const mask of masks) m += encodeMask(mask);
  return { w, p: encodeAscending(stories), m };
}

/** The outlet chunks' files from every outlet's stories (ascending), outlets in code-unit order. */
export function outletFiles(outlets: ReadonlyArray<readonly [string, readonly number[]]>): Map<string, string> {
  const byPath = new Map<string, OutletChunk>();
  for (const [o, stories] of outlets) {
    const path = outletPath(o);
    const file = byPath.get(path) ?? {};
    file[o] = encodeAscending(stories);
    byPath.set(path, file);
  }
  return new Map([...byPath].map(([path, file]) => [path, JSON.stringify(file)]));
}

/**
 * The files made from the whole vocabulary (`entries`, words ascending): the
 * term chunks and the dictionary buckets; and the manifest's fields that come
 * with them. A cold build and an update (update.ts) both make them here, so
 * they cannot drift apart.
 */
export function vocabularyFiles(entries: readonly WordPostings[], opts: ChunkOptions): { files: Map<string, string>; chunks: string[]; buckets: number };
/** With `withDictionary` false, the term chunks alone (an update whose words' frequency classes are unchanged keeps the buckets). */
export function vocabularyFiles(entries: readonly WordPostings[], opts: ChunkOptions, withDictionary: boolean): { files: Map<string, string>; chunks: string[]; buckets: number | null };
export function vocabularyFiles(entries: readonly WordPostings[], opts: ChunkOptions, withDictionary = true): { files: Map<string, string>; chunks: string[]; buckets: number | null } {
  const files = new Map<string, string>();
  const chunks = termChunks(entries, opts);
  for (const c of chunks) files.set(chunkPath(c.w[0]), JSON.stringify(c));
  if (!withDictionary) return { files, chunks: chunks.map((c) => c.w[0]), buckets: null };
  // A word's story count is its number of field-bits characters (one per story).
  const df = new Map(entries.map((e) => [e.w, e.m.length]));
  const dictionary = dictionaryBuckets(
    entries.map((e) => e.w),
    (w) => df.get(w)!,
    opts.bucketBytes,
  );
  dictionary.buckets.forEach((b, i) => {
    if (Object.keys(b).length) files.set(bucketPath(i), JSON.stringify(b));
  });
  return { files, chunks: chunks.map((c) => c.w[0]), buckets: dictionary.count };
}

export const manifestText = (stories: number, buckets: number, chunks: string[], outlets: string[]): string =>
  JSON.stringify({ v: INDEX_VERSION, stories, buckets, chunks, outlets } satisfies SearchManifest);

/** Sorts files by path (code-unit order), as the index is listed. */
export const byPath = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function chunkSearchIndex(records: readonly StoryRecord[], options: Partial<ChunkOptions> = {}): SearchFiles {
  const opts = { ...defaultChunkOptions, ...options };
  const numbers = storyNumbers(records.map((r) => ({ id: recordKey(r), date: r.date })));
  const order = records.map((_, i) => i).sort((a, b) => numbers[a] - numbers[b]);
  const files: SearchFiles = new Map();

  // Postings, in story-number order: word -> stories and field bits.
  const postings = new Map<string, { stories: number[]; masks: number[] }>();
  const outletStories = new Map<string, number[]>();
  for (const i of order) {
    const r = records[i];
    const num = numbers[i];
    const { fields, outlets } = recordPostings(r);
    for (const o of outlets) {
      const list = outletStories.get(o);
      if (list) list.push(num);
      else outletStories.set(o, [num]);
    }
    for (const [w, mask] of fields) {
      const p = postings.get(w);
      if (p) {
        p.stories.push(num);
        p.masks.push(mask);
      } else postings.set(w, { stories: [num], masks: [mask] });
    }
    files.set(fragmentPath(num), fragmentText(r));
  }

  const vocabulary = [...postings.keys()].sort();
  const made = vocabularyFiles(
    vocabulary.map((w) => encodePostings(w, postings.get(w)!.stories, postings.get(w)!.masks)),
    opts,
  );
  for (const [path, text] of made.files) files.set(path, text);
  const outlets = [...outletStories.keys()].sort();
  for (const [path, text] of outletFiles(outlets.map((o) => [o, outletStories.get(o)!]))) files.set(path, text);
  files.set(manifestPath, manifestText(records.length, made.buckets, made.chunks, outlets));
  return new Map([...files].sort(byPath));
}

/** A record's fragment file. */
export const fragmentText = (r: StoryRecord): string => JSON.stringify(fragmentOf(r));

function fragmentOf(r: StoryRecord): StoryFragment {
  return {
    id: r.id,
    t: r.headline,
    k: r.terms.join(' '),
    s: r.snippet,
    d: r.date,
    o: r.outlets,
    a: r.articles.map((a) => [a.id, r.id && a.title === r.headline ? '' : a.title, a.outlet, a.date]),
  };
}

/**
 * The record a fragment was made from, as far as the index is concerned: its
 * postings and outlets (`recordPostings`) and its fragment are the record's.
 * (An article's title is '' in a fragment only when it is its story's
 * headline: a record's blank titles are a space, articleRecord.)
 */
export function fragmentRecord(f: StoryFragment): StoryRecord {
  return {
    id: f.id,
    headline: f.t,
    terms: f.k ? f.k.split(' ') : [],
    snippet: f.s,
    date: f.d,
    outlets: f.o,
    articles: f.a.map(([id, title, outlet, date]) => ({ id, title: f.id && title === '' ? f.t : title, outlet, date })),
  };
}

/**
 * Cuts the sorted vocabulary into term chunks where the words say: after at
 * least `chunkMin` bytes, before a word whose hash is a multiple of
 * `cutEvery`; before `chunkMax` is passed; around a big word. A cut is never
 * made where two chunks' names would collide. A changed word's postings move
 * the boundaries after it only until the next word that cuts either way.
 */
function termChunks(entries: readonly WordPostings[], opts: ChunkOptions): TermChunk[] {
  const out: TermChunk[] = [];
  const names = new Set<string>();
  let cur: TermChunk = { w: [], p: [], m: [] };
  let bytes = 0;
  let lastBig = false;
  for (const { w, p, m } of entries) {
    // What the word adds to the file: its text, postings, masks and JSON punctuation.
    const size = w.length + p.length + m.length + 12;
    const big = size >= opts.bigWord;
    const cut = cur.w.length > 0 && (big || lastBig || bytes + size > opts.chunkMax || (bytes >= opts.chunkMin && fnv32(w) % opts.cutEvery === 0));
    if (cut && !names.has(chunkName(w))) {
      out.push(cur);
      cur = { w: [], p: [], m: [] };
      bytes = 0;
    }
    if (cur.w.length === 0) names.add(chunkName(w));
    cur.w.push(w);
    cur.p.push(p);
    cur.m.push(m);
    bytes += size;
    lastBig = big;
  }
  if (cur.w.length) out.push(cur);
  return out;
}

/**
 * The dictionary: each word under its keys (keys.ts), each key's words
 * sorted; keys spread over a power-of-two number of buckets by hash, about
 * `bucketBytes` each. Under a key it starts with (its own key, a two-letter
 * prefix) a word has its frequency class (`word:class`); under a deletion key
 * just the word: a word that doubles its stories rewrites one or two buckets,
 * not five, and a typo candidate's class is in its own key's bucket.
 */
function dictionaryBuckets(vocabulary: readonly string[], df: (w: string) => number, bucketBytes: number): { count: number; buckets: DictionaryBucket[] } {
  const byKey = new Map<string, string[]>();
  const file = (key: string, word: string) => {
    const list = byKey.get(key);
    if (list) list.push(word);
    else byKey.set(key, [word]);
  };
  const cls = new Map(vocabulary.map((w) => [w, frequencyClass(df(w))]));
  for (const w of vocabulary) for (const k of wordKeys(w)) file(k, w);
  // Two-letter prefixes: their most frequent completions (by class, then alphabetically).
  const byPrefix = new Map<string, string[]>();
  for (const w of vocabulary) {
    const p = shortPrefix(w);
    if (!p) continue;
    const list = byPrefix.get(p);
    if (list) list.push(w);
    else byPrefix.set(p, [w]);
  }
  for (const [p, words] of byPrefix) {
    words.sort((a, b) => cls.get(b)! - cls.get(a)! || (a < b ? -1 : 1));
    for (const w of words.slice(0, SHORT_COMPLETIONS)) file(p, w);
  }
  let total = 0;
  const text = new Map<string, string>();
  for (const [k, words] of byKey) {
    const t = [...new Set(words)]
      .sort()
      .map((w) => (w.startsWith(k) ? `${w}:${cls.get(w)}` : w))
      .join(' ');
    text.set(k, t);
    total += k.length + t.length + 6;
  }
  let count = 1;
  while (count * bucketBytes < total) count *= 2;
  const buckets: DictionaryBucket[] = Array.from({ length: count }, () => ({}));
  for (const k of [...text.keys()].sort()) buckets[bucketOf(k, count)][k] = text.get(k)!;
  return { count, buckets };
}

/** Paths whose text differs between two versions of the index, and paths only in the old one. */
export function changedFiles(before: SearchFiles, after: SearchFiles): { written: string[]; removed: string[] } {
  const written = [...after].filter(([p, t]) => before.get(p) !== t).map(([p]) => p);
  const removed = [...before.keys()].filter((p) => !after.has(p));
  return { written, removed };
}
