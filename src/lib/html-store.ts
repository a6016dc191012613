/**
 * Article bodies' HTML, kept beside Astro's content store rather than in it.
 *
 * Astro 5 bundles the whole data store into the build: at 10,000 articles the
 * rendered HTML was more than half of it (17 of 30 MB) and about 500 MB of the
 * build's peak memory. So the loader (src/lib/loader.ts) writes each body's
 * HTML to `<dir>/<body digest>.html` and stores only the digest; the article
 * page reads the file back. Keyed by the body's digest, one folder serves full
 * and partial builds alike: a drop-in renders only bodies never seen before.
 *
 * The folder is `NEWSFOLD_HTML_CACHE`, else `newsfold-html` in Astro's cache
 * folder (`NEWSFOLD_CACHE`, default `node_modules/.astro`, as in astro.config.mjs).
 * Plain Node: used by the loader, the page and the build script.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export function htmlStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.NEWSFOLD_HTML_CACHE || path.join(env.NEWSFOLD_CACHE || 'node_modules/.astro', 'newsfold-html'));
}

/** A digest is a file name only if it is one: nothing built from it may leave the folder. */
function htmlFile(dir: string, digest: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(digest)) throw new Error(`not a body digest: ${JSON.stringify(digest)}`);
  return path.join(dir, `${digest}.html`);
}

export function hasHtml(dir: string, digest: string): boolean {
  return existsSync(htmlFile(dir, digest));
}

/** Written through a temporary file and a rename: a crash never leaves half a body to be trusted later. */
export async function writeHtml(dir: string, digest: string, html: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = htmlFile(dir, digest);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, html);
  await rename(tmp, file);
}

export async function readHtml(dir: string, digest: string): Promise<string> {
  try {
    return await readFile(htmlFile(dir, digest), 'utf8');
  } catch (err) {
    throw new Error(`rendered body ${digest} is missing from ${dir} (${(err as Error).message}); rebuild to render it again`);
  }
}

/** Removes the HTML of bodies no longer in use (a full build knows them all). */
export async function pruneHtml(dir: string, keep: Set<string>): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const digest = name.endsWith('.html') ? name.slice(0, -5) : null;
    if (digest !== null && keep.has(digest)) continue;
    await rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
