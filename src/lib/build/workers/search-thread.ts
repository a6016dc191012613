/**
 * A drop-in's search phase on a thread of its own (store/search-follow.ts
 * followChanges, run by search-worker.mjs), beside the page plan.
 *
 * Why: in a drop-in at 100,000 articles the build's thread runs the site
 * entries (about 0.9 s), then the site index and page plan (about 0.9 s),
 * then the search records and index (about 0.65 s) while the astro child
 * renders a handful of pages, and the machine's other core is idle by then
 * (the child started ahead is done loading). The search phase reads nothing
 * of the plan: only the ingest's changes, the changed files' entries before
 * and after, and a few hundred other entries. So it runs here, started as the
 * site entries are read and handed the changes once they are, while this
 * thread makes the plan.
 *
 * The same code on the same stores, so the same records and index files (the
 * thread is the only writer of the search stores while it runs). Entries the
 * worker needs besides the changed ones it reads from their site-entry parts,
 * which readSiteEntries has brought up to date before the changes are sent.
 *
 * Below SEARCH_THREAD_MIN_ARTICLES the thread is not started: loading it
 * (tsx and the search code, about 0.4 s of CPU) costs more than the phase
 * (about 0.2 s at 10,000 articles). Anything that goes wrong with the thread
 * (it cannot start or load, a part it reads is unreadable, it crashes) answers
 * null, and the caller runs the phase on its own thread as before; a refusal
 * of the changes (the kept state does not agree) is the same refusal as on
 * this thread, and the caller takes the full path. NEWSFOLD_SEARCH_THREAD=0
 * never starts it; =1 always does (tests).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { openStore } from '../../store/log-store.ts';
import { sourceFingerprint } from '../../store/fingerprint.ts';
import { INDEX_CODE, keptFiles, type SearchIndexRun } from '../../store/search-terms.ts';
import type { ArticleIndexEntry, StoryIndexEntry } from '../../site/site-index.ts';
import type { IndexFiles } from '../../search/write-fs.ts';

/** Articles from which the search phase of a drop-in runs on its own thread (see above). */
export const SEARCH_THREAD_MIN_ARTICLES = 30_000;

/** Whether a drop-in of an archive of `articles` articles runs its search phase on a thread. */
export function searchThreadWanted(articles: number, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NEWSFOLD_SEARCH_THREAD === '0') return false;
  if (env.NEWSFOLD_SEARCH_THREAD === '1') return true;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 && articles >= SEARCH_THREAD_MIN_ARTICLES;
}

type Entry = ArticleIndexEntry | StoryIndexEntry;

/** The changes as a message carries them (store/search-follow.ts SearchChanges, its lookups of the changed files made). */
export interface FollowMessage {
  from: string | null;
  to: string;
  files: string[];
  articles: number;
  stories: number;
  /** Each changed file's entry before the change (absent: it is new). */
  before: Array<[string, Entry]>;
  /** Each changed file's entry now (null: it was removed). */
  now: Array<[string, Entry | null]>;
}

/** The run as a message carries it: the index's files are read from the store on this thread, if asked for. */
export type FollowedRun = Omit<SearchIndexRun, 'files'>;

/** The worker's answer: a run, a refusal (the full path), or a failure of the thread (run it here). */
export type FollowReply = { run: FollowedRun; ms: number } | { refused: string; ms: number } | { failed: string };

/** What `follow` answers: the run, the refusal's reason, or null (the caller follows the changes itself). */
export type ThreadAnswer = { run: SearchIndexRun; ms: number } | { refused: string; ms: number } | null;

export class SearchThread {
  private used = false;
  private constructor(
    private readonly worker: Worker,
    private readonly content: string,
    private readonly loaded: Promise<boolean>,
  ) {}

  /** Starts the thread for the content folder `content`; null when it cannot start. */
  static start(content: string): SearchThread | null {
    let worker: Worker;
    try {
      // Plain JavaScript: it loads the TypeScript through tsx's API, whatever runs this thread.
      worker = new Worker(new URL('./search-worker.mjs', import.meta.url), { workerData: { content }, execArgv: [] });
    } catch {
      return null;
    }
    // Not kept alive for its own sake: a build that never hands it changes ends without it.
    worker.unref();
    const loaded = new Promise<boolean>((resolve) => {
      worker.once('message', (m: { ready?: boolean }) => resolve(m?.ready === true));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    return new SearchThread(worker, content, loaded);
  }

  /** The search phase of these changes, on the thread. Once per thread; the thread ends after it. */
  follow(message: FollowMessage): Promise<ThreadAnswer> {
    if (this.used) throw new Error('search thread: used twice');
    this.used = true;
    this.worker.ref();
    return new Promise<ThreadAnswer>((resolve) => {
      let done = false;
      const end = (answer: ThreadAnswer) => {
        if (done) return;
        done = true;
        void this.worker.terminate();
        resolve(answer);
      };
      this.worker.on('message', (m: FollowReply | { ready: boolean }) => {
        if ('ready' in m) return;
        if ('run' in m) end({ run: { ...m.run, files: lazyFiles(this.content, m.run.delta?.written ?? new Map()) }, ms: m.ms });
        else if ('refused' in m) end({ refused: m.refused, ms: m.ms });
        else end(null);
      });
      this.worker.once('error', () => end(null));
      this.worker.once('exit', () => end(null));
      void this.loaded.then((ok) => {
        if (!ok) return end(null);
        try {
          this.worker.postMessage(message);
        } catch {
          end(null);
        }
      });
    });
  }

  /** Ends a thread that will not be used. */
  close(): void {
    if (!this.used) void this.worker.terminate();
    this.used = true;
  }
}

/** The kept index's files as the store holds them after the thread saved it (store/search-terms.ts keptFiles), opened if asked for. */
function lazyFiles(content: string, written: ReadonlyMap<string, string>): IndexFiles {
  let files: IndexFiles | null = null;
  const open = () => (files ??= keptFiles(openStore(content, 'searchIndex', sourceFingerprint(INDEX_CODE), { retain: true, few: true }), written));
  return {
    get hashes() {
      return open().hashes;
    },
    text: (path) => open().text(path),
  };
}

/** An entry as plain data (a kept one reads its tail's fields now: a message carries no getters). */
export const plainEntry = <E extends Entry>(e: E): E => JSON.parse(JSON.stringify(e)) as E;
