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
      const index = openStore(out, 'rawIndex', '');
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

    // A file gone leaves the index.
    await rm(path.join(raw, 'b.md'));
    expect((await run(later)).changed).toBe(true);
    expect([...openStore(out, 'rawIndex', '').keys()]).toEqual(['a.md']);
  });
});
