/**
 * The page manifest written as a delta over the whole one (build/partial.ts): after any sequence of
 * partial builds' changes (pages added, rehashed, removed, added again), the manifest read back is
 * exactly the last build's page hashes; a delta of another generation is never applied.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 as random } from '../scripts/bench/corpus';
import { manifestDeltaPath, manifestPath, nextDelta, readManifest, readMerged, type Manifest, type ReadManifest } from '../src/lib/build/partial';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});


async function content(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nf-manifest-'));
  dirs.push(dir);
  await mkdir(path.join(dir, '.newsfold'), { recursive: true });
  return dir;
}

describe('manifest delta', () => {
  it('reads back every build’s page hashes after random partial builds, and writes whole past the limit', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const dir = await content();
      const rnd = random(seed);
      let pages: Record<string, string> = {};
      for (let i = 0; i < 3000; i++) pages[`articles/a${i}/`] = `h${i}`;
      let build = 0;
      const whole: Manifest = { fingerprint: `fp${build}`, site: 'site', pages, files: { 'sitemap-0.xml': 'x' }, generation: `g${seed}` };
      await writeFile(manifestPath(dir), JSON.stringify(whole));
      let wholeWrites = 0;
      for (build = 1; build <= 40; build++) {
        const previous = (await readMerged(dir)) as ReadManifest;
        expect(previous.pages).toEqual(pages);
        expect(previous.fingerprint).toBe(`fp${build - 1}`);
        // This build's change: some pages rehashed, some new, some removed (some of them new before).
        const next = { ...pages };
        const changed: string[] = [];
        const removed: string[] = [];
        const n = Math.floor(rnd() * (build % 13 === 0 ? 4000 : 60));
        for (let k = 0; k < n; k++) {
          const path = `articles/a${Math.floor(rnd() * 3400)}/`;
          if (rnd() < 0.25 && path in next) {
            delete next[path];
            if (!removed.includes(path)) removed.push(path);
          } else {
            next[path] = `h${build}-${k}`;
            if (!changed.includes(path)) changed.push(path);
          }
        }
        // As pagesToRender gives them: changed is what is there now with another hash or new.
        const nowChanged = changed.filter((p) => p in next && next[p] !== previous.pages[p]);
        const nowRemoved = removed.filter((p) => !(p in next) && p in previous.pages);
        // The files' hashes: one changes every build, one comes and goes.
        const files: Record<string, string> = { 'sitemap-0.xml': `x${build}`, ...(build % 3 ? { 'sitemap-1.xml': `y${build % 2}` } : {}) };
        // Its page counts, in some builds (one of older code writes none: its counts never stand for the pages).
        const counted = rnd() < 0.5;
        const counts = { pages: Object.keys(next).length, articles: Object.keys(next).filter((p) => p.startsWith('articles/')).length };
        const manifest: Manifest = { fingerprint: `fp${build}`, site: 'site', pages: next, files, ...(counted ? { counts } : {}) };
        const delta = nextDelta(previous, manifest, nowChanged, nowRemoved);
        if (delta) await writeFile(manifestDeltaPath(dir), JSON.stringify(delta));
        else {
          wholeWrites++;
          await writeFile(manifestPath(dir), JSON.stringify({ ...manifest, generation: `g${seed}-${build}` }));
          await rm(manifestDeltaPath(dir), { force: true });
        }
        pages = next;
        const read = await readManifest(dir, `fp${build}`, 'site');
        expect('manifest' in read && read.manifest.pages).toEqual(pages);
        expect('manifest' in read && read.manifest.files).toEqual(files);
        // The counts of this build's pages when it wrote them, else none (not an earlier build's).
        expect('manifest' in read && read.manifest.counts, `build ${build}`).toEqual(counted ? counts : undefined);
      }
      // The builds with a large change pass the delta's limit (2,000 pages): the manifest is written whole again.
      expect(wholeWrites).toBeGreaterThan(0);
      expect(wholeWrites).toBeLessThan(40);
    }
  });

  it('never applies a delta of another generation, nor one over a manifest without one', async () => {
    const dir = await content();
    const pages = { 'a/': '1', 'b/': '2' };
    await writeFile(manifestPath(dir), JSON.stringify({ fingerprint: 'fp0', site: 's', pages, generation: 'g1' }));
    const delta = { version: 1, generation: 'g0', fingerprint: 'fp1', site: 's', pages: { 'a/': '9' }, removed: ['b/'], files: {}, filesRemoved: [] };
    await writeFile(manifestDeltaPath(dir), JSON.stringify(delta));
    // The whole manifest alone is an earlier dist/'s: not this stamp's, so a full build.
    expect(await readManifest(dir, 'fp1', 's')).toEqual({ why: 'the page manifest does not describe dist/' });
    await writeFile(manifestDeltaPath(dir), JSON.stringify({ ...delta, generation: 'g1' }));
    const read = await readManifest(dir, 'fp1', 's');
    expect('manifest' in read && read.manifest.pages).toEqual({ 'a/': '9' });
    // A manifest of older code (no generation) takes no delta, and makes none.
    await writeFile(manifestPath(dir), JSON.stringify({ fingerprint: 'fp0', site: 's', pages }));
    expect(await readManifest(dir, 'fp1', 's')).toEqual({ why: 'the page manifest does not describe dist/' });
    const old = (await readMerged(dir))!;
    expect(nextDelta(old, { fingerprint: 'fp1', site: 's', pages: { 'a/': '9' } }, ['a/'], ['b/'])).toBeNull();
    // Counts that are not two whole numbers, the article pages at most the pages: none (the keys are counted).
    for (const counts of [{ pages: 2, articles: 3 }, { pages: '2', articles: 1 }, { pages: 2 }, { pages: 2.5, articles: 1 }, null]) {
      await writeFile(manifestPath(dir), JSON.stringify({ fingerprint: 'fp1', site: 's', pages, generation: 'g9', counts }));
      expect((await readMerged(dir))!.counts).toBeUndefined();
    }
    await writeFile(manifestPath(dir), JSON.stringify({ fingerprint: 'fp1', site: 's', pages, generation: 'g9', counts: { pages: 2, articles: 0 } }));
    expect((await readMerged(dir))!.counts).toEqual({ pages: 2, articles: 0 });
    // A delta of a writer that kept no counts over a whole manifest with them: none.
    await writeFile(manifestDeltaPath(dir), JSON.stringify({ ...delta, generation: 'g9' }));
    expect((await readMerged(dir))!.counts).toBeUndefined();
    // A damaged delta: the whole manifest alone, so a full build.
    await writeFile(manifestPath(dir), JSON.stringify({ fingerprint: 'fp0', site: 's', pages, generation: 'g1' }));
    await writeFile(manifestDeltaPath(dir), '{"version":1,');
    expect(await readManifest(dir, 'fp1', 's')).toEqual({ why: 'the page manifest does not describe dist/' });
  });
});

describe('related lists kept as a delta (store/site-entries.ts)', () => {
  it('reads back every build’s lists after random drop-ins, and only for the content they were chosen from', async () => {
    const { keepRelated, readKeptRelated } = await import('../src/lib/store/site-entries');
    const dir = await content();
    const rnd = random(7);
    const list = (k: number) => [{ id: `s${k}`, shared: [`name ${k}`] }];
    let stories = Array.from({ length: 1200 }, (_, i) => ({ id: `s${i}`, related: list(i + 1) }));
    await keepRelated(dir, 'c0', stories);
    let wholeWrites = 0;
    for (let build = 1; build <= 30; build++) {
      const kept = readKeptRelated(dir, `c${build - 1}`)!;
      expect(kept, `build ${build}`).not.toBeNull();
      expect(readKeptRelated(dir, `c${build}`)).toBeNull();
      expect([...kept.lists]).toEqual(stories.map((s) => [s.id, s.related]));
      // A drop-in: lists kept (the same arrays), some chosen again, stories gone and new.
      const n = build % 9 === 0 ? 700 : Math.floor(rnd() * 20);
      const next = stories.filter(() => rnd() > n / 4000).map((s) => ({ id: s.id, related: kept.lists.get(s.id)! }));
      for (let k = 0; k < n; k++) {
        const i = Math.floor(rnd() * next.length);
        next[i] = { id: next[i].id, related: list(build * 1000 + k) };
      }
      for (let k = 0; k < 3; k++) next.push({ id: `n${build}-${k}`, related: [] });
      const had = kept.generation;
      await keepRelated(dir, `c${build}`, next, kept);
      if (readKeptRelated(dir, `c${build}`)!.generation !== had) wholeWrites++;
      stories = next;
    }
    expect(wholeWrites).toBeGreaterThan(0);
    expect(wholeWrites).toBeLessThan(30);
    // No ingest this run: nothing is kept.
    await keepRelated(dir, null, stories);
    expect(readKeptRelated(dir, 'c30')).toBeNull();
  });
});
