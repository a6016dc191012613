/**
 * The query side of the chunked index (format.ts): fetches only the files a
 * query needs, then ranks as before. Runs in the browser and in Node; no DOM.
 *
 * Per query:
 * 1. Words. Folded and tokenised; stop words dropped (unless that leaves
 *    nothing); the last word is a prefix while it is being typed. A word being
 *    typed of one letter waits for the next.
 * 2. Expansions, from the dictionary buckets of each word's keys (keys.ts):
 *    the word itself (quality 1); for the word being typed, its completions,
 *    most frequent first within a budget of postings (0.9); typos, ≤ 1 edit up
 *    to 7 letters and ≤ 2 from 8 (to the nearest prefix for a word being
 *    typed, from 5 letters), keeping the first letter or swapping it with the
 *    second (0.7 for one edit, 0.55 for two) — looked for when the word itself
 *    is not in the index, or is much rarer than a word one edit away.
 * 3. Stories. The term chunks of those words give their stories and the
 *    fields each word is in. A story must match every query word (in it or in
 *    one of its articles); if none matches them all, the stories with the
 *    most. Score: the sum over words of quality × field weight × idf, the best
 *    expansion per word. Filters: an outlet's stories (its outlet chunk), a
 *    date range (story numbers sort by date).
 * 4. Records. The fragments of the best stories (newest first among equals)
 *    give each story and its articles; each record is scored as the stories
 *    were, from its own fields (a story ×1.35, so it comes before its
 *    articles), filtered exactly, and must match every word (or the most any
 *    record does).
 * 5. fuse.js ranks the best 60 records: their values and norms, as
 *    `Fuse.createIndex` would make them, through `Fuse.parseIndex`, searched
 *    with every word, each in any field. Its score refines the order.
 * 6. Highlights are word ranges in the original title and snippet text, from
 *    the words that matched; never HTML.
 *
 * A file that cannot be fetched (offline) leaves its words or stories out and
 * marks the answer incomplete; what was fetched before still answers.
 *
 * Size: about 680 lines, the six steps above over one cache of fetched files;
 * each step reads what the one before kept (expansions, postings per word,
 * fragments), and split apart they would pass that state through every call.
 */
import Fuse, { type Expression, type FuseIndex } from 'fuse.js';
import { editDistance, STOPWORDS, terms, tokenize, withinOneEdit } from './text';
import { lookupKeys } from './keys';
import type { IndexSource } from './source';
import {
  ARTICLE_TITLE,
  bucketOf,
  bucketPath,
  chunkIndex,
  chunkPath,
  classFrequency,
  decodeAscending,
  decodeMask,
  dayIndex,
  firstNumberOfDay,
  fragmentPath,
  frequencyClass,
  FUSE_KEYS,
  fuseRecord,
  INDEX_VERSION,
  manifestPath,
  OUTLET,
  outletPath,
  SLOTS,
  SNIPPET,
  TERMS,
  TITLE,
  type DictionaryBucket,
  type OutletChunk,
  type SearchManifest,
  type StoryFragment,
  type TermChunk,
} from './format';

export type Range = [start: number, end: number];

export interface SearchHit {
  kind: 'story' | 'article';
  id: string;
  /** Site-relative path of the page: `stories/<id>/` or `articles/<id>/`. */
  path: string;
  title: string;
  /** The headline of the article's story (for a story, its own headline). */
  storyTitle: string;
  date: string;
  outlets: string[];
  /** The record's snippet; for an article, its story's. */
  snippet: string;
  score: number;
  highlights: { title: Range[]; snippet: Range[] };
  /** Body keywords of the record that matched the query (words the title and snippet may not show). */
  alsoMentions: string[];
}

export interface SearchOptions {
  limit?: number;
  /**
   * True once the reader has typed on: the search then stops before fetching
   * the stories it would show (its words' chunks are kept for the next one)
   * and answers `{ hits: [], stale: true }`.
   */
  stale?: () => boolean;
  /** Only records with this outlet. */
  outlet?: string;
  /** Only records dated on or after / on or before this day (YYYY-MM-DD); undated records are left out when set. */
  from?: string;
  to?: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Some file this query needed could not be fetched (offline?): the hits come from the rest. */
  incomplete: boolean;
  /** Given up for a newer query (`SearchOptions.stale`). */
  stale?: boolean;
}

