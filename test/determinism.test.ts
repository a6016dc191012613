/**
 * Determinism (#7): the same drop folder gives byte-identical content/ and
 * dist/, wherever it is built and whatever order the files were written in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { announceSkip, corpusDir, repoRoot } from '../scripts/lib/corpus';
import { makeYear } from '../scripts/bench/year';
import { dropInLate } from '../scripts/bench/year-bench';
import { runIngest } from '../src/lib/build/ingest-fs';
import { articlesFromFile } from '../src/lib/ingest/pipeline';
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

/**
 * #15: the same drop folder gives byte-identical content whether ingested cold
 * or through a sequence of drop-ins that regroup only their neighbourhood:
 * news of the latest days, late news (dated months before what is already
 * there, filed in the latest folder), undated articles (dated by the story
 * they join, else their folder), a rewritten file and a deleted one. A
 * generated year of news (scripts/bench/year.ts): needs ../shared/corpus.
 */
const yearCorpus = corpusDir();
if (!yearCorpus) announceSkip('determinism.test: drop-ins on a generated year (late news, undated articles)');

describe.skipIf(!yearCorpus)('determinism through drop-ins', () => {
  it('a year ingested cold and through drop-ins (latest days, late news, undated, a rewrite, a deletion) is byte-identical', async () => {
    const root = path.join(dir, 'year');
    const full = path.join(root, 'full');
    const inc = path.join(root, 'inc');
    const year = await makeYear({ articles: 240, seed: 5, outDir: full, labelsFile: path.join(root, 'labels.json') });
    // Late news: another outlet's take on a story four months back, filed in the latest month's folder.
    const late = dropInLate(full, year.lastDay);
    const rels = Object.keys(await snapshot(full)).sort();
    const dateOf = (rel: string) => articlesFromFile({ raw: rel, bytes: new Uint8Array(readFileSync(path.join(full, rel))) }).articles[0]?.date ?? null;
    const months = [...new Set(rels.map((r) => r.slice(0, 7)))].sort();
    const lastMonth = months.at(-1)!;
    const middle = rels.filter((r) => r.startsWith(months[Math.floor(months.length / 2)]));
    const undated = middle.filter((r) => dateOf(r) === null).slice(0, 3);
    expect(undated.length, 'undated files in a middle month').toBeGreaterThan(0);
    const batches = [
      // Undated articles and a few dated ones of a month in the middle of the year.
      [...undated, ...middle.filter((r) => !undated.includes(r)).slice(0, 3)],
      // Late arrivals: files of the first month, after the rest of the year is in.
      rels.filter((r) => r.startsWith(months[0])).slice(0, 3),
      // The latest days, in two drop-ins; the late news comes with the second.
      rels.filter((r) => r.startsWith(lastMonth) && r !== late.rel).slice(0, 4),
      [...rels.filter((r) => r.startsWith(lastMonth) && r !== late.rel).slice(4, 7), late.rel],
    ];
    const held = new Set(batches.flat());
    for (const rel of rels) {
      if (held.has(rel)) continue;
      await mkdir(path.dirname(path.join(inc, rel)), { recursive: true });
      await cp(path.join(full, rel), path.join(inc, rel));
    }
    const out = path.join(root, 'content-inc');
    const ingestInc = () => runIngest({ raw: inc, out });
    await ingestInc();
    for (const batch of batches) {
      for (const rel of batch) {
        await mkdir(path.dirname(path.join(inc, rel)), { recursive: true });
        await cp(path.join(full, rel), path.join(inc, rel));
      }
      const r = await ingestInc();
      expect(r.grouping?.mode, batch.join(', ')).toBe('regroup');
      // Only the shards the batch touched were prepared, only its stories' files recomputed (drop-in-fs.ts).
      expect(r.route, batch.join(', ')).toBe('drop-in');
    }
    const lateRun = await (async () => {
      // A rewrite (a file's text replaced by another story's) and a deletion, in both folders.
      const [victim, donor, gone] = [rels[10], rels[rels.length - 20], rels[30]];
      for (const root of [full, inc]) {
        await writeFile(path.join(root, victim), await readFile(path.join(full, donor)));
        await rm(path.join(root, gone));
      }
      return ingestInc();
    })();
    expect(lateRun.grouping?.mode).toBe('regroup');
    expect(lateRun.route).toBe('drop-in');
    const cold = path.join(root, 'content-cold');
    const coldRun = await runIngest({ raw: full, out: cold });
    expect(coldRun.grouping?.mode).toBe('cold');
    const collections = async (content: string) => Object.fromEntries(Object.entries(await snapshot(content)).filter(([k]) => /^(articles|stories)\//.test(k)));
    const a = await collections(cold);
    expect(Object.keys(a).length).toBeGreaterThan(240);
    expect(await collections(out)).toEqual(a);
    // The report too: a no-change run after the drop-ins reports what the cold run did (stories by id).
    const again = await ingestInc();
    expect(again.route).toBe('no-change');
    const byId = (r: typeof coldRun.report) => ({ ...r, stories: [...r.stories].sort((x, y) => (x.id < y.id ? -1 : 1)) });
    expect(byId(again.report)).toEqual(byId(coldRun.report));
    // The late news joined the story of the article it retells.
    const storyOf = (rel: string) => coldRun.articles.find((x) => x.raw === rel)?.story;
    expect(storyOf(late.rel)).toBe(storyOf(late.sibling));
  }, 600_000);
});
