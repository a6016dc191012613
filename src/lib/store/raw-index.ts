/**
 * The drop folder's stat index (layout.ts `rawIndex`): each file's SHA-256
 * under its stat (size, mtime, ctime, inode), so a rebuild reads and hashes
 * only the files whose stat changed (the way git's index trusts a file's
 * stat; build/read-fs.ts `readWithIndex` does the reading). At 10,000 files
 * that is 42 MB not read or hashed.
 *
 * Why it is safe: any write to a file changes its ctime (which no tool can set
 * back) and a replacement changes its inode. A file written in the same clock
 * tick as it was read could still show the same stat with other bytes (git's
 * "racy" entries): a hash is recorded only if the file had been left alone
 * for a while (RACY_MS) before it was read; others are hashed again next time.
 * The index is only a cache: lost, corrupt or stale, it costs a re-read.
 */
import type { Store } from './log-store.ts';

/** Coarser than any file system's timestamps (FAT: 2 s), so a same-tick rewrite cannot look settled. */
const RACY_MS = 3000;

/** What the index compares of a file: its stat. */
export interface RawStat {
  /** Path relative to the drop folder: the entry's key. */
  raw: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

const statKey = (f: RawStat) => `${f.size}:${f.mtimeMs}:${f.ctimeMs}:${f.ino}`;

/** The SHA-256 the index holds for `f`, if its stat is the one recorded with it. */
export function indexedHash(index: Store, f: RawStat): string | undefined {
  return index.get(f.raw, statKey(f));
}

/**
 * Records `f`'s SHA-256 under its stat, if the file was settled when read
 * (unchanged for RACY_MS before `now`); an unsettled one is left out and read
 * again next time.
 */
export function indexHash(index: Store, f: RawStat, hash: string, now: number): void {
  if (Math.max(f.mtimeMs, f.ctimeMs) < now - RACY_MS) index.put(f.raw, hash, { hash: statKey(f) });
}
