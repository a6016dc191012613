/**
 * Headline screen of the fourth round of #18 (docs/eval-digest.md): can a
 * learned ranker over each story's 2-3 candidate titles beat the shipped pick
 * (expected F1 of the word model + 0.4 x support + 0.2 x share of the title's
 * words in our summary)? And where is the headline lost on our grouping?
 *
 *   node --import tsx scripts/train/headline-rank.ts            # title rankers, and where the headline is lost
 *   node --import tsx scripts/train/headline-rank.ts --words    # the word model with more features, or as trees
 *
 * Everything is cross-fitted on the halves (fnv1a(story id) % 2): for each half,
 * the summary model, the headline word model and the ranker are fitted on the
 * other half of our grouping (what the build digests), and the half is scored
 * on our grouping and on the gold grouping.
 *
 * Ranker: pairwise logistic regression on feature differences between two
 * titles of one story (the better one by ROUGE-1 against the editors' headline,
 * by at least `MIN_GAP`, labelled 1, mirrored), features standardised, L2;
 * a pairwise model needs no bias, and the mirrored rows make the fitted bias 0.
 * The pick is the title with the largest weighted sum. No seed: Newton's method
 * is deterministic.
 */
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { loadAllSides, type DevSet, type Grouping } from './allsides.ts';
import { devCases, fitHeadlineModel, fitSummaryModel, type DevCase } from './digest.ts';
import { fitLogistic } from './logistic.ts';
import { fitGbdt, fittedLogit, type Fitted as Trees } from './gbdt.ts';
import { rougeF, rougeTokens } from './rouge.ts';
import { defaultSummaryOptions, expectedF1, headlineFeatures, headlineWords, pickSummary, titleMarks, titleSupport, trimOutlet } from '../../src/lib/ingest/index.ts';
import { foldPlural } from '../../src/lib/text.ts';
import { eng as englishStopwords } from 'stopword';

const STOP = new Set(englishStopwords);
/** Two titles whose ROUGE-1 against the editors' differs by less than this make no training pair. */
const MIN_GAP = 0.05;

export const RANK_FEATURES = [
  'expected F1', 'support', 'in summary', // the shipped pick's three terms
  'words', 'over 12 words', 'under 8 words', // length (ROUGE F1 rewards a length near the editors' 9.7)
  'ROUGE-1 with other titles', 'max ROUGE-1 with another title', // consensus of wording
  'in other leads', 'in own lead', 'centroid', // consensus of content
  'question', 'quotes', 'colon', 'label prefix', 'opinion word', 'outlet named', // forms editors avoid
  'names shared', 'body similarity', // names in other bodies; a card of another story reads unlike the rest
] as const;

interface Candidate {
  x: number[];
  y: number;
  derived: boolean;
  inGold: boolean;
}

interface StoryRow {
  half: 'a' | 'b';
  key: string;
  cands: Candidate[];
}

const contentOf = (words: string[]) => words.filter((w) => w.length > 2 && !STOP.has(w)).map(foldPlural);
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);

