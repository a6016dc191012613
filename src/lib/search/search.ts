/**
 * The query side: parses the built index once, then answers each keystroke.
 *
 * 1. Prefilter. The index text is read once into an inverted index
 *    (word -> records; inverted.ts). Each query word is expanded to the vocabulary words it
 *    may mean: itself, words it is a prefix of (the last word, while typing),
 *    and words within a small edit distance (typos: one edit up to 7
 *    letters, two from 8; transpositions count as one). A record must match
 *    every query word, in any field and any order; it is scored by field
 *    (title > terms > snippet, outlet), match quality and the word's rarity,
 *    and stories get a boost so they come before their articles.
 * 2. fuse.js ranks the best few dozen candidates: their fuse.js index records
 *    (values and norms, as `Fuse.createIndex` would give them; format.ts) go
 *    through `Fuse.parseIndex` into a sub-index, searched with a logical query
 *    (every word, in any field). Its score refines the prefilter's.
 * 3. Highlights are word ranges in the original text of the title and snippet,
 *    computed from the vocabulary words that matched, never as HTML.
 *
 * Runs in Node and in the browser; no DOM here.
 */
import Fuse, { type Expression, type FuseIndex } from 'fuse.js';
import { editDistance, STOPWORDS, terms, tokenize, withinOneEdit } from './text';
import { createInvertedBuilder, type InvertedIndex } from './inverted';
import { dayNumber, FUSE_KEYS, INDEX_VERSION, fuseRecord, isoDay, type SearchIndexData } from './format';

export type Range = [start: number, end: number];

export interface SearchHit {
  /** Record index in the index. */
  ref: number;
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
  /** Only records with this outlet. */
  outlet?: string;
  /** Only records dated on or after / on or before this day (YYYY-MM-DD); undated records are left out when set. */
  from?: string;
  to?: string;
}

export interface Searcher {
  search(query: string, options?: SearchOptions): SearchHit[];
  /** Every outlet, alphabetically, for a filter control (sorted on first use). */
  readonly outlets: string[];
  size: number;
  /**
   * False while the index is partial (`createSearcher(data, { staged: true })`:
   * the stories but not their snippets, no articles); `finish()` reads the
   * rest, after which every search is as from a complete index.
   */
  readonly complete: boolean;
  /** Reads what a staged searcher has not read yet; does nothing once complete. Returns whether anything was read. */
  finish(): boolean;
}

export interface SearcherOptions {
  /**
   * Index the stories' titles, body terms and outlets first (at 10,000
   * articles, about a third of the work) and leave the articles and all
   * snippets to `finish()`: the reader's first query is answered before the
   * index is complete. Until `finish()` results are stories only, scored by
   * what has been read (a word only in a snippet is not found yet).
   */
  staged?: boolean;
}

/** Where each of `size` lines of `text` starts; entry `size` is one past the end. */
function lineStarts(text: string, size: number): Int32Array {
  const out = new Int32Array(size + 1);
  for (let i = 0, at = 0; i < size; i++) {
    out[i] = at;
    const nl = text.indexOf('\n', at);
    at = nl < 0 ? text.length + 1 : nl + 1;
    out[i + 1] = at;
  }
  return out;
}

// Field bits in postings and their weights.
const TITLE = 1;
const TERMS = 2;
const SNIPPET = 4;
const OUTLET = 8;
const FIELD_WEIGHT: [number, number][] = [
  [TITLE, 3],
  [TERMS, 2],
  [OUTLET, 1.5],
  [SNIPPET, 1],
];
const STORY_BOOST = 1.35;
/** How many prefilter candidates fuse.js ranks. */
const RERANK = 60;

interface Expansion {
  term: number;
  quality: number;
  /** For highlighting a prefix match: how many characters were typed. */
  prefixLength?: number;
}

/** Weight of a set of field bits: the best field's. */
const MASK_WEIGHT = Array.from({ length: 16 }, (_, mask) => {
  for (const [bit, w] of FIELD_WEIGHT) if (mask & bit) return w;
  return 0;
});

/** The folded words of a query, and whether the last one is still being typed. */
export function parseQuery(query: string): { words: string[]; lastIsPrefix: boolean } {
  const all = tokenize(query).map((t) => t.term);
  const content = all.filter((w) => !STOPWORDS.has(w));
  const words = [...new Set(content.length ? content : all)];
  const lastIsPrefix = words.length > 0 && /[\p{L}\p{N}]$/u.test(query) && all[all.length - 1] === words[words.length - 1];
  return { words, lastIsPrefix };
}

