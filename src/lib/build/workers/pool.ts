/**
 * Spreads the ingest's independent units of work over worker threads when
 * there are many (a cold build, a changed cleaning rule): the per-file stages
 * (`articlesFromFile`) and the per-story digests. Results come back keyed (by
 * raw path, by story index); the driver still walks files in sorted order and
 * stories in clustering's order and merges them there, so the output is
 * byte-identical whatever the thread count or the order batches finish in.
 *
 * A hand-written pool of N workers (N = cores) fed small batches, about a
 * hundred lines, rather than piscina or tinypool as a dependency (tinypool
 * ships with vitest, a dev dependency, so it is not there at build time).
 * Anything that goes wrong (no worker_threads, tsx not resolvable, a worker
 * crashing) only leaves those units out of the returned map, and the caller
 * computes them in-process.
 *
 * NEWSFOLD_INGEST_THREADS=1 keeps everything in-process; =N forces N workers.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Article, Assignment, DigestOptions, IngestOptions, RawFile, StoryInput } from '../../ingest/index.ts';
import type { FileResult, StoredDoc } from '../../store/index.ts';
import type { Story } from '../../schema.ts';

/**
 * Below this many files to parse, starting workers costs more than it saves: a
 * worker takes about 2.6 s of CPU to load tsx and the pipeline (linkedom,
 * compromise, chrono...) and warms its JIT from cold, against about 1.3 ms of
 * CPU per file for the per-file stages and 4 ms per story for a digest
 * (measured on the bench corpus, docs/performance.md). With 2 cores, workers
 * pay off from about 2,000 files of a cold build (parsing plus digests).
 */
export const PARALLEL_MIN_FILES = 2000;
/** Stories to digest worth starting workers for, when none are running yet (see above). */
export const PARALLEL_MIN_STORIES = 1500;

/** Worker threads to use for `units` units of work (files at or above PARALLEL_MIN_FILES): 0 means in-process. */
export function ingestThreads(units: number, env: NodeJS.ProcessEnv = process.env, min = PARALLEL_MIN_FILES): number {
  const forced = Number(env.NEWSFOLD_INGEST_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return forced === 1 ? 0 : Math.min(forced, Math.max(1, units));
  if (units < min) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? Math.min(cores, Math.ceil(units / 100)) : 0;
}

/** One story to digest on a worker. */
export interface DigestJob {
  index: number;
  story: StoryInput;
  members: Article[];
  /** The members' assignments: all a digest reads of them. */
  assignments: Array<[string, Assignment]>;
  options: Partial<DigestOptions>;
}

/** The per-file part of the options (and clustering's, for its docs): what a worker needs, and structured-cloneable. */
function perFileOptions(options: IngestOptions): Partial<IngestOptions> {
  const { decode, clean, dedupe, metadata, outlets, minArticleWords, stories } = options;
  return { decode, clean, dedupe, metadata, outlets, minArticleWords, stories };
}

type Kind = 'parse' | 'parse+docs' | 'digest';

/**
 * A file as a message carries it: its name and bytes. A file read on demand
 * (read-fs.ts LazyRawFile) has its bytes behind a getter, which a message would
 * not carry; they are read here, as the file's batch goes.
 */
const fileMessage = (f: RawFile): RawFile => ({ raw: f.raw, bytes: f.bytes });
interface Reply {
  ready?: boolean;
  id?: number;
  results?: Array<[string | number, unknown]>;
}

export class IngestPool {
  private workers: Worker[] = [];
  private constructor(private log: (line: string) => void) {}

  /**
   * Starts `threads` workers; null when none could start. With `options` null
   * the workers start loading the pipeline at once and take their options from
   * `configure`, which must come before any work (messages arrive in order).
   */
  static start(threads: number, options: IngestOptions | null, log: (line: string) => void = () => {}): IngestPool | null {
    const pool = new IngestPool(log);
    const entry = new URL('./ingest-worker.mjs', import.meta.url);
    for (let i = 0; i < threads; i++) {
      try {
        const worker = new Worker(entry, { workerData: { options: options && perFileOptions(options) } });
        // A worker that fails is dropped; whatever it had is done in-process.
        worker.on('error', (err) => {
          log(`ingest worker failed (${err.message}); its work is done in-process`);
          pool.drop(worker);
        });
        worker.on('exit', () => pool.drop(worker));
        pool.workers.push(worker);
      } catch (err) {
        log(`ingest worker could not start (${(err as Error).message}); working in-process`);
        break;
      }
    }
    if (pool.workers.length === 0) return null;
    return pool;
  }

  /** The options of a pool started without them; false when they cannot be sent (the caller works in-process). */
  configure(options: IngestOptions): boolean {
    try {
      for (const worker of this.workers) worker.postMessage({ kind: 'options', options: perFileOptions(options) });
      return true;
    } catch (err) {
      this.log(`ingest workers cannot take these options (${(err as Error).message}); working in-process`);
      return false;
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private drop(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    worker.emit('dropped');
  }

  /** Runs `items` in batches on every worker (each as `send` makes it, when given); results by key. Missing keys: units no worker finished. */
  private run<T, R>(kind: Kind, items: T[], batch: number, send?: (item: T) => unknown): Promise<Map<string | number, R>> {
    const results = new Map<string | number, R>();
    const batches: T[][] = [];
    for (let i = 0; i < items.length; i += batch) batches.push(items.slice(i, i + batch));
    let next = 0;
    let done = 0;
    const drive = (worker: Worker) =>
      new Promise<void>((resolve) => {
        const finish = () => {
          worker.off('message', onMessage);
          worker.off('dropped', finish);
          resolve();
        };
        const feed = () => {
          if (next >= batches.length) return finish();
          const id = next++;
          worker.postMessage({ kind, id, items: send ? batches[id].map(send) : batches[id] });
        };
        const onMessage = (msg: Reply) => {
          if (msg.results) {
            for (const [key, value] of msg.results) results.set(key, value as R);
            const before = done;
            done += msg.results.length;
            if (Math.floor(done / 2000) > Math.floor(before / 2000)) this.log(`${kind}: ${done}/${items.length} on ${this.workers.length} worker threads`);
            feed();
          }
        };
        worker.on('message', onMessage);
        worker.on('dropped', finish);
        feed();
      });
    return Promise.all([...this.workers].map(drive)).then(() => results);
  }

  parse(files: RawFile[]): Promise<Map<string, FileResult>> {
    return this.run<RawFile, FileResult>('parse', files, 16, fileMessage) as Promise<Map<string, FileResult>>;
  }

  /**
   * As `parse`, and also each article's `ClusterDoc` (store/doc-cache.ts), by doc key:
   * on a cold build, reading the words of every article is otherwise the
   * cluster stage's main cost, on one thread.
   */
  async parseWithDocs(files: RawFile[]): Promise<{ results: Map<string, FileResult>; docs: Map<string, StoredDoc> }> {
    const both = (await this.run<RawFile, { result: FileResult; docs: Array<[string, StoredDoc]> }>('parse+docs', files, 16, fileMessage)) as Map<
      string,
      { result: FileResult; docs: Array<[string, StoredDoc]> }
    >;
    const results = new Map<string, FileResult>();
    const docs = new Map<string, StoredDoc>();
    for (const [raw, { result, docs: pairs }] of both) {
      results.set(raw, result);
      for (const [key, doc] of pairs) docs.set(key, doc);
    }
    return { results, docs };
  }

  digest(jobs: DigestJob[]): Promise<Map<number, Story>> {
    return this.run<DigestJob, Story>('digest', jobs, 8) as Promise<Map<number, Story>>;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
