/**
 * Partial builds (src/lib/build/index.ts): a drop-in rebuilds only the pages
 * whose spec changed and lays them into dist/ through a journal, and the result
 * must be byte for byte what a full build of the same content gives. Also: the
 * site index's related stories are exactly those `relatedStories` picks.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorpus } from '../scripts/bench/corpus';
import { runBuild } from '../src/lib/build/index';
import { readMerged } from '../src/lib/build/partial';
import { plainAstroBuild } from './helpers/site';
import { byRecency, readContent, relatedAll } from '../src/lib/site/site-index';
import { relatedStories } from '../src/lib/site/links';

async function listTree(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listTree(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

/** Every file's path and bytes; the first difference, or null. */
async function firstDifference(a: string, b: string): Promise<string | null> {
  const [fa, fb] = await Promise.all([listTree(a), listTree(b)]);
  if (fa.join('\n') !== fb.join('\n')) {
    const only = [...fa.filter((f) => !fb.includes(f)).map((f) => `only in first: ${f}`), ...fb.filter((f) => !fa.includes(f)).map((f) => `only in second: ${f}`)];
    return only.slice(0, 5).join('; ');
  }
  for (const f of fa) {
    const [x, y] = await Promise.all([readFile(path.join(a, f)), readFile(path.join(b, f))]);
    if (!x.equals(y)) return `bytes differ: ${f}`;
  }
  return null;
}


