/**
 * Writes the chunked search index (chunks.ts) into a built site's folder.
 * Node only.
 *
 * Into a fresh site every file is written. Over a previous index (a partial
 * build lays its pages over a hard-linked copy of dist/), only the files whose
 * text changed are written, each to a temporary name renamed over the old one
 * (a rename replaces the name, never the bytes the live dist/ shares), and
 * files no longer in the index are removed.
 *
 * For a build that stages its changes and lays them into dist/ itself (a
 * journal of moves and deletes), `stageSearchIndex` writes only the changed
 * files into the stage and names the stale ones, leaving dist/ untouched.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { INDEX_DIR } from './format';
import type { SearchFiles } from './chunks';

export interface WriteCounts {
  /** Files in the index. */
  files: number;
  /** Files written (new or changed). */
  written: number;
  /** Files of the previous index removed. */
  removed: number;
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
async function listTree(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listTree(dir, p)));
    else out.push(p);
  }
  return out;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function each<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** A file's text hash as a build records it (site-build.ts, the dist manifest's `files`). */
export const textHash = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('base64url');

/** The index's files as a build has them: every file's hash, and its text when asked (kept between builds: store/search-terms.ts). */
export interface IndexFiles {
  /** Every file's path (under the index folder) -> its text hash (`textHash`). */
  hashes: ReadonlyMap<string, string>;
  /** A file's text. */
  text(path: string): string;
}

/** Every file of an index held in memory, with its hash. */
export function heldFiles(files: SearchFiles): IndexFiles {
  return {
    hashes: new Map([...files].map(([path, text]) => [path, textHash(text)])),
    text: (path) => {
      const text = files.get(path);
      if (text === undefined) throw new Error(`search index: no file ${path}`);
      return text;
    },
  };
}

/** Writes `files` as `<siteDir>/search-index/…`, over whatever index is there. */
export async function writeSearchIndex(siteDir: string, index: SearchFiles | IndexFiles): Promise<WriteCounts> {
  const files: SearchFiles = index instanceof Map ? index : new Map([...index.hashes.keys()].map((rel) => [rel, index.text(rel)]));
  const root = path.join(siteDir, INDEX_DIR);
  // The single-file index of earlier versions.
  await rm(path.join(siteDir, 'search-index.json'), { force: true });
  const before = new Set(await listTree(root));
  for (const dir of new Set([...files.keys()].map((p) => path.dirname(p)))) await mkdir(path.join(root, dir), { recursive: true });
  let written = 0;
  const tmp = `.tmp-${process.pid}`;
  await each([...files], 32, async ([rel, text]) => {
    const file = path.join(root, rel);
    if (before.has(rel)) {
      if ((await readFile(file, 'utf8').catch(() => null)) === text) return;
      await writeFile(file + tmp, text);
      await rename(file + tmp, file);
    } else await writeFile(file, text);
    written++;
  });
  const stale = [...before].filter((rel) => !files.has(rel));
  await each(stale, 32, (rel) => rm(path.join(root, rel), { force: true }));
  return { files: files.size, written, removed: stale.length };
}

/** What stageSearchIndex leaves for the caller to lay into the live site. */
export interface StagedIndex extends WriteCounts {
  /** Files of the live site to delete, relative to it (`search-index/t/x.json`; the one-file index of earlier versions). */
  stale: string[];
}

/**
 * Writes into `stageDir/search-index/` the files of `files` that the live
 * site `liveDir` lacks or holds with other text, and names the live files no
 * longer in the index. Moving the staged files over the live ones (manifest
 * last) and deleting the stale ones gives the index `writeSearchIndex` writes.
 */
export async function stageSearchIndex(
  stageDir: string,
  liveDir: string,
  index: SearchFiles | IndexFiles,
  /** The live files' text hashes (`textHash`), when the build recorded them: compared instead of reading every live file. */
  liveHashes?: ReadonlyMap<string, string>,
): Promise<StagedIndex> {
  const files = index instanceof Map ? heldFiles(index) : index;
  const live = path.join(liveDir, INDEX_DIR);
  const stage = path.join(stageDir, INDEX_DIR);
  const changed: Array<[string, string]> = [];
  let before: Set<string>;
  if (liveHashes) {
    // 18,719 files at 100,000 articles: reading each back cost a drop-in 1.2 s; comparing kept hashes, nothing.
    before = new Set(liveHashes.keys());
    for (const [rel, hash] of files.hashes) if (liveHashes.get(rel) !== hash) changed.push([rel, files.text(rel)]);
  } else {
    before = new Set(await listTree(live));
    await each([...files.hashes.keys()], 32, async (rel) => {
      const text = files.text(rel);
      if (before.has(rel) && (await readFile(path.join(live, rel), 'utf8').catch(() => null)) === text) return;
      changed.push([rel, text]);
    });
  }
  for (const dir of new Set(changed.map(([rel]) => path.dirname(rel)))) await mkdir(path.join(stage, dir), { recursive: true });
  await each(changed, 32, ([rel, text]) => writeFile(path.join(stage, rel), text));
  const stale = [...before].filter((rel) => !files.hashes.has(rel)).map((rel) => `${INDEX_DIR}/${rel}`);
  const oldFile = await readFile(path.join(liveDir, 'search-index.json')).then(() => true, () => false);
  if (oldFile) stale.push('search-index.json');
  return { files: files.hashes.size, written: changed.length, removed: stale.length, stale: stale.sort() };
}

/**
 * Stages an index's changes over the live one whose files' hashes are `liveHashes` (the live
 * index being the one the changes were made from): writes into `stageDir/search-index/` the
 * files of `written` whose text differs from the live file's, and names the live files of
 * `removed`. Returns the new index's hashes (paths in order) with the counts.
 */
export async function stageIndexChanges(
  stageDir: string,
  liveDir: string,
  liveHashes: ReadonlyMap<string, string>,
  written: ReadonlyMap<string, string>,
  removed: readonly string[],
): Promise<StagedIndex & { hashes: Map<string, string> }> {
  const hashes = new Map(liveHashes);
  const stage = path.join(stageDir, INDEX_DIR);
  const changed: Array<[string, string]> = [];
  let added = false;
  for (const [rel, text] of written) {
    const hash = textHash(text);
    if (!hashes.has(rel)) added = true;
    if (hashes.get(rel) === hash) continue;
    hashes.set(rel, hash);
    changed.push([rel, text]);
  }
  const stale: string[] = [];
  for (const rel of removed) if (hashes.delete(rel)) stale.push(`${INDEX_DIR}/${rel}`);
  for (const dir of new Set(changed.map(([rel]) => path.dirname(rel)))) await mkdir(path.join(stage, dir), { recursive: true });
  await each(changed, 32, ([rel, text]) => writeFile(path.join(stage, rel), text));
  if (await readFile(path.join(liveDir, 'search-index.json')).then(() => true, () => false)) stale.push('search-index.json');
  const sorted = added ? new Map([...hashes].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) : hashes;
  return { files: sorted.size, written: changed.length, removed: stale.length, stale: stale.sort(), hashes: sorted };
}
