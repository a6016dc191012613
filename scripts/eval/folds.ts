/**
 * Site-grouped k-fold cross-validation of the block model (issue #17): for each
 * fold, a model is fitted to the pages of the other folds' sites (plus the
 * generated `train`-split pages) and the whole pipeline runs on the fold's zyte
 * page dumps with it; "before" runs the same pages through the jusText-style
 * classifier the model replaced. No site ever has pages on both sides.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ingest } from '../../src/lib/ingest/pipeline.ts';
import { blockProbabilities, loadBlockModel, type BlockModel } from '../../src/lib/ingest/clean/block-model.ts';
import { blockFeatures } from '../../src/lib/ingest/clean/block-features.ts';
import type { LabelledPage } from '../train/dataset.ts';
import { FOLDS, foldsOf, trainModel, type TrainOptions } from '../train/cleaner.ts';
import { aggregate, bodyText, shingleMatch, type Scores } from './boilerplate.ts';
import { setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), loaded when first needed.
setLibraries(nodeLibraries);

export interface FoldFigures {
  fold: number;
  sites: number;
  pages: number;
  before: Scores;
  after: Scores;
}

/** Shingle scores of the pipeline on `pages` (zyte page dumps) with `model` (null: the jusText classifier); each page's match and the body kept, by raw path. */
export function scorePages(
  corpus: string,
  pages: LabelledPage[],
  model: BlockModel | null,
): { scores: Scores; perPage: Map<string, number>; matches: ReturnType<typeof shingleMatch>[]; bodies: Map<string, string> } {
  const result = ingest(pages.map((p) => p.file), { clean: { model } });
  const bodies = bodyText(result);
  const matches = pages.map((p) => shingleMatch(readFileSync(path.join(corpus, 'boilerplate-zyte/gold', `${p.id}.txt`), 'utf8'), bodies.get(p.file.raw) ?? ''));
  return { scores: aggregate(matches), perPage: new Map(pages.map((p, i) => [p.id, aggregate([matches[i]]).f1])), matches, bodies };
}

/** A page's block probabilities under `model`, as clean.ts computes them. */
export const pageProbabilities = (model: BlockModel, page: LabelledPage): Float64Array => blockProbabilities(model, blockFeatures(page.blocks, page.measures, model.lexicon));

/**
 * The site-grouped split: for fold `fold` of `k`, the pages a model is fitted to (every other
 * fold's sites, and the generated pages) and the zyte page dumps it is scored on.
 */
export function foldSplit(pages: LabelledPage[], k = FOLDS): (fold: number) => { train: LabelledPage[]; test: LabelledPage[] } {
  const folds = foldsOf(pages.filter((p) => p.set !== 'seedlike'), k);
  return (fold) => {
    const held = (p: LabelledPage) => p.set !== 'seedlike' && folds.get(p.site) === fold;
    return { train: pages.filter((p) => !held(p)), test: pages.filter((p) => held(p) && p.set === 'zyte') };
  };
}

export async function crossValidation(corpus: string, pages: LabelledPage[], options: Partial<TrainOptions> = {}, k = FOLDS): Promise<FoldFigures[]> {
  const split = foldSplit(pages, k);
  const out: FoldFigures[] = [];
  for (let fold = 0; fold < k; fold++) {
    const { train, test } = split(fold);
    const model = loadBlockModel(trainModel(train, options));
    out.push({
      fold,
      sites: new Set(test.map((p) => p.site)).size,
      pages: test.length,
      before: scorePages(corpus, test, null).scores,
      after: scorePages(corpus, test, model).scores,
    });
  }
  return out;
}

export function foldRows(figures: FoldFigures[]): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = figures.map((f) => [`fold ${f.fold}`, `${f.pages} (${f.sites} sites)`, f.before.f1, f.after.f1, f.after.precision, f.after.recall, f.after.f1 - f.before.f1]);
  const mean = (get: (f: FoldFigures) => number) => figures.reduce((s, f) => s + get(f), 0) / figures.length;
  rows.push(['mean', String(figures.reduce((s, f) => s + f.pages, 0)), mean((f) => f.before.f1), mean((f) => f.after.f1), mean((f) => f.after.precision), mean((f) => f.after.recall), mean((f) => f.after.f1 - f.before.f1)]);
  return rows;
}

export const FOLD_COLUMNS = ['zyte page text, held-out fold', 'pages', 'F1 before (jusText)', 'F1 after (model)', 'P after', 'R after', 'change'];

export function printFolds(figures: FoldFigures[]): void {
  const rows = [FOLD_COLUMNS, ...foldRows(figures).map((r) => r.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)))];
  const widths = FOLD_COLUMNS.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [n, r] of rows.entries()) {
    console.log(`| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`);
    if (n === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  }
}
