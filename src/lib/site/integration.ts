/**
 * The site's Astro integration: writes the sitemap (sitemap.ts) once a plain
 * `astro build` has rendered the pages, from the same page plan the pages
 * rendered from (data.ts). When the build drives astro (NEWSFOLD_PAGES_FILE
 * set: one shard of the site per child), the build process writes the
 * sitemap from the whole plan instead (src/lib/build/render.ts).
 *
 * A plain build whose output folder is outside the project also gets the
 * content layer's two module stubs (`export default new Map();`) that Astro
 * writes in `.astro/`: it puts its server bundle there in that case, then
 * copies whatever is left in that folder into the output. They are no file of
 * the site, so the hook removes them; a build's children never move them into
 * dist/ (render.ts keepFromChild).
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { contentDir, PAGES_FILE_ENV, planFromContent, plainPlan } from './data';
import { inSitemap } from './plan';
import { siteOrigin, sitemapFiles } from './sitemap';

/** What Astro leaves in `.astro/` for the content layer, copied into an output folder outside the project. */
export const CONTENT_LAYER_STUBS = ['content-assets.mjs', 'content-modules.mjs'];

export function newsfoldSite(): AstroIntegration {
  return {
    name: 'newsfold-site',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (process.env[PAGES_FILE_ENV]) return;
        for (const stub of CONTENT_LAYER_STUBS) await rm(path.join(fileURLToPath(dir), stub), { force: true });
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
