/**
 * The build's TypeScript entry points, run from a bundle of them instead of
 * through tsx's loader (scripts/heap-guard.mjs asks here first).
 *
 * Why: under tsx every module goes through its loader hooks, which node 20
 * runs on a separate thread, one round trip per module. The build loads about
 * 70 modules before it starts and the ingest pipeline 56 more, and that cost
 * about 0.5 s before a build began and 0.3-0.5 s more when a drop-in loaded the
 * pipeline, on the 2-core machine (docs/performance.md, "round thirteen: start-up").
 * A bundle made by esbuild (the compiler tsx itself uses) loads in one read.
 * Packages stay outside it (`packages: 'external'`), so they load from
 * node_modules as before, and the pipeline stays a chunk of its own, loaded
 * only when a run has something to parse.
 *
 * Exactness: each module's `import.meta.url` is replaced by its source file's
 * URL, so every path worked out from it (the checkout's root, the workers'
 * entry files, createRequire) is the same as under tsx.
 *
 * When it is used: the bundle is kept under node_modules/.cache/newsfold-bundle/,
 * with the SHA-256 of every file it was made from (esbuild's own list,
 * tsconfig.json, package-lock.json, and this file). It is used only when every one of them still
 * has that hash; otherwise it is made again (about 0.3 s). Anything that goes
 * wrong (no esbuild, a compile error) runs the script through tsx as before,
 * and NEWSFOLD_NO_BUNDLE=1 always does.
 *
 * Node-only, plain JavaScript: heap-guard.mjs starts without tsx.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bump when the way bundles are made changes: older ones are then not used. */
const BUNDLE_FORM = 1;
/** Bundles of an entry kept besides the current one: a build may still be loading the pipeline chunk from an older one. */
const KEEP_OLDER = 3;
/** An older bundle is removed only when it is at least this old (a running build loads its chunk within seconds). */
const REMOVE_AFTER_MS = 60 * 60 * 1000;

const here = path.dirname(fileURLToPath(import.meta.url));
/** The checkout: scripts/ is at its top. */
export const repoRoot = path.resolve(here, '..');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * The bundled entry of `script` (a path to a .ts file in the checkout's scripts/ folder), made
 * or reused; null when the script should run through tsx (outside scripts/, NEWSFOLD_NO_BUNDLE,
 * or the bundle could not be made: `onFallback` is told why).
 * @param {string} script
 * @param {{ root?: string, env?: Record<string, string | undefined>, onFallback?: (why: string) => void }} [options]
 * @returns {Promise<string | null>}
 */
export async function bundledEntry(script, { root = repoRoot, env = process.env, onFallback = () => {} } = {}) {
  if (env.NEWSFOLD_NO_BUNDLE) return null;
  const abs = path.resolve(script);
  const scripts = path.join(root, 'scripts') + path.sep;
  if (!abs.startsWith(scripts) || !abs.endsWith('.ts')) return null;
  const rel = path.relative(root, abs).split(path.sep).join('/');
  // Paths are baked into a bundle (the modules' URLs): one folder per checkout and entry.
  const home = path.join(root, 'node_modules', '.cache', 'newsfold-bundle', sha256(`${BUNDLE_FORM}\0${root}\0${rel}`).slice(0, 16));
  try {
    const current = readCurrent(home, root);
    if (current) return current;
    return await makeBundle(home, root, abs);
  } catch (err) {
    onFallback(err instanceof Error ? err.message : String(err));
    return null;
  }
}

/** The current bundle's entry if every file it was made from still has its recorded hash. */
function readCurrent(home, root) {
  let record;
  try {
    record = JSON.parse(readFileSync(path.join(home, 'current.json'), 'utf8'));
  } catch {
    return null;
  }
  if (record?.form !== BUNDLE_FORM || typeof record.dir !== 'string' || typeof record.entry !== 'string' || !record.inputs) return null;
  for (const [file, hash] of Object.entries(record.inputs)) {
    let bytes;
    try {
      bytes = readFileSync(path.join(root, file));
    } catch {
      return null;
    }
    if (sha256(bytes) !== hash) return null;
  }
  const entry = path.join(home, record.dir, record.entry);
  try {
    statSync(entry);
  } catch {
    return null;
  }
  return entry;
}

async function makeBundle(home, root, abs) {
  const esbuild = await import('esbuild');
  const dir = `b-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const out = path.join(home, dir);
  mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [abs],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.json'),
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [sourceUrls(root)],
  });
  const entryOut = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)?.[0];
  if (!entryOut) throw new Error('esbuild named no entry output');
  // The files it was made from, by hash: esbuild's inputs, and what else decides the bundle.
  const inputs = {};
  // package-lock.json: esbuild's own version, and the tsconfig ours extends (from astro), are in it.
  const files = [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'package-lock.json', path.relative(root, fileURLToPath(import.meta.url))].filter((f) => existsSync(path.join(root, f)));
  for (const file of files.map((f) => f.split(path.sep).join('/')).sort()) inputs[file] = sha256(readFileSync(path.join(root, file)));
  const entry = path.relative(out, path.resolve(root, entryOut));
  // The pointer is replaced in one rename: a build starting meanwhile reads the old one or this one.
  const temp = path.join(home, `current.${process.pid}.${randomBytes(4).toString('hex')}.json`);
  writeFileSync(temp, JSON.stringify({ form: BUNDLE_FORM, dir, entry, inputs }, null, 1));
  renameSync(temp, path.join(home, 'current.json'));
  removeOlder(home, dir);
  return path.join(out, entry);
}

/** Each module's `import.meta.url`, as its source file's URL (under tsx each module has its own). */
function sourceUrls(root) {
  return {
    name: 'newsfold-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !args.path.startsWith(root + path.sep)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const contents = text.includes('import.meta.url') ? text.split('import.meta.url').join(JSON.stringify(pathToFileURL(args.path).href)) : text;
        return { contents, loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

/** Removes the bundles of this entry beyond the newest few, once they are old enough not to be in use. */
function removeOlder(home, keep) {
  const now = Date.now();
  const older = readdirSync(home, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith('b-') && e.name !== keep)
    .map((e) => ({ name: e.name, mtime: statSync(path.join(home, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of older.slice(KEEP_OLDER)) if (now - old.mtime > REMOVE_AFTER_MS) rmSync(path.join(home, old.name), { recursive: true, force: true });
  // Pointers left by a process that died between writing and renaming one.
  for (const name of readdirSync(home)) if (/^current\.\d+\.[0-9a-f]+\.json$/.test(name) && now - statSync(path.join(home, name)).mtimeMs > REMOVE_AFTER_MS) rmSync(path.join(home, name), { force: true });
}
