/**
 * One build at a time: a lock file holding the owner's pid and host.
 *
 * Why not proper-lockfile: its staleness is time-based (a lock whose mtime has
 * not been refreshed for N seconds is taken over), so after a `kill -9` the next
 * build either waits out the stale period or, with a short period, can steal
 * the lock from a live build whose event loop was busy for a while (a big
 * ingest is synchronous CPU work). A pid lock on one machine is exact: the lock
 * is stale exactly when its process is gone. It is created with O_EXCL (`wx`),
 * so two builds starting together cannot both get it. (Adding a dependency
 * also means touching package.json/package-lock.json, which this change avoids.)
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Lock {
  file: string;
  release(): Promise<void>;
}

export class LockedError extends Error {
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
    this.name = 'LockedError';
  }
}

interface Owner {
  pid: number;
  host: string;
  started: string;
  what: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process stays visible to kill(0) as a zombie until its parent (or
  // init, once the parent is gone too) reaps it; it holds nothing any more.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/**
 * Takes the lock or throws a LockedError naming the build that holds it. A lock
 * left by a process that no longer exists (crash, kill -9) is taken over.
 */
export async function acquireLock(file: string, what = 'build'): Promise<Lock> {
  await mkdir(path.dirname(file), { recursive: true });
  const owner: Owner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), what };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      let released = false;
      return {
        file,
        release: async () => {
          if (released) return;
          released = true;
          // Only remove the lock if it is still ours.
          const text = await readFile(file, 'utf8').catch(() => '');
          if (text.includes(`"pid":${process.pid},`)) await rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let held: Partial<Owner> = {};
    try {
      held = JSON.parse(await readFile(file, 'utf8')) as Owner;
    } catch {
      // Unreadable or half-written: a process that died between create and write.
      // Give a live writer a moment before calling it stale.
      await new Promise((r) => setTimeout(r, 200));
      try {
        held = JSON.parse(await readFile(file, 'utf8')) as Owner;
      } catch {
        held = {};
      }
    }
    const pid = Number(held.pid);
    const sameHost = !held.host || held.host === os.hostname();
    if (Number.isInteger(pid) && pid > 0 && (!sameHost || alive(pid))) {
      throw new LockedError(
        `another ${held.what ?? 'build'} is running (pid ${pid}${sameHost ? '' : ` on ${held.host}`}, started ${held.started ?? 'at an unknown time'}); ` +
          `wait for it to finish, or delete ${file} if you are sure it is not running`,
        pid,
      );
    }
    // Stale: its process is gone. Remove and retry (O_EXCL arbitrates a race).
    await rm(file, { force: true });
  }
  throw new LockedError(`could not take the lock ${file}; another build keeps taking it`, 0);
}

/**
 * Runs `fn` holding the lock, releasing it however `fn` ends. If the process is
 * killed instead, the lock names a dead pid and the next build takes it over.
 */
export async function withLock<T>(file: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(file, what);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/**
 * Like withLock, but waits its turn instead of failing: for work that must not
 * overlap but may queue, such as a plain `astro build` of the checkout (the
 * tests'), which writes `.astro/` in the project root whatever content and
 * output folders it is given. A build's own astro children run in roots of
 * their own (astro-child.ts linkedRoot) and take no lock.
 */
export async function withLockWait<T>(file: string, what: string, fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const lock = await acquireLockWait(file, what, timeoutMs);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** Takes the lock, waiting while a live process holds it (up to `timeoutMs`). */
export async function acquireLockWait(file: string, what: string, timeoutMs = 30 * 60_000): Promise<Lock> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await acquireLock(file, what);
    } catch (err) {
      if (!(err instanceof LockedError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The lock a plain `astro build` in this checkout's own root takes (see withLockWait). */
export function astroLockPath(root: string): string {
  return path.join(root, 'node_modules', '.newsfold-astro-build.lock');
}
