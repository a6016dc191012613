/**
 * The node flags the build process runs with: what `npm run build`, `ingest`
 * and `watch` get (scripts/heap-guard.mjs) and what `npm run bench` times
 * (scripts/bench.ts), from one place so the bench measures what users run.
 * Plain JavaScript: heap-guard.mjs starts without tsx.
 *
 * Not here: a larger young generation (`--max-semi-space-size=64`). It made a
 * drop-in at 100,000 articles faster in 6 of 6 pairs (fewer scavenges of the
 * tables a drop-in builds), but it is a process-wide flag: the cold build's
 * worker threads got it too, and the cold build was slower in 2 of 2 pairs at
 * 10,000 (+6%, +18%) with up to 430 MB more peak memory (docs/performance.md,
 * round ten).
 */

/** The heap the build gets unless NEWSFOLD_HEAP_MB says otherwise (MB): node's default, about 4 GB, is below a cold year of 100,000 articles (docs/performance.md). */
export const DEFAULT_HEAP_MB = 6144;

/** The flags, for a heap of `heapMb`. */
export function buildNodeFlags(heapMb = DEFAULT_HEAP_MB) {
  return [`--max-old-space-size=${heapMb}`];
}
