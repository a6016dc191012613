/**
 * The whole build, atomic and incremental: `runBuild` is what `npm run build`,
 * `npm run watch` and the bench call.
 *
 *   1. take the lock `<content>/.newsfold/build.lock` (one build at a time);
 *   2. repair what a crashed build left: roll the content journal forward
 *      (write-fs.ts) and finish or undo a half-done dist swap;
 *   3. ingest incrementally (per-file cache; only changed files are written);
 *   4. if the content, the site's source and its settings are exactly what the
 *      current dist/ was built from, stop: dist/ is up to date;
 *   5. else `astro build` into `<dist>.tmp-<pid>` beside dist/, rename it to
 *      `<dist>.next` once complete, and swap it in:
 *        dist -> dist.old, dist.next -> dist, remove dist.old.
 *      A crash at any point leaves dist/ (or, for the instant between the two
 *      renames, dist.old/ or dist.next/, both complete) and the next build
 *      finishes the swap. Node has no renameat2(RENAME_EXCHANGE), hence that instant.
 * Astro's cache (NEWSFOLD_CACHE) stays at one stable place per content folder,
 * so its content-layer store stays warm between builds.
 *
 * Partial builds (a drop-in): each article, story and outlet page has a
 * dependency hash (its file, its story's headline, its members' files, its
 * related stories' headlines and dates; an outlet's articles and their
 * stories), recorded for the current dist/ in
 * `<content>/.newsfold/dist-manifest.json`. When only a few pages' hashes
 * changed, and the site's code, config and settings are those dist/ was built
 * with, Astro builds only those pages plus the aggregate ones (home, outlet
 * list, search, RSS, sitemap) from a delta content folder, into a
 * temporary folder; that is laid over a hard-linked copy of dist/ (pages that
 * no longer exist left out) and swapped in as above. The aggregate pages read
 * the site index (`<content>/.newsfold/site-index.json`, src/lib/loader-index.ts),
 * written here for every build, so they render identically in both modes.
 * On a likely drop-in (dist/ has a manifest for this site's code and settings,
 * and the ingest finds the drop folder changed) the partial build's astro child
 * is started with the ingest: its pages read the delta from its files when they
 * render (NEWSFOLD_CONTENT_FROM_FILES), so it loads and bundles the site on the
 * core the ingest leaves idle and then waits for a `go` line on its stdin,
 * written once the delta is on disk (src/lib/build-gate-fs.ts). A change that
 * needs no build, or a full one, stops it.
 * The search index of a partial build is made here while astro renders (the
 * child's endpoint writes a placeholder, replaced before the swap), from
 * per-article keyword counts kept between builds (search-terms.ts), byte for
 * byte what the endpoint builds in a full build. The replaced dist/ of a
 * partial build goes to `<content>/.newsfold/trash/`, removed beside the next
 * build.
 * Anything in doubt (no manifest, changed code or settings, many changes, a
 * failed partial build) falls back to the full build.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runIngest, type RunResult } from '../../src/lib/ingest/ingest-fs.ts';
import { acquireLock, acquireLockWait, astroLockPath, LockedError, withLock, type Lock } from '../../src/lib/ingest/lock-fs.ts';
import { CONTENT_FROM_FILES_ENV, GO_LINE, WAIT_FOR_GO_ENV } from '../../src/lib/build-gate-fs.ts';
import { crashPoint, repairOutput, stateDir, writeFileAtomic } from '../../src/lib/ingest/write-fs.ts';
import { sha256 } from '../../src/lib/ingest/cache.ts';
import { buildSiteIndex, serializeSiteIndex, SITE_INDEX_REL, type ParsedContent, type SiteIndex } from '../../src/lib/loader-index.ts';
import { readContentCached, type CachedContent } from './content-cache.ts';
import { searchTerms } from './search-terms.ts';
import { outletSlug } from '../../src/lib/site.ts';
import { SEARCH_INDEX_DEFERRED_ENV, SEARCH_INDEX_PLACEHOLDER, siteSearchIndexJson } from '../../src/lib/search/site-index.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
  /** Ingest only (no astro build). */
  ingestOnly?: boolean;
  /** Extra environment for astro build (NEWSFOLD_SITE, NEWSFOLD_BASE...). */
  env?: Record<string, string | undefined>;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Show astro's own output. */
  verbose?: boolean;
  /** Never take the partial path (always a full astro build when something changed). */
  noPartial?: boolean;
}

