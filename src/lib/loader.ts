/**
 * Content-layer loaders for what the ingest wrote: `articles/*.md` and
 * `stories/*.json`, validated with the shared schemas (src/lib/schema.ts).
 *
 * Articles are rendered to HTML once, here, and kept beside the store, under
 * the body's digest (src/lib/html-store.ts); the store holds the digest, and the
 * article page reads the HTML back, so nothing renders the Markdown again.
 * Rendering is src/lib/body-html.ts (markdown-it, raw HTML off, http(s) links
 * only); the ingest also escapes `<` and `&` in bodies.
 *
 * Work is skipped by content hash, at two levels:
 *  - an entry whose file digest is unchanged since the last build keeps its
 *    stored record (Astro persists the store in its cacheDir);
 *  - a body whose hash matches one already rendered reuses that HTML, so
 *    a file that only changed its front matter (its story, a date), or a
 *    republication carrying the same body, is not rendered again.
 *
 * Rendering is quick enough (10,000 bodies in well under a second) to stay
 * in-process: no worker threads.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Loader, LoaderContext } from 'astro/loaders';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { readAll } from './loader-index';
import { hasHtml, pruneHtml, writeHtml } from './html-store';
import { renderBody } from './body-html';

interface DirOptions {
  /** Folder holding the files, absolute or relative to the project root. */
  dir: string;
}

interface ArticlesOptions extends DirOptions {
  /**
   * Keep each article's Markdown body in the store (as `entry.body`) beside its
   * HTML. Default true; the store is bundled into the build, so `false` makes
   * it about half the size when no page reads `entry.body`.
   */
  retainBody?: boolean;
  /** Folder for the bodies' HTML (src/lib/html-store.ts). */
  htmlDir: string;
  /**
   * This build loads every article (not a partial build's delta): HTML of bodies
   * no longer used is removed from `htmlDir`.
   */
  prune?: boolean;
  /** Markdown body to HTML. Default src/lib/body-html.ts; tests count calls through it. */
  render?: (body: string) => string;
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(ext) && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

const rootDir = (ctx: LoaderContext) => fileURLToPath(new URL('.', ctx.config.root));
const resolveDir = (dir: string, ctx: LoaderContext) => path.resolve(rootDir(ctx), dir);

/** Front matter is data only: refuse gray-matter's executable engines, as the ingest does. */
const refuseCode = (): never => {
  throw new Error('executable front matter is not allowed');
};
const MATTER_OPTIONS = { engines: { js: refuseCode, javascript: refuseCode, coffee: refuseCode, coffeescript: refuseCode } };

export function articlesLoader(options: ArticlesOptions): Loader {
  return {
    name: 'newsfold-articles',
    async load(ctx) {
      const { store, parseData, generateDigest, logger } = ctx;
      const render = options.render ?? renderBody;
      const dir = resolveDir(options.dir, ctx);
      const names = await listFiles(dir, '.md');
      const contents = await readAll(dir, names);
      const htmlDir = options.htmlDir;
      const seen = new Set<string>();
      const bodies = new Set<string>();
      const pending: Array<{ id: string; data: Record<string, unknown>; body: string; bodyKey: string; digest: string; filePath: string }> = [];
      const toRender = new Map<string, string>();
      const started = performance.now();
      for (let i = 0; i < names.length; i++) {
        const text = contents[i];
        const fileId = names[i].slice(0, -3);
        const digest = generateDigest(text);
        const existing = store.get(fileId);
        const existingBody = existing?.rendered?.metadata?.bodyDigest;
        if (existing && existing.digest === digest && typeof existingBody === 'string' && hasHtml(htmlDir, existingBody)) {
          seen.add(existing.id);
          bodies.add(existingBody);
          continue;
        }
        const { data, content } = matter(text, MATTER_OPTIONS as never);
        const id = typeof data.id === 'string' ? data.id : fileId;
        const file = path.join(dir, names[i]);
        const parsed = await parseData({ id, data, filePath: file });
        const bodyKey = generateDigest(content);
        // A body already rendered (this build, or any earlier full or partial one) is not rendered again.
        if (!toRender.has(bodyKey) && !hasHtml(htmlDir, bodyKey)) toRender.set(bodyKey, content);
        seen.add(id);
        bodies.add(bodyKey);
        pending.push({ id, data: parsed, body: content, bodyKey, digest, filePath: path.relative(rootDir(ctx), file) });
      }
      const renderStarted = performance.now();
      for (const [key, body] of toRender) await writeHtml(htmlDir, key, render(body));
      const renderMs = performance.now() - renderStarted;
      for (const e of pending) {
        store.set({
          id: e.id,
          data: e.data,
          body: options.retainBody === false ? undefined : e.body,
          filePath: e.filePath,
          digest: e.digest,
          // Only the body's digest: its HTML is in `htmlDir`, outside the store Astro bundles.
          rendered: { html: '', metadata: { bodyDigest: e.bodyKey } },
        });
      }
      const rendered = toRender.size;
      const reused = pending.length - rendered;
      for (const key of store.keys()) if (!seen.has(key)) store.delete(key);
      if (options.prune) await pruneHtml(htmlDir, bodies);
      logger.info(`${names.length} articles: ${rendered} rendered, ${reused} reused by body hash, ${names.length - pending.length} unchanged in ${Math.round(performance.now() - started)} ms (${Math.round(renderMs)} ms rendering)`);
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
