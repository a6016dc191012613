/**
 * Everything ingest-worker.mjs runs, from one module: each `tsImport` call
 * loads its own copy of the modules it reaches, so importing pipeline.ts,
 * cluster.ts and doc-cache.ts separately loaded text.ts, entities.ts and
 * cluster.ts twice per worker and warmed two copies of the same hot code.
 */
import { setLexiconProvider } from '../../ingest/digest/lexicon.ts';
import { compromiseLexicon } from '../../store/lexicon-fs.ts';

export { articlesFromFile, digestStory } from '../../ingest/pipeline.ts';
export { clusterDocs } from '../../ingest/stories/cluster.ts';
export { docKey, storeDoc } from '../../store/doc-cache.ts';

// A worker digests stories too, with the same table as the build's own thread.
setLexiconProvider(compromiseLexicon);
