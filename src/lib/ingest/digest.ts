/**
 * Digest stage: a story's articles -> the Story record the site renders.
 * Everything is extractive: the headline is one of the sources' titles, every
 * summary sentence is verbatim from a cleaned body and cites the articles that
 * carry it.
 */
import type { Story } from '../schema.ts';
import type { Article, Assignment } from './types.ts';
import { chronological } from './cluster.ts';
import { foldForCompare, splitSentences, tokens, wordCount } from '../text.ts';

export interface DigestOptions {
  /** Most summary sentences. */
  summarySentences: number;
  /** Sentences shorter than this (words) are not summary material. */
  minSentenceWords: number;
  /** Share of a sentence's content words another article must carry to be cited for it. */
  citeOverlap: number;
}

export const defaultDigestOptions: DigestOptions = {
  summarySentences: 4,
  minSentenceWords: 8,
  citeOverlap: 0.6,
};

export function digest(
  storyId: string,
  members: Article[],
  assignments: Map<string, Assignment>,
  options: Partial<DigestOptions> = {},
): Story {
  const opts = { ...defaultDigestOptions, ...options };
  const articles = [...members].sort(chronological);
  const bags = articles.map((a) => new Set(tokens(`${a.title} ${a.body.map((b) => b.text).join(' ')}`)));

  // The most central article: highest mean overlap with the others.
  let central = 0;
  let bestCentrality = -1;
  articles.forEach((_, i) => {
    let sum = 0;
    articles.forEach((_, j) => {
      if (i !== j) sum += overlap(bags[i], bags[j]);
    });
    const score = articles.length > 1 ? sum / (articles.length - 1) : 0;
    const derivedPenalty = articles[i].titleDerived ? 1 : 0;
    if (score - derivedPenalty > bestCentrality) {
      bestCentrality = score - derivedPenalty;
      central = i;
    }
  });

  const dates = articles.map((a) => a.date).filter((d): d is string => !!d).sort();
  const sources: string[] = [];
  for (const a of articles) if (!sources.includes(a.source)) sources.push(a.source);
  const republications = articles.filter((a) => assignments.get(a.id)?.copyOf).length;

  return {
    id: storyId,
    headline: articles[central].title,
    headlineFrom: articles[central].id,
    dek: articles[central].dek,
    articles: articles.map((a) => a.id),
    sources,
    firstDate: dates[0] ?? null,
    lastDate: dates[dates.length - 1] ?? null,
    independent: articles.length - republications,
    republications,
    summary: summarise(articles, central, opts),
    quotes: [],
    onlyHere: {},
    conflicts: [],
    entities: [],
    why: articles.map((a) => ({
      article: a.id,
      score: assignments.get(a.id)?.score ?? 1,
      shared: assignments.get(a.id)?.shared ?? [],
    })),
    related: [],
  };
}

function overlap(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (Math.min(a.size, b.size) || 1);
}

/** Sentences of the central article, ranked by how many sources carry them, in reading order. */
function summarise(articles: Article[], central: number, opts: DigestOptions) {
  const sentences = articles[central].body
    .filter((b) => b.kind === 'p')
    .flatMap((b) => splitSentences(b.text))
    .filter((s) => wordCount(s) >= opts.minSentenceWords);
  const folded = articles.map((a) => new Set(tokens(a.body.map((b) => b.text).join(' '))));
  const scored = sentences.map((text, order) => {
    const words = tokens(text).filter((t) => t.length > 3);
    const citations = articles
      .filter((a, i) => {
        if (i === central) return true;
        const hits = words.filter((w) => folded[i].has(w)).length;
        return words.length > 0 && hits / words.length >= opts.citeOverlap;
      })
      .map((a) => a.id);
    return { text, citations, order, weight: citations.length - order * 0.01 };
  });
  return scored
    .sort((a, b) => b.weight - a.weight)
    .slice(0, opts.summarySentences)
    .sort((a, b) => a.order - b.order)
    .map(({ text, citations }) => ({ text, citations }));
}

/** Folded form used to check that a sentence is verbatim in a body. */
export function isVerbatimIn(sentence: string, article: Article): boolean {
  return foldForCompare(article.body.map((b) => b.text).join(' ')).includes(foldForCompare(sentence));
}
