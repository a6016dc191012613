/**
 * A kept index updated for the records that changed (src/lib/search/update.ts)
 * is byte for byte the index chunkSearchIndex makes from every record: over
 * random runs of added, removed, edited, re-dated and retitled records, with
 * chunk sizes small enough that words move between chunks and chunks split
 * and merge, outlets and dictionary words come and go.
 */
import { describe, expect, it } from 'vitest';
import type { StoryRecord } from '../src/lib/search/build';
import { chunkSearchIndex, recordKey, type ChunkOptions, type SearchFiles } from '../src/lib/search/chunks';
import { storyNumbers } from '../src/lib/search/format';
import { IndexStateError, updateSearchIndex, type RecordChange } from '../src/lib/search/update';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'qu', 'bra', 'stel'];

function records(seed: number) {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  // A small vocabulary, so words are shared, and cross frequency classes, as records come and go.
  const vocabulary = Array.from({ length: 160 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(SYLLABLES)).join(''));
  const outlets = ['Daily Ka', 'Lo Times', 'Mi News', 'Ne Post', 'Ru Herald', 'Sa Wire', 'To Today'];
  const words = (n: number) => Array.from({ length: n }, () => pick(vocabulary)).join(' ');
  const date = () => (rand() < 0.1 ? '' : `2025-0${1 + Math.floor(rand() * 3)}-1${Math.floor(rand() * 10)}`);
  let next = 0;
  const article = (story: string, headline: string) => {
    const id = `a${next++}`;
    return { id, title: rand() < 0.5 ? headline : rand() < 0.1 ? ' ' : words(4), outlet: pick(outlets), date: date() };
  };
  const record = (): StoryRecord => {
    if (rand() < 0.1) {
      // An article without a story: a record of its own.
      const a = article('', '');
      return { id: '', headline: '', terms: [], snippet: '', date: a.date, outlets: [a.outlet], articles: [a] };
    }
    const id = `s${next++}`;
    const headline = words(3 + Math.floor(rand() * 4));
    const articles = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => article(id, headline)).sort((a, b) => (a.id < b.id ? -1 : 1));
    return {
      id,
      headline,
      terms: [...new Set(words(5).split(' '))].sort(),
      snippet: rand() < 0.3 ? '' : words(6),
      date: articles.map((a) => a.date).sort().pop() ?? '',
      outlets: [...new Set(articles.map((a) => a.outlet))],
      articles,
    };
  };
  const edit = (r: StoryRecord): StoryRecord => {
    const what = rand();
    if (what < 0.3) return { ...r, terms: [...new Set(words(5).split(' '))].sort() };
    if (what < 0.5) return { ...r, date: date() };
    if (what < 0.7 && r.id) return { ...r, headline: words(4) };
    if (what < 0.85 && r.id) return { ...r, articles: [...r.articles, article(r.id, r.headline)].sort((a, b) => (a.id < b.id ? -1 : 1)) };
    return { ...r, outlets: [pick(outlets)], snippet: words(3) };
  };
  return { rand, record, edit };
}

/** What a build hands updateSearchIndex: the changed records against the old ones, by their numbers. */
function changesBetween(before: readonly StoryRecord[], after: readonly StoryRecord[]): RecordChange[] {
  const number = (rs: readonly StoryRecord[]) => {
    const nums = storyNumbers(rs.map((r) => ({ id: recordKey(r), date: r.date })));
    return new Map(rs.map((r, i) => [recordKey(r), { num: nums[i], text: JSON.stringify(r) }]));
  };
  const old = number(before);
  const now = number(after);
  const changes: RecordChange[] = [];
  for (const r of after) {
    const key = recordKey(r);
    const was = old.get(key);
    const is = now.get(key)!;
    if (was && was.num === is.num && was.text === is.text) continue;
    changes.push({ before: was?.num ?? null, after: { num: is.num, record: r } });
  }
  for (const [key, was] of old) if (!now.has(key)) changes.push({ before: was.num, after: null });
  return changes;
}

function applyUpdate(files: SearchFiles, update: { written: Map<string, string>; removed: string[] }): SearchFiles {
  const out = new Map(files);
  for (const path of update.removed) out.delete(path);
  for (const [path, text] of update.written) out.set(path, text);
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

describe('search index update', () => {
  const sizes: Array<[string, Partial<ChunkOptions>]> = [
    ['small chunks and buckets', { chunkMin: 120, cutEvery: 4, chunkMax: 400, bigWord: 300, bucketBytes: 200 }],
    ['the default sizes', {}],
  ];
  for (const [name, options] of sizes) {
    it(`updates to what a cold build makes, after random adds, removes and edits (${name})`, () => {
      for (const seed of [1, 2, 3]) {
        const { rand, record, edit } = records(seed);
        let current = Array.from({ length: 40 }, record);
        let files = chunkSearchIndex(current, options);
        let rewritten = 0;
        for (let step = 0; step < 30; step++) {
          const next = [...current];
          const n = 1 + Math.floor(rand() * 4);
          for (let k = 0; k < n; k++) {
            const r = rand();
            if (r < 0.4) next.push(record());
            else if (r < 0.6 && next.length > 1) next.splice(Math.floor(rand() * next.length), 1);
            else {
              const i = Math.floor(rand() * next.length);
              next[i] = edit(next[i]);
            }
          }
          const cold = chunkSearchIndex(next, options);
          const update = updateSearchIndex((p) => files.get(p), changesBetween(current, next), next.length, options);
          const updated = applyUpdate(files, update);
          expect([...updated.keys()]).toEqual([...cold.keys()]);
          for (const [path, text] of cold) expect(updated.get(path), path).toBe(text);
          // Only what changed is written.
          for (const [path, text] of update.written) expect(files.get(path)).not.toBe(text);
          rewritten += update.written.size;
          current = next;
          files = cold;
        }
        // A drop-in rewrites a few files, not the index.
        expect(rewritten / 30).toBeLessThan(files.size / 2);
      }
    });
  }

  it('updates an empty index, and empties one', () => {
    const { record } = records(9);
    const some = Array.from({ length: 12 }, record);
    const empty = chunkSearchIndex([]);
    const filled = applyUpdate(empty, updateSearchIndex((p) => empty.get(p), changesBetween([], some), some.length));
    expect([...filled]).toEqual([...chunkSearchIndex(some)]);
    const emptied = applyUpdate(filled, updateSearchIndex((p) => filled.get(p), changesBetween(some, []), 0));
    expect([...emptied]).toEqual([...empty]);
  });

  it('says so when the kept index lacks a file it needs, rather than guessing', () => {
    const { record } = records(4);
    const some = Array.from({ length: 10 }, record);
    const files = chunkSearchIndex(some);
    const gone = [...files.keys()].find((p) => p.startsWith('t/'))!;
    const next = [...some, record()];
    expect(() => updateSearchIndex((p) => (p === gone ? undefined : files.get(p)), changesBetween(some, next), next.length)).toThrow(IndexStateError);
  });
});
