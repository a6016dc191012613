/** Loads the collections once per build and indexes them for the pages. */
import { getCollection, type CollectionEntry } from 'astro:content';

export type ArticleEntry = CollectionEntry<'articles'>;
export type StoryEntry = CollectionEntry<'stories'>;

let cache: Promise<{ stories: StoryEntry[]; articles: Map<string, ArticleEntry> }> | null = null;

/** Newest first by last date, then by headline: a stable order for every build. */
function byRecency(a: StoryEntry, b: StoryEntry): number {
  const da = a.data.lastDate ?? '';
  const db = b.data.lastDate ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return a.data.headline.localeCompare(b.data.headline, 'en') || (a.id < b.id ? -1 : 1);
}

export function loadContent() {
  cache ??= (async () => {
    const [stories, articles] = await Promise.all([getCollection('stories'), getCollection('articles')]);
    return { stories: stories.sort(byRecency), articles: new Map(articles.map((a) => [a.id, a])) };
  })();
  return cache;
}
