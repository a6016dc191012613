/**
 * Sentences of a story's articles, who carries which, and the extractive
 * summary picked from them. Pure, deterministic, no network; the one model
 * is a JSON of a dozen weights (digest/sentence-model.json).
 *
 * "Carries": article B carries sentence s when B's cleaned body contains s
 * verbatim (folded for case, quotes and punctuation) or near-verbatim: one of
 * B's sentences holds at least `carryContainment` of s's word 3-shingles. That
 * is the only relation citations use, so a citation always points at a card
 * whose text says the sentence, not merely at one about the same topic.
 *
 * Selection: only sentences a reader may see (digest/sentence-rules.ts: no
 * question, no cut-off or unattributed quote, none over 60 words, a pronoun or
 * connective opening only right after its antecedent sentence), then the set
 * that covers the most valuable concepts within a word budget
 * (digest/sentence-model.ts holds the learned concept weights; `pickSummary`).
 *
 * No npm package: summarisers on npm (node-summarizer, text-summarization…)
 * are unmaintained, paraphrase-free but with no "who carries it" notion; the
 * parts we need (shingles, cosine over terms) are a few lines each.
 */
import { eng as englishStopwords } from 'stopword';
import type { Article } from '../types.ts';
import { foldForCompare, foldPlural as stem, splitSentences, wordCount } from '../../text.ts';
import { sentenceFit, summaryText } from './sentence-rules.ts';
import { conceptWeights, conceptsOf, firstWeights, refinedRows, refinedWeights, sentenceModel, type SentenceModel } from './sentence-model.ts';
import { scoreSentences, sentenceFeatures } from './sentence-scorer.ts';

export interface SummaryOptions {
  /** Most summary sentences. */
  maxSentences: number;
  /** Usable sentence length, in words. */
  minSentenceWords: number;
  maxSentenceWords: number;
  /** Share of a sentence's 3-shingles one sentence of another article must hold for it to carry the sentence. */
  carryContainment: number;
  /** Two sentences sharing this share of the smaller one's content terms say the same thing. */
  redundancy: number;
  /**
   * Length of the summary, in words: sentences are added while they fit. The
   * AllSides editors' summaries run 113 words on average (median 117); a reader
   * gets the event and its main facts in one short paragraph, about as long.
   */
  budgetWords: number;
  /** Greedy pick by uncovered concept value / words^this: 1 is value per word, 0 ignores length. */
  lengthExponent: number;
  /**
   * The summary reads each card's first this many sentences. What happened is
   * at the top of a news article; the model was fitted on excerpts of at most
   * 11 sentences; and a 60-sentence feature bounds the cost of long articles.
   */
  sentencesPerCard: number;
  /**
   * The same for the first pick: a smaller exponent lets a longer, fuller lead
   * win, as editors open with the whole event (0.5 beat 0.75 on both halves).
   */
  firstExponent: number;
  /** Sentences kept as "only here" per card. */
  onlyHerePerCard: number;
  /** A sentence whose content terms another card's sentence covers to this share is not "only here". */
  onlyHereOverlap: number;
}

export const defaultSummaryOptions: SummaryOptions = {
  maxSentences: 6,
  minSentenceWords: 8,
  maxSentenceWords: 60,
  carryContainment: 0.8,
  redundancy: 0.5,
  budgetWords: 120,
  // Chosen on the dev halves (docs/eval-digest.md): 0.75 beat 1 and 0.5 on both.
  lengthExponent: 0.75,
  sentencesPerCard: 20,
  firstExponent: 0.5,
  onlyHerePerCard: 3,
  onlyHereOverlap: 0.5,
};

const STOP = new Set([...englishStopwords, ...'said says say told also would could mr mrs ms one two'.split(' ')]);


/** Content terms of a text: folded, stopwords out, lightly stemmed. */
export function contentTerms(text: string): string[] {
  return termsOfFolded(foldForCompare(text));
}

/**
 * Folded word -> its content term (null: a stop word or too short), across
 * stories: a digest meets the same few thousand words in every article, and
 * stemming and two stop-list lookups per occurrence were a tenth of its cost.
 */
const TERM_OF = new Map<string, string | null>();

/** `contentTerms` of text already folded by foldForCompare. */
function termsOfFolded(folded: string): string[] {
  const out: string[] = [];
  for (const w of folded.split(' ')) {
    if (w.length < 3) continue;
    let t = TERM_OF.get(w);
    if (t === undefined) {
      const s = STOP.has(w) ? '' : stem(w);
      t = s.length > 2 && !STOP.has(s) ? s : null;
      // Bounded: a long-lived process (watch mode) must not grow it without end.
      if (TERM_OF.size >= 200_000) TERM_OF.clear();
      TERM_OF.set(w, t);
    }
    if (t !== null) out.push(t);
  }
  return out;
}

