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
  /** Names this whole manifest (`dist-manifest.json`) for the delta written over it; absent in older ones. */
  generation?: string;
}

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
  if (!delta) return m;
  for (const path of delta.removed) delete m.pages[path];
  Object.assign(m.pages, delta.pages);
  const files = m.files ?? {};
  for (const name of delta.filesRemoved) delete files[name];
  Object.assign(files, delta.files);
  return { ...m, fingerprint: delta.fingerprint, site: delta.site, files, delta };
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
  const paged = fold(previous.delta?.pages, previous.delta?.removed, changed, removed, next.pages);
  // The files' hashes (a few thousand: compared whole).
  const before = previous.files;
  const after = next.files;
  const files = fold(
    previous.delta?.files,
    previous.delta?.filesRemoved,
    Object.keys(after).filter((name) => before[name] !== after[name]),
    Object.keys(before).filter((name) => !Object.hasOwn(after, name)),
    after,
  );
  if (Object.keys(paged.set).length + paged.gone.length > deltaLimit(pages)) return null;
  return { version: 1, generation: previous.generation, fingerprint: next.fingerprint, site: next.site, files: files.set, filesRemoved: files.gone, pages: paged.set, removed: paged.gone };
}

/** A delta's entries after one more change: `changed` now as in `now`, `removed` gone. */
function fold(set: Record<string, string> | undefined, gone: string[] | undefined, changed: string[], removed: string[], now: Record<string, string>): { set: Record<string, string>; gone: string[] } {
  const out: Record<string, string> = { ...set };
  const out2 = new Set(gone);
  for (const key of removed) {
    delete out[key];
    out2.add(key);
  }
  for (const key of changed) out[key] = now[key];
  return { set: out, gone: [...out2].sort() };
}
