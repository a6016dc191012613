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
  /**
   * Weight of the share of the title's words (over two letters) that the story's summary uses:
   * the editors' headline names what their summary says (0.2 beat 0, 0.1 and 0.4 on both halves).
   */
  summaryWeight?: number;
}

export const headlineModel: HeadlineModel = model as HeadlineModel;

const STOP = new Set(englishStopwords);

/** Words as ROUGE counts them: folded, apostrophes split ("Biden's" -> biden, s). */
export const headlineWords = (text: string): string[] => foldForCompare(text).replace(/'/g, ' ').split(' ').filter(Boolean);

/** The title without a trailing " | Outlet" / " - Outlet" naming its own source (or another outlet of the story). */
export function trimOutlet(title: string, source: string, others: string[] = []): string {
  // The last separator: "Talks resume - live updates - CNN" loses " - CNN" only.
  const m = title.match(/^(.{12,})\s+(?:\||-|–|—|::)\s+([^|–—-]{2,60})$/);
  if (!m) return title;
  const tail = foldForCompare(m[2]);
  const names = [source, ...others]
    .filter((n) => n && n !== 'unknown')
    .flatMap((n) => [n, n.replace(/\s*\([^)]*\)\s*$/, '')])
    .map(foldForCompare)
    .filter(Boolean);
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

/** What the headline reads of each card: its title (outlet trimmed), first two sentences and body (plain or already folded). */
export interface HeadlineCard {
  title: string;
  lead: string;
  body: string;
}

/** Each card's words, once: titles, leads and bodies as sets. */
interface CardWords {
  titles: Array<Set<string>>;
  leads: Array<Set<string>>;
  bodies: Array<Set<string>>;
}

const wordsOf = (cards: HeadlineCard[]): CardWords => ({
  titles: cards.map((c) => new Set(headlineWords(c.title))),
  leads: cards.map((c) => new Set(headlineWords(c.lead))),
  bodies: cards.map((c) => new Set(headlineWords(c.body))),
});

/** Per card: its title's distinct words, each with its feature vector (WORD_FEATURES then TITLE_FEATURES). */
export function headlineFeatures(cards: HeadlineCard[], cw: CardWords = wordsOf(cards)): Array<{ words: string[]; length: number; rows: number[][] }> {
  const { titles: titleSets, leads: leadSets, bodies: bodySets } = cw;
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
export function titleSupport(cards: HeadlineCard[], cw: CardWords = wordsOf(cards)): number[] {
  const content = (words: Iterable<string>) => new Set([...words].filter((w) => w.length > 2 && !STOP.has(w)).map(foldPlural));
  const bodies = cw.bodies.map(content);
  return cards.map((c, k) => {
    const terms = content(cw.titles[k]);
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
export function expectedF1(cards: HeadlineCard[], m: HeadlineModel = headlineModel, cw: CardWords = wordsOf(cards)): number[] {
  return headlineFeatures(cards, cw).map(({ length, rows }) => {
    let hits = 0;
    for (const x of rows) {
      let z = m.bias;
      for (let i = 0; i < x.length; i++) z += m.weights[i] * x[i];
      hits += 1 / (1 + Math.exp(-z));
    }
    return length ? (2 * hits) / (length + m.refLength) : 0;
  });
}

/**
 * `leads`: the first two sentences of each article (as the digest split them);
 * `bodies`: each article's body, plain or already folded (StoryText's);
 * `summary`: the story's summary text, when it has one.
 */
export function pickHeadline(
  articles: Article[],
  cards: number[],
  leads: string[],
  bodies: string[],
  m: HeadlineModel = headlineModel,
  summary = '',
): { index: number; text: string } {
  const cardIdx = [...new Set(cards)];
  const sources = [...new Set(articles.map((a) => a.source))];
  const input = cardIdx.map((i) => ({ title: trimOutlet(articles[i].title, articles[i].source, sources), lead: leads[i], body: bodies[i] }));
  const cw = wordsOf(input);
  const f1 = expectedF1(input, m, cw);
  const support = titleSupport(input, cw);
  const said = new Set(headlineWords(summary).map(foldPlural));
  const inSummary = (title: string) => {
    const words = headlineWords(title).filter((w) => w.length > 2);
    let n = 0;
    for (const w of words) if (said.has(foldPlural(w))) n++;
    return words.length ? n / words.length : 0;
  };
  let best = 0;
  let bestScore = -Infinity;
  cardIdx.forEach((i, k) => {
    // A real title beats a derived one whatever the words say: the headline is a source's own.
    const score = f1[k] + m.supportWeight * support[k] + (m.summaryWeight ?? 0) * inSummary(input[k].title) - (articles[i].titleDerived ? 10 : 0);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = k;
    }
  });
  return { index: cardIdx[best], text: input[best].title };
}
