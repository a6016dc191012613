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
import { foldForCompare, foldPlural } from '../../text.ts';
import model from './sentence-model.json' with { type: 'json' };
import { compileTrees, treesLogit as logitOf, type Trees, type TreesJson } from '../trees.ts';

export const CONCEPT_FEATURES = ['cards', 'lead', 'leads', 'titles', 'repeats', 'single', 'number', 'stop'] as const;
/** The second stage's features: the concept features, then these. */
export const REFINED_FEATURES = [...CONCEPT_FEATURES, 'capitalised', 'best sentence'] as const;

export interface LogisticModel {
  /** One weight per name in `features`, in that order. */
  weights: number[];
  bias: number;
}

/** Boosted trees as scripts/train/gbdt.ts fits them: complete trees of `depth`, feature -1 = always left (trees.ts). */
export type TreesModel = TreesJson;

/**
 * The second stage: the sentence scorer (sentence-scorer.ts) and boosted trees
 * over the concept features plus two more, `capitalised` (share of the
 * concept's words' occurrences written with a capital, not first in their
 * sentence: a name) and `best sentence` (the scorer's best estimate among the
 * candidates holding it). Trees, not a logistic model: on the dev halves the
 * logistic model with these two features moved one half and not the other;
 * the trees moved both (docs/eval-digest.md).
 */
export interface RefineModel {
  scorer: LogisticModel & { features: readonly string[] };
  features: readonly string[];
  unigram: TreesModel;
  bigram: TreesModel;
}

export interface SentenceModel {
  features: readonly string[];
  unigram: LogisticModel;
  bigram: LogisticModel;
  /** How much a covered pair is worth beside a covered word. */
  bigramShare: number;
  /** Absent: the first-stage weights are the concept values. */
  refine?: RefineModel;
}

export const sentenceModel: SentenceModel = model as SentenceModel;

const STOP = new Set([...englishStopwords, ...'said says say told also would could mr mrs ms'.split(' ')]);

/** A folded word as a concept word: plural and possessive folded. */
const conceptWord = (w: string): string => foldPlural(w);

/**
 * Folded sentence -> its concepts, across stories: republications and rebuilds
 * meet the same sentences again. Bounded, for a long-lived watch process.
 */
const CONCEPTS_OF = new Map<string, string[]>();

/** Unigram and bigram concepts of a folded sentence ("u:word", "b:word word"), each once. Read-only: shared. */
export function conceptsOf(folded: string): string[] {
  const known = CONCEPTS_OF.get(folded);
  if (known) return known;
  const ws = folded.split(' ').filter(Boolean).map(conceptWord).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w.length > 1 && !STOP.has(w)) out.add(`u:${w}`);
    if (i + 1 < ws.length && !(STOP.has(w) && STOP.has(ws[i + 1]))) out.add(`b:${w} ${ws[i + 1]}`);
  }
  const list = [...out];
  if (CONCEPTS_OF.size >= 100_000) CONCEPTS_OF.clear();
  CONCEPTS_OF.set(folded, list);
  return list;
}

/** What the concept features read of a story: each card's sentences (folded, in order) and title (folded). */
export interface ConceptInput {
  /** `texts`: the same sentences as written (the refined weights read their capitals). */
  cards: Array<{ title: string; sentences: string[]; texts?: string[] }>;
}

/** Feature vector of every concept in the story, in CONCEPT_FEATURES order. */
export function conceptFeatures(input: ConceptInput): Map<string, number[]> {
  const out = new Map<string, number[]>();
  forEachConcept(input, (c, x) => out.set(c, [...x]));
  return out;
}

