/**
 * Loads the ingest pipeline (src/lib/ingest) for a run that is known to redo
 * the corpus stages, and tells the build so first. Both places that load it
 * (the full path, ingest-fs.ts, and the drop-in, drop-in-fs.ts) do it here.
 *
 * Why the two together: the build starts Astro's start-up when told
 * (build/index.ts, about 2-3 s that then run beside the ingest), and that
 * start takes a few file-system calls (the shard's folder cleared, the astro
 * lock taken) before the child is spawned. Those need turns of the event
 * loop, and the stages that follow run for seconds without one. When the
 * import is already done (`npm run watch` keeps the pipeline loaded between
 * builds), awaiting it gives no such turn, and Astro's start-up waited until
 * the stages ended. So the start is waited for with the import.
 */
import type * as Pipeline from '../ingest/index.ts';
import { nodeLibraries } from '../store/index.ts';

export type Stages = typeof Pipeline;

/** The pipeline's stages, after `onCorpusChange` (the build starting Astro ahead) has done what it awaits. */
export async function loadStages(onCorpusChange: (() => unknown) | undefined): Promise<Stages> {
  // A failed start is the build's to report (it awaits the same promise); it does not stop the ingest.
  const told = Promise.resolve(onCorpusChange?.()).catch(() => {});
  const [stages] = await Promise.all([import('../ingest/index.ts'), told]);
  // linkedom, Readability, chrono-node and compromise's lexicon, each loaded when a stage first needs it.
  stages.setLibraries(nodeLibraries);
  return stages;
}
