/**
 * Worker thread for workers.ts: runs the per-file stages (`articlesFromFile`:
 * decode -> parse -> clean -> dedupe -> metadata) on batches of raw files.
 *
 * Plain JavaScript so Node can start it without a TypeScript loader; it loads
 * the TypeScript pipeline through tsx's programmatic API (`tsImport`, scoped to
 * this import, so it works whether or not the parent runs under tsx, vitest or
 * plain node). The same source files, so the same results as in-process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { articlesFromFile } = await tsImport('./pipeline.ts', import.meta.url);
const options = workerData.options;

parentPort.on('message', (batch) => {
  const results = [];
  for (const file of batch.files) results.push([file.raw, articlesFromFile(file, options)]);
  parentPort.postMessage({ id: batch.id, results });
});
parentPort.postMessage({ ready: true });
