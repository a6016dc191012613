/**
 * Content-layer loaders for what the ingest wrote: `articles/*.md` and
 * `stories/*.json`, validated with the shared schemas (src/lib/schema.ts).
 *
 * Article bodies are not rendered here: the article page renders its own
 * body from its file (src/lib/site/data.ts, src/lib/site/body-html.ts), which is quick
 * enough (markdown-it, 10,000 bodies in well under a second) that a store of
 * rendered HTML, its writes and its pruning cost more than they saved.
 *
 * An entry whose file digest is unchanged since the last build keeps its
 * stored record (Astro persists the store in its cacheDir): front matter is
 * parsed and validated only for new and changed files.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Loader, LoaderContext } from 'astro/loaders';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { MATTER_OPTIONS, readAll } from './site-index';
import { contentFromFiles } from './build-gate';

interface DirOptions {
  /** Folder holding the files, absolute or relative to the project root. */
  dir: string;
}

interface ArticlesOptions extends DirOptions {
  /**
   * Keep each article's Markdown body in the store (as `entry.body`). Default
   * true; the store is bundled into the build, so `false` makes it about half
   * the size when no page reads `entry.body`.
   */
  retainBody?: boolean;
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(ext) && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * A partial build's pages read their entries from the files at render time
 * (src/lib/site/build-gate.ts, contentFromFiles): the collection is left empty,
 * so the store bundled into the site's code does not depend on the content.
 */
function fromFiles(store: LoaderContext['store']): boolean {
  if (!contentFromFiles()) return false;
  store.clear();
  return true;
}

const rootDir = (ctx: LoaderContext) => fileURLToPath(new URL('.', ctx.config.root));
const resolveDir = (dir: string, ctx: LoaderContext) => path.resolve(rootDir(ctx), dir);

export function articlesLoader(options: ArticlesOptions): Loader {
  return {
    name: 'newsfold-articles',
    async load(ctx) {
      const { store, parseData, generateDigest, logger } = ctx;
      if (fromFiles(store)) return;
      const dir = resolveDir(options.dir, ctx);
      const names = await listFiles(dir, '.md');
      const contents = await readAll(dir, names);
      const seen = new Set<string>();
      let parsedCount = 0;
      const started = performance.now();
      for (let i = 0; i < names.length; i++) {
        const text = contents[i];
        const fileId = names[i].slice(0, -3);
        const digest = generateDigest(text);
        const existing = store.get(fileId);
        if (existing && existing.digest === digest) {
          seen.add(existing.id);
          continue;
        }
        const { data, content } = matter(text, MATTER_OPTIONS as never);
        const id = typeof data.id === 'string' ? data.id : fileId;
        const file = path.join(dir, names[i]);
        const parsed = await parseData({ id, data, filePath: file });
        seen.add(id);
        parsedCount++;
        store.set({
          id,
          data: parsed,
          body: options.retainBody === false ? undefined : content,
          // The article page reads its body from here (src/lib/site/data.ts).
          filePath: path.relative(rootDir(ctx), file),
          digest,
        });
      }
      for (const key of store.keys()) if (!seen.has(key)) store.delete(key);
      logger.info(`${names.length} articles: ${parsedCount} parsed, ${names.length - parsedCount} unchanged, in ${Math.round(performance.now() - started)} ms`);
    },
  };
}

export function storiesLoader(options: DirOptions): Loader {
  return {
    name: 'newsfold-stories',
    async load(ctx) {
      const { store, parseData, generateDigest } = ctx;
      if (fromFiles(store)) return;
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
