/**
 * The cluster stage's per-article cache (store/doc-cache.ts): what clustering reads
 * of an article survives a round trip through the cache file exactly, grouping
 * from cached docs gives the same stories, scores and reasons as grouping from
 * scratch, and a drop-in reads the words of the new article only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeCorpus } from '../scripts/bench/corpus';
import { listRawFiles, readRawFile } from '../src/lib/build/read-fs';
import { articlesFromFile } from '../src/lib/ingest/pipeline';
import { dropRepeatedLines } from '../src/lib/ingest/clean/repeated-lines';
import { clusterDocs, type ClusterDocOf } from '../src/lib/ingest/stories/cluster-docs';
import { groupCold, resultOf } from '../src/lib/ingest/stories/group';
import { itemOf } from '../src/lib/ingest/stories/items';
import { withStoredDocs, docKey } from '../src/lib/store/doc-cache';
import { LogStore } from '../src/lib/store/log-store';
import { statePath } from '../src/lib/store/layout';
import { runIngest } from '../src/lib/build/ingest-fs';
import type { Article } from '../src/lib/ingest/types';
import { scratch } from './helpers/tree';

let dir: string;
let raw: string;
let articles: Article[];

/** The keys in a store file (log-store.ts): a header line, then `<JSON key>\t<doc>` lines. */
const storedKeys = (text: string) => new Set(text.split('\n').slice(1, -1).map((line) => JSON.parse(line.slice(0, line.indexOf('\t'))) as string));

/** The windowed grouping (ingest/stories/group.ts) of the articles, reading their words through `docOf`. */
const grouped = (as: Article[], docOf: ClusterDocOf = clusterDocs()) => groupCold(as.map((a) => itemOf(a, docOf(a))));
const asJson = (state: ReturnType<typeof groupCold>) => {
  const r = resultOf(state);
  return JSON.stringify({ stories: r.stories, assignments: [...r.assignments], state });
};

beforeAll(async () => {
  dir = await scratch('newsfold-doc-cache-');
  raw = path.join(dir, 'raw');
  await makeCorpus({ articles: 60, seed: 11, outDir: raw });
  const all: Article[] = [];
  for (const f of listRawFiles(raw).files) {
    const r = readRawFile(f);
    if ('bytes' in r) all.push(...articlesFromFile(r).articles);
  }
  articles = dropRepeatedLines(all);
}, 120_000);

describe('cluster doc cache', () => {
  it('round-trips every doc exactly through the cache file', async () => {
    const file = path.join(dir, 'round-trip.log');
    const store = LogStore.open(file, { store: 't', version: 1, code: 'p' });
    const { docOf } = withStoredDocs(store, clusterDocs());
    const fresh = articles.map(docOf);
    await store.save();
    const { docOf: again, stats } = withStoredDocs(LogStore.open(file, { store: 't', version: 1, code: 'p' }), () => {
      throw new Error('every doc should come from the cache');
    });
    const cached = articles.map(again);
    expect(stats).toEqual({ hits: articles.length, misses: 0 });
    for (let i = 0; i < articles.length; i++) {
      expect(cached[i].terms).toEqual(fresh[i].terms);
      expect(cached[i].tf).toEqual(fresh[i].tf);
      expect(cached[i].entities).toEqual(fresh[i].entities);
      expect([...cached[i].sketch]).toEqual([...fresh[i].sketch]);
    }
    // Another pipeline fingerprint: nothing is trusted.
    expect(LogStore.open(file, { store: 't', version: 1, code: 'other' }).size).toBe(0);
  });

  it('groups from cached docs exactly as from scratch', async () => {
    const file = path.join(dir, 'groups.log');
    const store = LogStore.open(file, { store: 't', version: 1, code: 'p' });
    grouped(articles, withStoredDocs(store, clusterDocs()).docOf);
    await store.save();
    const fromCache = withStoredDocs(LogStore.open(file, { store: 't', version: 1, code: 'p' }), clusterDocs());
    const cachedRun = grouped(articles, fromCache.docOf);
    expect(fromCache.stats.misses).toBe(0);
    expect(asJson(cachedRun)).toBe(asJson(grouped(articles)));
  });

  it('keys on the text clustering reads, and forgets articles that are gone', async () => {
    const a = articles[0];
    expect(docKey({ ...a, source: 'Elsewhere', raw: 'x.md' })).toBe(docKey(a));
    expect(docKey({ ...a, title: `${a.title} updated` })).not.toBe(docKey(a));
    expect(docKey({ ...a, body: a.body.slice(1) })).not.toBe(docKey(a));
    const file = path.join(dir, 'forget.log');
    const store = LogStore.open(file, { store: 't', version: 1, code: 'p' });
    articles.forEach(withStoredDocs(store, clusterDocs()).docOf);
    await store.save();
    const again = LogStore.open(file, { store: 't', version: 1, code: 'p' });
    const next = withStoredDocs(again, clusterDocs());
    articles.slice(1).forEach(next.docOf);
    expect(next.finish()).toBe(true);
    await again.save();
    expect(new Set(LogStore.open(file, { store: 't', version: 1, code: 'p' }).keys())).toEqual(new Set(articles.slice(1).map(docKey)));
  });

  it('after a drop-in, the ingest reads the words of the new article only', async () => {
    const out = path.join(dir, 'content');
    const files = listRawFiles(raw).files;
    const held = files[files.length - 1];
    const part = path.join(dir, 'raw-part');
    await cp(raw, part, { recursive: true });
    await rm(path.join(part, held.raw));
    await runIngest({ raw: part, out });
    const before = storedKeys(await readFile(statePath(out, 'docCache'), 'utf8'));
    await mkdir(path.dirname(path.join(part, held.raw)), { recursive: true });
    await cp(path.join(raw, held.raw), path.join(part, held.raw));
    const result = await runIngest({ raw: part, out });
    const after = storedKeys(await readFile(statePath(out, 'docCache'), 'utf8'));
    const added = [...after].filter((k) => !before.has(k));
    const newArticles = result.articles.filter((a) => a.raw === held.raw);
    expect(newArticles.length).toBeGreaterThan(0);
    // Only the new article's doc was computed (repeated-line removal may also change a few
    // same-outlet articles' text, and with it their key).
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(added.length).toBeLessThanOrEqual(newArticles.length + 3);
  }, 120_000);
});
