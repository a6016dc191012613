/**
 * The site half of a build, after the ingest: from the content folder to a
 * new dist/, swapped in atomically.
 *
 *  1. the content files' entries (kept under their stat: store/site-entries.ts),
 *     the site index, the page plan and every page's hash (pages.ts);
 *  2. the pages to render: all of them, or (a previous dist/ built from the
 *     same code and settings, its manifest on disk) those whose hash changed;
 *  3. those pages rendered in shards of at most NEWSFOLD_SHARD_PAGES by astro
 *     children (render.ts), or moved in from the folders of a CI matrix's
 *     shard jobs (ci.ts); meanwhile the search index is made here;
 *  4. the search index and the sitemap (from the whole plan) written by this
 *     process, the manifest of page hashes for the next build; then a full
 *     build's new dist/ is swapped in, and a partial build's files are laid
 *     into dist/ in place through a journal (dist-fs.ts applyDistJournal):
 *     unchanged pages are never copied or touched.
 * Whatever fails before the swap or the journal's commit, the previous dist/
 * is still serving; after it, the next build finishes the job.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyDistJournal, listFiles, moveInto, moveToTrash, repairDist, rollDistForward, stagePath } from './dist-fs.ts';
import { writeFileAtomic, stateDir, statePath } from '../store/index.ts';
import { randomUUID } from 'node:crypto';
import { manifestDeltaPath, manifestPath, nextDelta, pageCounts, partialSearchIndex, type Manifest, type PageCounts, type ReadManifest } from './partial.ts';
import { hashedOutputs, pagesToRender, sitePages, type RenderPlan, type SitePages } from './pages.ts';
import { keepFromChild, renderShards, shardsForChildren, shardWork, straysLine, type ShardRun } from './render.ts';
import { AstroOutOfMemory, type AstroRun } from './astro-child.ts';
import { SEARCH_INDEX_DEFERRED_ENV } from '../search/site-index.ts';
import { INDEX_DIR } from '../search/format.ts';
import { stageIndexChanges, stageSearchIndex, textHash, writeSearchIndex, type WriteCounts } from '../search/write-fs.ts';
import { keepRelated, readKeptRelated, readSiteEntries, type CachedEntries, type ContentChanges } from '../store/index.ts';
import { inSitemap, outputFile, type PageRoute } from '../site/plan.ts';
import { firstPath, isSitemapFile, patchSitemap, plainPath, sitemapUrl, SITEMAP_INDEX, SITEMAP_URLS, siteOrigin, sitemapFiles, sitemapIndex } from '../site/sitemap.ts';
import { memoryNote } from './report.ts';

export const stampPath = (content: string) => path.join(stateDir(content), 'dist-stamp.json');

/**
 * The content folder's entries and the site's pages. The site index stays in this process: the
 * astro children read their pages' specs, and the search index is made here. (Earlier versions
 * wrote it to `site-index.json`, 74 MB at 100,000 articles, read back and compared on every
 * drop-in; store/layout.ts OBSOLETE: the next ingest removes one left behind.)
 * `changes`: what this build's ingest wrote (store/site-entries.ts), so a drop-in looks at those files only;
 * `before`: the page hashes of the dist/ on disk when it was built from the content the changes start
 * from (`changes.from`), so the pages those changes cannot touch keep their hash (pages.ts); taken
 * over: it becomes the new hashes, and the pages to render are found against it (`SitePages.toRender`).
 */
export async function siteState(
  content: string,
  env: NodeJS.ProcessEnv,
  changes?: ContentChanges | null,
  before?: Record<string, string> | null,
  /** `before`'s counts as its manifest records them (partial.ts Manifest.counts), if it does. */
  beforeCounts?: PageCounts | null,
): Promise<{ cached: CachedEntries; pages: SitePages; ms: number }> {
  const t = performance.now();
  const m0 = mark();
  const cached = await readSiteEntries(content, changes);
  const seen = cached.changed ? `${cached.changed.size} written by the ingest` : 'every file statted';
  timing(`site entries (${cached.entries.articles.length + cached.entries.stories.length} files, ${seen}, ${cached.parsed} parsed)`, m0);
  const m1 = mark();
  // The related lists the last build chose for the content the changes start from: only those the
  // changes can reach are chosen again (site/related.ts).
  const related = cached.changed && cached.was && changes?.from ? readKeptRelated(content, changes.from) : null;
  const kept = related ? { related: related.lists, changed: cached.changed!, was: cached.was! } : null;
  const pages = sitePages(cached.entries, env, before && cached.changed ? { before, changed: cached.changed, counts: beforeCounts } : null, kept);
  await keepRelated(content, changes?.to ?? null, pages.index.stories, related);
  timing(`site index, page plan and ${pages.plan.pages.length} page hashes${kept ? '' : ' (every related list chosen)'}`, m1);
  return { cached, pages, ms: Math.round(performance.now() - t) };
}

