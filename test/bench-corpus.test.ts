/**
 * The benchmark corpus generator: deterministic for a seed, the requested
 * size, several outlets per story. Small sizes only; no timings.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCorpus, mulberry32 } from '../scripts/bench/corpus';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'newsfold-bench-corpus-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(path.join(dir, name), 'utf8');
  return out;
}

describe('bench corpus', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  for (const from of ['bundled', 'shared'] as const) {
    it(`${from}: same seed, same files; several outlets per story`, async () => {
      const [d1, d2, d3] = [await tmp(), await tmp(), await tmp()];
      const r1 = await makeCorpus({ articles: 40, seed: 3, outDir: d1, from });
      await makeCorpus({ articles: 40, seed: 3, outDir: d2, from });
      await makeCorpus({ articles: 40, seed: 4, outDir: d3, from });
      expect(r1.files).toBe(40);
      expect(await snapshot(d1)).toEqual(await snapshot(d2));
      expect(await snapshot(d1)).not.toEqual(await snapshot(d3));
      const perStory = new Map<string, number>();
      for (const key of Object.values(r1.labels)) perStory.set(key, (perStory.get(key) ?? 0) + 1);
      expect(Math.max(...perStory.values())).toBeGreaterThanOrEqual(3);
      // Every file is either front-mattered Markdown or a scraped text page.
      for (const [name, text] of Object.entries(await snapshot(d1))) {
        if (name.endsWith('.md')) expect(text.startsWith('---\ntitle: ')).toBe(true);
        else expect(name.endsWith('.txt')).toBe(true);
      }
    });
  }
});
