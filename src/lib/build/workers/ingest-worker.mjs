/**
 * Worker thread for pool.ts: runs the ingest's independent units of work on
 * batches: the per-file stages (`articlesFromFile`: decode -> parse -> clean ->
 * dedupe -> metadata) for one file, optionally with what clustering reads of its
 * articles (stories/cluster-docs.ts `clusterDocs`), and the digest of one story.
 *
 * Plain JavaScript so Node can start it without a TypeScript loader; it loads
 * the TypeScript pipeline through tsx's programmatic API (`tsImport`, scoped to
 * this import, so it works whether or not the parent runs under tsx, vitest or
 * plain node). The same source files, so the same results as in-process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

// One import: each tsImport call loads its own copy of every module it reaches (worker-entry.ts).
const { articlesFromFile, clusterDocs, digestStory, docKey, storeDoc } = await tsImport('./worker-entry.ts', import.meta.url);
let options = workerData.options;
let docOf = null;

parentPort.on('message', (batch) => {
  if (batch.kind === 'options') {
    // A pool started before the driver knew its options (pool.ts `configure`).
    options = batch.options;
    docOf = null;
    return;
  }
  const results = [];
  if (batch.kind === 'parse') {
    for (const file of batch.items) results.push([file.raw, articlesFromFile(file, options)]);
  } else if (batch.kind === 'parse+docs') {
    // Also what clustering will read of each article (store/doc-cache.ts), while the text is at hand.
    docOf ??= clusterDocs(options.stories);
    for (const file of batch.items) {
      const result = articlesFromFile(file, options);
      results.push([file.raw, { result, docs: result.articles.map((a) => [docKey(a), storeDoc(docOf(a))]) }]);
    }
  } else if (batch.kind === 'digest') {
    for (const job of batch.items) results.push([job.index, digestStory(job.story, job.members, new Map(job.assignments), job.options)]);
  }
  parentPort.postMessage({ id: batch.id, results });
});
parentPort.postMessage({ ready: true });
