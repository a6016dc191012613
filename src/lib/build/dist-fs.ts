/**
 * dist/ on disk: the crash-safe swap of a full build into place, the trash
 * that takes a replaced dist/, moving astro children's files into the folder
 * being assembled, and the journal that lays a partial build's files into
 * dist/ in place.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { statePath, writeFileAtomic as writeFileAtomicFs } from '../store/index.ts';
import { crashPoint } from './write-fs.ts';

/** Finishes or undoes a dist swap a crash interrupted, and removes temporary builds. */
export async function repairDist(dist: string, dispose?: (old: string) => Promise<void>): Promise<string | null> {
  const parent = path.dirname(dist);
  const base = path.basename(dist);
  const next = `${dist}.next`;
  const old = `${dist}.old`;
  let note: string | null = null;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (name.startsWith(`${base}.tmp-`)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
  if (existsSync(next)) {
    if (existsSync(dist)) {
      await rm(old, { recursive: true, force: true });
      await rename(dist, old);
      crashPoint('dist-swap');
    }
    await rename(next, dist);
    note = `finished an interrupted swap of ${dist}`;
  } else if (!existsSync(dist) && existsSync(old)) {
    await rename(old, dist);
    note = `restored ${dist} from an interrupted swap`;
  }
  if (dispose && existsSync(old)) await dispose(old);
  else await rm(old, { recursive: true, force: true });
  return note;
}

const trashDir = (content: string) => statePath(content, 'trash');

/**
 * Moves a replaced dist/ into the content folder's trash, to be removed by the
 * next build (emptyTrash). Where that cannot be a rename (another file system),
 * it is removed now.
 */
export async function moveToTrash(old: string, content: string): Promise<void> {
  const dir = trashDir(content);
  try {
    await mkdir(dir, { recursive: true });
    await rename(old, path.join(dir, `dist-${process.pid}-${Date.now()}`));
  } catch {
    await rm(old, { recursive: true, force: true });
  }
}

/**
 * Removes the trash in a separate `rm -rf` process: it runs on its own core
 * while this one ingests (Node's recursive rm would wait on this thread, busy
 * with the synchronous ingest). Falls back to Node's rm where `rm` is missing.
 */
export function emptyTrash(content: string): Promise<void> {
  const dir = trashDir(content);
  if (!existsSync(dir)) return Promise.resolve();
  return new Promise<boolean>((resolve) => {
    const child = spawn('rm', ['-rf', '--', dir], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
    // Off the build's path: a build that swaps waits for it first, one that ends sooner does not.
    child.unref();
    // Not niced: at a low priority it held the file system's journal while the build's own
    // renames waited on it (a partial build's 10 ms merge took 1.5 s).
  })
    .then((ok) => (ok ? undefined : rm(dir, { recursive: true, force: true })))
    // Left for the next build: the trash never holds anything dist/ needs.
    .catch(() => {});
}

/**
 * Moves the files of an astro child's output folder into the folder being
 * assembled, keeping those `keep` accepts (paths relative to `src`, with `/`).
 * A rename replaces a name, never bytes another dist/ shares through a hard link.
 */
export async function moveInto(src: string, dst: string, keep: (rel: string) => boolean, rel = ''): Promise<number> {
  let moved = 0;
  const entries = await readdir(path.join(src, rel), { withFileTypes: true }).catch(() => []);
  let made = false;
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) moved += await moveInto(src, dst, keep, r);
    else if (keep(r)) {
      if (!made) await mkdir(path.join(dst, rel), { recursive: true });
      made = true;
      await rename(path.join(src, r), path.join(dst, r)).catch(async (err: NodeJS.ErrnoException) => {
        // Another file system (a CI part downloaded elsewhere): a copy.
        if (err.code !== 'EXDEV') throw err;
        await copyFile(path.join(src, r), path.join(dst, r));
      });
      moved++;
    }
  }
  return moved;
}

