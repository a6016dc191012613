/**
 * The query side: parses the built index once, then answers each keystroke.
 *
 * 1. Prefilter. The index text is tokenised once into an inverted index
 *    (word -> records). Each query word is expanded to the vocabulary words it
 *    may mean: itself, words it is a prefix of (the last word, while typing),
 *    and words within a small edit distance (typos: one edit up to 7
 *    letters, two from 8; transpositions count as one). A record must match
 *    every query word, in any field and any order; it is scored by field
 *    (title > terms > snippet, outlet), match quality and the word's rarity,
 *    and stories get a boost so they come before their articles.
 * 2. fuse.js ranks the best few dozen candidates: a sub-index is cut from the
 *    parsed `Fuse.parseIndex` records and searched with a logical query (every
 *    word, in any field). Its score refines the prefilter's.
 * 3. Highlights are word ranges in the original text of the title and snippet,
 *    computed from the vocabulary words that matched, never as HTML.
 *
 * Runs in Node and in the browser; no DOM here.
 */
import Fuse, { type Expression, type FuseIndex } from 'fuse.js';
import { editDistance, STOPWORDS, terms, tokenize } from './text';
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
  /** Every outlet, alphabetically, for a filter control. */
  outlets: string[];
  size: number;
}

interface Doc {
  kind: 0 | 1;
  id: string;
  date: string;
  /** Record index of the story (a story's own). -1: an article without a story. */
  story: number;
  outlets: number[];
  title: string;
  terms: string;
  snippet: string;
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

export function createSearcher(data: SearchIndexData): Searcher {
  if (data.v !== INDEX_VERSION) throw new Error(`search index version ${data.v}, expected ${INDEX_VERSION}`);
  const fuseKeys = data.fuse.keys;
  const [titles, termsCol, snippets] = FUSE_KEYS.map((_, k) => data.fuse.values[k]);
  const docs: Doc[] = [];
  const rec = (kind: 0 | 1, story: number, date: string, outlets: number[]): Doc => {
    const i = docs.length;
    return { kind, id: data.ids[i], date, story, outlets, title: titles[i] ?? '', terms: termsCol[i] ?? '', snippet: snippets[i] ?? '' };
  };
  let article = 0;
  const pushArticle = (story: number, storyDate: string) => {
    const day = data.articleDay[article];
    const date = day === null ? '' : storyDate ? isoDay(dayNumber(storyDate) + day) : isoDay(day);
    docs.push(rec(1, story, date, [data.articleOutlet[article]]));
    article++;
  };
  data.storySize.forEach((size, s) => {
    const ref = docs.length;
    docs.push(rec(0, ref, data.storyDates[s], data.storyOutlets[s]));
    for (let k = 0; k < size; k++) pushArticle(ref, data.storyDates[s]);
  });
  for (let k = 0; k < data.orphans; k++) pushArticle(-1, '');

  // Inverted index: vocabulary word -> records and field bits, built as flat
  // arrays (few allocations: this runs once, on the reader's first search).
  // Records are visited in order, so each word's postings come out sorted.
  const termId = new Map<string, number>();
  const vocab: string[] = [];
  const lastDoc: number[] = [];
  const pTerm: number[] = [];
  const pDoc: number[] = [];
  const pMask: number[] = [];
  const lastAt: number[] = [];
  const post = (term: string, doc: number, bit: number) => {
    // Queries drop stop words, so the index needs none (they would be most of the postings).
    if (STOPWORDS.has(term) || !term) return;
    let id = termId.get(term);
    if (id === undefined) {
      id = vocab.length;
      termId.set(term, id);
      vocab.push(term);
      lastDoc.push(-1);
      lastAt.push(-1);
    }
    if (lastDoc[id] === doc) pMask[lastAt[id]] |= bit;
    else {
      lastDoc[id] = doc;
      lastAt[id] = pDoc.length;
      pTerm.push(id);
      pDoc.push(doc);
      pMask.push(bit);
    }
  };
  const outletTerms = data.outlets.map((o) => terms(o));
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    for (const t of terms(d.title)) post(t, i, TITLE);
    if (d.terms) for (const t of terms(d.terms)) post(t, i, TERMS);
    if (d.snippet) for (const t of terms(d.snippet)) post(t, i, SNIPPET);
    for (const o of d.outlets) for (const t of outletTerms[o] ?? []) post(t, i, OUTLET);
  }
  // Counting sort of the postings by word.
  const count = new Int32Array(vocab.length + 1);
  for (const t of pTerm) count[t + 1]++;
  for (let t = 0; t < vocab.length; t++) count[t + 1] += count[t];
  const allDocs = new Int32Array(pDoc.length);
  const allMasks = new Uint8Array(pDoc.length);
  const fill = count.slice(0, vocab.length);
  for (let k = 0; k < pTerm.length; k++) {
    const at = fill[pTerm[k]]++;
    allDocs[at] = pDoc[k];
    allMasks[at] = pMask[k];
  }
  const postings = vocab.map((_, t) => ({ docs: allDocs.subarray(count[t], count[t + 1]), masks: allMasks.subarray(count[t], count[t + 1]) }));
  const idf = postings.map((p) => Math.log(1 + docs.length / p.docs.length));
  // Prefixes and typo candidates are looked up by first letter (and, for
  // typos, by second, for a swapped first pair); prefixes of two letters or
  // more by their first two.
  const byFirst = new Map<string, number[]>();
  const byTwo = new Map<string, number[]>();
  const bucket = (m: Map<string, number[]>, key: string, i: number) => {
    const list = m.get(key);
    if (list) list.push(i);
    else m.set(key, [i]);
  };
  vocab.forEach((t, i) => {
    bucket(byFirst, t[0], i);
    if (t.length > 1) bucket(byTwo, t.slice(0, 2), i);
  });