/** A phase's start: wall time and this process's CPU time (astro children apart). */
export interface Mark {
  t: number;
  cpu: NodeJS.CpuUsage;
}

export const mark = (): Mark => ({ t: performance.now(), cpu: process.cpuUsage() });

/**
 * NEWSFOLD_TIMING=1: one line per phase of the site half, as the ingest prints its own, with this
 * process's CPU time beside the wall time (on a shared machine the wall time is mostly waiting).
 */
export function timing(label: string, since: Mark): void {
  if (!process.env.NEWSFOLD_TIMING) return;
  const cpu = process.cpuUsage(since.cpu);
  console.error(`  timing: ${label} ${Math.round(performance.now() - since.t)} ms (cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms; ${memoryNote()})`);
}

/** The environment of every astro child: the content folder, its written site index, the shared cache. */
export function childEnv(env: NodeJS.ProcessEnv, content: string, cache: string): NodeJS.ProcessEnv {
  return {
    ...env,
    NEWSFOLD_CONTENT: content,
    NEWSFOLD_SITE_CONTENT: content,
    NEWSFOLD_CACHE: cache,
    // The build process makes the search index (partial.ts): a child writes none.
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
  previous: ReadManifest | null;
  /** What the new dist/ is built from (the stamp): content, site code and settings, folder. */
  fingerprint: string;
  siteKey: string;
  /** A child started with the ingest (render.ts shardPaths(shardWork(dist), 0)); stopped if unused. */
  early: AstroRun | null;
  /** Folders written by `--shard k/n` runs (ci.ts), moved in instead of rendering. */
  parts?: string[];
  /** Settled before the swap (the trash's `rm` of an earlier dist/). */
  beforeSwap?: Promise<void>;
  /** What this build's ingest changed (the search phase follows a drop-in's changes: partial.ts). */
  changes?: ContentChanges | null;
}

export interface DistResult {
  mode: 'full' | 'partial';
  pagesRendered: number;
  pagesRemoved: number;
  shards: ShardRun[];
  /** The largest astro child's peak memory (MB), if the children reported it. */
  astroPeakMB: number | null;
  searchBodies: number;
  /** The search index's files: in all, written (new or changed), removed. */
  searchFiles: WriteCounts;
  ms: { render: number; search: number; finish: number };
}

/** Renders what changed into a new dist/ and swaps it in (see the module comment). */
export async function buildDist(args: DistArgs): Promise<DistResult> {
  try {
    return await attempt(args, args.previous);
  } catch (err) {
    // A failed partial build is retried as a full one (the children then start afresh);
    // running out of memory is not: it would only happen again.
    if (!args.previous || err instanceof AstroOutOfMemory || args.parts || (err as { committed?: boolean }).committed) throw err;
    args.log(`partial build failed, building everything: ${(err as Error).message.split('\n')[0]}`);
    // A child started ahead that the failed attempt never used is still waiting for its go-ahead,
    // in the root the retry's first child takes (render.ts shardPaths).
    await args.early?.stop();
    return attempt({ ...args, early: null }, null);
  } finally {
    await args.early?.stop();
  }
}

/**
 * A drop-in's sitemap, patched from the one on disk (sitemap.ts patchSitemap): when the manifest the
 * drop-in's page hashes started from (`previous`) names the sitemap's files and they are on disk as
 * it names them (their hashes), they are sitemapFiles of the plan of the content the changes start
 * from, and the new plan differs from that one only at the pages `toRender` names: those rendered
 * (made, with a new hash: a page whose hash is its old one is in the sitemap as it was, and a kept
 * page is that plan's own) and those gone. Only the files from the first one an edit can fall in
 * (by the files' first paths) are read as text and made again: a drop-in's new article or story
 * falls in the last file or two of a year's three. Null otherwise (the whole plan's sitemap is made).
 */
export function keptSitemap(dist: string, previous: Manifest, toRender: RenderPlan, site: string, base: string): Map<string, { text: string | Buffer; hash: string }> | null {
  const recorded = previous.files;
  if (!recorded) return null;
  const old: Buffer[] = [];
  for (let i = 0; Object.hasOwn(recorded, `sitemap-${i}.xml`); i++) {
    const name = `sitemap-${i}.xml`;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(dist, name));
    } catch {
      return null;
    }
    // The hash of a text is the hash of its UTF-8 bytes, as written.
    if (textHash(bytes) !== recorded[name]) return null;
    old.push(bytes);
  }
  if (!old.length) return null;
  const edits = new Map<string, boolean>();
  for (const p of toRender.render) edits.set(p.path, inSitemap(p));
  for (const p of toRender.removed) edits.set(p, false);
  // The first file an edit can fall in: the last whose first path is not after the edit's (the
  // files' URLs are in order, across them). A path not plain is in no file (patchSitemap).
  const firstPaths: Array<string | null | undefined> = [];
  const firstOf = (i: number) => (firstPaths[i] ??= firstPath(old[i].toString('utf8', 0, Math.min(old[i].length, 4096)), site, base));
  const fileOf = (p: string): number => {
    for (let i = old.length - 1; i > 0; i--) {
      const head = firstOf(i);
      if (head === null) return -1;
      if (head <= p) return i;
    }
    return 0;
  };
  // An edit changes its file only when the path's place in it changes: a page rendered again at a
  // path it had (the home page, a day's, an outlet's: every drop-in's) leaves the file as it is.
  const texts: string[] = [];
  const listedIn = (i: number, p: string) => (texts[i] ??= old[i].toString('utf8')).includes(sitemapUrl(p, site, base));
  let from = old.length;
  const fileOfEdit = new Map<string, number>();
  for (const [p, listed] of edits) {
    if (!plainPath(p)) {
      // In no file (every URL there is a plain path's: patchSitemap), nor to be.
      if (!listed) continue;
      return null;
    }
    const j = fileOf(p);
    if (j < 0) return null;
    fileOfEdit.set(p, j);
    if (j < from && listedIn(j, p) !== listed) from = j;
  }
  const files = new Map<string, { text: string | Buffer; hash: string }>();
  for (let i = 0; i < from; i++) files.set(`sitemap-${i}.xml`, { text: old[i], hash: recorded[`sitemap-${i}.xml`] });
  if (from < old.length) {
    const patched = patchSitemap(
      old.slice(from).map((b, i) => texts[from + i] ?? b.toString('utf8')),
      // The edits that fall in those files (those before them change nothing: see above).
      new Map([...fileOfEdit].filter(([, j]) => j >= from).map(([p]) => [p, edits.get(p)!])),
      site,
      base,
      SITEMAP_URLS,
      from,
    );
    if (!patched) return null;
    for (const [name, text] of patched) files.set(name, { text, hash: textHash(text) });
  }
  const index = sitemapIndex([...files.keys()], site, base);
  files.set(SITEMAP_INDEX, { text: index, hash: textHash(index) });
  return files;
}

