/**
 * The build's entry point. The whole build, atomic and incremental: `runBuild`
 * is what `npm run build`, `npm run watch` and the bench call.
 *
 *   1. take the lock `<content>/.newsfold/build.lock` (one build at a time);
 *   2. repair what a crashed build left: roll the content journal forward
 *      (write-fs.ts) and finish or undo a half-done dist swap;
 *   3. ingest incrementally (per-file cache; only changed files are written);
 *   4. if the content, the site's source and its settings are exactly what the
 *      current dist/ was built from, stop: dist/ is up to date;
 *   5. else render the site into `<dist>.tmp-<pid>` beside dist/, rename it to
 *      `<dist>.next` once complete, and swap it in:
 *        dist -> dist.old, dist.next -> dist, remove dist.old.
 *      A crash at any point leaves dist/ (or, for the instant between the two
 *      renames, dist.old/ or dist.next/, both complete) and the next build
 *      finishes the swap. Node has no renameat2(RENAME_EXCHANGE), hence that instant.
 * Astro's cache (NEWSFOLD_CACHE) stays at one stable place per content folder.
 *
 * The site half (site-build.ts): every page of the site has a spec, exactly
 * what it shows, and a hash of it (src/lib/site/plan.ts, pages.ts), recorded
 * for the current dist/ in `<content>/.newsfold/dist-manifest.json`. When the
 * site's code, config and settings are those dist/ was built with, only the
 * pages whose hash changed are rendered and laid into dist/ in place through
 * a journal (a partial build: dist-fs.ts applyDistJournal); else every page
 * (a full build, swapped in). Either way the pages
 * are rendered in shards of at most NEWSFOLD_SHARD_PAGES by astro children
 * (render.ts) that read their pages' specs from a file and their content
 * files at render time, so no process holds the whole site. The search index
 * and the sitemap are written by this process, from the whole site.
 * On a likely drop-in (dist/ has a manifest for this site's code and
 * settings, and the ingest finds the drop folder changed) the first shard's
 * astro child is started with the ingest: it loads and bundles the site on
 * the core the ingest leaves idle and then waits for a `go` line on its stdin
 * (src/lib/site/build-gate.ts), written once its page list is on disk. A
 * change that needs no build stops it. The replaced dist/ of a full build
 * goes to `<content>/.newsfold/trash/`, removed beside the next build.
 * A failed partial build falls back to a full one; a child out of memory
 * fails the build with what to do (the shard size), dist/ untouched.
 *
 * Beside this driver: ingest-fs.ts (the ingest with its I/O edges, read-fs.ts
 * and write-fs.ts, and its worker threads, workers/), lock-fs.ts (the locks),
 * astro-child.ts (starting, gating and stopping an astro child), pages.ts (the
 * page plan's hashes, shards), render.ts (rendering shards), site-build.ts
 * (the site half, the swap), partial.ts (the manifest, the search index),
 * dist-fs.ts (the swap, the trash, the journal), ci.ts (the same shards built
 * on several machines, then merged), flags.ts (the CLIs' flags). What is kept
 * between builds is src/lib/store's.
 */
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { runIngest, type RunResult } from './ingest-fs.ts';
import { withLock } from './lock-fs.ts';
import { repairOutput } from './write-fs.ts';
import { readOutputStamp, repoRoot, sha256, statePath, type ContentChanges } from '../store/index.ts';
import { stopAhead, type AstroRun } from './astro-child.ts';
import { emptyTrash, repairDist } from './dist-fs.ts';
import { readManifest } from './partial.ts';
import { startFirstShardAhead, type ShardRun } from './render.ts';
import { buildDist, childEnv, repairPartial, siteState, stampPath, type DistResult } from './site-build.ts';
import { ConfigError, loadConfig, loadOverrides, shownPath } from '../config-fs.ts';
import { ingestOptionsOf, SETTINGS_ENV, siteSettings, type SiteSettings } from '../config.ts';
import type { IngestOptions } from '../ingest/index.ts';
import type { Overrides } from '../schema.ts';

export { repairDist, repoRoot };

// The build's entry point for the CLIs, the bench and the tests: the driver
// below, and the parts of the build they drive directly.
export { runIngest, type RunOptions, type RunResult } from './ingest-fs.ts';
export { acquireLock, astroLockPath, LockedError, withLock, withLockWait } from './lock-fs.ts';
export { repairOutput } from './write-fs.ts';
export { BUILD_COMMAND, FOLDER_FLAGS, helpText, INGEST_COMMAND, parseFlags, PROJECT_FLAGS, WATCH_COMMAND, type Command, type FlagSpec } from './flags.ts';
export { buildPart, buildSiteOnly, mergeParts } from './ci.ts';
export { AstroOutOfMemory } from './astro-child.ts';
export { ConfigError } from '../config-fs.ts';