export interface BuildResult {
  ingest: RunResult;
  /** True when astro build ran and the new dist/ was swapped in. */
  built: boolean;
  /** Why astro build ran or did not. */
  reason: string;
  /** How dist/ was built: every page, only the affected ones, or not at all. */
  mode: 'full' | 'partial' | null;
  /** Article and story pages rendered (a full build renders them all). */
  pagesRendered: number;
  /** True when astro was started with the ingest, ahead of its content (a likely drop-in). */
  startedAhead: boolean;
  repairs: string[];
  ms: { ingest: number; astro: number; total: number };
}

export function lockPath(content: string): string {
  return path.join(stateDir(path.resolve(content)), 'build.lock');
}

const stampPath = (content: string) => path.join(stateDir(content), 'dist-stamp.json');

/** Finishes or undoes a dist swap a crash interrupted, and removes temporary builds. */
export async function repairDist(dist: string, dispose?: (old: string) => Promise<void>): Promise<string | null> {
  const parent = path.dirname(dist);
  const base = path.basename(dist);
  const next = `${dist}.next`;
  const old = `${dist}.old`;
  let note: string | null = null;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (name.startsWith(`${base}.tmp-`)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
  if (existsSync(next)) {
    if (existsSync(dist)) {
      await rm(old, { recursive: true, force: true });
      await rename(dist, old);
      crashPoint('dist-swap');
    }
    await rename(next, dist);
    note = `finished an interrupted swap of ${dist}`;
  } else if (!existsSync(dist) && existsSync(old)) {
    await rename(old, dist);
    note = `restored ${dist} from an interrupted swap`;
  }
  if (dispose && existsSync(old)) await dispose(old);
  else await rm(old, { recursive: true, force: true });
  return note;
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

/** Everything dist/ depends on besides the content: the site's code, settings and tools. */
async function siteFingerprint(env: Record<string, string | undefined>): Promise<string> {
  const parts: string[] = [];
  for (const dir of ['src', 'public']) await hashTree(path.join(repoRoot, dir), parts, dir);
  for (const file of ['astro.config.mjs', 'package-lock.json', 'tsconfig.json']) {
    parts.push(`${file}\0${sha256(await readFile(path.join(repoRoot, file)).catch(() => Buffer.alloc(0)))}`);
  }
  for (const key of ['NEWSFOLD_SITE', 'NEWSFOLD_BASE']) parts.push(`${key}=${env[key] ?? ''}`);
  return sha256(parts.join('\n'));
}

/** A running `astro build` child. */
interface AstroRun {
  /** Settles when the child exits: resolves when the build succeeded. */
  done: Promise<void>;
  /** Lets a child started ahead of its content load it (src/lib/build-gate-fs.ts). */
  go(): void;
  /** Stops the child if it is still running, and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `astro build` once this checkout's astro lock is free. */
async function astroBuild(env: NodeJS.ProcessEnv, verbose: boolean): Promise<AstroRun> {
  // Astro writes `.astro/` in the project root whatever folders it is given:
  // two builds of this checkout at once (two content folders, tests) must queue.
  const lock = await acquireLockWait(astroLockPath(repoRoot), 'astro build');
  return startAstro(env, verbose, lock, false);
}

/**
 * Starts `astro build` ahead of its content: it loads, sets up and bundles the
 * site while the ingest runs, and its pages wait for `go()` before they read
 * anything (src/lib/build-gate-fs.ts).
 * Null when another astro build of this checkout holds the lock (no waiting:
 * the build then starts astro the ordinary way once its content is ready).
 */
async function astroBuildAhead(env: NodeJS.ProcessEnv, verbose: boolean): Promise<AstroRun | null> {
  let lock: Lock;
  try {
    lock = await acquireLock(astroLockPath(repoRoot), 'astro build');
  } catch (err) {
    if (err instanceof LockedError) return null;
    throw err;
  }
  return startAstro(env, verbose, lock, true);
}

/** Read by a child started ahead from its first moment, so it ends as soon as this process does. */
const gatePreload = pathToFileURL(path.join(repoRoot, 'src/lib/build-gate-stdin.mjs')).href;

function startAstro(env: NodeJS.ProcessEnv, verbose: boolean, lock: Lock, ahead: boolean): AstroRun {
  const astro = path.join(repoRoot, 'node_modules/astro/astro.js');
  const args = [...(ahead ? ['--import', gatePreload] : []), astro, 'build', ...(verbose ? [] : ['--silent'])];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: ahead ? { ...env, [WAIT_FOR_GO_ENV]: 'stdin' } : env,
    stdio: [ahead ? 'pipe' : 'ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'],
  });
  // A child that died has closed its end; writing the go-ahead then must not throw here.
  child.stdin?.on('error', () => {});
  let output = '';
  let exited = false;
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      exited = true;
      if (code === 0) resolve();
      else reject(new Error(`astro build failed (${signal ?? `exit ${code}`})${output ? `:\n${output.trim()}` : ''}`));
    });
  }).finally(() => lock.release());
  // Awaited by the caller, possibly after other work: a failure meanwhile is not an unhandled rejection.
  done.catch(() => {});
  return {
    done,
    go: () => child.stdin?.end(`${GO_LINE}\n`),
    stop: async () => {
      if (!exited) {
        // Before the go-ahead it has written nothing but what Astro writes atomically.
        child.stdin?.end();
        child.kill('SIGTERM');
      }
      await done.catch(() => {});
    },
  };
}

