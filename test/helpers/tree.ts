/**
 * File-tree helpers for the rebuild tests: snapshots of a folder's bytes (to
 * prove a folder was not written, or that two builds are byte-identical), and
 * scratch folders seeded from the repository's sample drop folder.
 */
import { createHash } from 'node:crypto';
import { cp, lstat, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/corpus';
import { runIngest } from '../../src/lib/build/ingest-fs';

/** Path -> sha256 of bytes (symlinks -> their target text, never followed), sorted. */
export async function snapshot(dir: string, options: { skipDot?: boolean } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (abs: string, rel: string) => {
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (options.skipDot && e.name.startsWith('.')) continue;
      const a = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) out[r] = `link:${await readlink(a)}`;
      else if (e.isDirectory()) await walk(a, r);
      else out[r] = createHash('sha256').update(await readFile(a)).digest('hex');
    }
  };
  await walk(dir, '');
  return out;
}

/** Path -> mtimeMs for regular files. */
export async function mtimes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const rel of Object.keys(await snapshot(dir))) {
    const info = await lstat(path.join(dir, rel));
    if (info.isFile()) out[rel] = info.mtimeMs;
  }
  return out;
}

export async function scratch(prefix = 'newsfold-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export const sampleRaw = path.join(repoRoot, 'content/raw');

/** Copies the repository's sample drop folder to `dest`; returns its file names. */
export async function copySample(dest: string): Promise<string[]> {
  await cp(sampleRaw, dest, { recursive: true });
  return (await readdir(dest)).filter((n) => !n.startsWith('.')).sort();
}

/**
 * Runs `test` on the sample ingested into a scratch folder (`raw` the drop folder, `out`
 * the content), then removes the folder whatever happened.
 */
export async function withIngestedSample(test: (paths: { dir: string; raw: string; out: string }) => Promise<void>): Promise<void> {
  const dir = await scratch();
  try {
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'content');
    await copySample(raw);
    await runIngest({ raw, out });
    await test({ dir, raw, out });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * A private copy of the code (src, scripts, config; node_modules linked), for
 * tests that compare outputs of several processes: in a shared working tree,
 * files edited between two runs would make the same input give different bytes.
 */
export async function frozenCheckout(into: string): Promise<string> {
  const { mkdir, symlink } = await import('node:fs/promises');
  const root = path.join(into, 'checkout');
  await mkdir(root, { recursive: true });
  for (const entry of ['src', 'scripts', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json']) {
    if (await exists(path.join(repoRoot, entry))) await cp(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}
