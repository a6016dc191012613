/** An RSS 2.0 feed from a feed spec (plan.ts), through @astrojs/rss: the site's and each outlet's. */
import rss from '@astrojs/rss';
import type { FeedSpec } from './plan';
import { basePath } from './links';

export function feedResponse(spec: FeedSpec, site: URL | undefined): Promise<Response> {
  const base = basePath();
  return rss({
    title: spec.title,
    description: spec.description,
    site: new URL(base + spec.home, site).href,
    items: spec.items.map((item) => ({
      title: item.title,
      link: `${base}${item.path}`,
      pubDate: item.date ? new Date(`${item.date}T00:00:00Z`) : undefined,
      description: item.description ?? undefined,
    })),
  });
}
