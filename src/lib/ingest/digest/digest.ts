/**
 * Digest stage: a story's articles -> the Story record the site renders.
 * Everything is extractive and deterministic: the headline is one of the
 * sources' titles (digest/headline.ts), every summary sentence and quote is verbatim from a cleaned
 * body, and a citation names an article only when that article carries the
 * sentence verbatim or near-verbatim (summary.ts explains "carries").
 *
 * Modules: summary.ts (sentences, carriers, summary, only-here),
 * quotes.ts (quotes and speakers), figures.ts (numbers, conflicting figures),
 * digest-entities.ts (people, places, organisations).
 */
import type { Story } from '../../schema.ts';
import type { Article, Assignment } from '../types.ts';
import { chronologicalArticles as chronological } from '../stories/items.ts';
import { StoryText, defaultSummaryOptions, onlyHere, pickSummary, type SummaryOptions } from './summary.ts';
import { pickHeadline } from './headline.ts';
import { defaultQuoteOptions, storyQuotes, type QuoteOptions } from './quotes.ts';
import { conflicts, findFigures, onlyHereFigures } from './figures.ts';
import { storyEntities } from './digest-entities.ts';
import { relatedByName } from './related.ts';

export interface DigestOptions {
  summary: Partial<SummaryOptions>;
  quotes: Partial<QuoteOptions>;
  /** Most entity chips. */
  entities: number;
  /** Most near-miss stories kept (the page shows at most three that share a name). */
  related: number;
}

export const defaultDigestOptions: DigestOptions = { summary: {}, quotes: {}, entities: 12, related: 6 };

/** What clustering knows about a story beyond its members; a bare id works too. */
export interface StoryContext {
  id: string;
  /** Near-miss stories with the entity names shared with them (cluster.ts). */
  related?: Array<{ id: string; score: number; shared?: string[] }>;
}

export function digest(
  story: string | StoryContext,
  members: Article[],
  assignments: Map<string, Assignment>,
  options: Partial<DigestOptions> = {},
): Story {
  const ctx: StoryContext = typeof story === 'string' ? { id: story } : story;
  const opts = { ...defaultDigestOptions, ...options };
  const sOpts = { ...defaultSummaryOptions, ...opts.summary };
  const qOpts = { ...defaultQuoteOptions, ...opts.quotes };
  const articles = [...members].sort(chronological);
  const ids = articles.map((a) => a.id);

  const cards = cardsOf(articles, assignments);
  const republications = articles.filter((a) => assignments.get(a.id)?.copyOf).length;

  const text = new StoryText(articles);
  const summary = pickSummary(text, cards, sOpts).map((s) => ({
    text: s.text,
    citations: text.carriers(s, sOpts.carryContainment).map((i) => ids[i]),
  }));
  // After the summary: the headline leans towards the title whose words the summary uses.
  const leads = text.sentences.map((list) => list.slice(0, 2).map((x) => x.text).join(' '));
  const headline = pickHeadline(articles, cards, leads, text.foldedBodies, undefined, summary.map((s) => s.text).join(' '));
  const quotes = storyQuotes(text, cards, qOpts).map((q) => ({ text: q.text, speaker: q.speaker, articles: q.articles.map((i) => ids[i]) }));

  const figures = articles.map((a) => a.body.filter((b) => b.kind === 'p').flatMap((b) => findFigures(b.text)));
  const only: Record<string, string[]> = {};
  for (const [i, list] of onlyHere(text, cards, sOpts)) only[ids[i]] = list;
  const onlyFigures: Record<string, string[]> = {};
  for (const [i, list] of onlyHereFigures(figures, cards, text.foldedBodies)) onlyFigures[ids[i]] = list;

  const cardIdx = [...new Set(cards)];
  const cardTexts = cardIdx.map((i) => `${articles[i].title}\n${articles[i].body.map((b) => b.text).join('\n')}`);
  const speakers = quotes.map((q) => q.speaker).filter((s): s is string => !!s);
  const entities = storyEntities(cardTexts, speakers, opts.entities);

  const dates = articles.map((a) => a.date).filter((d): d is string => !!d).sort();
  const sources: string[] = [];
  for (const a of articles) if (!sources.includes(a.source)) sources.push(a.source);

  return {
    id: ctx.id,
    headline: headline.text,
    headlineFrom: articles[headline.index].id,
    dek: articles[headline.index].dek,
    articles: ids,
    sources,
    firstDate: dates[0] ?? null,
    lastDate: dates[dates.length - 1] ?? null,
    independent: articles.length - republications,
    republications,
    summary,
    quotes,
    onlyHere: only,
    onlyHereFigures: onlyFigures,
    conflicts: conflicts(figures, cards).map((c) => ({ kind: c.kind, values: c.values.map((v) => ({ value: v.value, articles: v.articles.map((i) => ids[i]) })) })),
    entities,
    why: articles.map((a) => ({
      article: a.id,
      score: assignments.get(a.id)?.score ?? 1,
      shared: assignments.get(a.id)?.shared ?? [],
    })),
    related: relatedByName(ctx.related ?? [], cardTexts, speakers, sources, opts.related),
  };
}

/** Each article's card: its own index, or its original's when it republishes an article of the story. */
export function cardsOf(articles: Article[], assignments: Map<string, Assignment>): number[] {
  const indexOf = new Map(articles.map((a, i) => [a.id, i]));
  return articles.map((_, i) => {
    let at = i;
    for (let hops = 0; hops < 5; hops++) {
      const orig = assignments.get(articles[at].id)?.copyOf;
      const j = orig ? indexOf.get(orig) : undefined;
      if (j === undefined || j === at) break;
      at = j;
    }
    return at;
  });
}