export async function runBuild(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const raw = path.resolve(options.raw ?? 'content/raw');
  const content = path.resolve(options.content ?? 'content');
  const dist = path.resolve(options.dist ?? 'dist');
  const cache = path.resolve(options.cache ?? process.env.NEWSFOLD_CACHE ?? path.join(stateDir(content), 'astro-cache'));
  const env = { ...process.env, ...options.env };
  if (dist === content || dist.startsWith(content + path.sep) || content.startsWith(dist + path.sep)) {
    throw new Error(`dist folder ${dist} and content folder ${content} must not contain each other`);
  }
  return withLock(lockPath(content), 'build', async () => {
    const distRepair = await repairDist(dist);
    const swappedIn = !!distRepair && distRepair.startsWith('finished');
    const repairs = [await repairOutput(content), distRepair].filter((n): n is string => !!n);
    for (const r of repairs) log(`repair: ${r}`);
    // What earlier partial builds left of their dist/ (hard links, mostly), removed beside this build.
    const trashEmptied = emptyTrash(content);
    const site = await siteFingerprint(env);
    const siteKey = sha256(`${site}\n${dist}`);
    let stamp = (await readFile(stampPath(content), 'utf8').catch(() => '')).trim();
    // `next <fp>`: a build of <fp> was complete in dist.next when the process died;
    // if the repair above swapped it in, dist/ is that build.
    if (stamp.startsWith('next ')) stamp = swappedIn ? stamp.slice(5) : '';
    const distOk = await stat(dist).then((s) => s.isDirectory(), () => false);
    const partialAllowed = !options.force && !options.noPartial && distOk && !!stamp;
    const previous = partialAllowed ? await readManifest(content, stamp, siteKey) : null;
    const astroEnv = { ...env, NEWSFOLD_SITE_CONTENT: content, NEWSFOLD_CACHE: cache };
    const work = partialPaths(content, dist);
    // dist/ has a manifest for this site, so a change is likely a drop-in's partial build: Astro's
    // start-up and bundling (about 4 s at 10,000 articles) run while the ingest does, then it waits.
    let ahead: Promise<AstroRun | null> | null = null;
    const startAhead = () => {
      ahead = (async () => {
        await clearPartial(work);
        const run = await astroBuildAhead(partialEnv(astroEnv, work, cache), !!options.verbose);
        if (process.env.NEWSFOLD_TIMING) log(`  timing: astro ${run ? 'started' : 'not started (another astro build is running)'} ahead of its content at ${Math.round(performance.now() - started)} ms`);
        return run;
      })();
      ahead.catch(() => {});
    };
    try {
      const t0 = performance.now();
      const ingest = await runIngest({
        raw,
        out: content,
        report: options.report,
        log,
        onCorpusChange: previous && !options.ingestOnly ? startAhead : undefined,
      });
      const t1 = performance.now();
      const ms = { ingest: Math.round(t1 - t0), astro: 0, total: 0 };
      let mode: BuildResult['mode'] = null;
      let pagesRendered = 0;
      const done = async (built: boolean, reason: string): Promise<BuildResult> => {
        await stopAhead(ahead);
        ms.total = Math.round(performance.now() - started);
        return { ingest, built, reason, mode, pagesRendered, startedAhead: !!(ahead && (await ahead)), repairs, ms };
      };
      if (options.ingestOnly) return await done(false, 'ingest only');

      const fingerprint = sha256(`${ingest.outputHash}\n${site}\n${dist}`);
      if (!options.force && distOk && stamp === fingerprint) return await done(false, 'dist is up to date');
      const reason = !distOk ? 'no dist yet' : options.force ? 'forced' : stamp ? 'content or site changed' : 'no record of what dist was built from';

      // The site index and every page's dependency hash, from the content files.
      const tIndex = performance.now();
      const parsed = await readContentCached(content);
      const siteIndex = buildSiteIndex(parsed);
      const indexText = serializeSiteIndex(siteIndex);
      const indexFile = path.join(content, SITE_INDEX_REL);
      if ((await readFile(indexFile, 'utf8').catch(() => null)) !== indexText) await writeFileAtomic(indexFile, indexText);
      const pages = pageHashes(parsed, siteIndex);
      const indexMs = Math.round(performance.now() - tIndex);

      const tmp = `${dist}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      const plan = previous ? planPartial(previous.pages, pages, parsed) : null;
      if (!plan && !options.force && !options.noPartial && distOk) {
        log(`full build: ${!stamp ? 'no record of what dist/ was built from' : !previous ? "the site's code, config or settings changed since dist/ was built" : 'too many pages changed for a partial build'}`);
      }
      if (plan) {
        const early = ahead ? await (ahead as Promise<AstroRun | null>).catch(() => null) : null;
        try {
          const split = await partialBuild({
            plan,
            parsed,
            siteIndex,
            dist,
            tmp,
            work,
            verbose: !!options.verbose,
            searchIndex: () => partialSearchIndex(content, indexText, parsed),
            early,
            env: partialEnv(astroEnv, work, cache),
          });
          mode = 'partial';
          pagesRendered = plan.pages;
          log(
            `partial build: ${plan.pages} article and story page(s) and ${plan.outlets.size} outlet page(s) rendered, ${plan.removed.length} removed ` +
              `(site index ${indexMs} ms, delta content ${split.prepMs} ms, astro ${split.astroMs} ms${early ? ' after its content was ready, having started with the ingest' : ''}, ` +
              `search index ready after ${split.searchMs} ms (${split.searchBodies} bod${split.searchBodies === 1 ? 'y' : 'ies'} read), laying new pages over dist ${split.mergeMs} ms)`,
          );
        } catch (err) {
          log(`partial build failed, building everything: ${(err as Error).message.split('\n')[0]}`);
          await rm(tmp, { recursive: true, force: true });
        }
      }
      await stopAhead(ahead);
      if (!mode) {
        try {
          const run = await astroBuild({ ...astroEnv, NEWSFOLD_CONTENT: content, NEWSFOLD_OUT: tmp }, !!options.verbose);
          // The child's endpoint makes this build's search index; the keyword counts are kept
          // here, while it runs, so the next drop-in's partial build reads only changed bodies.
          await searchTerms(content, parsed.articles, false).catch((err: Error) => log(`search terms not kept: ${err.message}`));
          await run.done;
        } catch (err) {
          await rm(tmp, { recursive: true, force: true });
          throw err;
        }
        mode = 'full';
        pagesRendered = parsed.articles.length + parsed.stories.length;
      }
      ms.astro = Math.round(performance.now() - t1);
      // What dist/ will be built from, for the next build's partial plan; it names the
      // fingerprint, so a manifest left by a crash before the swap is simply not used.
      await writeFileAtomic(manifestPath(content), `${JSON.stringify({ fingerprint, site: siteKey, pages })}\n`);
      // The stamp goes first: until the swap is done it says "dist.next holds <fp>".
      await writeFileAtomic(stampPath(content), `next ${fingerprint}\n`);
      await rename(tmp, `${dist}.next`);
      await trashEmptied;
      // Performs the swap: dist -> dist.old, dist.next -> dist, then dist.old goes. After a partial
      // build it is nearly all hard links to the new dist/: moved aside (a rename), and removed
      // beside the next build instead of taking a second of this one.
      await repairDist(dist, mode === 'partial' ? (old) => moveToTrash(old, content) : undefined);
      await writeFileAtomic(stampPath(content), `${fingerprint}\n`);
      return await done(true, mode === 'partial' ? `${reason}; partial build` : reason);
    } finally {
      // The trash is left to its `rm` (which does not keep this process alive): nothing here waits on it.
      await stopAhead(ahead);
    }
  });
}

/** Stops an astro child started ahead of its content, if one is still running. */
async function stopAhead(ahead: Promise<AstroRun | null> | null): Promise<void> {
  const run = ahead ? await ahead.catch(() => null) : null;
  await run?.stop();
}

// ---------------------------------------------------------------- old dist/ folders

const trashDir = (content: string) => path.join(stateDir(content), 'trash');

/**
 * Moves a replaced dist/ into the content folder's trash, to be removed by the
 * next build (emptyTrash). Where that cannot be a rename (another file system),
 * it is removed now.
 */
async function moveToTrash(old: string, content: string): Promise<void> {
  const dir = trashDir(content);
  try {
    await mkdir(dir, { recursive: true });
    await rename(old, path.join(dir, `dist-${process.pid}-${Date.now()}`));
  } catch {
    await rm(old, { recursive: true, force: true });
  }
}

/**
 * Removes the trash in a separate `rm -rf` process: it runs on its own core
 * while this one ingests (Node's recursive rm would wait on this thread, busy
 * with the synchronous ingest). Falls back to Node's rm where `rm` is missing.
 */
function emptyTrash(content: string): Promise<void> {
  const dir = trashDir(content);
  if (!existsSync(dir)) return Promise.resolve();
  return new Promise<boolean>((resolve) => {
    const child = spawn('rm', ['-rf', '--', dir], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
    // Off the build's path: a build that swaps waits for it first, one that ends sooner does not.
    child.unref();
    // Not niced: at a low priority it held the file system's journal while the build's own
    // renames waited on it (a partial build's 10 ms merge took 1.5 s).
  })
    .then((ok) => (ok ? undefined : rm(dir, { recursive: true, force: true })))
    // Left for the next build: the trash never holds anything dist/ needs.
    .catch(() => {});
}

// ---------------------------------------------------------------- search index

/**
 * The search index's text for a partial build, made here while the astro child
 * renders (its endpoint writes only a placeholder), byte for byte what the
 * endpoint makes in a full build (src/lib/search/site-index.ts): from the site
 * index as written, and each article's keyword counts, kept between builds
 * (search-terms.ts) so only the changed articles' bodies are read.
 */
async function partialSearchIndex(content: string, indexText: string, parsed: CachedContent): Promise<{ text: string; computed: number }> {
  const terms = await searchTerms(content, parsed.articles);
  return { text: siteSearchIndexJson(JSON.parse(indexText) as SiteIndex, terms.statsOf), computed: terms.computed };
}

/** Writes the search index over the placeholder the astro child wrote (and checks it is where expected). */
async function placeSearchIndex(outDir: string, text: string): Promise<void> {
  const file = path.join(outDir, 'search-index.json');
  const found = await readFile(file, 'utf8').catch(() => null);
  if (found !== SEARCH_INDEX_PLACEHOLDER) throw new Error(`search index placeholder not found at ${file}`);
  await writeFile(file, text);
}

// ---------------------------------------------------------------- partial builds

const manifestPath = (content: string) => path.join(stateDir(content), 'dist-manifest.json');

interface Manifest {
  fingerprint: string;
  site: string;
  pages: Record<string, string>;
}

/** The manifest of the current dist/, if it describes it and the site's code and settings are unchanged. */
async function readManifest(content: string, stamp: string, siteKey: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await readFile(manifestPath(content), 'utf8')) as Manifest;
    return m && m.fingerprint === stamp && m.site === siteKey && m.pages && typeof m.pages === 'object' ? m : null;
  } catch {
    return null;
  }
}

/**
 * A hash per article and story page of everything it shows: `articles/<id>`
 * (its file, its story's id and headline), `stories/<id>` (its file, the files
 * of the articles it shows, its related stories' headlines and dates).
 */
export function pageHashes(parsed: ParsedContent, index: SiteIndex): Record<string, string> {
  const fileHash = new Map(parsed.articles.map((a) => [a.id, textHash(a)]));
  const storyById = new Map(index.stories.map((s) => [s.id, s]));
  const pages: Record<string, string> = {};
  for (const a of parsed.articles) {
    const story = storyById.get(a.data.story);
    pages[`articles/${a.id}`] = sha256(['a', fileHash.get(a.id), a.data.story, story ? story.headline : '\u0000none'].join('\u0000'));
  }
  for (const s of parsed.stories) {
    const parts = ['s', textHash(s)];
    for (const id of storyArticleIds(s.data)) parts.push(`${id}:${fileHash.get(id) ?? 'none'}`);
    for (const id of storyById.get(s.id)?.related ?? []) {
      const r = storyById.get(id)!;
      parts.push(`related:${id}:${r.headline}:${r.firstDate}:${r.lastDate}`);
    }
    pages[`stories/${s.id}`] = sha256(parts.join('\u0000'));
  }
  for (const [slug, shown] of outletPages(index)) pages[`outlets/${slug}`] = sha256(JSON.stringify(shown));
  return pages;
}

/**
 * What each outlet page (src/pages/outlets/[slug].astro) reads, by slug: its
 * name, and the whole site-index entries of its articles and of the stories
 * they are in. Whole entries, not the fields the page shows today: a page edited
 * to show one more field must not be left stale by a later drop-in. A drop-in
 * changes a few outlets' pages; the others are kept from dist/.
 */
function outletPages(index: SiteIndex): Map<string, unknown[]> {
  const bySlug = new Map<string, { source: string; articles: SiteIndex['articles'] }>();
  for (const a of index.articles) {
    const slug = outletSlug(a.source);
    const o = bySlug.get(slug);
    if (o) o.articles.push(a);
    else bySlug.set(slug, { source: a.source, articles: [a] });
  }
  const out = new Map<string, unknown[]>();
  for (const [slug, o] of bySlug) {
    const storyIds = new Set(o.articles.map((a) => a.story));
    out.set(slug, [o.source, o.articles, index.stories.filter((s) => storyIds.has(s.id))]);
  }
  return out;
}

/** A content file's SHA-256: kept with the parsed data when it came from the cache (content-cache.ts). */
const textHash = (f: { text: string; hash?: string }): string => f.hash ?? sha256(f.text);

/** Articles a story page reads: its members and those its grouping reasons name. */
const storyArticleIds = (s: ParsedContent['stories'][number]['data']): string[] => [...new Set([...s.articles, ...s.why.map((w) => w.article)])];

interface PartialPlan {
  /** Article entries the delta content holds: the pages to render and the members changed story pages show. */
  articles: Set<string>;
  /** Article pages to render. */
  articlePages: Set<string>;
  stories: Set<string>;
  /** Outlet pages (slugs) to render. */
  outlets: Set<string>;
  /** Article and story pages to render. */
  pages: number;
  /** Pages of the previous dist/ that no longer exist. */
  removed: string[];
}

/** Partial builds pay off while few pages change; past this share a full build is as quick and simpler. */
const PARTIAL_MAX_SHARE = 0.2;

function planPartial(before: Record<string, string>, after: Record<string, string>, parsed: ParsedContent): PartialPlan | null {
  const changed = Object.keys(after).filter((k) => before[k] !== after[k]);
  const removed = Object.keys(before).filter((k) => !(k in after));
  const total = Object.keys(after).length;
  if (changed.length > Math.max(20, total * PARTIAL_MAX_SHARE)) return null;
  const articlePages = new Set(changed.filter((k) => k.startsWith('articles/')).map((k) => k.slice(9)));
  const articles = new Set(articlePages);
  const stories = new Set(changed.filter((k) => k.startsWith('stories/')).map((k) => k.slice(8)));
  const outlets = new Set(changed.filter((k) => k.startsWith('outlets/')).map((k) => k.slice(8)));
  // A story page needs the entries of the articles it shows; their own pages are unchanged and kept.
  const storyData = new Map(parsed.stories.map((s) => [s.id, s.data]));
  for (const id of stories) for (const a of storyArticleIds(storyData.get(id)!)) articles.add(a);
  return { articles, articlePages, stories, outlets, pages: articlePages.size + stories.size, removed };
}

/**
 * Hard links every file of `src` into a new `dst`, leaving out what `skip`
 * names (checked on the first two levels of paths, where pages and sitemaps
 * are). GNU `cp -al` does it in one process, several times quicker than a
 * link call per file through Node (12,000 files at 10,000 articles); where
 * that is missing or fails, the files are linked (or copied) one by one.
 */
async function linkDist(src: string, dst: string, skip: (rel: string) => boolean): Promise<void> {
  await rm(dst, { recursive: true, force: true });
  const cp = await new Promise<boolean>((resolve) => {
    const child = spawn('cp', ['-al', '--', src, dst], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  if (!cp) {
    await rm(dst, { recursive: true, force: true });
    return linkTree(src, dst, skip);
  }
  for (const top of await readdir(dst, { withFileTypes: true })) {
    if (skip(top.name)) {
      await rm(path.join(dst, top.name), { recursive: true, force: true });
      continue;
    }
    if (!top.isDirectory()) continue;
    for (const name of await readdir(path.join(dst, top.name))) {
      if (skip(`${top.name}/${name}`)) await rm(path.join(dst, top.name, name), { recursive: true, force: true });
    }
  }
}

/** Hard links (a copy when linking fails) every file of `src` into `dst`, leaving out directories `skip` names. */
async function linkTree(src: string, dst: string, skip: (rel: string) => boolean, rel = ''): Promise<void> {
  await mkdir(dst, { recursive: true });
  const entries = (await readdir(src, { withFileTypes: true })).filter((e) => !skip(rel ? `${rel}/${e.name}` : e.name));
  // A few dozen at a time: a page folder per article makes tens of thousands of small steps.
  for (let i = 0; i < entries.length; i += 32) {
    await Promise.all(
      entries.slice(i, i + 32).map(async (e) => {
        const from = path.join(src, e.name);
        const to = path.join(dst, e.name);
        if (e.isDirectory()) await linkTree(from, to, skip, rel ? `${rel}/${e.name}` : e.name);
        else if (e.isFile()) await link(from, to).catch(() => copyFile(from, to));
      }),
    );
  }
}

/** Moves every file of `src` over `dst`: rename replaces the name, never the hard-linked bytes. */
async function overlay(src: string, dst: string): Promise<void> {
  await mkdir(dst, { recursive: true });
  for (const e of await readdir(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    const to = path.join(dst, e.name);
    if (e.isDirectory()) await overlay(from, to);
    else await rename(from, to);
  }
}

/** Where a partial build keeps its delta content, page lists and output. */
interface PartialPaths {
  work: string;
  delta: string;
  out: string;
  sitemapPages: string;
  outletPages: string;
  articlePages: string;
}

function partialPaths(content: string, dist: string): PartialPaths {
  const work = path.join(stateDir(content), 'partial');
  return {
    work,
    delta: path.join(work, 'content'),
    out: `${dist}.tmp-${process.pid}.pages`,
    sitemapPages: path.join(work, 'sitemap-pages.json'),
    outletPages: path.join(work, 'outlet-pages.json'),
    articlePages: path.join(work, 'article-pages.json'),
  };
}

async function clearPartial(p: PartialPaths): Promise<void> {
  await rm(p.work, { recursive: true, force: true });
  await rm(p.out, { recursive: true, force: true });
}

/** The partial astro child's environment: all paths, so it can start before the files exist. */
function partialEnv(astroEnv: NodeJS.ProcessEnv, p: PartialPaths, cache: string): NodeJS.ProcessEnv {
  return {
    ...astroEnv,
    NEWSFOLD_CONTENT: p.delta,
    NEWSFOLD_OUT: p.out,
    // Its own cache: the delta store must not replace the full build's warm one.
    NEWSFOLD_CACHE: `${cache}-partial`,
    NEWSFOLD_SITEMAP_PAGES: p.sitemapPages,
    NEWSFOLD_OUTLET_PAGES: p.outletPages,
    NEWSFOLD_ARTICLE_PAGES: p.articlePages,
    [SEARCH_INDEX_DEFERRED_ENV]: '1',
    // The pages read the delta's entries from its files when they render: the bundling needs no content.
    [CONTENT_FROM_FILES_ENV]: '1',
  };
}

async function partialBuild(args: {
  plan: PartialPlan;
  parsed: ParsedContent;
  siteIndex: SiteIndex;
  dist: string;
  tmp: string;
  work: PartialPaths;
  env: NodeJS.ProcessEnv;
  verbose: boolean;
  /** Makes the search index's text; called once the pages are under way. */
  searchIndex: () => Promise<{ text: string; computed: number }>;
  /** An astro child started with the ingest, waiting for its content; else one is started here. */
  early: AstroRun | null;
}): Promise<{ prepMs: number; astroMs: number; searchMs: number; searchBodies: number; mergeMs: number }> {
  const { plan, parsed, siteIndex, dist, tmp, work } = args;
  const { delta, out } = work;
  const started = performance.now();
  if (!args.early) await clearPartial(work);
  try {
    // The delta content folder: the affected stories and the articles their pages show.
    await mkdir(path.join(delta, 'articles'), { recursive: true });
    await mkdir(path.join(delta, 'stories'), { recursive: true });
    for (const a of parsed.articles) if (plan.articles.has(a.id)) await writeFile(path.join(delta, 'articles', a.file), a.text);
    for (const s of parsed.stories) if (plan.stories.has(s.id)) await writeFile(path.join(delta, 'stories', s.file), s.text);
    // Every page's path for the sitemap (astro.config.mjs gives them to @astrojs/sitemap as customPages).
    const sitemapPages = [
      ...siteIndex.articles.map((a) => `articles/${a.id}/`),
      ...siteIndex.stories.map((s) => `stories/${s.id}/`),
      ...[...new Set(siteIndex.articles.map((a) => outletSlug(a.source)))].map((slug) => `outlets/${slug}/`),
    ];
    await writeFile(work.sitemapPages, JSON.stringify(sitemapPages));
    await writeFile(work.outletPages, JSON.stringify([...plan.outlets].sort()));
    await writeFile(work.articlePages, JSON.stringify([...plan.articlePages].sort()));
    const articleIds = new Set(parsed.articles.map((a) => a.id));
    const storyIds = new Set(parsed.stories.map((s) => s.id));
    const slugs = new Set(parsed.articles.map((a) => outletSlug(a.data.source)));
    const keep: Record<string, Set<string>> = { articles: articleIds, stories: storyIds, outlets: slugs };
    const t0 = performance.now();
    const since = (t: number) => Math.round(performance.now() - t);
    let built: Promise<number>;
    if (args.early) {
      args.early.go();
      built = args.early.done.then(() => since(t0));
    } else {
      built = astroBuild(args.env, args.verbose).then((run) => run.done).then(() => since(t0));
    }
    // Linking the previous dist/ needs nothing from the new pages: done while astro runs.
    const linked = linkDist(dist, tmp, (rel) => {
      const parts = rel.split('/');
      // Pages that no longer exist, and sitemap files (the new build writes them all).
      if (parts.length === 1) return /^sitemap-.*\.xml$/.test(parts[0]);
      return parts.length === 2 && parts[0] in keep && !parts[1].includes('.') && !keep[parts[0]].has(parts[1]);
    });
    // On this thread, idle until astro is done: the index is the other half of a partial build's work.
    const searched = args.searchIndex().then((index) => ({ ...index, ms: since(t0) }));
    // All settled before any failure is thrown: the fallback full build reuses `tmp`, which cp must be done with.
    const settled = await Promise.allSettled([built, searched, linked]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [astroMs, search] = [await built, await searched];
    const t1 = performance.now();
    await placeSearchIndex(out, search.text);
    await overlay(out, tmp);
    return { prepMs: Math.round(t0 - started), astroMs, searchMs: search.ms, searchBodies: search.computed, mergeMs: since(t1) };
  } finally {
    await clearPartial(work);
  }
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
  if (!lines.length) lines.push('no changes');
  return lines;
}
