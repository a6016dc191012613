// @ts-check
import { defineConfig } from 'astro/config';
import sitemap from '@astrojs/sitemap';
import { readFileSync } from 'node:fs';

import { settingsFromEnv } from './src/lib/config-fs.ts';
import { readRedirectsSync } from './src/lib/site/site-index.ts';

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
 */
const settings = settingsFromEnv(process.env);
process.env.NEWSFOLD_SETTINGS = JSON.stringify(settings);
const site = settings.site;
const base = settings.base;

/**
 * A partial build (src/lib/build/index.ts) renders only the pages a change
 * touched, so @astrojs/sitemap would list only those: it passes every page's
 * path in NEWSFOLD_SITEMAP_PAGES, given to the integration as `customPages`,
 * which it merges with the built pages (deduplicated) and sorts. URLs are made
 * the way the integration makes them from built pages, so full and partial
 * builds write the same sitemap.
 */
function customPages() {
  const file = process.env.NEWSFOLD_SITEMAP_PAGES;
  if (!file) return undefined;
  const root = new URL(base.startsWith('/') ? base : `/${base}`, site);
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  return JSON.parse(readFileSync(file, 'utf8')).map((/** @type {string} */ p) => new URL(root.pathname + p, root).href);
}

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
  // A getter: the integration reads its options when the build is done, and a partial build
  // started ahead of its content (src/lib/site/build-gate.ts) writes the page list after this file ran.
  integrations: [
    sitemap({
      get customPages() {
        return customPages();
      },
      // A merged-away story's page only leads to its survivor: not a page to index. Read when the
      // build is done, as customPages is, so a partial build started ahead of its content sees them.
      get filter() {
        const moved = new Set(readRedirectsSync(process.env).map((r) => `stories/${r.from}/`));
        const root = new URL(base, site).pathname.replace(/\/?$/, '/');
        return (/** @type {string} */ page) => !moved.has(new URL(page).pathname.slice(root.length));
      },
    }),
  ],
  // The base as the pages see it (src/lib/site/links.ts). Not import.meta.env.BASE_URL: a stray
  // BASE_URL in the build's environment (vitest sets one, so may a CI) overrides that one.
  vite: { define: { __NEWSFOLD_BASE__: JSON.stringify(base) } },
  devToolbar: { enabled: false },
  // Telemetry is not a config key in Astro 5 (set ASTRO_TELEMETRY_DISABLED=1 instead); it was ignored here and failed tsc.
});
