/**
 * dist/ on disk: the crash-safe swap of a finished build into place, the trash
 * that takes a partial build's replaced dist/, and the hard-linked copy of
 * dist/ a partial build lays its new pages over.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { statePath } from '../store/index.ts';
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
 * Hard links every file of `src` into a new `dst`, leaving out what `skip`
 * names (checked on the first two levels of paths, where pages and sitemaps
 * are). GNU `cp -al` does it in one process, several times quicker than a
 * link call per file through Node (12,000 files at 10,000 articles); where
 * that is missing or fails, the files are linked (or copied) one by one.
 */
export async function linkDist(src: string, dst: string, skip: (rel: string) => boolean): Promise<void> {
  await rm(dst, { recursive: true, force: true });
  const cp = await new Promise<boolean>((resolve) => {
    const child = spawn('cp', ['-al', '--', src, dst], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  if (!cp) {
    await rm(dst, { recursive: true, force: true });
    return linkTree(src, dst, skip);
  }
  for (const top of await readdir(dst, { withFileTypes: true })) {
    if (skip(top.name)) {
      await rm(path.join(dst, top.name), { recursive: true, force: true });
      continue;
    }
    if (!top.isDirectory()) continue;
    for (const name of await readdir(path.join(dst, top.name))) {
      if (skip(`${top.name}/${name}`)) await rm(path.join(dst, top.name, name), { recursive: true, force: true });
    }
  }
}

/** Hard links (a copy when linking fails) every file of `src` into `dst`, leaving out directories `skip` names. */
async function linkTree(src: string, dst: string, skip: (rel: string) => boolean, rel = ''): Promise<void> {
  await mkdir(dst, { recursive: true });
  const entries = (await readdir(src, { withFileTypes: true })).filter((e) => !skip(rel ? `${rel}/${e.name}` : e.name));
  // A few dozen at a time: a page folder per article makes tens of thousands of small steps.
  for (let i = 0; i < entries.length; i += 32) {
    await Promise.all(
      entries.slice(i, i + 32).map(async (e) => {
        const from = path.join(src, e.name);
        const to = path.join(dst, e.name);
        if (e.isDirectory()) await linkTree(from, to, skip, rel ? `${rel}/${e.name}` : e.name);
        else if (e.isFile()) await link(from, to).catch(() => copyFile(from, to));
      }),
    );
  }
}

/** Moves every file of `src` over `dst`: rename replaces the name, never the hard-linked bytes. */
export async function overlay(src: string, dst: string): Promise<void> {
  await mkdir(dst, { recursive: true });
  for (const e of await readdir(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    const to = path.join(dst, e.name);
    if (e.isDirectory()) await overlay(from, to);
    else await rename(from, to);
  }
}
