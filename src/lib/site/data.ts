/**
 * What the pages read, loaded once per astro process.
 *
 *  - `pagesOf(route)` / `pageSpec(route)`: the page specs this process renders
 *    (src/lib/site/plan.ts). When the build drives astro (src/lib/build) it
 *    writes them, for one shard of the site, to the JSON file named by
 *    NEWSFOLD_PAGES_FILE: getStaticPaths take their pages from there and no
 *    process holds the whole site. A plain `astro build` or `astro dev` (tests,
 *    by hand) plans the whole site here from the content folder instead, with
 *    the same function, so its pages are the same bytes.
 *  - `readArticle` / `readStory`: an article or story page's own entries, read
 *    from the content files when the page renders, parsed and validated with
 *    the shared schemas (src/lib/schema.ts). Nothing is loaded through Astro's
 *    content layer: its data store is bundled into the build, and at 100,000
 *    articles it no longer fits in a child's heap (#15).
 *  - `loadSiteIndex()` / `loadBodies()`: the whole site index and every body,
 *    for the pages outside the plan (search.astro, the search index endpoint).
 *
 * Everything here reads files the build writes, so it first waits for its
 * go-ahead (build-gate.ts): an astro child started with the ingest bundles the
 * site while the ingest runs, and waits here for its pages.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { articleBody, buildSiteIndex, entriesOf, parseArticle, parseStory, readBodies, readContent, siteIndexOf, SITE_INDEX_REL, type IndexStory, type SiteIndex } from './site-index';
import { planSite, staticInputs, type PageRoute, type PageSpec, type SitePlan } from './plan';
import { settings } from './settings';
import { renderBody } from './body-html';
import { waitForGo } from './build-gate';
import type { ArticleMeta } from '../schema';

/** Names the JSON file ({ pages: PageSpec[] }) of the pages this astro process renders. */
export const PAGES_FILE_ENV = 'NEWSFOLD_PAGES_FILE';

/** The content folder the pages read their files from. */
export const contentDir = () => path.resolve(process.env.NEWSFOLD_SITE_CONTENT || process.env.NEWSFOLD_CONTENT || './content');

/** Kept on globalThis: the sitemap integration (integration.ts) runs outside the pages' bundle. */
const PLAN_KEY = Symbol.for('newsfold.site-plan');
type PlanSlot = Record<symbol, Promise<SitePlan> | undefined>;

/**
 * The whole site's plan from a content folder: what a plain `astro build`
 * renders, and the build process plans the same way (src/lib/build/render.ts).
 */
export async function planFromContent(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<SitePlan> {
  const entries = entriesOf(await readContent(dir));
  const index = siteIndexOf(entries);
  return planSite(index, entries, settings(env), staticInputs(entries));
}

let mine: Promise<{ pages: PageSpec[]; byRoute: Map<PageRoute, PageSpec[]> }> | null = null;

function loadPages() {
  mine ??= (async () => {
    await waitForGo();
    const file = process.env[PAGES_FILE_ENV];
    let pages: PageSpec[];
    if (file) pages = (JSON.parse(await readFile(file, 'utf8')) as SitePlan).pages;
    else {
      const slot = globalThis as unknown as PlanSlot;
      slot[PLAN_KEY] ??= planFromContent(contentDir());
      pages = (await slot[PLAN_KEY]).pages;
    }
    const byRoute = new Map<PageRoute, PageSpec[]>();
    for (const p of pages) {
      const list = byRoute.get(p.route);
      if (list) list.push(p);
      else byRoute.set(p.route, [p]);
    }
    return { pages, byRoute };
  })();
  return mine;
}

/** The plan of a plain build, if the pages made one in this process (for the sitemap integration). */
export function plainPlan(): Promise<SitePlan> | undefined {
  return (globalThis as unknown as PlanSlot)[PLAN_KEY];
}

/** This process's pages of one route (getStaticPaths). */
export async function pagesOf<R extends PageRoute>(route: R): Promise<Array<Extract<PageSpec, { route: R }>>> {
  return ((await loadPages()).byRoute.get(route) ?? []) as Array<Extract<PageSpec, { route: R }>>;
}

/**
 * The spec of a page at a fixed URL (home, archive, outlets, the feed), or
 * null when another shard renders it: Astro renders a page that has no
 * getStaticPaths in every process, and the build keeps the owner's file only.
 */
export async function pageSpec<R extends PageRoute>(route: R, pagePath: string): Promise<Extract<PageSpec, { route: R }> | null> {
  return ((await pagesOf(route)).find((p) => p.path === pagePath) as Extract<PageSpec, { route: R }> | undefined) ?? null;
}

/** An article file, parsed and validated, with its body as HTML (raw HTML off: body-html.ts). */
export async function readArticle(file: string) {
  await waitForGo();
  const text = await readFile(path.join(contentDir(), 'articles', path.basename(file)), 'utf8');
  const entry = parseArticle(path.basename(file), text);
  return { id: entry.id, data: entry.data, bodyHtml: () => renderBody(articleBody(text)) };
}

export type ArticleData = Awaited<ReturnType<typeof readArticle>>;

/** An article as a story page's cards read it. */
export interface ArticleEntry {
  id: string;
  data: ArticleMeta;
}

/** A story file and the article files its page shows, parsed and validated. */
export async function readStory(file: string, reads: Array<{ file: string }>) {
  await waitForGo();
  const dir = contentDir();
  const story = parseStory(path.basename(file), await readFile(path.join(dir, 'stories', path.basename(file)), 'utf8'));
  const articles = new Map<string, ArticleEntry>();
  for (const r of reads) {
    const a = parseArticle(path.basename(r.file), await readFile(path.join(dir, 'articles', path.basename(r.file)), 'utf8'));
    articles.set(a.id, { id: a.id, data: a.data });
  }
  return { id: story.id, data: story.data, articles };
}

let indexCache: Promise<SiteIndex & { storyById: Map<string, IndexStory> }> | null = null;

/**
 * The whole site index: for pages outside the plan only (search.astro, the
 * search index endpoint). In a shard that does not render those pages (their
 * output is not kept: src/lib/build/render.ts) it is empty, so that shard's
 * child does not hold the whole site's index.
 */
export function loadSiteIndex() {
  indexCache ??= (async () => {
    await waitForGo();
    if (process.env[PAGES_FILE_ENV] && !(await pagesOf('static')).length) return { stories: [], articles: [], redirects: [], storyById: new Map<string, IndexStory>() };
    const written = process.env.NEWSFOLD_SITE_CONTENT;
    const index: SiteIndex = written
      ? (JSON.parse(await readFile(path.join(written, SITE_INDEX_REL), 'utf8')) as SiteIndex)
      : buildSiteIndex(await readContent(contentDir()));
    return { ...index, storyById: new Map(index.stories.map((s) => [s.id, s])) };
  })();
  return indexCache;
}

/** Every article's Markdown body (for the search index), from the content folder. */
export async function loadBodies(): Promise<Map<string, string>> {
  await waitForGo();
  return readBodies(contentDir());
}
