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
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIngest, type RunResult } from '../../src/lib/ingest/ingest-fs.ts';
import { withLock } from '../../src/lib/ingest/lock-fs.ts';
import { crashPoint, repairOutput, stateDir, writeFileAtomic } from '../../src/lib/ingest/write-fs.ts';
import { sha256 } from '../../src/lib/ingest/cache.ts';

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
}

export interface BuildResult {
  ingest: RunResult;
  /** True when astro build ran and the new dist/ was swapped in. */
  built: boolean;
  /** Why astro build ran or did not. */
  reason: string;
  repairs: string[];
  ms: { ingest: number; astro: number; total: number };
}

export function lockPath(content: string): string {
  return path.join(stateDir(path.resolve(content)), 'build.lock');
}

const stampPath = (content: string) => path.join(stateDir(content), 'dist-stamp.json');

/** Finishes or undoes a dist swap a crash interrupted, and removes temporary builds. */
export async function repairDist(dist: string): Promise<string | null> {
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
  await rm(old, { recursive: true, force: true });
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

function astroBuild(env: NodeJS.ProcessEnv, verbose: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const astro = path.join(repoRoot, 'node_modules/.bin/astro');
    const child = spawn(astro, ['build', ...(verbose ? [] : ['--silent'])], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`astro build failed (${signal ?? `exit ${code}`})${output ? `:\n${output.trim()}` : ''}`));
    });
  });
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
    const t0 = performance.now();
    const ingest = await runIngest({ raw, out: content, report: options.report, log });
    const t1 = performance.now();
    const ms = { ingest: Math.round(t1 - t0), astro: 0, total: 0 };
    const done = (built: boolean, reason: string): BuildResult => {
      ms.total = Math.round(performance.now() - started);
      return { ingest, built, reason, repairs, ms };
    };
    if (options.ingestOnly) return done(false, 'ingest only');

    const fingerprint = sha256(`${ingest.outputHash}\n${await siteFingerprint(env)}\n${dist}`);
    let stamp = (await readFile(stampPath(content), 'utf8').catch(() => '')).trim();
    // `next <fp>`: a build of <fp> was complete in dist.next when the process died;
    // if the repair above swapped it in, dist/ is that build.
    if (stamp.startsWith('next ')) stamp = swappedIn ? stamp.slice(5) : '';
    const distOk = await stat(dist).then((s) => s.isDirectory(), () => false);
    if (!options.force && distOk && stamp === fingerprint) return done(false, 'dist is up to date');
    const reason = !distOk ? 'no dist yet' : options.force ? 'forced' : stamp ? 'content or site changed' : 'no record of what dist was built from';

    const tmp = `${dist}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    try {
      await astroBuild({ ...env, NEWSFOLD_CONTENT: content, NEWSFOLD_OUT: tmp, NEWSFOLD_CACHE: cache }, !!options.verbose);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    ms.astro = Math.round(performance.now() - t1);
    // The stamp goes first: until the swap is done it says "dist.next holds <fp>".
    await writeFileAtomic(stampPath(content), `next ${fingerprint}\n`);
    await rename(tmp, `${dist}.next`);
    await repairDist(dist); // performs the swap: dist -> dist.old, dist.next -> dist, rm dist.old
    await writeFileAtomic(stampPath(content), `${fingerprint}\n`);
    return done(true, reason);
  });
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
