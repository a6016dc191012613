/**
 * The levers tried on the summary and headline in the second round of #18
 * (docs/eval-digest.md, "Levers tried in the second round"), each scored on
 * halves a and b beside LexRank at its length (compare.ts). None is in the
 * build: this script is how their figures are reproduced.
 *
 *   node --import tsx scripts/train/levers.ts [lever ...] [--grouping gold|ours]
 *
 * Levers: features (lexical prior, capitalisation, interactions; `features:<name>`
 * for one), gold-fit, novelty, stop,
 * same, centrality, position, scorer, budget, headline. Where a model is
 * fitted it is cross-fitted: fitted on one half, scored on the other. The
 * selection here is the shipped one (pickByWeights: budgeted greedy concept
 * coverage under the reader rules), re-implemented with the lever's hook.
 */
import { parseArgs } from 'node:util';
import { eng } from 'stopword';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { loadAllSides, membersOf, type DevSet, type DevStory, type Grouping } from './allsides.ts';
import { goldStories, halves, line, scoreStory } from './compare.ts';
import { rougeRef, type GoldStory } from './baselines.ts';
import { rougeTokens as tok } from './rouge.ts';
import { fitLogistic, type Fitted } from './logistic.ts';
import { devCases, fitHeadlineModel, fitSentenceModel, scoreSummaries } from './digest.ts';
import {
  StoryText,
  cardsOf,
  chronological,
  conceptFeatures,
  conceptWeights,
  conceptsOf,
  defaultSummaryOptions,
  digest,
  expectedF1,
  headlineWords,
  sameThing,
  sentenceModel,
  summaryCandidates,
  titleMarks,
  titleSupport,
  trimOutlet,
  type Article,
  type Candidate,
  type HeadlineModel,
} from '../../src/lib/ingest/index.ts';
import { foldForCompare, foldPlural } from '../../src/lib/text.ts';

export interface Case {
  dev: DevStory;
  gold: GoldStory;
  articles: Article[];
  cards: number[];
  text: StoryText;
  pool: Candidate[];
  titles: string[];
  headline: string;
  weights: Map<string, number>;
}

export function cases(set: DevSet, grouping: Grouping): Case[] {
  const groups = membersOf(set, grouping);
  const gold = goldStories(set);
  const titleOf = new Map(set.result.articles.map((a) => [a.raw, a.title]));
  return set.stories.map((dev) => {
    const { members, assignments } = groups.get(dev.gold)!;
    const articles = [...members].sort(chronological);
    const cards = cardsOf(articles, assignments);
    const text = new StoryText(articles);
    const ids = [...new Set(cards)];
    const weights = conceptWeights({ cards: ids.map((i) => ({ title: foldForCompare(articles[i].title), sentences: text.sentences[i].slice(0, 20).map((s) => s.folded) })) });
    return {
      dev,
      gold: gold.get(dev.gold)!,
      articles,
      cards,
      text,
      pool: summaryCandidates(text, cards, defaultSummaryOptions),
      titles: dev.files.map((f) => titleOf.get(f)).filter((t): t is string => !!t),
      headline: digest(dev.gold, members, assignments).headline,
      weights,
    };
  });
}

export interface Hooks {
  budget?: number;
  /** Skip a sentence whose uncovered share of its value is under this. */
  novel?: number;
  /** Skip a sentence whose gain per word is under this. */
  stop?: number;
  /** Two sentences say the same thing when the smaller one's word value the other holds is at least this. */
  same?: number;
  /** A per-sentence prior added to the pick score, times `lambda`. */
  prior?: Map<Candidate, number>;
  lambda?: number;
}

