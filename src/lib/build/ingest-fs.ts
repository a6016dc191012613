/**
 * `runIngest`: the ingest with its I/O edges. Reads the drop folder, runs the
 * pure pipeline (answering unchanged files from the per-file cache, cache.ts),
 * writes only the collection files whose bytes changed (write-fs.ts), and the
 * report. The drop folder is only ever read.
 */
import path from 'node:path';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { listRawFilesSync, defaultReadOptions } from './read-fs.ts';
import { readRawIndex, readWithIndex, writeRawIndex } from '../store/raw-index.ts';
// The pipeline and the renderer (and their heavy dependencies: linkedom,
// compromise, zod...) are imported only when something has to be parsed or
// grouped, so a no-change rebuild does not pay for loading them.
import type { IngestedArticle, IngestOptions, IngestResult, StoryStage } from '../ingest/pipeline.ts';
import { stateDir, writeCollections, writeFileAtomic, type OutputFile, type WriteSummary } from './write-fs.ts';
import { sha256, storedHash, withStoredCache, type CacheStats, type FileResult } from '../store/file-cache.ts';
import { cachePath, openDocStore, openFileStore, pipelineFingerprint, readDigestCache, readRenderCache, writeDigestCache, writeRenderCache } from '../store/cache-fs.ts';
import { withStoredDocs } from '../store/doc-cache.ts';
import { LogStore, storeStamp } from '../store/log-store.ts';
import { readRecords, recordsStamp, saveRecords } from '../store/record-log.ts';
import { digestKey, withDigestCache, type DigestCache } from '../store/digest-cache.ts';
import { emptyRenderCache, recordKey, statKey, type RenderCache } from '../store/render-cache.ts';
import { IngestPool, ingestThreads, PARALLEL_MIN_STORIES } from './workers/pool.ts';
import { readStoryState, statePath } from '../store/story-state-fs.ts';
import { serializeState } from '../ingest/stories/story-state.ts';
import { setLexiconProvider } from '../ingest/digest/lexicon.ts';
import { compromiseLexicon } from '../store/lexicon-fs.ts';
import type { Assignment, RawFile } from '../ingest/types.ts';
import type { Rejection } from '../ingest/types.ts';
import type { Report, Story } from '../schema.ts';

export interface RunOptions {
  raw: string;
  out: string;
  report?: string;
  ingest?: Partial<IngestOptions>;
  /** Called with progress lines on long runs. */
  log?: (line: string) => void;
  /** Use the per-file cache under `<out>/.newsfold/` (default true). */
  cache?: boolean;
  /** Ignore the story state (`<out>/.newsfold/stories.json`) and group from scratch. */
  recluster?: boolean;
  /**
   * Called once, when the run is known to redo the corpus stages (a file, the
   * code or the story state differs from the last run), before it does: the
   * build starts Astro's start-up then, beside the rest of the ingest.
   */
  onCorpusChange?: () => void;
}

export interface RunResult extends IngestResult {
  report: Report;
  /** What changed in the output folder. */
  written: WriteSummary;
  cache: CacheStats;
  /** SHA-256 over every collection file's path and bytes: equal hashes, equal content/. */
  outputHash: string;
  /** True when the corpus-level stages were skipped: nothing they depend on changed. */
  corpusReused: boolean;
  /** Counts, without touching the records (on a no-change run those are read only on demand). */
  summary: { articles: number; stories: number; copies: number };
}

export async function runIngest(options: RunOptions): Promise<RunResult> {
  // Worker threads started ahead of need are stopped whatever happens (they would keep the process alive).
  const early: { pool: IngestPool | null } = { pool: null };
  try {
    return await ingest(options, early);
  } finally {
    await early.pool?.close();
  }
}

