/**
 * Output edge: updates the content collections incrementally and crash-safely.
 *
 * Only files whose bytes change are written, and files no longer produced are
 * removed; an unchanged file keeps its bytes and mtime, which keeps Astro's
 * content cache warm. Paths stay stable (`content/articles/<id>.md`), so Astro's
 * glob loader always sees the same tree, no symlinks involved.
 *
 * Crash safety is a small write-ahead journal, as databases do:
 *   1. every changed file is written into `<out>/.newsfold/staging/` (the live
 *      collections are untouched; a crash here leaves the previous output whole);
 *   2. the list of moves and deletions is written to `<out>/.newsfold/journal.json`
 *      with one atomic rename: that rename is the commit point;
 *   3. the moves (renames within one file system) and deletions are applied,
 *      then the journal is removed.
 * A crash before step 2 leaves the previous complete output; a crash after it is
 * rolled forward by `repairOutput` (called by every write and every build before
 * anything reads the collections), which gives the new complete output. Builds
 * take a lock (lock-fs.ts), so no reader sees the few milliseconds of step 3.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { stateDir, statePath, writeFileAtomic } from '../store/index.ts';

export interface OutputFile {
  /** Path relative to the output folder, `/`-separated; never from raw input unchecked. */
  rel: string;
  content: string;
  /** Stage without comparing with the file on disk: known to differ, or too large to be worth reading. */
  fresh?: boolean;
}

export interface WriteSummary {
  /** Paths (relative to the output folder) created. */
  added: string[];
  /** Paths whose bytes changed. */
  updated: string[];
  /** Paths removed because nothing produces them any more. */
  removed: string[];
  unchanged: number;
}

/** Resolves `rel` under `root`, refusing anything that would land outside it. */
export function safeJoin(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const base = path.resolve(root);
  if (abs !== base && !abs.startsWith(base + path.sep)) throw new Error(`refusing to write outside ${base}: ${rel}`);
  return abs;
}

/**
 * Fault injection for the crash tests (test/atomic*.test.ts): with
 * NEWSFOLD_CRASH_AT=<point>[:<n>] the process kills itself with SIGKILL at that
 * point (`staged`, `committed`, `moved`, after n files for the counted ones).
 */
export function crashPoint(point: string, count = 0): void {
  const spec = process.env.NEWSFOLD_CRASH_AT;
  if (!spec) return;
  const [name, n] = spec.split(':');
  if (name === point && count >= Number(n ?? 0)) process.kill(process.pid, 'SIGKILL');
}

interface Journal {
  version: 1;
  /** Files to move from staging into place, relative to `out`. */
  moves: string[];
  /** Files to delete, relative to `out`. */
  deletes: string[];
}

const journalPath = (out: string) => statePath(out, 'journal');
const stagingDir = (out: string) => statePath(out, 'staging');

/**
 * Finishes or discards an interrupted write. Idempotent: safe to call at any time
 * while holding the build lock; returns what it did, for the log.
 */
export async function repairOutput(out: string): Promise<string | null> {
  let note: string | null = null;
  let journal: Journal | null = null;
  try {
    journal = JSON.parse(await readFile(journalPath(out), 'utf8')) as Journal;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') note = `discarded an unreadable journal (${(err as Error).message})`;
  }
  if (journal && Array.isArray(journal.moves) && Array.isArray(journal.deletes)) {
    await applyJournal(out, journal);
    note = `finished an interrupted write (${journal.moves.length} file(s) moved, ${journal.deletes.length} removed)`;
  }
  await rm(journalPath(out), { force: true });
  await rm(stagingDir(out), { recursive: true, force: true });
  for (const name of await readdir(stateDir(out)).catch(() => [] as string[])) {
    // Temporary files of an atomic write that never reached its rename.
    if (/\.tmp-\d+$/.test(name)) await rm(path.join(stateDir(out), name), { force: true });
  }
  // Leftovers of the earlier whole-folder swap, from a crash between its renames.
  for (const name of await readdir(out).catch(() => [] as string[])) {
    if (!/^\.newsfold-(staging|old)-\d+$/.test(name)) continue;
    const old = path.join(out, name);
    for (const folder of await readdir(old).catch(() => [] as string[])) {
      // A collection folder that was moved aside and never replaced: put it back.
      await rename(path.join(old, folder), path.join(out, folder)).catch(() => {});
    }
    await rm(old, { recursive: true, force: true });
  }
  return note;
}