/** The shipped greedy (summary.ts pickByWeights) with the levers' hooks. */
export function greedy(c: Case, weights: Map<string, number>, o: Hooks = {}): Candidate[] {
  const opts = defaultSummaryOptions;
  const budget = o.budget ?? opts.budgetWords;
  const max = o.budget ? 10 : opts.maxSentences;
  const picked: Candidate[] = [];
  const covered = new Set<string>();
  let used = 0;
  while (picked.length < max) {
    let best: Candidate | null = null;
    let bestScore = 0;
    for (const x of c.pool) {
      if (picked.includes(x) || used + x.words > budget) continue;
      if (x.afterPrevious && !picked.some((p) => p.s.article === x.s.article && p.s.index === x.s.index - 1)) continue;
      let gain = 0;
      let total = 0;
      for (const k of x.concepts) {
        const w = weights.get(k) ?? 0;
        total += w;
        if (!covered.has(k)) gain += w;
      }
      if (picked.length && o.novel && gain < o.novel * total) continue;
      if (picked.length && o.stop && gain / x.words < o.stop) continue;
      const score = gain / Math.pow(x.words, picked.length === 0 ? opts.firstExponent : opts.lengthExponent) + (o.lambda ?? 0) * (o.prior?.get(x) ?? 0);
      const same = (p: Candidate) => sameThing(x, p, opts) || (o.same !== undefined && weightedSame(x, p, weights) >= o.same);
      if (score > bestScore && !picked.some(same)) [best, bestScore] = [x, score];
    }
    if (!best) break;
    picked.push(best);
    used += best.words;
    for (const k of best.concepts) covered.add(k);
  }
  return picked;
}

/** Share of the smaller sentence's word value that the other sentence holds. */
function weightedSame(a: Candidate, b: Candidate, w: Map<string, number>): number {
  const words = (x: Candidate) => x.concepts.filter((k) => k.startsWith('u:'));
  const sum = (l: string[]) => l.reduce((s, k) => s + (w.get(k) ?? 0), 0);
  const [va, vb] = [words(a), words(b)];
  const [small, large] = sum(va) <= sum(vb) ? [va, new Set(vb)] : [vb, new Set(va)];
  const total = sum(small);
  return total ? sum(small.filter((k) => large.has(k))) / total : 0;
}

export function report(name: string, cs: Case[], pick: (c: Case) => Candidate[] | string[]): void {
  const h = halves(cs.map((c) => {
    const p = pick(c);
    return scoreStory(c.dev, c.gold, p.map((x) => (typeof x === 'string' ? x : x.text)), c.headline, c.titles);
  }));
  console.log(`${name}\n  half a ${line(h.a)}\n  half b ${line(h.b)}`);
}

export const byHalf = (cs: Case[]) => ({ a: cs.filter((c) => c.dev.half === 'a'), b: cs.filter((c) => c.dev.half === 'b') });
const STOP = new Set(eng);

