/**
 * The node flags the build process runs with: what `npm run build`, `ingest`
 * and `watch` get (scripts/heap-guard.mjs) and what `npm run bench` times
 * (scripts/bench.ts), from one place so the bench measures what users run.
 * Plain JavaScript: heap-guard.mjs starts without tsx.
 */

/** The heap the build gets unless NEWSFOLD_HEAP_MB says otherwise (MB): node's default, about 4 GB, is below a cold year of 100,000 articles (docs/performance.md). */
export const DEFAULT_HEAP_MB = 6144;

/**
 * V8's young generation, per semi-space (MB; node 20's default grows it to 16).
 * Why larger: a drop-in at 100,000 articles builds tables of 100,000-120,000
 * entries (the site entries, the page plan, the grouping's month) that live to
 * the end of the run, and each scavenge of a small young generation copies
 * what it holds and scans the old tables' pointers into it: about 170
 * scavenges, 2 s of pauses, in one drop-in. At 64 MB there are about 40, and
 * the 100,000 drop-in was faster in 6 of 6 pairs (0.5-4 s, median 0.9 s) for
 * about 80 MB more peak memory; at 10,000 no change (docs/performance.md, round ten).
 */
export const SEMI_SPACE_MB = 64;

/** The flags, for a heap of `heapMb`. */
export function buildNodeFlags(heapMb = DEFAULT_HEAP_MB) {
  return [`--max-old-space-size=${heapMb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}