/** Feature rows of every candidate title of every story, with the summaries and word model cross-fitted. */
function storyRows(set: DevSet, grouping: Grouping, models: { summary: Record<'a' | 'b', ReturnType<typeof fitSummaryModel>>; headline: Record<'a' | 'b', ReturnType<typeof fitHeadlineModel>> }): StoryRow[] {
  return devCases(set, grouping).map((c: DevCase) => {
    const other = c.dev.half === 'a' ? 'b' : 'a';
    const summary = pickSummary(c.text, c.cards, defaultSummaryOptions, models.summary[other]).map((s) => s.text).join(' ');
    const said = new Set(headlineWords(summary).map(foldPlural));
    const idx = [...new Set(c.cards)];
    const sources = [...new Set(c.articles.map((a) => a.source))];
    const leads = c.text.sentences.map((l) => l.slice(0, 2).map((s) => s.text).join(' '));
    const input = idx.map((i) => ({ title: trimOutlet(c.articles[i].title, c.articles[i].source, sources), lead: leads[i], body: c.text.foldedBodies[i] }));
    const f1 = expectedF1(input, models.headline[other]);
    const support = titleSupport(input);
    const titles = input.map((t) => headlineWords(t.title));
    const leadSets = input.map((t) => new Set(contentOf(headlineWords(t.lead))));
    const bodySets = input.map((t) => new Set(contentOf(headlineWords(t.body))));
    const df = new Map<string, number>();
    for (const b of bodySets) for (const w of b) df.set(w, (df.get(w) ?? 0) + 1);
    const outletWords = new Set(sources.flatMap((s) => contentOf(headlineWords(s.replace(/\([^)]*\)/g, ' ')))));
    const ref = rougeTokens(c.dev.ref.headline);
    const files = new Set(c.dev.files);
    const n = idx.length;
    const cands = idx.map((i, k) => {
      const t = titles[k];
      const words = contentOf(t);
      const others = idx.map((_, j) => j).filter((j) => j !== k);
      const share = (sets: Array<Set<string>>) => (words.length && others.length ? mean(others.map((j) => words.filter((w) => sets[j].has(w)).length / words.length)) : 0);
      const r1 = others.map((j) => rougeF(rougeTokens(input[k].title), rougeTokens(input[j].title), 1));
      const long = t.filter((w) => w.length > 2);
      const caps = (input[k].title.match(/(?<=\s)\p{Lu}[\p{L}]+/gu) ?? []).map((w) => foldPlural(w.toLowerCase()));
      const marks = titleMarks(input[k].title);
      const x = [
        f1[k],
        support[k],
        long.length ? long.filter((w) => said.has(foldPlural(w))).length / long.length : 0,
        t.length,
        Math.max(0, t.length - 12),
        Math.max(0, 8 - t.length),
        mean(r1),
        r1.length ? Math.max(...r1) : 0,
        share(leadSets),
        words.length ? words.filter((w) => leadSets[k].has(w)).length / words.length : 0,
        words.length ? mean(words.map((w) => (df.get(w) ?? 0) / n)) : 0,
        marks[0],
        marks[2],
        marks[3],
        /^\s*[\p{L} ]{2,20}\s*[:|]\s/u.test(c.articles[i].title) ? 1 : 0,
        /\b(?:opinion|analysis|editorial|column|commentary|watch|live|exclusive|breaking|video)\b/i.test(c.articles[i].title) ? 1 : 0,
        words.some((w) => outletWords.has(w)) ? 1 : 0,
        caps.length && others.length ? mean(caps.map((w) => (others.some((j) => bodySets[j].has(w)) ? 1 : 0))) : 0,
        others.length ? mean(others.map((j) => [...bodySets[k]].filter((w) => bodySets[j].has(w)).length / Math.sqrt(bodySets[k].size * bodySets[j].size || 1))) : 0,
      ];
      return { x, y: rougeF(rougeTokens(input[k].title), ref, 1), derived: !!c.articles[i].titleDerived, inGold: files.has(c.articles[i].raw) };
    });
    return { half: c.dev.half, key: idx.map((i) => c.articles[i].raw).sort().join(','), cands };
  });
}

/** Pairwise logistic ranker over the features `sel`; weights on raw features. */
function fitRanker(rows: StoryRow[], sel: number[], l2: number): number[] {
  const diffs: number[][] = [];
  for (const r of rows) {
    for (const a of r.cands) for (const b of r.cands) {
      if (a.derived || b.derived || a.y < b.y + MIN_GAP) continue;
      diffs.push(sel.map((f) => a.x[f] - b.x[f]));
    }
  }
  const sd = sel.map((_, j) => Math.sqrt(mean(diffs.map((d) => d[j] ** 2))) || 1);
  const z = diffs.map((d) => d.map((v, j) => v / sd[j]));
  const m = fitLogistic([...z, ...z.map((d) => d.map((v) => -v))], [...z.map(() => 1), ...z.map(() => 0)], l2);
  return m.weights.map((w, j) => w / sd[j]);
}

/**
 * Listwise boosted stumps (gbdt.ts's grouped softmax): each story is a group whose answer is its best
 * title (when it beats the others by MIN_GAP), so a title's score only has to beat its story's others.
 */
function fitTrees(rows: StoryRow[], depth: number): Trees {
  const x: Float64Array[] = [];
  const labels: number[] = [];
  const groups: number[] = [];
  rows.forEach((r, g) => {
    const ys = r.cands.map((c) => c.y);
    const top = Math.max(...ys);
    const clear = ys.filter((y) => y > top - MIN_GAP).length === 1;
    r.cands.forEach((c) => {
      x.push(Float64Array.from(c.x));
      labels.push(clear && c.y === top ? 1 : 0);
      groups.push(g);
    });
  });
  return fitGbdt(x, Uint8Array.from(labels), new Float64Array(x.length).fill(1), { groups: Int32Array.from(groups), trees: 60, depth, learningRate: 0.1, subsample: 0.7, seed: 17 });
}


