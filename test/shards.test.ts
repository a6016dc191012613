/**
 * Sharded builds (#15): the site rendered by several astro children of at
 * most NEWSFOLD_SHARD_PAGES pages each, two at once (each in a project root
 * of its own: build/astro-child.ts), is byte for byte what one plain
 * `astro build` gives; so is the CI path (parts built separately, then
 * merged); and a child that runs out of memory fails the build with what to
 * do, leaving the previous dist/ serving.
 */
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuild } from '../src/lib/build/index';
import { buildPart, mergeParts } from '../src/lib/build/ci';
import { AstroOutOfMemory } from '../src/lib/build/astro-child';
import { MIN_SHARD_PAGES, shardsOf } from '../src/lib/build/pages';
import { keepFromChild, straysLine } from '../src/lib/build/render';
import type { PageSpec } from '../src/lib/site/plan';
import { makeArchive } from './helpers/archive';
import { plainAstroBuild } from './helpers/site';
import { scratch, snapshot } from './helpers/tree';

// Shards of 40 pages, two astro children at once (environment settings: the machine's), day pages
// of 4 stories (the site's: its config).
const SHARD = { NEWSFOLD_SHARD_PAGES: '40', NEWSFOLD_ASTRO_CHILDREN: '2' };

describe('a site rendered in shards', () => {
  let dir: string;
  let raw: string;
  let content: string;
  let dist: string;
  let config: string;

  beforeAll(async () => {
    dir = await scratch('newsfold-shards-');
    raw = path.join(dir, 'raw');
    content = path.join(dir, 'content');
    dist = path.join(dir, 'dist');
    await makeArchive(raw, { stories: 30, days: 20, lastDay: '2025-05-31', undatedEvery: 10, seed: 3 });
    config = path.join(dir, 'newsfold.config.yaml');
    await writeFile(config, 'storiesPerPage: 4\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is byte-identical to a plain astro build, with progress and peak memory per shard', async () => {
    const logs: string[] = [];
    const result = await runBuild({ raw, content, dist, env: SHARD, config, log: (l) => logs.push(l) });
    expect(result.mode).toBe('full');
    expect(result.shards.length).toBeGreaterThanOrEqual(3);
    for (const s of result.shards) expect(s.pages).toBeLessThanOrEqual(40);
    // Cut for two children (pages.ts shardsOf), both rendering.
    expect(new Set(result.shards.map((s) => s.slot))).toEqual(new Set([1, 2]));
    expect(result.shards.reduce((n, s) => n + s.pages, 0)).toBe(result.pagesRendered);
    expect(logs.filter((l) => /^shard \d+\/\d+: \d+ page\(s\) .* astro peak \d+ MB$/.test(l))).toHaveLength(result.shards.length);
    expect(result.memory.astroMB).toBeGreaterThan(50);
    expect(result.memory.buildMB).toBeGreaterThan(50);

    const plain = path.join(dir, 'plain');
    await plainAstroBuild({ ...SHARD, NEWSFOLD_CONFIG: config, NEWSFOLD_CONTENT: content, NEWSFOLD_OUT: plain, NEWSFOLD_CACHE: path.join(dir, 'cache-plain') });
    expect(await snapshot(plain)).toEqual(await snapshot(dist));
  }, 600_000);

  it('fails with what to do when astro runs out of memory, and leaves the previous dist/ serving', async () => {
    const before = await snapshot(dist);
    const [first] = (await readdir(raw)).sort();
    await appendFile(path.join(raw, first), '\nA correction was added to this article by its editors.\n');
    // A heap no astro child can start in.
    const failed = runBuild({ raw, content, dist, env: { ...SHARD, NEWSFOLD_ASTRO_HEAP_MB: '16' }, config });
    await expect(failed).rejects.toThrow(AstroOutOfMemory);
    await expect(failed).rejects.toThrow(/NEWSFOLD_SHARD_PAGES=\d+ \(now \d+\).*NEWSFOLD_ASTRO_HEAP_MB/);
    expect(await snapshot(dist)).toEqual(before);
    expect((await readdir(dir)).filter((n) => n.startsWith('dist.'))).toEqual([]);
    // With memory enough, the same drop-in builds.
    const again = await runBuild({ raw, content, dist, env: SHARD, config });
    expect([again.built, again.mode]).toEqual([true, 'partial']);
  }, 600_000);
  it('gives the same dist/ when its parts are built as separate processes and merged (a CI matrix)', async () => {
    const parts = [1, 2].map((k) => path.join(dir, `part-${k}`));
    for (const [i, part] of parts.entries()) await buildPart(i + 1, 2, part, { content, env: SHARD, config });
    const merged = path.join(dir, 'dist-merged');
    await expect(mergeParts(parts.slice(0, 1), merged, { content, env: SHARD, config })).rejects.toThrow(/every part 1..n/);
    await mergeParts(parts, merged, { content, env: SHARD, config });
    expect(await snapshot(merged)).toEqual(await snapshot(dist));
  }, 600_000);

});

describe('shardsOf: how pages are cut for the astro children', () => {
  const pages = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `articles/a${i}`, group: '2025-01' }) as unknown as PageSpec);
  const sizes = (n: number, max: number, children: number) => shardsOf(pages(n), max, children).map((s) => s.length);

  it('keeps every page once, in order, in shards of at most the set size', () => {
    const cut = shardsOf(pages(45_001), 20_000, 1);
    expect(cut.map((s) => s.length)).toEqual([15_000, 15_000, 15_001]);
    expect(cut.flat().map((p) => p.path)).toEqual(pages(45_001).map((p) => p.path));
    expect(shardsOf([], 20_000, 2)).toEqual([]);
  });
  it('cuts into a multiple of the children when the shards stay large enough to be worth a child', () => {
    // A year of news: seven shards of 20,000 would leave one child idle in the last round.
    expect(sizes(125_000, 20_000, 2)).toEqual(Array(8).fill(15_625));
    // 10,000 articles' pages: one shard for one child, two for two.
    expect(sizes(13_000, 20_000, 1)).toEqual([13_000]);
    expect(sizes(13_000, 20_000, 2)).toEqual([6_500, 6_500]);
    // As near it as MIN_SHARD_PAGES allows; a drop-in's pages stay one shard.
    expect(sizes(6_000, 20_000, 4)).toEqual([2_000, 2_000, 2_000]);
    expect(sizes(MIN_SHARD_PAGES * 2 - 1, 20_000, 2)).toEqual([MIN_SHARD_PAGES * 2 - 1]);
    expect(sizes(12, 20_000, 2)).toEqual([12]);
  });
});

