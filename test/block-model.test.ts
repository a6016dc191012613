/**
 * The learned block model (issue #17): its committed weights load and match the
 * features this code computes, it is deterministic, and a page's article blocks
 * score above its chrome. Training is reproducible: the same pages and seed give
 * the same trees (checked on a small generated set, so it runs without ../shared).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { blockFeatures, FEATURE_NAMES } from '../src/lib/ingest/clean/block-features';
import { blockProbabilities, defaultBlockModel, loadBlockModel, type BlockModelJson } from '../src/lib/ingest/clean/block-model';
import modelJson from '../src/lib/ingest/clean/block-model.json';
import { clean, pageBlocks } from '../src/lib/ingest/clean/clean';
import type { ParsedDoc } from '../src/lib/ingest/types';
import { generatedPages } from '../scripts/train/dataset';
import { makePages, seedSources } from '../scripts/lib/seedlike';
import { trainModel } from '../scripts/train/cleaner';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';
import { repoRoot } from '../scripts/lib/corpus';

// Invented text.
const PROSE = [
  'The harbour authority said on Tuesday that the new ferry terminal would open in the spring, after two years of delays caused by a dispute over the price of steel and a long argument about who should pay.',
  'Officials told reporters that the terminal was designed to handle twice as many passengers as the old one, and that solar panels on its roof would power part of it.',
  'A spokesman for the ferry operators said they were pleased with the decision but were still waiting for the final timetable before they could sell tickets for the summer.',
];
const PAGE = ['Home', 'News', 'Sport', 'Weather', 'Ferry terminal to open in spring', ...PROSE, 'Share this article', 'Most read', 'Local team wins cup final', 'Storm warning for the coast', 'Privacy policy'];
const doc = (lines: string[]): ParsedDoc => ({ raw: 'x.txt', part: 0, format: 'txt', hints: {}, lines, warnings: [] });

describe('block model', () => {
  it('loads its committed weights, fitted to these features', () => {
    const model = defaultBlockModel();
    expect((modelJson as BlockModelJson).features).toEqual(FEATURE_NAMES);
    expect(model.count).toBeGreaterThan(10);
    expect(model.lexicon.size).toBeGreaterThan(100);
    expect((modelJson as BlockModelJson).trainedOn.dataHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses weights fitted to other features', () => {
    expect(() => loadBlockModel({ ...(modelJson as BlockModelJson), features: ['x'] })).toThrow(/retrain/);
  });

  it('gives the same output for the same input, and scores prose above chrome', () => {
    const view = pageBlocks(doc(PAGE))!;
    const model = defaultBlockModel();
    const a = blockProbabilities(model, blockFeatures(view.blocks, view.measures, model.lexicon));
    const b = blockProbabilities(model, blockFeatures(view.blocks, view.measures, model.lexicon));
    expect([...a]).toEqual([...b]);
    const prose = PROSE.map((p) => a[view.blocks.findIndex((x) => x.text === p)]);
    const menu = ['Home', 'News', 'Local team wins cup final'].map((t) => a[view.blocks.findIndex((x) => x.text === t)]);
    expect(Math.min(...prose)).toBeGreaterThan(Math.max(...menu));
    expect(clean(doc(PAGE)).body.map((x) => x.text)).toEqual(PROSE);
    expect(JSON.stringify(clean(doc(PAGE)))).toBe(JSON.stringify(clean(doc(PAGE))));
  });

  it('trains reproducibly: same pages and seed, same trees', () => {
    const options = { ...defaultIngestOptions, clean: { model: null } };
    const seeds = seedSources((raw, bytes) => articlesFromFile({ raw, bytes }, options).articles, path.join(repoRoot, 'content/raw'));
    const pages = generatedPages(makePages(seeds, null, 'train', 30, 7));
    const small = { gbdt: { trees: 8 }, stackGbdt: { trees: 4 }, lexiconMinSites: 1 };
    const a = trainModel(pages, small);
    const b = trainModel(pages, small);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.trainedOn.dataHash).toBe(b.trainedOn.dataHash);
    expect(() => loadBlockModel(a)).not.toThrow();
  });
});
