/**
 * The story's headline: one of its sources' own titles (an outlet suffix such
 * as " | Outlet" or " - Outlet" trimmed), the one an editor writing a neutral
 * headline for the story would most likely echo.
 *
 * For each word of each title, a small logistic model (headline-model.json,
 * fitted by scripts/train/digest.ts to the AllSides editors' headlines) gives
 * the chance that the editor's headline uses it, from how many other sources
 * use the word in their title, lead and body (consensus), whether the title's
 * own lead uses it, whether it is a function word or a number, and marks of the
 * title as a whole that editors avoid: a question, "!", quotation marks, a
 * colon, shouting capitals, first or second person, a cut-off ("…").
 * The title picked maximises the expected ROUGE-1 F1 those chances give,
 * 2 x (sum of its distinct words' chances) / (its length + `refLength`),
 * plus a little of the title's support by the other sources' bodies.
 * Derived titles (no headline in the source) and republications lose to real
 * titles of original cards. Pure: the weights are a JSON import.
 */
import { eng as englishStopwords } from 'stopword';
import type { Article } from '../types.ts';
import { foldForCompare, foldPlural } from '../../text.ts';
import model from './headline-model.json' with { type: 'json' };

export const WORD_FEATURES = ['otherTitles', 'otherLeads', 'otherBodies', 'ownLead', 'stop', 'number', 'single'] as const;
export const TITLE_FEATURES = ['question', 'exclamation', 'quotes', 'colon', 'shouting', 'person', 'cut'] as const;

export interface HeadlineModel {
  features: readonly string[];
  weights: number[];
  bias: number;
  /** The editor's headline length the expected F1 assumes, in words (chosen on the dev halves). */
  refLength: number;
  /** Weight of the title's support by the other cards' bodies (`titleSupport`) beside the expected F1 (chosen on the halves). */
  supportWeight: number;
}

export const headlineModel: HeadlineModel = model as HeadlineModel;

const STOP = new Set(englishStopwords);

/** Words as ROUGE counts them: folded, apostrophes split ("Biden's" -> biden, s). */
export const headlineWords = (text: string): string[] => foldForCompare(text).replace(/'/g, ' ').split(' ').filter(Boolean);

/** The title without a trailing " | Outlet" / " - Outlet" naming the article's own source. */
export function trimOutlet(title: string, source: string): string {
  const m = title.match(/^(.{12,}?)\s+(?:\||-|–|—|::)\s+([^|–—]{2,60})$/);
  if (!m) return title;
  const tail = foldForCompare(m[2]);
  const names = [source, source.replace(/\s*\([^)]*\)\s*$/, '')].map(foldForCompare).filter(Boolean);
  return names.some((n) => n === tail || n.startsWith(`${tail} `) || tail.startsWith(`${n} `)) ? m[1].trim() : title;
}

