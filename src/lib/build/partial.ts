/**
 * Partial builds (a drop-in): each page's dependency hash, the plan of what to
 * render, the delta content folder and page lists the astro child reads, the
 * search index made beside it, and laying the new pages over a hard-linked
 * copy of dist/. src/lib/build/index.ts decides when a partial build runs.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { searchTerms, sha256, statePath, type CachedContent } from '../store/index.ts';
import { CONTENT_FROM_FILES_ENV } from '../site/build-gate.ts';
import type { ParsedContent, SiteIndex } from '../site/site-index.ts';
import { outletSlug } from '../site/links.ts';
import { SEARCH_INDEX_DEFERRED_ENV, SEARCH_INDEX_PLACEHOLDER, siteSearchIndexJson } from '../search/site-index.ts';
import { astroBuild, type AstroRun } from './astro-child.ts';
import { linkDist, overlay } from './dist-fs.ts';

/**
 * The search index's text for a partial build, made here while the astro child
 * renders (its endpoint writes only a placeholder), byte for byte what the
 * endpoint makes in a full build (src/lib/search/site-index.ts): from the site
 * index as written, and each article's keyword counts, kept between builds
 * (search-terms.ts) so only the changed articles' bodies are read.
 */
export async function partialSearchIndex(content: string, indexText: string, parsed: CachedContent): Promise<{ text: string; computed: number }> {
  const terms = await searchTerms(content, parsed.articles);
  return { text: siteSearchIndexJson(JSON.parse(indexText) as SiteIndex, terms.statsOf), computed: terms.computed };
}

/** Writes the search index over the placeholder the astro child wrote (and checks it is where expected). */
async function placeSearchIndex(outDir: string, text: string): Promise<void> {
  const file = path.join(outDir, 'search-index.json');
  const found = await readFile(file, 'utf8').catch(() => null);
  if (found !== SEARCH_INDEX_PLACEHOLDER) throw new Error(`search index placeholder not found at ${file}`);
  await writeFile(file, text);
}

export const manifestPath = (content: string) => statePath(content, 'distManifest');

export interface Manifest {
  fingerprint: string;
  site: string;
  pages: Record<string, string>;
}

/**
 * The manifest of the current dist/, if it describes it and the site's code
 * and settings are unchanged; else why not (for the build's log).
 */
export async function readManifest(content: string, stamp: string, siteKey: string): Promise<{ manifest: Manifest } | { why: string }> {
  let m: Manifest;
  try {
    m = JSON.parse(await readFile(manifestPath(content), 'utf8')) as Manifest;
  } catch {
    return { why: 'no page manifest of dist/ (missing or unreadable)' };
  }
  if (!m || !m.pages || typeof m.pages !== 'object' || m.fingerprint !== stamp) return { why: 'the page manifest does not describe dist/' };
  if (m.site !== siteKey) return { why: "the site's code, config or settings changed since dist/ was built" };
  return { manifest: m };
}

/**
 * A hash per article and story page of everything it shows: `articles/<id>`
 * (its file, its story's id and headline), `stories/<id>` (its file, the files
 * of the articles it shows, its related stories' headlines and dates).
 */
export function pageHashes(parsed: ParsedContent, index: SiteIndex): Record<string, string> {
  const fileHash = new Map(parsed.articles.map((a) => [a.id, textHash(a)]));
  const storyById = new Map(index.stories.map((s) => [s.id, s]));
  const pages: Record<string, string> = {};
  for (const a of parsed.articles) {
    const story = storyById.get(a.data.story);
    pages[`articles/${a.id}`] = sha256(['a', fileHash.get(a.id), a.data.story, story ? story.headline : '\u0000none'].join('\u0000'));
  }
  for (const s of parsed.stories) {
    const parts = ['s', textHash(s)];
    for (const id of storyArticleIds(s.data)) parts.push(`${id}:${fileHash.get(id) ?? 'none'}`);
    for (const { id, shared } of storyById.get(s.id)?.related ?? []) {
      const r = storyById.get(id)!;
      parts.push(`related:${id}:${r.headline}:${r.firstDate}:${r.lastDate}:${shared.join('\u0001')}`);
    }
    // An editor's notes link the stories articles moved to (by headline) and from.
    for (const e of s.data.edits ?? []) {
      if (e.kind === 'moved-out') for (const id of e.to) parts.push(`moved-to:${id}:${storyById.get(id)?.headline ?? '\u0000none'}`);
      if (e.kind === 'moved-in' && e.from) parts.push(`moved-from:${e.from}:${storyById.has(e.from)}`);
    }
    pages[`stories/${s.id}`] = sha256(parts.join('\u0000'));
  }
  for (const [slug, shown] of outletPages(index)) pages[`outlets/${slug}`] = sha256(JSON.stringify(shown));
  return pages;
}

