/**
 * The go-ahead an astro child started ahead of its content waits for
 * (src/lib/site/build-gate.ts): a real child process, as the build spawns it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/corpus';
import { CALLED_OFF_EXIT_CODE, GO_LINE, WAIT_FOR_GO_ENV } from '../src/lib/site/build-gate';

const preload = path.join(repoRoot, 'src/lib/site/build-gate-stdin.mjs');
// Several pages wait at once. `pause`: ms of other work first (Astro bundling the site).
const script = (pause: number) => `
await new Promise((r) => setTimeout(r, ${pause}));
const { waitForGo } = await import('./src/lib/site/build-gate.ts');
await Promise.all([waitForGo(), waitForGo()]);
console.log('loaded');
`;

/** A child as the build starts one ahead (the gate preloaded), or without the preload. */
function child(env: Record<string, string>, { pause = 0, preloaded = true } = {}) {
  const args = ['--import', 'tsx', ...(preloaded ? ['--import', preload] : []), '--input-type=module', '--eval', script(pause)];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': the last of its output can still be in the pipes when it exits.
  const exit = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.on('close', (code) => resolve({ code, out, err })));
  return { proc, exit };
}

describe('build gate', () => {
  it('loads once the go line arrives, and then exits on its own', async () => {
    const { proc, exit } = child({ [WAIT_FOR_GO_ENV]: 'stdin' });
    // Written in two pieces: the line counts once it is whole.
    proc.stdin.write(GO_LINE.slice(0, 1));
    await new Promise((r) => setTimeout(r, 300));
    proc.stdin.write(`${GO_LINE.slice(1)}\n`);
    const { code, out } = await exit;
    expect([code, out.trim()]).toEqual([0, 'loaded']);
  }, 60_000);

  it('exits without loading when stdin closes first: the build called it off, or died', async () => {
    const { proc, exit } = child({ [WAIT_FOR_GO_ENV]: 'stdin' });
    proc.stdin.end();
    const { code, out, err } = await exit;
    expect([code, out]).toEqual([CALLED_OFF_EXIT_CODE, '']);
    expect(err).toMatch(/called off before reading its content/);
  }, 60_000);

  it('exits at once when stdin closes, while the child is still busy with other work', async () => {
    const { proc, exit } = child({ [WAIT_FOR_GO_ENV]: 'stdin' }, { pause: 60_000 });
    await new Promise((r) => setTimeout(r, 500));
    const closed = Date.now();
    proc.stdin.end();
    const { code, out } = await exit;
    expect([code, out]).toEqual([CALLED_OFF_EXIT_CODE, '']);
    expect(Date.now() - closed).toBeLessThan(30_000);
  }, 60_000);

  it('without the preload, still waits for the go line once a page asks', async () => {
    const { proc, exit } = child({ [WAIT_FOR_GO_ENV]: 'stdin' }, { preloaded: false });
    proc.stdin.write(`${GO_LINE}\n`);
    const { code, out } = await exit;
    expect([code, out.trim()]).toEqual([0, 'loaded']);
  }, 60_000);

  it('exits without loading on any other line', async () => {
    const { proc, exit } = child({ [WAIT_FOR_GO_ENV]: 'stdin' });
    proc.stdin.write('stop\n');
    const { code, out } = await exit;
    expect([code, out]).toEqual([CALLED_OFF_EXIT_CODE, '']);
  }, 60_000);

  it('never waits without the variable: a plain astro build', async () => {
    const { proc, exit } = child({ [WAIT_FOR_GO_ENV]: '' });
    // Stdin left open: a waiting child would never exit.
    const { code, out } = await exit;
    proc.stdin.end();
    expect([code, out.trim()]).toEqual([0, 'loaded']);
  }, 60_000);
});
