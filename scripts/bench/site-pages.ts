/**
 * Page weight and reachability of a built site (#16): the largest HTML page,
 * the median story page, and how many clicks from the home page every story
 * page is, following plain `<a href>` links only (what a reader without
 * JavaScript, or a crawler, can follow). Used by `npm run bench` and by
 * test/site-pages.test.ts.
 *
 * Breadth-first from index.html; pages deeper than `maxDepth` are not read,
 * so at 100,000 articles it reads the pages near the top, not the archive.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface PageWeights {
  /** HTML pages in dist/. */
  pages: number;
  largest: { page: string; bytes: number };
  /** Median size of the story pages' HTML. */
  medianStory: number;
  storyPages: number;
}

export interface Reachability {
  /** Story pages found within maxDepth clicks of the home page. */
  reached: number;
  storyPages: number;
  /** The most clicks any reached story page needs (its shortest path). */
  maxDepth: number;
  /** Story pages not reached within maxDepth clicks (a few named). */
  missing: string[];
  /** Story pages by the clicks they need: depthCounts[d]. */
  depthCounts: number[];
}

async function htmlFiles(dir: string, rel = '', out: Array<{ rel: string; bytes: number }> = []): Promise<Array<{ rel: string; bytes: number }>> {
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await htmlFiles(dir, r, out);
    else if (e.name.endsWith('.html')) out.push({ rel: r, bytes: (await stat(path.join(dir, r))).size });
  }
  return out;
}

const isStory = (rel: string) => /^stories\/[^/]+\/index\.html$/.test(rel);

export async function pageWeights(dist: string): Promise<PageWeights> {
  const files = await htmlFiles(dist);
  let largest = { page: '', bytes: 0 };
  for (const f of files) if (f.bytes > largest.bytes) largest = { page: f.rel, bytes: f.bytes };
  const stories = files.filter((f) => isStory(f.rel)).map((f) => f.bytes).sort((a, b) => a - b);
  return { pages: files.length, largest, medianStory: stories.length ? stories[Math.floor(stories.length / 2)] : 0, storyPages: stories.length };
}

/** The file a site-internal link leads to, relative to dist/ (null: external, an asset, outside the base). */
export function linkTarget(href: string, fromRel: string, base: string): string | null {
  const origin = 'http://site.invalid';
  const from = new URL(`${base}${fromRel.replace(/index\.html$/, '')}`, origin);
  let url: URL;
  try {
    url = new URL(href.replace(/&amp;/g, '&'), from);
  } catch {
    return null;
  }
  if (url.origin !== origin || !url.pathname.startsWith(base)) return null;
  const rel = decodeURIComponent(url.pathname.slice(base.length));
  if (rel === '' || rel.endsWith('/')) return `${rel}index.html`;
  return rel.endsWith('.html') ? rel : null;
}

export async function reachability(dist: string, options: { base?: string; maxDepth?: number } = {}): Promise<Reachability> {
  const base = (options.base ?? '/').replace(/\/?$/, '/');
  const maxDepth = options.maxDepth ?? 4;
  const depth = new Map<string, number>([['index.html', 0]]);
  let frontier = ['index.html'];
  for (let d = 0; d < maxDepth && frontier.length; d++) {
    const next: string[] = [];
    for (const rel of frontier) {
      // Story pages need not be read at the last level: only whether they are reached counts.
      const html = await readFile(path.join(dist, rel), 'utf8').catch(() => null);
      if (html === null) continue;
      for (const m of html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)) {
        const target = linkTarget(m[1], rel, base);
        if (target && !depth.has(target)) {
          depth.set(target, d + 1);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  const stories = (await readdir(path.join(dist, 'stories')).catch(() => [] as string[])).map((id) => `stories/${id}/index.html`);
  const depthCounts: number[] = [];
  const missing: string[] = [];
  let reached = 0;
  let maxSeen = 0;
  for (const s of stories) {
    const d = depth.get(s);
    if (d === undefined) {
      missing.push(s);
      continue;
    }
    reached++;
    maxSeen = Math.max(maxSeen, d);
    depthCounts[d] = (depthCounts[d] ?? 0) + 1;
  }
  return { reached, storyPages: stories.length, maxDepth: maxSeen, missing: missing.slice(0, 5), depthCounts: Array.from(depthCounts, (n) => n ?? 0) };
}

/** The bench's figures for a built site (scripts/bench.ts): page weight and reachability. */
export interface SiteFigures {
  largestPage: string;
  largestBytes: number;
  /** The largest page outside /search/ (whose no-JavaScript list is the search engineer's: #16). */
  largestListingPage: string;
  largestListingBytes: number;
  medianStoryBytes: number;
  storyPages: number;
  within4: number;
  maxDepth: number;
}

export async function siteFigures(dist: string): Promise<SiteFigures> {
  const files = await htmlFiles(dist);
  const top = (list: typeof files) => list.reduce((a, b) => (b.bytes > a.bytes ? b : a), { rel: '', bytes: 0 });
  const largest = top(files);
  const listing = top(files.filter((f) => !f.rel.startsWith('search/')));
  const w = await pageWeights(dist);
  const r = await reachability(dist);
  return {
    largestPage: largest.rel,
    largestBytes: largest.bytes,
    largestListingPage: listing.rel,
    largestListingBytes: listing.bytes,
    medianStoryBytes: w.medianStory,
    storyPages: r.storyPages,
    within4: r.reached,
    maxDepth: r.maxDepth,
  };
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

/** Rows for the bench's table, one column per size. */
export function siteRows(results: Array<{ articles: number; site?: SiteFigures | null }>): string[][] {
  const col = (f: (s: SiteFigures) => string) => results.map((r) => (r.site ? f(r.site) : '–'));
  return [
    ['pages and reachability', ...results.map((r) => String(r.articles))],
    ['largest HTML page', ...col((s) => `${kb(s.largestBytes)} (${s.largestPage.replace(/index\.html$/, '')})`)],
    ['largest outside /search/', ...col((s) => `${kb(s.largestListingBytes)} (${s.largestListingPage.replace(/index\.html$/, '')})`)],
    ['median story page', ...col((s) => kb(s.medianStoryBytes))],
    ['story pages within 4 clicks', ...col((s) => `${s.within4}/${s.storyPages}`)],
    ['deepest story page (clicks)', ...col((s) => String(s.maxDepth))],
  ];
}
