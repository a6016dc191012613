/**
 * A drop-in's search index from its changes alone (src/lib/store/search-follow.ts):
 * after every random drop-in (articles new, rewritten, deleted, moved between
 * stories; stories new, edited, gone; words crossing their weight's octaves)
 * the index files are byte for byte what a cold build files, whether the
 * changes were followed or the full path was taken; the changes are followed
 * whenever the content is tidy and the state agrees with where they start,
 * and never otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keptSearchIndex } from '../src/lib/store/search-kept';
import type { SearchChanges } from '../src/lib/store/search-follow';
import type { SearchIndexRun } from '../src/lib/store/search-terms';
import { textHash } from '../src/lib/search/write-fs';
import { sha256 } from '../src/lib/store/fingerprint';
import { buildSearchRecords, packTermStats } from '../src/lib/search/build';
import { TermParts } from '../src/lib/store/search-term-parts';
import { holds } from '../src/lib/store/search-terms';
import { chunkSearchIndex } from '../src/lib/search/chunks';
import { searchInputs } from '../src/lib/search/site-index';
import type { ArticleIndexEntry, StoryIndexEntry } from '../src/lib/site/site-index';

type Entry = ArticleIndexEntry | StoryIndexEntry;
type Art = { id: string; story: string; body: string; title: string; listed?: string };

const articleFile = (id: string, body: string) => `---\nid: ${id}\ntitle: "${id}"\n---\n${body}`;

/** The content of `arts` as the site half has it: entries by `<folder>/<file>`, the full path's input, the cold index. */
function contentOf(arts: Art[], headlines: Map<string, string>, dates: Map<string, string>) {
  const entries = new Map<string, Entry>();
  const texts = new Map<string, string>();
  for (const a of arts) {
    const file = `${a.id}.md`;
    const text = articleFile(a.id, a.body);
    texts.set(file, text);
    const article = { id: a.id, title: a.title, source: 'Outlet', date: dates.get(a.story) ?? '2025-01-02', excerpt: '', story: a.story };
    // The file holds its fields and its story: a change to any is a new hash.
    entries.set(`articles/${file}`, { id: a.id, file, hash: sha256(`${text}\n${JSON.stringify(article)}`), article });
  }
  const storyIds = [...new Set(arts.map((a) => a.story))].sort();
  for (const id of storyIds) {
    const story = {
      id,
      headline: headlines.get(id) ?? `Story ${id}`,
      dek: null,
      summary: [],
      sources: ['Outlet'],
      articles: arts.filter((a) => (a.listed ?? a.story) === id).map((a) => a.id),
      firstDate: dates.get(id) ?? '2025-01-02',
      lastDate: dates.get(id) ?? '2025-01-02',
      entities: [],
    };
    entries.set(`stories/${id}.json`, { id, file: `${id}.json`, hash: sha256(JSON.stringify(story)), story, nearMisses: [], reads: story.articles, mergedFrom: [], editLinks: [] });
  }
  const all = [...entries.values()];
  const articles = all.filter((e): e is ArticleIndexEntry => 'article' in e);
  const stories = all.filter((e): e is StoryIndexEntry => 'story' in e);
  const site = { stories: stories.map((s) => ({ ...s.story, related: [] })), articles: articles.map((a) => a.article) };
  const key = sha256([...entries].map(([k, e]) => `${k}\0${e.hash}`).join('\n'));
  const hashes = new Map(stories.map((s) => [s.id, s.hash]));
  const whole = () => ({
    input: { ...searchInputs(site), storyHash: (id: string) => hashes.get(id), named: true, content: key },
    texts: articles.map((a) => ({ id: a.id, hash: a.hash, text: texts.get(a.file)! })),
  });
  const bodies = new Map(arts.map((a) => [a.id, a.body]));
  const cold = chunkSearchIndex(buildSearchRecords({ ...searchInputs(site), articles: searchInputs(site).articles.map((a) => ({ ...a, body: bodies.get(a.id)! })) }));
  return { entries, texts, key, whole, cold, articles: articles.length, stories: stories.length };
}

const filesOf = (run: SearchIndexRun) => [...run.files.hashes].map(([p, hash]) => [p, hash, run.files.text(p)]);
const coldFiles = (files: Map<string, string>) => [...files].map(([p, text]) => [p, textHash(text), text]);

describe('keyword counts in parts', () => {
  it('finds every article whose saved counts hold a word by a byte search of the parts', async () => {
    const content = await mkdtemp(path.join(os.tmpdir(), 'newsfold-parts-'));
    try {
      const parts = new TermParts(content, 'code');
      const words = ['alpha', 'beta', 'gamma', 'delta', 'ümlaut', '12'];
      let seed = 5;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const counts = () => packTermStats({ tf: new Map(words.filter(() => rand() < 0.4).map((w) => [w, 1 + Math.floor(rand() * 12)])), caps: new Map() });
      const ids = Array.from({ length: 60 }, (_, i) => `2025-0${1 + (i % 3)}-${String(i).padStart(4, '0')}-x`);
      // Saved, rewritten (superseded lines stay in the log), some deleted, saved again.
      for (let round = 0; round < 3; round++) {
        for (const id of ids) if (round === 0 || rand() < 0.3) parts.put(id, counts(), { hash: `h${round}` });
        if (round === 2) for (const id of ids.slice(0, 10)) parts.delete(id);
        await parts.save();
      }
      const again = new TermParts(content, 'code');
      for (const w of words) {
        const holding = [...again.keys()].filter((id) => holds(again.held(id)!, w));
        const found = again.mayHold([w]);
        expect(holding.every((id) => found.has(id)), w).toBe(true);
        expect(holding.length, w).toBeGreaterThan(0);
      }
    } finally {
      await rm(content, { recursive: true, force: true });
    }
  });
});

