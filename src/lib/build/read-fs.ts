/**
 * Input edge: finds and reads the files under the drop folder. Read-only: this
 * module never writes, moves or deletes anything in the drop folder.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RawFile, Rejection } from '../ingest/types.ts';

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
  /** With size and mtime, what the stat fast path (raw-index.ts) compares: a rewrite changes ctime, a replacement the inode. */
  ctimeMs: number;
  ino: number;
}

/**
 * Lists files recursively, sorted by path. Dotfiles and dot-folders are ignored
 * (editors' swap files, `.DS_Store`, git). Symlinks are followed only when they
 * stay inside the drop folder.
 */
export async function listRawFiles(root: string): Promise<{ files: FoundFile[]; rejected: Rejection[] }> {
  return listRawFilesSync(root);
}

/**
 * listRawFiles, synchronously: one await per entry (readdir, lstat, through
 * libuv's thread pool) cost about 0.3 s at 10,000 files on a loaded machine,
 * several times the system calls themselves.
 */
export function listRawFilesSync(root: string): { files: FoundFile[]; rejected: Rejection[] } {
  const rootReal = realpathSync(root);
  const files: FoundFile[] = [];
  const rejected: Rejection[] = [];
  const walk = (dir: string, rel: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
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

/** Reads a file's bytes; a file over the limit is rejected without being read. */
export async function readRawFile(file: FoundFile, options: ReadOptions = defaultReadOptions): Promise<RawFile | Rejection> {
  if (file.size > options.maxBytes) return tooLarge(file, options);
  try {
    return { raw: file.raw, bytes: new Uint8Array(await readFile(file.abs)) };
  } catch (err) {
    return { raw: file.raw, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

/**
 * readRawFile, synchronously: the ingest reads thousands of small files, and an
 * await per file (open, stat, read, close, each a trip through libuv's thread
 * pool) costs several times the reading on a loaded machine.
 */
export function readRawFileSync(file: FoundFile, options: ReadOptions = defaultReadOptions): RawFile | Rejection {
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
