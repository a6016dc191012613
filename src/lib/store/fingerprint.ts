/**
 * The names a build gives to code and files, so it can tell what changed:
 * content hashes (`sha256`), the pipeline fingerprint that heads every ingest
 * store (the code and options its entries come from), source fingerprints of
 * the build's other stores, and file stamps (a stat that stands for bytes).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** src/lib: the roots below are relative to it. */
const lib = path.resolve(here, '..');
/** The checkout: where src/, package-lock.json and node_modules/ are. */
export const repoRoot = path.resolve(lib, '../..');

/**
 * The code a cached ingest result depends on, relative to src/lib: every pure
 * stage (ingest/, recursively), the stores' own formats (store/), the build
 * edges that read files and assemble results (read-fs, ingest-fs, drop-in-fs, grouping-fs, write-fs,
 * the worker threads), the shared modules the stages import (text.ts,
 * schema.ts), and the installed dependency versions (package-lock.json).
 */
const CODE_ROOTS = ['ingest', 'store', 'build/ingest-fs.ts', 'build/drop-in-fs.ts', 'build/grouping-fs.ts', 'build/read-fs.ts', 'build/write-fs.ts', 'build/workers', 'text.ts', 'schema.ts', '../../package-lock.json'];

/** The files CODE_ROOTS names, recursively, sorted; tests excluded. Throws when a root folder cannot be read. */
export function fingerprintSources(): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|js|mjs|json)$/.test(entry.name) && !/\.test\./.test(entry.name)) out.push(child);
    }
  };
  for (const root of CODE_ROOTS) {
    const abs = path.join(lib, root);
    if (/\.[a-z]+$/.test(root)) out.push(abs);
    else walk(abs);
  }
  return out.sort();
}

/**
 * Fingerprint of the ingest's code (CODE_ROOTS). Hashing the source is cheap
 * (about seventy small files) and means no one has to remember to bump a
 * version when they change a rule. Each file is named by its path, so a file
 * moved or added counts as a change too. Taken once, when this module loads,
 * so it describes the code this process runs: a long-running `npm run watch`
 * whose files are edited underneath it must not store results of its old code
 * under the new code's fingerprint.
 */
const CODE_FINGERPRINT: string = (() => {
  const parts: string[] = [];
  let sources: string[];
  try {
    sources = fingerprintSources();
  } catch {
    // Not running from source (bundled): no cache reuse across processes.
    return `uncached-${process.pid}-${Date.now()}`;
  }
  for (const file of sources) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      /* a missing optional file hashes as empty */
    }
    parts.push(`${path.relative(lib, file).split(path.sep).join('/')}\0${sha256(text)}`);
  }
  return sha256(parts.join('\n'));
})();

/** Fingerprint of everything an ingest result depends on besides its input: the code and the options. */
export function pipelineFingerprint(options: unknown): string {
  return sha256(`${CODE_FINGERPRINT}\n${JSON.stringify(options ?? null)}`);
}

/**
 * A hash of these files of the checkout (paths from its root; a missing one
 * hashes as empty): the code the entries of a store outside the ingest come
 * from (the build's parsed-content and search-term stores).
 */
export function sourceFingerprint(files: string[]): string {
  return sha256(
    files
      .map((f) => {
        try {
          return readFileSync(path.join(repoRoot, f), 'utf8');
        } catch {
          return '';
        }
      })
      .join('\0'),
  );
}

/**
 * Size, mtime and inode: a file's stamp. Every write here goes through an
 * append or a rename, so any rewrite changes one of them (the way git's index
 * and make trust a file's stat).
 */
export function stampOf(s: { size: number; mtimeMs: number; ino: number }): string {
  return `${s.size}:${s.mtimeMs}:${s.ino}`;
}

/** The stamp of the file at `file`, or null when there is none. */
export function fileStamp(file: string): string | null {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? stampOf(s) : null;
}
