/**
 * The third round's screen of #18 (docs/eval-digest.md, "Levers tried in the
 * third round"): variants scored before the shipped second stage was built
 * (that one lives in src/lib/ingest/digest/sentence-scorer.ts and
 * sentence-model.ts, fitted by digest.ts `fitSummaryModel`; its features
 * differ in detail from this screen's `featuresOf`).
 *
 * A supervised sentence scorer fitted to each candidate's own ROUGE against
 * the editors' summary (its unigram and bigram precision: the share of its
 * words and word pairs the editors use, the value per word a budgeted greedy
 * wants), cross-fitted by halves, then greedy selection under the budget.
 *
 *   node --import tsx scripts/train/gain.ts [--grouping gold|ours]
 *
 * Strict cross-fitting: a half is scored with the sentence scorer AND the
 * concept model fitted on the other half; the concept values the scorer reads
 * as a feature on its training half come from concept models fitted on the
 * other part of that half (inner split), so a training row never sees its own label.
 */
import { parseArgs } from 'node:util';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { loadAllSides, type Grouping } from './allsides.ts';
import { byHalf, cases, greedy, report, type Case } from './levers.ts';
import { fitSentenceModel } from './digest.ts';
import { fitLogistic, type Fitted } from './logistic.ts';
import { fitGbdt, fittedLogit } from './gbdt.ts';
import { ngramCounts, rougeTokens as tok } from './rouge.ts';
import { conceptFeatures, conceptWeights, conceptsOf, type Candidate, type SentenceModel } from '../../src/lib/ingest/index.ts';
import { foldForCompare, foldPlural } from '../../src/lib/text.ts';

const weightsWith = (c: Case, m: SentenceModel) => {
  const ids = [...new Set(c.cards)];
  return conceptWeights({ cards: ids.map((i) => ({ title: foldForCompare(c.articles[i].title), sentences: c.text.sentences[i].slice(0, 20).map((s) => s.folded) })) }, m);
};

/** Unigram and bigram precision of a sentence against the editors' summary. */
function precision(x: Candidate, ref1: Map<string, number>, ref2: Map<string, number>): number {
  const t = tok(x.text);
  const hit = (n: number, ref: Map<string, number>) => {
    let h = 0;
    let total = 0;
    for (const [k, v] of ngramCounts(t, n)) {
      total += v;
      h += Math.min(v, ref.get(k) ?? 0);
    }
    return total ? h / total : 0;
  };
  return (hit(1, ref1) + hit(2, ref2)) / 2;
}

export const SENTENCE_FEATURES = ['value/word', 'log value', 'lead', 'position', 'relative position', 'consensus', 'bigram consensus', 'carriers', 'centroid', 'titles', 'title coverage', 'log words', 'number', 'capitalised', 'quote', 'said', 'follower', 'single', 'first article'];

