/**
 * The build's cache of parsed content files (src/lib/store/content-cache.ts):
 * the same data, ids and texts as parsing every file, and after a rewrite only
 * that file is parsed again.
 */
import { describe, expect, it } from 'vitest';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeCorpus } from '../scripts/bench/corpus';
import { contentCachePath, readContentCached } from '../src/lib/store/content-cache';
import { runIngest } from '../src/lib/build/ingest-fs';
import { readBodies, readContent } from '../src/lib/site/site-index';
import { sha256 } from '../src/lib/store/fingerprint';
import { scratch } from './helpers/tree';

describe('parsed content cache', () => {
  it('gives what parsing every file gives, and re-parses only rewritten files', async () => {
    const dir = await scratch('newsfold-content-cache-');
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'content');
    await makeCorpus({ articles: 30, seed: 5, outDir: raw, from: 'bundled' });
    await runIngest({ raw, out });

    const plain = await readContent(out);
    const first = await readContentCached(out);
    const second = await readContentCached(out);
    for (const cached of [first, second]) {
      expect(cached.articles.map((a) => [a.id, a.file, a.data, a.text, a.body])).toEqual(plain.articles.map((a) => [a.id, a.file, a.data, a.text, a.body]));
      expect(cached.stories.map((s) => [s.id, s.file, s.data, s.text])).toEqual(plain.stories.map((s) => [s.id, s.file, s.data, s.text]));
      for (const a of cached.articles) expect(a.hash).toBe(sha256(a.text));
    }
    // Bodies for the search index, read without a YAML parser: exactly gray-matter's.
    const bodies = await readBodies(out);
    expect([...bodies]).toEqual(plain.articles.map((a) => [a.id, a.body]));

    // A header line, then one line per file.
    const stored = (await readFile(contentCachePath(out), 'utf8')).split('\n').slice(1, -1);
    expect(stored).toHaveLength(plain.articles.length + plain.stories.length);

    // A rewrite (through a rename, as the ingest writes) is seen and parsed again.
    const target = plain.articles[0];
    const file = path.join(out, 'articles', target.file);
    const edited = target.text.replace(/^title: .*$/m, 'title: A rewritten headline');
    await writeFile(`${file}.tmp`, edited);
    await rename(`${file}.tmp`, file);
    const third = await readContentCached(out);
    expect(third.articles[0].data.title).toBe('A rewritten headline');
    expect(third.articles[0].hash).toBe(sha256(edited));
    expect(third.articles.slice(1).map((a) => a.data)).toEqual(plain.articles.slice(1).map((a) => a.data));
    // Appended: the other lines are as they were.
    const after = (await readFile(contentCachePath(out), 'utf8')).split('\n').slice(1, -1);
    expect(after.slice(0, stored.length)).toEqual(stored);
    expect(after).toHaveLength(stored.length + 1);
    const fourth = await readContentCached(out);
    expect(fourth.articles.map((a) => a.data)).toEqual(third.articles.map((a) => a.data));
  }, 120_000);
});
