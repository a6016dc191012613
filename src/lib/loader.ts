/**
 * Content-layer loaders for what the ingest wrote: `articles/*.md` and
 * `stories/*.json`, validated with the shared schemas (src/lib/schema.ts).
 *
 * Articles are rendered to HTML once, here, and handed to Astro as
 * `rendered.html`, so `render(entry)` on an article page returns the stored
 * HTML and nothing renders the Markdown again. Rendering goes through Astro's
 * own Markdown pipeline (`renderMarkdown` from the loader context), so output
 * and safety are exactly those of a glob-loaded Markdown file: the ingest
 * escapes `<` and `&` in bodies and no raw-HTML option is enabled anywhere.
 *
 * Work is skipped by content hash, at two levels:
 *  - an entry whose file digest is unchanged since the last build keeps its
 *    stored record (Astro persists the store in its cacheDir);
 *  - a body whose hash matches one already in the store reuses that HTML, so
 *    a file that only changed its front matter (its story, a date), or a
 *    republication carrying the same body, is not rendered again.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Loader, LoaderContext } from 'astro/loaders';
import matter from 'gray-matter';

interface DirOptions {
  /** Folder holding the files, absolute or relative to the project root. */
  dir: string;
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(ext) && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

const resolveDir = (dir: string, ctx: LoaderContext) => path.resolve(new URL('.', ctx.config.root).pathname, dir);

/** Reads files with bounded concurrency: fast on a warm page cache, gentle on file handles. */
async function readAll(dir: string, names: string[], limit = 64): Promise<string[]> {
  const out = new Array<string>(names.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, names.length) }, async () => {
      while (next < names.length) {
        const i = next++;
        out[i] = await readFile(path.join(dir, names[i]), 'utf8');
      }
    }),
  );
  return out;
}

/** Front matter is data only: refuse gray-matter's executable engines, as the ingest does. */
const refuseCode = (): never => {
  throw new Error('executable front matter is not allowed');
};
const MATTER_OPTIONS = { engines: { js: refuseCode, javascript: refuseCode, coffee: refuseCode, coffeescript: refuseCode } };

export function articlesLoader(options: DirOptions): Loader {
  return {
    name: 'newsfold-articles',
    async load(ctx) {
      const { store, parseData, generateDigest, renderMarkdown, logger } = ctx;
      const dir = resolveDir(options.dir, ctx);
      const names = await listFiles(dir, '.md');
      const contents = await readAll(dir, names);
      // body hash -> HTML, from what the store kept of the previous build.
      const htmlByBody = new Map<string, string>();
      for (const entry of store.values()) {
        const key = entry.rendered?.metadata?.bodyDigest;
        if (typeof key === 'string') htmlByBody.set(key, entry.rendered!.html);
      }
      const seen = new Set<string>();
      let rendered = 0;
      let reused = 0;
      let renderMs = 0;
      const started = performance.now();
      for (let i = 0; i < names.length; i++) {
        const text = contents[i];
        const fileId = names[i].slice(0, -3);
        const digest = generateDigest(text);
        const existing = store.get(fileId);
        if (existing && existing.digest === digest && existing.rendered) {
          seen.add(existing.id);
          continue;
        }
        const { data, content } = matter(text, MATTER_OPTIONS as never);
        const id = typeof data.id === 'string' ? data.id : fileId;
        const parsed = await parseData({ id, data, filePath: path.join(dir, names[i]) });
        const bodyKey = generateDigest(content);
        let html = htmlByBody.get(bodyKey);
        if (html === undefined) {
          const t = performance.now();
          html = (await renderMarkdown(content)).html;
          renderMs += performance.now() - t;
          htmlByBody.set(bodyKey, html);
          rendered++;
        } else reused++;
        seen.add(id);
        store.set({
          id,
          data: parsed,
          body: content,
          filePath: path.relative(new URL('.', ctx.config.root).pathname, path.join(dir, names[i])),
          digest,
          // Only the HTML (and the body key for the next build): the body has no images or headings to index.
          rendered: { html, metadata: { bodyDigest: bodyKey } },
        });
      }
      for (const key of store.keys()) if (!seen.has(key)) store.delete(key);
      logger.info(`${names.length} articles: ${rendered} rendered, ${reused} reused by body hash, ${names.length - rendered - reused} unchanged in ${Math.round(performance.now() - started)} ms (${Math.round(renderMs)} ms rendering)`);
    },
  };
}

export function storiesLoader(options: DirOptions): Loader {
  return {
    name: 'newsfold-stories',
    async load(ctx) {
      const { store, parseData, generateDigest } = ctx;
      const dir = resolveDir(options.dir, ctx);
      const names = await listFiles(dir, '.json');
      const contents = await readAll(dir, names);
      const seen = new Set<string>();
      for (let i = 0; i < names.length; i++) {
        const fileId = names[i].slice(0, -5);
        const digest = generateDigest(contents[i]);
        const existing = store.get(fileId);
        if (existing && existing.digest === digest) {
          seen.add(existing.id);
          continue;
        }
        const data = JSON.parse(contents[i]) as Record<string, unknown>;
        const id = typeof data.id === 'string' ? data.id : fileId;
        const parsed = await parseData({ id, data, filePath: path.join(dir, names[i]) });
        seen.add(id);
        store.set({ id, data: parsed, digest });
      }
      for (const key of store.keys()) if (!seen.has(key)) store.delete(key);
    },
  };
}
