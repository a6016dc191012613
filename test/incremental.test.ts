/**
 * Incremental ingest (#7): unchanged files are not parsed again, unchanged
 * outputs are not rewritten (bytes and mtime kept), a deleted raw file removes
 * its article and updates its story, and an incremental result is exactly what
 * a fresh build of the same drop folder gives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, rm, unlink, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { runIngest } from '../src/lib/build/ingest-fs';
import { statePath } from '../src/lib/store/layout';
import { recordsPath } from '../src/lib/store/record-log';
import { copySample, mtimes, scratch, snapshot } from './helpers/tree';

let dir: string;
let raw: string;
let out: string;
let names: string[];

beforeEach(async () => {
  dir = await scratch();
  raw = path.join(dir, 'raw');
  out = path.join(dir, 'content');
  names = await copySample(raw);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Most tests group with `recluster` (ignore the story state), which makes the
 * output a pure function of the drop folder: they test this layer (cache and
 * writer) on its own. The story state is exercised where it matters: deletions.
 */
const run = (extra: Partial<Parameters<typeof runIngest>[0]> = {}) => runIngest({ raw, out, recluster: true, ...extra });

const collections = async (root: string) => {
  const snap = await snapshot(root);
  return Object.fromEntries(Object.entries(snap).filter(([k]) => k.startsWith('articles/') || k.startsWith('stories/')));
};