/**
 * What each outlet page (src/pages/outlets/[slug].astro) reads, by slug: its
 * name, and the whole site-index entries of its articles and of the stories
 * they are in. Whole entries, not the fields the page shows today: a page edited
 * to show one more field must not be left stale by a later drop-in. A drop-in
 * changes a few outlets' pages; the others are kept from dist/.
 */
function outletPages(index: SiteIndex): Map<string, unknown[]> {
  const bySlug = new Map<string, { source: string; articles: SiteIndex['articles'] }>();
  for (const a of index.articles) {
    const slug = outletSlug(a.source);
    const o = bySlug.get(slug);
    if (o) o.articles.push(a);
    else bySlug.set(slug, { source: a.source, articles: [a] });
  }
  const out = new Map<string, unknown[]>();
  for (const [slug, o] of bySlug) {
    const storyIds = new Set(o.articles.map((a) => a.story));
    out.set(slug, [o.source, o.articles, index.stories.filter((s) => storyIds.has(s.id))]);
  }
  return out;
}

/** A content file's SHA-256: kept with the parsed data when it came from the cache (store/content-cache.ts). */
const textHash = (f: { text: string; hash?: string }): string => f.hash ?? sha256(f.text);

/** Articles a story page reads: its members and those its grouping reasons name. */
const storyArticleIds = (s: ParsedContent['stories'][number]['data']): string[] => [...new Set([...s.articles, ...s.why.map((w) => w.article)])];

export interface PartialPlan {
  /** Article entries the delta content holds: the pages to render and the members changed story pages show. */
  articles: Set<string>;
  /** Article pages to render. */
  articlePages: Set<string>;
  stories: Set<string>;
  /** Outlet pages (slugs) to render. */
  outlets: Set<string>;
  /** Article and story pages to render. */
  pages: number;
  /** Pages of the previous dist/ that no longer exist. */
  removed: string[];
}

/** Partial builds pay off while few pages change; past this share a full build is as quick and simpler. */
const PARTIAL_MAX_SHARE = 0.2;

export function planPartial(before: Record<string, string>, after: Record<string, string>, parsed: ParsedContent): PartialPlan | null {
  const changed = Object.keys(after).filter((k) => before[k] !== after[k]);
  const removed = Object.keys(before).filter((k) => !(k in after));
  const total = Object.keys(after).length;
  if (changed.length > Math.max(20, total * PARTIAL_MAX_SHARE)) return null;
  const articlePages = new Set(changed.filter((k) => k.startsWith('articles/')).map((k) => k.slice(9)));
  const articles = new Set(articlePages);
  const stories = new Set(changed.filter((k) => k.startsWith('stories/')).map((k) => k.slice(8)));
  const outlets = new Set(changed.filter((k) => k.startsWith('outlets/')).map((k) => k.slice(8)));
  // A story page needs the entries of the articles it shows; their own pages are unchanged and kept.
  const storyData = new Map(parsed.stories.map((s) => [s.id, s.data]));
  for (const id of stories) for (const a of storyArticleIds(storyData.get(id)!)) articles.add(a);
  return { articles, articlePages, stories, outlets, pages: articlePages.size + stories.size, removed };
}

/** Where a partial build keeps its delta content, page lists and output. */
export interface PartialPaths {
  work: string;
  delta: string;
  out: string;
  sitemapPages: string;
  outletPages: string;
  articlePages: string;
}

export function partialPaths(content: string, dist: string): PartialPaths {
  const work = statePath(content, 'partial');
  return {
    work,
    delta: path.join(work, 'content'),
    out: `${dist}.tmp-${process.pid}.pages`,
    sitemapPages: path.join(work, 'sitemap-pages.json'),
    outletPages: path.join(work, 'outlet-pages.json'),
    articlePages: path.join(work, 'article-pages.json'),
  };
}

export async function clearPartial(p: PartialPaths): Promise<void> {
  await rm(p.work, { recursive: true, force: true });
  await rm(p.out, { recursive: true, force: true });
}

