/**
 * The site's search index (the folder `/search-index/`, format.ts) from the
 * site index (src/lib/site/site-index.ts) and every article's body or keyword counts.
 *
 * One function for every place it is made, so they cannot drift: the Astro
 * integration (integration-fs.ts: full builds, plain `astro build`, `astro dev`)
 * and src/lib/build/partial.ts, which in a partial build makes it while the astro
 * child renders, from the keyword counts it keeps per article
 * (src/lib/store/search-terms.ts), and writes only the files that changed.
 *
 * No `astro:*` imports: plain Node, usable from the build script and its worker.
 */
import { storyLead, type IndexArticle, type IndexStory, type SiteIndex } from '../site/site-index';
import { outletLabel } from '../site/links';
import { buildSearchRecords, type SearchArticleInput, type SearchStoryInput, type TermStat } from './build';
import { chunkSearchIndex, type SearchFiles } from './chunks';

/** A story's search input from its site index fields (outlets labelled as the pages label them). */
export function storySearchInput(s: Pick<IndexStory, 'id' | 'headline' | 'dek' | 'summary' | 'sources' | 'lastDate' | 'articles' | 'entities'>): SearchStoryInput {
  return {
    id: s.id,
    headline: s.headline,
    dek: s.dek,
    lead: storyLead(s),
    sources: s.sources.map(outletLabel),
    lastDate: s.lastDate,
    articles: s.articles,
    entities: s.entities,
  };
}

/** An article's search input from its site index fields, body aside. */
export function articleSearchInput(a: IndexArticle): Omit<SearchArticleInput, 'body'> {
  return { id: a.id, title: a.title, source: outletLabel(a.source), date: a.date, excerpt: a.excerpt, story: a.story };
}

/**
 * An article as a story's record lists it (build.ts storyRecord's members): articleSearchInput without
 * the excerpt, which a record never uses. A kept article's excerpt is in its site-entries part's tail
 * (store/site-entry-tails.ts): a drop-in whose reweighed words reach a hundred stories read and
 * checked a tail file for nearly every member's part to make records that do not hold it.
 */
export function articleMemberInput(a: IndexArticle): Pick<SearchArticleInput, 'id' | 'title' | 'source' | 'date'> {
  return { id: a.id, title: a.title, source: outletLabel(a.source), date: a.date };
}

/** What the search records are made of, from the site index: every story and article, bodies aside. */
export function searchInputs(site: Pick<SiteIndex, 'stories' | 'articles'>): { stories: SearchStoryInput[]; articles: Array<Omit<SearchArticleInput, 'body'>> } {
  return { stories: site.stories.map(storySearchInput), articles: site.articles.map(articleSearchInput) };
}

/**
 * `bodies`: every article's Markdown body by id; or each article's keyword
 * counts by id (`bodyTermStats` of that body), when the caller kept them.
 */
export function siteSearchFiles(site: Pick<SiteIndex, 'stories' | 'articles'>, bodies: Map<string, string> | ((id: string) => TermStat)): SearchFiles {
  const text = (id: string) => (typeof bodies === 'function' ? { body: '', terms: bodies(id) } : { body: bodies.get(id) ?? '' });
  const input = searchInputs(site);
  const records = buildSearchRecords({ stories: input.stories, articles: input.articles.map((a) => ({ ...a, ...text(a.id) })) });
  return chunkSearchIndex(records);
}

/**
 * Set by src/lib/build/partial.ts for a partial build's astro child: the
 * integration then writes no index, and the build script writes the files
 * that changed from the index it built concurrently (the child would
 * otherwise spend seconds of its one busy core re-reading every body).
 */
export const SEARCH_INDEX_DEFERRED_ENV = 'NEWSFOLD_SEARCH_INDEX_DEFERRED';

export const searchIndexDeferred = (env: NodeJS.ProcessEnv = process.env): boolean => env[SEARCH_INDEX_DEFERRED_ENV] === '1';
