/**
 * The chunked index (src/lib/search/chunks.ts, format.ts, keys.ts) on a
 * generated archive large enough for many chunks: numbers round-trip, the
 * layout is deterministic, every story, article and word is reachable from
 * the manifest, a typo in a word's first letters still meets it through the
 * dictionary keys, and an update rewrites only the files its stories touch.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../scripts/bench/corpus';
import type { StoryRecord } from '../src/lib/search/build';
import { changedFiles, chunkSearchIndex, type SearchFiles } from '../src/lib/search/chunks';
import { lookupKeys, wordKeys } from '../src/lib/search/keys';
import { openSearcher } from '../src/lib/search/search';
import { filesSource } from '../src/lib/search/source';
import { stageSearchIndex, textHash, writeSearchIndex } from '../src/lib/search/write-fs';
import { STOPWORDS, terms, withinOneEdit } from '../src/lib/search/text';
import {
  bucketOf,
  bucketPath,
  chunkIndex,
  chunkPath,
  decodeAscending,
  encodeAscending,
  fragmentPath,
  frequencyClass,
  outletPath,
  storyNumbers,
  type DictionaryBucket,
  type OutletChunk,
  type SearchManifest,
  type StoryFragment,
  type TermChunk,
} from '../src/lib/search/format';

/** A made-up archive: pseudo-words drawn with a Zipf-like skew, so some words are in many stories and most in few. */
function archive(stories: number, seed = 16): StoryRecord[] {
  const rng = mulberry32(seed);
  const syllables = ['ka', 'lo', 'mi', 'ter', 'van', 'sor', 'bel', 'qu', 'ix', 'dra', 'pen', 'ul', 'ost', 'rha', 'zim', 'ne', 'cor', 'ga'];
  const words = Array.from({ length: 3000 }, (_, i) => {
    let w = '';
    for (let k = 0, n = 2 + (i % 3); k < n; k++) w += syllables[Math.floor(rng() * syllables.length)];
    return w + (i % 7 === 0 ? String(i % 50) : '');
  });
  const word = () => words[Math.floor(words.length * rng() ** 2.5)];
  const text = (n: number) => Array.from({ length: n }, word).join(' ');
  const outlets = Array.from({ length: 30 }, (_, i) => `The ${words[i * 17]} ${['Times', 'Post', 'Herald'][i % 3]}`);
  const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 4) * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: stories }, (_, i) => {
    const headline = text(6 + (i % 5));
    const articles = Array.from({ length: 1 + (i % 4) }, (_, k) => ({
      id: `a${i}-${k}`,
      title: k === 1 ? text(7) : headline,
      outlet: outlets[(i * 7 + k * 3) % outlets.length],
      date: i % 50 === 49 ? '' : day(i),
    }));
    return {
      id: `story-${i}`,
      headline,
      terms: Array.from(new Set(text(10).split(' '))),
      snippet: `${text(14)}.`,
      date: i % 50 === 49 ? '' : day(i),
      outlets: [...new Set(articles.map((a) => a.outlet))],
      articles,
    };
  });
}

const parsed = new WeakMap<SearchFiles, Map<string, unknown>>();
/** A file of the index, parsed (once per index and path). */
function parse<T>(files: SearchFiles, path: string): T {
  let memo = parsed.get(files);
  if (!memo) parsed.set(files, (memo = new Map()));
  if (!memo.has(path)) memo.set(path, JSON.parse(files.get(path)!));
  return memo.get(path) as T;
}
const indexWords = (text: string) => terms(text).filter((w) => !STOPWORDS.has(w));

/** Each story's number, as the index gives it, by story id. */
function numbering(records: StoryRecord[]): Map<string, number> {
  const nums = storyNumbers(records.map((r) => ({ id: r.id, date: r.date })));
  return new Map(records.map((r, i) => [r.id, nums[i]]));
}

