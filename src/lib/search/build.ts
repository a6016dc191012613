/**
 * What the search index says about each story, at build time: one record per
 * story with its articles (`buildSearchRecords`), which chunks.ts files into
 * the chunked index. Minimal fields, so a result's fragment stays small:
 *  - the headline, and each article's own title when it differs;
 *  - terms: the few most distinctive words of the articles' bodies (names
 *    first) that the headline does not already carry, so a story is found by
 *    what it is about even when the words are only in the bodies;
 *  - a short snippet (the dek or first summary sentence);
 *  - outlets and dates.
 * Bodies are read only for their keyword counts and never shipped.
 *
 * Pure and deterministic: the same content gives the same records.
 */
import { isKeyword, tokenize } from './text';

export interface SearchStoryInput {
  id: string;
  headline: string;
  dek?: string | null;
  /** First summary sentence, or any short lead. */
  lead?: string | null;
  sources: string[];
  lastDate?: string | null;
  articles: string[];
  /** Named entities of the story, if the digest found any. */
  entities?: string[];
}

export interface SearchArticleInput {
  id: string;
  title: string;
  source: string;
  date?: string | null;
  excerpt?: string | null;
  /** Body text (Markdown or plain), only read for keywords; never shipped. */
  body: string;
  /** The body's keyword counts, `bodyTermStats(body)`, when the caller kept them (then `body` is not read). */
  terms?: TermStat;
  story: string;
}

export interface BuildOptions {
  /** Distinctive body words kept per story. */
  storyTerms: number;
  /** Snippet length, in characters (cut at a word boundary). */
  storySnippet: number;
}

export const defaultBuildOptions: BuildOptions = {
  storyTerms: 10,
  storySnippet: 120,
};

/** Cuts `text` to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function clip(text: string | null | undefined, max: number): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  if (max <= 0) return '';
  if (t.length <= max) return t;
  const cut = t.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.5 ? cut.slice(0, space) : t.slice(0, max)).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** Markdown syntax that is not words: links' targets, images, emphasis marks. */