async function ingest(options: RunOptions, early: { pool: IngestPool | null }): Promise<RunResult> {
  const log = options.log ?? (() => {});
  // NEWSFOLD_TIMING=1: each phase's wall time, for profiling drop-ins (docs/performance.md).
  const phase = timer(log);
  const rawDir = path.resolve(options.raw);
  const outDir = path.resolve(options.out);
  const info = await stat(rawDir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`drop folder not found: ${options.raw}`);
  for (const folder of ['articles', 'stories']) {
    const target = path.join(outDir, folder);
    if (rawDir === target || rawDir.startsWith(target + path.sep) || target.startsWith(rawDir + path.sep)) {
      throw new Error(`output folder ${target} overlaps the drop folder ${rawDir}; choose another --out`);
    }
  }

  const useCache = options.cache !== false;
  const { files: found, rejected: listRejected } = listRawFilesSync(rawDir);
  // No per-file cache yet (a first build): every file will be parsed. Start the worker
  // threads now, so they load the pipeline (seconds each) while this thread reads the files.
  const coldThreads = !useCache || !existsSync(cachePath(outDir)) ? ingestThreads(found.length) : 0;
  early.pool = coldThreads ? IngestPool.start(coldThreads, null, log) : null;
  // Files whose stat is unchanged since the last run are neither read nor hashed
  // (raw-index.ts); the others are read synchronously: thousands of small files,
  // and one await per file costs several times the reading on a loaded machine.
  const rawIndex = useCache ? readRawIndex(outDir) : null;
  const { files, rejected: readRejected, hashes } = readWithIndex(found, rawIndex, defaultReadOptions);
  phase('list and read raw');
  const hashOf = (f: RawFile) => hashes.get(f.raw) ?? sha256(f.bytes);
  // The defaults are code, which the fingerprint covers; the caller's overrides are hashed.
  const pipeline = await pipelineFingerprint(options.ingest ?? {});
  // Corpus memo: when the files, the code, the options and the story state are
  // exactly those of the last run and its output is intact on disk, the
  // corpus-level stages (cluster, digest: the slow part of a no-change rebuild)
  // would give the same result, so it is reused. Keyed on the state the last
  // run wrote, i.e. it assumes the stages are a fixed point over their own state.
  const stateText = options.recluster ? 'recluster' : await readFile(statePath(outDir), 'utf8').catch(() => 'none');
  const fileLines = files.map((f) => `${f.raw}\0${hashOf(f)}`);
  const corpusKey = sha256([pipeline, stateText, ...fileLines, JSON.stringify([listRejected, readRejected])].join('\n'));
  const memo = useCache ? await readMemo(outDir, corpusKey) : null;
  phase('corpus key and memo');
  // The memo stands only while the per-file cache still answers for every file
  // (a lost or corrupt cache is rebuilt now, not at the next drop-in). The memo
  // records the stat of the cache file it was written with: the same stat, the same
  // entries (the store is only ever appended to or replaced), and no need to read it.
  const cacheIntact = !!memo?.head.fileCache && storeStamp(cachePath(outDir)) === memo.head.fileCache;
  const cache: LogStore | null = useCache && !cacheIntact ? openFileStore(outDir, pipeline) : null;
  phase('open file cache');
  if (memo && (cacheIntact || (cache && files.every((f) => storedHash(cache, f.raw) === hashOf(f))))) {
    const { head } = memo;
    const written: WriteSummary = { added: [], updated: [], removed: [], unchanged: head.summary.articles + head.summary.stories + (head.hasState ? 1 : 0) };
    const stats: CacheStats = { hits: files.length, misses: 0, parsed: [], dropped: [] };
    if (rawIndex?.changed) await writeRawIndex(outDir, rawIndex);
    if (options.report) await writeFileAtomic(path.resolve(options.report), `${JSON.stringify(memo.report(), null, 2)}\n`);
    // The records themselves (tens of MB at 10,000 articles) are parsed only if a caller reads them.
    return {
      get articles() {
        return memo.body().result.articles;
      },
      get stories() {
        return memo.body().result.stories;
      },
      get state() {
        return memo.body().result.state;
      },
      get report() {
        return memo.report();
      },
      rejected: head.rejected,
      warnings: head.warnings,
      summary: head.summary,
      written,
      cache: stats,
      outputHash: head.outputHash,
      corpusReused: true,
    };
  }

  options.onCorpusChange?.();
  const stages = await import('../ingest/pipeline.ts');
  // The digest types names through compromise's lexicon, read from its cache (lexicon-fs.ts) when first needed.
  setLexiconProvider(compromiseLexicon);
  phase('import pipeline');
  let result: IngestResult;
  let cacheChanged = false;
  let digestsChanged = false;
  let fileCacheStats: CacheStats;
  let digestCache: DigestCache | null = null;
  let docCache: LogStore | null = null;
  let docsChanged = false;
  const fullOpts: IngestOptions = { ...stages.defaultIngestOptions, ...options.ingest };
  // Many files to parse (a cold build, a changed rule): spread them over worker threads.
  // The driver below still takes them in sorted order, so the output does not depend on it.
  const toParse = files.filter((f) => !cache || storedHash(cache, f.raw) !== hashOf(f));
  const threads = ingestThreads(toParse.length);
  let pool: IngestPool | null = null;
  if (early.pool && threads) {
    pool = early.pool;
    early.pool = null; // closed below, with the pool
    if (!pool.configure(fullOpts)) {
      await pool.close();
      pool = null;
    }
  } else {
    await early.pool?.close();
    early.pool = null;
    pool = threads ? IngestPool.start(threads, fullOpts, log) : null;
  }
  try {
    // What clustering reads of each article, from the last run's cache where the text is unchanged
    // (doc-cache.ts); on worker threads, read along with parsing.
    docCache = useCache ? openDocStore(outDir, pipeline) : null;
    phase('open doc cache');
    const ahead = pool ? await (docCache ? pool.parseWithDocs(toParse) : pool.parse(toParse).then((results) => ({ results, docs: null }))) : null;
    const parsedAhead = ahead?.results ?? new Map<string, FileResult>();
    let docsAhead = 0;
    for (const [key, doc] of ahead?.docs ?? []) {
      if (docCache!.has(key)) continue;
      // Kept only if clustering asks for it (an article dropped as a duplicate id does not).
      docCache!.set(key, JSON.stringify(doc), false);
      docsAhead++;
    }
    if (pool) log(`parsed ${parsedAhead.size}/${toParse.length} files on ${pool.size} worker threads`);
    const perFile = (file: RawFile): FileResult => {
      const ahead = parsedAhead.get(file.raw);
      if (ahead) {
        parsedAhead.delete(file.raw);
        return ahead;
      }
      return stages.articlesFromFile(file, fullOpts);
    };
    const cached = withStoredCache(cache ?? LogStore.inMemory(), perFile, hashOf);
    // Per-story digests, keyed by everything a digest reads (digest-cache.ts). Stories
    // not in the cache are only collected while the pipeline runs, then digested
    // (on worker threads when there are many) and put back in their places.
    const digests = useCache ? await readDigestCache(outDir, pipeline) : null;
    phase('parse changed files, open digest cache');
    const digestCached = digests ? withDigestCache(digests, stages.digestStory) : null;
    const pending: Array<{ index: number; key: string; args: Parameters<StoryStage> }> = [];
    let storyIndex = 0;
    const perStory: StoryStage = (...args) => {
      const index = storyIndex++;
      const key = digestCached ? digestKey(...args) : '';
      const hit = digestCached?.lookup(key);
      if (hit) return hit;
      pending.push({ index, key, args });
      return null as unknown as Story; // filled in below
    };

    // Story state: existing articles keep their story and story ids survive rebuilds (story-state.ts).
    const previous = options.recluster ? { state: null, warning: null } : await readStoryState(outDir);
    const docCached = docCache ? withStoredDocs(docCache, (await import('../ingest/stories/cluster.ts')).clusterDocs(fullOpts.cluster)) : null;
    result = stages.ingest(files, { ...fullOpts, cluster: { ...fullOpts.cluster, previous: previous.state } }, (file) => cached.run(file), perStory, docCached?.docOf);
    phase('pipeline (cluster, digest keys)');
    docsChanged = (docCached?.finish() ?? false) || docsAhead > 0;
    if (!pool && pending.length >= PARALLEL_MIN_STORIES) {
      const n = ingestThreads(pending.length, process.env, PARALLEL_MIN_STORIES);
      pool = n ? IngestPool.start(n, fullOpts, log) : null;
    }
    const digestedAhead =
      pool && pending.length >= 2 * pool.size
        ? await pool.digest(
            pending.map(({ index, args: [story, members, assignments, digestOptions] }) => ({
              index,
              story,
              members,
              assignments: members.map((m) => [m.id, assignments.get(m.id)] as [string, Assignment]).filter(([, a]) => a !== undefined),
              options: digestOptions,
            })),
          )
        : new Map<number, Story>();
    for (const { index, key, args } of pending) {
      const story = digestedAhead.get(index) ?? stages.digestStory(...args);
      // Stored as JSON would store it, so a cached and a fresh story are the same object.
      result.stories[index] = digestCached ? digestCached.store(key, story) : (JSON.parse(JSON.stringify(story)) as Story);
    }
    if (pending.length) log(`digested ${pending.length} stories (${digestedAhead.size} on worker threads), ${result.stories.length - pending.length} from cache`);
    cacheChanged = cached.finish();
    digestsChanged = digestCached?.finish() ?? false;
    phase('digest changed stories');
    fileCacheStats = cached.stats;
    digestCache = digests;
    if (previous.warning) result.warnings.push({ raw: '.newsfold/stories.json', message: previous.warning });
  } finally {
    await pool?.close();
  }
  const { renderArticle, renderStory } = await import('../ingest/write/render.ts');
  result.rejected.unshift(...listRejected, ...readRejected);
  result.rejected.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));

  // Each record is stringified once: for its render-cache key and, when new, for the record log.
  // A file whose record and stat are those the render cache recorded is left as it is,
  // neither rendered nor read (render-cache.ts).
  const renders = useCache ? await readRenderCache(outDir, pipeline) : null;
  phase('open render cache');
  const nextRenders: RenderCache | null = renders ? emptyRenderCache(pipeline) : null;
  const outputs: OutputFile[] = [];
  const intact: string[] = [];
  const outputLines: string[] = [];
  const records: Array<[string, string]> = [];
  const place = (rel: string, kind: string, json: string, render: () => string): string => {
    const key = recordKey(kind, json);
    records.push([key, json]);
    const known = renders?.entries[rel];
    if (known && known[0] === key) {
      const s = statSync(path.join(outDir, rel), { throwIfNoEntry: false });
      if (s && statKey(s) === known[2]) {
        intact.push(rel);
        outputLines.push(`${rel}\0${known[1]}`);
        nextRenders!.entries[rel] = known;
        return key;
      }
    }
    const content = render();
    const hash = sha256(content);
    outputs.push({ rel, content });
    outputLines.push(`${rel}\0${hash}`);
    // The stat is taken once the file is in place.
    if (nextRenders) nextRenders.entries[rel] = [key, hash, ''];
    return key;
  };
  const articleKeys = result.articles.map((a) => place(`articles/${a.id}.md`, 'article', JSON.stringify(a), () => renderArticle(a)));
  const storyKeys = result.stories.map((st) => place(`stories/${st.id}.json`, 'story', JSON.stringify(st), () => renderStory(st)));
  const outputHash = sha256(outputLines.sort().join('\n'));
  phase('records and render');
  // The story state is committed with the collections it describes, in one
  // transaction: after a crash they can never disagree.
  const state: OutputFile[] = result.state
    ? [{ rel: path.relative(outDir, statePath(outDir)).split(path.sep).join('/'), content: serializeState(result.state) }]
    : [];
  const report = makeReport(result);
  // The memo too is committed with the collections: after a crash, the next run
  // either has both or neither.
  const memoOut: OutputFile[] = [];
  // The caches go first, so the memo can record the per-file cache's stat. They are
  // keyed by content, so a crash before the collections are committed leaves them right.
  if (cache && cacheChanged) await cache.save();
  if (docCache && docsChanged) await docCache.save();
  // The records go first too: the memo names them by key (record-log.ts). The keys the
  // render cache names are in the log if it is as the last complete run left it.
  let recordLog: string | null = null;
  if (useCache) {
    const known = new Set(Object.values(renders?.entries ?? {}).map((e) => e[0]));
    const last = await readFile(path.join(outDir, OUTPUT_STAMP_REL), 'utf8')
      .then((t) => (JSON.parse(t) as { records?: string }).records ?? null)
      .catch(() => null);
    recordLog = await saveRecords(outDir, records, known, last);
    phase('save caches and records');
  }
  if (useCache) {
    const nextState = options.recluster ? 'recluster' : state.length ? state[0].content : 'none';
    const nextKey = sha256([pipeline, nextState, ...fileLines, JSON.stringify([listRejected, readRejected])].join('\n'));
    const fileCache = cache ? storeStamp(cachePath(outDir)) : null;
    const head: MemoHead = {
      key: nextKey,
      outputHash,
      fileCache,
      records: recordLog,
      summary: summarize(result),
      hasState: !!result.state,
      rejected: result.rejected,
      warnings: result.warnings,
    };
    // The body names the records by key; the report is derived from them when read.
    const body: MemoBody = { articles: articleKeys, stories: storyKeys, rejected: result.rejected, warnings: result.warnings, state: result.state };
    // The head on the first line: a no-change run reads only that (see readMemo).
    // `fresh`: a memo of other inputs never has the same bytes; not worth reading to compare.
    memoOut.push({ rel: MEMO_REL, content: `${JSON.stringify(head)}\n${JSON.stringify(body)}`, fresh: true });
  }
  const written = await writeCollections(outDir, ['articles', 'stories'], [...outputs, ...state, ...memoOut], intact);
  phase('commit collections');
  // The summary speaks of the collections and the state; the memo is bookkeeping.
  const memoWritten = [written.added, written.updated].some((list) => {
    const i = list.indexOf(MEMO_REL);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  });
  if (memoOut.length && !memoWritten) written.unchanged--;
  // The stats of the files now in place: for the render cache and the output stamp
  // (the same stamp statStamp takes, without a second stat of every file).
  let stamp: string | null = null;
  if (nextRenders) {
    const lines: string[] = [];
    for (const [rel, entry] of Object.entries(nextRenders.entries)) {
      if (!entry[2]) {
        const s = statSync(path.join(outDir, rel), { throwIfNoEntry: false });
        entry[2] = s ? statKey(s) : 'missing';
      }
      lines.push(`${rel}\0${entry[2]}`);
    }
    stamp = sha256(lines.sort().join('\n'));
  }
  // After the collections: a crash in between only costs re-digesting next time.
  if (digestCache && digestsChanged) await writeDigestCache(outDir, digestCache);
  phase('digest cache');
  if (nextRenders && (outputs.length || Object.keys(renders!.entries).length !== intact.length)) await writeRenderCache(outDir, nextRenders);
  if (rawIndex?.changed) await writeRawIndex(outDir, rawIndex);
  if (options.report) await writeFileAtomic(path.resolve(options.report), `${JSON.stringify(report, null, 2)}\n`);
  if (stamp) await writeFileAtomic(path.join(outDir, OUTPUT_STAMP_REL), JSON.stringify({ outputHash, stamp, records: recordLog }));
  // Caches of earlier versions, replaced by the .log stores (about 65 MB at 10,000 articles).
  if (useCache) for (const old of OBSOLETE) rmSync(path.join(stateDir(outDir), old), { force: true });
  phase('stamps');
  return { ...result, report, summary: summarize(result), written, cache: fileCacheStats!, outputHash, corpusReused: false };
}

