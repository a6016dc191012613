/**
 * The block model's site-grouped folds (scripts/eval/folds.ts) with the
 * per-page detail the eval table leaves out, for error analysis and for trying
 * training options without editing the script:
 *
 *   node --import tsx scripts/train/cleaner-cv.ts [--options '<json>'] [--out file.json] [--only 0,3]
 *     [--models <prefix>] [--decode '<json>']
 *
 * `--options` is merged into cleaner.ts defaultTrainOptions (e.g.
 * '{"gbdt":{"trees":150}}'). Prints each fold's F1 / P / R and the mean (the
 * "after" column of the eval's CV rows, same folds and models); `--out` writes
 * every held-out page's scores, its blocks with label and probability, and the
 * body the pipeline kept, so two runs can be compared page by page.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadBlockModel } from '../../src/lib/ingest/index.ts';
import { aggregate } from '../eval/boilerplate.ts';
import { foldSplit, pageProbabilities, scorePages } from '../eval/folds.ts';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { allPages, FOLDS, trainModel, type TrainOptions } from './cleaner.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { options: { type: 'string' }, out: { type: 'string' }, only: { type: 'string' }, models: { type: 'string' }, decode: { type: 'string' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('scripts/train/cleaner-cv.ts');
    return 1;
  }
  const options = JSON.parse(values.options ?? '{}') as Partial<TrainOptions>;
  const only = values.only ? new Set(values.only.split(',').map(Number)) : null;
  const pages = allPages(corpus);
  // The eval's folds (scripts/eval/folds.ts), so the figures are its "after" column.
  const split = foldSplit(pages, FOLDS);
  const report: unknown[] = [];
  const f1s: number[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    if (only && !only.has(fold)) continue;
    const { train, test } = split(fold);
    // --models <prefix>: each fold's fitted JSON is kept at <prefix>-<fold>.json and read back when
    // present, so decoding changes (--decode '<json>', merged into the model's decode) need no refit.
    const saved = values.models ? `${values.models}-${fold}.json` : null;
    const json = saved && existsSync(saved) ? JSON.parse(readFileSync(saved, 'utf8')) : trainModel(train, options);
    if (saved && !existsSync(saved)) writeFileSync(saved, JSON.stringify(json));
    if (values.decode) json.decode = { ...json.decode, ...JSON.parse(values.decode) };
    const model = loadBlockModel(json);
    const { scores: s, matches, bodies } = scorePages(corpus, test, model);
    f1s.push(s.f1);
    console.log(`fold ${fold}: F1 ${s.f1.toFixed(3)} P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} (${test.length} pages)`);
    if (values.out) {
      test.forEach((p, i) => {
        const prob = pageProbabilities(model, p);
        report.push({
          fold,
          id: p.id,
          site: p.site,
          ...matches[i],
          f1: aggregate([matches[i]]).f1,
          blocks: p.blocks.map((b, k) => ({ text: b.text, label: p.labels[k], p: Math.round(prob[k] * 1000) / 1000, ruleBad: b.ruleBad })),
          body: bodies.get(p.file.raw) ?? '',
        });
      });
    }
  }
  console.log(`folds ${f1s.map((f) => f.toFixed(3)).join(' / ')}, mean ${(f1s.reduce((a, b) => a + b, 0) / f1s.length).toFixed(4)}`);
  if (values.out) writeFileSync(values.out, JSON.stringify(report));
  return 0;
}

main().then((code) => process.exit(code));