async function applyJournal(out: string, journal: Journal): Promise<void> {
  const staging = stagingDir(out);
  const folders = new Folders();
  let moved = 0;
  // Synchronous, as the staging writes: one await per file of 12,000 cost seconds.
  for (const rel of journal.moves) {
    crashPoint('moved', moved++);
    const target = safeJoin(out, rel);
    folders.make(path.dirname(target));
    try {
      renameSync(safeJoin(staging, rel), target);
    } catch (err) {
      // Already moved by the run that crashed: nothing left to do for this file.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  for (const rel of journal.deletes) await rm(safeJoin(out, rel), { force: true });
}

/** Folders made so far in one pass: `mkdir -p` once per folder, not once per file. */
class Folders {
  private made = new Set<string>();
  make(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }
}

async function listFiles(dir: string, rel: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const out: string[] = [];
  for (const e of entries) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), r)));
    else out.push(r);
  }
  return out;
}

/**
 * Makes the given top-level folders of `out` (e.g. `articles`, `stories`) hold
 * exactly `files`, touching only what differs. Files outside those folders may
 * be listed too (e.g. `.newsfold/stories.json`) and are committed in the same
 * transaction, but are never deleted. Folders of `out` not listed are left
 * alone, so a drop folder inside `content/` is never touched.
 */
export async function writeCollections(
  out: string,
  folders: string[],
  files: OutputFile[],
  /**
   * Paths the caller knows are already in place with the right bytes (the
   * render cache checked their stamp, store/render-cache.ts): kept, counted as
   * unchanged, neither read nor written. Or every path of `listing` but a few
   * (`ListedBut`).
   */
  intact: Iterable<string> | ListedBut = [],
  /**
   * What `folders` hold now, `<folder>/<name>` paths, when the caller has just
   * checked it (corpus-memo.ts readLastRun: every file's stat as the last run
   * left it, under the build lock): the folders are not listed again.
   */
  listing?: readonly string[],
): Promise<WriteSummary> {
  const writer = await openCollections(out);
  if (isListedBut(intact)) {
    if (!listing) throw new Error('writeCollections: the paths kept as listed need the listing');
    writer.keepListed(listing, intact.allListedBut);
  } else {
    for (const rel of intact) writer.keep(rel);
  }
  for (const file of files) writer.add(file);
  return writer.commit(folders, listing);
}

/**
 * `intact` as every path of the listing but `allListedBut`: a drop-in's files
 * carried forward are all the last run's but the few it renders or removes
 * (120,000 at 100,000 articles). Claimed one by one into a set, then looked up
 * again as the commit walked the listing, they cost 0.3-0.5 s of CPU a
 * drop-in (#15); so the commit walks the listing once and looks up only the
 * few. Every path the caller adds must be among them (else it throws, as two
 * outputs for one path do).
 */
export interface ListedBut {
  allListedBut: ReadonlySet<string>;
}

const isListedBut = (intact: Iterable<string> | ListedBut): intact is ListedBut => typeof intact === 'object' && 'allListedBut' in intact;

/**
 * The same transaction as `writeCollections`, fed one file at a time: each
 * file is staged (or found unchanged) when it is added, so the caller never
 * holds every rendered file at once (a cold build of 100,000 articles renders
 * about 600 MB of Markdown and JSON: as one array beside the records, that was
 * a good part of the build's peak memory, issue #15). Nothing is visible in
 * the collections before `commit`; a crash before it leaves only a staging
 * folder, which the next `repairOutput` removes.
 */
export interface CollectionWriter {
  /** A path already in place with the right bytes (see `writeCollections`' `intact`). */
  keep(rel: string): void;
  /** Every path of `listing` but `except` is in place (see `ListedBut`): first, once, with the listing `commit` is given. */
  keepListed(listing: readonly string[], except: ReadonlySet<string>): void;
  /** Stages `file` unless the file in place has its bytes. Synchronous: thousands of small files. */
  add(file: OutputFile): void;
  /** Removes what the listed folders hold (`listing`, when the caller knows it: see writeCollections) and no call named, and commits (the journal). */
  commit(folders: string[], listing?: readonly string[]): Promise<WriteSummary>;
}

