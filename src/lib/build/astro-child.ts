/**
 * The `astro build` child of a build (src/lib/build/index.ts): started when its
 * content is ready, or ahead of it (a likely drop-in), when it loads, sets up
 * and bundles the site while the ingest runs and then waits for a `go` line on
 * its stdin (src/lib/site/build-gate-stdin.mjs, src/lib/site/build-gate.ts).
 * Every child holds this checkout's astro lock while it runs.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { acquireLock, acquireLockWait, astroLockPath, LockedError, type Lock } from './lock-fs.ts';
import { GO_LINE, WAIT_FOR_GO_ENV } from '../site/build-gate.ts';
import { repoRoot } from '../store/index.ts';

/** A running `astro build` child. */
export interface AstroRun {
  /** Settles when the child exits: resolves when the build succeeded. */
  done: Promise<void>;
  /** Lets a child started ahead of its content load it (src/lib/site/build-gate.ts). */
  go(): void;
  /** Stops the child if it is still running, and waits for it to exit. */
  stop(): Promise<void>;
  /** The child's peak resident memory in MB, once it has exited (null if it did not say). */
  peakMB(): number | null;
}

/**
 * Astro ran out of heap. The build says what to do (render fewer pages per
 * child, or give each more heap) and leaves the previous dist/ serving.
 */
export class AstroOutOfMemory extends Error {}

/** Heap limit of each child in MB (NEWSFOLD_ASTRO_HEAP_MB, src/lib/site/settings.ts); 0: node's default. */
export const ASTRO_HEAP_ENV = 'NEWSFOLD_ASTRO_HEAP_MB';

/** V8's words when a heap limit is reached; node then aborts (SIGABRT). */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/i;

/** Starts `astro build` once this checkout's astro lock is free. */
export async function astroBuild(env: NodeJS.ProcessEnv, verbose: boolean): Promise<AstroRun> {
  // Astro writes `.astro/` in the project root whatever folders it is given:
  // two builds of this checkout at once (two content folders, tests) must queue.
  const lock = await acquireLockWait(astroLockPath(repoRoot), 'astro build');
  return startAstro(env, verbose, lock, false);
}

/**
 * Starts `astro build` ahead of its content: it loads, sets up and bundles the
 * site while the ingest runs, and its pages wait for `go()` before they read
 * anything (src/lib/site/build-gate.ts).
 * Null when another astro build of this checkout holds the lock (no waiting:
 * the build then starts astro the ordinary way once its content is ready).
 */
export async function astroBuildAhead(env: NodeJS.ProcessEnv, verbose: boolean): Promise<AstroRun | null> {
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
const gatePreload = pathToFileURL(path.join(repoRoot, 'src/lib/site/build-gate-stdin.mjs')).href;
/** Writes the child's peak memory when it exits (child-report.mjs). */
const reportPreload = pathToFileURL(path.join(repoRoot, 'src/lib/build/child-report.mjs')).href;

/**
 * Where `astro build` puts its server bundle when the output folder is outside the project (every
 * child's is: a shard's folder beside dist/): `.astro/` in the checkout (Astro's
 * `getOutDirWithinCwd`). Once the pages are rendered, Astro deletes the bundle's own chunks there,
 * then copies *everything* left in that folder into the output folder and removes the folder.
 */
export const astroFallbackOut = (root: string) => path.join(root, '.astro');

/**
 * Clears what an astro child that was stopped or died mid-build (killed, out of memory, a failed
 * build) left in the checkout's `.astro/`: the next child would copy its server chunks into its
 * output, and so into dist/ (a stale bundle served to readers, and a dist/ unlike a fresh build's).
 * Safe only while holding this checkout's astro lock (no other child is writing there), and
 * harmless: a child writes what it needs there again (its types, its data store) from its start,
 * and a build that completes leaves no `.astro/` behind.
 */
export function clearAstroLeftovers(root: string = repoRoot): void {
  rmSync(astroFallbackOut(root), { recursive: true, force: true });
}

function startAstro(env: NodeJS.ProcessEnv, verbose: boolean, lock: Lock, ahead: boolean): AstroRun {
  const astro = path.join(repoRoot, 'node_modules/astro/astro.js');
  // Under the lock: nothing else of this checkout's is building.
  clearAstroLeftovers();
  const heapMB = Number(env[ASTRO_HEAP_ENV] || 0);
  // Beside the child's output folder (never inside it: that is merged into dist/).
  const report = `${env.NEWSFOLD_OUT ?? path.join(repoRoot, 'dist')}.report.json`;
  rmSync(report, { force: true });
  const args = [
    ...(heapMB > 0 ? [`--max-old-space-size=${heapMB}`] : []),
    '--import',
    reportPreload,
    ...(ahead ? ['--import', gatePreload] : []),
    astro,
    'build',
    ...(verbose ? [] : ['--silent']),
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...env, NEWSFOLD_CHILD_REPORT: report, ...(ahead ? { [WAIT_FOR_GO_ENV]: 'stdin' } : {}) },
    stdio: [ahead ? 'pipe' : 'ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'],
  });
  // A child that died has closed its end; writing the go-ahead then must not throw here.
  child.stdin?.on('error', () => {});
  let output = '';
  let exited = false;
  let peak: number | null | undefined;
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      exited = true;
      if (code === 0) resolve();
      else if (OUT_OF_MEMORY.test(output) || signal === 'SIGABRT' || code === 134) {
        reject(new AstroOutOfMemory(`astro ran out of memory${heapMB > 0 ? ` (heap limit ${heapMB} MB)` : ''}`));
      } else reject(new Error(`astro build failed (${signal ?? `exit ${code}`})${output ? `:\n${output.trim()}` : ''}`));
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
    peakMB: () => {
      if (peak === undefined) {
        try {
          peak = (JSON.parse(readFileSync(report, 'utf8')) as { peakMB: number }).peakMB;
        } catch {
          peak = null;
        }
        rmSync(report, { force: true });
      }
      return peak;
    },
  };
}

/** Stops an astro child started ahead of its content, if one is still running. */
export async function stopAhead(ahead: Promise<AstroRun | null> | null): Promise<void> {
  const run = ahead ? await ahead.catch(() => null) : null;
  await run?.stop();
}
