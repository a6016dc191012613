/**
 * The site's Astro integration: writes the sitemap (sitemap.ts) once a plain
 * `astro build` has rendered the pages, from the same page plan the pages
 * rendered from (data.ts). When the build drives astro (NEWSFOLD_PAGES_FILE
 * set: one shard of the site per child), the build process writes the
 * sitemap from the whole plan instead (src/lib/build/render.ts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { contentDir, PAGES_FILE_ENV, planFromContent, plainPlan } from './data';
import { inSitemap } from './plan';
import { siteOrigin, sitemapFiles } from './sitemap';

export function newsfoldSite(): AstroIntegration {
  return {
    name: 'newsfold-site',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (process.env[PAGES_FILE_ENV]) return;
        const plan = await (plainPlan() ?? planFromContent(contentDir()));
        // The same origin and base as astro.config.mjs and the build process read.
        const { site, base } = siteOrigin();
        const files = sitemapFiles(plan.pages.filter(inSitemap).map((p) => p.path), site, base);
        for (const [name, text] of files) await writeFile(path.join(fileURLToPath(dir), name), text);
        logger.info(`sitemap: ${files.size - 1} file(s)`);
      },
    },
  };
}
