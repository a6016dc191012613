/**
 * The drop folder's stat index, `<out>/.newsfold/raw-index.json`: each file's
 * size, mtime, ctime and inode with the SHA-256 of its bytes, so a rebuild
 * reads and hashes only the files whose stat changed (the way git's index
 * trusts a file's stat). At 10,000 files that is 42 MB not read or hashed.
 *
 * Why it is safe: any write to a file changes its ctime (which no tool can set
 * back) and a replacement changes its inode. A file written in the same clock
 * tick as it was read could still show the same stat with other bytes (git's
 * "racy" entries): an entry is trusted only if the file had been left alone
 * for a while (RACY_MS) before it was read; others are hashed again next time.
 * The index is only a cache: lost, corrupt or stale, it costs a re-read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from './file-cache.ts';
import { readRawFileSync, type FoundFile, type ReadOptions } from '../build/read-fs.ts';
import type { RawFile, Rejection } from '../ingest/types.ts';
import { stateDir, writeFileAtomic } from '../build/write-fs.ts';

const VERSION = 1;
/** Coarser than any file system's timestamps (FAT: 2 s), so a same-tick rewrite cannot look settled. */
const RACY_MS = 3000;

/** size, mtimeMs, ctimeMs, ino, SHA-256; `settled` false entries are never trusted, only kept. */
type Entry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string, settled: boolean];

export const rawIndexPath = (out: string) => path.join(stateDir(out), 'raw-index.json');

export interface RawIndex {
  entries: Map<string, Entry>;
  changed: boolean;
}

export function readRawIndex(out: string): RawIndex {
  const entries = new Map<string, Entry>();
  try {
    const data = JSON.parse(readFileSync(rawIndexPath(out), 'utf8')) as { version?: number; entries?: Record<string, Entry> };
    if (data.version === VERSION && data.entries && typeof data.entries === 'object') {
      for (const [raw, e] of Object.entries(data.entries)) if (Array.isArray(e) && e.length === 6 && typeof e[4] === 'string') entries.set(raw, e);
    }
  } catch {
    /* no index yet, or unreadable: every file is read */
  }
  return { entries, changed: false };
}

export async function writeRawIndex(out: string, index: RawIndex): Promise<void> {
  const sorted: Record<string, Entry> = {};
  for (const raw of [...index.entries.keys()].sort()) sorted[raw] = index.entries.get(raw)!;
  await writeFileAtomic(rawIndexPath(out), JSON.stringify({ version: VERSION, entries: sorted }));
}

/**
 * Reads (or, when their stat is trusted, does not read) the listed files, and
 * gives each one's hash. A trusted file's bytes are read only if someone asks
 * for them (a file the per-file cache cannot answer). Updates `index` to
 * exactly the listed files.
 */
export function readWithIndex(
  found: FoundFile[],
  index: RawIndex | null,
  options: ReadOptions,
  /** The clock, for the tests. */
  now: number = Date.now(),
): { files: RawFile[]; rejected: Rejection[]; hashes: Map<string, string> } {
  const files: RawFile[] = [];
  const rejected: Rejection[] = [];
  const hashes = new Map<string, string>();
  const settledBefore = now - RACY_MS;
  const seen = new Set<string>();
  for (const f of found) {
    seen.add(f.raw);
    const known = index?.entries.get(f.raw);
    if (known && known[5] && f.size <= options.maxBytes && known[0] === f.size && known[1] === f.mtimeMs && known[2] === f.ctimeMs && known[3] === f.ino) {
      files.push(lazyRawFile(f, options));
      hashes.set(f.raw, known[4]);
      continue;
    }
    const r = readRawFileSync(f, options);
    if (!('bytes' in r)) {
      rejected.push(r);
      if (index?.entries.delete(f.raw)) index.changed = true;
      continue;
    }
    const hash = sha256(r.bytes);
    files.push(r);
    hashes.set(f.raw, hash);
    if (index) {
      const settled = Math.max(f.mtimeMs, f.ctimeMs) < settledBefore;
      const entry: Entry = [f.size, f.mtimeMs, f.ctimeMs, f.ino, hash, settled];
      if (!known || known.some((v, i) => v !== entry[i])) index.changed = true;
      index.entries.set(f.raw, entry);
    }
  }
  if (index) {
    for (const raw of index.entries.keys()) {
      if (!seen.has(raw)) {
        index.entries.delete(raw);
        index.changed = true;
      }
    }
  }
  return { files, rejected, hashes };
}

/** A RawFile whose bytes are read on first access (and kept). */
function lazyRawFile(f: FoundFile, options: ReadOptions): RawFile {
  let bytes: Uint8Array | null = null;
  return {
    raw: f.raw,
    get bytes(): Uint8Array {
      if (!bytes) {
        const r = readRawFileSync(f, options);
        if (!('bytes' in r)) throw new Error(`${f.raw}: ${r.reason}`);
        bytes = r.bytes;
      }
      return bytes;
    },
  };
}
