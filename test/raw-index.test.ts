/**
 * The drop folder's stat index (store/raw-index.ts, read through
 * build/read-fs.ts `readWithIndex`): a file whose stat is unchanged and
 * settled is not read again, and any write to a file (even one that keeps its
 * size and puts its mtime back) is read again, as is a file written just
 * before it was last read.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultReadOptions, listRawFiles, readWithIndex } from '../src/lib/build/read-fs';
import { openStore } from '../src/lib/store/log-store';
import { sha256 } from '../src/lib/store/fingerprint';
import { rawShard, shardEntryOf } from '../src/lib/store/raw-index';
import { shardSignature } from '../src/lib/store/shard-memo';
import { shardOf } from '../src/lib/ingest/describe/ids';
import type { RawFile } from '../src/lib/ingest/types';
import { scratch } from './helpers/tree';

/** A file read on demand holds no bytes of its own until asked (read-fs.ts LazyRawFile: a getter on its class). */
const isLazy = (f: RawFile) => !Object.prototype.hasOwnProperty.call(f, 'bytes');

describe('raw stat index', () => {
  it('trusts settled stats only, and re-reads any rewritten file', async () => {
    const dir = await scratch('newsfold-raw-index-');
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'out');
    await mkdir(raw, { recursive: true });
    await writeFile(path.join(raw, 'a.md'), 'first text');
    await writeFile(path.join(raw, 'b.md'), 'other text');
    const later = Date.now() + 60_000;
    /** One run: open the index as the ingest does, read the folder, save. */
    const run = async (now?: number) => {
      const index = openStore(out, 'rawIndex', '', { retain: true });
      const read = readWithIndex(listRawFiles(raw).files, index, defaultReadOptions, now);
      const changed = index.changed;
      await index.save();
      return { read, changed };
    };

    // Just written: read, hashed, but not trusted next time.
    let { read } = await run();
    expect(read.hashes.get('a.md')).toBe(sha256('first text'));
    ({ read } = await run());
    expect(read.files.some(isLazy)).toBe(false);

    // Read a minute later (the clock passed in): settled, so trusted from now on.
    await run(later);
    ({ read } = await run(later));
    expect(read.files.every(isLazy)).toBe(true);
    expect(read.hashes.get('a.md')).toBe(sha256('first text'));
    // A lazy file still gives its bytes when asked.
    expect(Buffer.from(read.files[0].bytes).toString()).toBe('first text');
    // Nothing changed: the index is left alone.
    expect((await run(later)).changed).toBe(false);

    // Same size, mtime put back: the ctime still moved, so the file is read again.
    const before = await stat(path.join(raw, 'a.md'));
    await writeFile(path.join(raw, 'a.md'), 'FIRST TEXT');
    await utimes(path.join(raw, 'a.md'), before.atime, before.mtime);
    ({ read } = await run(later));
    expect(read.hashes.get('a.md')).toBe(sha256('FIRST TEXT'));
    expect(isLazy(read.files.find((f) => f.raw === 'a.md')!)).toBe(false);
    expect(isLazy(read.files.find((f) => f.raw === 'b.md')!)).toBe(true);

    // A file gone leaves the index (kept by folder: the top folder's entry names a.md alone).
    await rm(path.join(raw, 'b.md'));
    expect((await run(later)).changed).toBe(true);
    const index = openStore(out, 'rawIndex', '', { retain: true });
    expect([...index.keys()]).toEqual(['']);
    expect(shardEntryOf(index, '')!.files.map(([name]) => name)).toEqual(['a.md']);
  });

  it('vouches for an unchanged folder whole, and compares a changed one file by file', async () => {
    const dir = await scratch('newsfold-raw-index-folders-');
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'out');
    for (const folder of ['2025-01', '2025-02']) await mkdir(path.join(raw, folder), { recursive: true });
    const texts: Record<string, string> = { '2025-01/a.md': 'a', '2025-01/b.md': 'b', '2025-02/c.md': 'c', 'top.md': 'top', 'z.md': 'z' };
    for (const [name, text] of Object.entries(texts)) await writeFile(path.join(raw, name), text);
    const later = Date.now() + 60_000;
    const run = async () => {
      const index = openStore(out, 'rawIndex', '', { retain: true });
      const read = readWithIndex(listRawFiles(raw).files, index, defaultReadOptions, later);
      const changed = index.changed;
      await index.save();
      return { read, changed };
    };
    const first = (await run()).read;
    // The listing's order, whatever the folders: a file at the top between two folders stays there.
    expect(first.files.map((f) => f.raw)).toEqual(['2025-01/a.md', '2025-01/b.md', '2025-02/c.md', 'top.md', 'z.md']);
    const lines = (names: string[]) => names.map((n) => `${n}\0${sha256(texts[n])}`);
    expect(first.hashes.signature('2025-01')).toBe(shardSignature(lines(['2025-01/a.md', '2025-01/b.md'])));
    expect(first.hashes.signature('')).toBe(shardSignature(lines(['top.md', 'z.md'])));

    // Nothing changed: every folder vouched for, nothing read, the same hashes and signatures.
    const { read: again, changed } = await run();
    expect(changed).toBe(false);
    expect(again.files.every(isLazy)).toBe(true);
    expect(again.files.map((f) => f.raw)).toEqual(first.files.map((f) => f.raw));
    for (const s of ['2025-01', '2025-02', '']) expect(again.hashes.signature(s)).toBe(first.hashes.signature(s));
    for (const name of Object.keys(texts)) expect(again.hashes.get(name)).toBe(sha256(texts[name]));

    // One file added to a folder: that folder's new file is read, the rest of it and the other folders are not.
    texts['2025-02/d.md'] = 'd';
    await writeFile(path.join(raw, '2025-02/d.md'), 'd');
    const { read: dropped } = await run();
    expect(dropped.files.filter((f) => !isLazy(f)).map((f) => f.raw)).toEqual(['2025-02/d.md']);
    expect(dropped.hashes.signature('2025-02')).toBe(shardSignature(lines(['2025-02/c.md', '2025-02/d.md'])));
    expect(dropped.hashes.signature('2025-01')).toBe(first.hashes.signature('2025-01'));
    expect(dropped.hashes.get('2025-01/b.md')).toBe(sha256('b'));

    // A folder gone leaves the index.
    await rm(path.join(raw, '2025-01'), { recursive: true });
    await run();
    expect([...openStore(out, 'rawIndex', '', { retain: true }).keys()].sort()).toEqual(['', '2025-02']);
  });

  it('shards raw paths as the ingest does (describe/ids.ts shardOf)', () => {
    for (const raw of ['a.md', '2025-01/a.md', '2025-01/x/y.md', 'u/2025-07-20/z.html']) expect(rawShard(raw)).toBe(shardOf(raw));
  });
});