/** Mean ROUGE-1 (x100) of the titles picked by weights `w` over features `sel`. */
function score(rows: StoryRow[], sel: number[], w: number[], by?: (x: number[]) => number): number {
  let sum = 0;
  for (const r of rows) {
    let best = 0;
    let bestScore = -Infinity;
    r.cands.forEach((c, k) => {
      const s = (by ? by(c.x) : sel.reduce((acc, f, j) => acc + w[j] * c.x[f], 0)) - (c.derived ? 10 : 0);
      if (s > bestScore + 1e-12) [best, bestScore] = [k, s];
    });
    sum += r.cands[best].y;
  }
  return (100 * sum) / (rows.length || 1);
}

/**
 * `--words`: the headline's word model itself, refitted with three more word features (the word is
 * in our summary, its position in the title, the title's length) and as boosted trees instead of the
 * logistic model, inside the shipped pick (expected F1 + support + summary share).
 */
function words(set: DevSet): void {
  const ours = devCases(set, 'ours');
  const part = <X extends { dev: { half: string } }>(cs: X[], h: string) => cs.filter((c) => c.dev.half === h);
  const sm = { a: fitSummaryModel(part(ours, 'a')), b: fitSummaryModel(part(ours, 'b')) };
  interface WordTitle {
    rows: number[][];
    labels: number[];
    len: number;
    y: number;
    sup: number;
    inSum: number;
    derived: boolean;
  }
  const prep = (g: Grouping) => devCases(set, g).map((c) => {
    const other = c.dev.half === 'a' ? 'b' : 'a';
    const summary = pickSummary(c.text, c.cards, defaultSummaryOptions, sm[other as 'a' | 'b']).map((s) => s.text).join(' ');
    const said = new Set(headlineWords(summary).map(foldPlural));
    const idx = [...new Set(c.cards)];
    const sources = [...new Set(c.articles.map((a) => a.source))];
    const leads = c.text.sentences.map((l) => l.slice(0, 2).map((s) => s.text).join(' '));
    const input = idx.map((i) => ({ title: trimOutlet(c.articles[i].title, c.articles[i].source, sources), lead: leads[i], body: c.text.foldedBodies[i] }));
    const feats = headlineFeatures(input);
    const sup = titleSupport(input);
    const ref = new Set(headlineWords(c.dev.ref.headline));
    const refT = rougeTokens(c.dev.ref.headline);
    const titles: WordTitle[] = feats.map((f, k) => {
      const all = headlineWords(input[k].title);
      const long = all.filter((w) => w.length > 2);
      return {
        rows: f.rows.map((x, j) => [...x, said.has(foldPlural(f.words[j])) ? 1 : 0, all.indexOf(f.words[j]) / Math.max(1, all.length), all.length / 10]),
        labels: f.words.map((w) => (ref.has(w) ? 1 : 0)),
        len: f.length,
        y: rougeF(rougeTokens(input[k].title), refT, 1),
        sup: sup[k],
        inSum: long.length ? long.filter((w) => said.has(foldPlural(w))).length / long.length : 0,
        derived: !!c.articles[idx[k]].titleDerived,
      };
    });
    return { dev: c.dev, titles };
  });
  const data = { ours: prep('ours'), gold: prep('gold') };
  type S = ReturnType<typeof prep>[number];
  const run = (label: string, width: number, kind: 'log' | 'trees', ref = 6, sw = 0.4, mu = 0.2, tOpt: Record<string, number> = {}) => {
    const fit = (train: S[]) => {
      const rows = train.flatMap((s) => s.titles.flatMap((t) => t.rows.map((r) => r.slice(0, width))));
      const labels = train.flatMap((s) => s.titles.flatMap((t) => t.labels));
      if (kind === 'log') {
        const m = fitLogistic(rows, labels, 1);
        return (x: number[]) => 1 / (1 + Math.exp(-(m.bias + m.weights.reduce((a, w, i) => a + w * x[i], 0))));
      }
      // gbdt.ts's default seed (17): the same rows give the same trees.
      const m = fitGbdt(rows.map((r) => Float64Array.from(r)), Uint8Array.from(labels), new Float64Array(rows.length).fill(1), { trees: 60, depth: 3, learningRate: 0.1, ...tOpt });
      return (x: number[]) => 1 / (1 + Math.exp(-fittedLogit(m, x)));
    };
    const score = (test: S[], p: (x: number[]) => number) => {
      let sum = 0;
      for (const s of test) {
        let best = 0;
        let bs = -Infinity;
        s.titles.forEach((t, k) => {
          const hits = t.rows.reduce((a, r) => a + p(r.slice(0, width)), 0);
          const sc = (t.len ? (2 * hits) / (t.len + ref) : 0) + sw * t.sup + mu * t.inSum - (t.derived ? 10 : 0);
          if (sc > bs + 1e-12) [best, bs] = [k, sc];
        });
        sum += s.titles[best].y;
      }
      return (100 * sum) / test.length;
    };
    const [pa, pb] = [fit(part(data.ours, 'a')), fit(part(data.ours, 'b'))];
    const r = [score(part(data.ours, 'a'), pb), score(part(data.ours, 'b'), pa), score(part(data.gold, 'a'), pb), score(part(data.gold, 'b'), pa)];
    console.log(`${label.padEnd(44)} ours a ${r[0].toFixed(2)} b ${r[1].toFixed(2)} | gold a ${r[2].toFixed(2)} b ${r[3].toFixed(2)}`);
  };
  run('word model: logistic, shipped 14 features', 14, 'log');
  run('logistic, + in summary, position, length', 17, 'log');
  run('trees (60 of depth 3), 14 features', 14, 'trees');
  run('trees, 17 features', 17, 'trees');
  run('trees, 17 features, 40 of depth 2', 17, 'trees', 6, 0.4, 0.2, { depth: 2, trees: 40, learningRate: 0.15 });
  run('trees, 17, editor length taken as 8', 17, 'trees', 8);
  run('trees, 17, no support term', 17, 'trees', 6, 0, 0.2);
  run('trees, 17, no support or summary term', 17, 'trees', 6, 0, 0);
}