function plainBody(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[*_`#>|]+/g, ' ');
}

export interface TermStat {
  tf: Map<string, number>;
  /** Occurrences not at a sentence start that begin with a capital: names. */
  caps: Map<string, number>;
}

/**
 * What the index reads of one article's body: its keyword counts. It depends
 * on the body alone, so a build may keep it between runs (src/lib/store/search-terms.ts):
 * tokenising 10,000 bodies is most of the index's cost, and a drop-in changes a few.
 */
export function bodyTermStats(body: string): TermStat {
  return termStats(plainBody(body));
}

/**
 * One line: `term count caps` for each keyword, in order. Terms are letters,
 * marks and digits only (text.ts, tokenize), so a space never occurs in one.
 */
export function packTermStats(stat: TermStat): string {
  const parts: string[] = [];
  for (const [term, tf] of stat.tf) parts.push(`${term} ${tf} ${stat.caps.get(term) ?? 0}`);
  return parts.join(' ');
}

export function unpackTermStats(text: string): TermStat {
  const tf = new Map<string, number>();
  const caps = new Map<string, number>();
  const parts = text ? text.split(' ') : [];
  for (let i = 0; i + 2 < parts.length; i += 3) {
    tf.set(parts[i], Number(parts[i + 1]));
    const c = Number(parts[i + 2]);
    if (c) caps.set(parts[i], c);
  }
  return { tf, caps };
}

function termStats(text: string): TermStat {
  const tf = new Map<string, number>();
  const caps = new Map<string, number>();
  for (const tok of tokenize(text)) {
    if (!isKeyword(tok.term)) continue;
    tf.set(tok.term, (tf.get(tok.term) ?? 0) + 1);
    const first = text[tok.start];
    if (first !== first.toLowerCase()) {
      const before = text.slice(Math.max(0, tok.start - 3), tok.start).trimEnd();
      if (before && !/[.!?:"“”'‘’(\n—–-]$/.test(before)) caps.set(tok.term, (caps.get(tok.term) ?? 0) + 1);
    }
  }
  return { tf, caps };
}

/**
 * idf on a coarse scale, so a drop-in does not re-choose every story's terms:
 * the article count rounded up to a power of two (everything is re-chosen
 * once per doubling of the archive), a word's article count rounded to an
 * octave, and every word in at most RARE articles counted as equally rare.
 * Exact counts would shift every word's idf a little with each article, and
 * with it the terms of the stories whose 10th and 11th words were close; rare
 * words (names, mostly) are the likeliest terms and their counts change most
 * often (1 to 2 is a doubling).
 */
const RARE = 8;
export function stableIdf(df: number, articles: number): number {
  const n = 2 ** Math.ceil(Math.log2(Math.max(2, articles)));
  const d = 2 ** Math.round(Math.log2(Math.max(RARE, df)));
  return Math.log(1 + n / d);
}

/** Adds each keyword's score in one article to `sum`: tf-idf, names (mostly capitalised mid-sentence) doubled. */
function addKeywordScores(sum: Map<string, number>, stat: TermStat, idf: (term: string) => number): void {
  for (const [term, tf] of stat.tf) {
    const name = (stat.caps.get(term) ?? 0) * 2 >= tf ? 2 : 1;
    sum.set(term, (sum.get(term) ?? 0) + (1 + Math.log(tf)) * idf(term) * name);
  }
}

/** The `k` best-scoring terms not in `exclude`, best first, ties alphabetical (deterministic). */
function top(scores: Map<string, number>, k: number, exclude: Set<string>): string[] {
  const better = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  const kept: [string, number][] = [];
  if (k <= 0) return [];
  for (const e of scores) {
    if (exclude.has(e[0])) continue;
    if (kept.length === k && !better(e, kept[k - 1])) continue;
    let i = kept.length < k ? kept.length : k - 1;
    kept[i] = e;
    while (i > 0 && better(kept[i], kept[i - 1])) {
      [kept[i], kept[i - 1]] = [kept[i - 1], kept[i]];
      i--;
    }
  }
  return kept.map(([t]) => t);
}

const termSet = (text: string) => new Set(tokenize(text).map((t) => t.term));

/** An article of a story record. */
export interface ArticleRecord {
  id: string;
  title: string;
  outlet: string;
  /** YYYY-MM-DD, or '' when undated. */
  date: string;
}

/** A story and its articles, as the index holds them. */
export interface StoryRecord {
  /** '' for the articles of a story that was not given (each such article is a record of its own). */
  id: string;
  headline: string;
  /** Distinctive body words the headline lacks, alphabetically. */
  terms: string[];
  snippet: string;
  /** The story's last date (its articles' latest), '' when undated. */
  date: string;
  outlets: string[];
  /** Sorted by id. */
  articles: ArticleRecord[];
}

/** What an article is in a story record. */
export function articleRecord(a: Pick<SearchArticleInput, 'id' | 'title' | 'source' | 'date'>): ArticleRecord {
  return {
    id: a.id,
    // A blank title is a space: nothing to search or show, but not the story's headline either.
    title: a.title.replace(/[\r\n]+/g, ' ').trim() || ' ',
    outlet: a.source,
    date: a.date ?? '',
  };
}

/** The record of an article whose story was not given: a record of its own. */
export function loneArticleRecord(a: Pick<SearchArticleInput, 'id' | 'title' | 'source' | 'date'>): StoryRecord {
  return { id: '', headline: '', terms: [], snippet: '', date: a.date ?? '', outlets: [a.source], articles: [articleRecord(a)] };
}

/**
 * One story's record: `members` are the articles whose story it is (sorted by
 * id), `statsOf` an article's keyword counts by id (the story's `articles`),
 * `idf` a word's weight over the whole archive (stableIdf of its article count).
 * A pure function of these, so a build may keep records between runs and make
 * again only those whose inputs or words' weights changed (store/search-terms.ts).
 */
export function storyRecord(
  s: SearchStoryInput,
  members: ReadonlyArray<Pick<SearchArticleInput, 'id' | 'title' | 'source' | 'date'>>,
  statsOf: (id: string) => TermStat | undefined,
  idf: (term: string) => number,
  options: Partial<BuildOptions> = {},
): StoryRecord {
  const opts = { ...defaultBuildOptions, ...options };
  // A story's terms: the summed keyword scores of its articles, entity names added in.
  const sum = new Map<string, number>();
  for (const id of s.articles) {
    const st = statsOf(id);
    if (!st) continue;
    addKeywordScores(sum, st, idf);
  }
  let maxScore = 0;
  for (const v of sum.values()) maxScore = Math.max(maxScore, v);
  for (const e of s.entities ?? []) {
    for (const t of termSet(e)) if (isKeyword(t)) sum.set(t, (sum.get(t) ?? 0) + maxScore);
  }
  return {
    id: s.id,
    headline: s.headline.replace(/[\r\n]+/g, ' '),
    // Alphabetical, not best first: the same set in another order would rewrite the fragment.
    terms: top(sum, opts.storyTerms, termSet(s.headline)).sort(),
    snippet: clip(s.dek || s.lead, opts.storySnippet),
    date: s.lastDate ?? '',
    outlets: [...new Set(s.sources)],
    articles: members.map(articleRecord),
  };
}

/** Articles by id, in place: the order records list them in. */
export const byArticleId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One record per story (in the order given), its articles sorted by id; then,
 * for each article whose story is not given, a record with no story.
 */
export function buildSearchRecords(
  input: { stories: SearchStoryInput[]; articles: SearchArticleInput[] },
  options: Partial<BuildOptions> = {},
): StoryRecord[] {
  const articles = [...input.articles].sort(byArticleId);
  const stats = new Map<string, TermStat>();
  const df = new Map<string, number>();
  for (const a of articles) {
    const st = a.terms ?? bodyTermStats(a.body);
    stats.set(a.id, st);
    for (const t of st.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  // idf per word, made when first needed (a few coarse values: stableIdf).
  const idfs = new Map<string, number>();
  const idf = (term: string) => {
    let v = idfs.get(term);
    if (v === undefined) idfs.set(term, (v = stableIdf(df.get(term) ?? 1, articles.length)));
    return v;
  };
  const byStory = new Map<string, SearchArticleInput[]>();
  for (const a of articles) {
    const list = byStory.get(a.story);
    if (list) list.push(a);
    else byStory.set(a.story, [a]);
  }
  const out: StoryRecord[] = [];
  const placed = new Set<string>();
  for (const s of input.stories) {
    const members = placed.has(s.id) ? [] : (byStory.get(s.id) ?? []);
    placed.add(s.id);
    out.push(storyRecord(s, members, (id) => stats.get(id), idf, options));
  }
  for (const a of articles) if (!placed.has(a.story)) out.push(loneArticleRecord(a));
  return out;
}
