/**
 * `npm run watch` end to end: a real watcher process over a drop folder. It
 * builds once, then rebuilds after each change and says what changed: an
 * article dropped in (a partial build), a file it rejects, a file removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/corpus';

describe('npm run watch', () => {
  let dir = '';
  let watcher: ChildProcess | null = null;
  let output = '';

  /** Waits until the watcher has printed a line matching `pattern` after `from` characters of its output. */
  const waitFor = async (pattern: RegExp, from: number, timeoutMs = 120_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(output.slice(from));
      if (m) return output.slice(from);
      if (Date.now() > deadline) throw new Error(`watch: no ${pattern} within ${timeoutMs} ms; output:\n${output.slice(from)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-watch-'));
    await cp(path.join(repoRoot, 'content/raw'), path.join(dir, 'raw'), { recursive: true });
  });
  afterAll(async () => {
    watcher?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('builds, then rebuilds each change and says what it was', async () => {
    const raw = path.join(dir, 'raw');
    const dist = path.join(dir, 'dist');
    watcher = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/watch.ts', '--raw', raw, '--content', path.join(dir, 'content'), '--dist', dist, '--cache', path.join(dir, 'cache'), '--debounce', '200', '--poll', '0'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    watcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    watcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    // The watcher prints a rebuild's summary and its change lines in one write,
    // yet a pipe may still hand one write over in more than one chunk: wait for
    // the line asserted on, not only for the summary.
    let seen = await waitFor(/start: dist rebuilt \(every page\)[^]*articles added \(5\)/, 0);

    // A new outlet's take on the story: its paragraphs in another order, under another name.
    const names = (await readdir(raw)).sort();
    const paragraphs = (await readFile(path.join(raw, names[0]), 'utf8')).split('\n').filter((l) => l.trim());
    let from = output.length;
    await writeFile(path.join(raw, 'late desk report.txt'), [...paragraphs.slice(2), ...paragraphs.slice(0, 2)].join('\n\n'));
    seen = await waitFor(/change in drop folder: dist rebuilt \(\d+ page\(s\) re-rendered\)[^]*stories updated \(1\)/, from);
    const id = /articles added \(1\): (late-desk-report[a-z0-9-]*)/.exec(seen)?.[1];
    expect(id).toBeTruthy();
    expect(seen).toMatch(/stories updated \(1\)/);
    expect((await stat(path.join(dist, 'articles', id!, 'index.html'))).isFile()).toBe(true);

    // A file the ingest rejects: reported with its reason, the site unchanged.
    from = output.length;
    await writeFile(path.join(raw, 'empty.md'), '');
    seen = await waitFor(/rejected empty\.md: /, from);

    // The drop-in removed: its article goes, its story is updated.
    from = output.length;
    await rm(path.join(raw, 'late desk report.txt'));
    seen = await waitFor(/articles removed \(1\): /, from);
    expect(seen).toMatch(/change in drop folder: dist rebuilt/);
    expect(seen).toContain(`articles removed (1): ${id}`);
    await expect(stat(path.join(dist, 'articles', id!, 'index.html'))).rejects.toThrow();

    const exited = new Promise<number | null>((resolve) => watcher!.once('exit', (code) => resolve(code)));
    watcher.kill('SIGTERM');
    await exited;
    watcher = null;
  }, 300_000);
});
