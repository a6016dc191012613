// @ts-check
import { defineConfig } from 'astro/config';
import { newsfoldSite } from './src/lib/site/integration.ts';
import { searchIndex } from './src/lib/search/integration-fs.ts';

import { settingsFromEnv } from './src/lib/config-fs.ts';
import { untreeshakenServerBundle } from './src/lib/site/server-bundle.ts';

/**
 * The site's settings come from newsfold.config.yaml (src/lib/config.ts):
 * `npm run build` validates it first and hands the result in
 * NEWSFOLD_SETTINGS; a bare `astro build` or `astro dev` reads the file here
 * (NEWSFOLD_CONFIG names another). Set in this process's environment, where
 * the pages render, so they read the same settings (src/lib/site/settings.ts).
 * The environment still decides where things go:
 *   NEWSFOLD_SITE  absolute origin the site is served from (canonical URLs, RSS, sitemap), over the config's `site`
 *   NEWSFOLD_BASE  sub-path, e.g. /news/ when dist/ is served below the root, over the config's `base`
 *   NEWSFOLD_OUT   output folder (the atomic build writes to a temporary one and swaps it in)
 *   NEWSFOLD_CONTENT  content folder the ingest wrote (default ./content)
 *   NEWSFOLD_CACHE Astro's cache folder; separate builds running at once need separate caches
 *   NEWSFOLD_PAGES_FILE  the pages this process renders (set by the build for each shard: src/lib/site/data.ts)
 *   NEWSFOLD_LINKED_ROOT  1 when this is a build's astro child, run in a project root of links (src/lib/build/astro-child.ts)
 * What pages show (home days, page sizes, feed size...): the config, through src/lib/site/settings.ts.
 */
const settings = settingsFromEnv(process.env);
process.env.NEWSFOLD_SETTINGS = JSON.stringify(settings);
const site = settings.site;
const base = settings.base;

export default defineConfig({
  site,
  base,
  outDir: process.env.NEWSFOLD_OUT || './dist',
  cacheDir: process.env.NEWSFOLD_CACHE || './node_modules/.astro',
  trailingSlash: 'ignore',
  // Four pages at a time: rendering a page is quick, and one at a time the build mostly waited on
  // each page's file reads and writes (a 10,000-article cold build: 31-33 s at 1, 26 s at 4 or 8).
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 4 },
  // Performance: article bodies are escaped prose with no fenced code (the ingest backslashes
  // backticks), so Shiki only costs start-up and per-body time; output is otherwise identical.
  markdown: { syntaxHighlight: false },
  // The sitemap of a plain `astro build`; a build driven by src/lib/build writes it from the whole page plan.
  // The chunked search index (search-index/) likewise (src/lib/search/integration-fs.ts).
  integrations: [newsfoldSite(), searchIndex()],
  // The base as the pages see it (src/lib/site/links.ts). Not import.meta.env.BASE_URL: a stray
  // BASE_URL in the build's environment (vitest sets one, so may a CI) overrides that one.
  // The server bundle, which a static build deletes once the pages are rendered, is not tree-shaken:
  // about 1 s of every astro child's CPU, a drop-in's included (src/lib/site/server-bundle.ts).
  // A build's astro child runs in a project root of links to this checkout (NEWSFOLD_LINKED_ROOT,
  // src/lib/build/astro-child.ts): Vite keeps the links' paths, under which Astro names the pages.
  vite: {
    define: { __NEWSFOLD_BASE__: JSON.stringify(base) },
    plugins: [untreeshakenServerBundle()],
    resolve: { preserveSymlinks: process.env.NEWSFOLD_LINKED_ROOT === '1' },
  },
  devToolbar: { enabled: false },
  // Telemetry is not a config key in Astro 5 (set ASTRO_TELEMETRY_DISABLED=1 instead); it was ignored here and failed tsc.
});
