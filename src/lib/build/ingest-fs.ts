/**
 * `runIngest`: the ingest with its I/O edges. Reads the drop folder
 * (read-fs.ts), runs the pure pipeline (src/lib/ingest), answering unchanged
 * files, articles and stories from the stores kept between builds
 * (src/lib/store), writes only the collection files whose bytes changed
 * (write-fs.ts), and the report. The drop folder is only ever read.
 *
 * Size: about 510 lines: the run's routes (nothing changed, the drop-in,
 * the full path) share the listing, the hashes and the stores opened first,
 * which split apart each would take as arguments.
 */
import path from 'node:path';
import { existsSync, rmSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { listRawFiles, defaultReadOptions, readWithIndex } from './read-fs.ts';
import { loadStages } from './load-stages.ts';
// The pipeline and the renderer (and their heavy dependencies: linkedom,
// compromise, zod...) are imported only when something has to be parsed or
// grouped, so a no-change rebuild does not pay for loading them.
import type { Assignment, IngestedArticle, IngestOptions, IngestResult, RawFile, StoryStage } from '../ingest/index.ts';
import { groupingSummary, groupWithState, hasGroupingState, type GroupingRun, type GroupingSummary } from './grouping-fs.ts';
import { openCollections, type WriteSummary } from './write-fs.ts';
import {
  collectionsStamp,
  fileStamp,
  LogStore,
  memoFile,
  OBSOLETE,
  openStore,
  pipelineFingerprint,
  putRendered,
  readMemo,
  readOutputStamp,
  startScan,
  writeFileAtomic,
  writeOutputStamp,
  recordKey,
  renderedFrom,
  recordsOnDemand,
  openRecordSink,
  lineDigest,
  sha256,
  stampOf,
  stateDir,
  statePath,
  stateRel,
  withDigestCache,
  withStoredCache,
  withStoredDocs,
  shardEntry,
  type CacheStats,
  type FileResult,
  type MemoHead,
  type Store,
  digestKey,
} from '../store/index.ts';
import { makeReport, memoryNote, recordsOnAsk } from './report.ts';
import { dropIn } from './drop-in-fs.ts';
import { IngestPool, ingestThreads, PARALLEL_MIN_STORIES } from './workers/pool.ts';
import type { Overrides, Report, Story } from '../schema.ts';

export interface RunOptions {
  raw: string;
  out: string;
  report?: string;
  ingest?: Partial<IngestOptions>;
  /** Called with progress lines on long runs. */
  log?: (line: string) => void;
  /** Use the per-file cache under `<out>/.newsfold/` (default true). */
  cache?: boolean;
  /** Ignore the grouping state (`<out>/.newsfold/grouping*`) and group from scratch. */
  recluster?: boolean;
  /**
   * The editors' overrides (overrides.yaml, already validated: src/lib/config-fs.ts),
   * applied after grouping; `file` names them in warnings. Not part of the
   * pipeline fingerprint: a change redoes the corpus stages (the memo's key
   * hashes them) and re-digests only the stories it touches.
   */
  overrides?: { data: Overrides; file: string };
  /**
   * Called once, when the run is known to redo the corpus stages (a file, the
   * code or the story state differs from the last run), before it does: the
   * build starts Astro's start-up then, beside the rest of the ingest. The run
   * waits for what it returns (the start itself, a few milliseconds) before
   * its long synchronous stages (load-stages.ts).
   */
  onCorpusChange?: () => unknown;
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
  /** no-change: the memo answered; drop-in: only the changed shards and dirty stories were recomputed (drop-in-fs.ts); full: every article. */
  route: 'no-change' | 'drop-in' | 'full';
  /** Counts, without touching the records (on a no-change run those are read only on demand). */
  summary: { articles: number; stories: number; copies: number };
  /** How the grouping ran (build/grouping-fs.ts); null when the corpus stages were skipped. */
  grouping: GroupingSummary | null;
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
  // The build is told once that the corpus stages will run: as soon as the memo misses (below), and
  // again, answered by the same promise, where the pipeline is loaded (load-stages.ts).
  const tell = options.onCorpusChange;
  let told: Promise<unknown> | undefined;
  const tellOnce = tell && (() => (told ??= Promise.resolve().then(tell)));
  if (tellOnce) options = { ...options, onCorpusChange: tellOnce };
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
  // The collections' stat scan (corpus-memo.ts startScan): on a worker thread, beside the listing below.
  const outputScan = useCache && existsSync(statePath(outDir, 'outputStamp')) ? startScan(outDir) : undefined;
  const { files: found, rejected: listRejected } = listRawFiles(rawDir);
  // No per-file cache yet (a first build): every file will be parsed. Start the worker
  // threads now, so they load the pipeline (seconds each) while this thread reads the files.
  const coldThreads = !useCache || !existsSync(statePath(outDir, 'fileCache')) ? ingestThreads(found.length) : 0;
  early.pool = coldThreads ? IngestPool.start(coldThreads, null, log) : null;
  // Files whose stat is unchanged since the last run are neither read nor hashed
  // (the stat index, store/raw-index.ts); the others are read synchronously: thousands
  // of small files, and one await per file costs several times the reading on a loaded machine.
  // Retaining: a folder the index vouches for whole is not read, yet its entry stays (read-fs.ts).
  const rawIndex = useCache ? openStore(outDir, 'rawIndex', '', { retain: true }) : null;
  const { files, rejected: readRejected, hashes } = readWithIndex(found, rawIndex, defaultReadOptions);
  phase('list and read raw');
  // Each file's hash, taken once (readWithIndex gives each): the bytes are let go after the per-file stages.
  const extraHashes = new Map<string, string>();
  const hashOf = (f: RawFile) => {
    let hash = hashes.get(f.raw) ?? extraHashes.get(f.raw);
    if (hash === undefined) extraHashes.set(f.raw, (hash = sha256(f.bytes)));
    return hash;
  };
  // The defaults are code, which the fingerprint covers; the caller's overrides are hashed.
  const pipeline = pipelineFingerprint(options.ingest ?? {});
  // Corpus memo (store/corpus-memo.ts): when the files, the code and the options are
  // exactly those of the last run and its output is intact on disk, the corpus-level
  // stages (grouping, digest: the slow part of a no-change rebuild) would give the same
  // result (the grouping is a pure function of the articles), so it is reused.
  const stateText = options.recluster ? 'recluster' : 'windowed';
  // Each folder's signature (its files' paths and hashes) stands for its files' lines: the stat
  // index keeps it for a folder it vouches for, so the key costs a line per folder, not per file.
  const shardLines = hashes.shards().map((s) => `${s}\0${hashes.signature(s)}`);
  // The overrides as parsed: an edit to a comment or to spacing is no change.
  const overridesKey = options.overrides ? `overrides\0${options.overrides.file}\0${JSON.stringify(options.overrides.data)}` : 'no overrides';
  const runKey = sha256([pipeline, stateText, overridesKey, ...shardLines, JSON.stringify([listRejected, readRejected])].join('\n'));
  const memo = useCache ? await readMemo(outDir, runKey, outputScan) : null;
  phase('corpus key and memo');
  // The files or the settings are not the last run's: the corpus stages will run, by the drop-in
  // or the full path. Astro's start-up begins now, beside the drop-in's reads of the last run and
  // the shard memo (about 0.5 s at 100,000 articles), not after them.
  // (A failed start is the build's to report: it awaits the same promise.)
  if (useCache && !memo && tellOnce) await tellOnce().catch(() => {});
  // The memo stands only while the per-file cache still answers for every file
  // (a lost or corrupt cache is rebuilt now, not at the next drop-in). The memo
  // records the stamp of the cache file it was written with: the same stamp, the same
  // entries (the store is only ever appended to or replaced), and no need to read it.
  const cacheIntact = !!memo?.head.fileCache && fileStamp(statePath(outDir, 'fileCache')) === memo.head.fileCache;
  // Something changed: a drop-in recomputes only what is near the change (drop-in-fs.ts), when it can.
  if (useCache && !memo) {
    const dropped = await dropIn({ options, outDir, files, hashOf, hashes, listRejected, readRejected, rawIndex, pipeline, key: runKey, outputScan, log, phase });
    if (dropped) return dropped;
  }
  let cache: Store | null = useCache && !cacheIntact ? openStore(outDir, 'fileCache', pipeline) : null;
  phase('open file cache');
  if (memo && (cacheIntact || (cache && answersAll(cache, files, hashOf)))) {
    const { head } = memo;
    const written: WriteSummary = { added: [], updated: [], removed: [], unchanged: head.summary.articles + head.summary.stories };
    const stats: CacheStats = { hits: files.length, misses: 0, parsed: [], dropped: [] };
    if (rawIndex?.changed) await rawIndex.save();
    // The records themselves (tens of MB at 10,000 articles) are parsed only if a caller reads them.
    const onAsk = recordsOnAsk(memo.records, (records) => makeReport(records, head));
    if (options.report) await writeFileAtomic(path.resolve(options.report), `${JSON.stringify(onAsk.report, null, 2)}\n`);
    return Object.assign(onAsk, {
      rejected: head.rejected,
      warnings: head.warnings,
      hidden: head.hidden,
      overrides: head.overrides,
      summary: head.summary,
      written,
      cache: stats,
      outputHash: head.outputHash,
      corpusReused: true,
      route: 'no-change' as const,
      grouping: null,
    });
  }

  const stages = await loadStages(options.onCorpusChange);
  phase('import pipeline');
  let result: IngestResult;
  let groupingRun: GroupingSummary;
  let fileCacheStats: CacheStats;
  let digestCache: Store | null = null;
  let docCache: Store | null = null;
  let shardMemo: Store | null = null;
  let fileCacheStamp: string | null = null;
  const fullOpts: IngestOptions = { ...stages.defaultIngestOptions, ...options.ingest };
  // Many files to parse (a cold build, a changed rule): spread them over worker threads.
  // The driver below still takes them in sorted order, so the output does not depend on it.
  const toParse = files.filter((f) => !cache || cache.hashOf(f.raw) !== hashOf(f));
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
    // What clustering reads of each article, from the last run's store where the text is
    // unchanged (store/doc-cache.ts); on worker threads, read along with parsing.
    // A drop-in regroups a neighbourhood and reads the words of those articles only: the
    // others' entries are kept (retained), not dropped as unused. A full grouping compacts.
    const regrouping = useCache && !options.recluster && hasGroupingState(outDir);
    docCache = useCache ? openStore(outDir, 'docCache', pipeline, { retain: regrouping }) : null;
    phase('open doc cache');
    const ahead = pool ? await (docCache ? pool.parseWithDocs(toParse) : pool.parse(toParse).then((results) => ({ results, docs: null }))) : null;
    const parsedAhead = ahead?.results ?? new Map<string, FileResult>();
    for (const [key, doc] of ahead?.docs ?? []) {
      // Kept only if clustering asks for it (an article dropped as a duplicate id does not).
      if (!docCache!.has(key)) docCache!.put(key, JSON.stringify(doc), { tentative: true });
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
    let cached: ReturnType<typeof withStoredCache> | null = withStoredCache(cache ?? LogStore.inMemory(), perFile, hashOf);
    // Per-story digests, keyed by everything a digest reads (store/digest-cache.ts). Stories
    // not in the store are only collected while the pipeline runs, then digested
    // (on worker threads when there are many) and put back in their places.
    digestCache = useCache ? openStore(outDir, 'digestCache', pipeline) : null;
    phase('parse changed files, open digest cache');
    const digestCached = digestCache ? withDigestCache(digestCache, stages.digestStory) : null;
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

    const docOf = stages.clusterDocs(fullOpts.stories);
    let docCached = docCache ? withStoredDocs(docCache, docOf) : null;
    const shards = stages.prepareShards(files, fullOpts, (file) => cached!.run(file));
    // What the next drop-in needs to skip a shard whose files stay the same (store/shard-memo.ts).
    if (useCache) {
      shardMemo = openStore(outDir, 'shardMemo', pipeline);
      for (const { shard, result } of shards) shardMemo.put(shard, JSON.stringify(shardEntry(result)), { hash: hashes.signature(shard) });
    }
    const prepared = stages.joinShards(shards.map((s) => s.result));
    shards.length = 0;
    // Memory (#15): what the per-file stages read and made is let go before grouping: the files'
    // bytes, and the per-file cache (every entry's text), saved now (it is keyed by content, so
    // a crash before the commit leaves it right).
    // (A file the stat index vouched for reads its bytes on demand, read-fs.ts: nothing to let go.)
    for (const f of files) if (Object.getOwnPropertyDescriptor(f, 'bytes')?.writable) f.bytes = NO_BYTES;
    cached.finish();
    fileCacheStats = cached.stats;
    cached = null;
    if (cache?.changed) await cache.save();
    fileCacheStamp = cache ? fileStamp(statePath(outDir, 'fileCache')) : null;
    cache = null;
    phase('per-file stages');
    // The windowed grouping, from its state kept by month (build/grouping-fs.ts): story ids
    // are a function of the articles, so they survive rebuilds without a story state.
    let grouped: GroupingRun | null = groupWithState(stages, useCache ? outDir : null, pipeline, prepared.articles, docCached?.docOf ?? docOf, fullOpts.stories, !!options.recluster);
    if (grouped.reason && grouped.mode === 'cold' && !options.recluster) log(`grouping: ${grouped.reason}`);
    if (grouped.mode === 'regroup') {
      const days = grouped.recomputed?.days;
      log(`grouping: regrouped ${days ? `${days[0]}..${days[1]}` : 'no dated day'}${grouped.recomputed?.buckets.length ? ` and ${grouped.recomputed.buckets.length} undated folder(s)` : ''}; ${grouped.touched} stor${grouped.touched === 1 ? 'y' : 'ies'} touched, ${grouped.partsRead} part(s) read`);
    }
    phase(`grouping (${grouped.mode}${grouped.recomputed?.days ? ` ${grouped.recomputed.days.join('..')}` : ''}, ${grouped.touched} stories touched, ${grouped.partsRead} parts read)`);
    // Saved now (before the collections, as the caches are): it describes these articles whatever happens next.
    if (useCache) await grouped.save();
    groupingRun = groupingSummary(grouped);
    // What grouping read of each article, saved and let go.
    docCached = null;
    if (docCache?.changed) await docCache.save();
    docCache = null;
    phase('save grouping state');
    result = stages.digestGrouping(prepared.articles, grouped.grouping, prepared.rejected, prepared.warnings, fullOpts, perStory, options.overrides?.data);
    // The grouping (every article's assignment and the windows' state) is saved and summarised: let go.
    grouped = null;
    // An override naming nothing is reported by name, every build, until the editor removes it.
    for (const s of result.overrides.skipped) result.warnings.push({ raw: options.overrides!.file, message: `${s.override}: ${s.reason}; skipped` });
    phase('overrides, digest keys');
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
      result.stories[index] = digestCached ? digestCached.record(key, story) : (JSON.parse(JSON.stringify(story)) as Story);
    }
    if (pending.length) log(`digested ${pending.length} stories (${digestedAhead.size} on worker threads), ${result.stories.length - pending.length} from cache`);
    // Memory (#15): what the digest was handed (every story's members) and gave back is in the
    // stories now; the digest cache is saved here, not after the collections (its entries are keyed
    // by everything a digest reads, so a crash before the commit leaves them right, as the other
    // caches above), and let go with the texts it held, before the records are made.
    pending.length = 0;
    digestedAhead.clear();
    if (digestCache?.changed) await digestCache.save();
    digestCache = null;
    phase('digest changed stories, save digest cache');
  } finally {
    await pool?.close();
  }
  result.rejected.unshift(...listRejected, ...readRejected);
  result.rejected.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));

  // Each record is stringified once: for its render-cache key and, when new, for the record log.
  // A file whose record and stamp are those the render cache recorded is left as it is,
  // neither rendered nor read (store/render-cache.ts).
  const renders = useCache ? openStore(outDir, 'renderCache', pipeline) : null;
  // The records the last run's files were rendered from: all in records.log, if it is as that run left it.
  const knownRecords = new Set<string>();
  for (const rel of renders?.keys() ?? []) knownRecords.add(renders!.hashOf(rel)!);
  phase('open render cache');
  // Memory (#15): each file is staged, and each record appended to the log, as it is made (write-fs.ts
  // openCollections, store/record-log.ts openRecordSink): held whole, they were GBs of a year's peak.
  const collections = await openCollections(outDir);
  const last = useCache ? ((await readOutputStamp(outDir))?.records ?? null) : null;
  const sink = useCache ? openRecordSink(outDir, knownRecords, last) : null;
  const outputLines: string[] = [];
  /** `<rel>\0<stamp>` of every collection file, for the output stamp; rendered ones are stamped once written. */
  const stampLines: string[] = [];
  const rendered: Array<{ rel: string; record: string; output: string }> = [];
  const place = (rel: string, kind: string, json: string, render: () => string): string => {
    const key = recordKey(kind, json);
    sink?.add(key, json);
    const known = renders ? renderedFrom(renders, rel, key) : undefined;
    if (known) {
      const s = statSync(path.join(outDir, rel), { throwIfNoEntry: false });
      if (s && stampOf(s) === known.stamp) {
        collections.keep(rel);
        outputLines.push(`${rel}\0${known.output}`);
        stampLines.push(`${rel}\0${known.stamp}`);
        return key;
      }
    }
    const content = render();
    const hash = sha256(content);
    collections.add({ rel, content });
    outputLines.push(`${rel}\0${hash}`);
    rendered.push({ rel, record: key, output: hash });
    return key;
  };
  const placeAll = () => ({
    articleKeys: result.articles.map((a) => place(`articles/${a.id}.md`, 'article', JSON.stringify(a), () => stages.renderArticle(a))),
    storyKeys: result.stories.map((st) => place(`stories/${st.id}.json`, 'story', JSON.stringify(st), () => stages.renderStory(st))),
  });
  const { articleKeys, storyKeys } = sink ? sink.guard(placeAll) : placeAll();
  const outputHash = lineDigest(outputLines);
  // What is said of the records, taken before they are let go (below).
  const summary = summarize(result);
  const report = options.report ? makeReport(result, result) : null;
  if (useCache) {
    // In the log now, read back only if a caller asks (the end): about 2 GB of objects at 100,000
    // articles, let go before the commit and before a build's site half needs the heap.
    result = { ...result, articles: [], stories: [] };
  }
  phase('records and render');
  // The caches go first, so the memo can record the per-file cache's stamp. They are
  // keyed by content, so a crash before the collections are committed leaves them right.
  if (shardMemo?.changed) await shardMemo.save();
  // The records go first too: the memo names them by key (store/record-log.ts). The keys the
  // render cache names are in the log if it is as the last complete run left it.
  let recordLog: string | null = null;
  if (useCache) {
    recordLog = await sink!.close();
    phase('save caches and records');
    const head: MemoHead = {
      key: runKey,
      outputHash,
      fileCache: fileCacheStamp,
      records: recordLog,
      grouping: fileStamp(statePath(outDir, 'groupingIndex')),
      summary,
      rejected: result.rejected,
      warnings: result.warnings,
      hidden: result.hidden,
      overrides: result.overrides,
    };
    // The body names the records by key; the report is derived from them when read.
    // `fresh`: a memo of other inputs never has the same bytes; not worth reading to compare.
    // The memo too is committed with the collections: after a crash, the next run either has both or neither.
    collections.add({ ...memoFile(head, { articles: articleKeys, stories: storyKeys, rejected: result.rejected, warnings: result.warnings }), fresh: true });
  }
  const written = await collections.commit(['articles', 'stories']);
  phase('commit collections');
  // The summary speaks of the collections and the state; the memo is bookkeeping.
  const memoRel = stateRel('corpusMemo');
  const memoWritten = [written.added, written.updated].some((list) => {
    const i = list.indexOf(memoRel);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  });
  if (useCache && !memoWritten) written.unchanged--;
  // The stamps of the files now in place: for the render cache and the output stamp
  // (the same stamps the memo's check takes, without a second stat of every file).
  let stamp: string | null = null;
  if (renders) {
    for (const { rel, record, output } of rendered) {
      const s = statSync(path.join(outDir, rel), { throwIfNoEntry: false });
      const fileStampNow = s ? stampOf(s) : 'missing';
      putRendered(renders, rel, record, output, fileStampNow);
      stampLines.push(`${rel}\0${fileStampNow}`);
    }
    stamp = collectionsStamp(stampLines);
  }
  if (renders?.changed) await renders.save();
  if (rawIndex?.changed) await rawIndex.save();
  if (report) await writeFileAtomic(path.resolve(options.report!), `${JSON.stringify(report, null, 2)}\n`);
  if (stamp) await writeOutputStamp(outDir, { outputHash, stamp, records: recordLog });
  // Stores of earlier formats, replaced by today's (about 75 MB at 10,000 articles).
  if (useCache) for (const old of OBSOLETE) rmSync(path.join(stateDir(outDir), old), { force: true });
  phase('stamps');
  const { rejected, warnings, hidden, overrides } = result;
  const rest = { rejected, warnings, hidden, overrides, summary, written, cache: fileCacheStats!, outputHash, corpusReused: false, route: 'full' as const, grouping: groupingRun! };
  if (!useCache) return { ...result, report: report ?? makeReport(result, result), ...rest };
  if (!recordLog) throw new Error(`the record log ${stateRel('records')} was not written`);
  // The records (about 2 GB of objects at 100,000 articles) are let go here and read back from the
  // record log only if a caller asks, as the other two paths do: a build's site half, in this same
  // process, needs that heap for its own state (a year of news ran out of node's default heap).
  const load = recordsOnDemand<IngestedArticle, Story>(outDir, articleKeys, storyKeys);
  return Object.assign(
    recordsOnAsk(load, (records) => makeReport({ ...records, rejected, warnings }, rest)),
    rest,
  );
}

/** True when the per-file cache holds every file under its current hash. */
function answersAll(cache: Store, files: readonly RawFile[], hashOf: (f: RawFile) => string): boolean {
  for (const f of files) if (cache.hashOf(f.raw) !== hashOf(f)) return false;
  return true;
}

const NO_BYTES = new Uint8Array(0);

function timer(log: (line: string) => void): (label: string) => void {
  if (!process.env.NEWSFOLD_TIMING) return () => {};
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  return (label) => {
    const now = performance.now();
    // The process's CPU time too (as the site phases log it): on a loaded machine wall time says little.
    const cpu = process.cpuUsage(lastCpu);
    // The resident memory after each phase: where a cold build's peak comes from.
    log(`timing: ${label} ${Math.round(now - last)} ms (cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms; ${memoryNote()})`);
    last = now;
    lastCpu = process.cpuUsage();
  };
}

function summarize(result: IngestResult): RunResult['summary'] {
  return { articles: result.articles.length, stories: result.stories.length, copies: result.articles.filter((a) => a.copyOf).length };
}