  const fuse = new Fuse<number>([], {
    keys: FUSE_KEYS.map((k) => ({ name: k.name, weight: k.weight })),
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    threshold: 0.4,
  });

  const expansionCache = new Map<string, Expansion[]>();
  function expand(word: string, prefix: boolean): Expansion[] {
    const key = `${prefix ? 'p' : 'w'}:${word}`;
    const hit = expansionCache.get(key);
    if (hit) return hit;
    const out = new Map<number, Expansion>();
    const add = (e: Expansion) => {
      const old = out.get(e.term);
      if (!old || old.quality < e.quality) out.set(e.term, e);
    };
    const exact = termId.get(word);
    if (exact !== undefined) add({ term: exact, quality: 1 });
    if (prefix) {
      const candidates = word.length >= 2 ? byTwo.get(word.slice(0, 2)) : byFirst.get(word);
      for (const i of candidates ?? []) {
        if (i !== exact && vocab[i].startsWith(word)) add({ term: i, quality: 0.9, prefixLength: word.length });
      }
    }
    // Typos: from 4 letters for a whole word, from 5 for one still being typed
    // (a short prefix one edit away matches too much to mean anything).
    if (word.length >= (prefix ? 5 : 4)) {
      const max = word.length >= 8 ? 2 : 1;
      const firsts = new Set([word[0], word[1]]);
      for (const c of firsts) {
        for (const i of byFirst.get(c) ?? []) {
          const t = vocab[i];
          if (out.has(i)) continue;
          if (!prefix && Math.abs(t.length - word.length) > max) continue;
          if (prefix && t.length < word.length - max) continue;
          const d = editDistance(word, t, max, prefix);
          if (d <= max) add({ term: i, quality: d === 1 ? 0.7 : 0.55 });
        }
      }
    }
    const list = [...out.values()];
    if (expansionCache.size > 2000) expansionCache.clear();
    expansionCache.set(key, list);
    return list;
  }

  function passes(d: Doc, opts: SearchOptions, outletId: number | undefined): boolean {
    if (opts.outlet !== undefined && (outletId === undefined || !d.outlets.includes(outletId))) return false;
    if (opts.from && (!d.date || d.date < opts.from)) return false;
    if (opts.to && (!d.date || d.date > opts.to)) return false;
    return true;
  }

  function highlight(text: string, matched: Map<number, Expansion>): Range[] {
    const ranges: Range[] = [];
    for (const tok of tokenize(text)) {
      const id = termId.get(tok.term);
      const e = id === undefined ? undefined : matched.get(id);
      if (!e) continue;
      const sameLength = tok.end - tok.start === tok.term.length;
      const end = e.prefixLength && sameLength ? tok.start + e.prefixLength : tok.end;
      ranges.push([tok.start, end]);
    }
    return ranges;
  }

