/**
 * Worker thread for workers.ts: runs the ingest's independent units of work on
 * batches: the per-file stages (`articlesFromFile`: decode -> parse -> clean ->
 * dedupe -> metadata) for one file, and the digest of one story.
 *
 * Plain JavaScript so Node can start it without a TypeScript loader; it loads
 * the TypeScript pipeline through tsx's programmatic API (`tsImport`, scoped to
 * this import, so it works whether or not the parent runs under tsx, vitest or
 * plain node). The same source files, so the same results as in-process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { articlesFromFile, digestStory } = await tsImport('./pipeline.ts', import.meta.url);
const options = workerData.options;

parentPort.on('message', (batch) => {
  const results = [];
  if (batch.kind === 'parse') {
    for (const file of batch.items) results.push([file.raw, articlesFromFile(file, options)]);
  } else if (batch.kind === 'digest') {
    for (const job of batch.items) results.push([job.index, digestStory(job.story, job.members, new Map(job.assignments), job.options)]);
  }
  parentPort.postMessage({ id: batch.id, results });
});
parentPort.postMessage({ ready: true });
