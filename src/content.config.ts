/**
 * The site's content collections, read from what the ingest wrote. The schemas
 * are the ingest's own (src/lib/schema.ts), so the two cannot drift. The
 * loaders (src/lib/loader.ts) render each article body to HTML once, skipping
 * files and bodies whose content hash is unchanged since the last build.
 */
import { defineCollection } from 'astro:content';
import { articlesLoader, storiesLoader } from './lib/loader';
import { articleSchema, storySchema } from './lib/schema';
import { htmlStoreDir } from './lib/html-store';
import path from 'node:path';

const contentDir = process.env.NEWSFOLD_CONTENT || './content';

const articles = defineCollection({
  // No page reads entry.body (the search index reads bodies from the files): keep the store small.
  loader: articlesLoader({
    dir: `${contentDir}/articles`,
    retainBody: false,
    htmlDir: htmlStoreDir(),
    // A partial build (scripts/lib/build.ts) loads only a delta folder: keep the other bodies' HTML.
    prune: !process.env.NEWSFOLD_SITE_CONTENT || path.resolve(process.env.NEWSFOLD_SITE_CONTENT) === path.resolve(contentDir),
  }),
  schema: articleSchema,
});

const stories = defineCollection({
  loader: storiesLoader({ dir: `${contentDir}/stories` }),
  schema: storySchema,
});

export const collections = { articles, stories };