describe('numbers', () => {
  it('round-trip as text, large and small, with no character JSON must escape', () => {
    const values = [0, 1, 44, 45, 46, 2024, 4095, 4096, 123_456_789, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    const text = encodeAscending(values);
    expect(text).toMatch(/^[#-[\]-~]*$/);
    expect(JSON.stringify(text)).toBe(`"${text}"`);
    const out = new Float64Array(values.length);
    expect(decodeAscending(text, out)).toBe(values.length);
    expect([...out]).toEqual(values);
  });

  it('number stories by date, undated first, and keep a story’s number when others come and go', () => {
    const stories = [
      { id: 'b', date: '2024-05-02' },
      { id: 'a', date: '2024-05-01' },
      { id: 'c', date: null },
      { id: 'd', date: '2024-05-02' },
    ];
    const n = storyNumbers(stories);
    expect(new Set(n).size).toBe(4);
    expect(n[2]).toBeLessThan(n[1]);
    expect(n[1]).toBeLessThan(n[0]);
    expect(n[1]).toBeLessThan(n[3]);
    const more = storyNumbers([...stories, { id: 'e', date: '2024-05-02' }, { id: 'f', date: '1999-01-01' }]);
    expect(more.slice(0, 4)).toEqual(n);
    // Two stories whose ids hash to the same slot of a day: both numbered, in id order.
    const same = storyNumbers(Array.from({ length: 5000 }, (_, i) => ({ id: `x${i}`, date: '2024-01-01' })));
    expect(new Set(same).size).toBe(5000);
  });
});

describe('dictionary keys', () => {
  it('put every word within one edit (keeping the first letter, or swapping the first two) under a key the typo looks up', () => {
    const rng = mulberry32(3);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const random = () => Array.from({ length: 4 + Math.floor(rng() * 8) }, () => letters[Math.floor(rng() * 26)]).join('');
    let checked = 0;
    for (let n = 0; n < 3000; n++) {
      const word = random();
      const i = Math.floor(rng() * word.length);
      const c = letters[Math.floor(rng() * 26)];
      const edits = [
        word.slice(0, i) + word.slice(i + 1),
        word.slice(0, i) + c + word.slice(i),
        word.slice(0, i) + c + word.slice(i + 1),
        i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word,
      ];
      for (const typo of edits) {
        if (typo.length < 4 || (typo[0] !== word[0] && typo[1] !== word[0])) continue;
        if (withinOneEdit(typo, word) > 1) continue;
        const filed = new Set(wordKeys(word));
        expect(lookupKeys(typo, true).some((k) => filed.has(k)), `${typo} -> ${word}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(8000);
  });
});

describe('the chunked index of a generated archive', () => {
  const records = archive(600);
  const files = chunkSearchIndex(records);
  const manifest = parse<SearchManifest>(files, 'manifest.json');

  it('has many small files: term chunks, dictionary buckets, one fragment per story', () => {
    const count = (dir: string) => [...files.keys()].filter((p) => p.startsWith(`${dir}/`)).length;
    expect(manifest.chunks.length).toBeGreaterThan(20);
    expect(count('t')).toBe(manifest.chunks.length);
    expect(manifest.buckets).toBeGreaterThan(8);
    expect(count('r')).toBe(records.length);
    expect(manifest.stories).toBe(records.length);
    for (const [p, text] of files) if (p.startsWith('t/')) expect(text.length, p).toBeLessThan(16_384);
  });

  it('is byte-identical from the same records in any order', () => {
    const again = chunkSearchIndex([...records].reverse());
    expect([...again]).toEqual([...files]);
  });

  it('reaches every story, article, word and outlet from the manifest', () => {
    const numbers = numbering(records);
    const vocabulary = new Set<string>();
    const missing: string[] = [];
    // Decoded once per word: the stories the index says it is in, and whether its own key lists it.
    const seen = new Map<string, { stories: Set<number>; filed: boolean }>();
    const lookup = (w: string) => {
      let got = seen.get(w);
      if (got) return got;
      const chunk = parse<TermChunk>(files, chunkPath(manifest.chunks[chunkIndex(manifest.chunks, w)]));
      const at = chunk.w.indexOf(w);
      const stories = new Float64Array(at < 0 ? 0 : chunk.m[at].length);
      if (at >= 0) decodeAscending(chunk.p[at], stories);
      const key = lookupKeys(w, false)[0];
      const bucket = parse<DictionaryBucket>(files, bucketPath(bucketOf(key, manifest.buckets)));
      got = { stories: new Set(stories), filed: (bucket[key] ?? '').split(' ').includes(`${w}:${frequencyClass(stories.length)}`) };
      seen.set(w, got);
      return got;
    };
    for (const r of records) {
      const n = numbers.get(r.id)!;
      const f = parse<StoryFragment>(files, fragmentPath(n));
      if (f.id !== r.id || f.a.map((a) => a[0]).join() !== r.articles.map((a) => a.id).join()) missing.push(`fragment of ${r.id}`);
      // Outlet names are not in the term chunks: the outlet chunks below have their stories.
      const words = new Set([r.headline, r.terms.join(' '), r.snippet, ...r.articles.map((a) => a.title)].flatMap(indexWords));
      for (const w of words) {
        vocabulary.add(w);
        // The chunk the manifest names holds the word, its postings hold this story, and the dictionary lists it with its class.
        const got = lookup(w);
        if (!got.stories.has(n)) missing.push(`${w} -> ${r.id}`);
        if (!got.filed) missing.push(`${w} in the dictionary`);
      }
      for (const o of new Set([...r.outlets, ...r.articles.map((a) => a.outlet)])) {
        const list = parse<OutletChunk>(files, outletPath(o))[o];
        const out = new Float64Array(list.length);
        if (![...out.subarray(0, decodeAscending(list, out))].includes(n)) missing.push(`${r.id} in ${o}`);
      }
    }
    expect(missing).toEqual([]);
    // Every chunk's words are the vocabulary, in order, each once.
    const inChunks = manifest.chunks.flatMap((first) => parse<TermChunk>(files, chunkPath(first)).w);
    expect(inChunks).toEqual([...vocabulary].sort());
  });

  it('finds each story by its own headline, and a headline with a typo in its rarest word', async () => {
    const searcher = await openSearcher(filesSource(files));
    let found = 0;
    let typoFound = 0;
    const sample = records.filter((_, i) => i % 6 === 0);
    for (const r of sample) {
      const { hits } = await searcher.search(r.headline, { limit: 10 });
      if (hits.some((h) => h.kind === 'story' && h.id === r.id)) found++;
      const words = r.headline.split(' ');
      const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
      const typo = longest.slice(0, 2) + longest[3] + longest[2] + longest.slice(4);
      const typed = await searcher.search(words.map((w) => (w === longest ? typo : w)).join(' '), { limit: 10 });
      if (typed.hits.some((h) => h.kind === 'story' && h.id === r.id)) typoFound++;
    }
    expect(found).toBe(sample.length);
    expect(typoFound / sample.length).toBeGreaterThan(0.95);
  });

  it('answers each query the same whatever was asked before: what it keeps between queries changes nothing', async () => {
    const kept = await openSearcher(filesSource(files));
    const rng = mulberry32(11);
    // Words of headlines and of outlet names (which are also words of the archive), typed letter by letter.
    const pool = [...new Set(records.flatMap((r) => [...indexWords(r.headline), ...r.outlets.flatMap(indexWords)]))];
    const queries: string[] = [];
    for (let i = 0; i < 25; i++) {
      const words = [pool[Math.floor(rng() * pool.length)], pool[Math.floor(rng() * pool.length)]];
      const q = `${words[0]} ${words[1]}`;
      for (let k = words[0].length + 2; k <= q.length; k += 2) queries.push(q.slice(0, k));
    }
    const differ: string[] = [];
    for (const q of queries) {
      const a = (await kept.search(q, { limit: 6 })).hits.map((h) => h.id);
      const b = (await (await openSearcher(filesSource(files))).search(q, { limit: 6 })).hits.map((h) => h.id);
      if (a.join() !== b.join()) differ.push(q);
    }
    expect(queries.length).toBeGreaterThan(50);
    expect(differ).toEqual([]);
  });

  it('rewrites only the files an update touches', () => {
    // A drop-in: one more article in an existing story (its last date moves on), one new story.
    const numbers = numbering(records);
    const grown = records.map((r) => structuredClone(r));
    const target = grown[300];
    target.articles.push({ id: 'a300-new', title: 'Kalo mitervan sorbel update', outlet: 'Fresh Desk', date: '2024-12-30' });
    target.outlets.push('Fresh Desk');
    target.date = '2024-12-30';
    const added: StoryRecord = {
      id: 'story-new',
      headline: 'Drapenul ostrha zimne corga',
      terms: ['kalo', 'vanter'],
      snippet: 'Something new.',
      date: '2024-12-31',
      outlets: ['Fresh Desk'],
      articles: [{ id: 'a-new', title: 'Drapenul ostrha zimne corga', outlet: 'Fresh Desk', date: '2024-12-31' }],
    };
    const after = chunkSearchIndex([...grown, added]);
    const { written, removed } = changedFiles(files, after);

    // What may change: the two stories' fragments (the grown one's under its old and new numbers), the term
    // chunks of their words (before and after), dictionary buckets of keys whose words or classes changed,
    // the outlet chunks of their outlets, and the manifest.
    const newNumbers = numbering([...grown, added]);
    const touched = [records[300], target, added];
    const allowed = new Set<string>(['manifest.json', fragmentPath(numbers.get(target.id)!), fragmentPath(newNumbers.get(target.id)!), fragmentPath(newNumbers.get(added.id)!)]);
    const newManifest = parse<SearchManifest>(after, 'manifest.json');
    for (const r of touched) {
      const words = new Set([r.headline, r.terms.join(' '), r.snippet, ...r.outlets, ...r.articles.flatMap((a) => [a.title, a.outlet])].flatMap(indexWords));
      for (const w of words) {
        for (const m of [manifest, newManifest]) {
          const c = chunkIndex(m.chunks, w);
          if (c >= 0) allowed.add(chunkPath(m.chunks[c]));
          // A chunk boundary near a changed word may move: its neighbours too.
          if (c + 1 < m.chunks.length) allowed.add(chunkPath(m.chunks[c + 1]));
        }
        for (const k of [...wordKeys(w), w.slice(0, 2)]) allowed.add(bucketPath(bucketOf(k, manifest.buckets)));
      }
      for (const o of [...r.outlets, ...r.articles.map((a) => a.outlet)]) allowed.add(outletPath(o));
    }
    const unexpected = [...written, ...removed].filter((p) => !allowed.has(p));
    console.log(`update: ${written.length} of ${after.size} files written, ${removed.length} removed`);
    expect(unexpected).toEqual([]);
    // A few percent of the index, not all of it.
    expect(written.length + removed.length).toBeLessThan(files.size * 0.15);
    expect(written).toContain(fragmentPath(newNumbers.get(added.id)!));
    expect(written).toContain('manifest.json');
  });

  it('stages only the changed files beside a live site, and names the stale ones: laid in, they are the new index', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-stage-'));
    try {
      const live = path.join(dir, 'dist');
      const stage = path.join(dir, 'stage');
      await writeSearchIndex(live, files);
      // The one-file index of earlier versions, left in a dist/ built before the chunked index.
      await writeFile(path.join(live, 'search-index.json'), '{}');
      // An update: three stories gone, one headline changed.
      const next = records.slice(3).map((r, i) => (i === 100 ? { ...r, headline: `${r.headline} dravan` } : r));
      const after = chunkSearchIndex(next);
      const staged = await stageSearchIndex(stage, live, after);
      const expected = changedFiles(files, after);
      // The same from the live files' recorded hashes (a build's manifest), without reading them back.
      const byHash = await stageSearchIndex(path.join(dir, 'stage-by-hash'), live, after, new Map([...files].map(([rel, text]) => [rel, textHash(text)])));
      expect(byHash.written).toBe(staged.written);
      expect(byHash.stale).toEqual(staged.stale);
      // Every file under root, as paths relative to it.
      const tree = async (root: string, rel = ''): Promise<string[]> => {
        const out: string[] = [];
        for (const e of await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => [])) {
          const p = rel ? `${rel}/${e.name}` : e.name;
          out.push(...(e.isDirectory() ? await tree(root, p) : [p]));
        }
        return out;
      };
      const stagedFiles = (await tree(stage)).sort();
      expect(stagedFiles).toEqual(expected.written.map((p) => `search-index/${p}`).sort());
      expect(staged.stale).toEqual([...expected.removed.map((p) => `search-index/${p}`), 'search-index.json'].sort());
      expect(staged.written).toBeLessThan(after.size * 0.2);
      // The live site is not touched until the caller lays the stage in: moves (manifest last), then deletes.
      expect(await readFile(path.join(live, 'search-index/manifest.json'), 'utf8')).toBe(files.get('manifest.json'));
      for (const rel of stagedFiles.sort((a, b) => Number(a.endsWith('manifest.json')) - Number(b.endsWith('manifest.json')))) {
        await mkdir(path.dirname(path.join(live, rel)), { recursive: true });
        await rename(path.join(stage, rel), path.join(live, rel));
      }
      for (const rel of staged.stale) await rm(path.join(live, rel));
      const laid = new Map<string, string>();
      for (const rel of await tree(path.join(live, 'search-index'))) laid.set(rel, await readFile(path.join(live, 'search-index', rel), 'utf8'));
      expect(new Map([...laid].sort())).toEqual(new Map([...after].sort()));
      expect(await tree(live)).not.toContain('search-index.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