describe('incremental ingest', () => {
  it('parses nothing and writes nothing when nothing changed', async () => {
    const first = await run();
    expect(first.cache.misses).toBe(names.length);
    expect(first.written.added.length).toBeGreaterThan(0);
    const before = await mtimes(path.join(out, 'articles'));
    const storiesBefore = await mtimes(path.join(out, 'stories'));
    const bytes = await collections(out);
    const cacheBefore = await readFile(statePath(out, 'fileCache'));
    await new Promise((r) => setTimeout(r, 20));

    const second = await run();
    expect(second.cache.hits).toBe(names.length);
    expect(second.cache.misses).toBe(0);
    expect(second.written).toEqual({ added: [], updated: [], removed: [], unchanged: first.written.added.length });
    expect(await mtimes(path.join(out, 'articles'))).toEqual(before);
    expect(await mtimes(path.join(out, 'stories'))).toEqual(storiesBefore);
    expect(await collections(out)).toEqual(bytes);
    expect((await readFile(statePath(out, 'fileCache'))).equals(cacheBefore)).toBe(true);
    // Cached records give exactly what parsing gave.
    expect(second.articles).toEqual(first.articles);
    expect(second.stories).toEqual(first.stories);
  });

  it('parses only a new file and writes only what it changes', async () => {
    const dropped = names[names.length - 1];
    const keep = path.join(dir, 'held-back');
    await copyFile(path.join(raw, dropped), keep);
    await unlink(path.join(raw, dropped));
    const first = await run();
    const articlesBefore = await mtimes(path.join(out, 'articles'));

    await copyFile(keep, path.join(raw, dropped));
    const second = await run();
    expect(second.cache.parsed).toEqual([dropped]);
    const newArticle = second.articles.find((a) => a.raw === dropped)!;
    expect(newArticle).toBeDefined();
    expect(second.written.added).toContain(`articles/${newArticle.id}.md`);
    // The other articles' files are untouched unless their story assignment changed.
    const after = await mtimes(path.join(out, 'articles'));
    for (const a of first.articles) {
      const b = second.articles.find((x) => x.id === a.id)!;
      if (b.story === a.story && b.copyOf === a.copyOf) expect(after[`${a.id}.md`]).toBe(articlesBefore[`${a.id}.md`]);
    }
    // Its story was created or updated.
    const story = `stories/${newArticle.story}.json`;
    expect([...second.written.added, ...second.written.updated]).toContain(story);
    // Same bytes as a fresh build of the same folder.
    const fresh = path.join(dir, 'fresh');
    await runIngest({ raw, out: fresh, cache: false, recluster: true });
    expect(await collections(out)).toEqual(await collections(fresh));
  });

  it('a deleted raw file removes its article and updates its story, which keeps its id while it has articles', async () => {
    const first = await runIngest({ raw, out });
    // A story with at least two articles, and one of them that did not found it.
    const story = first.stories.find((s) => s.articles.length >= 2);
    expect(story, 'the sample has a story of two or more articles').toBeDefined();
    const victim = first.articles.find((a) => a.id === story!.articles[story!.articles.length - 1])!;
    await unlink(path.join(raw, victim.raw));

    const second = await runIngest({ raw, out });
    expect(second.cache.dropped).toEqual([victim.raw]);
    expect(second.written.removed).toContain(`articles/${victim.id}.md`);
    expect(await readdir(path.join(out, 'articles'))).not.toContain(`${victim.id}.md`);
    const kept = second.stories.find((s) => s.articles.includes(story!.articles[0]))!;
    expect(kept.articles).not.toContain(victim.id);
    expect(kept.id).toBe(story!.id);
    const json = JSON.parse(await readFile(path.join(out, 'stories', `${kept.id}.json`), 'utf8'));
    expect(json.articles).toEqual(kept.articles);
  });

  it('re-parses a file whose bytes changed, and everything when the options change', async () => {
    await run();
    const target = path.join(raw, names[0]);
    await writeFile(target, `${await readFile(target, 'utf8')}\n\nOne more paragraph was added to this article by its editor after publication.\n`);
    const second = await run();
    expect(second.cache.parsed).toEqual([names[0]]);
    const third = await run({ ingest: { minArticleWords: 16 } });
    expect(third.cache.misses).toBe(names.length);
  });

  it('skips the corpus stages when nothing changed, unless the output on disk was altered', async () => {
    const first = await run();
    expect(first.corpusReused).toBe(false);
    const second = await run();
    expect(second.corpusReused).toBe(true);
    expect(second.stories).toEqual(first.stories);
    // Someone edits a story file by hand: the output no longer matches, so everything runs and repairs it.
    const story = path.join(out, 'stories', `${first.stories[0].id}.json`);
    const original = await readFile(story);
    await writeFile(story, '{}\n');
    const third = await run();
    expect(third.corpusReused).toBe(false);
    expect(third.written.updated).toEqual([`stories/${first.stories[0].id}.json`]);
    expect((await readFile(story)).equals(original)).toBe(true);
    // A changed option is a change too.
    expect((await run({ ingest: { minArticleWords: 16 } })).corpusReused).toBe(false);
  });

  it('after a drop-in, a no-change run gives the records of the drop-in; a damaged record log only costs a full run', async () => {
    const held = names[names.length - 1];
    const kept = path.join(dir, 'held');
    await copyFile(path.join(raw, held), kept);
    await unlink(path.join(raw, held));
    await run();
    await copyFile(kept, path.join(raw, held));
    const dropIn = await run();
    expect(dropIn.cache.parsed).toEqual([held]);
    // The records the drop-in added were appended to the log, not rewritten with the rest.
    const again = await run();
    expect(again.corpusReused).toBe(true);
    expect(again.articles).toEqual(dropIn.articles);
    expect(again.stories).toEqual(dropIn.stories);
    expect(again.report).toEqual(dropIn.report);
    await writeFile(recordsPath(out), 'damaged\n');
    const repaired = await run();
    expect(repaired.corpusReused).toBe(false);
    expect(repaired.written.added.length + repaired.written.updated.length).toBe(0);
    const last = await run();
    expect(last.corpusReused).toBe(true);
    expect(last.articles).toEqual(dropIn.articles);
    expect(last.stories).toEqual(dropIn.stories);
  });

  it('ignores a corrupt cache file and rebuilds it', async () => {
    const first = await run();
    await writeFile(statePath(out, 'fileCache'), '{"version":1,"pipeline":');
    const second = await run();
    expect(second.cache.misses).toBe(names.length);
    expect(second.written.added.length + second.written.updated.length).toBe(0);
    expect(second.articles).toEqual(first.articles);
    const third = await run();
    expect(third.cache.hits).toBe(names.length);
  });

  // With the story state: the corpus memo skips the corpus stages here, and
  // cluster.ts keeps state-kept articles' scores as a fresh build gives them,
  // so either way an unchanged folder must rewrite nothing.
  it('with the story state too, a second build over unchanged input writes nothing', async () => {
    await runIngest({ raw, out });
    const second = await runIngest({ raw, out });
    expect(second.corpusReused).toBe(true);
    expect(second.written.added.length + second.written.updated.length + second.written.removed.length).toBe(0);
  });

  it('never writes to the drop folder', async () => {
    const before = await snapshot(raw);
    const beforeTimes = await mtimes(raw);
    await run();
    await unlink(path.join(raw, names[1]));
    delete before[names[1]];
    delete beforeTimes[names[1]];
    await run();
    expect(await snapshot(raw)).toEqual(before);
    expect(await mtimes(raw)).toEqual(beforeTimes);
  });
});
