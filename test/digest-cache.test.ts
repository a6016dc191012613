/**
 * Per-story digest cache (store/digest-cache.ts): a cached story record is exactly
 * what a fresh digest gives (same object, same bytes), its key moves with every
 * input the digest reads, and after a drop-in only the touched stories are
 * digested again, with the collections identical to a fresh build's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeCorpus } from '../scripts/bench/corpus';
import { runIngest } from '../src/lib/build/ingest-fs';
import { listRawFiles, readRawFile } from '../src/lib/build/read-fs';
import { articlesFromFile, ingest, type StoryStage } from '../src/lib/ingest/pipeline';
import { digest } from '../src/lib/ingest/digest/digest';
import { digestKey, withDigestCache } from '../src/lib/store/digest-cache';
import { LogStore } from '../src/lib/store/log-store';
import { renderStory } from '../src/lib/ingest/write/render';
import type { Article, Assignment, RawFile } from '../src/lib/ingest/types';
import { scratch, snapshot } from './helpers/tree';
import { statePath } from '../src/lib/store/layout';

let dir: string;
let raw: string;
let stores = 0;
/** A digest store in a fresh file of the scratch folder; `reopen` reads it back as the next run would. */
const storeFile = () => path.join(dir, `digests-${stores++}.log`);
const open = (file: string, code = 'p') => LogStore.open(file, { store: 'digest-cache.log', version: 1, code });
let files: RawFile[];
/** Every digest call of a plain ingest, with its inputs. */
const calls: Array<{ args: Parameters<StoryStage>; story: ReturnType<StoryStage> }> = [];

beforeAll(async () => {
  dir = await scratch('newsfold-digest-cache-');
  raw = path.join(dir, 'raw');
  await makeCorpus({ articles: 50, seed: 9, outDir: raw });
  files = [];
  for (const f of listRawFiles(raw).files) {
    const r = readRawFile(f);
    if ('bytes' in r) files.push(r);
  }
  ingest(files, {}, articlesFromFile, (...args) => {
    const story = digest(...args);
    calls.push({ args: structuredClone(args), story });
    return story;
  });
  return () => rm(dir, { recursive: true, force: true });
}, 120_000);

describe('digest cache', () => {
  it('answers every story with exactly the fresh record, through a round trip to disk', async () => {
    expect(calls.length).toBeGreaterThan(3);
    const file = storeFile();
    const store = open(file);
    const first = withDigestCache(store, digest);
    const fresh = calls.map((c) => first.digest(...c.args));
    expect(first.stats).toEqual({ hits: 0, misses: calls.length });
    await store.save();
    const second = withDigestCache(open(file), () => {
      throw new Error('a cached story was digested again');
    });
    calls.forEach((c, i) => {
      const cached = second.digest(...c.args);
      expect(cached).toEqual(c.story);
      expect(cached).toEqual(fresh[i]);
      expect(renderStory(cached)).toBe(renderStory(c.story));
    });
    expect(second.stats).toEqual({ hits: calls.length, misses: 0 });
    expect(second.finish()).toBe(false);
  });

  it('keys on every input a digest reads', () => {
    const [story, members, assignments, options] = calls.find((c) => c.args[1].length > 1)!.args;
    const base = digestKey(story, members, assignments, options);
    const changedBody: Article[] = members.map((a, i) => (i === 0 ? { ...a, body: [...a.body, { kind: 'p', text: 'One more line.' }] } : a));
    const changedAsg = new Map<string, Assignment>(assignments);
    changedAsg.set(members[0].id, { ...assignments.get(members[0].id)!, copyOf: members[1].id });
    expect(digestKey(story, changedBody, assignments, options)).not.toBe(base);
    expect(digestKey(story, members, changedAsg, options)).not.toBe(base);
    expect(digestKey({ ...story, id: `${story.id}-x` }, members, assignments, options)).not.toBe(base);
    expect(digestKey({ ...story, related: [{ id: 'other', score: 0.5 }] }, members, assignments, options)).not.toBe(base);
    expect(digestKey(story, members.slice(1), assignments, options)).not.toBe(base);
    expect(digestKey(story, members, assignments, { ...options, entities: 3 })).not.toBe(base);
    expect(digestKey(story, members, assignments, options)).toBe(base);
  });

  it('ignores a cache from another pipeline or a corrupt one', async () => {
    const file = storeFile();
    const store = open(file);
    withDigestCache(store, digest).digest(...calls[0].args);
    await store.save();
    expect(open(file).size).toBe(1);
    expect(open(file, 'other').size).toBe(0);
    await writeFile(file, '{not json');
    expect(open(file).size).toBe(0);
  });

  it('after a drop-in, digests only the touched stories and gives what a fresh ingest gives', async () => {
    const held = [...files].sort((x, y) => (x.raw < y.raw ? -1 : 1))[files.length - 1];
    const file = storeFile();
    const store = open(file);
    const before = withDigestCache(store, digest);
    ingest(files.filter((f) => f !== held), {}, articlesFromFile, before.digest);
    expect(before.finish()).toBe(true);
    await store.save();
    const after = withDigestCache(open(file), digest);
    const incremental = ingest(files, {}, articlesFromFile, after.digest);
    const fresh = ingest(files, {}, articlesFromFile);
    expect(incremental.stories.map(renderStory)).toEqual(fresh.stories.map(renderStory));
    expect(incremental.stories).toEqual(fresh.stories);
    expect(after.stats.hits).toBeGreaterThan(0);
    expect(after.stats.misses).toBeLessThan(fresh.stories.length);
    expect(after.stats.hits + after.stats.misses).toBe(fresh.stories.length);
  });

  it('runIngest keeps the cache beside the others and rebuilds to the same bytes', async () => {
    const out = path.join(dir, 'content');
    await runIngest({ raw, out, recluster: true });
    // A rebuild that cannot use the corpus memo but can use the file and digest caches.
    await rm(path.join(out, '.newsfold/corpus-memo.json'));
    const second = await runIngest({ raw, out, recluster: true });
    expect(second.corpusReused).toBe(false);
    expect(second.cache.misses).toBe(0);
    const fresh = path.join(dir, 'fresh');
    await runIngest({ raw, out: fresh, recluster: true, cache: false });
    expect(await snapshot(out, { skipDot: true })).toEqual(await snapshot(fresh, { skipDot: true }));
    expect(second.stories.map(renderStory)).toEqual((await runIngest({ raw, out: fresh, recluster: true, cache: false })).stories.map(renderStory));
    expect(await readFile(statePath(out, 'digestCache'), 'utf8')).toMatch(/^\{"store":"digest-cache.log","version":\d+,"code":"[0-9a-f]{64}"\}\n/);
  }, 300_000);
});
