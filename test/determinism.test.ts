/**
 * Determinism (#7): the same drop folder gives byte-identical content/ and
 * dist/, wherever it is built and whatever order the files were written in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../scripts/lib/corpus';
import { copySample, frozenCheckout, scratch, snapshot } from './helpers/tree';

const run = promisify(execFile);
let dir: string;
let code: string;

async function build(raw: string, where: string): Promise<{ content: Record<string, string>; dist: Record<string, string> }> {
  const content = path.join(where, 'content');
  const dist = path.join(where, 'dist');
  await run(path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/build.ts', '--raw', raw, '--content', content, '--dist', dist, '--quiet'], {
    cwd: code,
    maxBuffer: 64 * 1024 * 1024,
  });
  const collections = Object.fromEntries(Object.entries(await snapshot(content)).filter(([k]) => /^(articles|stories)\//.test(k)));
  return { content: collections, dist: await snapshot(dist) };
}

beforeAll(async () => {
  dir = await scratch();
  code = await frozenCheckout(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('determinism', () => {
  it('two builds of the same drop folder in different places are byte-identical', async () => {
    const rawA = path.join(dir, 'raw-a');
    const names = await copySample(rawA);
    await mkdir(path.join(rawA, 'nested folder'), { recursive: true });
    await writeFile(path.join(rawA, 'nested folder', 'Été à Kyiv.txt'), await readFile(path.join(rawA, names[0])));
    // The same files, written in reverse order with other timestamps.
    const rawB = path.join(dir, 'elsewhere', 'raw-b');
    await mkdir(path.join(rawB, 'nested folder'), { recursive: true });
    const files = Object.keys(await snapshot(rawA)).reverse();
    for (const [i, rel] of files.entries()) {
      await cp(path.join(rawA, rel), path.join(rawB, rel));
      await utimes(path.join(rawB, rel), 1e9 + i, 1e9 + i);
    }
    const a = await build(rawA, path.join(dir, 'site-a'));
    const b = await build(rawB, path.join(dir, 'other', 'site-b'));
    expect(Object.keys(a.content).length).toBeGreaterThan(names.length);
    expect(Object.keys(a.dist).length).toBeGreaterThan(names.length);
    expect(b.content).toEqual(a.content);
    expect(b.dist).toEqual(a.dist);
    // Two cold builds one after the other: a minute on an idle machine, more on a shared one.
  }, 360_000);
});
