/**
 * Input edge: finds and reads the files under the drop folder. Read-only: this
 * module never writes, moves or deletes anything in the drop folder.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RawFile, Rejection } from '../ingest/index.ts';
import { byShardOf, heldText, indexShard, parseShardEntry, rawShard, sha256, shardEntryOf, shardSignature, statDigest, statKey, vouchedSignature, type ShardIndexEntry, type Store } from '../store/index.ts';

export interface ReadOptions {
  /** Files larger than this are not read into memory at all. */
  maxBytes: number;
}

export const defaultReadOptions: ReadOptions = { maxBytes: 5 * 1024 * 1024 };

export interface FoundFile {
  raw: string;
  abs: string;
  size: number;
  mtimeMs: number;
  /** With size and mtime, what the stat index (store/raw-index.ts) compares: a rewrite changes ctime, a replacement the inode. */
  ctimeMs: number;
  ino: number;
}

/**
 * Lists files recursively, sorted by path. Dotfiles and dot-folders are ignored
 * (editors' swap files, `.DS_Store`, git). Symlinks are followed only when they
 * stay inside the drop folder. Synchronous: one await per entry (readdir,
 * lstat, through libuv's thread pool) cost about 0.3 s at 10,000 files on a
 * loaded machine, several times the system calls themselves.
 */
export function listRawFiles(root: string): { files: FoundFile[]; rejected: Rejection[] } {
  const rootReal = realpathSync(root);
  // Paths by concatenation, not path.join (which normalises each of 100,000 paths again): the
  // names are readdir's, with no separator in them, under a real path.
  const under = (dir: string, name: string) => (dir.endsWith(path.sep) ? dir + name : dir + path.sep + name);
  const files: FoundFile[] = [];
  const rejected: Rejection[] = [];
  const walk = (dir: string, rel: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = under(dir, entry.name);
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      let info: Stats = lstatSync(abs);
      if (info.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(abs);
        } catch {
          rejected.push({ raw: relPath, reason: 'broken symbolic link' });
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + path.sep)) {
          rejected.push({ raw: relPath, reason: 'symbolic link leads outside the drop folder; not followed' });
          continue;
        }
        info = statSync(abs);
        if (info.isDirectory()) {
          // Followed links to folders inside the root would list files twice.
          rejected.push({ raw: relPath, reason: 'symbolic link to a folder; not followed (its files are read where they are)' });
          continue;
        }
      }
      if (info.isDirectory()) walk(abs, relPath);
      else if (info.isFile()) files.push({ raw: relPath, abs, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino });
    }
  };
  walk(rootReal, '');
  return { files, rejected };
}

/**
 * Reads a file's bytes; a file over the limit is rejected without being read.
 * Synchronous: the ingest reads thousands of small files, and an await per
 * file (open, stat, read, close, each a trip through libuv's thread pool)
 * costs several times the reading on a loaded machine.
 */