/** Where a page's file goes in the order a partial build lays files into dist/ (dist-fs.ts applyDistJournal). */
const ORDER: Record<PageRoute, number> = { article: 1, story: 2, redirect: 2, day: 3, month: 4, outlet: 5, feed: 6, archive: 7, outlets: 7, static: 7, home: 8 };

function applyOrder(files: string[], routeOf: Map<string, PageRoute>): string[] {
  const rank = (rel: string) => {
    const route = routeOf.get(rel);
    if (route) return ORDER[route];
    // The index's chunks and fragments, then its manifest, which names them.
    if (rel === `${INDEX_DIR}/manifest.json`) return 10;
    if (rel.startsWith(`${INDEX_DIR}/`)) return 9;
    if (rel === SITEMAP_INDEX) return 12;
    if (isSitemapFile(rel)) return 11;
    // Assets (the stylesheet, scripts): before any page that links them.
    return 0;
  };
  return files.map((rel) => ({ rel, r: rank(rel) })).sort((a, b) => a.r - b.r || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)).map((x) => x.rel);
}

/** Finishes what a crashed partial build committed (dist-fs.ts rollDistForward): its manifest and stamp too. */
export function repairPartial(content: string, dist: string): Promise<string | null> {
  return rollDistForward(content, dist, (journal) => commitManifest(content, journal.fingerprint));
}

const nextManifestPath = (content: string) => statePath(content, 'distManifestNext');
const nextDeltaPath = (content: string) => statePath(content, 'distManifestDeltaNext');

/** Renames `from` to `to`; false when there is no `from`. */
const renameIfThere = (from: string, to: string): Promise<boolean> =>
  rename(from, to).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      return false;
    },
  );

