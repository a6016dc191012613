/**
 * The site's content collections, read from what the ingest wrote. The schemas
 * are the ingest's own (src/lib/schema.ts), so the two cannot drift.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { articleSchema, storySchema } from './lib/schema';

const contentDir = process.env.NEWSFOLD_CONTENT || './content';

const articles = defineCollection({
  loader: glob({ pattern: '*.md', base: `${contentDir}/articles`, generateId: ({ data }) => String(data.id) }),
  schema: articleSchema,
});

const stories = defineCollection({
  loader: glob({ pattern: '*.json', base: `${contentDir}/stories`, generateId: ({ data }) => String(data.id) }),
  schema: storySchema,
});

export const collections = { articles, stories };
