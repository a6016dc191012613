/**
 * The same shards built on several machines by an existing batch runner (a
 * GitHub Actions matrix, a GitLab parallel job...), then merged: no cluster of
 * our own. docs/performance.md shows the workflow.
 *
 *   npm run ingest                                    one job: the content folder (an artifact)
 *   npm run build -- --shard 3/12 --dist part-3       each matrix job: part 3 of 12 of the pages
 *   npm run build -- --merge part-1 ... part-12       one job: dist/, with sitemap and search index
 *   npm run build -- --no-ingest                      the site from the content folder, on one machine
 *
 * A part is `n` contiguous slices of the site's page plan (pages.ts ciPart),
 * each rendered in shards of at most NEWSFOLD_SHARD_PAGES like any build; the
 * folder carries `.newsfold-part.json` naming the content and site it was
 * built from and its pages. The merge checks every part is there, built from
 * this content with this code and settings, and that together they hold every
 * page; then moves them in, writes the search index and the sitemap, the
 * manifest (so later drop-ins are partial builds) and swaps dist/ in, as any
 * build does.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256, stateDir } from '../store/index.ts';
import { contentKey } from '../site/site-index.ts';
import { ciPart, pageOutputs } from './pages.ts';
import { renderShards, shardsForChildren, shardWork, startFirstShardAhead, type ShardRun } from './render.ts';
import { buildDist, childEnv, repairPartial, siteState, stampPath, type DistResult } from './site-build.ts';
import { readManifest } from './partial.ts';
import { withLock } from './lock-fs.ts';
import { repairDist } from './dist-fs.ts';
import { lockPath, readProject, siteFingerprint } from './index.ts';
import { SETTINGS_ENV } from '../config.ts';

export const PART_MANIFEST = '.newsfold-part.json';

interface PartManifest {
  part: number;
  of: number;
  /** contentKey of the content folder and the site fingerprint it was built from. */
  content: string;
  site: string;
  pages: string[];
}

export interface CiOptions {
  content?: string;
  cache?: string;
  env?: Record<string, string | undefined>;
  /** The site's config file (default newsfold.config.yaml, if there is one): every part and the merge read the same. */
  config?: string;
  log?: (line: string) => void;
  verbose?: boolean;
}

const resolved = (o: CiOptions) => {
  const content = path.resolve(o.content ?? 'content');
  const env = { ...process.env, ...o.env } as NodeJS.ProcessEnv;
  // The config, validated (ConfigError before anything is written), handed on as a build hands it on.
  const { settings } = readProject({ config: o.config, content, env });
  env[SETTINGS_ENV] = JSON.stringify(settings);
  return {
    content,
    cache: path.resolve(o.cache ?? process.env.NEWSFOLD_CACHE ?? path.join(stateDir(content), 'astro-cache')),
    env,
    settings,
    log: o.log ?? (() => {}),
  };
};

