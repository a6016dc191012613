/**
 * What a build keeps of the dist/ it made, for the next build to render only
 * what changed (a partial build): the manifest of every page's dependency
 * hash (pages.ts), and the search index made in the build process from
 * per-article keyword counts kept between builds. src/lib/build/index.ts
 * decides what to render; render.ts renders it; site-build.ts lays it in.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { keptSearchIndex, statePath, type CachedEntries, type ContentChanges, type SearchChanges, type SearchIndexRun } from '../store/index.ts';
import type { ArticleIndexEntry, SiteIndex, StoryIndexEntry } from '../site/site-index.ts';
import { searchInputs } from '../search/site-index.ts';

/**
 * The search index's files, made in the build process while the astro
 * children render (they write none: NEWSFOLD_SEARCH_INDEX_DEFERRED), byte for
 * byte what the Astro integration makes in a plain `astro build`
 * (src/lib/search/site-index.ts), from the records, counts and index files
 * kept between builds (store/search-kept.ts keptSearchIndex). A drop-in whose
 * site entries followed the ingest's changes (`cached.changed`) hands the
 * search phase those changes and lookups of single entries
 * (store/search-follow.ts): it reads the changed articles' bodies and remakes
 * the records they reach. Any other build hands it every story and article
 * of the site index (made only if asked for).
 */
export function partialSearchIndex(content: string, index: SiteIndex, cached: CachedEntries, changes?: ContentChanges | null): Promise<SearchIndexRun> {
  const { entries } = cached;
  const whole = () => {
    // Each story's content file hash: its record is keyed by it (store/search-terms.ts).
    const storyHashes = new Map(entries.stories.map((s) => [s.id, s.hash]));
    const named = entries.articles.every((a) => a.file === `${a.id}.md`) && entries.stories.every((s) => s.file === `${s.id}.json`);
    return { input: { ...searchInputs(index), storyHash: (id: string) => storyHashes.get(id), named, content: changes?.to ?? null }, texts: cached.articles };
  };
  const follow: SearchChanges | null =
    changes && cached.changed && cached.was
      ? {
          from: changes.from,
          to: changes.to,
          files: [...cached.changed],
          before: (key) => cached.was!.get(key),
          now: (key) => entryOf(entries, key),
          articles: entries.articles.length,
          stories: entries.stories.length,
          text: (file) => readFileSync(path.join(content, 'articles', file), 'utf8'),
        }
      : null;
  return keptSearchIndex(content, whole, follow);
}

/** The entry of `<folder>/<file>` now: a binary search of the entries, which are in file-name order (SiteEntries). */
function entryOf(entries: CachedEntries['entries'], key: string): ArticleIndexEntry | StoryIndexEntry | undefined {
  const slash = key.indexOf('/');
  const folder = key.slice(0, slash);
  const file = key.slice(slash + 1);
  const list: Array<ArticleIndexEntry | StoryIndexEntry> | null = folder === 'articles' ? entries.articles : folder === 'stories' ? entries.stories : null;
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].file < file) lo = mid + 1;
    else hi = mid;
  }
  return list[lo]?.file === file ? list[lo] : undefined;
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
  /**
   * The stamp of search-index.log (store/search-terms.ts) when it held the index these files are:
   * a drop-in that changes that index stages its changes alone (site-build.ts). Absent in older manifests.
   */
  searchIndex?: string;
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