/** Features of each candidate of a story, given its concept weights. */
function featuresOf(c: Case, weights: Map<string, number>): Map<Candidate, number[]> {
  const cards = [...new Set(c.cards)];
  const titleTerms = cards.map((i) => new Set(foldForCompare(c.articles[i].title).split(' ').filter((w) => w.length > 3)));
  const bigramsOf = (folded: string) => {
    const w = folded.split(' ');
    const out = new Set<string>();
    for (let i = 0; i + 1 < w.length; i++) out.add(`${w[i]} ${w[i + 1]}`);
    return out;
  };
  const cardBigrams = cards.map((i) => {
    const s = new Set<string>();
    for (const x of c.text.sentences[i]) for (const b of bigramsOf(x.folded)) s.add(b);
    return s;
  });
  // Story centroid: term frequencies over the cards' first 20 sentences.
  const centroid = new Map<string, number>();
  for (const i of cards) for (const s of c.text.sentences[i].slice(0, 20)) for (const t of s.terms) centroid.set(t, (centroid.get(t) ?? 0) + 1);
  const cNorm = Math.sqrt([...centroid.values()].reduce((s, v) => s + v * v, 0)) || 1;
  const out = new Map<Candidate, number[]>();
  for (const x of c.pool) {
    let value = 0;
    for (const k of x.concepts) value += weights.get(k) ?? 0;
    const own = cards.indexOf(c.cards[x.s.article]);
    const others = cards.map((_, j) => j).filter((j) => j !== own);
    const terms = [...x.s.terms];
    const consensus = others.length ? others.reduce((s, j) => s + terms.filter((t) => c.text.bodyTerms[cards[j]].has(t)).length / Math.max(1, terms.length), 0) / others.length : 0;
    const bg = [...bigramsOf(x.folded)];
    const bigramConsensus = others.length && bg.length ? others.reduce((s, j) => s + bg.filter((b) => cardBigrams[j].has(b)).length / bg.length, 0) / others.length : 0;
    const carriers = new Set(c.text.carriers(x.s, 0.8).map((a) => c.cards[a])).size;
    const cos = terms.reduce((s, t) => s + (centroid.get(t) ?? 0), 0) / (cNorm * Math.sqrt(Math.max(1, terms.length)));
    const words = x.folded.split(' ');
    const titles = titleTerms.reduce((s, t) => s + words.filter((w) => t.has(w)).length, 0) / Math.max(1, words.length * cards.length);
    const titleCover = titleTerms.reduce((s, t) => s + (t.size ? [...t].filter((w) => words.includes(w)).length / t.size : 0), 0) / cards.length;
    const len = c.text.sentences[x.s.article].length;
    out.set(x, [
      value / x.words,
      Math.log(value + 1e-3),
      x.s.index === 0 ? 1 : 0,
      1 / (1 + x.s.index),
      len > 1 ? x.s.index / (len - 1) : 0,
      consensus,
      bigramConsensus,
      others.length ? (carriers - 1) / others.length : 0,
      cos,
      titles,
      titleCover,
      Math.log(x.words),
      /\d/.test(x.text) ? 1 : 0,
      (x.text.match(/\s\p{Lu}\p{Ll}+/gu) ?? []).length / x.words,
      /[“”"]/.test(x.text) ? 1 : 0,
      /\b(said|says|told|according)\b/i.test(x.text) ? 1 : 0,
      x.afterPrevious ? 1 : 0,
      others.length ? 0 : 1,
      x.s.article === 0 ? 1 : 0,
    ]);
  }
  return out;
}

function main(): number {
  const { values } = parseArgs({ options: { grouping: { type: 'string', default: 'ours' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('scripts/train/gain.ts');
    return 0;
  }
  const set = loadAllSides(corpus);
  const cs = cases(set, values.grouping as Grouping);
  const h = byHalf(cs);
  // Concept models: each half's out-of-sample weights, and inner ones for the training rows.
  const inner = (part: Case[]) => {
    const [p, q] = [part.filter((_, i) => i % 2 === 0), part.filter((_, i) => i % 2 === 1)];
    const [onP, onQ] = [fitSentenceModel(p, 2), fitSentenceModel(q, 2)];
    return new Map(part.map((c, i) => [c, weightsWith(c, i % 2 === 0 ? onQ : onP)]));
  };
  const conceptOn = { a: fitSentenceModel(h.a, 2), b: fitSentenceModel(h.b, 2) };
  const test = new Map(cs.map((c) => [c, weightsWith(c, c.dev.half === 'a' ? conceptOn.b : conceptOn.a)]));
  const trainW = new Map([...inner(h.a), ...inner(h.b)]);
  report('shipped selection, concept models cross-fitted', cs, (c) => greedy(c, test.get(c)!));
  const labels = new Map(cs.map((c) => {
    const r = tok(c.dev.ref.summary);
    const [r1, r2] = [ngramCounts(r, 1), ngramCounts(r, 2)];
    return [c, new Map(c.pool.map((x) => [x, precision(x, r1, r2)]))];
  }));
  const trainF = new Map(cs.map((c) => [c, featuresOf(c, trainW.get(c)!)]));
  const testF = new Map(cs.map((c) => [c, featuresOf(c, test.get(c)!)]));
  // Standardise features on the training half (the L2 penalty then treats them alike).
  const fit = (part: Case[]) => {
    const rows: number[][] = [];
    const ys: number[] = [];
    for (const c of part) for (const [x, v] of trainF.get(c)!) {
      rows.push(v);
      ys.push(labels.get(c)!.get(x)!);
    }
    const d = rows[0].length;
    const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const sd = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length) || 1);
    const z = (r: number[]) => r.map((v, j) => (v - mean[j]) / sd[j]);
    const m: Fitted = fitLogistic(rows.map(z), ys, 1);
    return { m, z };
  };
  const [onA, onB] = [fit(h.a), fit(h.b)];
  for (const [name, f] of [['fitted on a', onA], ['fitted on b', onB]] as const) console.log(name, f.m.weights.map((w, j) => `${SENTENCE_FEATURES[j]} ${w.toFixed(2)}`).join(', '), `bias ${f.m.bias.toFixed(2)}`);
  const pred = (c: Case) => {
    const f = c.dev.half === 'a' ? onB : onA;
    return new Map([...testF.get(c)!].map(([x, v]) => {
      const zz = f.z(v);
      return [x, 1 / (1 + Math.exp(-(f.m.bias + zz.reduce((s, q, j) => s + q * f.m.weights[j], 0))))];
    }));
  };
  const preds = new Map(cs.map((c) => [c, pred(c)]));
  // Correlation of prediction with label, per half (held-out).
  for (const half of ['a', 'b'] as const) {
    let sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0, n = 0;
    for (const c of h[half]) for (const [x, p] of preds.get(c)!) {
      const y = labels.get(c)!.get(x)!;
      [sxy, sx, sy, sxx, syy, n] = [sxy + p * y, sx + p, sy + y, sxx + p * p, syy + y * y, n + 1];
    }
    console.log(`half ${half}: held-out correlation of predicted and true precision ${((n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy))).toFixed(3)}`);
  }
  report('scorer alone (greedy by predicted precision)', cs, (c) => greedy(c, new Map(), { prior: preds.get(c)!, lambda: 1 }));
  for (const lambda of [0.5, 1, 2, 4]) report(`coverage + scorer x${lambda}`, cs, (c) => greedy(c, test.get(c)!, { prior: preds.get(c)!, lambda }));
  // Concept weights scaled by the best predicted precision of a sentence holding them.
  for (const gamma of [1, 2]) report(`concept weight x (max predicted precision of its sentences)^${gamma}`, cs, (c) => {
    const p = preds.get(c)!;
    const best = new Map<string, number>();
    for (const x of c.pool) for (const k of x.concepts) best.set(k, Math.max(best.get(k) ?? 0, p.get(x)!));
    const w = new Map([...test.get(c)!].map(([k, v]) => [k, v * (best.get(k) ?? 0) ** gamma]));
    return greedy(c, w);
  });
  concepts(cs, h, preds, trainW);
  return 0;
}


/**
 * Concept models beside the shipped logistic one, cross-fitted: the logistic
 * with extra features (a name: share of capitalised occurrences; the best
 * predicted precision of a candidate holding it), and boosted trees.
 */
function concepts(cs: Case[], h: { a: Case[]; b: Case[] }, preds: Map<Case, Map<Candidate, number>>, trainW: Map<Case, Map<string, number>>): void {
  void trainW;
  const rows = new Map(cs.map((c) => {
    const ids = [...new Set(c.cards)];
    const feats = conceptFeatures({ cards: ids.map((i) => ({ title: foldForCompare(c.articles[i].title), sentences: c.text.sentences[i].slice(0, 20).map((s) => s.folded) })) });
    const ref = new Set(conceptsOf(foldForCompare(c.dev.ref.summary)));
    const p = preds.get(c)!;
    const best = new Map<string, number>();
    for (const x of c.pool) for (const k of x.concepts) best.set(k, Math.max(best.get(k) ?? 0, p.get(x)!));
    const n = new Map<string, number>();
    const cap = new Map<string, number>();
    for (const list of c.text.sentences) for (const s of list.slice(0, 20)) s.text.split(/\s+/).forEach((w, i) => {
      const f = foldPlural(foldForCompare(w).split(' ')[0] ?? '');
      if (!f || i === 0) return;
      n.set(f, (n.get(f) ?? 0) + 1);
      if (/^["“‘(]?\p{Lu}/u.test(w)) cap.set(f, (cap.get(f) ?? 0) + 1);
    });
    const capOf = (k: string) => Math.max(...k.slice(2).split(' ').map((w) => (n.get(w) ? (cap.get(w) ?? 0) / n.get(w)! : 0)));
    return [c, [...feats].map(([k, x]) => ({ k, x: [...x, capOf(k), best.get(k) ?? 0], y: ref.has(k) ? 1 : 0 }))];
  }));
  const variants: Array<[string, number[]]> = [['shipped features', [0, 1, 2, 3, 4, 5, 6, 7]], ['+ capitalised', [0, 1, 2, 3, 4, 5, 6, 7, 8]], ['+ best sentence', [0, 1, 2, 3, 4, 5, 6, 7, 9]], ['+ both', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]];
  const logloss = (part: Case[], prob: (c: Case, r: { k: string; x: number[] }) => number) => {
    let s = 0;
    let m = 0;
    for (const c of part) for (const r of rows.get(c)!) {
      const p = Math.min(1 - 1e-6, Math.max(1e-6, prob(c, r)));
      s -= r.y ? Math.log(p) : Math.log(1 - p);
      m++;
    }
    return s / m;
  };
  for (const [name, cols] of variants) {
    for (const kind of ['logistic', 'trees'] as const) {
      const fit = (part: Case[]) => {
        const out: Record<string, (x: number[]) => number> = {};
        for (const u of ['u', 'b']) {
          const rs: number[][] = [];
          const ys: number[] = [];
          for (const c of part) for (const r of rows.get(c)!) if (r.k[0] === u) {
            rs.push(cols.map((j) => r.x[j]));
            ys.push(r.y);
          }
          if (kind === 'logistic') {
            const m = fitLogistic(rs, ys, 1);
            out[u] = (x) => 1 / (1 + Math.exp(-(m.bias + x.reduce((s, v, j) => s + v * m.weights[j], 0))));
          } else {
            const m = fitGbdt(rs.map((r) => Float64Array.from(r)), Uint8Array.from(ys), new Float64Array(rs.length).fill(1), { trees: 60, depth: 3, learningRate: 0.1, subsample: 0.7 });
            out[u] = (x) => 1 / (1 + Math.exp(-fittedLogit(m, x)));
          }
        }
        return out;
      };
      const [onA, onB] = [fit(h.a), fit(h.b)];
      const prob = (c: Case, r: { k: string; x: number[] }) => (c.dev.half === 'a' ? onB : onA)[r.k[0]](cols.map((j) => r.x[j]));
      const weights = (c: Case) => new Map(rows.get(c)!.map((r) => [r.k, (r.k[0] === 'u' ? 1 : 2) * prob(c, r)]));
      report(`concepts ${kind}, ${name} (held-out log-loss a ${logloss(h.a, prob).toFixed(4)}, b ${logloss(h.b, prob).toFixed(4)})`, cs, (c) => greedy(c, weights(c)));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
