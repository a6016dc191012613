/**
 * Fits the cleaner's block model (src/lib/ingest/clean/block-model.json) and
 * validates it by site-grouped k-fold cross-validation.
 *
 *   npm run train:cleaner            fit on every labelled page, write the JSON
 *   npm run train:cleaner -- --cv    also print the per-fold table (before/after)
 *
 * Reproducible: the pages are read in sorted order, folds are assigned by a hash
 * of the site name, and the trees' row sampling uses a fixed seed, so the same
 * corpus gives byte-identical JSON; the JSON records the training data's hash.
 *
 * Training data (scripts/train/dataset.ts): the zyte and readability page dumps
 * aligned with their gold bodies, and seed-like pages of the generator's `train`
 * split. Words typical of boilerplate (the lexicon) are learned from the same
 * pages; the rows a model is fitted on get their lexicon features from a lexicon
 * learned without their own sites (inner folds), so the trees do not learn to
 * trust a lexicon that has seen the very lines they are judged on.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { blockFeatures, FEATURE_NAMES, lexiconTokens, stackFeatures, compileTrees, firstStage, loadBlockModel, type BlockDecode, type BlockModelJson } from '../../src/lib/ingest/index.ts';
import { shortHash } from '../../src/lib/text.ts';
import { corpusDir, announceSkip, repoRoot } from '../lib/corpus.ts';
import { dataHash, generatedPages, readabilityPages, zytePages, type LabelledPage } from './dataset.ts';
import { fitGbdt, defaultGbdtOptions, type GbdtOptions } from './gbdt.ts';
import { seedlikePages } from '../eval/seedlike.ts';

export const MODEL_PATH = path.join(repoRoot, 'src/lib/ingest/clean/block-model.json');
export const SEED = 17;
/** Folds of the cross-validation; sites, not pages, are dealt to folds. */
export const FOLDS = 5;
/** Generated `train`-split pages added to every training set. */
export const GENERATED_PAGES = 300;

export interface TrainOptions {
  gbdt: Partial<GbdtOptions>;
  decode: BlockDecode;
  /** Words seen on fewer sites than this are left out of the lexicon (a word of one site is that site's, not boilerplate's). */
  lexiconMinSites: number;
  lexiconSize: number;
  /** Weight of a generated page relative to a real one. */
  generatedWeight: number;
  /** Fit the second stage (block-features.ts stackFeatures) on out-of-fold first-stage probabilities. */
  stack: boolean;
  stackGbdt: Partial<GbdtOptions>;
  /** Share of a page's weight spread by words (the rest by blocks). */
  wordWeight: number;
  /** Weight of an article block relative to a boilerplate one. */
  positiveWeight: number;
}

export const defaultTrainOptions: TrainOptions = {
  gbdt: {},
  decode: { threshold: 0.5, minLength: 40 },
  lexiconMinSites: 3,
  lexiconSize: 3000,
  generatedWeight: 0.5,
  stack: true,
  stackGbdt: { trees: 60 },
  wordWeight: 0.5,
  positiveWeight: 1,
};

/** The fold of a site: sites sorted by a hash of their name, dealt round-robin. */
export function foldsOf(pages: ReadonlyArray<{ site: string }>, k = FOLDS): Map<string, number> {
  const sites = [...new Set(pages.map((p) => p.site))].sort((a, b) => (shortHash(a, 12) < shortHash(b, 12) ? -1 : 1));
  return new Map(sites.map((s, i) => [s, i % k]));
}

/**
 * Boilerplate weight of each word: log-odds of it appearing in a boilerplate
 * line rather than an article line, counted at most three times per site so no
 * one site's menu dominates, smoothed, and centred on the overall odds.
 */
export function learnLexicon(pages: LabelledPage[], o: TrainOptions): Record<string, number> {
  const per = new Map<string, { bad: number; good: number; sites: Set<string> }>();
  const cap = new Map<string, number>();
  let totalBad = 0;
  let totalGood = 0;
  for (const p of pages) {
    p.blocks.forEach((b, i) => {
      const label = p.labels[i];
      for (const w of new Set(lexiconTokens(b.text))) {
        const key = `${p.site}\0${label}\0${w}`;
        const seen = cap.get(key) ?? 0;
        if (seen >= 3) continue;
        cap.set(key, seen + 1);
        let e = per.get(w);
        if (!e) per.set(w, (e = { bad: 0, good: 0, sites: new Set() }));
        e.sites.add(p.site);
        if (label) {
          e.good++;
          totalGood++;
        } else {
          e.bad++;
          totalBad++;
        }
      }
    });
  }
  const prior = Math.log((totalBad + 1) / (totalGood + 1));
  const words = [...per]
    .filter(([, e]) => e.sites.size >= o.lexiconMinSites)
    .sort((a, b) => b[1].bad + b[1].good - (a[1].bad + a[1].good) || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.lexiconSize)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const out: Record<string, number> = {};
  for (const [w, e] of words) out[w] = Math.round((Math.log((e.bad + 1) / (e.good + 1)) - prior) * 1000) / 1000;
  return out;
}

