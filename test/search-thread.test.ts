/**
 * A drop-in's search phase on a thread of its own (src/lib/build/workers/search-thread.ts):
 * the dist/ it leaves is byte for byte what a full build of the same content gives, drop-in
 * after drop-in (the stores the thread saved are what the next one follows from); a thread
 * handed changes its kept state cannot follow gives the same refusal as the build's thread.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorpus } from '../scripts/bench/corpus';
import { runBuild } from '../src/lib/build/index';
import { SearchThread } from '../src/lib/build/workers/search-thread';
import { followChanges } from '../src/lib/store/search-follow';

async function listTree(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listTree(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

async function firstDifference(a: string, b: string): Promise<string | null> {
  const [fa, fb] = await Promise.all([listTree(a), listTree(b)]);
  if (fa.join('\n') !== fb.join('\n')) return `files differ: ${fa.filter((f) => !fb.includes(f)).concat(fb.filter((f) => !fa.includes(f))).slice(0, 5).join(', ')}`;
  for (const f of fa) {
    const [x, y] = await Promise.all([readFile(path.join(a, f)), readFile(path.join(b, f))]);
    if (!x.equals(y)) return `bytes differ: ${f}`;
  }
  return null;
}

describe('search phase on its own thread', () => {
  let dir: string;
  let rawAll: string;
  let files: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-search-thread-'));
    rawAll = path.join(dir, 'raw-all');
    await makeCorpus({ articles: 40, seed: 11, outDir: rawAll, from: 'bundled' });
    files = await listTree(rawAll);
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves the dist/ a full build gives, drop-in after drop-in', async () => {
    const raw = path.join(dir, 'raw');
    const content = path.join(dir, 'content');
    const dist = path.join(dir, 'dist');
    await cp(rawAll, raw, { recursive: true });
    const held = files.slice(-2);
    for (const f of held) await rm(path.join(raw, f));
    const env = { NEWSFOLD_SEARCH_THREAD: '1' };
    expect((await runBuild({ raw, content, dist, env })).mode).toBe('full');

    for (const [i, f] of held.entries()) {
      await mkdir(path.dirname(path.join(raw, f)), { recursive: true });
      await cp(path.join(rawAll, f), path.join(raw, f));
      const logs: string[] = [];
      const drop = await runBuild({ raw, content, dist, env, log: (l) => logs.push(l) });
      expect(drop.mode).toBe('partial');
      // The changes were followed, on the thread.
      expect(logs.join('\n')).toContain('(on its own thread)');

      // A full build of exactly this content, from a copy of it (the content folder keeps the manifest of the dist/ built last).
      const fullContent = path.join(dir, `content-full-${i}`);
      await cp(content, fullContent, { recursive: true });
      const fullDist = path.join(dir, `dist-full-${i}`);
      const full = await runBuild({ raw, content: fullContent, dist: fullDist, cache: path.join(dir, `cache-full-${i}`), noPartial: true, env: { NEWSFOLD_SEARCH_THREAD: '0' } });
      expect(full.mode).toBe('full');
      expect(await firstDifference(dist, fullDist)).toBeNull();
    }
  }, 600_000);

  it('refuses what the build thread refuses, and saves nothing', async () => {
    const content = await mkdtemp(path.join(os.tmpdir(), 'newsfold-search-thread-empty-'));
    try {
      const message = { from: 'a', to: 'b', files: [], articles: 0, stories: 0, before: [], now: [] };
      const thread = SearchThread.start(content);
      expect(thread).not.toBeNull();
      const answer = await thread!.follow(message);
      const here = await followChanges(content, { ...message, before: () => undefined, now: () => undefined, text: () => '' });
      expect(typeof here).toBe('string');
      expect(answer).toEqual({ refused: here, ms: expect.any(Number) });
      expect(await readdir(content)).toEqual([]);
    } finally {
      await rm(content, { recursive: true, force: true });
    }
  }, 60_000);
});