/** What the project's YAML files give a run: the site's settings, the ingest's options from the config, the overrides. */
export interface ProjectInputs {
  settings: SiteSettings;
  ingest: Partial<IngestOptions>;
  overrides?: { data: Overrides; file: string };
  /** The config file read, or null (none: the defaults). */
  configFile: string | null;
}

/**
 * Reads and validates `newsfold.config.yaml` (or `config`) and the overrides
 * (`<content>/overrides.yaml`, or `overrides`), and the environment's
 * NEWSFOLD_SITE and NEWSFOLD_BASE. Throws ConfigError, naming the file, the
 * line, the key and what was expected, before anything is written.
 */
export function readProject(options: { config?: string; overrides?: string; content: string; env?: Record<string, string | undefined> }): ProjectInputs {
  const config = loadConfig(options.config);
  let settings: SiteSettings;
  try {
    settings = siteSettings(config.data, options.env ?? process.env);
  } catch (err) {
    throw new ConfigError('the environment', [(err as Error).message]);
  }
  const overrides = loadOverrides(options.content, options.overrides);
  return {
    settings,
    ingest: ingestOptionsOf(config.data),
    ...(overrides ? { overrides: { data: overrides.data, file: shownPath(overrides.file!) } } : {}),
    configFile: config.file,
  };
}

export interface BuildOptions {
  /** Drop folder (read only). Default content/raw. */
  raw?: string;
  /** Content folder the ingest writes. Default content. */
  content?: string;
  /** Site output. Default dist. */
  dist?: string;
  /** Astro's cache folder. Default `<content>/.newsfold/astro-cache`. */
  cache?: string;
  report?: string;
  /** Run astro build even when nothing changed. */
  force?: boolean;
  /** Extra environment for astro build (NEWSFOLD_SITE, NEWSFOLD_BASE...). */
  env?: Record<string, string | undefined>;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Show astro's own output. */
  verbose?: boolean;
  /** Never take the partial path (always a full astro build when something changed). */
  noPartial?: boolean;
  /** The site's config file. Default `newsfold.config.yaml` in the current directory, if there is one. */
  config?: string;
  /** The editors' overrides file. Default `<content>/overrides.yaml`, if there is one. */
  overrides?: string;
}

export interface BuildResult {
  ingest: RunResult;
  /** True when astro build ran and the new dist/ was swapped in. */
  built: boolean;
  /** Why astro build ran or did not. */
  reason: string;
  /** How dist/ was built: every page, only the affected ones, or not at all. */
  mode: 'full' | 'partial' | null;
  /** Pages rendered (a full build renders them all; a partial one those whose hash changed). */
  pagesRendered: number;
  /** True when astro was started with the ingest, ahead of its content (a likely drop-in). */
  startedAhead: boolean;
  repairs: string[];
  /** Each astro child's shard of pages: size, time, peak memory. */
  shards: ShardRun[];
  /** Peak resident memory in MB: this process (ingest included) and the largest astro child. */
  memory: { buildMB: number; astroMB: number | null };
  ms: { ingest: number; astro: number; total: number };
}

/** The lock every build and ingest of this content folder takes (one writer at a time). */
export function lockPath(content: string): string {
  return statePath(path.resolve(content), 'lock');
}

async function hashTree(dir: string, into: string[], rel = ''): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) await hashTree(path.join(dir, e.name), into, r);
    else if (e.isFile()) into.push(`${r}\0${sha256(await readFile(path.join(dir, e.name)))}`);
  }
}

/** Everything dist/ depends on besides the content: the site's code, settings (the config's, resolved) and tools. */
export async function siteFingerprint(settings: SiteSettings): Promise<string> {
  const parts: string[] = [];
  for (const dir of ['src', 'public']) await hashTree(path.join(repoRoot, dir), parts, dir);
  for (const file of ['astro.config.mjs', 'package-lock.json', 'tsconfig.json']) {
    parts.push(`${file}\0${sha256(await readFile(path.join(repoRoot, file)).catch(() => Buffer.alloc(0)))}`);
  }
  parts.push(`settings=${JSON.stringify(settings)}`);
  return sha256(parts.join('\n'));
}

