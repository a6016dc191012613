/**
 * The site half of a build, after the ingest: from the content folder to a
 * new dist/, swapped in atomically.
 *
 *  1. the content files' entries (kept under their stat: store/site-entries.ts),
 *     the site index, the page plan and every page's hash (pages.ts);
 *  2. the pages to render: all of them, or (a previous dist/ built from the
 *     same code and settings, its manifest on disk) those whose hash changed,
 *     laid over a hard-linked copy of the previous dist/ without the pages
 *     that no longer exist;
 *  3. those pages rendered in shards of at most NEWSFOLD_SHARD_PAGES by astro
 *     children (render.ts), or moved in from the folders of a CI matrix's
 *     shard jobs (ci.ts); meanwhile the search index is made here;
 *  4. the search index and the sitemap (from the whole plan) written by this
 *     process, the manifest of page hashes for the next build, the swap.
 * Whatever fails, the previous dist/ is still serving.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { repairDist, moveToTrash, linkDist, removeFiles, replaceFile, moveInto } from './dist-fs.ts';
import { writeFileAtomic, stateDir } from './write-fs.ts';
import { manifestPath, partialSearchIndex, type Manifest } from './partial.ts';
import { pageOutputs, pagesToRender, shardsOf, sitePages, type SitePages } from './pages.ts';
import { isBuildOutput, renderShards, shardWork, type ShardRun } from './render.ts';
import { AstroOutOfMemory, type AstroRun } from './astro-child.ts';
import { SEARCH_INDEX_DEFERRED_ENV } from '../search/site-index.ts';
import { readSiteEntries, type CachedEntries } from '../store/site-entries.ts';
import { isHtmlPage, outputFile } from '../site/plan.ts';
import { isSitemapFile, siteOrigin, sitemapFiles } from '../site/sitemap.ts';
import { buildSettings } from '../site/settings.ts';
import { SITE_INDEX_REL } from '../site/site-index.ts';

export const stampPath = (content: string) => path.join(stateDir(content), 'dist-stamp.json');

/** The content folder's entries and the site's pages, with the site index written where the pages read it. */
export async function siteState(content: string, env: NodeJS.ProcessEnv): Promise<{ cached: CachedEntries; pages: SitePages; ms: number }> {
  const t = performance.now();
  const cached = await readSiteEntries(content);
  const pages = sitePages(cached.entries, env);
  const indexFile = path.join(content, SITE_INDEX_REL);
  if ((await readFile(indexFile, 'utf8').catch(() => null)) !== pages.indexText) await writeFileAtomic(indexFile, pages.indexText);
  return { cached, pages, ms: Math.round(performance.now() - t) };
}

/** The environment of every astro child: the content folder, its written site index, the shared cache. */
export function childEnv(env: NodeJS.ProcessEnv, content: string, cache: string): NodeJS.ProcessEnv {
  return {
    ...env,
    NEWSFOLD_CONTENT: content,
    NEWSFOLD_SITE_CONTENT: content,
    NEWSFOLD_CACHE: cache,
    // The build process makes the search index (partial.ts): a child writes a placeholder, never kept.
    [SEARCH_INDEX_DEFERRED_ENV]: '1',
  };
}

export interface DistArgs {
  content: string;
  dist: string;
  /** The build's environment: NEWSFOLD_SITE, NEWSFOLD_BASE, the settings. */
  env: NodeJS.ProcessEnv;
  /** childEnv(...). */
  astroEnv: NodeJS.ProcessEnv;
  log: (line: string) => void;
  verbose: boolean;
  cached: CachedEntries;
  pages: SitePages;
  /** The manifest of the dist/ on disk when its pages can be reused; null renders every page. */
  previous: Manifest | null;
  /** What the new dist/ is built from (the stamp): content, site code and settings, folder. */
  fingerprint: string;
  siteKey: string;
  /** A child started with the ingest (render.ts shardPaths(shardWork(dist), 0)); stopped if unused. */
  early: AstroRun | null;
  /** Folders written by `--shard k/n` runs (ci.ts), moved in instead of rendering. */
  parts?: string[];
  /** Settled before the swap (the trash's `rm` of an earlier dist/). */
  beforeSwap?: Promise<void>;
}

export interface DistResult {
  mode: 'full' | 'partial';
  pagesRendered: number;
  pagesRemoved: number;
  shards: ShardRun[];
  /** The largest astro child's peak memory (MB), if the children reported it. */
  astroPeakMB: number | null;
  searchBodies: number;
  ms: { render: number; search: number; finish: number };
}

