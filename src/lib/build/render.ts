/**
 * Renders pages of the site in shards: a shard is a batch of at most
 * NEWSFOLD_SHARD_PAGES pages (src/lib/site/settings.ts) that one `astro build`
 * child renders. The child reads its pages' specs from a file
 * (NEWSFOLD_PAGES_FILE: src/lib/site/data.ts) and each page's content files
 * when it renders, so no child holds the whole site, whatever its size.
 *
 * Each child writes into a folder of its own beside dist/; its files are then
 * moved into the folder being assembled (a fresh one, or a hard-linked copy of
 * the previous dist/ whose unchanged pages stay as they are). A child renders
 * every page that has no getStaticPaths (home, archive, outlets, feeds,
 * search): only the shard that owns such a page keeps its file. Files the
 * build writes itself (sitemap, search index) are never taken from a child.
 *
 * A child that runs out of heap fails the build with what to do about it;
 * the previous dist/ is untouched (the caller removes the folder it was
 * assembling).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { astroBuild, AstroOutOfMemory, type AstroRun } from './astro-child.ts';
import { moveInto } from './dist-fs.ts';
import { outputFile, type PageSpec } from '../site/plan.ts';
import { PAGES_FILE_ENV } from '../site/data.ts';
import { isSitemapFile } from '../site/sitemap.ts';
import { INDEX_DIR } from '../search/format.ts';
import { settingEnv } from '../site/settings.ts';

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
}

/** Where one shard's page list and output go: beside dist/, so its files move into dist/ by rename. */
export function shardPaths(work: string, i: number): { pagesFile: string; out: string } {
  return { pagesFile: path.join(work, `shard-${i + 1}.json`), out: path.join(work, `out-${i + 1}`) };
}

/** The working folder of this process's shards (removed with any `<dist>.tmp-*` by the next build). */
export const shardWork = (dist: string) => `${dist}.tmp-${process.pid}.shards`;

/** Files the build process writes into dist/ itself, whatever a child wrote there (and the one-file search index of earlier versions). */
export const isBuildOutput = (rel: string): boolean => rel.startsWith(`${INDEX_DIR}/`) || rel === 'search-index.json' || isSitemapFile(rel);

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
  try {
    for (let i = 0; i < shards.length; i++) {
      const pages = shards[i];
      const { pagesFile, out } = shardPaths(work, i);
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
        run = await astroBuild({ ...args.env, [PAGES_FILE_ENV]: pagesFile, NEWSFOLD_OUT: out }, args.verbose);
      }
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
            `or give each more heap: ${settingEnv('astroHeapMB')}=<MB>.`,
        );
      }
      const own = new Set(pages.map((p) => outputFile(p.path)));
      await moveInto(out, into, (rel) => !isBuildOutput(rel) && (own.has(rel) || !args.outputs.has(rel)));
      await rm(out, { recursive: true, force: true });
      await rm(pagesFile, { force: true });
      const groups = pages.length ? [...new Set([pages[0].group, pages[pages.length - 1].group])].join(' … ') : '';
      const shard: ShardRun = { shard: i + 1, of: shards.length, pages: pages.length, groups, ms: Math.round(performance.now() - started), peakMB: run.peakMB(), ahead };
      runs.push(shard);
      if (shards.length > 1) {
        args.log(`${name}: ${pages.length} page(s) (${groups}) in ${(shard.ms / 1000).toFixed(1)} s, astro peak ${shard.peakMB ?? '?'} MB`);
      }
    }
    return runs;
  } finally {
    // A child started ahead that no shard needed (nothing to render).
    await early?.stop();
  }
}