export function shingles(folded: string, k = 3): Set<string> {
  const words = folded.split(' ').filter(Boolean);
  const out = new Set<string>();
  if (words.length < k) {
    if (words.length) out.add(words.join(' '));
    return out;
  }
  // The same strings as words.slice(i, i + k).join(' '), without an array per shingle.
  if (k === 3) for (let i = 0; i + 3 <= words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  else for (let i = 0; i + k <= words.length; i++) out.add(words.slice(i, i + k).join(' '));
  return out;
}

export interface Sentence {
  /** Index of the article in the story's list. */
  article: number;
  /** Order within the article. */
  index: number;
  text: string;
  folded: string;
  /** Shared by every occurrence of the sentence in the story: read, never modify. */
  shingles: Set<string>;
  terms: Set<string>;
  words: number;
}

/** What a paragraph (any block) contributes to a story's text; `sentences` only for paragraphs. */
interface BlockText {
  folded: string;
  terms: string[] | null;
  sentences: Array<Omit<Sentence, 'article' | 'index'>> | null;
}

/** One story's articles, split into sentences, with a shingle index to find carriers fast. */
export class StoryText {
  readonly sentences: Sentence[][];
  readonly foldedBodies: string[];
  readonly bodyTerms: Array<Set<string>>;
  /** Shingle -> distinct sentences (by folded text) holding it. */
  private readonly index = new Map<string, number[]>();
  /** Per distinct sentence: the articles it occurs in (repeats allowed). */
  private readonly occurrences: number[][] = [];
  /** Scratch for `carriers`: shared shingles per distinct sentence (zeroed after each call). */
  private hits: Int32Array;

  constructor(readonly articles: Article[]) {
    // Most of a story's articles are republications sharing whole paragraphs:
    // each distinct paragraph is folded, split and shingled once, and each
    // distinct sentence indexed once. Folding commutes with joining blocks
    // (words never span a block boundary), so bodies are built from the blocks.
    const blocks = new Map<string, BlockText>();
    const blockOf = (text: string): BlockText => {
      let b = blocks.get(text);
      if (!b) blocks.set(text, (b = { folded: foldForCompare(text), terms: null, sentences: null }));
      return b;
    };
    const distinct = new Map<string, number>();
    this.sentences = articles.map((a, ai) => {
      const out: Sentence[] = [];
      for (const block of a.body) {
        if (block.kind !== 'p') continue;
        const b = blockOf(block.text);
        b.sentences ??= sentencesOf(block.text);
        for (const p of b.sentences) {
          out.push({ article: ai, index: out.length, text: p.text, folded: p.folded, shingles: p.shingles, terms: p.terms, words: p.words });
          let d = distinct.get(p.folded);
          if (d === undefined) {
            d = this.occurrences.length;
            distinct.set(p.folded, d);
            this.occurrences.push([]);
            for (const sh of p.shingles) {
              const posting = this.index.get(sh);
              if (posting) posting.push(d);
              else this.index.set(sh, [d]);
            }
          }
          this.occurrences[d].push(ai);
        }
      }
      return out;
    });
    this.hits = new Int32Array(this.occurrences.length);
    this.foldedBodies = [];
    this.bodyTerms = [];
    for (const a of articles) {
      const parts: string[] = [];
      const terms = new Set<string>();
      for (const block of a.body) {
        const b = blockOf(block.text);
        if (!b.folded) continue;
        parts.push(b.folded);
        b.terms ??= termsOfFolded(b.folded);
        for (const t of b.terms) terms.add(t);
      }
      this.foldedBodies.push(` ${parts.join(' ')} `);
      this.bodyTerms.push(terms);
    }
  }

  /** True when the article's cleaned body holds the text verbatim (after folding). */
  hasVerbatim(article: number, text: string): boolean {
    const folded = foldForCompare(text);
    return folded.length > 0 && this.foldedBodies[article].includes(` ${folded} `);
  }

  /**
   * Indexes of the articles that carry `s` verbatim or near-verbatim, in story order.
   * `scan`: also look for `s` verbatim in each body (a sentence too short for a shingle, or one
   * split differently there); without it, the shingle index alone (cheap).
   */
  carriers(s: { folded: string; shingles: Set<string> }, containment: number, scan = true): number[] {
    const hits = this.hits;
    const touched: number[] = [];
    for (const sh of s.shingles) {
      const posting = this.index.get(sh);
      if (posting) for (const d of posting) if (hits[d]++ === 0) touched.push(d);
    }
    const out = new Set<number>();
    for (const d of touched) {
      if (hits[d] / s.shingles.size >= containment) for (const ai of this.occurrences[d]) out.add(ai);
      hits[d] = 0;
    }
    const needle = ` ${s.folded} `;
    if (scan) for (let ai = 0; ai < this.foldedBodies.length; ai++) if (!out.has(ai) && this.foldedBodies[ai].includes(needle)) out.add(ai);
    return [...out].sort((a, b) => a - b);
  }
}

/** The sentences of one paragraph, with what the digest reads of each. */
function sentencesOf(paragraph: string): Array<Omit<Sentence, 'article' | 'index'>> {
  const out: Array<Omit<Sentence, 'article' | 'index'>> = [];
  for (const text of splitSentences(paragraph)) {
    const folded = foldForCompare(text);
    if (!folded) continue;
    out.push({ text, folded, shingles: shingles(folded), terms: new Set(termsOfFolded(folded)), words: wordCount(text) });
  }
  return out;
}

export function overlapShare(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let n = 0;
  for (const t of a) if (b.has(t)) n++;
  return n / a.size;
}

/** A sentence the summary may use, as it would show it. */
export interface Candidate {
  s: Sentence;
  /** The text shown: the sentence with a leading dateline trimmed (sentence-rules.ts). */
  text: string;
  folded: string;
  shingles: Set<string>;
  words: number;
  concepts: string[];
  /** Usable only right after the sentence before it in its article. */
  afterPrevious: boolean;
}

/** A picked sentence: what the page shows, and the sentence of the article it comes from. */
export interface SummarySentence {
  text: string;
  folded: string;
  shingles: Set<string>;
  source: Sentence;
}

/**
 * Sentences a reader may see in the summary (sentence-rules.ts), from each card
 * (a republication adds nothing its original does not say).
 */
export function summaryCandidates(text: StoryText, cards: number[], opts: SummaryOptions): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const c of new Set(cards)) {
    for (const s of text.sentences[c].slice(0, opts.sentencesPerCard)) {
      const shown = summaryText(s.text);
      const fit = sentenceFit(shown, opts.maxSentenceWords);
      if (fit.fit === 'never') continue;
      const words = wordCount(shown);
      const folded = shown === s.text ? s.folded : foldForCompare(shown);
      if (words < opts.minSentenceWords || seen.has(folded)) continue;
      seen.add(folded);
      out.push({
        s,
        text: shown,
        folded,
        shingles: shown === s.text ? s.shingles : shingles(folded),
        words,
        concepts: conceptsOf(folded),
        afterPrevious: fit.fit === 'after-previous',
      });
    }
  }
  return out;
}

