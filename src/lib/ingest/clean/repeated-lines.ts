/**
 * Corpus-level cleaning: a line that recurs across several articles of the same
 * outlet is that outlet's boilerplate (a standing footer, a section menu, a
 * "follow us" line), whatever its wording. The per-file cleaner cannot see this;
 * this pure step runs over the articles of one shard (one top-level folder of
 * the drop folder, describe/ids.ts `shardOf`: a month of a newsroom's archive),
 * after metadata has named outlets.
 *
 * Only articles whose outlet is known are compared (an `unknown` pile mixes
 * sites, and two wire copies sharing a sentence are not boilerplate). A block is
 * removed only when it recurs in at least `minArticles` articles and in at least
 * `minShare` of that outlet's articles in the shard, and never when that would
 * empty a body.
 *
 * Why per shard and not over the whole archive: an outlet's footer is a matter
 * of weeks, not of years (a site changes its template), and a shard's counts
 * are all a drop-in has to bring up to date. The counts are kept by line hash
 * (`OutletLines`), so the build keeps them between runs and adjusts them by the
 * files that changed (`adjustLines`) instead of reading every body of the shard.
 */
import type { Article } from '../types.ts';
import { foldForCompare, shortHash, splitSentences, truncate, wordCount } from '../../text.ts';

export interface RepeatedLinesOptions {
  minArticles: number;
  minShare: number;
}

export const defaultRepeatedLinesOptions: RepeatedLinesOptions = { minArticles: 3, minShare: 0.5 };

/** One outlet's articles in a shard: how many, and how many of them hold each line (by line key). */
export interface OutletLines {
  n: number;
  counts: Map<string, number>;
}

/** Outlet key (lower-cased name) -> its line counts. */
export type LineCounts = Map<string, OutletLines>;

/** Outlet key -> the line keys that are its boilerplate. */
export type RepeatedLines = Map<string, Set<string>>;

/** The outlet an article is counted under; null when its outlet is unknown. */
export function outletKey(article: Pick<Article, 'source'>): string | null {
  return article.source === 'unknown' ? null : article.source.toLowerCase();
}

/**
 * A block's key: a 64-bit hash of its folded text ('' for a block with no
 * words). A hash, so the counts can be kept between builds in little space;
 * at 64 bits two distinct lines of one shard never meet in practice.
 */
export function lineKey(text: string): string {
  const folded = foldForCompare(text);
  return folded ? shortHash(folded, 16) : '';
}

/** The distinct line keys of an article's body. */
export function lineKeys(article: Pick<Article, 'body'>): string[] {
  const keys = new Set<string>();
  for (const b of article.body) {
    const key = lineKey(b.text);
    if (key) keys.add(key);
  }
  return [...keys];
}

/** Adds (`sign` 1) or takes away (-1) one article's lines, given by `lineKeys`, from the counts. */
export function adjustLines(counts: LineCounts, outlet: string | null, keys: readonly string[], sign: 1 | -1): void {
  if (outlet === null) return;
  let o = counts.get(outlet);
  if (!o) counts.set(outlet, (o = { n: 0, counts: new Map() }));
  o.n += sign;
  for (const key of keys) {
    const n = (o.counts.get(key) ?? 0) + sign;
    if (n > 0) o.counts.set(key, n);
    else o.counts.delete(key);
  }
  if (o.n <= 0) counts.delete(outlet);
}

export function countLines(articles: readonly Article[]): LineCounts {
  const counts: LineCounts = new Map();
  for (const a of articles) adjustLines(counts, outletKey(a), lineKeys(a), 1);
  return counts;
}

/** The lines of one outlet that are boilerplate: in at least minArticles and minShare of its articles. */
export function repeatedOf(lines: OutletLines, options: Partial<RepeatedLinesOptions> = {}): Set<string> {
  const opts = { ...defaultRepeatedLinesOptions, ...options };
  const out = new Set<string>();
  if (lines.n < opts.minArticles) return out;
  const need = Math.max(opts.minArticles, Math.ceil(lines.n * opts.minShare));
  for (const [key, n] of lines.counts) if (n >= need) out.add(key);
  return out;
}

export function repeatedLines(counts: LineCounts, options: Partial<RepeatedLinesOptions> = {}): RepeatedLines {
  const out: RepeatedLines = new Map();
  for (const [outlet, lines] of counts) {
    const set = repeatedOf(lines, options);
    if (set.size) out.set(outlet, set);
  }
  return out;
}

/** The article without its outlet's boilerplate lines (itself when none apply, or all of its body would go). */
export function withoutRepeated(a: Article, repeated: RepeatedLines): Article {
  const outlet = outletKey(a);
  const lines = outlet === null ? undefined : repeated.get(outlet);
  if (!lines) return a;
  const keys = a.body.map((b) => lineKey(b.text));
  const body = a.body.filter((_, i) => !lines.has(keys[i]));
  if (body.length === a.body.length || body.length === 0) return a;
  const removed = [...a.removed, ...a.body.filter((_, i) => lines.has(keys[i])).map((b) => ({ kind: 'repeated-line', text: truncate(b.text, 280) }))];
  const text = body.filter((b) => b.kind === 'p').map((b) => b.text).join('\n\n');
  return { ...a, body, removed, words: wordCount(text), excerpt: excerptStillValid(a.excerpt, text) };
}

/** Drops the lines each outlet repeats across `articles` (the articles of one shard). */
export function dropRepeatedLines(articles: Article[], options: Partial<RepeatedLinesOptions> = {}): Article[] {
  const repeated = repeatedLines(countLines(articles), options);
  if (repeated.size === 0) return articles;
  return articles.map((a) => withoutRepeated(a, repeated));
}

/** The excerpt is the body's first sentences; rebuild it only if a removed line was part of it. */
function excerptStillValid(excerpt: string, text: string): string {
  const plain = excerpt.replace(/…$/, '');
  if (text.includes(plain)) return excerpt;
  return truncate(splitSentences(text.split('\n\n')[0] ?? '').join(' '), 300);
}
