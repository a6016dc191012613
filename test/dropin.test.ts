/**
 * #15: the drop-in path (src/lib/build/drop-in-fs.ts) recomputes only the
 * shards whose files changed and the stories near the change, and gives what
 * a cold ingest of the same folder gives: collections, report and counts.
 * test/determinism.test.ts runs it through late news, undated articles, a
 * rewrite and a deletion; here, the cases it decides by itself: an edit that
 * leaves what grouping reads alone (the article's record changes, its story
 * is not regrouped), a new shard, a shard emptied, a crash between the state's
 * save and the commit, and the overrides (left to the full path). A generated year of news: needs ../shared/corpus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { announceSkip, corpusDir, repoRoot } from '../scripts/lib/corpus';
import { makeYear } from '../scripts/bench/year';
import { runIngest, type RunResult } from '../src/lib/build/ingest-fs';
import { collectionsStamp, readOutputStamp, stampOf } from '../src/lib/store/index';
import { scratch, snapshot } from './helpers/tree';

const corpus = corpusDir();
if (!corpus) announceSkip('dropin.test: drop-ins on a generated year');

let dir: string;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const collections = async (content: string) => Object.fromEntries(Object.entries(await snapshot(content)).filter(([k]) => /^(articles|stories)\//.test(k)));
const byId = (r: RunResult['report']) => ({ ...r, stories: [...r.stories].sort((x, y) => (x.id < y.id ? -1 : 1)) });

/** The collections' stamp as the files on disk give it (what the next run compares). */
async function stampOnDisk(content: string): Promise<string> {
  const lines: string[] = [];
  for (const folder of ['articles', 'stories']) {
    for (const name of await readdir(path.join(content, folder))) lines.push(`${folder}/${name}\0${stampOf(await stat(path.join(content, folder, name)))}`);
  }
  return collectionsStamp(lines);
}

/** The drop folder ingested cold elsewhere must give what the drop-ins left in `out`. */
async function sameAsCold(raw: string, out: string, label: string): Promise<void> {
  const cold = path.join(dir, `cold-${label}`);
  const coldRun = await runIngest({ raw, out: cold });
  expect(coldRun.route).toBe('full');
  expect(await collections(out), label).toEqual(await collections(cold));
  // The output hash and the collections' stamp, updated by difference, are the ones made from every file.
  const recorded = await readOutputStamp(out);
  expect(recorded?.outputHash, label).toBe(coldRun.outputHash);
  expect(recorded?.stamp, label).toBe(await stampOnDisk(out));
  expect((await readOutputStamp(cold))?.stamp, label).toBe(await stampOnDisk(cold));
  const again = await runIngest({ raw, out });
  expect(again.route, label).toBe('no-change');
  expect(byId(again.report), label).toEqual(byId(coldRun.report));
  expect(again.summary, label).toEqual(coldRun.summary);
}

