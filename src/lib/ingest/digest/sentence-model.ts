/**
 * How much a story's editor would want each of its "concepts" (content words
 * and word pairs) in the summary: a small logistic model over a few features
 * of each concept in the story, fitted to the AllSides editors' summaries
 * (scripts/train/digest.ts writes sentence-model.json; the weights are data,
 * not code). The summary then covers the most valuable concepts within its
 * word budget (summary.ts), as in Gillick & Favre's concept ILP with learned
 * concept weights (Li, Qian & Liu 2013), solved greedily.
 *
 * Features, all computed from the story itself (no corpus statistics):
 *   cards     share of the other cards (outlets) that use the concept: consensus
 *   lead      how early it first appears in an article: 1 / (1 + sentence index)
 *   leads     share of cards whose first sentence uses it
 *   titles    share of cards whose title uses it
 *   repeats   log(1 + occurrences across the cards' sentences)
 *   single    the story has one card (no consensus to read)
 *   number    the concept is (or holds) a number
 *   stop      a pair with one function word ("of Congress")
 * Pure: the weights are a JSON import, no file is read.
 */
import { eng as englishStopwords } from 'stopword';
import { foldPlural } from '../../text.ts';
import model from './sentence-model.json' with { type: 'json' };

export const CONCEPT_FEATURES = ['cards', 'lead', 'leads', 'titles', 'repeats', 'single', 'number', 'stop'] as const;

export interface LogisticModel {
  /** One weight per name in `features`, in that order. */
  weights: number[];
  bias: number;
}

export interface SentenceModel {
  features: readonly string[];
  unigram: LogisticModel;
  bigram: LogisticModel;
  /** How much a covered pair is worth beside a covered word. */
  bigramShare: number;
}

export const sentenceModel: SentenceModel = model as SentenceModel;

const STOP = new Set([...englishStopwords, ...'said says say told also would could mr mrs ms'.split(' ')]);

/** A folded word as a concept word: plural and possessive folded. */
const conceptWord = (w: string): string => foldPlural(w);

/** Unigram and bigram concepts of a folded sentence ("u:word", "b:word word"), each once. */
export function conceptsOf(folded: string): string[] {
  const ws = folded.split(' ').filter(Boolean).map(conceptWord).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w.length > 1 && !STOP.has(w)) out.add(`u:${w}`);
    if (i + 1 < ws.length && !(STOP.has(w) && STOP.has(ws[i + 1]))) out.add(`b:${w} ${ws[i + 1]}`);
  }
  return [...out];
}

/** What the concept features read of a story: each card's sentences (folded, in order) and title (folded). */
export interface ConceptInput {
  cards: Array<{ title: string; sentences: string[] }>;
}

/** Feature vector of every concept in the story, in CONCEPT_FEATURES order. */
export function conceptFeatures(input: ConceptInput): Map<string, number[]> {
  const n = input.cards.length;
  const stats = new Map<string, { cards: Set<number>; leads: Set<number>; first: number; count: number }>();
  input.cards.forEach((card, ci) => {
    card.sentences.forEach((folded, si) => {
      for (const c of conceptsOf(folded)) {
        let s = stats.get(c);
        if (!s) stats.set(c, (s = { cards: new Set(), leads: new Set(), first: si, count: 0 }));
        s.cards.add(ci);
        if (si === 0) s.leads.add(ci);
        if (si < s.first) s.first = si;
        s.count++;
      }
    });
  });
  const titleConcepts = input.cards.map((c) => new Set(conceptsOf(c.title)));
  const out = new Map<string, number[]>();
  for (const [c, s] of stats) {
    let inTitles = 0;
    for (const t of titleConcepts) if (t.has(c)) inTitles++;
    const words = c.slice(2).split(' ');
    out.set(c, [
      n > 1 ? (s.cards.size - 1) / (n - 1) : 0,
      1 / (1 + s.first),
      s.leads.size / n,
      inTitles / n,
      Math.log1p(s.count),
      n > 1 ? 0 : 1,
      words.some((w) => /\d/.test(w)) ? 1 : 0,
      words.length === 2 && words.some((w) => STOP.has(w)) ? 1 : 0,
    ]);
  }
  return out;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function predict(m: LogisticModel, x: number[]): number {
  let z = m.bias;
  for (let i = 0; i < x.length; i++) z += m.weights[i] * x[i];
  return sigmoid(z);
}

/** Concept -> its value to the summary: the model's probability that an editor uses it, pairs scaled by `bigramShare`. */
export function conceptWeights(input: ConceptInput, m: SentenceModel = sentenceModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const [c, x] of conceptFeatures(input)) {
    out.set(c, c.startsWith('u:') ? predict(m.unigram, x) : m.bigramShare * predict(m.bigram, x));
  }
  return out;
}