/** Calls `visit` with each concept of the story and its features; `x` is scratch, reused between calls. */
function forEachConcept(input: ConceptInput, visit: (concept: string, x: number[]) => void, only?: Set<string>): void {
  const n = input.cards.length;
  // Per concept, in parallel arrays (a story has thousands of concepts: no object each).
  // Cards are visited in order, so "seen in this card already" is a comparison with the last card that counted.
  let size = 0;
  for (const card of input.cards) for (const folded of card.sentences) size += conceptsOf(folded).length;
  const slot = new Map<string, number>();
  const cards = new Int32Array(size);
  const lastCard = new Int32Array(size).fill(-1);
  const leads = new Int32Array(size);
  const first = new Int32Array(size);
  const count = new Int32Array(size);
  input.cards.forEach((card, ci) => {
    card.sentences.forEach((folded, si) => {
      for (const c of conceptsOf(folded)) {
        let k = slot.get(c);
        if (k === undefined) {
          k = slot.size;
          slot.set(c, k);
          first[k] = si;
        }
        if (lastCard[k] !== ci) {
          cards[k]++;
          lastCard[k] = ci;
          // Concepts are distinct within a sentence: a card's first sentence counts it once.
          if (si === 0) leads[k]++;
        }
        if (si < first[k]) first[k] = si;
        count[k]++;
      }
    });
  });
  // Titles: how many cards' titles use each concept.
  const inTitles = new Map<string, number>();
  for (const card of input.cards) for (const c of new Set(conceptsOf(card.title))) inTitles.set(c, (inTitles.get(c) ?? 0) + 1);
  const x = new Array<number>(CONCEPT_FEATURES.length).fill(0);
  for (const [c, k] of slot) {
    if (only && !only.has(c)) continue;
    x[0] = n > 1 ? (cards[k] - 1) / (n - 1) : 0;
    x[1] = 1 / (1 + first[k]);
    x[2] = leads[k] / n;
    x[3] = (inTitles.get(c) ?? 0) / n;
    x[4] = Math.log1p(count[k]);
    x[5] = n > 1 ? 0 : 1;
    x[6] = /\d/.test(c) ? 1 : 0;
    x[7] = c.charCodeAt(0) === 98 /* b: */ && c.slice(2).split(' ').some((w) => STOP.has(w)) ? 1 : 0;
    visit(c, x);
  }
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function predict(m: LogisticModel, x: number[]): number {
  let z = m.bias;
  for (let i = 0; i < m.weights.length; i++) z += m.weights[i] * x[i];
  return sigmoid(z);
}

/** Concept -> its value to the summary: the model's probability that an editor uses it, pairs scaled by `bigramShare`. */
export function conceptWeights(input: ConceptInput, m: SentenceModel = sentenceModel): Map<string, number> {
  const out = new Map<string, number>();
  forEachConcept(input, (c, x) => out.set(c, c.charCodeAt(0) === 117 /* u: */ ? predict(m.unigram, x) : m.bigramShare * predict(m.bigram, x)));
  return out;
}

/** Each model object's trees, compiled once (trees.ts). */
const COMPILED = new WeakMap<TreesModel, Trees>();

/** Log-odds of boosted trees for one row. */
export function treesLogit(m: TreesModel, row: ArrayLike<number>): number {
  let compiled = COMPILED.get(m);
  if (!compiled) COMPILED.set(m, (compiled = compileTrees(m)));
  return logitOf(compiled, row);
}

/** Raw word -> its concept word ('' when none), across stories; bounded like CONCEPTS_OF. */
const WORD_OF = new Map<string, string>();
/** A capitalised word not first in its sentence (after a space, maybe an opening quote or bracket). */
const CAPITALISED = /\s["“‘(]?(\p{Lu}[\p{L}\p{M}\p{N}'’-]*)/gu;

/** Per concept word: in how many of the cards' sentences (`texts`) it is written with a capital, not first. */
export function capitalisedSentences(input: ConceptInput): Map<string, number> {
  const out = new Map<string, number>();
  const inSentence = new Set<string>();
  for (const card of input.cards) {
    for (const text of card.texts ?? []) {
      inSentence.clear();
      for (const m of text.matchAll(CAPITALISED)) {
        const raw = m[1];
        let w = WORD_OF.get(raw);
        if (w === undefined) {
          w = conceptWord(foldForCompare(raw).split(' ')[0] ?? '');
          if (WORD_OF.size >= 200_000) WORD_OF.clear();
          WORD_OF.set(raw, w);
        }
        if (w) inSentence.add(w);
      }
      for (const w of inSentence) out.set(w, (out.get(w) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * Feature rows of the two stages for the concepts in `only` (the concepts of
 * the summary's candidates: no other concept's value is ever read), in
 * REFINED_FEATURES order: the concept features, then capitalised (the largest
 * share of its words' sentences writing the word with a capital, not first)
 * and best sentence (0 here: `refinedWeights` fills it).
 */
export function refinedRows(input: ConceptInput, only: Set<string>): Map<string, number[]> {
  const caps = capitalisedSentences(input);
  const rows = new Map<string, number[]>();
  const width = REFINED_FEATURES.length;
  const capital = CONCEPT_FEATURES.length;
  forEachConcept(
    input,
    (c, x) => {
      const row = new Array<number>(width).fill(0);
      for (let i = 0; i < capital; i++) row[i] = x[i];
      // A word's sentences: its concept's count (x[4] = log(1 + count); a concept counts once a sentence).
      if (c.charCodeAt(0) === 117 /* u: */) row[capital] = Math.min(1, (caps.get(c.slice(2)) ?? 0) / Math.max(1, Math.round(Math.expm1(x[4]))));
      rows.set(c, row);
    },
    only,
  );
  // A pair: the larger share of its two words (a function word has no word concept: 0). The candidate
  // that holds a pair holds its words' concepts too, so they are in `only` whenever the pair is.
  for (const [c, row] of rows) {
    if (c.charCodeAt(0) !== 98 /* b: */) continue;
    const space = c.indexOf(' ');
    row[capital] = Math.max(rows.get(`u:${c.slice(2, space)}`)?.[capital] ?? 0, rows.get(`u:${c.slice(space + 1)}`)?.[capital] ?? 0);
  }
  return rows;
}

/** First-stage values of the rows' concepts (the logistic models read the concept features, the rows' first columns). */
export function firstWeights(rows: Map<string, number[]>, m: SentenceModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const [c, x] of rows) out.set(c, c.charCodeAt(0) === 117 /* u: */ ? predict(m.unigram, x) : m.bigramShare * predict(m.bigram, x));
  return out;
}

/**
 * Second-stage values: the trees' probability that an editor uses the
 * concept, pairs scaled by `bigramShare`; `best` is the sentence scorer's best
 * estimate among the candidates holding each concept (written into the rows).
 */
export function refinedWeights(rows: Map<string, number[]>, best: Map<string, number>, m: SentenceModel): Map<string, number> {
  const r = m.refine!;
  const at = CONCEPT_FEATURES.length + 1;
  const out = new Map<string, number>();
  for (const [c, x] of rows) {
    x[at] = best.get(c) ?? 0;
    const unigram = c.charCodeAt(0) === 117; /* u: */
    out.set(c, (unigram ? 1 : m.bigramShare) * sigmoid(treesLogit(unigram ? r.unigram : r.bigram, x)));
  }
  return out;
}
