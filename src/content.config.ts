/**
 * The site's content collections, read from what the ingest wrote. The schemas
 * are the ingest's own (src/lib/schema.ts), so the two cannot drift. The
 * loaders (src/lib/site/loader.ts) skip files whose content hash is unchanged
 * since the last build.
 */
import { defineCollection } from 'astro:content';
import { articlesLoader, storiesLoader } from './lib/site/loader';
import { articleSchema, storySchema } from './lib/schema';

const contentDir = process.env.NEWSFOLD_CONTENT || './content';

const articles = defineCollection({
  // No page reads entry.body (pages and the search index read bodies from the files): keep the store small.
  loader: articlesLoader({ dir: `${contentDir}/articles`, retainBody: false }),
  schema: articleSchema,
});

const stories = defineCollection({
  loader: storiesLoader({ dir: `${contentDir}/stories` }),
  schema: storySchema,
});

export const collections = { articles, stories };
