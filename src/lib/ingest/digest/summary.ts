/**
 * Sentences of a story's articles, who carries which, and the extractive
 * summary picked from them. Pure, deterministic, no model, no network.
 *
 * "Carries": article B carries sentence s when B's cleaned body contains s
 * verbatim (folded for case, quotes and punctuation) or near-verbatim: one of
 * B's sentences holds at least `carryContainment` of s's word 3-shingles. That
 * is the only relation citations use, so a citation always points at a card
 * whose text says the sentence, not merely at one about the same topic.
 *
 * Selection (MMR-style, greedy): each candidate sentence scores
 *   (centrality with the story's term centroid + coverage of its content
 *    words by the other sources) x lead position x readability penalties,
 * and the next pick is the best one not redundant with those already picked.
 *
 * No npm package: summarisers on npm (node-summarizer, text-summarization…)
 * are unmaintained, paraphrase-free but with no "who carries it" notion; the
 * parts we need (shingles, cosine over terms) are a few lines each.
 */
import { eng as englishStopwords } from 'stopword';
import type { Article } from '../types.ts';
import { foldForCompare, foldPlural as stem, splitSentences, wordCount } from '../../text.ts';

export interface SummaryOptions {
  /** Fewest and most summary sentences (fewer only when the story has fewer usable ones). */
  minSentences: number;
  maxSentences: number;
  /** Usable sentence length, in words. */
  minSentenceWords: number;
  maxSentenceWords: number;
  /** Share of a sentence's 3-shingles one sentence of another article must hold for it to carry the sentence. */
  carryContainment: number;
  /** A candidate sharing this share of content terms with a picked sentence is redundant. */
  redundancy: number;
  /** Candidates scoring below this share of the best are not picked beyond `minSentences`. */
  relativeFloor: number;
  /** Sentences kept as "only here" per card. */
  onlyHerePerCard: number;
  /** A sentence whose content terms another card's sentence covers to this share is not "only here". */
  onlyHereOverlap: number;
}

export const defaultSummaryOptions: SummaryOptions = {
  minSentences: 3,
  maxSentences: 5,
  minSentenceWords: 8,
  maxSentenceWords: 60,
  carryContainment: 0.8,
  redundancy: 0.5,
  relativeFloor: 0.45,
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

  /** Indexes of the articles that carry `s` verbatim or near-verbatim, in story order. */
  carriers(s: { folded: string; shingles: Set<string> }, containment: number): number[] {
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
    for (let ai = 0; ai < this.foldedBodies.length; ai++) if (!out.has(ai) && this.foldedBodies[ai].includes(needle)) out.add(ai);
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

/** Starts that lean on a previous sentence: poor summary leads. */
const DANGLING = /^(?:["“‘']?\s*)(?:he|she|they|it|this|that|these|those|his|her|their|its|but|and|so|also|meanwhile|still|however|instead|then|there|here)\b/i;

export interface Candidate {
  s: Sentence;
  score: number;
}

export function overlapShare(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let n = 0;
  for (const t of a) if (b.has(t)) n++;
  return n / a.size;
}

/**
 * Scores every usable sentence. `cards` maps each article index to its card
 * (the original it republishes, or itself); coverage counts cards, so a wire
 * copy does not make its original look widely reported.
 */
export function scoreSentences(text: StoryText, cards: number[], opts: SummaryOptions): Candidate[] {
  const cardIds = [...new Set(cards)];
  const nCards = cardIds.length;
  // Story centroid: sum of each card's unit term-frequency vector.
  const centroid = new Map<string, number>();
  for (const c of cardIds) {
    const tf = new Map<string, number>();
    for (const s of text.sentences[c]) for (const t of s.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const norm = Math.sqrt([...tf.values()].reduce((x, v) => x + v * v, 0)) || 1;
    for (const [t, v] of tf) centroid.set(t, (centroid.get(t) ?? 0) + v / norm);
  }
  const cNorm = Math.sqrt([...centroid.values()].reduce((x, v) => x + v * v, 0)) || 1;
  // How many cards use each term at all.
  const cardsWith = new Map<string, number>();
  for (const c of cardIds) for (const t of text.bodyTerms[c]) cardsWith.set(t, (cardsWith.get(t) ?? 0) + 1);

  const out: Candidate[] = [];
  for (const c of cardIds) {
    const list = text.sentences[c];
    for (const s of list) {
      if (s.words < opts.minSentenceWords || s.words > opts.maxSentenceWords || s.terms.size < 3) continue;
      let dot = 0;
      for (const t of s.terms) dot += centroid.get(t) ?? 0;
      const centrality = dot / (Math.sqrt(s.terms.size) * cNorm);
      let coverage = 0;
      if (nCards > 1) {
        for (const t of s.terms) coverage += ((cardsWith.get(t) ?? 1) - 1) / (nCards - 1);
        coverage /= s.terms.size;
      }
      const position = 1 / (1 + 0.12 * s.index);
      let penalty = 1;
      if (DANGLING.test(s.text)) penalty *= 0.55;
      if (/\?["”’)]*$/.test(s.text)) penalty *= 0.5;
      // Quotes have their own section; a sentence that is mostly a quote, or leans on "he said", reads poorly as summary.
      if (/^["“‘]/.test(s.text)) penalty *= 0.5;
      if (/\b(?:he|she|they)\s+(?:said|added|says|told)\b/i.test(s.text)) penalty *= 0.7;
      if (!/[.!?…]["”’')\]]*$/.test(s.text)) penalty *= 0.5;
      // Unbalanced quotation marks: a sentence cut from a longer quote.
      if (((s.text.match(/[“”"]/g)?.length ?? 0) % 2) === 1) penalty *= 0.4;
      const relevance = nCards > 1 ? 0.5 * centrality + 0.5 * coverage : centrality;
      out.push({ s, score: relevance * position * penalty });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.s.article - b.s.article || a.s.index - b.s.index);
}

/** Greedy, redundancy-aware pick of summary sentences, returned in reading order. */
export function pickSummary(candidates: Candidate[], cards: number[], opts: SummaryOptions): Sentence[] {
  const picked: Candidate[] = [];
  const pool = [...candidates];
  const best = pool[0]?.score ?? 0;
  while (picked.length < opts.maxSentences && pool.length) {
    let bestAt = -1;
    let bestScore = -1;
    pool.forEach((c, i) => {
      const redundant = picked.some(
        (p) => overlapShare(c.s.terms, p.s.terms) >= opts.redundancy || overlapShare(c.s.shingles, p.s.shingles) >= 0.3,
      );
      if (redundant) return;
      // Gentle preference for sentences from cards not yet quoted: coverage across sources.
      const sameCard = picked.filter((p) => cards[p.s.article] === cards[c.s.article]).length;
      const adjusted = c.score * Math.pow(0.85, sameCard);
      if (adjusted > bestScore) {
        bestScore = adjusted;
        bestAt = i;
      }
    });
    if (bestAt < 0) break;
    if (picked.length >= opts.minSentences && bestScore < opts.relativeFloor * best) break;
    picked.push(pool.splice(bestAt, 1)[0]);
  }
  // Reading order: the lead-most sentences first (position within its article), then by score.
  return picked
    .map((p, rank) => ({ p, rank }))
    .sort((a, b) => a.p.s.index - b.p.s.index || a.rank - b.rank)
    .map(({ p }) => p.s);
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
