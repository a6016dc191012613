/**
 * An astro child's project root (build/astro-child.ts linkedRoot). What an
 * astro build stopped mid-way leaves in `.astro/` of its root (its server
 * bundle, when the output folder is outside the project, as every child's is)
 * would be copied into the next build's output there: Astro copies everything
 * left in that folder into its output once the pages are rendered. Seen when
 * a test timed out under load: the next build's dist/ held another build's
 * server chunks. A build's children run in roots of their own, made afresh,
 * so neither the checkout's `.astro/` (a plain `astro build`'s) nor a
 * stopped child's root reaches dist/; removing a root removes only its links.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../scripts/lib/corpus';
import { astroFallbackOut, linkedRoot } from '../src/lib/build/astro-child';
import { runBuild } from '../src/lib/build/index';
import { astroLockPath, withLockWait } from '../src/lib/build/lock-fs';
import { shardPaths, shardWork } from '../src/lib/build/render';
import { copySample, scratch } from './helpers/tree';

describe("an astro child's project root", () => {
  it("holds the checkout's config and links to its folders, and removing it removes only the links", async () => {
    const dir = await scratch('newsfold-root-');
    const root = linkedRoot(path.join(dir, 'root'));
    for (const name of ['src', 'node_modules']) {
      expect((await lstat(path.join(root, name))).isSymbolicLink()).toBe(true);
      expect(path.resolve(await readlink(path.join(root, name)))).toBe(path.join(repoRoot, name));
    }
    for (const name of ['astro.config.mjs', 'package.json']) {
      expect(await readFile(path.join(root, name), 'utf8')).toBe(await readFile(path.join(repoRoot, name), 'utf8'));
    }
    await rm(root, { recursive: true, force: true });
    expect(existsSync(path.join(repoRoot, 'src/lib/build/astro-child.ts'))).toBe(true);
    expect(existsSync(path.join(repoRoot, 'node_modules/astro/package.json'))).toBe(true);
  });

  it("keeps what other astro builds left out of dist/", async () => {
    const dir = await scratch('newsfold-leftovers-');
    const raw = path.join(dir, 'raw');
    const dist = path.join(dir, 'dist');
    await copySample(raw);
    // Left in the checkout's .astro/ (a plain `astro build` stopped mid-way), under the lock those take.
    const inCheckout = path.join(astroFallbackOut(repoRoot), 'chunks', `left-by-a-stopped-build-${process.pid}.mjs`);
    await withLockWait(astroLockPath(repoRoot), 'leftovers (test)', async () => {
      await mkdir(path.dirname(inCheckout), { recursive: true });
      await writeFile(inCheckout, 'export const stale = true;\n');
    });
    // Left in the root this build's first child will use (a child of this process stopped mid-way).
    const inRoot = path.join(astroFallbackOut(shardPaths(shardWork(dist), 0).root), 'chunks', 'left-by-a-stopped-child.mjs');
    await mkdir(path.dirname(inRoot), { recursive: true });
    await writeFile(inRoot, 'export const stale = true;\n');
    try {
      const result = await runBuild({ raw, content: path.join(dir, 'content'), dist, cache: path.join(dir, 'cache') });
      expect(result.built).toBe(true);
      expect(existsSync(path.join(dist, 'chunks'))).toBe(false);
      expect(await readdir(dist)).toContain('index.html');
      expect(existsSync(inRoot)).toBe(false);
    } finally {
      await withLockWait(astroLockPath(repoRoot), 'leftovers (test)', () => rm(inCheckout, { force: true }));
    }
  }, 300_000);
});
