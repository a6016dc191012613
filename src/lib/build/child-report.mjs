// @ts-check
/**
 * Preloaded (`node --import`) into every astro child of a build
 * (astro-child.ts): when the child exits, writes its peak resident memory to
 * the file NEWSFOLD_CHILD_REPORT names, for the build summary. Node gives a
 * child's peak only to the child itself (process.resourceUsage), hence this.
 * A child killed by the kernel or that aborts (out of memory) writes nothing.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.NEWSFOLD_CHILD_REPORT;
if (file) {
  process.on('exit', () => {
    try {
      // maxRSS is in kilobytes.
      writeFileSync(file, JSON.stringify({ peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
    } catch {
      /* the report is best effort: the build goes on without the figure */
    }
  });
}