export interface Searcher {
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Every outlet, alphabetically, for a filter control (sorted on first use). */
  readonly outlets: string[];
  readonly manifest: SearchManifest;
}

// Field weights: a word in the title counts most.
const FIELD_WEIGHT: [number, number][] = [
  [TITLE, 3],
  [ARTICLE_TITLE, 3],
  [TERMS, 2],
  [OUTLET, 1.5],
  [SNIPPET, 1],
];
/** Weight of a set of field bits: the best field's. */
const MASK_WEIGHT = Array.from({ length: 32 }, (_, mask) => {
  for (const [bit, w] of FIELD_WEIGHT) if (mask & bit) return w;
  return 0;
});
const STORY_BOOST = 1.35;
/** Fields of a story's own record, and fields an article's record may have a word in. */
const STORY_FIELDS = TITLE | TERMS | SNIPPET | OUTLET;
const ARTICLE_FIELDS = TITLE | ARTICLE_TITLE | OUTLET;

/** Per story: the sum of its words' best scores, and how many words it has. */
function tally() {
  const total = new Map<number, number>();
  const covered = new Map<number, number>();
  return {
    total,
    covered,
    add(best: Map<number, number>) {
      for (const [n, sc] of best) {
        if (sc <= 0) continue;
        total.set(n, (total.get(n) ?? 0) + sc);
        covered.set(n, (covered.get(n) ?? 0) + 1);
      }
    },
  };
}
/** How many records fuse.js ranks. */
const RERANK = 60;
/** Stories whose fragments are fetched for a query: the limit, and at least this many (headroom for the rerank). */
const MIN_STORIES = 0;
/**
 * Completions of a word being typed: the most frequent first, while their
 * postings (about 4 bytes each) stay within this many stories, and at most
 * MAX_COMPLETIONS words. One more letter narrows them.
 */
const COMPLETION_BUDGET = 4000;
const MAX_COMPLETIONS = 64;
/** Typo candidates kept per word (fewest edits, then most frequent). */
const MAX_TYPOS = 6;
/**
 * A word found in the index is still taken for a typo of a word one edit
 * away that is this many frequency classes (one per doubling, all rare words
 * one class) more common: a word in a few stories for one in 32 or more.
 * ("Zelenksy" in one article's title does not hide "Zelensky".)
 */
const TYPO_OVER_RARE_WORD = 3;
/** A word being typed is completed from the term chunks when its completions span at most this many. */
const RANGE_CHUNKS = 2;
/** A word (or a word being typed's completions) of a class below this (a rare word) is looked up as a possible typo too. */
const TYPO_LOOKUP_BELOW_CLASS = 1;
/** A date filter's `to` also takes stories whose last article is up to this many days later: their earlier articles may be in range. */
const DATE_SLACK_DAYS = 7;

interface Expansion {
  word: string;
  quality: number;
  /** The word is in the term chunks; and the outlets (indices into the manifest's) whose names have it. */
  inTerms?: boolean;
  outlets?: number[];
  /** log(1 + stories / stories with the word); for a completion, that of the word's commonest completion (below). */
  idf?: number;
  /** For highlighting a prefix match: how many characters were typed. */
  prefixLength?: number;
}

interface Postings {
  stories: Float64Array;
  masks: Uint8Array;
}

/** The folded words of a query, and whether the last one is still being typed. */
export function parseQuery(query: string): { words: string[]; lastIsPrefix: boolean } {
  const all = tokenize(query).map((t) => t.term);
  const content = all.filter((w) => !STOPWORDS.has(w));
  const words = [...new Set(content.length ? content : all)];
  const lastIsPrefix = words.length > 0 && /[\p{L}\p{N}]$/u.test(query) && all[all.length - 1] === words[words.length - 1];
  return { words, lastIsPrefix };
}

/** Opens the index: fetches its manifest. */
export async function openSearcher(source: IndexSource): Promise<Searcher> {
  const manifest = (await source.get(manifestPath)) as SearchManifest;
  if (manifest?.v !== INDEX_VERSION) throw new Error(`search index version ${manifest?.v}, expected ${INDEX_VERSION}`);
  return createSearcher(manifest, source);
}

