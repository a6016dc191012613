/**
 * Builds a complete site from a drop folder into a temporary folder, the way
 * `npm run build` does, so end-to-end tests never touch the checkout's own
 * content/ or dist/.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../scripts/lib/corpus';
import { astroLockPath, withLockWait } from '../../src/lib/build/lock-fs';
import { clearAstroLeftovers } from '../../src/lib/build/astro-child';

const run = promisify(execFile);

export interface BuiltSite {
  dir: string;
  content: string;
  dist: string;
  report: string;
  cleanup(): Promise<void>;
}

export async function buildSite(rawDir: string, env: Record<string, string> = {}): Promise<BuiltSite> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-site-'));
  const content = path.join(dir, 'content');
  const dist = path.join(dir, 'dist');
  const report = path.join(dir, 'report.json');
  await mkdir(content, { recursive: true });
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  await run(tsx, ['scripts/ingest.ts', '--raw', rawDir, '--out', content, '--report', report, '--quiet'], { cwd: repoRoot });
  await plainAstroBuild({ NEWSFOLD_CONTENT: content, NEWSFOLD_OUT: dist, NEWSFOLD_CACHE: path.join(dir, 'cache'), ...env });
  return { dir, content, dist, report, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A plain `astro build` of this checkout, with `env` over this process's: in the same queue as
 * scripts/build.ts (astro writes .astro/ in the checkout's root), after clearing what a stopped
 * child left there, which Astro would copy into this output (build/astro-child.ts).
 */
export async function plainAstroBuild(env: Record<string, string>): Promise<void> {
  await withLockWait(astroLockPath(repoRoot), 'astro build (test)', () => {
    clearAstroLeftovers();
    return run(path.join(repoRoot, 'node_modules/.bin/astro'), ['build', '--silent'], { cwd: repoRoot, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  });
}
