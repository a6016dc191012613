/**
 * Runs the per-file stages (`articlesFromFile`) over worker threads when there
 * are many files to parse (a cold build, a changed cleaning rule). The results
 * come back keyed by path; the driver (pipeline.ts `ingest`) still walks the
 * files in sorted order and merges them there, so the output is byte-identical
 * whatever the thread count or the order batches finish in.
 *
 * A hand-written pool of N workers (N = cores) fed small batches: about sixty
 * lines, against piscina/tinypool as a dependency (tinypool ships with vitest,
 * a dev dependency, so not usable at build time). Anything that goes wrong (no
 * worker_threads, tsx not resolvable, a worker crashing) just leaves those
 * files out of the returned map and the caller computes them in-process.
 *
 * NEWSFOLD_INGEST_THREADS=1 keeps everything in-process; =N forces N workers.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IngestOptions } from './pipeline.ts';
import type { FileResult } from './cache.ts';
import type { RawFile } from './types.ts';

/** Below this many files to parse, starting workers (each loads the pipeline) costs more than it saves. */
export const PARALLEL_MIN_FILES = 200;
const BATCH = 16;

/** Worker threads to use for `files` files to parse: 0 means in-process. */
export function ingestThreads(files: number, env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env.NEWSFOLD_INGEST_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return forced === 1 ? 0 : Math.min(forced, Math.max(1, files));
  if (files < PARALLEL_MIN_FILES) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? Math.min(cores, Math.ceil(files / 100)) : 0;
}

/** The per-file part of the options: what a worker needs, and structured-cloneable. */
function perFileOptions(options: IngestOptions): Partial<IngestOptions> {
  const { decode, clean, dedupe, metadata, minArticleWords } = options;
  return { decode, clean, dedupe, metadata, minArticleWords };
}

/**
 * Parses `files` on `threads` workers. Returns what the workers produced, by
 * raw path; files missing from the map (a worker failed) are the caller's to do.
 */
export async function articlesFromFilesParallel(
  files: RawFile[],
  options: IngestOptions,
  threads: number,
  log: (line: string) => void = () => {},
): Promise<Map<string, FileResult>> {
  const results = new Map<string, FileResult>();
  if (threads < 1 || files.length === 0) return results;
  const batches: RawFile[][] = [];
  for (let i = 0; i < files.length; i += BATCH) batches.push(files.slice(i, i + BATCH));
  let next = 0;
  let done = 0;
  const entry = new URL('./ingest-worker.mjs', import.meta.url);
  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(entry, { workerData: { options: perFileOptions(options) } });
      } catch (err) {
        log(`ingest worker could not start (${(err as Error).message}); parsing in-process`);
        resolve();
        return;
      }
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        void worker.terminate();
        resolve();
      };
      const feed = () => {
        if (next >= batches.length) return finish();
        const id = next++;
        worker.postMessage({ id, files: batches[id] });
      };
      worker.on('message', (msg: { ready?: boolean; id?: number; results?: Array<[string, FileResult]> }) => {
        if (msg.results) {
          for (const [raw, result] of msg.results) results.set(raw, result);
          done += msg.results.length;
          if (Math.floor(done / 1000) > Math.floor((done - msg.results.length) / 1000)) log(`parsed ${done}/${files.length} files`);
        }
        feed();
      });
      worker.on('error', (err) => {
        // Its unfinished batch (if any) is left to the caller, in-process.
        log(`ingest worker failed (${err.message}); the rest is parsed in-process`);
        finish();
      });
      worker.on('exit', finish);
    });
  await Promise.all(Array.from({ length: threads }, runWorker));
  return results;
}