function main(): number {
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('scripts/train/headline-rank.ts');
    return 0;
  }
  const set = loadAllSides(corpus);
  if (process.argv.includes('--words')) {
    words(set);
    return 0;
  }
  const ours = devCases(set, 'ours');
  const part = (h: 'a' | 'b') => ours.filter((c) => c.dev.half === h);
  const models = {
    summary: { a: fitSummaryModel(part('a')), b: fitSummaryModel(part('b')) },
    headline: { a: fitHeadlineModel(part('a'), 6, 0.4), b: fitHeadlineModel(part('b'), 6, 0.4) },
  };
  const data = { ours: storyRows(set, 'ours', models), gold: storyRows(set, 'gold', models) };
  const half = (rows: StoryRow[], h: 'a' | 'b') => rows.filter((r) => r.half === h);
  const cells = (fit: (train: StoryRow[]) => { sel: number[]; w: number[]; by?: (x: number[]) => number }) => {
    const [onA, onB] = [fit(half(data.ours, 'a')), fit(half(data.ours, 'b'))];
    return [score(half(data.ours, 'a'), onB.sel, onB.w, onB.by), score(half(data.ours, 'b'), onA.sel, onA.w, onA.by), score(half(data.gold, 'a'), onB.sel, onB.w, onB.by), score(half(data.gold, 'b'), onA.sel, onA.w, onA.by)];
  };
  const print = (label: string, v: number[]) => console.log(`${label.padEnd(58)} ours a ${v[0].toFixed(2)} b ${v[1].toFixed(2)} | gold a ${v[2].toFixed(2)} b ${v[3].toFixed(2)}`);
  const F = (names: readonly string[]) => names.map((n) => RANK_FEATURES.indexOf(n as (typeof RANK_FEATURES)[number]));
  const shipped = F(['expected F1', 'support', 'in summary']);
  print('shipped pick (1, 0.4, 0.2)', cells(() => ({ sel: shipped, w: [1, 0.4, 0.2] })));
  const oracle = (rows: StoryRow[]) => (100 * mean(rows.map((r) => Math.max(...r.cands.map((c) => c.y))))) ;
  print('oracle among our story\'s titles', [oracle(half(data.ours, 'a')), oracle(half(data.ours, 'b')), oracle(half(data.gold, 'a')), oracle(half(data.gold, 'b'))]);
  const sets: Array<[string, readonly string[]]> = [
    ['ranker: the shipped three', ['expected F1', 'support', 'in summary']],
    ['ranker: + length', ['expected F1', 'support', 'in summary', 'words', 'over 12 words', 'under 8 words']],
    ['ranker: + wording consensus', ['expected F1', 'support', 'in summary', 'ROUGE-1 with other titles', 'max ROUGE-1 with another title']],
    ['ranker: + content consensus', ['expected F1', 'support', 'in summary', 'in other leads', 'in own lead', 'centroid']],
    ['ranker: + forms', ['expected F1', 'support', 'in summary', 'question', 'quotes', 'colon', 'label prefix', 'opinion word', 'outlet named']],
    ['ranker: + names, body similarity', ['expected F1', 'support', 'in summary', 'names shared', 'body similarity']],
    ['ranker: every feature', RANK_FEATURES],
  ];
  for (const [label, names] of sets) {
    for (const l2 of [1, 30]) print(`${label} (L2 ${l2})`, cells((train) => ({ sel: F(names), w: fitRanker(train, F(names), l2) })));
  }
  for (const depth of [1, 2]) {
    print(`listwise boosted trees, every feature (60 of depth ${depth})`, cells((train) => {
      const m = fitTrees(train, depth);
      return { sel: [], w: [], by: (x) => fittedLogit(m, x) };
    }));
  }
  // Where the headline is lost on our grouping: a story of ours that holds files of
  // several gold stories is scored against each of their headlines.
  const count = new Map<string, number>();
  for (const r of data.ours) count.set(r.key, (count.get(r.key) ?? 0) + 1);
  let shared = 0;
  let outside = 0;
  let outsideShared = 0;
  for (const r of data.ours) {
    let best = 0;
    let bestScore = -Infinity;
    r.cands.forEach((c, k) => {
      const s = c.x[0] + 0.4 * c.x[1] + 0.2 * c.x[2] - (c.derived ? 10 : 0);
      if (s > bestScore + 1e-12) [best, bestScore] = [k, s];
    });
    const many = count.get(r.key)! > 1;
    if (many) shared++;
    if (!r.cands[best].inGold) {
      outside++;
      if (many) outsideShared++;
    }
  }
  // In such a shared story one title is scored against every gold story it serves: the best any
  // rule can do there is the title with the largest sum; the "main cluster" rule takes the shipped
  // pick among the titles of the gold story with most files in it (gold labels: an upper bound for
  // any rule that finds the main cluster from the text).
  const byKey = new Map<string, StoryRow[]>();
  for (const r of data.ours) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const shippedOf = (r: StoryRow, only?: (c: Candidate) => boolean) => {
    let best = -1;
    let bestScore = -Infinity;
    r.cands.forEach((c, k) => {
      if (only && !only(c)) return;
      const s = c.x[0] + 0.4 * c.x[1] + 0.2 * c.x[2] - (c.derived ? 10 : 0);
      if (s > bestScore + 1e-12) [best, bestScore] = [k, s];
    });
    return best;
  };
  const totals = { shipped: 0, main: 0, best: 0 };
  for (const rows of byKey.values()) {
    if (rows.length < 2) continue;
    const sum = (k: number) => rows.reduce((s, r) => s + r.cands[k].y, 0);
    const main = rows.reduce((m, r) => (r.cands.filter((c) => c.inGold).length > m.cands.filter((c) => c.inGold).length ? r : m));
    totals.shipped += sum(shippedOf(rows[0]));
    totals.main += sum(shippedOf(main, (c) => c.inGold));
    totals.best += Math.max(...rows[0].cands.map((_, k) => sum(k)));
  }
  const n = data.ours.length;
  console.log(`shared stories, change of the all-stories mean (x100): main-cluster rule ${((100 * (totals.main - totals.shipped)) / n).toFixed(2)}, best possible title ${((100 * (totals.best - totals.shipped)) / n).toFixed(2)}`);
  console.log(`our grouping: ${shared} of ${data.ours.length} gold stories are scored on a story of ours that also serves another gold story; the shipped pick is a title from outside the gold story ${outside} times, ${outsideShared} of them in such shared stories`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