/** Two sentences say the same thing: most of the smaller one's content words, or a run of its words, are in the other. */
export function sameThing(a: Candidate, b: Candidate, opts: SummaryOptions): boolean {
  const [small, large] = a.s.terms.size <= b.s.terms.size ? [a, b] : [b, a];
  return overlapShare(small.s.terms, large.s.terms) >= opts.redundancy || overlapShare(small.shingles, large.shingles) >= 0.3;
}

/**
 * The summary: the set of sentences, within `budgetWords`, that covers the
 * most valuable concepts of the story (sentence-model.ts), picked greedily by
 * uncovered value per word^lengthExponent (Lin & Bilmes' budgeted greedy;
 * the first pick per word^firstExponent).
 * A concept counts once however many picked sentences hold it, so a second
 * outlet's paraphrase of the lead adds little; two sentences that say the same
 * thing are never both picked. A sentence that leans on the one before it in
 * its article is picked only after that one, and shown right after it.
 * Returned in reading order: leads first (by position in their article, then
 * by pick order), each follower after its predecessor.
 */
export function pickSummary(text: StoryText, cards: number[], opts: SummaryOptions, model: SentenceModel = sentenceModel): SummarySentence[] {
  const pool = summaryCandidates(text, cards, opts);
  return pickByWeights(text, cards, opts, summaryWeights(text, cards, opts, model, pool), pool);
}

/**
 * The concept values the summary covers: the first-stage logistic weights;
 * with a second stage, the sentence scorer reads those, and the concept trees
 * read the scorer's best estimate among the candidates holding each concept.
 */
export function summaryWeights(text: StoryText, cards: number[], opts: SummaryOptions, model: SentenceModel, pool: Candidate[]): Map<string, number> {
  const cardIds = [...new Set(cards)];
  const input = {
    cards: cardIds.map((c) => {
      const sentences = text.sentences[c].slice(0, opts.sentencesPerCard);
      return { title: foldForCompare(text.articles[c].title), sentences: sentences.map((s) => s.folded), texts: sentences.map((s) => s.text) };
    }),
  };
  if (!model.refine) return conceptWeights(input, model);
  const only = new Set<string>();
  for (const x of pool) for (const k of x.concepts) only.add(k);
  const rows = refinedRows(input, only);
  return refinedWeights(rows, bestSentence(pool, scoreSentences(model.refine.scorer, sentenceFeatures(text, cards, pool, rows, firstWeights(rows, model), opts))), model);
}