function makeReport(result: IngestResult): Report {
  return {
    articles: result.articles.map((a) => ({
      id: a.id,
      raw: a.raw,
      path: `articles/${a.id}.md`,
      title: a.title,
      source: a.source,
      byline: a.byline,
      date: a.date,
      url: a.url,
      story: a.story,
      copyOf: a.copyOf,
      removed: a.removed,
    })),
    stories: result.stories.map((s) => ({ id: s.id, headline: s.headline, articles: s.articles })),
    rejected: result.rejected,
    warnings: result.warnings,
  };
}

function timer(log: (line: string) => void): (label: string) => void {
  if (!process.env.NEWSFOLD_TIMING) return () => {};
  let last = performance.now();
  return (label) => {
    const now = performance.now();
    log(`timing: ${label} ${Math.round(now - last)} ms`);
    last = now;
  };
}

function summarize(result: IngestResult): RunResult['summary'] {
  return { articles: result.articles.length, stories: result.stories.length, copies: result.articles.filter((a) => a.copyOf).length };
}

const MEMO_REL = '.newsfold/corpus-memo.json';
const OBSOLETE = ['file-cache.json', 'doc-cache.json', 'parsed-content.json'];
const memoPath = (out: string) => path.join(out, MEMO_REL);

/** The memo's first line: enough to decide it applies and to report a no-change run. */
interface MemoHead {
  key: string;
  outputHash: string;
  fileCache: string | null;
  /** Stat of the record log the body's keys point into (record-log.ts). */
  records: string | null;
  summary: RunResult['summary'];
  hasState: boolean;
  rejected: Rejection[];
  warnings: IngestResult['warnings'];
}