/** Renders what changed into a new dist/ and swaps it in (see the module comment). */
export async function buildDist(args: DistArgs): Promise<DistResult> {
  try {
    return await attempt(args, args.previous);
  } catch (err) {
    // A failed partial build is retried as a full one (the children then start afresh);
    // running out of memory is not: it would only happen again.
    if (!args.previous || err instanceof AstroOutOfMemory || args.parts) throw err;
    args.log(`partial build failed, building everything: ${(err as Error).message.split('\n')[0]}`);
    return attempt({ ...args, early: null }, null);
  } finally {
    await args.early?.stop();
  }
}

async function attempt(args: DistArgs, previous: Manifest | null): Promise<DistResult> {
  const { dist, content, pages, log } = args;
  const tmp = `${dist}.tmp-${process.pid}`;
  const work = shardWork(dist);
  await rm(tmp, { recursive: true, force: true });
  try {
    const { render, removed } = pagesToRender(pages.plan, pages.hashes, previous?.pages ?? null);
    const t0 = performance.now();
    if (previous) {
      // The previous dist/ as hard links (one `cp -al`), less the pages that are gone.
      await linkDist(dist, tmp, () => false);
      await removeFiles(tmp, removed.map(outputFile));
    }
    const outputs = pageOutputs(pages.plan);
    let rendering: Promise<ShardRun[]>;
    if (args.parts) {
      rendering = (async () => {
        for (const dir of args.parts!) await moveInto(dir, tmp, (rel) => outputs.has(rel) || (!isBuildOutput(rel) && !rel.startsWith('.newsfold')));
        return [];
      })();
    } else {
      const { shardPages } = buildSettings(args.env);
      rendering = renderShards({
        shards: shardsOf(render, shardPages),
        outputs,
        into: tmp,
        work,
        env: args.astroEnv,
        verbose: args.verbose,
        early: args.early,
        log,
      });
    }
    // On this thread while the children render: the other half of a build's work.
    const tSearch = performance.now();
    const searched = partialSearchIndex(content, pages.index, args.cached.articles).then((s) => ({ ...s, ms: Math.round(performance.now() - tSearch) }));
    const settled = await Promise.allSettled([rendering, searched]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [shards, search] = [await rendering, await searched];
    const t1 = performance.now();

    await replaceFile(path.join(tmp, 'search-index.json'), search.text);
    // The sitemap from the whole plan, whichever pages were rendered (sitemap.ts).
    const { site, base } = siteOrigin(args.env);
    const sitemap = sitemapFiles(pages.plan.pages.filter(isHtmlPage).map((p) => p.path), site, base);
    for (const [name, text] of sitemap) await replaceFile(path.join(tmp, name), text);
    for (const name of await readdir(tmp)) if (isSitemapFile(name) && !sitemap.has(name)) await rm(path.join(tmp, name), { force: true });

    // What dist/ will be built from, for the next build's plan; it names the fingerprint,
    // so a manifest left by a crash before the swap is simply not used.
    const manifest: Manifest = { fingerprint: args.fingerprint, site: args.siteKey, pages: pages.hashes };
    await writeFileAtomic(manifestPath(content), `${JSON.stringify(manifest)}\n`);
    // The stamp goes first: until the swap is done it says "dist.next holds <fp>".
    await writeFileAtomic(stampPath(content), `next ${args.fingerprint}\n`);
    await rename(tmp, `${dist}.next`);
    await args.beforeSwap;
    // dist -> dist.old, dist.next -> dist, then dist.old goes. After a partial build it is nearly
    // all hard links to the new dist/: moved aside (a rename) and removed beside the next build.
    await repairDist(dist, previous ? (old) => moveToTrash(old, content) : undefined);
    await writeFileAtomic(stampPath(content), `${args.fingerprint}\n`);
    const peaks = shards.map((s) => s.peakMB).filter((m): m is number => m !== null);
    return {
      mode: previous ? 'partial' : 'full',
      pagesRendered: args.parts ? pages.plan.pages.length : render.length,
      pagesRemoved: removed.length,
      shards,
      astroPeakMB: peaks.length ? Math.max(...peaks) : null,
      searchBodies: search.computed,
      ms: { render: Math.round(t1 - t0), search: search.ms, finish: Math.round(performance.now() - t1) },
    };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
