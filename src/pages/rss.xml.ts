import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { loadSiteIndex } from '../lib/site/data';
import { basePath } from '../lib/site/links';
import { dayStart, settings } from '../lib/site/settings';

/**
 * The latest stories as RSS 2.0 (the config's `feedSize` of them), under the
 * site's title, description and language; items link to story pages under the
 * configured base, dated at the start of their last day in the site's time zone.
 */
export async function GET(context: APIContext) {
  const { stories } = await loadSiteIndex();
  const base = basePath();
  const site = settings();
  return rss({
    title: site.title,
    description: site.description,
    site: new URL(base, context.site).href,
    customData: `<language>${site.language.toLowerCase()}</language>`,
    items: stories.slice(0, site.feedSize).map((s) => ({
      title: s.headline,
      link: `${base}stories/${s.id}/`,
      pubDate: s.lastDate ? dayStart(s.lastDate, site.timezone) : undefined,
      description: s.summary.join(' ') || undefined,
    })),
  });
}
