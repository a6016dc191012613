/**
 * Crash safety (#7): a `kill -9` at any moment leaves the previous complete
 * content/ and dist/, and the next build repairs everything. A lock stops two
 * builds running at once.
 *
 * Crashes are made two ways: at named points inside the write (NEWSFOLD_CRASH_AT,
 * the process SIGKILLs itself there, so every phase is covered every run), and
 * by SIGKILL from outside at random moments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireLock, LockedError } from '../src/lib/build/lock-fs';
import { repairOutput } from '../src/lib/build/write-fs';
import { repairDist, lockPath } from '../src/lib/build/index';
import { repoRoot } from '../scripts/lib/corpus';
import { copySample, exists, frozenCheckout, scratch, snapshot } from './helpers/tree';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

let dir: string;
let code: string; // frozen copy of the code the processes run
let rawA: string;
let rawB: string;
let contentA: string; // complete output for A, with its cache
let collectionsA: Record<string, string>;
/** After one uninterrupted run over A's output with drop folder B, and after a second one. */
let collectionsB: Record<string, string>;
let collectionsB2: Record<string, string>;

const collections = async (root: string) =>
  Object.fromEntries(Object.entries(await snapshot(root)).filter(([k]) => /^(articles|stories)\//.test(k)));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Exit> } {
  // Own process group, so a kill reaches astro too when the build spawns it.
  const child = spawn(tsx, args, { cwd: code, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  // 'close', not 'exit': the last of its output can still be in the pipes when it exits.
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** tsx relays its child's SIGKILL as exit code 137 (128 + 9). */
const wasKilled = (exit: Exit) => exit.signal === 'SIGKILL' || exit.code === 137;

/**
 * The ingest as a separate process, as a build runs it. Every output in this
 * file comes from the CLI, so all of them are made by the same code.
 */
async function ingestCli(raw: string, out: string): Promise<void> {
  const exit = await start(['scripts/ingest.ts', '--raw', raw, '--out', out, '--quiet']).done;
  if (exit.code !== 0) throw new Error(`ingest failed: ${exit.stderr}`);
}

const killGroup = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
};

beforeAll(async () => {
  dir = await scratch();
  code = await frozenCheckout(dir);
  rawA = path.join(dir, 'rawA');
  rawB = path.join(dir, 'rawB');
  const names = await copySample(rawB);
  // A lacks B's last file, has B's first file with an extra paragraph, and has one B lacks.
  await cp(rawB, rawA, { recursive: true });
  await unlink(path.join(rawA, names[names.length - 1]));
  const first = await readFile(path.join(rawB, names[0]), 'utf8');
  await writeFile(path.join(rawA, names[0]), `${first}\n\nAn earlier version of this report carried one more paragraph, removed since by the editors.\n`);
  await writeFile(path.join(rawA, `zz-${names[1]}`), await readFile(path.join(rawB, names[1])));
  contentA = path.join(dir, 'contentA');
  await ingestCli(rawA, contentA);
  collectionsA = await collections(contentA);
  // B as an uninterrupted run over A's output gives it (the story state carries over).
  const ref = path.join(dir, 'refB');
  await cp(contentA, ref, { recursive: true });
  await ingestCli(rawB, ref);
  collectionsB = await collections(ref);
  // A second run over unchanged input should change nothing; the tests do not
  // rely on it (they compare run for run), incremental.test.ts checks it.
  await ingestCli(rawB, ref);
  collectionsB2 = await collections(ref);
  expect(collectionsB).not.toEqual(collectionsA);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('content/ survives kill -9', () => {
  it.each(['staged:1', 'staged:3', 'committed', 'moved:0', 'moved:1', 'moved:3'])(
    'crash at %s: previous complete output, or the new one after repair; next run repairs',
    async (point) => {
      const out = path.join(dir, `crash-${point.replace(':', '-')}`);
      await cp(contentA, out, { recursive: true });
      const { done } = start(['scripts/ingest.ts', '--raw', rawB, '--out', out, '--quiet'], { NEWSFOLD_CRASH_AT: point });
      const exit = await done;
      expect(wasKilled(exit), exit.stderr).toBe(true);
      const journal = await exists(path.join(out, '.newsfold', 'journal.json'));
      if (point.startsWith('staged')) {
        // Before the commit point: the live collections are exactly the previous output.
        expect(journal).toBe(false);
        expect(await collections(out)).toEqual(collectionsA);
      } else {
        expect(journal).toBe(true);
        await repairOutput(out);
        expect(await collections(out)).toEqual(collectionsB);
      }
      await ingestCli(rawB, out);
      expect(await collections(out)).toEqual(point.startsWith('staged') ? collectionsB : collectionsB2);
      // No journal, staging or temporary file is left.
      const left = await readdir(path.join(out, '.newsfold'));
      expect(left.filter((n) => /journal|staging|\.tmp-/.test(n))).toEqual([]);
    },
  );

  it('random kill -9 during ingest: old or new complete output, and the next run repairs', async () => {
    // Time one uninterrupted run to spread the kills over it.
    const probe = path.join(dir, 'probe');
    await cp(contentA, probe, { recursive: true });
    const t0 = performance.now();
    await start(['scripts/ingest.ts', '--raw', rawB, '--out', probe, '--quiet']).done;
    const span = performance.now() - t0;
    for (let i = 0; i < 5; i++) {
      const out = path.join(dir, `random-${i}`);
      await cp(contentA, out, { recursive: true });
      const { child, done } = start(['scripts/ingest.ts', '--raw', rawB, '--out', out, '--quiet']);
      setTimeout(() => killGroup(child), ((i + 0.5) / 5) * span);
      await done;
      const journal = await exists(path.join(out, '.newsfold', 'journal.json'));
      const now = await collections(out);
      if (!journal) expect([collectionsA, collectionsB]).toContainEqual(now);
      const committed = journal || JSON.stringify(now) !== JSON.stringify(collectionsA);
      await ingestCli(rawB, out);
      expect(await collections(out)).toEqual(committed ? collectionsB2 : collectionsB);
    }
  });
});

describe('lock', () => {
  it('stops a second build with a clear message, and takes over a dead one', async () => {
    const content = path.join(dir, 'locked');
    await mkdir(content, { recursive: true });
    const lock = await acquireLock(lockPath(content));
    await expect(acquireLock(lockPath(content))).rejects.toThrow(LockedError);
    await expect(acquireLock(lockPath(content))).rejects.toThrow(new RegExp(`pid ${process.pid}`));
    const cli = await start(['scripts/ingest.ts', '--raw', rawB, '--out', content, '--quiet']).done;
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(new RegExp(`another build is running \\(pid ${process.pid}`));
    expect(await exists(path.join(content, 'articles'))).toBe(false);
    await lock.release();

    // A lock left by a process that was killed is taken over.
    const { child, done } = start(['-e', 'setTimeout(() => {}, 60000)']);
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(lockPath(content), JSON.stringify({ pid: child.pid, host: (await import('node:os')).hostname(), started: 'x', what: 'build' }));
    await expect(acquireLock(lockPath(content))).rejects.toThrow(LockedError);
    killGroup(child);
    await done;
    const taken = await acquireLock(lockPath(content));
    expect(JSON.parse(await readFile(lockPath(content), 'utf8')).pid).toBe(process.pid);
    await taken.release();
    expect(await exists(lockPath(content))).toBe(false);
  });
});

describe('dist/ survives kill -9', () => {
  it('repairs every half-done swap', async () => {
    const root = path.join(dir, 'swap');
    const dist = path.join(root, 'dist');
    const put = async (name: string, text: string) => {
      await mkdir(path.join(root, name), { recursive: true });
      await writeFile(path.join(root, name, 'index.html'), text);
    };
    const state = async () => (await readdir(root)).sort();
    const page = async () => readFile(path.join(dist, 'index.html'), 'utf8');
    // Killed during astro build: a partial temp folder next to the live one.
    await put('dist', 'old');
    await put('dist.tmp-12345', 'partial');
    await repairDist(dist);
    expect([await state(), await page()]).toEqual([['dist'], 'old']);
    // Killed after the new build was complete, before the swap.
    await put('dist.next', 'new');
    await repairDist(dist);
    expect([await state(), await page()]).toEqual([['dist'], 'new']);
    // Killed between the two renames.
    await rm(dist, { recursive: true });
    await put('dist.old', 'old');
    await put('dist.next', 'new');
    await repairDist(dist);
    expect([await state(), await page()]).toEqual([['dist'], 'new']);
    // Killed after the swap, before removing the old one.
    await put('dist.old', 'old');
    await repairDist(dist);
    expect([await state(), await page()]).toEqual([['dist'], 'new']);
  });

  it('a build killed during astro build, while laying a partial build into dist/ or during the swap leaves a complete site, and the next build repairs', async () => {
    const site = path.join(dir, 'site');
    const raw = path.join(site, 'raw');
    const content = path.join(site, 'content');
    const dist = path.join(site, 'dist');
    await cp(rawA, raw, { recursive: true });
    const args = ['scripts/build.ts', '--raw', raw, '--content', content, '--dist', dist];
    const t0 = performance.now();
    const first = await start(args).done;
    const span = performance.now() - t0;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/site built/);
    const distA = await snapshot(dist);
    const articlesA = await readdir(path.join(content, 'articles'));

    // B: the drop folder changes; kill the build (and astro) while astro writes its temp folder.
    // Watched for, not timed: B is a drop-in's partial build, much quicker than A.
    await rm(raw, { recursive: true });
    await cp(rawB, raw, { recursive: true });
    const run = start(args);
    let exited = false;
    void run.done.then(() => (exited = true));
    const deadline = performance.now() + span * 4;
    while (!exited && performance.now() < deadline && !(await readdir(site)).some((n) => n.startsWith('dist.tmp-'))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    killGroup(run.child);
    const killed = await run.done;
    expect(wasKilled(killed), `build was not killed during astro build: ${killed.stdout}`).toBe(true);
    expect(await snapshot(dist)).toEqual(distA);

    // Killed while laying the partial build's files into dist/ in place, past its journal's commit.
    const apply = await start(args, { NEWSFOLD_CRASH_AT: 'dist-apply:2' }).done;
    expect(wasKilled(apply), apply.stderr).toBe(true);
    expect((await readdir(site)).filter((n) => n.startsWith('dist.'))).toEqual(['dist.delta']);
    // The next build finishes laying them in; the complete new site needs no rebuild.
    const rolled = await start(args).done;
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stderr).toMatch(/repair: finished applying an interrupted partial build/);
    expect(rolled.stdout).toMatch(/dist is up to date/);
    expect((await readdir(site)).sort()).toEqual(['content', 'dist', 'raw']);
    const distB = await snapshot(dist);

    // A full build (forced) killed between moving the old site aside and moving the new one in.
    const swap = await start([...args, '--force'], { NEWSFOLD_CRASH_AT: 'dist-swap' }).done;
    expect(wasKilled(swap), swap.stderr).toBe(true);
    expect(await exists(dist)).toBe(false);
    expect((await readdir(site)).filter((n) => n.startsWith('dist.')).sort()).toEqual(['dist.next', 'dist.old']);

    // The next build finishes the swap; the complete new site needs no rebuild.
    const next = await start(args).done;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/repair: .*swap/);
    expect(next.stdout).toMatch(/dist is up to date/);
    expect((await readdir(site)).sort()).toEqual(['content', 'dist', 'raw']);
    // The same site, whichever way it was finished.
    expect(await snapshot(dist)).toEqual(distB);
    expect(distB).not.toEqual(distA);
    const added = (await readdir(path.join(content, 'articles'))).filter((n) => !articlesA.includes(n));
    expect(added.length).toBeGreaterThan(0);
    for (const file of added) expect(Object.keys(distB)).toContain(`articles/${file.replace(/\.md$/, '')}/index.html`);
    // And nothing was written into the drop folder.
    expect(await snapshot(raw)).toEqual(await snapshot(rawB));
    // Six builds, four of them through astro: on a shared, loaded machine that outlasts the default 120 s.
  }, 600_000);
});