/** Per concept: the best score among the candidates holding it. */
export function bestSentence(pool: Candidate[], scores: number[]): Map<string, number> {
  const best = new Map<string, number>();
  pool.forEach((x, i) => {
    for (const k of x.concepts) if ((best.get(k) ?? 0) < scores[i]) best.set(k, scores[i]);
  });
  return best;
}

/**
 * The selection of `pickSummary` with the concept weights handed in (the
 * diagnostics give it the editors' own concepts to measure the selection alone).
 */
export function pickByWeights(text: StoryText, cards: number[], opts: SummaryOptions, weights: Map<string, number>, pool: Candidate[] = summaryCandidates(text, cards, opts)): SummarySentence[] {
  const picked: Candidate[] = [];
  const covered = new Set<string>();
  let used = 0;
  while (picked.length < opts.maxSentences) {
    let best: Candidate | null = null;
    let bestScore = 0;
    for (const c of pool) {
      if (picked.includes(c) || used + c.words > opts.budgetWords) continue;
      if (c.afterPrevious && !picked.some((p) => p.s.article === c.s.article && p.s.index === c.s.index - 1)) continue;
      let gain = 0;
      for (const k of c.concepts) if (!covered.has(k)) gain += weights.get(k) ?? 0;
      const score = gain / Math.pow(c.words, picked.length === 0 ? opts.firstExponent : opts.lengthExponent);
      // The redundancy test last, and only for a would-be best: it is the costly one.
      if (score > bestScore && !picked.some((p) => sameThing(c, p, opts))) {
        best = c;
        bestScore = score;
      }
    }
    if (!best) break;
    picked.push(best);
    used += best.words;
    for (const k of best.concepts) covered.add(k);
  }
  return readingOrder(picked).map((c) => ({ text: c.text, folded: c.folded, shingles: c.shingles, source: c.s }));
}

/** Leads first (position in their article, then pick order); a follower right after the sentence it leans on. */
function readingOrder(picked: Candidate[]): Candidate[] {
  const key = (c: Candidate) => `${c.s.article}:${c.s.index}`;
  const followerOf = new Map<string, Candidate>();
  for (const c of picked) if (c.afterPrevious) followerOf.set(`${c.s.article}:${c.s.index - 1}`, c);
  const roots = picked
    .map((c, rank) => ({ c, rank }))
    .filter(({ c }) => !c.afterPrevious)
    .sort((a, b) => a.c.s.index - b.c.s.index || a.rank - b.rank);
  const out: Candidate[] = [];
  for (const { c } of roots) {
    for (let at: Candidate | undefined = c; at; at = followerOf.get(key(at))) out.push(at);
  }
  return out;
}

/**
 * Per card: the sentences no other card carries, verbatim or in substance (no
 * sentence of another card covers most of its content terms), ranked by how
 * many of its terms no other card uses at all. Only for stories with 2+ cards.
 */
export function onlyHere(text: StoryText, cards: number[], opts: SummaryOptions): Map<number, string[]> {
  const cardIds = [...new Set(cards)];
  const out = new Map<number, string[]>();
  if (cardIds.length < 2) return out;
  for (const c of cardIds) {
    const others = cardIds.filter((o) => o !== c);
    const ranked: Array<{ s: Sentence; distinct: number }> = [];
    for (const s of text.sentences[c]) {
      if (s.words < opts.minSentenceWords || s.words > opts.maxSentenceWords || s.terms.size < 3) continue;
      if (text.carriers(s, opts.carryContainment).some((a) => cards[a] !== c)) continue;
      const covered = others.some((o) => text.sentences[o].some((t) => overlapShare(s.terms, t.terms) >= opts.onlyHereOverlap));
      if (covered) continue;
      let distinct = 0;
      for (const t of s.terms) if (!others.some((o) => text.bodyTerms[o].has(t))) distinct++;
      if (distinct === 0) continue;
      ranked.push({ s, distinct: distinct / Math.sqrt(s.terms.size) + (/\d/.test(s.text) ? 0.5 : 0) });
    }
    ranked.sort((a, b) => b.distinct - a.distinct || a.s.index - b.s.index);
    const keep = ranked.slice(0, opts.onlyHerePerCard).sort((a, b) => a.s.index - b.s.index);
    if (keep.length) out.set(c, keep.map((k) => k.s.text));
  }
  return out;
}
