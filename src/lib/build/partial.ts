/**
 * What a build keeps of the dist/ it made, for the next build to render only
 * what changed (a partial build): the manifest of every page's dependency
 * hash (pages.ts), and the search index made in the build process from
 * per-article keyword counts kept between builds. src/lib/build/index.ts
 * decides what to render; render.ts renders it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from './write-fs.ts';
import type { SiteIndex } from '../site/site-index.ts';
import { siteSearchIndexJson } from '../search/site-index.ts';
import { searchTerms } from '../store/search-terms.ts';
import type { ArticleText } from '../store/site-entries.ts';

/**
 * The search index's text, made in the build process while the astro children
 * render (their endpoint writes only a placeholder, which the build never
 * keeps), byte for byte what the endpoint makes in a plain `astro build`
 * (src/lib/search/site-index.ts): from the site index (the one written to
 * `<content>/.newsfold/site-index.json`), and each
 * article's keyword counts, kept between builds (search-terms.ts) so only the
 * changed articles' bodies are read.
 */
export async function partialSearchIndex(content: string, index: SiteIndex, articles: ArticleText[]): Promise<{ text: string; computed: number }> {
  const terms = await searchTerms(content, articles);
  return { text: siteSearchIndexJson(index, terms.statsOf), computed: terms.computed };
}

export const manifestPath = (content: string) => path.join(stateDir(content), 'dist-manifest.json');

export interface Manifest {
  fingerprint: string;
  site: string;
  /** Page path -> hash of its spec (pages.ts). */
  pages: Record<string, string>;
}

/** The manifest of the current dist/, if it describes it and the site's code and settings are unchanged. */
export async function readManifest(content: string, stamp: string, siteKey: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await readFile(manifestPath(content), 'utf8')) as Manifest;
    return m && m.fingerprint === stamp && m.site === siteKey && m.pages && typeof m.pages === 'object' ? m : null;
  } catch {
    return null;
  }
}