/** Marks of a title as a whole, in TITLE_FEATURES order. */
export function titleMarks(title: string): number[] {
  return [
    /\?/.test(title) ? 1 : 0,
    /!/.test(title) ? 1 : 0,
    // Quotation marks, not apostrophes inside words ("Biden's", "don’t").
    /[“”"‘’']/.test(title.replace(/[\p{L}\p{N}]['’][\p{L}\p{N}]/gu, '')) ? 1 : 0,
    /:/.test(title) ? 1 : 0,
    (title.match(/\b\p{Lu}{3,}\b/gu)?.length ?? 0) >= 2 ? 1 : 0,
    /\b(?:i|we|you|my|our|your|us|me)\b/i.test(title) ? 1 : 0,
    /(?:…|\.\.\.)$/.test(title.trim()) ? 1 : 0,
  ];
}

/** What the headline reads of each card: its title (outlet trimmed), first two sentences and body. */
export interface HeadlineCard {
  title: string;
  lead: string;
  body: string;
}

/** Per card: its title's distinct words, each with its feature vector (WORD_FEATURES then TITLE_FEATURES). */
export function headlineFeatures(cards: HeadlineCard[]): Array<{ words: string[]; length: number; rows: number[][] }> {
  const titleSets = cards.map((c) => new Set(headlineWords(c.title)));
  const leadSets = cards.map((c) => new Set(headlineWords(c.lead)));
  const bodySets = cards.map((c) => new Set(headlineWords(c.body)));
  return cards.map((c, k) => {
    const all = headlineWords(c.title);
    const words = [...new Set(all)];
    const others = cards.length - 1;
    const share = (sets: Array<Set<string>>, w: string) => {
      if (!others) return 0;
      let n = 0;
      sets.forEach((s, j) => {
        if (j !== k && s.has(w)) n++;
      });
      return n / others;
    };
    const marks = titleMarks(c.title);
    const rows = words.map((w) => [
      share(titleSets, w),
      share(leadSets, w),
      share(bodySets, w),
      leadSets[k].has(w) ? 1 : 0,
      STOP.has(w) ? 1 : 0,
      /\d/.test(w) ? 1 : 0,
      others ? 0 : 1,
      ...marks,
    ]);
    return { words, length: all.length, rows };
  });
}

/**
 * Consensus at the level of the whole title: the share of its content words
 * the other cards' bodies use (mean over them), plus a quarter of the share
 * its own body uses; a title of fewer than two content words, or shouting in
 * capitals, loses. (The headline rule before the model, kept as one feature.)
 */
export function titleSupport(cards: HeadlineCard[]): number[] {
  const content = (text: string) => new Set(headlineWords(text).filter((w) => w.length > 2 && !STOP.has(w)).map(foldPlural));
  const bodies = cards.map((c) => content(c.body));
  return cards.map((c, k) => {
    const terms = content(c.title);
    const share = (set: Set<string>) => {
      if (!terms.size) return 0;
      let n = 0;
      for (const t of terms) if (set.has(t)) n++;
      return n / terms.size;
    };
    let support = 0;
    bodies.forEach((b, j) => {
      if (j !== k) support += share(b);
    });
    let score = (cards.length > 1 ? support / (cards.length - 1) : 0) + 0.25 * share(bodies[k]);
    if (terms.size < 2) score -= 1;
    if ((c.title.match(/\b\p{Lu}{3,}\b/gu)?.length ?? 0) >= 2) score -= 0.5;
    return score;
  });
}

/** Expected ROUGE-1 F1 of each card's title against an editor's headline. */
export function expectedF1(cards: HeadlineCard[], m: HeadlineModel = headlineModel): number[] {
  return headlineFeatures(cards).map(({ length, rows }) => {
    let hits = 0;
    for (const x of rows) {
      let z = m.bias;
      for (let i = 0; i < x.length; i++) z += m.weights[i] * x[i];
      hits += 1 / (1 + Math.exp(-z));
    }
    return length ? (2 * hits) / (length + m.refLength) : 0;
  });
}

/** First two sentences of each article (as the digest split them) go in as `leads`. */
export function pickHeadline(articles: Article[], cards: number[], leads: string[], m: HeadlineModel = headlineModel): { index: number; text: string } {
  const cardIdx = [...new Set(cards)];
  const input = cardIdx.map((i) => ({
    title: trimOutlet(articles[i].title, articles[i].source),
    lead: leads[i],
    body: articles[i].body.map((b) => b.text).join(' '),
  }));
  const f1 = expectedF1(input, m);
  const support = titleSupport(input);
  let best = 0;
  let bestScore = -Infinity;
  cardIdx.forEach((i, k) => {
    // A real title beats a derived one whatever the words say: the headline is a source's own.
    const score = f1[k] + m.supportWeight * support[k] - (articles[i].titleDerived ? 10 : 0);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = k;
    }
  });
  return { index: cardIdx[best], text: input[best].title };
}
