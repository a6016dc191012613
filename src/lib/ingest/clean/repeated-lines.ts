/**
 * Corpus-level cleaning: a line that recurs across several articles of the same
 * outlet is that outlet's boilerplate (a standing footer, a section menu, a
 * "follow us" line), whatever its wording. The per-file cleaner cannot see this;
 * this pure step runs once over all articles, after metadata has named outlets.
 *
 * Only articles whose outlet is known are compared (an `unknown` pile mixes
 * sites, and two wire copies sharing a sentence are not boilerplate). A block is
 * removed only when it recurs in at least `minArticles` articles and in at least
 * `minShare` of that outlet's articles, and never when that would empty a body.
 */
import type { Article } from '../types.ts';
import { foldForCompare, splitSentences, truncate, wordCount } from '../../text.ts';

export interface RepeatedLinesOptions {
  minArticles: number;
  minShare: number;
}

export const defaultRepeatedLinesOptions: RepeatedLinesOptions = { minArticles: 3, minShare: 0.5 };

export function dropRepeatedLines(articles: Article[], options: Partial<RepeatedLinesOptions> = {}): Article[] {
  const opts = { ...defaultRepeatedLinesOptions, ...options };
  const byOutlet = new Map<string, Article[]>();
  for (const a of articles) {
    if (a.source === 'unknown') continue;
    const key = a.source.toLowerCase();
    byOutlet.set(key, [...(byOutlet.get(key) ?? []), a]);
  }
  const repeated = new Map<string, Set<string>>();
  for (const [outlet, group] of byOutlet) {
    if (group.length < opts.minArticles) continue;
    const counts = new Map<string, number>();
    for (const a of group) {
      for (const line of new Set(a.body.map((b) => foldForCompare(b.text)))) if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    const need = Math.max(opts.minArticles, Math.ceil(group.length * opts.minShare));
    const lines = new Set([...counts].filter(([, n]) => n >= need).map(([line]) => line));
    if (lines.size) repeated.set(outlet, lines);
  }
  if (repeated.size === 0) return articles;
  return articles.map((a) => {
    const lines = repeated.get(a.source.toLowerCase());
    if (!lines) return a;
    const body = a.body.filter((b) => !lines.has(foldForCompare(b.text)));
    if (body.length === a.body.length || body.length === 0) return a;
    const removed = [
      ...a.removed,
      ...a.body.filter((b) => lines.has(foldForCompare(b.text))).map((b) => ({ kind: 'repeated-line', text: truncate(b.text, 280) })),
    ];
    const text = body.filter((b) => b.kind === 'p').map((b) => b.text).join('\n\n');
    return { ...a, body, removed, words: wordCount(text), excerpt: excerptStillValid(a.excerpt, text) };
  });
}

/** The excerpt is the body's first sentences; rebuild it only if a removed line was part of it. */
function excerptStillValid(excerpt: string, text: string): string {
  const plain = excerpt.replace(/…$/, '');
  if (text.includes(plain)) return excerpt;
  return truncate(splitSentences(text.split('\n\n')[0] ?? '').join(' '), 300);
}