/** The partial astro child's environment: all paths, so it can start before the files exist. */
export function partialEnv(astroEnv: NodeJS.ProcessEnv, p: PartialPaths, cache: string): NodeJS.ProcessEnv {
  return {
    ...astroEnv,
    NEWSFOLD_CONTENT: p.delta,
    NEWSFOLD_OUT: p.out,
    // Its own cache: the delta store must not replace the full build's warm one.
    NEWSFOLD_CACHE: `${cache}-partial`,
    NEWSFOLD_SITEMAP_PAGES: p.sitemapPages,
    NEWSFOLD_OUTLET_PAGES: p.outletPages,
    NEWSFOLD_ARTICLE_PAGES: p.articlePages,
    [SEARCH_INDEX_DEFERRED_ENV]: '1',
    // The pages read the delta's entries from its files when they render: the bundling needs no content.
    [CONTENT_FROM_FILES_ENV]: '1',
  };
}

export async function partialBuild(args: {
  plan: PartialPlan;
  parsed: ParsedContent;
  siteIndex: SiteIndex;
  dist: string;
  tmp: string;
  work: PartialPaths;
  env: NodeJS.ProcessEnv;
  verbose: boolean;
  /** Makes the search index's text; called once the pages are under way. */
  searchIndex: () => Promise<{ text: string; computed: number }>;
  /** An astro child started with the ingest, waiting for its content; else one is started here. */
  early: AstroRun | null;
}): Promise<{ prepMs: number; astroMs: number; searchMs: number; searchBodies: number; mergeMs: number }> {
  const { plan, parsed, siteIndex, dist, tmp, work } = args;
  const { delta, out } = work;
  const started = performance.now();
  if (!args.early) await clearPartial(work);
  try {
    // The delta content folder: the affected stories and the articles their pages show.
    await mkdir(path.join(delta, 'articles'), { recursive: true });
    await mkdir(path.join(delta, 'stories'), { recursive: true });
    for (const a of parsed.articles) if (plan.articles.has(a.id)) await writeFile(path.join(delta, 'articles', a.file), a.text);
    for (const s of parsed.stories) if (plan.stories.has(s.id)) await writeFile(path.join(delta, 'stories', s.file), s.text);
    // Every page's path for the sitemap (astro.config.mjs gives them to @astrojs/sitemap as customPages).
    const sitemapPages = [
      ...siteIndex.articles.map((a) => `articles/${a.id}/`),
      ...siteIndex.stories.map((s) => `stories/${s.id}/`),
      ...[...new Set(siteIndex.articles.map((a) => outletSlug(a.source)))].map((slug) => `outlets/${slug}/`),
    ];
    await writeFile(work.sitemapPages, JSON.stringify(sitemapPages));
    await writeFile(work.outletPages, JSON.stringify([...plan.outlets].sort()));
    await writeFile(work.articlePages, JSON.stringify([...plan.articlePages].sort()));
    const articleIds = new Set(parsed.articles.map((a) => a.id));
    const storyIds = new Set(parsed.stories.map((s) => s.id));
    const slugs = new Set(parsed.articles.map((a) => outletSlug(a.data.source)));
    const keep: Record<string, Set<string>> = { articles: articleIds, stories: storyIds, outlets: slugs };
    const t0 = performance.now();
    const since = (t: number) => Math.round(performance.now() - t);
    let built: Promise<number>;
    if (args.early) {
      args.early.go();
      built = args.early.done.then(() => since(t0));
    } else {
      built = astroBuild(args.env, args.verbose).then((run) => run.done).then(() => since(t0));
    }
    // Linking the previous dist/ needs nothing from the new pages: done while astro runs.
    const linked = linkDist(dist, tmp, (rel) => {
      const parts = rel.split('/');
      // Pages that no longer exist, and sitemap files (the new build writes them all).
      if (parts.length === 1) return /^sitemap-.*\.xml$/.test(parts[0]);
      return parts.length === 2 && parts[0] in keep && !parts[1].includes('.') && !keep[parts[0]].has(parts[1]);
    });
    // On this thread, idle until astro is done: the index is the other half of a partial build's work.
    const searched = args.searchIndex().then((index) => ({ ...index, ms: since(t0) }));
    // All settled before any failure is thrown: the fallback full build reuses `tmp`, which cp must be done with.
    const settled = await Promise.allSettled([built, searched, linked]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [astroMs, search] = [await built, await searched];
    const t1 = performance.now();
    await placeSearchIndex(out, search.text);
    await overlay(out, tmp);
    return { prepMs: Math.round(t0 - started), astroMs, searchMs: search.ms, searchBodies: search.computed, mergeMs: since(t1) };
  } finally {
    await clearPartial(work);
  }
}
