/**
 * Renders pages of the site in shards: a shard is a batch of at most
 * NEWSFOLD_SHARD_PAGES pages (src/lib/site/settings.ts) that one `astro build`
 * child renders. The child reads its pages' specs from a file
 * (NEWSFOLD_PAGES_FILE: src/lib/site/data.ts) and each page's content files
 * when it renders, so no child holds the whole site, whatever its size.
 *
 * Up to `children` shards render at once (NEWSFOLD_ASTRO_CHILDREN: one per
 * core by default), each child in a project root of its own
 * (astro-child.ts linkedRoot). Each writes into a folder of its own beside
 * dist/; its files are then moved into the folder being assembled (a fresh one, or a hard-linked copy of
 * the previous dist/ whose unchanged pages stay as they are). A child renders
 * every page that has no getStaticPaths (home, archive, outlets, feeds,
 * search): only the shard that owns such a page keeps its file. Files the
 * build writes itself (sitemap, search index) are never taken from a child.
 *
 * A child that runs out of heap fails the build with what to do about it;
 * the previous dist/ is untouched (the caller removes the folder it was
 * assembling).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { astroBuild, astroBuildAhead, AstroOutOfMemory, type AstroRun } from './astro-child.ts';
import { moveInto } from './dist-fs.ts';
import { outputFile, type PageSpec } from '../site/plan.ts';
import { PAGES_FILE_ENV } from '../site/data.ts';
import { isSitemapFile } from '../site/sitemap.ts';
import { CONTENT_LAYER_STUBS } from '../site/integration.ts';
import { INDEX_DIR } from '../search/format.ts';
import { buildSettings, settingEnv } from '../site/settings.ts';
import { shardsOf } from './pages.ts';
import { repoRoot } from '../store/index.ts';

export interface ShardRun {
  /** 1-based. */
  shard: number;
  of: number;
  pages: number;
  /** The first and last page groups (months) of the shard. */
  groups: string;
  ms: number;
  /** The child's peak resident memory, if it reported it. */
  peakMB: number | null;
  /** True when the child had been started ahead, with the ingest. */
  ahead: boolean;
  /** Which of the children at once rendered it (1-based; childrenAtOnce). */
  slot: number;
}

/**
 * Where one shard's page list and output go: beside dist/, so its files move into dist/ by rename;
 * and its child's project root (astro-child.ts linkedRoot).
 */
export function shardPaths(work: string, i: number): { pagesFile: string; out: string; root: string } {
  return { pagesFile: path.join(work, `shard-${i + 1}.json`), out: path.join(work, `out-${i + 1}`), root: path.join(work, `root-${i + 1}`) };
}

/** The most astro children at once by default: one per core, at most this many. */
export const CHILDREN_BY_DEFAULT_MAX = 4;

/** Astro children to run at once: the setting (NEWSFOLD_ASTRO_CHILDREN), or 0 for one per core up to CHILDREN_BY_DEFAULT_MAX. */
export const childrenAtOnce = (setting: number): number =>
  setting > 0 ? setting : Math.max(1, Math.min(CHILDREN_BY_DEFAULT_MAX, os.availableParallelism()));

/** The working folder of this process's shards (removed with any `<dist>.tmp-*` by the next build). */
export const shardWork = (dist: string) => `${dist}.tmp-${process.pid}.shards`;

/** The pages to render cut into shards for the children the build settings in `env` run at once. */
export function shardsForChildren(pages: PageSpec[], env: NodeJS.ProcessEnv): { shards: PageSpec[][]; children: number } {
  const { shardPages, astroChildren } = buildSettings(env);
  const children = childrenAtOnce(astroChildren);
  return { shards: shardsOf(pages, shardPages, children), children };
}

