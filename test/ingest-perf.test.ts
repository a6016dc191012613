/**
 * The ingest's caches for speed (#8) never change what it writes: after a
 * drop-in, with the per-file, digest and render caches warm, the collections
 * are byte for byte what a fresh ingest without any cache writes; corrupt
 * caches are ignored. No timing here: the figures are in docs/performance.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeCorpus } from '../scripts/bench/corpus';
import { runIngest } from '../src/lib/build/ingest-fs';
import { statePath } from '../src/lib/store/layout';
import { openStore } from '../src/lib/store/log-store';
import { pipelineFingerprint } from '../src/lib/store/fingerprint';
import { scratch, snapshot } from './helpers/tree';

let dir: string;
let corpus: string;
let names: string[];

beforeAll(async () => {
  dir = await scratch('newsfold-ingest-perf-');
  corpus = path.join(dir, 'corpus');
  await makeCorpus({ articles: 40, seed: 11, outDir: corpus });
  names = (await readdir(corpus)).sort();
  return () => rm(dir, { recursive: true, force: true });
}, 120_000);

const collections = (root: string) => snapshot(root, { skipDot: true });

describe('ingest caches', () => {
  it('after a drop-in, writes what a fresh ingest without caches writes', async () => {
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'content');
    await mkdir(raw, { recursive: true });
    const held = names[Math.floor(names.length / 2)];
    for (const n of names) if (n !== held) await copyFile(path.join(corpus, n), path.join(raw, n));
    const first = await runIngest({ raw, out, recluster: true });
    expect(first.corpusReused).toBe(false);
    await copyFile(path.join(corpus, held), path.join(raw, held));
    const dropIn = await runIngest({ raw, out, recluster: true });
    expect(dropIn.cache.parsed).toEqual([held]);
    const fresh = path.join(dir, 'fresh');
    const clean = await runIngest({ raw, out: fresh, recluster: true, cache: false });
    expect(await collections(out)).toEqual(await collections(fresh));
    expect(dropIn.articles).toEqual(clean.articles);
    expect(dropIn.stories).toEqual(clean.stories);
    expect(dropIn.report).toEqual(clean.report);
    // The caches hold exactly this run's articles and stories (the runs above passed no options).
    const code = pipelineFingerprint({});
    expect(openStore(out, 'renderCache', code).size).toBe(dropIn.articles.length + dropIn.stories.length);
    const digests = openStore(out, 'digestCache', code).size;
    expect(digests).toBeGreaterThan(0);
    expect(digests).toBeLessThanOrEqual(dropIn.stories.length);
  }, 300_000);

  it('ignores corrupt digest and render caches', async () => {
    const raw = path.join(dir, 'raw2');
    const out = path.join(dir, 'content2');
    await mkdir(raw, { recursive: true });
    for (const n of names) await copyFile(path.join(corpus, n), path.join(raw, n));
    await runIngest({ raw, out, recluster: true });
    const before = await collections(out);
    await writeFile(statePath(out, 'renderCache'), '{"version":1,"pipeline":');
    await writeFile(statePath(out, 'digestCache'), 'null');
    await rm(path.join(out, '.newsfold/corpus-memo.json'));
    const again = await runIngest({ raw, out, recluster: true });
    expect(again.corpusReused).toBe(false);
    expect(again.written.added.length + again.written.updated.length + again.written.removed.length).toBe(0);
    expect(await collections(out)).toEqual(before);
    // Rewritten whole, and read back whole.
    const code = pipelineFingerprint({});
    expect(openStore(out, 'renderCache', code).size).toBe(again.articles.length + again.stories.length);
    expect(openStore(out, 'digestCache', code).size).toBe(again.stories.length);
  }, 300_000);

  it('an edited file is rendered again, never answered from the cache', async () => {
    // Keys are hashes of the whole record, so a changed record can never find an old file's text.
    const raw = path.join(dir, 'raw3');
    const out = path.join(dir, 'content3');
    await mkdir(raw, { recursive: true });
    for (const n of names.slice(0, 10)) await copyFile(path.join(corpus, n), path.join(raw, n));
    const first = await runIngest({ raw, out, recluster: true });
    const victim = first.articles[0];
    const file = path.join(raw, victim.raw);
    await writeFile(file, `${await readFile(file, 'utf8')}\n\nA closing line added by an editor, long enough to count as a paragraph of its own.\n`);
    await runIngest({ raw, out, recluster: true });
    const fresh = path.join(dir, 'fresh3');
    await runIngest({ raw, out: fresh, recluster: true, cache: false });
    expect(await collections(out)).toEqual(await collections(fresh));
  }, 300_000);
});
