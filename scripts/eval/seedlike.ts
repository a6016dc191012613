/**
 * Eval section `seedlike`: issue #17's figures on generated seed-like scrapes
 * (scripts/lib/seedlike.ts), one row per set of wordings. `train` is what the
 * rules were developed on and the models fitted to; `test` was never trained
 * on but its failures were looked at while developing; `heldout`
 * (seedlike-heldout.ts) was written before round two measured anything on it
 * and is never tuned on: its row is the honest estimate on unseen chrome.
 */
import path from 'node:path';
import { articlesFromFile, defaultIngestOptions } from '../../src/lib/ingest/pipeline.ts';
import { corpusSources, makePages, scoreSeedlike, seedSources, type CleanedPage, type Page, type Split } from '../lib/seedlike.ts';
import { repoRoot } from '../lib/corpus.ts';
import type { EvalSection, EvalTable } from './types.ts';
import { setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), loaded when first needed.
setLibraries(nodeLibraries);

export const SEEDLIKE_PAGES = 400;
/** One fixed generator seed per split, so the pages never change between runs. */
export const SEEDLIKE_SEEDS: Record<Split, number> = { train: 20250720, test: 17017, heldout: 4242 };

export function cleanGenerated(page: Page): CleanedPage | null {
  const { articles, rejected } = articlesFromFile({ raw: 'page.txt', bytes: new TextEncoder().encode(page.text) }, defaultIngestOptions);
  const a = articles[0];
  if (!a) return { title: '', titleDerived: false, source: '', body: [], removed: [], rejected: rejected.map((r) => r.reason).join('; ') };
  return { title: a.title, titleDerived: a.titleDerived, source: a.source, body: a.body.map((b) => b.text), removed: a.removed };
}

export function seedlikePages(corpus: string | null, split: Split, count = SEEDLIKE_PAGES, seed = SEEDLIKE_SEEDS[split]): Page[] {
  // The seeds' bodies and titles as the rule-and-jusText cleaner gives them (the seed tests check
  // they are whole), so the pages do not change when the block model or the title picker is refitted.
  const options = { ...defaultIngestOptions, clean: { model: null, titleModel: null } };
  const seeds = seedSources((raw, bytes) => articlesFromFile({ raw, bytes }, options).articles, path.join(repoRoot, 'content/raw'));
  return makePages(seeds, corpusSources(corpus), split, count, seed);
}

/**
 * EVAL_SEEDLIKE_SEEDS=heldout:1,test:5 draws a split's pages from another generator
 * seed: the development view of a split's wordings. Round three developed on
 * heldout seeds 1-3 and reported the fixed seed (4242) once; the wordings are
 * the same pools, so the fixed seed's row is then unseen pages, not unseen wordings.
 */
function seedsFromEnv(): Partial<Record<Split, number>> {
  const out: Partial<Record<Split, number>> = {};
  for (const part of (process.env.EVAL_SEEDLIKE_SEEDS ?? '').split(',').filter(Boolean)) {
    const [split, seed] = part.split(':');
    if ((split === 'train' || split === 'test' || split === 'heldout') && Number.isFinite(Number(seed))) out[split] = Number(seed);
  }
  return out;
}

const section: EvalSection = {
  name: 'seedlike',
  async run(corpus: string): Promise<EvalTable> {
    const rows: EvalTable['rows'] = [];
    const notes: string[] = [];
    const seeds = seedsFromEnv();
    for (const split of ['train', 'test', 'heldout'] as const) {
      const s = scoreSeedlike(seedlikePages(corpus, split, SEEDLIKE_PAGES, seeds[split] ?? SEEDLIKE_SEEDS[split]), cleanGenerated);
      rows.push([
        `${split} wordings${seeds[split] !== undefined ? ` (seed ${seeds[split]})` : ''}`,
        String(s.pages),
        s.clean / s.pages,
        `${s.chromeLeft}/${s.chromeLines} (${((100 * s.chromeLeft) / s.chromeLines).toFixed(1)}%)`,
        `${s.bodyLost}/${s.bodyLines} (${((100 * s.bodyLost) / s.bodyLines).toFixed(2)}%)`,
        s.titles / s.pages,
        s.outlets / Math.max(1, s.outletPages),
        String(s.errorTitles),
      ]);
      if (process.env.EVAL_VERBOSE) notes.push(...s.failures.map((f) => `${f}`));
    }
    return { columns: ['seed-like pages', 'pages', 'clean', 'chrome left', 'body lost', 'titles', 'outlets', 'error titles'], rows, notes };
  },
};

export default section;
