/**
 * What an astro child stopped mid-build leaves in the checkout's `.astro/`
 * (its server bundle, when the output folder is outside the project, as every
 * child's is) never reaches dist/: Astro copies everything left in that folder
 * into its output once the pages are rendered, so each child clears it first
 * (build/astro-child.ts clearAstroLeftovers). Seen when a test timed out under
 * load: the next build's dist/ held another build's server chunks.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../scripts/lib/corpus';
import { astroFallbackOut } from '../src/lib/build/astro-child';
import { runBuild } from '../src/lib/build/index';
import { astroLockPath, withLockWait } from '../src/lib/build/lock-fs';
import { copySample, scratch } from './helpers/tree';

describe("an astro child's leftovers", () => {
  it('are not copied into dist/ by the next build', async () => {
    const dir = await scratch('newsfold-leftovers-');
    const raw = path.join(dir, 'raw');
    const dist = path.join(dir, 'dist');
    await copySample(raw);
    const left = path.join(astroFallbackOut(repoRoot), 'chunks', 'left-by-a-stopped-build.mjs');
    // Under the astro lock, as a child would have written it.
    await withLockWait(astroLockPath(repoRoot), 'leftovers (test)', async () => {
      await mkdir(path.dirname(left), { recursive: true });
      await writeFile(left, 'export const stale = true;\n');
    });
    const result = await runBuild({ raw, content: path.join(dir, 'content'), dist, cache: path.join(dir, 'cache') });
    expect(result.built).toBe(true);
    expect(existsSync(path.join(dist, 'chunks'))).toBe(false);
    expect(await readdir(dist)).toContain('index.html');
    // (another build of this checkout may have cleared it first: either way it is gone)
    expect(existsSync(left)).toBe(false);
  }, 300_000);
});
