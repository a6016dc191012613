/**
 * The `astro build` child of a build (src/lib/build/index.ts): started when its
 * content is ready, or ahead of it (a likely drop-in), when it loads, sets up
 * and bundles the site while the ingest runs and then waits for a `go` line on
 * its stdin (src/lib/site/build-gate-stdin.mjs, src/lib/site/build-gate.ts).
 *
 * Every child runs in a project root of its own (`linkedRoot`): a folder with
 * this checkout's config, and links to its sources and packages. Astro writes `.astro/`
 * in the project root, and puts its server bundle in `.astro/` of the working
 * directory when the output folder is outside it (every child's is): in one
 * shared root, two children at once would write, and then delete, each other's
 * bundle. In roots of their own, several children render shards at once
 * (render.ts), and builds of other content folders, or a plain `astro build` of
 * the checkout, run beside them.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * Set in a child's environment: its project root is a `linkedRoot`, so Vite must keep the links'
 * paths as it resolves modules (astro.config.mjs `resolve.preserveSymlinks`). Resolved to the
 * checkout's real paths, Astro's compiled `.astro` modules would not be found under the root's
 * paths it named them by ("No cached compile metadata found").
 */
export const LINKED_ROOT_ENV = 'NEWSFOLD_LINKED_ROOT';

/** V8's words when a heap limit is reached; node then aborts (SIGABRT). */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/i;
/** How long a failed child's pipes may stay open after it exits before its failure is told without the rest of its output. */
const CLOSE_GRACE_MS = 2000;

/** Astro's config and what Astro reads from the project root: files copied, folders linked (linkedRoot). */
const ROOT_FILES = ['astro.config.mjs', 'package.json', 'tsconfig.json'];
const ROOT_FOLDERS = ['src', 'public', 'node_modules'];

/**
 * Makes `root` afresh as a project root of this checkout: its few root files copied, its folders
 * linked (junctions on Windows, where a plain link needs rights a user may not have). The config's
 * imports (`./src/...`) resolve through the links. A child's build output is byte-identical to a
 * build in the checkout itself (test/shards.test.ts). Removing the root removes the links, never
 * what they point to.
 */
export function linkedRoot(root: string): string {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const name of ROOT_FILES) {
    const from = path.join(repoRoot, name);
    if (existsSync(from)) copyFileSync(from, path.join(root, name));
  }
  for (const name of ROOT_FOLDERS) {
    const target = path.join(repoRoot, name);
    if (existsSync(target)) symlinkSync(target, path.join(root, name), process.platform === 'win32' ? 'junction' : 'dir');
  }
  return root;
}

/** Starts `astro build` in the project root `root` (made afresh: linkedRoot). */
export async function astroBuild(env: NodeJS.ProcessEnv, verbose: boolean, root: string): Promise<AstroRun> {
  return startAstro(env, verbose, root, false);
}

/**
 * Starts `astro build` ahead of its content: it loads, sets up and bundles the
 * site while the ingest runs, and its pages wait for `go()` before they read
 * anything (src/lib/site/build-gate.ts).
 */
export async function astroBuildAhead(env: NodeJS.ProcessEnv, verbose: boolean, root: string): Promise<AstroRun> {
  return startAstro(env, verbose, root, true);
}

/** Read by a child started ahead from its first moment, so it ends as soon as this process does. */
const gatePreload = pathToFileURL(path.join(repoRoot, 'src/lib/site/build-gate-stdin.mjs')).href;
/** Writes the child's peak memory when it exits (child-report.mjs). */
const reportPreload = pathToFileURL(path.join(repoRoot, 'src/lib/build/child-report.mjs')).href;

/**
 * Where `astro build` puts its server bundle when the output folder is outside the project (every
 * child's is: a shard's folder beside dist/): `.astro/` in its working directory (Astro's
 * `getOutDirWithinCwd`), which is the child's own root. Once the pages are rendered, Astro deletes
 * the bundle's own chunks there, then copies *everything* left in that folder into the output
 * folder and removes the folder. A root is made afresh for each child (linkedRoot), so what a child
 * stopped mid-build left there never reaches another child's output.
 */
export const astroFallbackOut = (root: string) => path.join(root, '.astro');

/**
 * Clears `.astro/` of a project root. For a plain `astro build` of the checkout itself (the tests'),
 * which would copy what a stopped build left there into its output; a build's children never run
 * there.
 */
export function clearAstroLeftovers(root: string = repoRoot): void {
  rmSync(astroFallbackOut(root), { recursive: true, force: true });
}

function startAstro(env: NodeJS.ProcessEnv, verbose: boolean, root: string, ahead: boolean): AstroRun {
  const astro = path.join(repoRoot, 'node_modules/astro/astro.js');
  linkedRoot(root);
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
    cwd: root,
    env: { ...env, [LINKED_ROOT_ENV]: '1', NEWSFOLD_CHILD_REPORT: report, ...(ahead ? { [WAIT_FOR_GO_ENV]: 'stdin' } : {}) },
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
      if (code === 0) return resolve();
      let told = false;
      const tell = () => {
        if (told) return;
        told = true;
        if (OUT_OF_MEMORY.test(output) || signal === 'SIGABRT' || code === 134) {
          reject(new AstroOutOfMemory(`astro ran out of memory${heapMB > 0 ? ` (heap limit ${heapMB} MB)` : ''}`));
        } else reject(new Error(`astro build failed (${signal ?? `exit ${code}`})${output ? `:\n${output.trim()}` : ''}`));
      };
      // Its last words (V8's out-of-memory lines, Astro's error) can still be in the pipes when it
      // exits: wait for them to close, but not for long (a process it started may hold them open).
      if (!child.stdout && !child.stderr) return tell();
      child.once('close', tell);
      setTimeout(tell, CLOSE_GRACE_MS).unref();
    });
  }).finally(() => rmSync(root, { recursive: true, force: true }));
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
export async function stopAhead(ahead: Promise<AstroRun> | null): Promise<void> {
  const run = ahead ? await ahead.catch(() => null) : null;
  await run?.stop();
}