/**
 * The manifest written before the journal's commit becomes the manifest: a whole one (whose new
 * generation leaves any delta unapplied, so that is removed), or a delta over the whole one on disk
 * (partial.ts); then the stamp names the new dist/. Run again after a crash, it finishes the same.
 */
async function commitManifest(content: string, fingerprint: string): Promise<void> {
  if (await renameIfThere(nextManifestPath(content), manifestPath(content))) await rm(manifestDeltaPath(content), { force: true });
  await renameIfThere(nextDeltaPath(content), manifestDeltaPath(content));
  await writeFileAtomic(stampPath(content), `${fingerprint}\n`);
}

async function attempt(args: DistArgs, previous: Manifest | null): Promise<DistResult> {
  const { dist, content, log } = args;
  // Every page's spec for a full build (a drop-in's plan leaves the pages it keeps unmade: pages.ts).
  const pages = previous ? args.pages : args.pages.whole();
  // A full build assembles a new dist/ to swap in; a partial one stages only its changes.
  const tmp = previous ? stagePath(dist) : `${dist}.tmp-${process.pid}`;
  const work = shardWork(dist);
  await rm(tmp, { recursive: true, force: true });
  // Past the journal's commit, the stage is what the next build rolls forward from: kept.
  let committed = false;
  try {
    // A drop-in's plan compared its pages with `previous.pages` as it made their hashes (the `before`
    // siteState was given: index.ts passes that manifest's pages, brought up to date in place).
    const { render, removed } = previous && pages.toRender ? pages.toRender : pagesToRender(pages.plan, pages.hashes, previous?.pages ?? null);
    const t0 = performance.now();
    const m0 = mark();
    const outputs = hashedOutputs(pages.hashes);
    let rendering: Promise<ShardRun[]>;
    if (args.parts) {
      rendering = (async () => {
        for (const dir of args.parts!) {
          // A part holds only its own pages, so any page it holds is kept.
          const strays: string[] = [];
          await moveInto(dir, tmp, keepFromChild(outputs, outputs, strays));
          const stray = straysLine(dir, strays);
          if (stray) log(stray);
        }
        return [];
      })();
    } else {
      rendering = renderShards({
        ...shardsForChildren(render, args.env),
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
    const mSearch = mark();
    // A drop-in's search phase follows the ingest's changes when it can (partial.ts).
    const searched = partialSearchIndex(content, pages.index, args.cached, args.changes).then((s) => {
      const why = s.unfollowed ? `; every story looked at: ${s.unfollowed}${s.full && s.full !== s.unfollowed ? `; ${s.full}` : ''}` : '';
      const filed = s.whole ? `index made whole: ${s.whole}` : `${s.written} index files changed`;
      timing(`search records and files (${s.computed} bodies read, ${s.reweighed} words reweighed, ${s.made} story records made${why}; ${filed})`, mSearch);
      return { ...s, ms: Math.round(performance.now() - tSearch) };
    });
    // The sitemap from the whole plan, whichever pages are rendered (sitemap.ts), and its files'
    // hashes: made here too, while the children render, not after them (120,000 URLs sorted).
    const { site, base } = siteOrigin(args.env);
    const sitemapping = searched.then(() => {
      const m = mark();
      const patched = previous && pages.toRender ? keptSitemap(dist, previous, pages.toRender, site, base) : null;
      const files: Map<string, { text: string | Buffer; hash: string }> =
        patched ?? new Map([...sitemapFiles(pages.plan.pages.filter(inSitemap).map((p) => p.path), site, base)].map(([name, text]) => [name, { text, hash: textHash(text) }]));
      timing(`sitemap ${patched ? 'patched' : 'made'}`, m);
      return files;
    });
    const settled = await Promise.allSettled([rendering, searched, sitemapping]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [shards, search, sitemap] = [await rendering, await searched, await sitemapping];
    await rm(work, { recursive: true, force: true });
    const t1 = performance.now();
    timing(`pages rendered (${render.length}) and search index made`, m0);
    const m1 = mark();

    // The chunked index: whole into a new dist/; into a partial build's stage, only the files that
    // changed, the stale ones deleted through the journal (write-fs.ts).
    const recordedFiles = previous?.files ? new Map(Object.entries(previous.files)) : null;
    const liveIndex = recordedFiles ? new Map([...recordedFiles].filter(([rel]) => rel.startsWith(`${INDEX_DIR}/`)).map(([rel, h]) => [rel.slice(INDEX_DIR.length + 1), h])) : undefined;
    // The kept index the search phase changed is the live one (the manifest names its store's stamp):
    // only its changes are staged, and no file's hash is read from the store.
    const delta = previous && liveIndex && search.delta && previous.searchIndex === search.delta.from ? search.delta : null;
    const staged = delta
      ? await stageIndexChanges(tmp, dist, liveIndex!, delta.written, delta.removed)
      : previous
        ? { ...(await stageSearchIndex(tmp, dist, search.files, liveIndex)), hashes: search.files.hashes }
        : { ...(await writeSearchIndex(tmp, search.files)), stale: [], hashes: search.files.hashes };
    const files: Record<string, string> = {};
    for (const [rel, hash] of staged.hashes) files[`${INDEX_DIR}/${rel}`] = hash;
    timing(`search index staged (${staged.written} of ${staged.files} files)`, m1);
    const m2 = mark();
    // A partial build stages only the sitemap files whose text changed (a drop-in changes one of its
    // 50,000-URL files, if any).
    for (const [name, { text, hash }] of sitemap) {
      files[name] = hash;
      if (previous && (recordedFiles ? recordedFiles.get(name) === hash : (await readFile(path.join(dist, name), 'utf8').catch(() => null)) === text)) continue;
      await writeFile(path.join(tmp, name), text);
    }
    timing('sitemap staged', m2);
    const m3 = mark();
    const manifest: Manifest = {
      fingerprint: args.fingerprint,
      site: args.siteKey,
      pages: pages.hashes,
      files,
      ...(search.stamp ? { searchIndex: search.stamp } : {}),
      // `pages` has a key per page of the plan (pages.ts): the next drop-in's counts, without listing them.
      counts: pageCounts(pages.plan.pages),
    };

    if (previous) {
      // In place, through a journal (dist-fs.ts): only this change's files are touched.
      const staleSitemaps = (await readdir(dist)).filter((name) => isSitemapFile(name) && !sitemap.has(name));
      const routeOf = new Map(render.map((p) => [outputFile(p.path), p.route] as const));
      // A delta over the whole manifest on disk while it stays small (partial.ts), else a whole one.
      const delta = nextDelta(previous, manifest, render.map((p) => p.path), removed, pages.plan.pages.length);
      await rm(delta ? nextManifestPath(content) : nextDeltaPath(content), { force: true });
      if (delta) await writeFileAtomic(nextDeltaPath(content), `${JSON.stringify(delta)}\n`);
      else await writeFileAtomic(nextManifestPath(content), `${JSON.stringify({ ...manifest, generation: randomUUID() })}\n`);
      committed = true;
      await applyDistJournal(
        content,
        {
          version: 1,
          dist,
          stage: tmp,
          moves: applyOrder(await listFiles(tmp), routeOf),
          deletes: [...removed.map(outputFile), ...staleSitemaps, ...staged.stale],
          fingerprint: args.fingerprint,
        },
        () => commitManifest(content, args.fingerprint),
      );
      timing('manifest and dist journal', m3);
    } else {
      // What dist/ will be built from, for the next build's plan; it names the fingerprint,
      // so a manifest left by a crash before the swap is simply not used.
      await writeFileAtomic(manifestPath(content), `${JSON.stringify({ ...manifest, generation: randomUUID() })}\n`);
      await rm(manifestDeltaPath(content), { force: true });
      // The stamp goes first: until the swap is done it says "dist.next holds <fp>".
      await writeFileAtomic(stampPath(content), `next ${args.fingerprint}\n`);
      await rename(tmp, `${dist}.next`);
      await args.beforeSwap;
      // dist -> dist.old, dist.next -> dist; dist.old is moved aside (a rename) and removed beside
      // the next build rather than taking seconds of this one (1.5 GB at 100,000 articles).
      await repairDist(dist, (old) => moveToTrash(old, content));
      await writeFileAtomic(stampPath(content), `${args.fingerprint}\n`);
    }
    const peaks = shards.map((s) => s.peakMB).filter((m): m is number => m !== null);
    return {
      mode: previous ? 'partial' : 'full',
      pagesRendered: args.parts ? pages.plan.pages.length : render.length,
      pagesRemoved: removed.length,
      shards,
      astroPeakMB: peaks.length ? Math.max(...peaks) : null,
      searchBodies: search.computed,
      searchFiles: { files: staged.files, written: staged.written, removed: staged.removed },
      ms: { render: Math.round(t1 - t0), search: search.ms, finish: Math.round(performance.now() - t1) },
    };
  } catch (err) {
    if (!committed) await rm(tmp, { recursive: true, force: true });
    else (err as Error & { committed?: boolean }).committed = true;
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
