/**
 * An RSS 2.0 feed from a feed spec (plan.ts), through @astrojs/rss: the site's
 * and each outlet's. In the site's language; items dated at the start of
 * their day in the site's time zone (the config's: settings.ts).
 */
import rss from '@astrojs/rss';
import type { FeedSpec } from './plan';
import { basePath } from './links';
import { dayStart, settings } from './settings';

export function feedResponse(spec: FeedSpec, site: URL | undefined): Promise<Response> {
  const base = basePath();
  const { language, timezone } = settings();
  return rss({
    title: spec.title,
    description: spec.description,
    site: new URL(base + spec.home, site).href,
    customData: `<language>${language.toLowerCase()}</language>`,
    items: spec.items.map((item) => ({
      title: item.title,
      link: `${base}${item.path}`,
      pubDate: item.date ? dayStart(item.date.slice(0, 10), timezone) : undefined,
      description: item.description ?? undefined,
    })),
  });
}
