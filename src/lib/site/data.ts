/**
 * What the pages read, loaded once per build.
 *
 *  - `loadSiteIndex()`: the compact site index (src/lib/site/site-index.ts), for
 *    every aggregate page and cross-link: home, outlets, search, RSS, the
 *    search index, related stories, an article's story link. Read from
 *    `<NEWSFOLD_SITE_CONTENT>/.newsfold/site-index.json` when src/lib/build/index.ts
 *    set that variable (it wrote the file), else computed from NEWSFOLD_CONTENT.
 *  - `loadContent()`: the content collections, only for the article and story
 *    pages themselves. In a partial build they hold only the entries of the
 *    pages being rebuilt, read from the delta folder's files at render time
 *    (NEWSFOLD_CONTENT_FROM_FILES: src/lib/site/build-gate.ts).
 *
 * Everything here reads files the build script writes, so it first waits for
 * its go-ahead (src/lib/site/build-gate.ts): a partial build's astro child is
 * started with the ingest, bundles the site while the ingest runs, and waits
 * here, when the first page is about to render, for its content.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getCollection, type CollectionEntry } from 'astro:content';
import { articleBody, buildSiteIndex, byRecency, readBodies, readContent, SITE_INDEX_REL, type IndexStory, type SiteIndex } from './site-index';
import { renderBody } from './body-html';
import { contentFromFiles, waitForGo } from './build-gate';

export type ArticleEntry = CollectionEntry<'articles'>;
export type StoryEntry = CollectionEntry<'stories'>;

let cache: Promise<{ stories: StoryEntry[]; articles: Map<string, ArticleEntry> }> | null = null;

/** The folder the pages' entries come from (in a partial build, the delta folder). */
const pageContentDir = () => path.resolve(process.env.NEWSFOLD_CONTENT || './content');

export function loadContent() {
  cache ??= (async () => {
    await waitForGo();
    if (contentFromFiles()) return entriesFromFiles(pageContentDir());
    const [stories, articles] = await Promise.all([getCollection('stories'), getCollection('articles')]);
    return { stories: stories.sort(byRecency), articles: new Map(articles.map((a) => [a.id, a])) };
  })();
  return cache;
}

/** The collections' entries as the content layer would give them, straight from the files. */
async function entriesFromFiles(dir: string): Promise<{ stories: StoryEntry[]; articles: Map<string, ArticleEntry> }> {
  const parsed = await readContent(dir);
  // `data` went through the collections' schemas in readContent, as the loader's parseData does.
  const stories = parsed.stories.map((s): StoryEntry => ({ id: s.id, collection: 'stories', data: s.data }));
  const articles = parsed.articles.map((a): ArticleEntry => ({ id: a.id, collection: 'articles', data: a.data, filePath: `articles/${a.file}` }));
  return { stories: stories.sort(byRecency), articles: new Map(articles.map((a) => [a.id, a])) };
}

/** The full content folder: the site's, even when the content layer reads a partial one. */
export function siteContentDir(): string {
  return path.resolve(process.env.NEWSFOLD_SITE_CONTENT || process.env.NEWSFOLD_CONTENT || './content');
}

let indexCache: Promise<SiteIndex & { storyById: Map<string, IndexStory> }> | null = null;

export function loadSiteIndex() {
  indexCache ??= (async () => {
    await waitForGo();
    const written = process.env.NEWSFOLD_SITE_CONTENT;
    const index: SiteIndex = written
      ? (JSON.parse(await readFile(path.join(written, SITE_INDEX_REL), 'utf8')) as SiteIndex)
      : buildSiteIndex(await readContent(siteContentDir()));
    return { ...index, storyById: new Map(index.stories.map((s) => [s.id, s])) };
  })();
  return indexCache;
}

/**
 * The outlet pages to render, when src/lib/build/index.ts renders only some (a
 * partial build: the others are kept from the previous dist/, unchanged):
 * the slugs listed in the JSON file NEWSFOLD_OUTLET_PAGES names. Null: all.
 */
export function outletPagesToRender(): Promise<Set<string> | null> {
  return pageList(process.env.NEWSFOLD_OUTLET_PAGES);
}

/**
 * The article pages to render in a partial build: NEWSFOLD_ARTICLE_PAGES names
 * a JSON list of ids. The delta content also holds the unchanged articles a
 * changed story page shows; their own pages are kept from the previous dist/.
 */
export function articlePagesToRender(): Promise<Set<string> | null> {
  return pageList(process.env.NEWSFOLD_ARTICLE_PAGES);
}

async function pageList(file: string | undefined): Promise<Set<string> | null> {
  await waitForGo();
  return file ? new Set(JSON.parse(await readFile(file, 'utf8')) as string[]) : null;
}

/** Every article's Markdown body (for the search index), from the full content folder. */
export async function loadBodies(): Promise<Map<string, string>> {
  await waitForGo();
  return readBodies(siteContentDir());
}

/**
 * An article's body as HTML, rendered from its content file in the folder the
 * content layer loaded (in a partial build, the delta folder's copy: the same
 * bytes). Found by the file's name, not the stored `filePath`: that is relative
 * to the project root, and a store kept in a cache folder may come from a
 * checkout somewhere else.
 */
export async function articleBodyHtml(article: ArticleEntry): Promise<string> {
  if (!article.filePath) throw new Error(`article ${article.id} has no file path in the content store`);
  await waitForGo();
  const file = path.join(pageContentDir(), 'articles', path.basename(article.filePath));
  return renderBody(articleBody(await readFile(file, 'utf8')));
}
