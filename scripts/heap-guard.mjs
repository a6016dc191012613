/**
 * node scripts/heap-guard.mjs <script.ts> [args...]   (what `npm run build`, `ingest` and `watch` run)
 *
 * Runs a TypeScript entry point in a child node with the heap the build needs,
 * and turns V8's out-of-memory abort into a message a newsroom can act on.
 *
 * Why a parent: when the build process itself reaches its heap limit, V8
 * aborts it (SIGABRT, exit 134) with a stack trace and no chance to run any
 * code of ours. Nothing is lost (every write commits through a journal or a
 * rename, so dist/ and the content folder are the previous build's), but the
 * reader of the log sees only V8's "Reached heap limit". This parent watches
 * the child's stderr for V8's words, passes every byte through unchanged, and
 * then says what happened and what to do.
 *
 * The heap: NEWSFOLD_HEAP_MB (default 6144: node's own default, about 4 GB,
 * is below a cold build of a year of 100,000 articles; docs/performance.md).
 * The flags themselves are in node-flags.mjs, where the bench takes them too.
 * Exit status: the child's; 1 with the message when it ran out of memory.
 * Plain JavaScript (no tsx needed to start it); Node-only.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { bundledEntry } from './bundle-entry.mjs';
import { DEFAULT_HEAP_MB, buildNodeFlags } from './node-flags.mjs';
/** V8's words when a heap limit is reached (as src/lib/build/astro-child.ts reads its children). */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/i;
/** How much of the child's stderr is kept to look for those words (they come last). */
const TAIL_BYTES = 64 * 1024;

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/heap-guard.mjs <script.ts> [args...]');
  process.exit(2);
}
const asked = Number(process.env.NEWSFOLD_HEAP_MB ?? '');
const heapMb = Number.isInteger(asked) && asked > 0 ? asked : DEFAULT_HEAP_MB;

// The script's bundle when it is one of the checkout's (bundle-entry.mjs: loads faster than through tsx), else tsx.
const bundled = await bundledEntry(script, { onFallback: (why) => console.error(`newsfold: running ${script} through tsx (no bundle: ${why})`) });
const child = spawn(process.execPath, [...buildNodeFlags(heapMb), ...(bundled ? [bundled] : ['--import', 'tsx', script]), ...args], {
  stdio: ['inherit', 'inherit', 'pipe'],
});
let tail = '';
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
});
// Ctrl-C and a stop reach the child, which cleans up (its lock, its staging) as when run alone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));

child.on('close', (code, signal) => {
  if ((signal === 'SIGABRT' || code === 134) && OUT_OF_MEMORY.test(tail)) {
    const machineMb = Math.round(os.totalmem() / 2 ** 20);
    // Twice the heap, leaving a GB for the system and Astro's children.
    const more = Math.min(machineMb - 1024, heapMb * 2);
    // The npm script that ran it (build, ingest, watch: package.json names them after their scripts).
    const command = `npm run ${path.basename(script, '.ts')}`;
    console.error(
      [
        '',
        `newsfold: ${script} ran out of memory (node's heap limit, ${heapMb} MB; this machine has ${machineMb} MB).`,
        'Nothing was half written: the previous site and content still serve, and the next build repairs any interrupted write.',
        more > heapMb
          ? `What to do: give it more heap, e.g. NEWSFOLD_HEAP_MB=${more} ${command} (README "Deploying").`
          : 'What to do: this machine has no more memory to give; build on one with more (docs/performance.md: a cold year of 100,000 articles peaks at about 4.7 GB).',
      ].join('\n'),
    );
    process.exit(1);
  }
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