/** The first shard's astro child, started ahead of its page list (renderShards takes it as `early`). */
export async function startFirstShardAhead(astroEnv: NodeJS.ProcessEnv, dist: string, verbose: boolean): Promise<AstroRun> {
  const first = shardPaths(shardWork(dist), 0);
  await rm(first.out, { recursive: true, force: true });
  return astroBuildAhead({ ...astroEnv, [PAGES_FILE_ENV]: first.pagesFile, NEWSFOLD_OUT: first.out }, verbose, first.root);
}

/** Files the build process writes into dist/ itself, whatever a child wrote there (and the one-file search index of earlier versions). */
export const isBuildOutput = (rel: string): boolean => rel.startsWith(`${INDEX_DIR}/`) || rel === 'search-index.json' || isSitemapFile(rel);

/** Astro's folder for the bundled scripts and styles (its default `build.assets`). */
const ASSETS_DIR = '_astro';

let publicFiles: Set<string> | null = null;

/** The files of the checkout's public/ (Astro copies them into every output), relative, once per process. */
function publicFileSet(): Set<string> {
  if (publicFiles) return publicFiles;
  publicFiles = new Set();
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(repoRoot, 'public', rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else publicFiles!.add(r);
    }
  };
  if (existsSync(path.join(repoRoot, 'public'))) walk('');
  return publicFiles;
}

/**
 * A file of the site that is no page's: Astro's bundled assets, or a file of public/. Any other
 * file in a child's output or a CI part that no page names (a server chunk a build stopped mid-way
 * left for Astro to copy, seen once under load in round sixteen) never reaches dist/; the build
 * says how many it left out.
 */
export const isSiteAsset = (rel: string): boolean => rel.startsWith(`${ASSETS_DIR}/`) || publicFileSet().has(rel);

/**
 * What moves from a child's output (or a CI part) into the folder being assembled: its own pages
 * (`own`: all of a part's), and the site's assets; never a file the build writes itself. Counts the
 * files that are neither a page's nor an asset (`strays`).
 */
export function keepFromChild(own: { has(rel: string): boolean }, outputs: { has(rel: string): boolean }, strays: string[]): (rel: string) => boolean {
  return (rel) => {
    if (isBuildOutput(rel)) return false;
    if (outputs.has(rel)) return own.has(rel);
    if (isSiteAsset(rel)) return true;
    // Left there by every child (site/integration.ts): not worth a warning.
    if (CONTENT_LAYER_STUBS.includes(rel)) return false;
    strays.push(rel);
    return false;
  };
}

/** The warning for files left out by keepFromChild, or null. */
export const straysLine = (where: string, strays: string[]): string | null =>
  strays.length ? `${where}: ${strays.length} file(s) that no page or asset names left out of dist/ (e.g. ${strays[0]})` : null;

export interface RenderArgs {
  shards: PageSpec[][];
  /** Every page's output file in the site (pageOutputs, hashedOutputs): a child keeps only those of its own pages. */
  outputs: { has(rel: string): boolean };
  /** The folder being assembled. */
  into: string;
  /** shardWork(dist). */
  work: string;
  /** The children's environment: content folder, site, base, cache (src/lib/build/index.ts). */
  env: NodeJS.ProcessEnv;
  verbose: boolean;
  /** A child started with the ingest, waiting for its pages (shardPaths(work, 0)): it renders the first shard. */
  early: AstroRun | null;
  /** Astro children at once (childrenAtOnce). */
  children: number;
  /** Progress, one line per shard. */
  log: (line: string) => void;
  /** Shard numbering for messages when these shards are part of a larger run (a CI part). */
  label?: (i: number, of: number) => string;
}