/** Concept model with extra features, cross-fitted: a lexical prior and the share of capitalised occurrences. */
function features(cs: Case[], only?: string): void {
  const rows = new Map(cs.map((c) => {
    const ids = [...new Set(c.cards)];
    const feats = conceptFeatures({ cards: ids.map((i) => ({ title: foldForCompare(c.articles[i].title), sentences: c.text.sentences[i].slice(0, 20).map((s) => s.folded) })) });
    const ref = new Set(conceptsOf(foldForCompare(c.dev.ref.summary)));
    return [c.dev.gold, [...feats].map(([k, x]) => ({ k, x, y: ref.has(k) ? 1 : 0 }))];
  }));
  const caps = new Map(cs.map((c) => {
    const n = new Map<string, number>();
    const cap = new Map<string, number>();
    for (const list of c.text.sentences) for (const s of list) s.text.split(/\s+/).forEach((w, i) => {
      const f = foldPlural(foldForCompare(w).split(' ')[0] ?? '');
      if (!f || i === 0) return;
      n.set(f, (n.get(f) ?? 0) + 1);
      if (/^["“‘(]?\p{Lu}/u.test(w)) cap.set(f, (cap.get(f) ?? 0) + 1);
    });
    return [c.dev.gold, new Map([...n].map(([w, k]) => [w, (cap.get(w) ?? 0) / k]))];
  }));
  // Log-odds that an editor keeps a concept when the story has it (smoothed toward the base rate).
  const priorTable = (train: Case[], alpha = 5) => {
    const used = new Map<string, number>();
    const seen = new Map<string, number>();
    const base = { u: [0, 0], b: [0, 0] };
    for (const c of train) for (const r of rows.get(c.dev.gold)!) {
      seen.set(r.k, (seen.get(r.k) ?? 0) + 1);
      if (r.y) used.set(r.k, (used.get(r.k) ?? 0) + 1);
      const b = r.k.startsWith('u:') ? base.u : base.b;
      b[0] += r.y;
      b[1]++;
    }
    const table = new Map<string, number>();
    for (const [k, n] of seen) {
      const b = k.startsWith('u:') ? base.u : base.b;
      const p0 = b[0] / b[1];
      const p = ((used.get(k) ?? 0) + alpha * p0) / (n + alpha);
      table.set(k, Math.log(p / (1 - p)) - Math.log(p0 / (1 - p0)));
    }
    return table;
  };
  const extras: Record<string, (c: Case, k: string, prior: Map<string, number>) => number[]> = {
    'lexical prior': (c, k, p) => [p.get(k) ?? 0],
    capitalised: (c, k) => [Math.max(...k.slice(2).split(' ').map((w) => caps.get(c.dev.gold)!.get(w) ?? 0))],
    both: (c, k, p) => [p.get(k) ?? 0, Math.max(...k.slice(2).split(' ').map((w) => caps.get(c.dev.gold)!.get(w) ?? 0))],
    // Products of the shipped features (cards x lead, titles x repeats, ...): a logistic model with interactions.
    interactions: (c, k) => {
      const x = rowOf.get(c.dev.gold)!.get(k)!;
      const out: number[] = [];
      for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) out.push(x[i] * x[j]);
      return out;
    },
  };
  const rowOf = new Map([...rows].map(([g, rs]) => [g, new Map(rs.map((r) => [r.k, r.x]))]));
  const h = byHalf(cs);
  for (const [name, extra] of Object.entries(extras).filter(([n]) => !only || n === only)) {
    const fit = (train: Case[]) => {
      // The prior is cross-fitted inside the training half too, or the feature would see its own label.
      const inner = [train.filter((_, i) => i % 2 === 0), train.filter((_, i) => i % 2 === 1)].map((part) => priorTable(part));
      const data = { u: [[], []] as [number[][], number[]], b: [[], []] as [number[][], number[]] };
      train.forEach((c, i) => {
        for (const r of rows.get(c.dev.gold)!) {
          const d = r.k.startsWith('u:') ? data.u : data.b;
          d[0].push([...r.x, ...extra(c, r.k, inner[1 - (i % 2)])]);
          d[1].push(r.y);
        }
      });
      return { u: fitLogistic(data.u[0], data.u[1], 1), b: fitLogistic(data.b[0], data.b[1], 1), table: priorTable(train) };
    };
    const weightsOf = (c: Case, m: ReturnType<typeof fit>) => {
      const out = new Map<string, number>();
      for (const r of rows.get(c.dev.gold)!) {
        const lm: Fitted = r.k.startsWith('u:') ? m.u : m.b;
        const x = [...r.x, ...extra(c, r.k, m.table)];
        let z = lm.bias;
        x.forEach((v, j) => (z += lm.weights[j] * v));
        out.set(r.k, (r.k.startsWith('u:') ? 1 : sentenceModel.bigramShare) / (1 + Math.exp(-z)));
      }
      return out;
    };
    const [onA, onB] = [fit(h.a), fit(h.b)];
    report(`concept feature: ${name}`, cs, (c) => greedy(c, weightsOf(c, c.dev.half === 'a' ? onB : onA)));
  }
}

/** LexRank centrality of each candidate among the pool (story-local TF-IDF over the cards), max 1. */
function centrality(c: Case): Map<Candidate, number> {
  const n = c.pool.length;
  const cards = [...new Set(c.cards)];
  const df = new Map<string, number>();
  for (const i of cards) for (const t of c.text.bodyTerms[i]) df.set(t, (df.get(t) ?? 0) + 1);
  const vec = c.pool.map((x) => {
    const v = new Map<string, number>();
    for (const t of x.s.terms) v.set(t, Math.log((cards.length + 1) / ((df.get(t) ?? 0) + 0.5)));
    const norm = Math.sqrt([...v.values()].reduce((s, y) => s + y * y, 0)) || 1;
    for (const [k, y] of v) v.set(k, y / norm);
    return v;
  });
  const cos = (a: Map<string, number>, b: Map<string, number>) => [...a].reduce((s, [k, y]) => s + y * (b.get(k) ?? 0), 0);
  const w = vec.map((a, i) => vec.map((b, j) => (i === j ? 0 : cos(a, b))));
  const row = w.map((r) => r.reduce((s, x) => s + x, 0) || 1);
  let p = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < 30; it++) p = p.map((_, i) => 0.15 / n + 0.85 * w.reduce((s, r, j) => s + (r[i] / row[j]) * p[j], 0));
  const top = Math.max(...p, 1e-9);
  return new Map(c.pool.map((x, i) => [x, p[i] / top]));
}

