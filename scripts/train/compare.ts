/**
 * Ours beside the scorer's baselines, story by story, in-process: each dev
 * story's summary and headline against the editors', with LexRank, centroid,
 * the leads and the oracle budgeted at our length for that story (baselines.ts,
 * the scorer's own method). For fitting, diagnostics and per-story losses;
 * the reported figures come from the Python scorer (scripts/eval/summary.ts).
 */
import path from 'node:path';
import { BASELINES, baselines, goldStory, rougeRef, scoreAgainst, type Baseline, type GoldStory } from './baselines.ts';
import { rougeTokens } from './rouge.ts';
import type { DevSet, DevStory } from './allsides.ts';

export const SYSTEMS = ['ours', ...BASELINES] as const;
export type System = (typeof SYSTEMS)[number];

export interface StoryScore {
  dev: DevStory;
  words: number;
  /** R1, R2 F1 (x1) per system. */
  r1: Record<System, number>;
  r2: Record<System, number>;
  headline: { ours: number; first: number; oracle: number };
}

export interface Table {
  stories: number;
  words: number;
  r1: Record<System, number>;
  r2: Record<System, number>;
  headline: { ours: number; first: number; oracle: number };
}

/** The scorer's view of each dev story (raw sentences, tokens, reference), read once. */
export function goldStories(set: DevSet): Map<string, GoldStory> {
  const rawDir = path.join(set.dir, 'ingest', 'raw');
  return new Map(set.stories.map((s) => [s.gold, goldStory(rawDir, s.files, s.ref.summary)]));
}

/** Baselines at a budget are the same whatever we did: memoised by story and budget. */
const memo = new Map<string, Record<Baseline, { r1: number; r2: number }>>();

function baselineScores(gold: string, g: GoldStory, budget: number): Record<Baseline, { r1: number; r2: number }> {
  const key = `${gold}\t${Math.max(budget, 30)}`;
  let out = memo.get(key);
  if (!out) {
    const b = baselines(g, budget);
    const scored = {} as Record<Baseline, { r1: number; r2: number }>;
    for (const k of BASELINES) scored[k] = scoreAgainst(b[k], g.ref);
    out = scored;
    memo.set(key, out);
  }
  return out;
}

/**
 * Scores one story: `summary` is our sentences, `headline` our title, `titles`
 * the titles of the gold story's files in file-name order (the scorer's report titles).
 */
export function scoreStory(dev: DevStory, g: GoldStory, summary: string[], headline: string, titles: string[]): StoryScore {
  const ours = scoreAgainst(summary, g.ref);
  const base = baselineScores(dev.gold, g, ours.words);
  const r1 = { ours: ours.r1 } as Record<System, number>;
  const r2 = { ours: ours.r2 } as Record<System, number>;
  for (const k of BASELINES) [r1[k], r2[k]] = [base[k].r1, base[k].r2];
  const href = rougeTokens(dev.ref.headline);
  const h = (t: string) => rougeF1(rougeTokens(t), href);
  return {
    dev,
    words: ours.words,
    r1,
    r2,
    headline: { ours: h(headline), first: titles.length ? h(titles[0]) : 0, oracle: Math.max(0, ...titles.map(h)) },
  };
}

function rougeF1(c: string[], r: string[]): number {
  const ref = { tokens: r, grams: [count(r), new Map()] as [Map<string, number>, Map<string, number>], totals: [r.length, 0] as [number, number] };
  return rougeRef(c, ref, 1);
}

function count(t: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of t) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** Means (x100) over stories, summed in the order given (the scorer's: by gold id). */
export function table(scores: StoryScore[]): Table {
  const n = scores.length || 1;
  const r1 = {} as Record<System, number>;
  const r2 = {} as Record<System, number>;
  for (const k of SYSTEMS) {
    let a = 0;
    let b = 0;
    for (const s of scores) [a, b] = [a + s.r1[k], b + s.r2[k]];
    [r1[k], r2[k]] = [(100 * a) / n, (100 * b) / n];
  }
  const mean = (f: (s: StoryScore) => number) => (100 * scores.reduce((x, s) => x + f(s), 0)) / n;
  return {
    stories: scores.length,
    words: scores.reduce((x, s) => x + s.words, 0) / n,
    r1,
    r2,
    headline: { ours: mean((s) => s.headline.ours), first: mean((s) => s.headline.first), oracle: mean((s) => s.headline.oracle) },
  };
}

export const halves = (scores: StoryScore[]) => ({
  all: table(scores),
  a: table(scores.filter((s) => s.dev.half === 'a')),
  b: table(scores.filter((s) => s.dev.half === 'b')),
});

const f = (x: number) => x.toFixed(2);

/** One line: ours and LexRank R1/R2, the gap, headline. */
export function line(t: Table): string {
  return `ours ${f(t.r1.ours)}/${f(t.r2.ours)} lex ${f(t.r1.lexrank)}/${f(t.r2.lexrank)} gap ${f(t.r1.ours - t.r1.lexrank)}/${f(t.r2.ours - t.r2.lexrank)} (${t.words.toFixed(0)} w) head ${f(t.headline.ours)}`;
}

/** The full table as Markdown rows: system, all, a, b. */
export function markdown(h: ReturnType<typeof halves>): string {
  const rows = [`| system | all R1 / R2 | half a | half b |`, `| --- | --- | --- | --- |`];
  for (const k of SYSTEMS) rows.push(`| ${k} | ${f(h.all.r1[k])} / ${f(h.all.r2[k])} | ${f(h.a.r1[k])} / ${f(h.a.r2[k])} | ${f(h.b.r1[k])} / ${f(h.b.r2[k])} |`);
  rows.push(`| ours − LexRank | ${f(h.all.r1.ours - h.all.r1.lexrank)} / ${f(h.all.r2.ours - h.all.r2.lexrank)} | ${f(h.a.r1.ours - h.a.r1.lexrank)} / ${f(h.a.r2.ours - h.a.r2.lexrank)} | ${f(h.b.r1.ours - h.b.r1.lexrank)} / ${f(h.b.r2.ours - h.b.r2.lexrank)} |`);
  for (const k of ['ours', 'first', 'oracle'] as const) rows.push(`| headline ${k} | ${f(h.all.headline[k])} | ${f(h.a.headline[k])} | ${f(h.b.headline[k])} |`);
  return rows.join('\n');
}
