import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { loadSiteIndex } from '../lib/site/data';
import { basePath } from '../lib/site/links';

/** The latest stories as RSS 2.0; items link to story pages under the configured base. */
export async function GET(context: APIContext) {
  const { stories } = await loadSiteIndex();
  const base = basePath();
  return rss({
    title: 'Newsfold',
    description: 'Every source on each story, side by side, with cited extractive summaries.',
    site: new URL(base, context.site).href,
    items: stories.slice(0, 100).map((s) => ({
      title: s.headline,
      link: `${base}stories/${s.id}/`,
      pubDate: s.lastDate ? new Date(`${s.lastDate}T00:00:00Z`) : undefined,
      description: s.summary.join(' ') || undefined,
    })),
  });
}
