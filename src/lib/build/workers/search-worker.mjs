/**
 * Worker thread for search-thread.ts: loads the search phase (through tsx's
 * programmatic API, as ingest-worker.mjs does), says it is ready, follows the
 * one set of changes it is sent, answers and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { followMessage } = await tsImport('./search-entry.ts', import.meta.url);
parentPort.postMessage({ ready: true });
parentPort.once('message', async (message) => {
  let reply;
  try {
    reply = await followMessage(workerData.content, message);
  } catch (err) {
    reply = { failed: err instanceof Error ? err.message : String(err) };
  }
  parentPort.postMessage(reply);
  parentPort.close();
});
