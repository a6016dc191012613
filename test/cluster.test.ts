/**
 * Grouping (#4): the sample seeds form one story; corpus grouping quality stays
 * above a floor (B-cubed, the figures of `npm run eval -- --only clustering`);
 * the result is deterministic and explains itself (why, related).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { announceSkip, corpusDir, repoRoot } from '../scripts/lib/corpus';
import { ingest } from '../src/lib/ingest/pipeline';
import { bcubed, groupArticles, half, loadLabelled, scoreSet } from '../scripts/eval/clustering';
import { extractEntities } from '../src/lib/ingest/stories/entities';

const corpus = corpusDir();
if (!corpus) announceSkip('cluster.test: corpus grouping quality');

describe('sample seeds', () => {
  it('the five seeds in content/raw form exactly one story of five articles, with reasons', () => {
    const dir = path.join(repoRoot, 'content', 'raw');
    const files = readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((raw) => ({ raw, bytes: new Uint8Array(readFileSync(path.join(dir, raw))) }));
    const result = ingest(files);
    expect(result.articles).toHaveLength(5);
    expect(result.stories).toHaveLength(1);
    const story = result.stories[0];
    expect(story.articles).toHaveLength(5);
    expect(story.independent + story.republications).toBe(5);
    expect(story.why.map((w) => w.article).sort()).toEqual([...story.articles].sort());
    for (const w of story.why) expect(w.shared.length, w.article).toBeGreaterThan(0);
  });
});

describe('B-cubed', () => {
  it('is 1 for a perfect grouping and penalises merges and splits', () => {
    const gold = new Map([['a', 'x'], ['b', 'x'], ['c', 'y']]);
    expect(bcubed(new Map([['a', '1'], ['b', '1'], ['c', '2']]), gold).f1).toBe(1);
    const merged = bcubed(new Map([['a', '1'], ['b', '1'], ['c', '1']]), gold);
    expect(merged.recall).toBe(1);
    expect(merged.precision).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 3) / 3);
    const split = bcubed(new Map([['a', '1'], ['b', '2'], ['c', '3']]), gold);
    expect(split.precision).toBe(1);
    expect(split.recall).toBeCloseTo((1 / 2 + 1 / 2 + 1) / 3);
  });
});

describe('entities', () => {
  it('takes capitalised runs that are not sentence starts, with joiners, without leading function words', () => {
    const keys = extractEntities('Officials said The Bank of England and Jane Doe met in Paris. Later they left.').map((e) => e.key);
    expect(keys).toContain('bank of england');
    expect(keys).toContain('jane doe');
    expect(keys).toContain('paris');
    expect(keys).not.toContain('officials');
    expect(keys).not.toContain('later');
  });
});

describe.skipIf(!corpus)('corpus grouping', () => {
  const basil = corpus ? loadLabelled(path.join(corpus, 'clustering-basil', 'ingest')) : null;
  const allsides = corpus ? loadLabelled(path.join(corpus, 'clustering-allsides', 'ingest')) : null;

  // Floors a little under the figures in docs/eval-clustering.md: a regression guard, not the target.
  it('BASIL B-cubed F1 >= 0.97, and >= 0.95 on each half of its stories', () => {
    const s = scoreSet(basil!);
    expect(s.f1).toBeGreaterThanOrEqual(0.97);
    expect(s.precision).toBeGreaterThanOrEqual(0.97);
    for (const which of [0, 1] as const) expect(scoreSet(half(basil!, which)).f1).toBeGreaterThanOrEqual(0.95);
  });

  it('AllSides B-cubed F1 >= 0.925, and >= 0.92 on each half of its stories', () => {
    expect(scoreSet(allsides!).f1).toBeGreaterThanOrEqual(0.925);
    for (const which of [0, 1] as const) expect(scoreSet(half(allsides!, which)).f1).toBeGreaterThanOrEqual(0.92);
  });

  // Ablations: each decision rule earns its place on the set it was added for, and costs little on the other.
  // Calibration off: a reference share no window reaches, so tau stays dateDecayDays.
  const uncalibrated = { dateSpreadReference: Infinity };
  it('the calibrated date decay joins BASIL outlets a few days apart (off: lower recall), and leaves AllSides as it is', () => {
    const on = scoreSet(basil!);
    const off = scoreSet(basil!, uncalibrated);
    expect(on.recall).toBeGreaterThan(off.recall);
    expect(on.f1).toBeGreaterThan(off.f1);
    // AllSides joins almost only same-day articles: the calibration keeps its strict decay.
    expect(scoreSet(allsides!).f1).toBeCloseTo(scoreSet(allsides!, uncalibrated).f1, 2);
  });

  it('story cohesion keeps weakly related same-day stories apart on AllSides (off: lower precision)', () => {
    const on = scoreSet(allsides!);
    const off = scoreSet(allsides!, { cohesionShare: 0 });
    expect(on.precision).toBeGreaterThan(off.precision);
    expect(on.f1).toBeGreaterThan(off.f1);
    // Under the windowed grouping it costs BASIL one pair of articles (0.985 against 0.988 without it):
    // a bound, so a tuning that makes it cost more is seen (the scoring is tuned on the `grouping` branch).
    expect(scoreSet(basil!).f1).toBeGreaterThanOrEqual(scoreSet(basil!, { cohesionShare: 0 }).f1 - 0.005);
  });

  it('is deterministic whatever the input order, and explains every multi-article story', () => {
    const a = groupArticles(basil!.articles);
    const b = groupArticles([...basil!.articles].reverse());
    expect(JSON.stringify(b.stories)).toBe(JSON.stringify(a.stories));
    expect(JSON.stringify([...b.assignments].sort())).toBe(JSON.stringify([...a.assignments].sort()));
    for (const s of a.stories) {
      if (s.articles.length < 2) continue;
      for (const id of s.articles) expect(a.assignments.get(id)!.shared.length, id).toBeGreaterThan(0);
    }
    // Near misses point at other live stories, never at the story itself.
    const ids = new Set(a.stories.map((s) => s.id));
    for (const s of a.stories) for (const r of s.related) expect(ids.has(r.id) && r.id !== s.id).toBe(true);
  });

  it('AllSides has near-miss (related) stories recorded', () => {
    const r = groupArticles(allsides!.articles);
    expect(r.stories.some((s) => s.related.length > 0)).toBe(true);
  });
});