/** The memo's second line: the records by key (record-log.ts), the rest as is. */
interface MemoBody {
  articles: string[];
  stories: string[];
  rejected: Rejection[];
  warnings: IngestResult['warnings'];
  state?: IngestResult['state'];
}

/**
 * The last run's memo, if its key matches and the collections on disk are
 * still exactly its output. Only the head is parsed here; `body()` parses the
 * records when someone asks for them.
 */
async function readMemo(out: string, key: string): Promise<{ head: MemoHead; body: () => { result: IngestResult }; report: () => Report } | null> {
  let text: string;
  let head: MemoHead;
  try {
    // The key is written first: a memo of other inputs (any drop-in) is not read at all.
    const start = Buffer.alloc(100);
    const fd = openSync(memoPath(out), 'r');
    try {
      readSync(fd, start, 0, start.length, 0);
    } finally {
      closeSync(fd);
    }
    if (!start.toString('latin1').startsWith(`{"key":${JSON.stringify(key)}`)) return null;
    text = await readFile(memoPath(out), 'utf8');
    const eol = text.indexOf('\n');
    if (eol < 0) return null;
    head = JSON.parse(text.slice(0, eol)) as MemoHead;
  } catch {
    return null;
  }
  if (head.key !== key || !head.outputHash || !head.summary) return null;
  if (!head.records || recordsStamp(out) !== head.records) return null;
  if (!(await outputsIntact(out, head.outputHash))) return null;
  let body: { result: IngestResult } | null = null;
  let report: Report | null = null;
  const read = () => {
    if (body) return body;
    const memoBody = JSON.parse(text.slice(text.indexOf('\n') + 1)) as MemoBody;
    const load = <T>(keys: string[]): T[] => {
      const json = readRecords(out, keys);
      // The log's stat was checked above: a key missing from it is a bug, not damage.
      if (!json) throw new Error('corpus memo: a record is missing from .newsfold/records.log');
      return JSON.parse(`[${json.join(',')}]`) as T[];
    };
    const result: IngestResult = {
      articles: load<IngestedArticle>(memoBody.articles),
      stories: load<Story>(memoBody.stories),
      rejected: memoBody.rejected,
      warnings: memoBody.warnings,
    };
    if (memoBody.state) result.state = memoBody.state;
    return (body = { result });
  };
  return { head, body: read, report: () => (report ??= makeReport(read().result)) };
}

