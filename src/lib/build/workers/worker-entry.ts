/**
 * Everything ingest-worker.mjs runs, from one module: each `tsImport` call
 * loads its own copy of the modules it reaches, so importing the pipeline,
 * clustering and the doc cache separately loaded text.ts, entities.ts and
 * cluster.ts twice per worker and warmed two copies of the same hot code.
 */
import { setLibraries } from '../../ingest/index.ts';
import { nodeLibraries } from '../../store/index.ts';

export { articlesFromFile, clusterDocs, digestStory } from '../../ingest/index.ts';
export { docKey, storeDoc } from '../../store/index.ts';

// A worker parses, describes and digests with the same libraries as the build's own thread.
setLibraries(nodeLibraries);
