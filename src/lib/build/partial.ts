/**
 * What a build keeps of the dist/ it made, for the next build to render only
 * what changed (a partial build): the manifest of every page's dependency
 * hash (pages.ts), and the search index made in the build process from
 * per-article keyword counts kept between builds. src/lib/build/index.ts
 * decides what to render; render.ts renders it; site-build.ts lays it in.
 */
import { readFile } from 'node:fs/promises';
import { keptSearchIndex, statePath, type ArticleText, type SearchIndexRun } from '../store/index.ts';
import type { SiteIndex } from '../site/site-index.ts';
import { searchInputs } from '../search/site-index.ts';

/**
 * The search index's files, made in the build process while the astro
 * children render (they write none: NEWSFOLD_SEARCH_INDEX_DEFERRED), byte for
 * byte what the Astro integration makes in a plain `astro build`
 * (src/lib/search/site-index.ts): from the site index, and the records kept
 * between builds with each article's keyword counts and each word's article
 * count, and the index files (store/search-terms.ts keptSearchIndex), so a drop-in reads the changed
 * articles' bodies and makes the records of the stories it touched, not the
 * archive's.
 */
export function partialSearchIndex(content: string, index: SiteIndex, articles: ArticleText[], storyHash?: (id: string) => string | undefined): Promise<SearchIndexRun> {
  return keptSearchIndex(content, { ...searchInputs(index), storyHash }, articles);
}

export const manifestPath = (content: string) => statePath(content, 'distManifest');

export interface Manifest {
  fingerprint: string;
  site: string;
  /** Page path -> hash of its spec (pages.ts). */
  pages: Record<string, string>;
  /**
   * The files this process writes itself (the search index's, under `search-index/`, and the
   * sitemap's), by path in dist/ -> text hash (write-fs.ts textHash): a partial build stages the
   * ones whose hash differs without reading the live ones back. Absent in older manifests.
   */
  files?: Record<string, string>;
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
