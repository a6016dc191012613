/**
 * The TypeScript port of the shared summary scorer (scripts/train/baselines.ts,
 * compare.ts), which the fitting and diagnostics use story by story, gives the
 * figures ../shared/tools/summary_rouge.py prints, on a slice of the AllSides
 * dev stories: ours, LexRank, centroid, the leads, the oracle and the headline
 * rows. Skips loudly without ../shared or python3.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { announceSkip, corpusDir } from '../scripts/lib/corpus.ts';
import { devStories, type DevSet, type Roundup } from '../scripts/train/allsides.ts';
import { goldStories, scoreStory, table, SYSTEMS } from '../scripts/train/compare.ts';
import { parseScorer } from '../scripts/eval/summary.ts';
import { ingest } from '../src/lib/ingest/index.ts';

const corpus = corpusDir();
const scorer = corpus ? path.resolve(corpus, '../tools/summary_rouge.py') : '';
const python = spawnSync('python3', ['--version']).status === 0;
const ready = !!corpus && python && existsSync(scorer);
if (!ready) announceSkip('test/summary-scorer.test.ts (needs ../shared/corpus, ../shared/tools/summary_rouge.py and python3)');

describe.skipIf(!ready)('the summary scorer, ported', () => {
  it('gives the figures summary_rouge.py prints on the same stories', () => {
    const dir = path.join(corpus!, 'clustering-allsides');
    const rawDir = path.join(dir, 'ingest', 'raw');
    const allLabels = JSON.parse(readFileSync(path.join(dir, 'ingest', 'labels.json'), 'utf8')) as Record<string, string>;
    const refs = JSON.parse(readFileSync(path.join(dir, 'roundups.json'), 'utf8')) as Record<string, Roundup>;
    // A slice: the first 15 stories with a roundup, by id.
    const keep = new Set([...new Set(Object.values(allLabels))].filter((g) => refs[g]).sort().slice(0, 15));
    const labels = Object.fromEntries(Object.entries(allLabels).filter(([, g]) => keep.has(g)));
    const files = Object.keys(labels)
      .sort()
      .map((raw) => ({ raw, bytes: new Uint8Array(readFileSync(path.join(rawDir, raw))) }));
    const result = ingest(files);
    const set: DevSet = { dir, files, labels, refs, result, stories: devStories(labels, refs, result) };

    const work = mkdtempSync(path.join(tmpdir(), 'newsfold-scorer-'));
    try {
      mkdirSync(path.join(work, 'stories'));
      writeFileSync(
        path.join(work, 'report.json'),
        JSON.stringify({
          articles: result.articles.map((a) => ({ raw: a.raw, story: a.story, title: a.title })),
          stories: result.stories.map((s) => ({ id: s.id, headline: s.headline, articles: s.articles })),
        }),
      );
      for (const s of result.stories) writeFileSync(path.join(work, 'stories', `${s.id}.json`), JSON.stringify({ summary: s.summary }));
      writeFileSync(path.join(work, 'labels.json'), JSON.stringify(labels));
      const run = spawnSync('python3', [scorer, path.join(work, 'report.json'), work, rawDir, path.join(work, 'labels.json'), path.join(dir, 'roundups.json')], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const py = parseScorer(run.stdout);

      const gold = goldStories(set);
      const storyById = new Map(result.stories.map((s) => [s.id, s]));
      const titleOf = new Map(result.articles.map((a) => [a.raw, a.title]));
      const ts = table(
        set.stories.map((dev) => {
          const s = storyById.get(dev.story)!;
          const titles = dev.files.map((f) => titleOf.get(f)).filter((t): t is string => !!t);
          return scoreStory(dev, gold.get(dev.gold)!, s.summary.map((x) => x.text), s.headline, titles);
        }),
      );
      expect(ts.stories).toBe(py.stories);
      for (const k of SYSTEMS) {
        expect(ts.r1[k].toFixed(2), `${k} R1`).toBe(py.summary[k].r1.toFixed(2));
        expect(ts.r2[k].toFixed(2), `${k} R2`).toBe(py.summary[k].r2.toFixed(2));
      }
      expect(ts.headline.ours.toFixed(2)).toBe(py.headline.ours.toFixed(2));
      expect(ts.headline.first.toFixed(2)).toBe(py.headline['first-title'].toFixed(2));
      expect(ts.headline.oracle.toFixed(2)).toBe(py.headline['oracle-title'].toFixed(2));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