describe("keepFromChild: what moves from a child's output into dist/", () => {
  it("keeps the child's own pages and the site's assets, and counts what no page or asset names", () => {
    const outputs = new Set(['index.html', 'articles/a/index.html', 'articles/b/index.html']);
    const strays: string[] = [];
    const keep = keepFromChild(new Set(['articles/a/index.html']), outputs, strays);
    expect(keep('articles/a/index.html')).toBe(true);
    // Another shard's page (every child renders the pages without getStaticPaths: only the owner keeps them).
    expect(keep('articles/b/index.html')).toBe(false);
    expect(keep('index.html')).toBe(false);
    expect(keep('_astro/site.abc123.css')).toBe(true);
    // Written by the build process itself.
    expect(keep('sitemap-0.xml')).toBe(false);
    expect(keep('search-index/meta.json')).toBe(false);
    // A server chunk a build stopped mid-way left for Astro to copy.
    expect(keep('chunks/manifest_a1b2.mjs')).toBe(false);
    // The content layer's stubs Astro copies into every child's output: left out, no warning.
    expect(keep('content-modules.mjs')).toBe(false);
    expect(strays).toEqual(['chunks/manifest_a1b2.mjs']);
    expect(straysLine('shard 1/2', strays)).toBe('shard 1/2: 1 file(s) that no page or asset names left out of dist/ (e.g. chunks/manifest_a1b2.mjs)');
    expect(straysLine('shard 1/2', [])).toBeNull();
  });
});
