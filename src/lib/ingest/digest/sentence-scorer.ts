/**
 * How much of a candidate sentence an editor would keep: a small logistic
 * model over features of the sentence in its story, fitted to each dev
 * candidate's own ROUGE precision against the AllSides editors' summary (the
 * mean of its unigram and bigram precision: the value per word a budgeted
 * pick wants; scripts/train/digest.ts). Its prediction is not the pick score:
 * it feeds the concept trees (sentence-model.ts) as "the best sentence holding
 * this concept", so a concept that only dull sentences carry is worth less.
 *
 * Features (SENTENCE_FEATURES order), all read from the story alone:
 *   value/word, log value   the first-stage concept value of its concepts
 *   lead, position, relative position   where it sits in its article
 *   consensus               share of its content words the other cards' bodies use
 *   bigram consensus        share of its word pairs (pair concepts) the other cards use
 *   carriers                share of the other cards that carry a near-copy
 *   centroid                closeness to the story's term centroid
 *   titles, title coverage  its words in the titles; the titles' words in it
 *   log words, number, capitalised, quote, said, follower, single, first article
 * Pure; the weights come with the sentence model's JSON.
 */
import { foldForCompare } from '../../text.ts';
import type { LogisticModel } from './sentence-model.ts';
import type { Candidate, StoryText } from './summary.ts';

export const SENTENCE_FEATURES = [
  'value/word',
  'log value',
  'lead',
  'position',
  'relative position',
  'consensus',
  'bigram consensus',
  'carriers',
  'centroid',
  'titles',
  'title coverage',
  'log words',
  'number',
  'capitalised',
  'quote',
  'said',
  'follower',
  'single',
  'first article',
] as const;

/**
 * Feature rows of the candidates (in pool order). `cards` maps each article
 * to its card; `concepts` are the candidates' concept rows (sentence-model.ts
 * `refinedRows`: column 0 is the share of the other cards using the concept)
 * and `weights` their first-stage values; cards read their first
 * `sentencesPerCard` sentences; `carryContainment` is the near-copy share.
 */
export function sentenceFeatures(
  text: StoryText,
  cards: number[],
  pool: Candidate[],
  concepts: Map<string, number[]>,
  weights: Map<string, number>,
  opts: { sentencesPerCard: number; carryContainment: number },
): number[][] {
  const perCard = opts.sentencesPerCard;
  const ids = [...new Set(cards)];
  const titleWords = ids.map((i) => new Set(foldForCompare(text.articles[i].title).split(' ').filter((w) => w.length > 3)));
  // The story's centroid: how many of the cards' sentences use each term.
  const centroid = new Map<string, number>();
  for (const i of ids) for (const s of text.sentences[i].slice(0, perCard)) for (const t of s.terms) centroid.set(t, (centroid.get(t) ?? 0) + 1);
  let norm = 0;
  for (const v of centroid.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return pool.map((x) => {
    let value = 0;
    for (const k of x.concepts) value += weights.get(k) ?? 0;
    const own = ids.indexOf(cards[x.s.article]);
    const others = ids.length - 1;
    let consensus = 0;
    let cent = 0;
    const terms = x.s.terms;
    for (let j = 0; j < ids.length; j++) {
      if (j === own) continue;
      const body = text.bodyTerms[ids[j]];
      let n = 0;
      for (const t of terms) if (body.has(t)) n++;
      consensus += n / Math.max(1, terms.size);
    }
    // The mean over its pairs of the share of other cards using the pair: the same as the mean
    // over other cards of the share of its pairs they use.
    let pairShare = 0;
    let pairs = 0;
    for (const k of x.concepts) {
      if (k.charCodeAt(0) !== 98 /* b: */) continue;
      pairShare += concepts.get(k)?.[0] ?? 0;
      pairs++;
    }
    for (const t of terms) cent += centroid.get(t) ?? 0;
    // By the shingle index alone: a candidate (8 words or more) that another card holds verbatim shares all its shingles.
    const carriers = others ? new Set(text.carriers(x.s, opts.carryContainment, false).map((a) => cards[a])).size : 1;
    const words = x.folded.split(' ');
    const wordSet = new Set(words);
    let inTitles = 0;
    let titleCover = 0;
    for (const t of titleWords) {
      for (const w of words) if (t.has(w)) inTitles++;
      if (t.size) {
        let n = 0;
        for (const w of t) if (wordSet.has(w)) n++;
        titleCover += n / t.size;
      }
    }
    const len = text.sentences[x.s.article].length;
    return [
      value / x.words,
      Math.log(value + 1e-3),
      x.s.index === 0 ? 1 : 0,
      1 / (1 + x.s.index),
      len > 1 ? x.s.index / (len - 1) : 0,
      others ? consensus / others : 0,
      others && pairs ? pairShare / pairs : 0,
      others ? (carriers - 1) / others : 0,
      cent / (norm * Math.sqrt(Math.max(1, terms.size))),
      inTitles / Math.max(1, words.length * ids.length),
      titleCover / ids.length,
      Math.log(x.words),
      /\d/.test(x.text) ? 1 : 0,
      (x.text.match(/\s\p{Lu}\p{Ll}+/gu) ?? []).length / x.words,
      /[“”"]/.test(x.text) ? 1 : 0,
      /\b(said|says|told|according)\b/i.test(x.text) ? 1 : 0,
      x.afterPrevious ? 1 : 0,
      others ? 0 : 1,
      x.s.article === 0 ? 1 : 0,
    ];
  });
}

/** The model's estimate of each candidate's precision against an editor's summary (0-1). */
export function scoreSentences(m: LogisticModel, rows: number[][]): number[] {
  return rows.map((x) => {
    let z = m.bias;
    for (let i = 0; i < x.length; i++) z += m.weights[i] * x[i];
    return 1 / (1 + Math.exp(-z));
  });
}
