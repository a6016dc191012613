/**
 * Runs a command and measures it: wall time, and peak resident memory of the
 * largest process in it, via GNU time (`/usr/bin/time -f`), the usual public
 * tool for this. Without it, peak memory is reported as null.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Measured {
  ok: boolean;
  ms: number;
  /** Peak resident set size, bytes (the largest single process), or null. */
  peakRss: number | null;
  /** Last lines of output when the command failed. */
  error?: string;
  stdout: string;
}

const GNU_TIME = '/usr/bin/time';

export async function measure(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'newsfold-bench-'));
  const timeFile = path.join(tmp, 'time.txt');
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  const child = spawn(file, argv, { cwd: opts.cwd, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const ms = Math.round(performance.now() - started);
  let peakRss: number | null = null;
  if (useTime) {
    const text = await readFile(timeFile, 'utf8').catch(() => '');
    const kb = Number(text.trim().split('\n').pop());
    if (Number.isFinite(kb) && kb > 0) peakRss = kb * 1024;
  }
  await rm(tmp, { recursive: true, force: true });
  const result: Measured = { ok: code === 0, ms, peakRss, stdout };
  if (code !== 0) result.error = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
  return result;
}

/** Sums steps run one after another: total time, the largest peak. */
export function sequence(steps: Measured[]): Measured {
  const failed = steps.find((s) => !s.ok);
  return {
    ok: !failed,
    ms: steps.reduce((t, s) => t + s.ms, 0),
    peakRss: steps.some((s) => s.peakRss === null) ? null : Math.max(...steps.map((s) => s.peakRss!)),
    error: failed?.error,
    stdout: steps.map((s) => s.stdout).join(''),
  };
}