export async function renderShards(args: RenderArgs): Promise<ShardRun[]> {
  const { shards, work, into } = args;
  const runs: ShardRun[] = [];
  await mkdir(work, { recursive: true });
  await mkdir(into, { recursive: true });
  let early = args.early;
  const running = new Set<AstroRun>();
  let next = 0;
  let failure: unknown = null;
  // One shard's files move in at a time (the assets every child writes are the same bytes).
  let moving: Promise<unknown> = Promise.resolve();

  const renderOne = async (i: number, slot: number) => {
    const pages = shards[i];
    const { pagesFile, out, root } = shardPaths(work, i);
    const started = performance.now();
    await writeFile(pagesFile, JSON.stringify({ pages }));
    const name = args.label ? args.label(i, shards.length) : `shard ${i + 1}/${shards.length}`;
    const ahead = i === 0 && !!early;
    let run: AstroRun;
    if (i === 0 && early) {
      run = early;
      early = null;
      run.go();
    } else {
      await rm(out, { recursive: true, force: true });
      // Astro's cache folder (NEWSFOLD_CACHE) holds a data store it rewrites at start-up, through one
      // temporary file: children at once each have their own.
      const cache = slot > 0 && args.env.NEWSFOLD_CACHE ? { NEWSFOLD_CACHE: path.join(args.env.NEWSFOLD_CACHE, `child-${slot + 1}`) } : {};
      run = await astroBuild({ ...args.env, ...cache, [PAGES_FILE_ENV]: pagesFile, NEWSFOLD_OUT: out }, args.verbose, root);
    }
    running.add(run);
    const going = performance.now();
    try {
      await run.done;
      // NEWSFOLD_TIMING=1: how long a child took once it had its pages (one started ahead had loaded the site already).
      if (process.env.NEWSFOLD_TIMING) args.log(`  timing: ${name}${ahead ? ' (started ahead)' : ''}: ${pages.length} page(s) in ${Math.round(performance.now() - going)} ms`);
    } catch (err) {
      if (!(err instanceof AstroOutOfMemory)) throw err;
      const max = Math.max(...shards.map((s) => s.length));
      throw new AstroOutOfMemory(
        `${err.message} while rendering ${name} (${pages.length} pages). The previous site was left as it was. ` +
          `Render fewer pages per astro process: ${settingEnv('shardPages')}=${Math.max(1, Math.floor(max / 2))} (now ${max}), ` +
          `or give each more heap: ${settingEnv('astroHeapMB')}=<MB>` +
          (args.children > 1 ? `, or run fewer at once: ${settingEnv('astroChildren')}=${Math.max(1, args.children - 1)} (now ${args.children}).` : '.'),
      );
    } finally {
      running.delete(run);
    }
    const own = new Set(pages.map((p) => outputFile(p.path)));
    const strays: string[] = [];
    const move = moving.then(() => moveInto(out, into, keepFromChild(own, args.outputs, strays)));
    moving = move.catch(() => {});
    await move;
    const stray = straysLine(name, strays);
    if (stray) args.log(stray);
    await rm(out, { recursive: true, force: true });
    await rm(pagesFile, { force: true });
    const groups = pages.length ? [...new Set([pages[0].group, pages[pages.length - 1].group])].join(' … ') : '';
    const shard: ShardRun = { shard: i + 1, of: shards.length, pages: pages.length, groups, ms: Math.round(performance.now() - started), peakMB: run.peakMB(), ahead, slot: slot + 1 };
    runs.push(shard);
    if (shards.length > 1) {
      args.log(`${name}: ${pages.length} page(s) (${groups}) in ${(shard.ms / 1000).toFixed(1)} s, astro peak ${shard.peakMB ?? '?'} MB`);
    }
  };

  // Each slot takes the next shard when its child is done; the first failure stops the others.
  const slot = async (k: number) => {
    while (failure === null && next < shards.length) {
      const i = next++;
      try {
        await renderOne(i, k);
      } catch (err) {
        if (failure === null) failure = err;
        await Promise.all([...running].map((r) => r.stop()));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(args.children, shards.length)) }, (_, k) => slot(k)));
    if (failure !== null) throw failure;
    return runs.sort((a, b) => a.shard - b.shard);
  } finally {
    // A child started ahead that no shard needed (nothing to render).
    await early?.stop();
  }
}
