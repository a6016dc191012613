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
 *
 * Kept by folder (a shard: the drop folder's first-level folder, as
 * describe/ids.ts `shardOf` and the shard memo have it), one entry each: its
 * files' stats and hashes, and the shard's signature (shard-memo.ts
 * `shardSignature`: its files' paths and hashes). The entry is stored under
 * the folder's *stat digest* (every file's path and stat, in listing order)
 * and its signature, when every one of its files was settled and hashed. A run whose listing
 * gives a folder the same stat digest knows each file's stat is the recorded
 * one, so the folder is vouched for whole: its entry is not even read unless
 * someone asks for a hash in it, and its signature is the recorded one. At a
 * year of news (100,000 files in 12 month folders) a one-article drop-in so
 * reads the entry of the month it changed, not 100,000 lines of stats, and
 * does not hash 100,000 lines again for the signatures and the run's key.
 */
import { sha256 } from './fingerprint.ts';
import { heldText, type Store } from './log-store.ts';

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

export const statKey = (f: RawStat) => `${f.size}:${f.mtimeMs}:${f.ctimeMs}:${f.ino}`;

/** A raw path's shard: its first-level folder ('' at the top). The same rule as describe/ids.ts `shardOf` (test/raw-index.test.ts). */
export function rawShard(raw: string): string {
  const slash = raw.indexOf('/');
  return slash < 0 ? '' : raw.slice(0, slash);
}

/** A folder's stat digest: its files' paths and stats, in the order given (the listing's: by path). */
export function statDigest(files: readonly RawStat[]): string {
  return sha256(files.map((f) => `${f.raw}\0${statKey(f)}`).join('\n'));
}

/** A folder's entry: [raw, stat key, SHA-256 or null when not recorded] per file, and its signature. */
export interface ShardIndexEntry {
  files: Array<[raw: string, stat: string, hash: string | null]>;
  /** shard-memo.ts `shardSignature` of the files read: their `<raw>\0<SHA-256>` lines. */
  signature: string;
}

/** The hash an entry is stored under when it cannot vouch for its folder (a file unsettled or unread): no digest equals it. */
const UNVOUCHED = '-';

/** The folder's entry, if the index holds one (whatever digest it was stored under). */
export function shardEntryOf(index: Store, shard: string): ShardIndexEntry | undefined {
  return parseShardEntry(heldText(index, shard));
}

/** An entry's text as read (heldText), parsed; undefined when there is none or it is damaged. */
export function parseShardEntry(text: string | undefined): ShardIndexEntry | undefined {
  if (text === undefined) return undefined;
  try {
    const entry = JSON.parse(text) as ShardIndexEntry;
    return Array.isArray(entry.files) && typeof entry.signature === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When the index vouches for the folder whose listing gives `digest` (every file's stat and hash
 * recorded as they are): the folder's signature, read from the key alone (the entry is not read).
 */
export function vouchedSignature(index: Store, shard: string, digest: string): string | undefined {
  const hash = index.hashOf(shard);
  return hash !== undefined && hash.length > digest.length && hash.startsWith(digest) && hash[digest.length] === ' ' ? hash.slice(digest.length + 1) : undefined;
}

/**
 * Records a folder's files as read: `hashes[i]` is `files[i]`'s SHA-256, or
 * null when it was not read (too large, unreadable). A file's hash is kept
 * only if the file was settled (unchanged for RACY_MS before `now`); the
 * entry vouches for the folder only when every file's is.
 */
export function indexShard(
  index: Store,
  shard: string,
  files: readonly RawStat[],
  hashes: ReadonlyArray<string | null>,
  signature: string,
  now: number,
  /** The entry's text as the caller read it (heldText), when it did: not read again. */
  was: string | undefined = heldText(index, shard),
): void {
  const settled = (f: RawStat) => Math.max(f.mtimeMs, f.ctimeMs) < now - RACY_MS;
  const rows: ShardIndexEntry['files'] = files.map((f, i) => [f.raw, statKey(f), hashes[i] !== null && settled(f) ? hashes[i] : null]);
  const whole = rows.every((r) => r[2] !== null);
  const text = JSON.stringify({ files: rows, signature } satisfies ShardIndexEntry);
  const hash = whole ? `${statDigest(files)} ${signature}` : UNVOUCHED;
  // Unchanged: not put again, so a run that changed nothing leaves the file alone.
  if (index.hashOf(shard) === hash && was === text) return;
  index.put(shard, text, { hash });
}