/** Row weights: each page weighs 1 (generated ones `generatedWeight`), spread `wordWeight` by words and the rest by line count; article rows times `positiveWeight`. */
function pageWeights(p: LabelledPage, o: TrainOptions): Float64Array {
  const words = p.blocks.reduce((s, b) => s + b.words, 0) || 1;
  const scale = p.set === 'seedlike' ? o.generatedWeight : 1;
  const ww = o.wordWeight;
  return Float64Array.from(p.blocks, (b, i) => scale * (p.labels[i] ? o.positiveWeight : 1) * ((1 - ww) / p.blocks.length + (ww * b.words) / words));
}

/** Fits a model to `pages` (features with inner-fold lexicons, as explained above). */
export function trainModel(pages: LabelledPage[], options: Partial<TrainOptions> = {}): BlockModelJson {
  const o = { ...defaultTrainOptions, ...options };
  const inner = foldsOf(pages, 4);
  const lexicons = [0, 1, 2, 3].map((f) => new Map(Object.entries(learnLexicon(pages.filter((p) => inner.get(p.site) !== f), o))));
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const weights: number[] = [];
  const pageOf: number[] = [];
  pages.forEach((p, k) => {
    for (const r of blockFeatures(p.blocks, p.measures, lexicons[inner.get(p.site)!])) {
      rows.push(r);
      pageOf.push(k);
    }
    labels.push(...p.labels);
    weights.push(...pageWeights(p, o));
  });
  const y = Uint8Array.from(labels);
  const w = Float64Array.from(weights);
  const gbdt = { ...defaultGbdtOptions, seed: SEED, ...o.gbdt };
  const fitted = fitGbdt(rows, y, w, gbdt);
  let stack: BlockModelJson['stack'];
  if (o.stack) {
    // Out-of-fold first-stage probabilities: each inner fold's pages judged by a first stage fitted without them.
    const p1 = new Float64Array(rows.length);
    for (let f = 0; f < 4; f++) {
      const inFold = (i: number) => inner.get(pages[pageOf[i]].site) === f;
      const idx = rows.map((_, i) => i).filter((i) => !inFold(i));
      const m = fitGbdt(idx.map((i) => rows[i]), Uint8Array.from(idx, (i) => y[i]), Float64Array.from(idx, (i) => w[i]), gbdt);
      const held = rows.map((_, i) => i).filter(inFold);
      const q = firstStage(compileTrees(m), held.map((i) => rows[i]));
      held.forEach((i, k) => (p1[i] = q[k]));
    }
    const stacked: Float64Array[] = [];
    let start = 0;
    pages.forEach((p) => {
      const end = start + p.blocks.length;
      stacked.push(...stackFeatures(rows.slice(start, end), p1.subarray(start, end)));
      start = end;
    });
    stack = fitGbdt(stacked, y, w, { ...gbdt, ...o.stackGbdt });
  }
  const sets: Record<string, number> = {};
  for (const p of pages) sets[p.set] = (sets[p.set] ?? 0) + 1;
  return {
    version: 1,
    trainedOn: { script: 'scripts/train/cleaner.ts', seed: gbdt.seed, dataHash: dataHash(pages), pages: pages.length, blocks: rows.length, sets },
    features: FEATURE_NAMES,
    depth: fitted.depth,
    base: fitted.base,
    trees: fitted.trees,
    ...(stack ? { stack } : {}),
    lexicon: learnLexicon(pages, o),
    decode: o.decode,
  };
}

/** Every labelled page: real pages from the corpus and generated `train`-split pages. */
export function allPages(corpus: string): LabelledPage[] {
  return [...zytePages(corpus), ...readabilityPages(corpus), ...generatedPages(seedlikePages(corpus, 'train', GENERATED_PAGES))];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { cv: { type: 'boolean' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('npm run train:cleaner');
    return 1;
  }
  const started = performance.now();
  const pages = allPages(corpus);
  const json = trainModel(pages);
  loadBlockModel(json);
  writeFileSync(MODEL_PATH, `${JSON.stringify(json)}\n`);
  console.log(`wrote ${path.relative(repoRoot, MODEL_PATH)}: ${json.trees.length} trees, ${Object.keys(json.lexicon).length} lexicon words, ${json.trainedOn.blocks} blocks of ${json.trainedOn.pages} pages (data ${json.trainedOn.dataHash}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (values.cv) {
    const { crossValidation, printFolds } = await import('../eval/folds.ts');
    printFolds(await crossValidation(corpus, pages));
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().then((code) => process.exit(code));
}
