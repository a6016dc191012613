/**
 * The shared scorer's baselines (../shared/tools/summary_rouge.py), in
 * TypeScript, story by story: LexRank, centroid, lead, round-robin lead and
 * the greedy extractive oracle, each budgeted at a given length, on the gold
 * story's raw files as the scorer reads them. The reported figures still come
 * from the Python scorer (scripts/eval/summary.ts); this port lets the fitting
 * and diagnostics compare ours with LexRank per story, in-process, and at
 * any length (test: the figures match the scorer's to the last digit it prints).
 *
 * Every loop sums in the scorer's order, so the floats match too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ngramCounts, rougeTokens as tok } from './rouge.ts';

/** ROUGE-n F1 of two token lists, with the n-gram counts of the reference given (reused across candidates). */
export function rougeWith(cand: string[], ref: Map<string, number>, refTotal: number, n: number): number {
  const c = ngramCounts(cand, n);
  let hit = 0;
  let cTotal = 0;
  for (const v of c.values()) cTotal += v;
  for (const [k, v] of c) {
    const r = ref.get(k);
    if (r) hit += Math.min(v, r);
  }
  if (!hit) return 0;
  const p = hit / cTotal;
  const rc = hit / refTotal;
  return (2 * p * rc) / (p + rc);
}

/** The scorer's reference: token list and its 1- and 2-gram counts. */
export interface Reference {
  tokens: string[];
  grams: [Map<string, number>, Map<string, number>];
  totals: [number, number];
}

export function reference(text: string): Reference {
  const tokens = tok(text);
  const g1 = ngramCounts(tokens, 1);
  const g2 = ngramCounts(tokens, 2);
  return { tokens, grams: [g1, g2], totals: [Math.max(0, tokens.length), Math.max(0, tokens.length - 1)] };
}

export const rougeRef = (cand: string[], ref: Reference, n: 1 | 2): number => rougeWith(cand, ref.grams[n - 1], ref.totals[n - 1], n);

/** The scorer's sentence split: paragraphs by blank lines, then after . ! ? (and a closing quote) before a capital or digit. */
const SPLIT = /(?:(?<=[.!?])|(?<=[.!?]["'”’)]))\s+(?=["“‘(]?[A-Z0-9])/;

export function scorerSentences(text: string): string[] {
  const out: string[] = [];
  for (let para of text.split(/\n\s*\n/)) {
    para = para.split(/\s+/).filter(Boolean).join(' ');
    if (!para || para.startsWith('#')) continue;
    for (const s of para.split(SPLIT)) if (tok(s).length >= 4) out.push(s);
  }
  return out;
}

/** A raw file's body as the scorer reads it: after the front matter. */
export function scorerBody(file: string): string {
  let t = readFileSync(file, 'utf8');
  if (t.startsWith('---')) t = t.slice(t.indexOf('\n---', 3) + 4);
  return t;
}

/** Sentences while the words taken are under the budget (the last one may overshoot it). */
export function take(ranked: string[], budget: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (const s of ranked) {
    if (n >= budget) break;
    out.push(s);
    n += tok(s).length;
  }
  return out;
}

type Vec = Map<string, number>;

function tfidfVectors(sents: string[], docsTokens: string[][]): Vec[] {
  const df = new Map<string, number>();
  for (const d of docsTokens) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docsTokens.length;
  return sents.map((s) => {
    const tf = new Map<string, number>();
    for (const w of tok(s)) tf.set(w, (tf.get(w) ?? 0) + 1);
    const v: Vec = new Map();
    for (const [w, c] of tf) v.set(w, c * Math.log((n + 1) / ((df.get(w) ?? 0) + 0.5)));
    let sq = 0;
    for (const x of v.values()) sq += x * x;
    const norm = Math.sqrt(sq) || 1;
    const out: Vec = new Map();
    for (const [w, x] of v) out.set(w, x / norm);
    return out;
  });
}

function cos(a: Vec, b: Vec): number {
  let s = 0;
  for (const [w, x] of a) s += x * (b.get(w) ?? 0);
  return s;
}

function dedupeRanked(order: number[], v: Vec[]): number[] {
  const chosen: number[] = [];
  for (const i of order) if (chosen.every((j) => cos(v[i], v[j]) < 0.5)) chosen.push(i);
  return chosen;
}

export function lexrank(sents: string[], docsTokens: string[][], budget: number): string[] {
  const v = tfidfVectors(sents, docsTokens);
  const n = sents.length;
  if (n === 0) return [];
  const w = v.map((a, i) => v.map((b, j) => (i !== j ? cos(a, b) : 0)));
  const row = w.map((r) => {
    let s = 0;
    for (const x of r) s += x;
    return s || 1;
  });
  let p = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < 50; it++) {
    const next = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (w[j][i] / row[j]) * p[j];
      next[i] = 0.15 / n + 0.85 * s;
    }
    p = next;
  }
  const order = [...Array(n).keys()].sort((a, b) => p[b] - p[a]);
  return take(dedupeRanked(order, v).map((i) => sents[i]), budget);
}

