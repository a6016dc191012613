/**
 * The Astro integration that makes the search index (`/search-index/`): a
 * folder of some thousands of small files is written once the pages are built
 * (`astro:build:done`), not rendered as thousands of endpoints, and served
 * from memory by `astro dev`.
 *
 * A partial build's astro child (src/lib/build/partial.ts sets
 * NEWSFOLD_SEARCH_INDEX_DEFERRED) writes none: the build script makes the
 * index beside it from stored keyword counts and writes only what changed.
 *
 * Node only (hence `-fs`). Reads what the pages read (src/lib/site/data.ts), without `astro:content`:
 * the site index and the bodies from the site's content folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildSiteIndex, readBodies, readContent } from '../site/site-index';
import { INDEX_DIR } from './format';
import type { SearchFiles } from './chunks';
import { searchIndexDeferred, siteSearchFiles } from './site-index';
import { writeSearchIndex } from './write-fs';

async function siteFiles(): Promise<SearchFiles> {
  const content = path.resolve(process.env.NEWSFOLD_SITE_CONTENT || process.env.NEWSFOLD_CONTENT || './content');
  return siteSearchFiles(buildSiteIndex(await readContent(content)), await readBodies(content));
}

export function searchIndex(): AstroIntegration {
  let base = '/';
  return {
    name: 'newsfold-search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (searchIndexDeferred()) return;
        const started = performance.now();
        const counts = await writeSearchIndex(fileURLToPath(dir), await siteFiles());
        logger.info(`search index: ${counts.files} files in ${INDEX_DIR}/ (${Math.round(performance.now() - started)} ms)`);
      },
      'astro:server:setup': ({ server }) => {
        // Made again whenever a page asks for the manifest, so content edits show up.
        let files: Promise<SearchFiles> | null = null;
        const prefix = `${base}${INDEX_DIR}/`;
        server.middlewares.use((req, res, next) => {
          const url = new URL(req.url ?? '/', 'http://dev');
          if (!url.pathname.startsWith(prefix)) return next();
          const rel = decodeURIComponent(url.pathname.slice(prefix.length));
          if (rel === 'manifest.json' || !files) files = siteFiles();
          files.then(
            (all) => {
              const text = all.get(rel);
              if (text === undefined) res.writeHead(404).end('not found');
              else res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(text);
            },
            (err: Error) => res.writeHead(500).end(err.message),
          );
        });
      },
    },
  };
}