describe('search index following a drop-in', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  for (const untidy of [false, true]) {
    it(`gives the cold build's files after every random drop-in${untidy ? ', stories sometimes listing an article that moved away' : ''}`, async () => {
      const content = await mkdtemp(path.join(os.tmpdir(), 'newsfold-follow-'));
      dirs.push(content);
      let seed = untidy ? 29 : 13;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      // A small vocabulary, so words' article counts cross stableIdf's octaves as articles come and go.
      const words = Array.from({ length: 90 }, (_, i) => `w${(i * 7919).toString(36)}x`);
      const body = () => Array.from({ length: 25 }, () => (rand() < 0.1 ? 'Harbour' : words[Math.floor(rand() ** 2 * words.length)])).join(' ') + '.';
      let arts: Art[] = Array.from({ length: 80 }, (_, i) => ({ id: `a${String(i).padStart(3, '0')}`, story: `s${i % 17}`, body: body(), title: `Title ${i}` }));
      const headlines = new Map<string, string>();
      const dates = new Map<string, string>();
      let prev = contentOf(arts, headlines, dates);
      const first = await keptSearchIndex(content, prev.whole);
      expect(filesOf(first)).toEqual(coldFiles(prev.cold));
      let followed = 0;
      let reweighedFollowed = 0;
      let tidySteps = 0;
      let lastTidy = true;
      for (let step = 0; step < 60; step++) {
        const r = rand();
        if (r < 0.35) arts.push({ id: `b${String(step).padStart(3, '0')}`, story: `s${Math.floor(rand() * 19)}`, body: body(), title: `New ${step}` });
        else if (r < 0.5) arts[Math.floor(rand() * arts.length)].body = body();
        else if (r < 0.6) arts.splice(Math.floor(rand() * arts.length), 1);
        else if (r < 0.75) {
          const moved = arts[Math.floor(rand() * arts.length)];
          if (untidy && rand() < 0.5) moved.listed ??= moved.story;
          // The ingest tidies up now and then: every story lists its own articles again.
          else if (untidy && rand() < 0.3) for (const a of arts) delete a.listed;
          moved.story = `s${Math.floor(rand() * 19)}`;
        } else if (r < 0.85) headlines.set(`s${Math.floor(rand() * 19)}`, `Edited ${step}`);
        else if (r < 0.95) dates.set(`s${Math.floor(rand() * 19)}`, `2025-01-0${1 + Math.floor(rand() * 9)}`);
        else arts[Math.floor(rand() * arts.length)].title = `Retitled ${step}`;
        arts = arts.map((a) => ({ ...a }));
        const next = contentOf(arts, headlines, dates);
        const files = [...new Set([...prev.entries.keys(), ...next.entries.keys()])].filter((k) => prev.entries.get(k)?.hash !== next.entries.get(k)?.hash);
        // Now and then the ingest cannot say where it started (another route): the full path.
        const from = rand() < 0.1 ? null : prev.key;
        const change: SearchChanges = {
          from,
          to: next.key,
          files,
          before: (k) => prev.entries.get(k),
          now: (k) => next.entries.get(k),
          articles: next.articles,
          stories: next.stories,
          text: (file) => next.texts.get(file)!,
        };
        const run = await keptSearchIndex(content, next.whole, change);
        expect(filesOf(run), `step ${step}`).toEqual(coldFiles(next.cold));
        const tidy = arts.every((a) => (a.listed ?? a.story) === a.story);
        if (run.unfollowed === null && run.reweighed) reweighedFollowed++;
        if (run.unfollowed === null) {
          followed++;
          // Followed only from a tidy content the state was made for.
          expect(from !== null && lastTidy).toBe(true);
        } else if (from !== null && lastTidy && tidy) tidySteps++;
        lastTidy = tidy;
        prev = next;
      }
      // A part of the counts lost: the state no longer agrees, and the full path gives the same files.
      await rm(path.join(content, '.newsfold/search-terms/x62.log'), { force: true });
      arts.push({ id: 'c000', story: 's1', body: body(), title: 'Last' });
      const last = contentOf(arts, headlines, dates);
      const files = [...last.entries.keys()].filter((k) => prev.entries.get(k)?.hash !== last.entries.get(k)?.hash);
      const lost = await keptSearchIndex(content, last.whole, { from: prev.key, to: last.key, files, before: (k) => prev.entries.get(k), now: (k) => last.entries.get(k), articles: last.articles, stories: last.stories, text: (f) => last.texts.get(f)! });
      expect(lost.unfollowed).not.toBeNull();
      expect(filesOf(lost)).toEqual(coldFiles(last.cold));
      // Words changed weight in followed drop-ins too (their stories found from every article's counts).
      expect(reweighedFollowed).toBeGreaterThan(0);
      if (untidy) expect(followed).toBeLessThan(60);
      else {
        // Tidy content: followed but for the ingest's other routes and the archive's doubling.
        expect(followed).toBeGreaterThan(40);
        expect(tidySteps).toBeLessThan(4);
      }
    });
  }
});