/**
 * True when `path.posix.normalize(rel)` is `rel` itself: not empty, no leading `/` or `.`, no empty
 * or dot segment (`//`, `/.`). The paths a drop-in keeps (120,000 at 100,000 articles) are all such.
 */
const plainRel = (rel: string): boolean => rel.length > 0 && rel[0] !== '/' && rel[0] !== '.' && !rel.includes('//') && !rel.includes('/.');

export async function openCollections(out: string): Promise<CollectionWriter> {
  await mkdir(out, { recursive: true });
  await repairOutput(out);
  const staging = stagingDir(out);
  const summary: WriteSummary = { added: [], updated: [], removed: [], unchanged: 0 };
  const wanted = new Set<string>();
  const moves: string[] = [];
  const stagedFolders = new Folders();
  let listed: { listing: readonly string[]; except: ReadonlySet<string> } | null = null;
  const claim = (rel: string) => {
    if (wanted.has(rel) || (listed && !listed.except.has(rel))) throw new Error(`two outputs for ${rel}`);
    wanted.add(rel);
  };
  return {
    keepListed(listing, except) {
      if (listed || wanted.size > 0) throw new Error('keepListed: first and once');
      listed = { listing, except };
    },
    keep(rel) {
      claim(plainRel(rel) ? rel : path.posix.normalize(rel));
      summary.unchanged++;
    },
    add(file) {
      const rel = path.posix.normalize(file.rel);
      safeJoin(out, rel);
      claim(rel);
      const bytes = Buffer.from(file.content, 'utf8');
      let current: Buffer | null = null;
      try {
        // Synchronous: thousands of small files, and an await per file costs more than the read.
        if (file.fresh) current = existsSync(safeJoin(out, rel)) ? Buffer.alloc(0) : null;
        else current = readFileSync(safeJoin(out, rel));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (current && !file.fresh && current.equals(bytes)) {
        summary.unchanged++;
        return;
      }
      (current ? summary.updated : summary.added).push(rel);
      const staged = safeJoin(staging, rel);
      // Synchronous, with each folder made once: an await per file (mkdir, then write) was
      // most of a cold build's 7 s of committing 12,000 files.
      stagedFolders.make(path.dirname(staged));
      writeFileSync(staged, bytes);
      moves.push(rel);
      crashPoint('staged', moves.length);
    },
    async commit(folders, listing) {
      const deletes: string[] = [];
      if (listing) {
        // A folder's paths by their prefix, not a slice per path and a set (120,000 paths at 100,000 articles).
        const prefixes = folders.map((f) => `${f}/`);
        const named = new Set(folders);
        const inFolders = (rel: string) => {
          for (const p of prefixes) if (rel.startsWith(p)) return true;
          // Not under any: as its first segment names it (a path with no slash, as before, by all but its last character).
          return rel.indexOf('/') >= 0 ? false : named.has(rel.slice(0, -1));
        };
        if (listed) {
          if (listed.listing !== listing) throw new Error('commit: not the listing kept');
          const { except } = listed;
          for (const rel of listing) {
            if (!inFolders(rel)) continue;
            if (!except.has(rel)) summary.unchanged++;
            else if (!wanted.has(rel)) deletes.push(rel);
          }
        } else {
          for (const rel of listing) if (!wanted.has(rel) && inFolders(rel)) deletes.push(rel);
        }
      } else {
        if (listed) throw new Error('commit: the paths kept as listed need the listing');
        for (const folder of folders) {
          for (const rel of await listFiles(safeJoin(out, folder), folder)) {
            if (!wanted.has(rel)) deletes.push(rel);
          }
        }
      }
      deletes.sort();
      summary.removed = deletes;
      if (moves.length === 0 && deletes.length === 0) {
        for (const folder of folders) await mkdir(safeJoin(out, folder), { recursive: true });
        return summary;
      }
      const journal: Journal = { version: 1, moves, deletes };
      await writeFileAtomic(journalPath(out), JSON.stringify(journal));
      // Committed: from here on, a crash is rolled forward by repairOutput.
      crashPoint('committed');
      await applyJournal(out, journal);
      for (const folder of folders) await mkdir(safeJoin(out, folder), { recursive: true });
      await rm(journalPath(out), { force: true });
      await rm(staging, { recursive: true, force: true });
      return summary;
    },
  };
}
