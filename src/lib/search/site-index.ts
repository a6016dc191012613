/**
 * The site's search index (the file `/search-index.json`) from the site index
 * (src/lib/site/site-index.ts) and every article's Markdown body.
 *
 * One function for both places it is made, so they cannot drift: the endpoint
 * src/pages/search-index.json.ts (full builds, plain `astro build`, `astro dev`)
 * and src/lib/build/partial.ts, which in a partial build makes it while the astro
 * child renders, from the keyword counts it keeps per article
 * (src/lib/store/search-terms.ts), and writes it over the endpoint's placeholder.
 *
 * No `astro:*` imports: plain Node, usable from the build script and its worker.
 */
import type { SiteIndex } from '../site/site-index';
import { outletLabel } from '../site/links';
import { buildSearchIndex, serializeSearchIndex, type TermStat } from './build';

/**
 * `bodies`: every article's Markdown body by id; or each article's keyword
 * counts by id (`bodyTermStats` of that body), when the caller kept them.
 */
export function siteSearchIndexJson(site: Pick<SiteIndex, 'stories' | 'articles'>, bodies: Map<string, string> | ((id: string) => TermStat)): string {
  const text = (id: string) => (typeof bodies === 'function' ? { body: '', terms: bodies(id) } : { body: bodies.get(id) ?? '' });
  const index = buildSearchIndex({
    stories: site.stories.map((s) => ({
      id: s.id,
      headline: s.headline,
      dek: s.dek,
      lead: s.summary[0] ?? null,
      sources: s.sources.map(outletLabel),
      lastDate: s.lastDate,
      articles: s.articles,
      entities: s.entities,
    })),
    articles: site.articles.map((a) => ({
      id: a.id,
      title: a.title,
      source: outletLabel(a.source),
      date: a.date,
      excerpt: a.excerpt,
      ...text(a.id),
      story: a.story,
    })),
  });
  return serializeSearchIndex(index);
}

/**
 * Set by src/lib/build/partial.ts for a partial build's astro child: the endpoint writes only
 * this placeholder, and the build script replaces it with the index it built
 * concurrently (the child would otherwise spend 2 s of its one busy core on
 * it, re-reading all bodies, in every partial build). Never served: the
 * build checks it is there and overwrites it before the new dist/ is swapped in.
 */
export const SEARCH_INDEX_DEFERRED_ENV = 'NEWSFOLD_SEARCH_INDEX_DEFERRED';
export const SEARCH_INDEX_PLACEHOLDER = '{"deferred":"src/lib/build/partial.ts writes the search index here"}';

export const searchIndexDeferred = (env: NodeJS.ProcessEnv = process.env): boolean => env[SEARCH_INDEX_DEFERRED_ENV] === '1';
