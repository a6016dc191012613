/**
 * The year-of-news generator (#15): deterministic for a seed, month folders,
 * labels outside the drop folder, the shares the issue asks for. Small sizes
 * only; no timings. Needs ../shared/corpus (skips loudly without it).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, corpusDir } from '../scripts/lib/corpus';
import { makeYear } from '../scripts/bench/year';

const corpus = corpusDir();
if (!corpus) announceSkip('year-corpus.test: the year-of-news generator');

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const month of (await readdir(dir)).sort()) for (const name of (await readdir(path.join(dir, month))).sort()) out[`${month}/${name}`] = await readFile(path.join(dir, month, name), 'utf8');
  return out;
}

describe.skipIf(!corpus)('year of news', () => {
  it('is deterministic, labels every file outside the drop folder, and has the issue’s mix', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'newsfold-year-'));
    dirs.push(root);
    const a = await makeYear({ articles: 1500, seed: 3, outDir: path.join(root, 'a/raw'), labelsFile: path.join(root, 'a/labels.json') });
    const b = await makeYear({ articles: 1500, seed: 3, outDir: path.join(root, 'b/raw'), labelsFile: path.join(root, 'b/labels.json') });
    const fa = await files(path.join(root, 'a/raw'));
    expect(await files(path.join(root, 'b/raw'))).toEqual(fa);
    const labels = JSON.parse(await readFile(a.labelsFile, 'utf8')) as Record<string, string>;
    expect(Object.keys(labels).sort()).toEqual(Object.keys(fa).sort());
    expect(await readFile(b.labelsFile, 'utf8')).toEqual(await readFile(a.labelsFile, 'utf8'));
    expect(a.files).toBe(1500);
    // About one story per five articles, each told by several outlets.
    expect(a.stories).toBeGreaterThan(250);
    expect(a.stories).toBeLessThan(380);
    const sizes = new Map<string, number>();
    for (const s of Object.values(labels)) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    expect([...sizes.values()].filter((n) => n >= 3).length).toBeGreaterThan(a.stories * 0.95);
    // Month folders of 2025, every format, ~15% undated, wire copies, follow-ups.
    expect(new Set(Object.keys(fa).map((k) => k.slice(0, 7))).size).toBe(12);
    for (const ext of ['txt', 'md', 'html', 'json']) expect(Object.keys(fa).some((k) => k.endsWith(`.${ext}`)), ext).toBe(true);
    expect(a.undated / a.files).toBeGreaterThan(0.11);
    expect(a.undated / a.files).toBeLessThan(0.19);
    expect(a.wireCopies).toBeGreaterThan(0);
    expect(a.followUps).toBeGreaterThan(0);
    // An undated file states no date: no ISO day anywhere in it.
    const undated = Object.entries(fa).filter(([k, t]) => k.endsWith('.md') && !/^date:/m.test(t));
    expect(undated.length).toBeGreaterThan(0);
    for (const [, t] of undated) expect(t).not.toMatch(/2025-\d\d-\d\d|2025\/\d\d\/\d\d/);
  });
});
