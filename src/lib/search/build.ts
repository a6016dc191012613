/**
 * Builds the search index at build time: one small record per story and per
 * article, stored by column with each text column one string, a line per
 * record (format.ts). The client builds its inverted index from those lines
 * and, for the few records it ranks, fuse.js's index records (values and
 * norms, as `Fuse.createIndex` gives them).
 *
 * Minimal fields, to keep the download small at 10,000 articles:
 *  - title (story headline or article title),
 *  - terms: the few most distinctive words of the body (names first) that
 *    the title does not already carry, so a story is found by what it is
 *    about even when the words are only in the article bodies,
 *  - a short snippet (stories: dek or first summary sentence; articles: the
 *    start of the excerpt),
 *  - outlets and date, as a string table and a plain string.
 *
 * Pure and deterministic: the same content gives byte-identical JSON.
 */
import Fuse from 'fuse.js';
import { isKeyword, tokenize } from './text';
import { dayNumber, FUSE_KEYS, INDEX_VERSION, type SearchIndexData } from './format';

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
  /** Distinctive body words kept per article, beyond those its story already has. */
  articleTerms: number;
  /** Snippet lengths, in characters (cut at a word boundary). */
  storySnippet: number;
  articleSnippet: number;
}

export const defaultBuildOptions: BuildOptions = {
  storyTerms: 10,
  articleTerms: 0,
  storySnippet: 120,
  articleSnippet: 0,
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

/** Scores for each keyword of a text: tf-idf, names (mostly capitalised mid-sentence) doubled. */
function keywordScores(stat: TermStat, df: Map<string, number>, n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [term, tf] of stat.tf) {
    const idf = Math.log(1 + n / (df.get(term) ?? 1));
    const name = (stat.caps.get(term) ?? 0) * 2 >= tf ? 2 : 1;
    out.set(term, (1 + Math.log(tf)) * idf * name);
  }
  return out;
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

/**
 * Builds the serialisable index: each story (in the order given) followed by
 * its articles sorted by id, then any article whose story is not given.
 */
export function buildSearchIndex(
  input: { stories: SearchStoryInput[]; articles: SearchArticleInput[] },
  options: Partial<BuildOptions> = {},
): SearchIndexData {
  const opts = { ...defaultBuildOptions, ...options };
  const articles = [...input.articles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const stats = new Map<string, TermStat>();
  const df = new Map<string, number>();
  for (const a of articles) {
    const st = a.terms ?? bodyTermStats(a.body);
    stats.set(a.id, st);
    for (const t of st.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = Math.max(1, articles.length);
  const articleScores = new Map(articles.map((a) => [a.id, keywordScores(stats.get(a.id)!, df, n)]));

  const outlets: string[] = [];
  const outletIdx = new Map<string, number>();
  const outletRef = (name: string) => {
    let i = outletIdx.get(name);
    if (i === undefined) {
      i = outlets.length;
      outlets.push(name);
      outletIdx.set(name, i);
    }
    return i;
  };

  const ids: string[] = [];
  const storySize: number[] = [];
  const storyDates: string[] = [];
  const storyOutlets: number[][] = [];
  const articleDay: (number | null)[] = [];
  const articleOutlet: number[] = [];
  const fuseDocs: { title: string; terms: string; snippet: string }[] = [];

  const byStory = new Map<string, SearchArticleInput[]>();
  for (const a of articles) {
    if (!byStory.has(a.story)) byStory.set(a.story, []);
    byStory.get(a.story)!.push(a);
  }
  /** Per record: 1 + the record index of its story, for an article in a story; 0 otherwise. */
  const inherits: number[] = [];
  const pushArticle = (a: SearchArticleInput, storyDate: string, storyTerms: Set<string>, storyRef: number) => {
    inherits.push(storyRef + 1);
    const exclude = new Set([...termSet(a.title), ...storyTerms]);
    const chosen = top(articleScores.get(a.id)!, opts.articleTerms, exclude);
    ids.push(a.id);
    articleDay.push(!a.date ? null : storyDate ? dayNumber(a.date) - dayNumber(storyDate) : dayNumber(a.date));
    articleOutlet.push(outletRef(a.source));
    fuseDocs.push({ title: a.title, terms: chosen.join(' '), snippet: clip(a.excerpt, opts.articleSnippet) });
  };

  const placed = new Set<string>();
  for (const s of input.stories) {
    // A story's terms: the summed keyword scores of its articles, entity names added in.
    const sum = new Map<string, number>();
    for (const id of s.articles) {
      for (const [t, v] of articleScores.get(id) ?? []) sum.set(t, (sum.get(t) ?? 0) + v);
    }
    let maxScore = 0;
    for (const v of sum.values()) maxScore = Math.max(maxScore, v);
    for (const e of s.entities ?? []) {
      for (const t of termSet(e)) if (isKeyword(t)) sum.set(t, (sum.get(t) ?? 0) + maxScore);
    }
    const chosen = top(sum, opts.storyTerms, termSet(s.headline));
    const date = s.lastDate ?? '';
    const ref = ids.length;
    inherits.push(0);
    ids.push(s.id);
    storyDates.push(date);
    storyOutlets.push([...new Set(s.sources)].map(outletRef));
    fuseDocs.push({ title: s.headline, terms: chosen.join(' '), snippet: clip(s.dek || s.lead, opts.storySnippet) });
    const members = placed.has(s.id) ? [] : (byStory.get(s.id) ?? []);
    placed.add(s.id);
    storySize.push(members.length);
    const covered = new Set([...chosen, ...termSet(s.headline)]);
    for (const a of members) pushArticle(a, date, covered, ref);
  }
  const orphans = articles.filter((a) => !placed.has(a.story));
  for (const a of orphans) pushArticle(a, '', new Set(), -1);

  // fuse.js's own index is built on the client, for the few records it ranks
  // per keystroke: its values are these lines and its norms follow from them
  // (format.ts). Only the keys, as fuse.js normalises them, are stored.
  const keys = Fuse.createIndex([...FUSE_KEYS], []).toJSON().keys;
  for (const id of ids) if (/[\r\n]/.test(id)) throw new Error(`search index: record id with a line break: ${JSON.stringify(id)}`);
  const line = (v: string) => (v.trim() ? v.replace(/[\r\n]/g, ' ') : '');
  const text = FUSE_KEYS.map((key) =>
    fuseDocs
      .map((d, r) => {
        if (key.name !== 'title') return line(d[key.name]);
        // An article titled as its story: an empty line (its story's title is a few lines up).
        if (inherits[r] && d.title === fuseDocs[inherits[r] - 1].title) return '';
        // Not to be read as inherited: a blank title is a space (fuse.js and the search see nothing either way).
        return line(d.title) || (inherits[r] ? ' ' : '');
      })
      .join('\n'),
  );
  return {
    v: INDEX_VERSION,
    storySize,
    orphans: orphans.length,
    ids: ids.join('\n'),
    storyDates,
    storyOutlets,
    articleDay,
    articleOutlet,
    outlets,
    keys: keys.map((k) => ({ path: [...k.path], id: k.id, weight: k.weight, src: k.src })),
    text,
  };
}

/**
 * The index as the JSON the site serves: non-ASCII characters written as
 * \u escapes, so the file is ASCII and the browser reads it without UTF-8
 * decoding (a few ms less between download and first result; +1.5% raw,
 * +0.1% gzip). JSON.parse gives back the same index.
 */
export function serializeSearchIndex(index: SearchIndexData): string {
  return JSON.stringify(index).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
