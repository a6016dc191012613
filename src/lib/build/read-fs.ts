/**
 * Input edge: finds and reads the files under the drop folder. Read-only: this
 * module never writes, moves or deletes anything in the drop folder.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RawFile, Rejection } from '../ingest/index.ts';
import { indexedHash, indexHash, sha256, type Store } from '../store/index.ts';

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

/**
 * Reads (or, when the stat index vouches for them, does not read) the listed
 * files, and gives each one's hash. A vouched-for file's bytes are read only
 * if someone asks for them (a file the per-file cache cannot answer). Brings
 * `index` up to date: files gone or unreadable are not used, so they leave it
 * when it is saved.
 */
export function readWithIndex(
  found: FoundFile[],
  index: Store | null,
  options: ReadOptions,
  /** The clock, for the tests. */
  now: number = Date.now(),
): { files: RawFile[]; rejected: Rejection[]; hashes: Map<string, string> } {
  const files: RawFile[] = [];
  const rejected: Rejection[] = [];
  const hashes = new Map<string, string>();
  for (const f of found) {
    const known = index && f.size <= options.maxBytes ? indexedHash(index, f) : undefined;
    if (known) {
      files.push(new LazyRawFile(f, options));
      hashes.set(f.raw, known);
      continue;
    }
    const r = readRawFile(f, options);
    if (!('bytes' in r)) {
      rejected.push(r);
      continue;
    }
    const hash = sha256(r.bytes);
    files.push(r);
    hashes.set(f.raw, hash);
    if (index) indexHash(index, f, hash, now);
  }
  return { files, rejected, hashes };
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