/** Renders part `part` of `of` of the site from the content folder as it is (no ingest) into `out`. */
export async function buildPart(part: number, of: number, out: string, options: CiOptions = {}): Promise<{ pages: number; shards: ShardRun[]; ms: number }> {
  const started = performance.now();
  const { content, cache, env, settings, log } = resolved(options);
  const dest = path.resolve(out);
  // The content folder's caches are brought up to date under its lock; the parts of one machine queue there.
  const { cached, pages, site } = await withLock(lockPath(content), 'build --shard', async () => ({
    ...(await siteState(content, env)),
    site: await siteFingerprint(settings),
  }));
  const mine = ciPart(pages.plan.pages, part, of);
  await repairDist(dest);
  const tmp = `${dest}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const work = shardWork(dest);
  try {
    const shards = await renderShards({
      ...shardsForChildren(mine, env),
      outputs: pageOutputs(pages.plan),
      into: tmp,
      work,
      env: childEnv(env, content, cache),
      verbose: !!options.verbose,
      early: null,
      log,
      label: (i, n) => `part ${part}/${of}, shard ${i + 1}/${n}`,
    });
    const manifest: PartManifest = { part, of, content: contentKey(cached.entries), site, pages: mine.map((p) => p.path) };
    await writeFile(path.join(tmp, PART_MANIFEST), JSON.stringify(manifest));
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
    return { pages: mine.length, shards, ms: Math.round(performance.now() - started) };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The site half alone, from the content folder as it is (`npm run build -- --no-ingest`):
 * what a machine given the content folder (a CI artifact) runs, and how the
 * site's own cost is measured. Partial when dist/ has a manifest for this site.
 */
export async function buildSiteOnly(dist: string, options: CiOptions & { force?: boolean } = {}): Promise<(DistResult & { upToDate: false; indexMs: number }) | { upToDate: true }> {
  const { content, cache, env, settings, log } = resolved(options);
  const distDir = path.resolve(dist);
  return withLock(lockPath(content), 'build --no-ingest', async () => {
    const swapped = (await repairDist(distDir))?.startsWith('finished') ?? false;
    await repairPartial(content, distDir);
    const site = await siteFingerprint(settings);
    const siteKey = sha256(`${site}\n${distDir}`);
    let stamp = (await readFile(stampPath(content), 'utf8').catch(() => '')).trim();
    if (stamp.startsWith('next ')) stamp = swapped ? stamp.slice(5) : '';
    const distOk = await stat(distDir).then((s) => s.isDirectory(), () => false);
    const recorded = !options.force && distOk && stamp ? await readManifest(content, stamp, siteKey) : null;
    const previous = recorded && 'manifest' in recorded ? recorded.manifest : null;
    const astroEnv = childEnv(env, content, cache);
    // dist/ was built by this site's code: a partial build is likely, so its astro child starts now
    // and loads and bundles the site while the site index is made (as a build starts it with the ingest).
    const early = previous ? await startFirstShardAhead(astroEnv, distDir, !!options.verbose) : null;
    try {
      const state = await siteState(content, env);
      const fingerprint = sha256(`${contentKey(state.cached.entries)}\n${site}\n${distDir}`);
      if (!options.force && distOk && stamp === fingerprint) return { upToDate: true as const };
      const result = await buildDist({
        content,
        dist: distDir,
        env,
        astroEnv,
        log,
        verbose: !!options.verbose,
        cached: state.cached,
        pages: state.pages,
        previous,
        fingerprint,
        siteKey,
        early,
      });
      return { ...result, upToDate: false as const, indexMs: state.ms };
    } finally {
      await early?.stop();
    }
  });
}

/** Moves the parts into a new dist/ (checked to be complete and of this content), finished and swapped in as any build. */
export async function mergeParts(parts: string[], dist: string, options: CiOptions = {}): Promise<DistResult> {
  const { content, cache, env, settings, log } = resolved(options);
  const distDir = path.resolve(dist);
  return withLock(lockPath(content), 'build --merge', async () => {
    await repairDist(distDir);
    await repairPartial(content, distDir);
    const state = await siteState(content, env);
    const site = await siteFingerprint(settings);
    const key = contentKey(state.cached.entries);
    const manifests: PartManifest[] = [];
    for (const dir of parts) {
      const m = JSON.parse(await readFile(path.join(dir, PART_MANIFEST), 'utf8').catch(() => 'null')) as PartManifest | null;
      if (!m) throw new Error(`${dir}: not a part built by \`npm run build -- --shard k/n\` (no ${PART_MANIFEST})`);
      if (m.content !== key) throw new Error(`${dir}: part ${m.part}/${m.of} was built from other content than ${content}`);
      if (m.site !== site) throw new Error(`${dir}: part ${m.part}/${m.of} was built with other site code or settings (the config, NEWSFOLD_SITE, NEWSFOLD_BASE)`);
      manifests.push(m);
    }
    const of = manifests[0]?.of ?? 0;
    const numbers = manifests.map((m) => m.part).sort((a, b) => a - b);
    if (!of || manifests.some((m) => m.of !== of) || numbers.join() !== Array.from({ length: of }, (_, i) => i + 1).join()) {
      throw new Error(`--merge needs every part 1..n of one split exactly once (got ${manifests.map((m) => `${m.part}/${m.of}`).join(', ') || 'none'})`);
    }
    const covered = new Set(manifests.flatMap((m) => m.pages));
    const missing = state.pages.plan.pages.filter((p) => !covered.has(p.path));
    if (missing.length || covered.size !== state.pages.plan.pages.length) {
      throw new Error(`the parts do not hold exactly the site's pages (${missing.length} missing, e.g. ${missing[0]?.path ?? '-'})`);
    }
    for (const dir of parts) await rm(path.join(dir, PART_MANIFEST), { force: true });
    await mkdir(path.dirname(distDir), { recursive: true });
    const result = await buildDist({
      content,
      dist: distDir,
      env,
      astroEnv: childEnv(env, content, cache),
      log,
      verbose: !!options.verbose,
      cached: state.cached,
      pages: state.pages,
      previous: null,
      // The stamp a later `npm run build` compares: the ingest's output hash equals contentKey.
      fingerprint: sha256(`${key}\n${site}\n${distDir}`),
      siteKey: sha256(`${site}\n${distDir}`),
      early: null,
      parts: parts.map((p) => path.resolve(p)),
    });
    log(`merged ${parts.length} parts: ${result.pagesRendered} pages; search index ${result.ms.search} ms; sitemap, manifest and swap ${result.ms.finish} ms`);
    return result;
  });
}