export function centroid(sents: string[], docsTokens: string[][], budget: number): string[] {
  const v = tfidfVectors(sents, docsTokens);
  const c: Vec = new Map();
  for (const x of v) for (const [w, y] of x) c.set(w, (c.get(w) ?? 0) + y);
  const score = v.map((x) => cos(x, c));
  const order = [...Array(sents.length).keys()].sort((a, b) => score[b] - score[a]);
  return take(dedupeRanked(order, v).map((i) => sents[i]), budget);
}

/** The scorer's greedy oracle: adds the sentence that most raises R1 + R2 while under the budget and it helps. */
export function oracle(sents: string[], ref: Reference, budget: number): string[] {
  const chosen: string[] = [];
  let chosenTokens: string[] = [];
  let best = 0;
  while (chosenTokens.length < budget) {
    let cand: string | null = null;
    let candScore = -Infinity;
    let candTokens: string[] = [];
    for (const s of sents) {
      if (chosen.includes(s)) continue;
      // " ".join(chosen + [s]) tokenised: the chosen tokens then s's (a space never joins two tokens).
      const t = [...chosenTokens, ...tok(s)];
      const score = rougeRef(t, ref, 2) + rougeRef(t, ref, 1);
      if (score > candScore) [cand, candScore, candTokens] = [s, score, t];
    }
    if (cand === null || candScore <= best) break;
    chosen.push(cand);
    chosenTokens = candTokens;
    best = candScore;
  }
  return chosen;
}

/** What the scorer reads of one gold story. */
export interface GoldStory {
  /** Sentences of each raw file, files in name order. */
  perDoc: string[][];
  sents: string[];
  docsTokens: string[][];
  ref: Reference;
}

export function goldStory(rawDir: string, files: string[], refSummary: string): GoldStory {
  const docs = [...files].sort().map((f) => scorerBody(path.join(rawDir, f)));
  const perDoc = docs.map(scorerSentences);
  return { perDoc, sents: perDoc.flat(), docsTokens: docs.map(tok), ref: reference(refSummary) };
}

export const BASELINES = ['lexrank', 'centroid', 'lead-round-robin', 'lead', 'oracle'] as const;
export type Baseline = (typeof BASELINES)[number];

/** Each baseline's sentences at a budget (words), as the scorer makes them. */
export function baselines(g: GoldStory, budget: number): Record<Baseline, string[]> {
  const b = Math.max(budget, 30);
  const longest = Math.max(0, ...g.perDoc.map((d) => d.length));
  const rr: string[] = [];
  for (let i = 0; i < longest; i++) for (const d of g.perDoc) if (i < d.length) rr.push(d[i]);
  return {
    lexrank: lexrank(g.sents, g.docsTokens, b),
    centroid: centroid(g.sents, g.docsTokens, b),
    'lead-round-robin': take(rr, b),
    lead: g.perDoc.length ? take(g.perDoc[0], b) : [],
    oracle: oracle(g.sents, g.ref, b),
  };
}

/** R1 and R2 F1 (x1) of sentences against a reference. */
export function scoreAgainst(sentences: string[], ref: Reference): { r1: number; r2: number; words: number } {
  const t = tok(sentences.join(' '));
  return { r1: rougeRef(t, ref, 1), r2: rougeRef(t, ref, 2), words: t.length };
}