/** The scorer's greedy oracle over our candidates under every rule: the label of the sentence scorer. */
export function ruledOracle(c: Case): Set<Candidate> {
  const picked: Candidate[] = [];
  let tokens: string[] = [];
  let best = 0;
  let used = 0;
  while (picked.length < defaultSummaryOptions.maxSentences) {
    let cand: Candidate | null = null;
    let score = -Infinity;
    let candTokens: string[] = [];
    for (const x of c.pool) {
      if (picked.includes(x) || used + x.words > defaultSummaryOptions.budgetWords) continue;
      if (x.afterPrevious && !picked.some((p) => p.s.article === x.s.article && p.s.index === x.s.index - 1)) continue;
      if (picked.some((p) => sameThing(x, p, defaultSummaryOptions))) continue;
      const t = [...tokens, ...tok(x.text)];
      const s = rougeRef(t, c.gold.ref, 1) + rougeRef(t, c.gold.ref, 2);
      if (s > score) [cand, score, candTokens] = [x, s, t];
    }
    if (!cand || score <= best) break;
    picked.push(cand);
    tokens = candTokens;
    best = score;
    used += cand.words;
  }
  return new Set(picked);
}

/** A logistic sentence scorer (label: in the ruled oracle), cross-fitted, blended with coverage. */
function scorer(cs: Case[]): void {
  const feats = (c: Case) => {
    const cards = [...new Set(c.cards)];
    const titleWords = cards.map((i) => new Set(foldForCompare(c.articles[i].title).split(' ')));
    return new Map(c.pool.map((x) => {
      let value = 0;
      for (const k of x.concepts) value += c.weights.get(k) ?? 0;
      const others = cards.filter((i) => i !== c.cards[x.s.article]);
      const consensus = others.length ? others.reduce((s, i) => s + [...x.s.terms].filter((t) => c.text.bodyTerms[i].has(t)).length / Math.max(1, x.s.terms.size), 0) / others.length : 0;
      const words = x.folded.split(' ');
      const titles = titleWords.reduce((s, t) => s + words.filter((w) => w.length > 3 && t.has(w)).length, 0) / Math.max(1, words.length);
      const capitalised = (x.text.match(/\s\p{Lu}\p{Ll}+/gu) ?? []).length / x.words;
      return [x, [value / x.words, Math.log(value + 1e-3), x.s.index === 0 ? 1 : 0, 1 / (1 + x.s.index), consensus, titles, capitalised, /\d/.test(x.text) ? 1 : 0, /[“”"]/.test(x.text) ? 1 : 0, x.afterPrevious ? 1 : 0, Math.log(x.words), others.length ? 0 : 1, /\b(said|says|told|according)\b/i.test(x.text) ? 1 : 0]];
    }));
  };
  const f = new Map(cs.map((c) => [c.dev.gold, feats(c)]));
  const y = new Map(cs.map((c) => [c.dev.gold, ruledOracle(c)]));
  const fit = (train: Case[]) => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (const c of train) for (const [x, v] of f.get(c.dev.gold)!) {
      rows.push(v);
      labels.push(y.get(c.dev.gold)!.has(x) ? 1 : 0);
    }
    return fitLogistic(rows, labels, 1);
  };
  const h = byHalf(cs);
  const [onA, onB] = [fit(h.a), fit(h.b)];
  const prob = (m: Fitted, v: number[]) => 1 / (1 + Math.exp(-(m.bias + v.reduce((s, x, i) => s + x * m.weights[i], 0))));
  const priorOf = (c: Case) => new Map([...f.get(c.dev.gold)!].map(([x, v]) => [x, prob(c.dev.half === 'a' ? onB : onA, v)]));
  for (const lambda of [0.5, 1, 2, 4]) report(`sentence scorer x${lambda} beside coverage`, cs, (c) => greedy(c, c.weights, { prior: priorOf(c), lambda }));
  report('sentence scorer alone', cs, (c) => greedy(c, new Map(), { prior: priorOf(c), lambda: 1 }));
}

/** Headline: a pairwise ranker over the story's titles, cross-fitted (fitted on the gold grouping's titles). */
function headline(set: DevSet, cs: Case[], grouping: Grouping): void {
  const content = (ws: string[]) => new Set(ws.filter((w) => w.length > 2 && !STOP.has(w)).map(foldPlural));
  const f1 = (a: string[], b: string[]) => {
    const cb = new Map<string, number>();
    for (const w of b) cb.set(w, (cb.get(w) ?? 0) + 1);
    const ca = new Map<string, number>();
    for (const w of a) ca.set(w, (ca.get(w) ?? 0) + 1);
    let hit = 0;
    for (const [w, n] of ca) hit += Math.min(n, cb.get(w) ?? 0);
    return hit ? (2 * (hit / a.length) * (hit / b.length)) / (hit / a.length + hit / b.length) : 0;
  };
  // The word model inside the expected F1 is cross-fitted too.
  const dc = devCases(set, 'gold');
  const word = { a: fitHeadlineModel(dc.filter((c) => c.dev.half === 'b'), 6, 0.4), b: fitHeadlineModel(dc.filter((c) => c.dev.half === 'a'), 6, 0.4) };
  const titles = (c: Case) => {
    const idx = [...new Set(c.cards)];
    const sources = [...new Set(c.articles.map((a) => a.source))];
    const leads = c.text.sentences.map((l) => l.slice(0, 2).map((s) => s.text).join(' '));
    const input = idx.map((i) => ({ title: trimOutlet(c.articles[i].title, c.articles[i].source, sources), lead: leads[i], body: c.text.foldedBodies[i] }));
    const model: HeadlineModel = word[c.dev.half];
    const [e, sup] = [expectedF1(input, model), titleSupport(input)];
    const tw = input.map((t) => headlineWords(t.title));
    const lw = input.map((t) => content(headlineWords(t.lead)));
    const bw = input.map((t) => content(headlineWords(t.body)));
    const ref = tok(c.dev.ref.headline);
    return input.map((t, k) => {
      const others = idx.map((_, j) => j).filter((j) => j !== k);
      const ct = content(tw[k]);
      const mean = (g: (j: number) => number) => (others.length ? others.reduce((s, j) => s + g(j), 0) / others.length : 0);
      const share = (s: Set<string>) => (ct.size ? [...ct].filter((w) => s.has(w)).length / ct.size : 0);
      const caps = (t.title.match(/\b\p{Lu}[\p{L}'’-]+/gu) ?? []).slice(1).map((w) => foldPlural(headlineWords(w)[0] ?? ''));
      const names = caps.length ? caps.filter((w) => others.some((j) => bw[j].has(w))).length / caps.length : 0;
      const x = [e[k], sup[k], mean((j) => f1(tw[k], tw[j])), mean((j) => share(lw[j])), share(lw[k]), tw[k].length, Math.abs(tw[k].length - 9), names, others.length ? 0 : 1, ...titleMarks(t.title)];
      return { title: t.title, x, y: f1(tok(t.title), ref), derived: !!c.articles[idx[k]].titleDerived };
    });
  };
  const goldCases = grouping === 'gold' ? cs : cases(set, 'gold');
  const train = new Map(goldCases.map((c) => [c.dev.gold, titles(c)]));
  const test = grouping === 'gold' ? train : new Map(cs.map((c) => [c.dev.gold, titles(c)]));
  const argmax = (v: number[]) => v.reduce((b, x, i) => (x > v[b] + 1e-12 ? i : b), 0);
  const score = (part: Case[], pick: (ts: ReturnType<typeof titles>) => number) => (100 * part.reduce((s, c) => { const ts = test.get(c.dev.gold)!; return s + ts[pick(ts)].y; }, 0)) / part.length;
  const h = byHalf(cs);
  console.log(`headline, shipped rule (cross-fitted word model): half a ${score(h.a, (ts) => argmax(ts.map((t) => t.x[0] + 0.4 * t.x[1] - (t.derived ? 10 : 0)))).toFixed(2)} | half b ${score(h.b, (ts) => argmax(ts.map((t) => t.x[0] + 0.4 * t.x[1] - (t.derived ? 10 : 0)))).toFixed(2)}`);
  const sets: Record<string, number[]> = { 'expected F1 + support': [0, 1], '+ consensus with titles and leads': [0, 1, 2, 3, 4], all: [...Array(16).keys()] };
  for (const [name, cols] of Object.entries(sets)) {
    const fit = (part: Case[]) => {
      const rows: number[][] = [];
      const labels: number[] = [];
      for (const c of part) {
        const ts = train.get(c.dev.gold)!;
        for (const i of ts.keys()) for (const j of ts.keys()) {
          if (i === j || Math.abs(ts[i].y - ts[j].y) < 1e-9) continue;
          // Pairs weighted by how much the better title wins (copies, as the fit takes no weights).
          for (let k = Math.max(1, Math.round(Math.abs(ts[i].y - ts[j].y) * 5)); k > 0; k--) {
            rows.push(cols.map((q) => ts[i].x[q] - ts[j].x[q]));
            labels.push(ts[i].y > ts[j].y ? 1 : 0);
          }
        }
      }
      return fitLogistic(rows, labels, 1);
    };
    const ga = byHalf(goldCases);
    const [onA, onB] = [fit(ga.a), fit(ga.b)];
    const pickWith = (m: Fitted) => (ts: ReturnType<typeof titles>) => argmax(ts.map((t) => cols.reduce((s, q, i) => s + m.weights[i] * t.x[q], 0) - (t.derived ? 100 : 0)));
    console.log(`headline ranker, ${name}: half a ${score(h.a, pickWith(onB)).toFixed(2)} | half b ${score(h.b, pickWith(onA)).toFixed(2)}`);
  }
}

function main(): number {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { grouping: { type: 'string', default: 'gold' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('scripts/train/levers.ts');
    return 0;
  }
  const set = loadAllSides(corpus);
  const grouping = values.grouping as Grouping;
  const cs = cases(set, grouping);
  const all = ['features', 'gold-fit', 'novelty', 'stop', 'same', 'centrality', 'position', 'scorer', 'budget', 'headline'];
  const chosen = positionals.length ? positionals : all;
  console.log(`${grouping} grouping`);
  report('shipped selection', cs, (c) => greedy(c, c.weights));
  for (const lever of chosen) {
    if (lever === 'features') features(cs);
    else if (lever.startsWith('features:')) features(cs, lever.slice('features:'.length));
    else if (lever === 'gold-fit') {
      const fmt = (s: { r1: number; r2: number; words: number }) => `${s.r1.toFixed(2)} / ${s.r2.toFixed(2)} (${s.words.toFixed(0)} words)`;
      const ev = devCases(set, grouping);
      const [ea, eb] = [ev.filter((c) => c.dev.half === 'a'), ev.filter((c) => c.dev.half === 'b')];
      for (const fitOn of ['ours', 'gold'] as const) {
        const tr = devCases(set, fitOn);
        const [a, b] = [tr.filter((c) => c.dev.half === 'a'), tr.filter((c) => c.dev.half === 'b')];
        console.log(`models fitted on the ${fitOn} grouping (in-process ROUGE): half a ${fmt(scoreSummaries(ea, fitSentenceModel(b, 2)))} | half b ${fmt(scoreSummaries(eb, fitSentenceModel(a, 2)))}`);
      }
    } else if (lever === 'novelty') for (const novel of [0.3, 0.4, 0.5]) report(`novelty ≥ ${novel}`, cs, (c) => greedy(c, c.weights, { novel }));
    else if (lever === 'stop') for (const stop of [0.15, 0.2]) report(`stop under ${stop} a word`, cs, (c) => greedy(c, c.weights, { stop }));
    else if (lever === 'same') for (const same of [0.8, 0.7, 0.6]) report(`same thing by weighted value ≥ ${same}`, cs, (c) => greedy(c, c.weights, { same }));
    else if (lever === 'centrality') for (const lambda of [0.1, 0.2, 0.4]) report(`centrality prior x${lambda}`, cs, (c) => greedy(c, c.weights, { prior: centrality(c), lambda }));
    else if (lever === 'position') for (const lambda of [0.1, 0.2, 0.4]) report(`position prior x${lambda}`, cs, (c) => greedy(c, c.weights, { prior: new Map(c.pool.map((x) => [x, 1 / (1 + x.s.index)])), lambda }));
    else if (lever === 'scorer') scorer(cs);
    else if (lever === 'budget') for (const budget of [60, 80, 100, 140, 170]) report(`budget ${budget} words`, cs, (c) => greedy(c, c.weights, { budget }));
    else if (lever === 'headline') headline(set, cs, grouping);
    else throw new Error(`unknown lever ${lever} (${all.join(', ')})`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