  function hit(ref: number, score: number, matched: Map<number, Expansion>): SearchHit {
    const d = docs[ref];
    const story = d.kind === 0 ? d : d.story >= 0 ? docs[d.story] : undefined;
    // Articles carry no snippet of their own (download size): they show their story's.
    const snippet = d.snippet || story?.snippet || '';
    return {
      ref,
      kind: d.kind === 0 ? 'story' : 'article',
      id: d.id,
      path: `${d.kind === 0 ? 'stories' : 'articles'}/${d.id}/`,
      title: d.title,
      storyTitle: story?.title ?? d.title,
      date: d.date,
      outlets: d.outlets.map((o) => data.outlets[o]),
      snippet,
      score,
      highlights: { title: highlight(d.title, matched), snippet: highlight(snippet, matched) },
      alsoMentions: terms(d.terms)
        .filter((t) => {
          const id = termId.get(t);
          return id !== undefined && matched.has(id);
        }),
    };
  }

  const total = new Float64Array(docs.length);
  const covered = new Uint8Array(docs.length);
  const best = new Float64Array(docs.length);

  function search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const limit = opts.limit ?? 20;
    const outletId = opts.outlet === undefined ? undefined : data.outlets.indexOf(opts.outlet);
    const { words, lastIsPrefix } = parseQuery(query);
    // One letter is not a query yet: it would match most of the index.
    if (words.length === 1 && lastIsPrefix && words[0].length < 2) words.pop();
    if (words.length === 0) {
      if (opts.outlet === undefined && !opts.from && !opts.to) return [];
      // Filters alone: browse, stories first, newest first.
      const refs = docs.map((_, i) => i).filter((i) => passes(docs[i], opts, outletId));
      refs.sort((a, b) => docs[a].kind - docs[b].kind || (docs[a].date < docs[b].date ? 1 : docs[a].date > docs[b].date ? -1 : a - b));
      return refs.slice(0, limit).map((r) => hit(r, 0, new Map()));
    }

    // Prefilter: per word, the best score each record gets from any expansion.
    // Scratch arrays are the searcher's own and reset through the touched lists.
    const seenAny: number[] = [];
    const matched = new Map<number, Expansion>();
    words.forEach((w, wi) => {
      const touched: number[] = [];
      for (const e of expand(w, lastIsPrefix && wi === words.length - 1)) {
        const p = postings[e.term];
        const base = e.quality * idf[e.term];
        for (let k = 0; k < p.docs.length; k++) {
          const doc = p.docs[k];
          const sc = base * MASK_WEIGHT[p.masks[k]];
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
    const pre = new Map<number, number>();
    for (const i of seenAny) {
      if (covered[i] === need && passes(docs[i], opts, outletId)) {
        cands.push(i);
        pre.set(i, total[i] * (docs[i].kind === 0 ? STORY_BOOST : 1));
      }
      total[i] = 0;
      covered[i] = 0;
    }
    if (cands.length === 0) return [];
    const keep = Math.max(RERANK, limit);
    // Only the best `keep` need ordering: cut at the keep-th best score first.
    let pool = cands;
    if (cands.length > keep) {
      const scores = Float64Array.from(cands, (i) => pre.get(i)!).sort();
      const cut = scores[scores.length - keep];
      pool = cands.filter((i) => pre.get(i)! >= cut);
    }
    const order = (a: number, b: number, sa: number, sb: number) =>
      sb - sa || docs[a].kind - docs[b].kind || (docs[a].date < docs[b].date ? 1 : docs[a].date > docs[b].date ? -1 : a - b);
    pool.sort((a, b) => order(a, b, pre.get(a)!, pre.get(b)!));
    const top = pool.slice(0, keep);

    // fuse.js over the candidates only: a sub-index cut from the parsed records.
    const sub = Fuse.parseIndex<number>({ keys: fuseKeys, records: top.map((r, j) => fuseRecord(data.fuse, r, j)) } as Parameters<typeof Fuse.parseIndex>[0]) as FuseIndex<number>;
    fuse.setCollection(top, sub);
    const expr: Expression = {
      $and: words.map((w) => ({ $or: FUSE_KEYS.map((k) => ({ [k.name]: w }) as Expression) })),
    };
    const fuseScore = new Map<number, number>();
    for (const r of fuse.search(expr)) fuseScore.set(top[r.refIndex], r.score ?? 1);
    const final = (i: number) => pre.get(i)! * (1 + 0.5 * (1 - (fuseScore.get(i) ?? 1)));
    const scored = top.map((i) => [i, final(i)] as const);
    scored.sort((a, b) => order(a[0], b[0], a[1], b[1]));
    return scored.slice(0, limit).map(([i, s]) => hit(i, s, matched));
  }

  return { search, outlets: [...data.outlets].sort((a, b) => a.localeCompare(b, 'en')), size: docs.length };
}