const OUTPUT_STAMP_REL = '.newsfold/output-stamp.json';

/**
 * Size, mtime and inode of every collection file: equal stamps, untouched files
 * (the way git's index and make trust a file's stat). Writes go through
 * renames, so any rewrite gives a new inode or mtime.
 */
function statStamp(out: string): string | null {
  const parts: string[] = [];
  for (const folder of ['articles', 'stories']) {
    let names: string[];
    try {
      names = readdirSync(path.join(out, folder));
    } catch {
      return null;
    }
    for (const name of names) {
      const s = statSync(path.join(out, folder, name), { throwIfNoEntry: false });
      if (!s) return null;
      parts.push(`${folder}/${name}\0${s.size}\0${s.mtimeMs}\0${s.ino}`);
    }
  }
  return sha256(parts.sort().join('\n'));
}

/** Records the collections' stat stamp for `outputHash`, written after the collections. */
async function writeOutputStamp(out: string, outputHash: string, records: string | null): Promise<void> {
  const stamp = statStamp(out);
  if (stamp) await writeFileAtomic(path.join(out, OUTPUT_STAMP_REL), JSON.stringify({ outputHash, stamp, records }));
}

/**
 * True when the collection files on disk are exactly the output `outputHash`
 * names. The stat stamp answers without reading them; without one (or when it
 * differs), every file is read and hashed, and a match records a fresh stamp.
 */
async function outputsIntact(out: string, outputHash: string): Promise<boolean> {
  const recorded = await readFile(path.join(out, OUTPUT_STAMP_REL), 'utf8')
    .then((t) => JSON.parse(t) as { outputHash?: string; stamp?: string; records?: string | null })
    .catch(() => null);
  if (recorded?.outputHash === outputHash && recorded.stamp && recorded.stamp === statStamp(out)) return true;
  const parts: string[] = [];
  for (const folder of ['articles', 'stories']) {
    const names = await readdir(path.join(out, folder)).catch(() => null);
    if (!names) return false;
    // Synchronous reads: see the drop folder's.
    try {
      for (const name of names) parts.push(`${folder}/${name}\0${sha256(readFileSync(path.join(out, folder, name)))}`);
    } catch {
      return false;
    }
  }
  if (sha256(parts.sort().join('\n')) !== outputHash) return false;
  // The record log's stat stays as that run recorded it, so the next drop-in still appends to it.
  await writeOutputStamp(out, outputHash, recorded?.outputHash === outputHash ? (recorded.records ?? null) : null);
  return true;
}
