/**
 * Output edge: writes the content collections atomically. Everything is
 * written into a fresh folder beside the output, then swapped in with renames,
 * so a crash at any moment leaves the previous complete output in place.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface OutputFile {
  /** Path relative to the output folder, `/`-separated; never from raw input unchecked. */
  rel: string;
  content: string;
}

/** Resolves `rel` under `root`, refusing anything that would land outside it. */
export function safeJoin(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const base = path.resolve(root);
  if (abs !== base && !abs.startsWith(base + path.sep)) throw new Error(`refusing to write outside ${base}: ${rel}`);
  return abs;
}

/**
 * Replaces the given top-level folders of `out` (e.g. `articles`, `stories`)
 * with the files given. Folders of `out` not listed are left alone, so the
 * drop folder inside `content/` is never touched.
 */
export async function writeCollections(out: string, folders: string[], files: OutputFile[]): Promise<void> {
  await mkdir(out, { recursive: true });
  const stage = path.join(out, `.newsfold-staging-${process.pid}`);
  await rm(stage, { recursive: true, force: true });
  for (const folder of folders) await mkdir(path.join(stage, folder), { recursive: true });
  for (const file of files) {
    const abs = safeJoin(stage, file.rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, file.content);
  }
  const trash = path.join(out, `.newsfold-old-${process.pid}`);
  await rm(trash, { recursive: true, force: true });
  await mkdir(trash, { recursive: true });
  for (const folder of folders) {
    const live = safeJoin(out, folder);
    await rename(live, path.join(trash, folder)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(path.join(stage, folder), live);
  }
  await rm(trash, { recursive: true, force: true });
  await rm(stage, { recursive: true, force: true });
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}