export function readRawFile(file: FoundFile, options: ReadOptions = defaultReadOptions): RawFile | Rejection {
  if (file.size > options.maxBytes) return tooLarge(file, options);
  try {
    return { raw: file.raw, bytes: new Uint8Array(readFileSync(file.abs)) };
  } catch (err) {
    return { raw: file.raw, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

function tooLarge(file: FoundFile, options: ReadOptions): Rejection {
  return {
    raw: file.raw,
    reason: `file too large (${(file.size / 1048576).toFixed(1)} MB, limit ${(options.maxBytes / 1048576).toFixed(0)} MB)`,
  };
}

/** Each file's SHA-256 and each shard's signature, as the stat index and the reading found them. */
export interface RawHashes {
  /** The SHA-256 of a file of the listing that was read or vouched for (undefined for one rejected). */
  get(raw: string): string | undefined;
  /** A shard's signature (shard-memo.ts `shardSignature` of its files' `<raw>\0<SHA-256>` lines). */
  signature(shard: string): string;
  /** The listing's shards, in the order their first file was listed. */
  shards(): string[];
}

/**
 * Reads (or, when the stat index vouches for them, does not read) the listed
 * files, and gives each one's hash. A vouched-for file's bytes are read only
 * if someone asks for them (a file the per-file cache cannot answer). Folder
 * by folder (store/raw-index.ts): a folder whose stat digest the index holds
 * is vouched for whole, and its entry is read only when one of its hashes is
 * asked for; any other folder is compared file by file. Brings `index` up to
 * date: files gone or unreadable are not used, so they leave it when it is
 * saved. `index` must be opened retaining its entries (a vouched folder's is
 * not read, yet stays); the folders gone are deleted here.
 */
export function readWithIndex(
  found: FoundFile[],
  index: Store | null,
  options: ReadOptions,
  /** The clock, for the tests. */
  now: number = Date.now(),
): { files: RawFile[]; rejected: Rejection[]; hashes: RawHashes } {
  // Each listed file's outcome, in listing order (the folders are taken one at a time, but a
  // file at the top may sit between two folders).
  const outcome = new Map<FoundFile, RawFile | Rejection>();
  const known = new Map<string, string>();
  const byShard = byShardOf(found, rawShard);
  const vouched = new Map<string, { entry: ShardIndexEntry | null }>();
  const signatures = new Map<string, string>();
  for (const [shard, list] of byShard) {
    const kept = index && list.every((f) => f.size <= options.maxBytes) ? vouchedSignature(index, shard, statDigest(list)) : undefined;
    if (kept !== undefined) {
      for (const f of list) outcome.set(f, new LazyRawFile(f, options));
      vouched.set(shard, { entry: null });
      signatures.set(shard, kept);
      continue;
    }
    // Read once: compared file by file here, and with the entry made below (indexShard).
    const text = index ? heldText(index, shard) : undefined;
    const entry = parseShardEntry(text);
    const was = new Map(entry?.files.map(([raw, stat, hash]) => [raw, { stat, hash }]));
    const hashes: Array<string | null> = [];
    const lines: string[] = [];
    for (const f of list) {
      const before = f.size <= options.maxBytes ? was.get(f.raw) : undefined;
      if (before?.hash && before.stat === statKey(f)) {
        outcome.set(f, new LazyRawFile(f, options));
        known.set(f.raw, before.hash);
        hashes.push(before.hash);
        lines.push(`${f.raw}\0${before.hash}`);
        continue;
      }
      const r = readRawFile(f, options);
      outcome.set(f, r);
      if (!('bytes' in r)) {
        hashes.push(null);
        continue;
      }
      const hash = sha256(r.bytes);
      known.set(f.raw, hash);
      hashes.push(hash);
      lines.push(`${f.raw}\0${hash}`);
    }
    const signature = shardSignature(lines);
    signatures.set(shard, signature);
    if (index) indexShard(index, shard, list, hashes, signature, now, text);
  }
  if (index) for (const shard of [...index.keys()]) if (!byShard.has(shard)) index.delete(shard);
  const files: RawFile[] = [];
  const rejected: Rejection[] = [];
  for (const f of found) {
    const r = outcome.get(f)!;
    if ('bytes' in r) files.push(r);
    else rejected.push(r);
  }
  // A vouched folder's entry, read on first ask (a drop-in asks for the few folders it touches).
  const entryOf = (shard: string): ShardIndexEntry => {
    const v = vouched.get(shard)!;
    if (!v.entry) {
      const entry = shardEntryOf(index!, shard);
      if (!entry) throw new Error(`stat index: the entry of ${shard || 'the top folder'} cannot be read`);
      for (const [raw, , hash] of entry.files) known.set(raw, hash!);
      v.entry = entry;
    }
    return v.entry;
  };
  return {
    files,
    rejected,
    hashes: {
      get: (raw) => {
        const hash = known.get(raw);
        if (hash !== undefined) return hash;
        const shard = rawShard(raw);
        if (!vouched.has(shard)) return undefined;
        entryOf(shard);
        return known.get(raw);
      },
      signature: (shard) => signatures.get(shard) ?? shardSignature([]),
      shards: () => [...byShard.keys()],
    },
  };
}

/**
 * A RawFile whose bytes are read on first access (and kept). A class, not an
 * object literal with a getter: a drop-in at 100,000 files makes one per file,
 * and the literals cost about twice as much to make. Its bytes are not an own
 * property, so a message does not carry them: workers/pool.ts sends name and bytes.
 */
class LazyRawFile implements RawFile {
  readonly raw: string;
  #bytes: Uint8Array | null = null;

  constructor(
    private readonly file: FoundFile,
    private readonly options: ReadOptions,
  ) {
    this.raw = file.raw;
  }

  get bytes(): Uint8Array {
    if (!this.#bytes) {
      const r = readRawFile(this.file, this.options);
      if (!('bytes' in r)) throw new Error(`${this.file.raw}: ${r.reason}`);
      this.#bytes = r.bytes;
    }
    return this.#bytes;
  }
}