export function createSearcher(data: SearchIndexData, options: SearcherOptions = {}): Searcher {
  if (data.v !== INDEX_VERSION) throw new Error(`search index version ${data.v}, expected ${INDEX_VERSION}`);
  const fuseKeys = data.keys;
  const size = data.storySize.length + data.storySize.reduce((a, b) => a + b, 0) + data.orphans;
  // Records by column: kind (0 story, 1 article), the record of its story
  // (-1: an article without one), its story's position in the story columns,
  // and an article's position in the article columns.
  const kindOf = new Uint8Array(size);
  const storyRef = new Int32Array(size).fill(-1);
  const group = new Int32Array(size).fill(-1);
  const articleOf = new Int32Array(size).fill(-1);
  {
    let r = 0;
    let a = 0;
    data.storySize.forEach((n, s) => {
      const ref = r;
      storyRef[r] = ref;
      group[r++] = s;
      for (let k = 0; k < n; k++, r++) {
        kindOf[r] = 1;
        storyRef[r] = ref;
        group[r] = s;
        articleOf[r] = a++;
      }
    });
    for (let k = 0; k < data.orphans; k++, r++) {
      kindOf[r] = 1;
      articleOf[r] = a++;
    }
  }
  // An article with an empty title line has its story's title.
  const inherit = new Int32Array(size).fill(-1);
  for (let i = 0; i < size; i++) if (kindOf[i] === 1) inherit[i] = storyRef[i];

  // Inverted index: vocabulary word -> records and field bits (inverted.ts).
  // Complete: every column of every record in one pass. Staged: the stories'
  // titles, terms and outlets first; the articles and every snippet when
  // `finish()` is called. Reading a column also finds where each record's
  // line starts.
  const builder = createInvertedBuilder(size);
  const text = FUSE_KEYS.map((_, k) => data.text[k] ?? '');
  const outlets = { names: data.outlets, of: (i: number) => (kindOf[i] === 0 ? data.storyOutlets[group[i]] : data.articleOutlet[articleOf[i]]), bit: OUTLET };
  const starts: (Int32Array | undefined)[] = [];
  let complete = !options.staged;
  if (complete) starts.push(...builder.read({ columns: text, bits: [TITLE, TERMS, SNIPPET], inherit, outlets }));
  else starts.push(...builder.read({ columns: [text[0], text[1]], bits: [TITLE, TERMS], inherit, outlets, records: kindOf.map((k) => (k === 0 ? 1 : 0)) }));
  const readRest = () => {
    builder.read({ columns: text, bits: [TITLE, TERMS, SNIPPET], inherit, outlets, records: kindOf });
    starts[2] = builder.read({ columns: [text[2]], bits: [SNIPPET], records: kindOf.map((k) => 1 - k) })[0];
    complete = true;
  };
  let inv: InvertedIndex;
  let idf: Float64Array;
  const useIndex = () => {
    inv = builder.finish();
    idf = new Float64Array(inv.words.length);
    for (let t = 0; t < idf.length; t++) {
      const df = inv.start[t + 1] - inv.start[t];
      if (df) idf[t] = Math.log(1 + size / df);
    }
    expansionCache.clear();
  };
  /** Record `i`'s value in text column `k`. */
  const value = (k: number, i: number): string => {
    const at = (starts[k] ??= lineStarts(text[k], size));
    const v = text[k].slice(at[i], at[i + 1] - 1);
    return k === 0 && v === '' && inherit[i] >= 0 ? value(0, inherit[i]) : v;
  };
  const title = (i: number) => value(0, i);
  const termsOf = (i: number) => value(1, i);
  const snippetOf = (i: number) => value(2, i);
  const idStart = lineStarts(data.ids, size);
  const idOf = (i: number) => data.ids.slice(idStart[i], idStart[i + 1] - 1);
  // Dates are worked out when first needed (most records never are).
  const dates: (string | undefined)[] = new Array(size);
  const dateOf = (i: number): string => {
    let d = dates[i];
    if (d === undefined) {
      const storyDate = group[i] >= 0 ? data.storyDates[group[i]] : '';
      if (kindOf[i] === 0) d = storyDate;
      else {
        const day = data.articleDay[articleOf[i]];
        d = day === null ? '' : storyDate ? isoDay(dayNumber(storyDate) + day) : isoDay(day);
      }
      dates[i] = d;
    }
    return d;
  };
  // Day numbers, for ordering (newest first; -Infinity: undated): numbers
  // compare as the ISO dates do, without making the strings.
  const storyDays = new Float64Array(data.storyDates.length).fill(NaN);
  const storyDay = (g: number): number => {
    let d = storyDays[g];
    if (d !== d) d = storyDays[g] = data.storyDates[g] ? dayNumber(data.storyDates[g]) : -Infinity;
    return d;
  };
  const days = new Float64Array(size).fill(NaN);
  const dayOf = (i: number): number => {
    let d = days[i];
    if (d !== d) {
      const g = group[i];
      if (kindOf[i] === 0) d = storyDay(g);
      else {
        const day = data.articleDay[articleOf[i]];
        d = day === null ? -Infinity : g >= 0 && data.storyDates[g] ? storyDay(g) + day : day;
      }
      days[i] = d;
    }
    return d;
  };
  const outletsOf = (i: number): number[] => (kindOf[i] === 0 ? data.storyOutlets[group[i]] : [data.articleOutlet[articleOf[i]]]);
  const hasOutlet = (i: number, o: number) => (kindOf[i] === 0 ? data.storyOutlets[group[i]].includes(o) : data.articleOutlet[articleOf[i]] === o);

  const fuse = new Fuse<number>([], {
    keys: FUSE_KEYS.map((k) => ({ name: k.name, weight: k.weight })),
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    threshold: 0.4,
  });

  const expansionCache = new Map<string, Expansion[]>();
  useIndex();
  function expand(word: string, prefix: boolean): Expansion[] {
    const key = `${prefix ? 'p' : 'w'}:${word}`;
    const hit = expansionCache.get(key);
    if (hit) return hit;
    const out = new Map<number, Expansion>();
    const add = (e: Expansion) => {
      const old = out.get(e.term);
      if (!old || old.quality < e.quality) out.set(e.term, e);
    };
    const exact = inv.lookup(word);
    if (exact >= 0) add({ term: exact, quality: 1 });
    if (prefix) {
      const candidates = inv.byFirst(word.charCodeAt(0));
      for (let k = 0; k < candidates.length; k++) {
        const i = candidates[k];
        if (i !== exact && inv.words[i].startsWith(word)) add({ term: i, quality: 0.9, prefixLength: word.length });
      }
    }
    // Typos: from 4 letters for a whole word, from 5 for one still being typed
    // (a short prefix one edit away matches too much to mean anything).
    if (word.length >= (prefix ? 5 : 4)) {
      const max = word.length >= 8 ? 2 : 1;
      const firsts = new Set([word.charCodeAt(0), word.charCodeAt(1)]);
      for (const c of firsts) {
        const candidates = inv.byFirst(c);
        for (let k = 0; k < candidates.length; k++) {
          const i = candidates[k];
          const t = inv.words[i];
          if (out.has(i)) continue;
          if (!prefix && Math.abs(t.length - word.length) > max) continue;
          if (prefix && t.length < word.length - max) continue;
          // One edit at most: a straight comparison does (the same distance as the table).
          const d = max === 1 ? withinOneEdit(word, t, prefix) : editDistance(word, t, max, prefix);
          if (d <= max) add({ term: i, quality: d === 1 ? 0.7 : 0.55 });
        }
      }
    }
    const list = [...out.values()];
    if (expansionCache.size > 2000) expansionCache.clear();
    expansionCache.set(key, list);
    return list;
  }

  function passes(i: number, opts: SearchOptions, outletId: number | undefined): boolean {
    if (opts.outlet !== undefined && (outletId === undefined || !hasOutlet(i, outletId))) return false;
    if (opts.from && (!dateOf(i) || dateOf(i) < opts.from)) return false;
    if (opts.to && (!dateOf(i) || dateOf(i) > opts.to)) return false;
    return true;
  }

  function highlight(text: string, matched: Map<number, Expansion>): Range[] {
    const ranges: Range[] = [];
    for (const tok of tokenize(text)) {
      const id = inv.lookup(tok.term);
      const e = id < 0 ? undefined : matched.get(id);
      if (!e) continue;
      const sameLength = tok.end - tok.start === tok.term.length;
      const end = e.prefixLength && sameLength ? tok.start + e.prefixLength : tok.end;
      ranges.push([tok.start, end]);
    }
    return ranges;
  }

  function hit(ref: number, score: number, matched: Map<number, Expansion>): SearchHit {
    const story = storyRef[ref];
    const id = idOf(ref);
    const kind = kindOf[ref] === 0 ? 'story' : 'article';
    // Articles carry no snippet of their own (download size): they show their story's.
    const snippet = snippetOf(ref) || (story >= 0 ? snippetOf(story) : '');
    return {
      ref,
      kind,
      id,
      path: `${kind === 'story' ? 'stories' : 'articles'}/${id}/`,
      title: title(ref),
      storyTitle: title(story >= 0 ? story : ref),
      date: dateOf(ref),
      outlets: outletsOf(ref).map((o) => data.outlets[o]),
      snippet,
      score,
      highlights: { title: highlight(title(ref), matched), snippet: highlight(snippet, matched) },
      alsoMentions: terms(termsOf(ref)).filter((t) => {
        const w = inv.lookup(t);
        return w >= 0 && matched.has(w);
      }),
    };
  }

  const total = new Float64Array(size);
  const covered = new Uint8Array(size);
  const best = new Float64Array(size);
  /** Stories first, then newest first, then record order. */
  const newest = (a: number, b: number) => kindOf[a] - kindOf[b] || dayOf(b) - dayOf(a) || a - b;
  /** Prefilter scores of the current candidates. */
  const pre = new Float64Array(size);

  function search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const limit = opts.limit ?? 20;
    const outletId = opts.outlet === undefined ? undefined : data.outlets.indexOf(opts.outlet);
    const { words, lastIsPrefix } = parseQuery(query);
    // One letter is not a query yet: it would match most of the index.
    if (words.length === 1 && lastIsPrefix && words[0].length < 2) words.pop();
    if (words.length === 0) {
      if (opts.outlet === undefined && !opts.from && !opts.to) return [];
      // Filters alone: browse, stories first, newest first.
      const refs: number[] = [];
      for (let i = 0; i < size; i++) if (passes(i, opts, outletId)) refs.push(i);
      refs.sort(newest);
      return refs.slice(0, limit).map((r) => hit(r, 0, new Map()));
    }

    // Prefilter: per word, the best score each record gets from any expansion.
    // Scratch arrays are the searcher's own and reset through the touched lists.
    const seenAny: number[] = [];
    const matched = new Map<number, Expansion>();
    words.forEach((w, wi) => {
      const touched: number[] = [];
      for (const e of expand(w, lastIsPrefix && wi === words.length - 1)) {
        const base = e.quality * idf[e.term];
        for (let k = inv.start[e.term], end = inv.start[e.term + 1]; k < end; k++) {
          const doc = inv.docs[k];
          const sc = base * MASK_WEIGHT[inv.masks[k]];
          if (best[doc] === 0) touched.push(doc);
          if (sc > best[doc]) best[doc] = sc;
        }
        matched.set(e.term, e);
      }
      for (const doc of touched) {
        if (covered[doc] === 0) seenAny.push(doc);
        total[doc] += best[doc];
        covered[doc]++;
        best[doc] = 0;
      }
    });
    // Every word must match; if no record has them all, the most that any has.
    let need = 0;
    for (const i of seenAny) if (covered[i] > need) need = covered[i];
    const cands: number[] = [];
    for (const i of seenAny) {
      if (covered[i] === need && passes(i, opts, outletId)) {
        cands.push(i);
        pre[i] = total[i] * (kindOf[i] === 0 ? STORY_BOOST : 1);
      }
      total[i] = 0;
      covered[i] = 0;
    }
    if (cands.length === 0) return [];
    const keep = Math.max(RERANK, limit);
    // Only the best `keep` need ordering: cut at the keep-th best score first.
    let pool = cands;
    if (cands.length > keep) {
      const scores = Float64Array.from(cands, (i) => pre[i]).sort();
      const cut = scores[scores.length - keep];
      pool = cands.filter((i) => pre[i] >= cut);
    }
    const order = (a: number, b: number, sa: number, sb: number) => sb - sa || newest(a, b);
    pool.sort((a, b) => order(a, b, pre[a], pre[b]));
    const top = pool.slice(0, keep);

    // fuse.js over the candidates only: a sub-index cut from the parsed records.
    const sub = Fuse.parseIndex<number>({ keys: fuseKeys, records: top.map((r, j) => fuseRecord([title(r), termsOf(r), snippetOf(r)], j)) } as Parameters<typeof Fuse.parseIndex>[0]) as FuseIndex<number>;
    fuse.setCollection(top, sub);
    const expr: Expression = {
      $and: words.map((w) => ({ $or: FUSE_KEYS.map((k) => ({ [k.name]: w }) as Expression) })),
    };
    const fuseScore = new Map<number, number>();
    for (const r of fuse.search(expr)) fuseScore.set(top[r.refIndex], r.score ?? 1);
    const final = (i: number) => pre[i] * (1 + 0.5 * (1 - (fuseScore.get(i) ?? 1)));
    const scored = top.map((i) => [i, final(i)] as const);
    scored.sort((a, b) => order(a[0], b[0], a[1], b[1]));
    return scored.slice(0, limit).map(([i, s]) => hit(i, s, matched));
  }

  let sorted: string[] | undefined;
  return {
    search,
    get complete() {
      return complete;
    },
    finish() {
      if (complete) return false;
      readRest();
      useIndex();
      return true;
    },
    // Sorted when first asked for, not before the first result: setting up a
    // collator costs ~10 ms (one collator; \`localeCompare(b, 'en')\` would set
    // one up per comparison).
    get outlets() {
      sorted ??= [...data.outlets].sort(new Intl.Collator('en').compare);
      return sorted;
    },
    size,
  };
}