describe('partial build of a drop-in', () => {
  let dir: string;
  let rawAll: string;
  let files: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-partial-'));
    rawAll = path.join(dir, 'raw-all');
    await makeCorpus({ articles: 40, seed: 7, outDir: rawAll, from: 'bundled' });
    files = await listTree(rawAll);
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a dist/ byte-identical to a full build of the same content, and to a fresh one', async () => {
    const raw = path.join(dir, 'raw');
    const content = path.join(dir, 'content');
    const dist = path.join(dir, 'dist');
    await cp(rawAll, raw, { recursive: true });
    const dropped = files[files.length - 1];
    await rm(path.join(raw, dropped));

    const first = await runBuild({ raw, content, dist });
    expect(first.mode).toBe('full');
    const before = await stat(path.join(dist, 'index.html'));
    const distInode = (await stat(dist)).ino;
    const outletInodes = async () => {
      const slugs = (await readdir(path.join(dist, 'outlets'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
      return new Map(await Promise.all(slugs.map(async (n) => [n, (await stat(path.join(dist, 'outlets', n, 'index.html'))).ino] as const)));
    };
    const outletsBefore = await outletInodes();
    const pageInode = async (kind: string, id: string) => (await stat(path.join(dist, kind, id, 'index.html')).catch(() => null))?.ino ?? null;
    const pagesBefore = (await readMerged(content))!.pages;
    const articlesBefore = new Map(await Promise.all(first.ingest.articles.map(async (a) => [a.id, await pageInode('articles', a.id)] as const)));

    await mkdir(path.dirname(path.join(raw, dropped)), { recursive: true });
    await cp(path.join(rawAll, dropped), path.join(raw, dropped));
    const secondLogs: string[] = [];
    const second = await runBuild({ raw, content, dist, log: (l) => secondLogs.push(l) });
    expect(second.built).toBe(true);
    expect(second.mode).toBe('partial');
    // Astro started with the ingest, and waited for the delta content.
    expect(second.startedAhead).toBe(true);
    // Laid into dist/ in place (dist-fs.ts applyDistJournal): the same folder, no stage or journal left.
    expect((await stat(dist)).ino).toBe(distInode);
    expect((await readdir(dir)).filter((n) => n.startsWith('dist'))).toEqual(['dist']);
    expect(await readdir(path.join(content, '.newsfold'))).not.toContain('dist-journal.json');
    expect(second.pagesRendered).toBeLessThan(Object.keys(pagesBefore).length / 2);
    // A changed page is a new file renamed into place (a reader gets the old page or the new one).
    expect((await stat(path.join(dist, 'index.html'))).ino).not.toBe(before.ino);
    // Only the outlet pages the drop-in changed were rendered: the others are the previous files.
    const outletsAfter = await outletInodes();
    const keptOutlets = [...outletsAfter].filter(([n, ino]) => outletsBefore.get(n) === ino);
    expect(keptOutlets.length).toBeGreaterThan(0);
    expect(keptOutlets.length).toBeLessThan(outletsAfter.size);
    // Members of a changed story whose own page did not change are not rendered again: the previous files.
    const manifest = async () => (await readMerged(content))!.pages;
    const pagesAfter = await manifest();
    const changedStories = second.ingest.stories.filter((s) => pagesBefore[`stories/${s.id}/`] !== pagesAfter[`stories/${s.id}/`]);
    const keptMembers = changedStories.flatMap((s) => s.articles).filter((id) => pagesBefore[`articles/${id}/`] && pagesBefore[`articles/${id}/`] === pagesAfter[`articles/${id}/`]);
    expect(keptMembers.length).toBeGreaterThan(0);
    for (const id of keptMembers) expect(await pageInode('articles', id)).toBe(articlesBefore.get(id));

    // No change: nothing built.
    const third = await runBuild({ raw, content, dist });
    expect(third.built).toBe(false);
    expect(third.startedAhead).toBe(false);


    // A full build of exactly this content, elsewhere.
    const fullDist = path.join(dir, 'dist-full');
    const full = await runBuild({ raw, content, dist: fullDist, cache: path.join(dir, 'cache-full'), noPartial: true });
    expect(full.mode).toBe('full');
    expect(await firstDifference(dist, fullDist)).toBeNull();

    // And what a plain `astro build` of that content gives, where the pages compute the site
    // index and the integration the search index themselves (the build script makes both outside).
    const plainDist = path.join(dir, 'dist-plain');
    await plainAstroBuild({ NEWSFOLD_CONTENT: content, NEWSFOLD_OUT: plainDist, NEWSFOLD_CACHE: path.join(dir, 'cache-plain') });
    expect(await firstDifference(dist, plainDist)).toBeNull();

    // A fresh site from all N+1 files at once. Its content can differ from the
    // incremental one only in what the ingest keeps between runs (story ids are
    // stable across runs, so a story may keep an id a fresh ingest would derive
    // differently); where the collections are equal, the sites must be too.
    const fresh = await runBuild({ raw: rawAll, content: path.join(dir, 'content-fresh'), dist: path.join(dir, 'dist-fresh') });
    expect(fresh.mode).toBe('full');
    const sameContent = (await firstDifference(path.join(content, 'articles'), path.join(dir, 'content-fresh/articles'))) === null &&
      (await firstDifference(path.join(content, 'stories'), path.join(dir, 'content-fresh/stories'))) === null;
    if (sameContent) expect(await firstDifference(dist, path.join(dir, 'dist-fresh'))).toBeNull();
  }, 600_000);

  it('re-renders every page a change touches, however many, over the previous dist/', async () => {
    const raw = path.join(dir, 'raw');
    const content = path.join(dir, 'content');
    // The content folder's last build (the test above) was the full one into dist-full.
    const dist = path.join(dir, 'dist-full');
    // A new closing sentence in every article: every article page changes.
    const names = await listTree(raw);
    for (const [i, f] of names.entries()) {
      const text = await readFile(path.join(raw, f), 'utf8');
      await writeFile(path.join(raw, f), `${text.trimEnd()}\n\nEditors added closing note number ${i + 1} to this article after it first ran.\n`);
    }
    const logs: string[] = [];
    const result = await runBuild({ raw, content, dist, log: (l) => logs.push(l) });
    // Still a partial build, started with the ingest: its pages are rendered in shards (render.ts),
    // so a large change costs what its pages cost, with no cliff to a full build.
    expect([result.startedAhead, result.mode]).toEqual([true, 'partial']);
    expect(result.pagesRendered).toBeGreaterThanOrEqual(names.length);
    const pages = (await readMerged(content))!.pages;
    expect(result.pagesRendered).toBeLessThan(Object.keys(pages).length);
  }, 600_000);

  it('falls back to a full build when the settings change, and builds partially under the new ones', async () => {
    const raw = path.join(dir, 'raw');
    const content = path.join(dir, 'content');
    // Last built (the test above) with the default settings.
    const dist = path.join(dir, 'dist-full');
    const env = { NEWSFOLD_SITE: 'https://other.example.net', NEWSFOLD_BASE: '/news/' };
    const logs: string[] = [];
    const again = await runBuild({ raw, content, dist, env, log: (l) => logs.push(l) });
    expect(again.mode).toBe('full');
    expect(logs.join('\n')).toMatch(/full build: the site's code, config or settings changed/);

    // A drop-in under a sub-path: partial, and what a full build with the same settings gives.
    const [first] = await listTree(raw);
    const text = await readFile(path.join(raw, first), 'utf8');
    await writeFile(path.join(raw, first), `${text.trimEnd()}\n\nA correction was appended to this article by its editors.\n`);
    const dropInLogs: string[] = [];
    const dropIn = await runBuild({ raw, content, dist, env, log: (l) => dropInLogs.push(l) });
    expect([dropIn.mode, dropIn.startedAhead]).toEqual(['partial', true]);
    const fullDist = path.join(dir, 'dist-sub-full');
    await runBuild({ raw, content, dist: fullDist, env, cache: path.join(dir, 'cache-sub-full'), noPartial: true });
    expect(await firstDifference(dist, fullDist)).toBeNull();
    expect(await readFile(path.join(dist, 'sitemap-0.xml'), 'utf8')).toContain('https://other.example.net/news/articles/');
  }, 600_000);
});

describe('site index', () => {
  it('picks the same related stories, sharing the same names, as relatedStories', async () => {
    const content = await readContent(path.resolve('content'));
    const stories = [...content.stories].sort(byRecency);
    const related = relatedAll(stories.map((s) => ({ id: s.id, nearMisses: s.data.related, entities: s.data.entities.map((e) => e.name) })));
    for (const s of stories) expect(related.get(s.id)).toEqual(relatedStories(s, stories).map((r) => ({ id: r.story.id, shared: r.shared })));
  });
});
