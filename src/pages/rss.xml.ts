/**
 * The latest stories (the config's `feedSize` of them) as RSS 2.0, under the site's title,
 * description and language; items link to story pages under the base (src/lib/site/feed.ts).
 */
import type { APIContext } from 'astro';
import { pageSpec } from '../lib/site/data';
import { feedResponse } from '../lib/site/feed';

export async function GET(context: APIContext) {
  const spec = await pageSpec('feed', 'rss.xml');
  // Rendered by another shard of this build (src/lib/site/data.ts): this file is not kept.
  if (!spec) return new Response('');
  return feedResponse(spec, context.site);
}