/** Removes page files (relative paths) from a dist folder, and the folders they leave empty. */
export async function removeFiles(dir: string, files: string[]): Promise<void> {
  for (const rel of files) {
    await rm(path.join(dir, rel), { force: true });
    for (let parent = path.dirname(rel); parent !== '.' && parent !== '/'; parent = path.dirname(parent)) {
      // Not empty (other pages live there): stop.
      if (!(await rmdir(path.join(dir, parent)).then(() => true, () => false))) break;
    }
  }
}

/**
 * A partial build's changes, applied to dist/ in place through a journal.
 *
 * Why not a hard-linked copy of dist/ swapped in: at 100,000 articles dist/ has
 * 110,000 pages in as many folders, and `cp -al` of it cost 6 s of CPU per
 * drop-in (16 s on the loaded machine), more than everything else the site half
 * does. In place, a drop-in touches only its few dozen files.
 *
 * How it stays safe, as the content folder's journal does (write-fs.ts): the
 * new files are complete in the stage folder (`<dist>.delta`) first; one atomic
 * write of the journal (`<content>/.newsfold/dist-journal.json`) is the commit
 * point; then each file is renamed into place (a reader gets the old page or
 * the new one, never a torn one) and removed pages are deleted. A crash before
 * the commit leaves dist/ as it was; after it, the next build rolls the journal
 * forward before anything else (`rollDistForward`). The order of the renames
 * keeps every intermediate site whole: assets, then pages in `order` (content
 * pages before the listings that link them, the sitemap and feeds last), and
 * removed pages only once nothing links them.
 */
export interface DistJournal {
  version: 1;
  dist: string;
  stage: string;
  /** Files of the stage, relative, in the order they are renamed into dist/. */
  moves: string[];
  /** Files of dist/ to delete, relative, after the moves. */
  deletes: string[];
  /** Written to the stamp and the manifest once applied (site-build.ts). */
  fingerprint: string;
}

export const distJournalPath = (content: string) => statePath(content, 'distJournal');
export const stagePath = (dist: string) => `${dist}.delta`;

/** Every file of a folder, relative, with `/`. */
export async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => [])) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

/** Commits and applies a journal; `after` runs once the files are in place, before the journal goes. */
export async function applyDistJournal(content: string, journal: DistJournal, after: () => Promise<void>): Promise<void> {
  await writeFileAtomicFs(distJournalPath(content), JSON.stringify(journal));
  await finishJournal(content, journal, after);
}

async function finishJournal(content: string, journal: DistJournal, after: () => Promise<void>): Promise<void> {
  let n = 0;
  const made = new Set<string>();
  for (const rel of journal.moves) {
    crashPoint('dist-apply', n++);
    const target = path.join(journal.dist, rel);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    // Already moved by a run that crashed: nothing left to do for this file.
    await rename(path.join(journal.stage, rel), target).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  await removeFiles(journal.dist, journal.deletes);
  await after();
  await rm(journal.stage, { recursive: true, force: true });
  await rm(distJournalPath(content), { force: true });
}

/**
 * Finishes a partial build a crash interrupted after its commit point; removes
 * the stage of one that never reached it. Returns a note when it did something.
 */
export async function rollDistForward(content: string, dist: string, after: (journal: DistJournal) => Promise<void>): Promise<string | null> {
  const text = await readFile(distJournalPath(content), 'utf8').catch(() => null);
  const journal = text ? (JSON.parse(text) as DistJournal) : null;
  if (journal && journal.version === 1 && path.resolve(journal.dist) === path.resolve(dist)) {
    await finishJournal(content, journal, () => after(journal));
    return `finished applying an interrupted partial build to ${dist}`;
  }
  if (existsSync(stagePath(dist))) {
    await rm(stagePath(dist), { recursive: true, force: true });
    return `removed the stage of a partial build that did not finish (${dist} untouched)`;
  }
  return null;
}
