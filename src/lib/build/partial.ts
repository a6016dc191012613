/**
 * What a build keeps of the dist/ it made, for the next build to render only
 * what changed (a partial build): the manifest of every page's dependency
 * hash (pages.ts), and the search index made in the build process from
 * per-article keyword counts kept between builds. src/lib/build/index.ts
 * decides what to render; render.ts renders it; site-build.ts lays it in.
 */
import { readFile } from 'node:fs/promises';
import { searchTerms, statePath, type ArticleText } from '../store/index.ts';
import type { SiteIndex } from '../site/site-index.ts';
import { siteSearchIndexJson } from '../search/site-index.ts';

/**
 * The search index's text, made in the build process while the astro children
 * render (their endpoint writes only a placeholder, which the build never
 * keeps), byte for byte what the endpoint makes in a plain `astro build`
 * (src/lib/search/site-index.ts): from the site index (the one written to
 * `<content>/.newsfold/site-index.json`), and each article's keyword counts,
 * kept between builds (search-terms.ts) so only the changed articles' bodies
 * are read.
 */
export async function partialSearchIndex(content: string, index: SiteIndex, articles: ArticleText[]): Promise<{ text: string; computed: number }> {
  const terms = await searchTerms(content, articles);
  return { text: siteSearchIndexJson(index, terms.statsOf), computed: terms.computed };
}

export const manifestPath = (content: string) => statePath(content, 'distManifest');

export interface Manifest {
  fingerprint: string;
  site: string;
  /** Page path -> hash of its spec (pages.ts). */
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
