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
import { foldDelta, keptSearchIndex, statePath, type CachedEntries, type ContentChanges, type SearchChanges, type SearchIndexRun } from '../store/index.ts';
import type { ArticleIndexEntry, SiteIndex, StoryIndexEntry } from '../site/site-index.ts';
import { searchInputs } from '../search/site-index.ts';
import { entryNamed } from './pages.ts';

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
  return list ? entryNamed(list, file) : undefined;
}

export const manifestPath = (content: string) => statePath(content, 'distManifest');
export const manifestDeltaPath = (content: string) => statePath(content, 'distManifestDelta');

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
  /** Names this whole manifest (`dist-manifest.json`) for the delta written over it; absent in older ones. */
  generation?: string;
  /**
   * How many keys `pages` has, and how many of them are article pages (`articles/...`), as the build
   * that wrote it counted them in its plan: a drop-in need not list 120,000 keys to count them
   * (pages.ts). Absent in older manifests (and in a delta of a build that did not write it): counted then.
   */
  counts?: PageCounts;
}

/** Manifest.counts. */
export interface PageCounts {
  pages: number;
  articles: number;
}

/** The counts of a plan's pages (one hash per page: its manifest's `pages` has as many keys). */
export function pageCounts(pages: ReadonlyArray<{ route: string }>): PageCounts {
  let articles = 0;
  for (const p of pages) if (p.route === 'article') articles++;
  return { pages: pages.length, articles };
}

/** `counts` as read: two whole numbers, else none (the keys are counted). */
const countsOf = (c: unknown): PageCounts | undefined => {
  const x = c as PageCounts | null | undefined;
  return x && Number.isSafeInteger(x.pages) && Number.isSafeInteger(x.articles) && x.pages >= x.articles && x.articles >= 0 ? { pages: x.pages, articles: x.articles } : undefined;
};

/**
 * What partial builds changed since the manifest was last written whole (`dist-manifest.delta.json`):
 * a drop-in changes a few hundred of a year of news's 120,000 page hashes, and writing the whole
 * manifest (16 MB of JSON) was 0.1 s of every drop-in. Applied over the whole manifest of the same
 * `generation` (removals first); any other generation, or none, is not applied.
 */
export interface ManifestDelta {
  version: 1;
  generation: string;
  fingerprint: string;
  site: string;
  /** `files` as `pages`: those added or changed since the whole manifest, and those gone (`filesRemoved`). */
  files: Record<string, string>;
  filesRemoved: string[];
  /** Pages added or whose hash changed since the whole manifest. */
  pages: Record<string, string>;
  /** Pages of the whole manifest gone since (a path here and in `pages` is there again). */
  removed: string[];
  /** Manifest.searchIndex of the manifest this delta makes (none: the whole one's does not stand). */
  searchIndex?: string;
  /** Manifest.counts of the manifest this delta makes (none: the whole one's do not stand). */
  counts?: PageCounts;
}

/** A manifest as read: the whole one with its delta applied, and that delta (for the next partial build's). */
export type ReadManifest = Manifest & { delta?: ManifestDelta };

/**
 * The manifest of the current dist/, if it describes it and the site's code
 * and settings are unchanged; else why not (for the build's log).
 */
export async function readManifest(content: string, stamp: string, siteKey: string): Promise<{ manifest: ReadManifest } | { why: string }> {
  const m = await readMerged(content);
  if (!m) return { why: 'no page manifest of dist/ (missing or unreadable)' };
  // A delta unreadable or of another generation leaves the whole manifest's fingerprint, the dist/ of
  // an earlier build: not this one's stamp, so the next change is a full build, never a wrong one.
  if (!m.pages || typeof m.pages !== 'object' || m.fingerprint !== stamp) return { why: 'the page manifest does not describe dist/' };
  if (m.site !== siteKey) return { why: "the site's code, config or settings changed since dist/ was built" };
  return { manifest: m };
}

/** The manifest on disk: the whole one with the delta of its generation applied; null when unreadable. */
export async function readMerged(content: string): Promise<ReadManifest | null> {
  let m: ReadManifest;
  try {
    m = JSON.parse(await readFile(manifestPath(content), 'utf8')) as Manifest;
  } catch {
    return null;
  }
  if (!m || !m.pages || typeof m.pages !== 'object') return m;
  const delta = m.generation ? await readDelta(content, m.generation) : null;
  if (!delta) return { ...m, counts: countsOf(m.counts) };
  for (const path of delta.removed) delete m.pages[path];
  Object.assign(m.pages, delta.pages);
  const files = m.files ?? {};
  for (const name of delta.filesRemoved) delete files[name];
  Object.assign(files, delta.files);
  // The counts the delta's writer made, if any: a writer that kept none leaves the whole one's stale.
  return { ...m, fingerprint: delta.fingerprint, site: delta.site, files, delta, searchIndex: delta.searchIndex, counts: countsOf(delta.counts) };
}

async function readDelta(content: string, generation: string): Promise<ManifestDelta | null> {
  try {
    const d = JSON.parse(await readFile(manifestDeltaPath(content), 'utf8')) as ManifestDelta;
    const ok = d && d.version === 1 && d.generation === generation && typeof d.fingerprint === 'string' && [d.pages, d.files].every((x) => x && typeof x === 'object') && Array.isArray(d.removed) && Array.isArray(d.filesRemoved);
    return ok ? d : null;
  } catch {
    return null;
  }
}

/**
 * Pages a delta may hold before the manifest is written whole again: a sixteenth of the pages,
 * at least 2,000 (a drop-in changes hundreds; a delta as large as the manifest would cost a parse
 * more than the whole one).
 */
const deltaLimit = (pages: number) => Math.max(2000, pages >> 4);

/**
 * The next manifest after a partial build from `previous`, as a delta over the same whole manifest
 * when it stays small, else null (write it whole). `changed`: the paths whose hash differs from
 * `previous` or that are new (the pages rendered: pages.ts pagesToRender); `removed`: those gone;
 * `pages`: how many `next` has (its plan's pages: not counted again over 120,000 keys).
 */
export function nextDelta(previous: ReadManifest, next: Manifest, changed: string[], removed: string[], pages = Object.keys(next.pages).length): ManifestDelta | null {
  if (!previous.generation || !previous.files || !next.files) return null;
  const paged = foldDelta(Object.entries(previous.delta?.pages ?? {}), previous.delta?.removed, changed, removed, (key) => next.pages[key]);
  // The files' hashes (a few thousand: compared whole).
  const before = previous.files;
  const after = next.files;
  const files = foldDelta(
    Object.entries(previous.delta?.files ?? {}),
    previous.delta?.filesRemoved,
    Object.keys(after).filter((name) => before[name] !== after[name]),
    Object.keys(before).filter((name) => !Object.hasOwn(after, name)),
    (name) => after[name],
  );
  if (paged.set.size + paged.gone.length > deltaLimit(pages)) return null;
  return {
    version: 1,
    generation: previous.generation,
    fingerprint: next.fingerprint,
    site: next.site,
    files: Object.fromEntries(files.set),
    filesRemoved: files.gone,
    pages: Object.fromEntries(paged.set),
    removed: paged.gone,
    ...(next.searchIndex ? { searchIndex: next.searchIndex } : {}),
    ...(next.counts ? { counts: next.counts } : {}),
  };
}