export async function runBuild(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const raw = path.resolve(options.raw ?? 'content/raw');
  const content = path.resolve(options.content ?? 'content');
  const dist = path.resolve(options.dist ?? 'dist');
  const cache = path.resolve(options.cache ?? process.env.NEWSFOLD_CACHE ?? statePath(content, 'astroCache'));
  const env = { ...process.env, ...options.env };
  if (dist === content || dist.startsWith(content + path.sep) || content.startsWith(dist + path.sep)) {
    throw new Error(`dist folder ${dist} and content folder ${content} must not contain each other`);
  }
  // The config and the overrides first: a bad one stops the build before anything (even the lock) is written.
  const project = readProject({ config: options.config, overrides: options.overrides, content, env });
  if (project.configFile) log(`config: ${shownPath(project.configFile)}`);
  // The settings as validated here: this process plans the pages with them, and astro.config.mjs and
  // the pages of every astro child read them (src/lib/site/settings.ts), not the file again.
  env[SETTINGS_ENV] = JSON.stringify(project.settings);
  return withLock(lockPath(content), 'build', async () => {
    const distRepair = await repairDist(dist);
    const swappedIn = !!distRepair && distRepair.startsWith('finished');
    const repairs = [await repairOutput(content), distRepair, await repairPartial(content, dist)].filter((n): n is string => !!n);
    for (const r of repairs) log(`repair: ${r}`);
    // What earlier partial builds left of their dist/ (hard links, mostly), removed beside this build.
    const trashEmptied = emptyTrash(content);
    const site = await siteFingerprint(project.settings);
    const siteKey = sha256(`${site}\n${dist}`);
    let stamp = (await readFile(stampPath(content), 'utf8').catch(() => '')).trim();
    // `next <fp>`: a build of <fp> was complete in dist.next when the process died;
    // if the repair above swapped it in, dist/ is that build.
    if (stamp.startsWith('next ')) stamp = swappedIn ? stamp.slice(5) : '';
    const distOk = await stat(dist).then((s) => s.isDirectory(), () => false);
    const partialAllowed = !options.force && !options.noPartial && distOk && !!stamp;
    const recorded = partialAllowed ? await readManifest(content, stamp, siteKey) : null;
    const previous = recorded && 'manifest' in recorded ? recorded.manifest : null;
    const astroEnv = childEnv(env, content, cache);
    // dist/ has a manifest for this site, so a change is likely a drop-in's partial build: Astro's
    // start-up and bundling (about 4 s at 10,000 articles) run while the ingest does, then it waits
    // for the first shard's page list (render.ts).
    let ahead: Promise<AstroRun> | null = null;
    const startAhead = () => {
      ahead = (async () => {
        const run = await startFirstShardAhead(astroEnv, dist, !!options.verbose);
        if (process.env.NEWSFOLD_TIMING) log(`  timing: astro started ahead of its content at ${Math.round(performance.now() - started)} ms`);
        return run;
      })();
      ahead.catch(() => {});
      return ahead;
    };
    try {
      // The output the content folder holds before the ingest: what its drop-in route checks the files against.
      const before = await readOutputStamp(content);
      const t0 = performance.now();
      const ingest = await runIngest({
        raw,
        out: content,
        report: options.report,
        log,
        ingest: project.ingest,
        overrides: project.overrides,
        onCorpusChange: previous ? startAhead : undefined,
      });
      const t1 = performance.now();
      const ms = { ingest: Math.round(t1 - t0), astro: 0, total: 0 };
      let dist_: DistResult | null = null;
      const done = async (built: boolean, reason: string): Promise<BuildResult> => {
        await stopAhead(ahead);
        ms.total = Math.round(performance.now() - started);
        const buildMB = Math.round(process.resourceUsage().maxRSS / 1024);
        return {
          ingest,
          built,
          reason,
          mode: dist_?.mode ?? null,
          pagesRendered: dist_?.pagesRendered ?? 0,
          startedAhead: !!(ahead && (await ahead)),
          repairs,
          shards: dist_?.shards ?? [],
          memory: { buildMB, astroMB: dist_?.astroPeakMB ?? null },
          ms,
        };
      };
      const fingerprint = sha256(`${ingest.outputHash}\n${site}\n${dist}`);
      if (!options.force && distOk && stamp === fingerprint) return await done(false, 'dist is up to date');
      const reason = !distOk ? 'no dist yet' : options.force ? 'forced' : stamp ? 'content or site changed' : 'no record of what dist was built from';
      if (!previous && !options.force && !options.noPartial && distOk) {
        log(`full build: ${!stamp ? 'no record of what dist/ was built from' : recorded && 'why' in recorded ? recorded.why : 'no page manifest of dist/'}`);
      }
      // The site index and every page's hash, from the content files' entries (kept by stat).
      const changes = contentChanges(ingest, before?.outputHash ?? null);
      // The dist/ on disk was built from the content the ingest's changes start from: its page hashes stand
      // for every page those changes cannot touch (pages.ts).
      const builtFrom = previous && changes.from && previous.fingerprint === sha256(`${changes.from}\n${site}\n${dist}`) ? previous.pages : null;
      const state = await siteState(content, env, changes, builtFrom, builtFrom ? previous!.counts : null);
      const early = ahead ? await (ahead as Promise<AstroRun>).catch(() => null) : null;
      dist_ = await buildDist({
        content,
        dist,
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
        beforeSwap: trashEmptied,
        changes,
      });
      ms.astro = Math.round(performance.now() - t1);
      const r = dist_;
      const shardNote = r.shards.length > 1 ? ` in ${r.shards.length} shards` : '';
      log(
        `${r.mode} build: ${r.pagesRendered} page(s) rendered${shardNote}, ${r.pagesRemoved} removed ` +
          `(site index and page hashes ${state.ms} ms, ${state.cached.parsed} content file(s) parsed; astro ${r.ms.render} ms` +
          `${early ? ', started with the ingest' : ''}; search index ${r.ms.search} ms, ${r.searchBodies} bod${r.searchBodies === 1 ? 'y' : 'ies'} read, ` +
          `${r.searchFiles.written} of its ${r.searchFiles.files} files written, ${r.searchFiles.removed} removed; ` +
          `sitemap, manifest and swap ${r.ms.finish} ms)`,
      );
      return await done(true, r.mode === 'partial' ? `${reason}; partial build` : reason);
    } finally {
      // The trash is left to its `rm` (which does not keep this process alive): nothing here waits on it.
      await stopAhead(ahead);
    }
  });
}

