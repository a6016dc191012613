/**
 * scripts/heap-guard.mjs (#15): what `npm run build` runs. When the build
 * process reaches its heap limit, V8 aborts it with no chance to say anything;
 * the guard passes the child's output through and then says what happened and
 * what to do. Any other exit status passes through unchanged.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scratch } from './helpers/tree';

const guard = path.resolve('scripts/heap-guard.mjs');
const run = (script: string, heapMb?: string) =>
  spawnSync(process.execPath, [guard, script], {
    encoding: 'utf8',
    env: { ...process.env, ...(heapMb ? { NEWSFOLD_HEAP_MB: heapMb } : {}) },
    timeout: 60_000,
  });

describe('heap guard', () => {
  it('turns V8 running out of heap into a message naming the limit and what to do', async () => {
    const dir = await scratch('newsfold-heap-guard-');
    // Named as the script `npm run build` runs: the advice names that command.
    const script = path.join(dir, 'build.ts');
    await writeFile(script, "console.error('working');\nconst held: number[][] = [];\nfor (;;) held.push(new Array(1 << 16).fill(held.length));\n");
    const result = run(script, '48');
    expect(result.status).toBe(1);
    // The child's own output came through first, then V8's words, then ours.
    expect(result.stderr).toMatch(/^working/);
    expect(result.stderr).toMatch(/heap limit|out of memory/i);
    expect(result.stderr).toContain("ran out of memory (node's heap limit, 48 MB");
    expect(result.stderr).toContain('the previous site and content still serve');
    expect(result.stderr).toMatch(/NEWSFOLD_HEAP_MB=96 npm run build/);
  });

  it('passes any other exit status and output through', async () => {
    const dir = await scratch('newsfold-heap-guard-');
    const script = path.join(dir, 'three.ts');
    await writeFile(script, "const n: number = 3;\nconsole.log('out');\nconsole.error('err');\nprocess.exit(n);\n");
    const result = run(script);
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
  });
});