export function createSearcher(manifest: SearchManifest, source: IndexSource): Searcher {
  const storyCount = Math.max(1, manifest.stories);
  const fuseKeys = Fuse.createIndex(
    FUSE_KEYS.map((k) => ({ name: k.name, weight: k.weight })),
    [],
  ).toJSON().keys;
  const fuse = new Fuse<number>([], {
    keys: FUSE_KEYS.map((k) => ({ name: k.name, weight: k.weight })),
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    threshold: 0.4,
  });

  /** Runs `get`, noting a failure in `state` and giving `fallback` instead. */
  const attempt = async <T>(state: { incomplete: boolean }, get: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await get();
    } catch {
      state.incomplete = true;
      return fallback;
    }
  };

  // Dictionary: key -> its words and their frequency classes (-1: not given under this key), parsed when first asked for.
  const keyWords = new Map<string, Map<string, number>>();
  async function dictionary(key: string): Promise<Map<string, number>> {
    let words = keyWords.get(key);
    if (words) return words;
    const bucket = (await source.get(bucketPath(bucketOf(key, manifest.buckets)))) as DictionaryBucket;
    words = keyWords.get(key);
    if (words) return words;
    words = new Map();
    for (const entry of (bucket[key] ?? '').split(' ')) {
      if (!entry) continue;
      const colon = entry.indexOf(':');
      if (colon < 0) words.set(entry, -1);
      else words.set(entry.slice(0, colon), Number(entry.slice(colon + 1)));
    }
    keyWords.set(key, words);
    return words;
  }
  /** A word's frequency class, from its own key's entry (-1 if it is not in the index). */
  const classOf = async (word: string): Promise<number> => (await dictionary(lookupKeys(word, false)[0])).get(word) ?? -1;

  // Postings: word -> its stories in the term chunks, decoded when first asked for.
  const decoded = new Map<string, Postings | null>();
  async function termPostings(word: string): Promise<Postings | null> {
    const known = decoded.get(word);
    if (known !== undefined) return known;
    const c = chunkIndex(manifest.chunks, word);
    if (c < 0) return null;
    const chunk = (await source.get(chunkPath(manifest.chunks[c]))) as TermChunk;
    if (decoded.has(word)) return decoded.get(word)!;
    let lo = 0;
    let hi = chunk.w.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (chunk.w[mid] === word) {
        at = mid;
        break;
      }
      if (chunk.w[mid] < word) lo = mid + 1;
      else hi = mid - 1;
    }
    let p: Postings | null = null;
    if (at >= 0) {
      const m = chunk.m[at];
      const stories = new Float64Array(m.length);
      decodeAscending(chunk.p[at], stories);
      const masks = new Uint8Array(m.length);
      for (let i = 0; i < m.length; i++) masks[i] = decodeMask(m, i);
      p = { stories, masks };
    }
    decoded.set(word, p);
    return p;
  }

  const outletSets = new Map<string, Float64Array>();
  /** An outlet's stories, ascending. */
  async function outletStories(outlet: string): Promise<Float64Array> {
    let list = outletSets.get(outlet);
    if (list) return list;
    const file = (await source.get(outletPath(outlet))) as OutletChunk;
    const text = file[outlet] ?? '';
    const out = new Float64Array(text.length);
    list = out.slice(0, decodeAscending(text, out));
    outletSets.set(outlet, list);
    return list;
  }

  // The words of outlet names (the manifest's), and which outlets have each.
  let outletWords: Map<string, number[]> | null = null;
  const outletVocabulary = () => {
    if (outletWords) return outletWords;
    outletWords = new Map();
    manifest.outlets.forEach((name, i) => {
      for (const w of new Set(terms(name))) {
        if (STOPWORDS.has(w)) continue;
        const list = outletWords!.get(w);
        if (list) list.push(i);
        else outletWords!.set(w, [i]);
      }
    });
    return outletWords;
  };

  /**
   * A word's stories with their field bits: its term postings (when the word is in the term chunks),
   * and OUTLET for the stories of the outlets whose names have it. Kept per word and whether its term
   * postings were asked for: a word reached only through outlet names is not known to be a term.
   */
  const merged = new Map<string, Postings | null>();
  async function postings(e: Expansion): Promise<Postings | null> {
    const key = `${e.inTerms ? 't' : 'o'}:${e.word}`;
    const known = merged.get(key);
    if (known !== undefined) return known;
    const [own, ...byOutlet] = await Promise.all([
      e.inTerms ? termPostings(e.word) : Promise.resolve(null),
      ...(e.outlets ?? []).map((o) => outletStories(manifest.outlets[o])),
    ]);
    let p = own;
    if (byOutlet.length) {
      const masks = new Map<number, number>();
      if (own) own.stories.forEach((n, k) => masks.set(n, own.masks[k]));
      for (const list of byOutlet) for (const n of list) masks.set(n, (masks.get(n) ?? 0) | OUTLET);
      const stories = Float64Array.from(masks.keys()).sort();
      p = { stories, masks: Uint8Array.from(stories, (n) => masks.get(n)!) };
    }
    merged.set(key, p);
    return p;
  }

  const fragment = (story: number) => source.get(fragmentPath(story)) as Promise<StoryFragment>;

  /**
   * What a query word may mean among `entries` (words -> frequency class, -1 unknown):
   * itself, its completions (a word being typed), its typos.
   */
  async function meanings(word: string, prefix: boolean, entries: Map<string, number>, cls: (w: string) => Promise<number>): Promise<Expansion[]> {
    const out: Expansion[] = [];
    const exact = entries.get(word);
    if (exact !== undefined) out.push({ word, quality: 1 });
    if (prefix) {
      const completions = [...entries].filter(([w]) => w !== word && w.startsWith(word)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      let spent = 0;
      for (const [w, c] of completions) {
        const cost = classFrequency(Math.max(0, c));
        if (out.length >= MAX_COMPLETIONS || (spent > 0 && spent + cost > COMPLETION_BUDGET)) break;
        out.push({ word: w, quality: 0.9, prefixLength: word.length });
        spent += cost;
      }
    }
    if (word.length >= (prefix ? 5 : 4)) {
      const max = word.length >= 8 ? 2 : 1;
      const c0 = word.charCodeAt(0);
      const c1 = word.charCodeAt(1);
      const near: [string, number][] = [];
      for (const w of entries.keys()) {
        if (w === word || (prefix && w.startsWith(word))) continue;
        const first = w.charCodeAt(0);
        if (first !== c0 && first !== c1) continue;
        if (!prefix && Math.abs(w.length - word.length) > max) continue;
        if (prefix && w.length < word.length - max) continue;
        const d = max === 1 ? withinOneEdit(word, w, prefix) : editDistance(word, w, max, prefix);
        if (d <= max) near.push([w, d]);
      }
      if (near.length) {
        // Classes of the candidates found under deletion keys are in their own keys' buckets.
        const classes = await Promise.all(near.map(([w]) => (entries.get(w)! >= 0 ? entries.get(w)! : cls(w))));
        // Typos only where the word is not found, or is far rarer than a word one edit away.
        let known = -1;
        for (const e of out) known = Math.max(known, entries.get(e.word)!);
        const candidates = near
          .map(([w, d], i) => [w, d, classes[i]] as const)
          .filter(([, , c]) => out.length === 0 || c >= known + TYPO_OVER_RARE_WORD)
          .sort((a, b) => a[1] - b[1] || b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
        for (const [w, d] of candidates.slice(0, MAX_TYPOS)) out.push({ word: w, quality: d === 1 ? 0.7 : 0.55 });
      }
    }
    return out;
  }

  /** The expansions of a query word: in the dictionary (from its keys' buckets) and in outlet names. */
  async function expand(word: string, prefix: boolean, state: { incomplete: boolean }): Promise<Expansion[]> {
    const typos = word.length >= (prefix ? 5 : 4);
    const entries = new Map<string, number>();
    const look = async (keys: string[]) => {
      const lists = await Promise.all(keys.map((k) => attempt(state, () => dictionary(k), new Map<string, number>())));
      for (const list of lists) for (const [w, c] of list) if (c >= 0 || !entries.has(w)) entries.set(w, c);
    };
    // The word itself, and a word being typed's completions, straight from the term chunks when
    // they fit in one or two (words ascend through the chunks): no dictionary round trip. A short
    // prefix spanning more is completed from its dictionary key instead (the commonest words first).
    const first = Math.max(0, chunkIndex(manifest.chunks, word));
    const last = prefix ? chunkIndex(manifest.chunks, `${word}\uffff`) : first;
    if (last - first < RANGE_CHUNKS) {
      const chunks = await Promise.all(
        manifest.chunks.slice(first, last + 1).map((w) => attempt(state, () => source.get(chunkPath(w)) as Promise<TermChunk>, null)),
      );
      for (const chunk of chunks) {
        if (!chunk) continue;
        chunk.w.forEach((w, i) => {
          if (w === word || (prefix && w.startsWith(word))) entries.set(w, frequencyClass(chunk.m[i].length));
        });
      }
    } else await look([lookupKeys(word, false)[0]]);
    // The dictionary's own and deletion keys only when the word may be a typo: nothing matches
    // it, or only rare words do (a typo of a common word may be in the index too).
    let found = -1;
    for (const [w, c] of entries) if (w === word || (prefix && w.startsWith(word))) found = Math.max(found, c);
    if (typos && found < TYPO_LOOKUP_BELOW_CLASS) await look(lookupKeys(word, true));
    const cls = (w: string) => attempt(state, () => classOf(w), -1);
    const inTerms = await meanings(word, prefix, entries, cls);
    // Outlet names: few words, all in the manifest; classes do not matter.
    const outlets = outletVocabulary();
    const named = new Map<string, number>();
    for (const w of outlets.keys()) if (w[0] === word[0] || w[0] === word[1]) named.set(w, 0);
    // (A word being typed of two letters completes to outlet words only from its third: an outlet
    // chunk holds all of an outlet's stories.)
    const inOutlets = await meanings(word, prefix && word.length > 2, named, async () => 0);
    // A meaning is matched wherever it is: a word of the term chunks that is also in an outlet's
    // name takes that outlet's stories too, however the query word came to it.
    const byWord = new Map<string, Expansion>();
    for (const e of inTerms) byWord.set(e.word, { ...e, inTerms: true, outlets: outlets.get(e.word) });
    for (const e of inOutlets) {
      const had = byWord.get(e.word);
      if (had) had.quality = Math.max(had.quality, e.quality);
      else byWord.set(e.word, { ...e, inTerms: false, outlets: outlets.get(e.word) });
    }
    return [...byWord.values()];
  }

  const idfOf = (df: number) => Math.log(1 + storyCount / Math.max(1, df));

  async function search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const state = { incomplete: false };
    const limit = opts.limit ?? 20;
    const parsed = parseQuery(query);
    const words = parsed.words;
    let lastIsPrefix = parsed.lastIsPrefix;
    // A word being typed of one letter is not a word yet: it would match most of the index.
    if (lastIsPrefix && words[words.length - 1].length < 2) {
      words.pop();
      lastIsPrefix = false;
    }
    const filtered = opts.outlet !== undefined || !!opts.from || !!opts.to;
    if (words.length === 0 && opts.outlet === undefined) return { hits: [], incomplete: false };

    // Filters at story level: an outlet's stories; a range of story numbers.
    const outletSet = opts.outlet !== undefined ? new Set(await attempt(state, () => outletStories(opts.outlet!), new Float64Array(0))) : null;
    const lo = opts.from ? firstNumberOfDay(opts.from) : opts.to ? SLOTS * dayIndex('1900-01-01') : -Infinity;
    const hi = opts.to ? (dayIndex(opts.to) + 1 + DATE_SLACK_DAYS) * SLOTS : Infinity;
    const storyPasses = (n: number) => n >= lo && n < hi && (!outletSet || outletSet.has(n));

    const expansions = await Promise.all(words.map((w, i) => expand(w, lastIsPrefix && i === words.length - 1, state)));
    const all = expansions.flat();
    const posted = new Map<string, Postings | null>();
    await Promise.all(all.map(async (e) => posted.set(e.word, await attempt(state, () => postings(e), null))));
    // A completion counts as much as the commonest one, not by its own rarity: a reader who has
    // typed "trum" means "trump" as much as "trumped".
    expansions.forEach((list) => {
      let common = Infinity;
      for (const e of list) {
        e.idf = idfOf(posted.get(e.word)?.stories.length ?? 1);
        if (e.prefixLength !== undefined || e.quality === 1) common = Math.min(common, e.idf);
      }
      for (const e of list) if (e.prefixLength !== undefined) e.idf = common;
    });

    // Stories: per word, the best any expansion gives; every word (or the most any story has).
    let ranked: number[];
    if (words.length === 0) {
      ranked = [...outletSet!].filter(storyPasses).sort((a, b) => b - a);
    } else {
      // Two tallies per story, as its records will be scored: the story's own fields, and the fields
      // an article may have the word in (its title, inherited or its own, and its outlet). A story whose
      // words are split between its body terms and an article's title has no record with them all.
      const own = tally();
      const inArticle = tally();
      for (const list of expansions) {
        const bestOwn = new Map<number, number>();
        const bestArticle = new Map<number, number>();
        for (const e of list) {
          const p = posted.get(e.word);
          if (!p) continue;
          const base = e.quality * e.idf!;
          for (let k = 0; k < p.stories.length; k++) {
            const n = p.stories[k];
            const mask = p.masks[k];
            const so = base * MASK_WEIGHT[mask & STORY_FIELDS];
            if (so > (bestOwn.get(n) ?? 0)) bestOwn.set(n, so);
            const sa = base * MASK_WEIGHT[mask & ARTICLE_FIELDS];
            if (sa > (bestArticle.get(n) ?? 0)) bestArticle.set(n, sa);
          }
        }
        own.add(bestOwn);
        inArticle.add(bestArticle);
      }
      let need = 0;
      for (const t of [own, inArticle]) for (const [n, c] of t.covered) if (c > need && storyPasses(n)) need = c;
      const score = new Map<number, number>();
      for (const [t, boost] of [[own, STORY_BOOST], [inArticle, 1]] as const) {
        for (const [n, c] of t.covered) {
          if (c !== need || !storyPasses(n)) continue;
          const sc = t.total.get(n)! * boost;
          if (sc > (score.get(n) ?? 0)) score.set(n, sc);
        }
      }
      ranked = [...score.keys()];
      ranked.sort((a, b) => score.get(b)! - score.get(a)! || b - a);
    }
    if (opts.stale?.()) return { hits: [], incomplete: state.incomplete, stale: true };
    const fetchCount = Math.max(limit, MIN_STORIES);
    const fragments = await Promise.all(ranked.slice(0, fetchCount).map((n) => attempt(state, () => fragment(n), null)));

    // Records: each fetched story and its articles, scored from their own fields.
    const matched = new Map<string, Expansion>();
    for (const e of all) if (posted.get(e.word)) matched.set(e.word, e);
    const byWord = expansions.map((list) => list.filter((e) => posted.get(e.word)));
    const records: Rec[] = [];
    fragments.forEach((f, rank) => {
      if (!f) return;
      const n = ranked[rank];
      if (f.id) records.push({ story: n, index: -1, kind: 'story', id: f.id, title: f.t, terms: f.k, snippet: f.s, date: f.d, outlets: f.o, storyTitle: f.t, storySnippet: f.s, pre: 0 });
      f.a.forEach(([id, title, outlet, date], index) => {
        records.push({ story: n, index, kind: 'article', id, title: title || f.t, terms: '', snippet: '', date, outlets: [outlet], storyTitle: f.id ? f.t : title, storySnippet: f.s, pre: 0 });
      });
    });
    const passes = (r: Rec) =>
      (opts.outlet === undefined || r.outlets.includes(opts.outlet)) && (!opts.from || (!!r.date && r.date >= opts.from)) && (!opts.to || (!!r.date && r.date <= opts.to));
    let pool: Rec[];
    if (words.length === 0) {
      // Browsing an outlet: stories first, newest first.
      pool = records.filter(passes).sort(newest);
    } else {
      const scored: [Rec, number][] = [];
      for (const r of records) {
        if (filtered && !passes(r)) continue;
        const fieldsOf = fieldWords(r);
        let total = 0;
        let covered = 0;
        for (const list of byWord) {
          let best = 0;
          for (const e of list) {
            const mask = fieldsOf.get(e.word);
            if (mask) best = Math.max(best, e.quality * e.idf! * MASK_WEIGHT[mask]);
          }
          if (best > 0) {
            total += best;
            covered++;
          }
        }
        if (covered === 0) continue;
        r.pre = total * (r.kind === 'story' ? STORY_BOOST : 1);
        scored.push([r, covered]);
      }
      let need = 0;
      for (const [, c] of scored) need = Math.max(need, c);
      pool = scored.filter(([, c]) => c === need).map(([r]) => r);
      pool.sort((a, b) => b.pre - a.pre || newest(a, b));
    }
    const top = pool.slice(0, Math.max(RERANK, limit));
    if (words.length === 0) return { hits: top.slice(0, limit).map((r) => hit(r, 0, matched)), incomplete: state.incomplete };

    // fuse.js over the candidates only: a sub-index of their records.
    const sub = Fuse.parseIndex<number>({ keys: fuseKeys, records: top.map((r, j) => fuseRecord([r.title, r.terms, r.snippet], j)) } as Parameters<typeof Fuse.parseIndex>[0]) as FuseIndex<number>;
    fuse.setCollection(
      top.map((_, j) => j),
      sub,
    );
    const expr: Expression = { $and: words.map((w) => ({ $or: FUSE_KEYS.map((k) => ({ [k.name]: w }) as Expression) })) };
    const fuseScore = new Map<number, number>();
    for (const r of fuse.search(expr)) fuseScore.set(r.refIndex, r.score ?? 1);
    const final = top.map((r, j) => [r, r.pre * (1 + 0.5 * (1 - (fuseScore.get(j) ?? 1)))] as const);
    final.sort((a, b) => b[1] - a[1] || newest(a[0], b[0]));
    return { hits: final.slice(0, limit).map(([r, s]) => hit(r, s, matched)), incomplete: state.incomplete };
  }

  function highlight(text: string, matched: Map<string, Expansion>): Range[] {
    const ranges: Range[] = [];
    for (const tok of tokenize(text)) {
      const e = matched.get(tok.term);
      if (!e) continue;
      const sameLength = tok.end - tok.start === tok.term.length;
      ranges.push([tok.start, e.prefixLength && sameLength ? tok.start + e.prefixLength : tok.end]);
    }
    return ranges;
  }

  function hit(r: Rec, score: number, matched: Map<string, Expansion>): SearchHit {
    // Articles carry no snippet of their own (download size): they show their story's.
    const snippet = r.snippet || r.storySnippet;
    return {
      kind: r.kind,
      id: r.id,
      path: `${r.kind === 'story' ? 'stories' : 'articles'}/${r.id}/`,
      title: r.title,
      storyTitle: r.storyTitle,
      date: r.date,
      outlets: r.outlets,
      snippet,
      score,
      highlights: { title: highlight(r.title, matched), snippet: highlight(snippet, matched) },
      alsoMentions: terms(r.terms).filter((t) => matched.has(t)),
    };
  }

  let sorted: string[] | undefined;
  return {
    search,
    manifest,
    // Sorted when first asked for: setting up a collator costs ~10 ms.
    get outlets() {
      sorted ??= [...manifest.outlets].sort(new Intl.Collator('en').compare);
      return sorted;
    },
  };
}

/** A record of a fetched story: the story itself or one of its articles. */
interface Rec {
  /** The story's number, and the article's place in it (-1: the story). */
  story: number;
  index: number;
  kind: 'story' | 'article';
  id: string;
  title: string;
  terms: string;
  snippet: string;
  date: string;
  outlets: string[];
  storyTitle: string;
  storySnippet: string;
  /** Score before fuse.js. */
  pre: number;
}

/** Each word of a record with the fields it is in (stop words have none). */
function fieldWords(r: Rec): Map<string, number> {
  const out = new Map<string, number>();
  const post = (text: string, bit: number) => {
    if (!text) return;
    for (const w of terms(text)) if (!STOPWORDS.has(w)) out.set(w, (out.get(w) ?? 0) | bit);
  };
  post(r.title, TITLE);
  post(r.terms, TERMS);
  post(r.snippet, SNIPPET);
  for (const o of r.outlets) post(o, OUTLET);
  return out;
}

/** Stories first, then newest first, then by story number and place. */
function newest(a: Rec, b: Rec): number {
  const ka = a.kind === 'story' ? 0 : 1;
  const kb = b.kind === 'story' ? 0 : 1;
  if (ka !== kb) return ka - kb;
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return b.story - a.story || a.index - b.index;
}