/**
 * What the ingest changed, for the site half (store/site-entries.ts): the files it wrote or removed,
 * and the output it started from only when its route checked the files on disk against it (a
 * drop-in's: every file's stat against the last run's output stamp).
 */
function contentChanges(ingest: RunResult, before: string | null): ContentChanges {
  const { added, updated, removed } = ingest.written;
  const files = [...added, ...updated, ...removed].filter((rel) => rel.startsWith('articles/') || rel.startsWith('stories/'));
  return { from: ingest.route === 'drop-in' ? before : null, to: ingest.outputHash, files };
}

/** A short, human summary of what a build changed, for the build and watch logs. */
export function describeChanges(result: BuildResult): string[] {
  const { written, cache, rejected } = result.ingest;
  const lines: string[] = [];
  const pick = (list: string[], folder: string) =>
    list.filter((p) => p.startsWith(`${folder}/`)).map((p) => p.slice(folder.length + 1).replace(/\.(md|json)$/, ''));
  const show = (label: string, items: string[]) => {
    if (items.length) lines.push(`${label} (${items.length}): ${items.slice(0, 10).join(', ')}${items.length > 10 ? ', ...' : ''}`);
  };
  show('articles added', pick(written.added, 'articles'));
  show('articles updated', pick(written.updated, 'articles'));
  show('articles removed', pick(written.removed, 'articles'));
  show('stories created', pick(written.added, 'stories'));
  show('stories updated', pick(written.updated, 'stories'));
  show('stories removed', pick(written.removed, 'stories'));
  // Rejections of files read this run; older ones were reported when their file arrived.
  const parsed = new Set(cache.parsed);
  for (const r of rejected) if (parsed.has(r.raw)) lines.push(`rejected ${r.raw}: ${r.reason}`);
  // The overrides, whenever the stories were regrouped (a drop-in, an edit of the overrides).
  const { hidden, overrides, corpusReused } = result.ingest;
  if (!corpusReused && (overrides.applied.length || overrides.skipped.length)) {
    lines.push(`overrides: ${overrides.applied.length} applied, ${overrides.skipped.length} skipped`);
    show('hidden by an editor', hidden.map((h) => h.id));
    for (const s of overrides.skipped.slice(0, 10)) lines.push(`override skipped: ${s.override}: ${s.reason}`);
  }
  if (!lines.length) lines.push('no changes');
  return lines;
}
