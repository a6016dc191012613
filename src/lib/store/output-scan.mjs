/**
 * The collections' stat scan (corpus-memo.ts): the stat of every file in the
 * content collections, as the lines the collections' stamp is made of, so a
 * run can tell without reading them that they are exactly as the last run
 * left them.
 *
 * Why a module of its own, in plain JavaScript: at 100,000 articles the scan
 * is 120,000 stats (about 0.4 s), and a drop-in needs its answer only after
 * it has listed and stat'd the drop folder (as many stats again). So the
 * build starts it on a worker thread when the ingest starts (`startScan` in
 * corpus-memo.ts) and the two passes over the disk run side by side; plain
 * JavaScript and node's built-ins only, so the worker starts without a
 * TypeScript loader. The same function is the main thread's scan when no
 * worker can start: one definition of the lines.
 *
 * A line is `<folder>/<name>\0<size>:<mtimeMs>:<ino>` (fingerprint.ts
 * `stampOf`), so `collectionsStamp` (corpus-memo.ts) of the lines equals the
 * stamp a run records from the stats of the files it wrote
 * (test/output-scan.test.ts checks the two agree).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** The collection folders a run writes (build/ingest-fs.ts, drop-in-fs.ts commit these two). */
export const COLLECTION_FOLDERS = ['articles', 'stories'];

/**
 * Every entry of the collection folders of `content` with its stat, one line
 * each, joined by newlines (one string: cheap to hand from a worker thread);
 * null when a folder cannot be read or an entry vanished mid-scan.
 *
 * @param {string} content
 * @returns {string | null}
 */
export function scanCollections(content) {
  const lines = [];
  for (const folder of COLLECTION_FOLDERS) {
    let entries;
    try {
      entries = readdirSync(path.join(content, folder));
    } catch {
      return null;
    }
    // String concatenation, not path.join: 120,000 of them.
    const base = `${path.join(content, folder)}${path.sep}`;
    for (const name of entries) {
      const s = statSync(base + name, { throwIfNoEntry: false });
      if (!s) return null;
      lines.push(`${folder}/${name}\0${s.size}:${s.mtimeMs}:${s.ino}`);
    }
  }
  return lines.join('\n');
}

// As a worker thread: scan the folder named by workerData, post the lines, and end.
if (!isMainThread && workerData?.outputScan) {
  let message;
  try {
    message = { lines: scanCollections(workerData.outputScan) };
  } catch (err) {
    message = { error: String(err?.message ?? err) };
  }
  parentPort?.postMessage(message);
}