describe.skipIf(!corpus)('drop-in', () => {
  it('an edit grouping does not see, a new shard and an emptied one give what a cold ingest gives; overrides take the full path', async () => {
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'content');
    await makeYear({ articles: 180, seed: 11, outDir: raw, labelsFile: path.join(dir, 'labels.json') });
    expect((await runIngest({ raw, out })).route).toBe('full');

    // The URL of one Markdown article of a middle month: its record changes, what grouping reads does not.
    const months = (await readdir(raw)).sort();
    const middle = months[Math.floor(months.length / 2)];
    const name = (await readdir(path.join(raw, middle))).sort().find((n) => n.endsWith('.md'))!;
    const file = path.join(raw, middle, name);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^url: "/m);
    await writeFile(file, text.replace(/^url: "([^"]*)"/m, 'url: "$1-corrected"'));
    const edit = await runIngest({ raw, out });
    expect(edit.route).toBe('drop-in');
    expect(edit.grouping?.touched).toBe(0);
    expect(edit.written.updated.some((rel) => rel.startsWith('articles/'))).toBe(true);
    await sameAsCold(raw, out, 'edit');

    // A new folder (a shard the last run never saw), then the first month's folder emptied.
    await mkdir(path.join(raw, '2026-01'), { recursive: true });
    await cp(file, path.join(raw, '2026-01', `late-${name}`));
    expect((await runIngest({ raw, out })).route).toBe('drop-in');
    await sameAsCold(raw, out, 'new shard');
    await rm(path.join(raw, months[0]), { recursive: true });
    const emptied = await runIngest({ raw, out });
    expect(emptied.route).toBe('drop-in');
    expect(emptied.written.removed.length).toBeGreaterThan(0);
    await sameAsCold(raw, out, 'emptied shard');

    // A crash after the state was saved and before the collections were committed (killed at the
    // commit's first staged file): the grouping index, the shard memo, the per-file cache and the
    // record log are ahead of the collections and the memo. The drop-in must not build on them (it
    // checks the record log's and the grouping index's stamps against the memo's).
    await cp(file, path.join(raw, middle, `crash-${name}`));
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', '--raw', raw, '--out', out, '--quiet'], {
      cwd: repoRoot,
      env: { ...process.env, NEWSFOLD_CRASH_AT: 'staged:1' },
      encoding: 'utf8',
    });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    await writeFile(path.join(raw, middle, `crash-${name}`), text.replace(/^url: "([^"]*)"/m, 'url: "$1-after-crash"'));
    expect((await runIngest({ raw, out })).route).toBe('full');
    await sameAsCold(raw, out, 'after a crash');

    // The overrides act on the whole grouping: with them, the full path.
    const story = (await readdir(path.join(out, 'stories'))).sort()[0].replace(/\.json$/, '');
    await writeFile(file, text);
    const edited = await runIngest({ raw, out, overrides: { data: { stories: { [story]: { headline: 'An editor’s headline' } }, articles: {} }, file: 'overrides.yaml' } });
    expect(edited.route).toBe('full');
    expect(edited.overrides.applied.length).toBe(1);
    // And the next drop-in after them, without them: the full path again (the last run applied some).
    await writeFile(file, text.replace(/^url: "([^"]*)"/m, 'url: "$1-again"'));
    expect((await runIngest({ raw, out })).route).toBe('full');
  }, 600_000);

  it('a collection file edited, damaged or removed since the last run is caught: no drop-in builds on it, and it is written again', async () => {
    const raw = path.join(dir, 'raw-damaged');
    const out = path.join(dir, 'content-damaged');
    await makeYear({ articles: 120, seed: 12, outDir: raw, labelsFile: path.join(dir, 'labels-damaged.json') });
    expect((await runIngest({ raw, out })).route).toBe('full');
    const months = (await readdir(raw)).sort();
    // The last month that has a Markdown article (late news lands there).
    let last = '';
    let name = '';
    for (const month of months) {
      const md = (await readdir(path.join(raw, month))).sort().find((f) => f.endsWith('.md'));
      if (md) [last, name] = [month, md];
    }
    const text = await readFile(path.join(raw, last, name), 'utf8');
    let n = 0;
    const dropOne = () => writeFile(path.join(raw, last, `late-${n++}-${name}`), text.replace(/^url: "([^"]*)"/m, `url: "$1-late-${n}"`));
    await dropOne();
    expect((await runIngest({ raw, out })).route).toBe('drop-in');

    // An article edited in place, keeping its size (the stat scan sees its mtime), then a drop-in.
    const article = (await readdir(path.join(out, 'articles'))).sort()[3];
    const bytes = await readFile(path.join(out, 'articles', article), 'utf8');
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(path.join(out, 'articles', article), bytes.replace(/[a-z]/, 'Z'));
    await dropOne();
    expect((await runIngest({ raw, out })).route).toBe('full');
    expect(await readFile(path.join(out, 'articles', article), 'utf8')).toBe(bytes);
    await sameAsCold(raw, out, 'edited output');

    // A story file cut short, one removed, and a stray file added, each before a drop-in.
    const stories = (await readdir(path.join(out, 'stories'))).sort();
    await writeFile(path.join(out, 'stories', stories[0]), '{"tor');
    await dropOne();
    expect((await runIngest({ raw, out })).route).toBe('full');
    await sameAsCold(raw, out, 'damaged story');
    await rm(path.join(out, 'stories', stories[1]));
    await dropOne();
    expect((await runIngest({ raw, out })).route).toBe('full');
    await sameAsCold(raw, out, 'removed story');
    await writeFile(path.join(out, 'articles', 'stray.md'), 'not ours\n');
    await dropOne();
    expect((await runIngest({ raw, out })).route).toBe('full');
    await sameAsCold(raw, out, 'stray file');
    // And untouched since: the drop-in again.
    await dropOne();
    expect((await runIngest({ raw, out })).route).toBe('drop-in');
    await sameAsCold(raw, out, 'drop-in after repairs');
  }, 600_000);
});
