/**
 * The drop-in (#15): a run whose cost follows the articles near the change,
 * not the archive. `runIngest` (ingest-fs.ts) tries it first when the last
 * complete run's output is intact; it gives exactly what the full path would
 * (test/dropin.test.ts, test/determinism.test.ts), or declines (null) before
 * writing anything the full path would not, and the full path runs.
 *
 *  1. Shards (raw sub-folders, `shardOf`) whose files are those the shard
 *     memo recorded (paths and SHA-256s, store/shard-memo.ts) are not
 *     prepared: their ids, repeated lines, rejections and warnings are the
 *     memo's. A changed shard that only gained files adds them to its memo
 *     entry (pipeline.ts `prepareAdded`: the new files parsed, their outlets'
 *     lines recounted), unless that would move anything else in the shard (an
 *     id taken, an outlet's repeated lines changed); any other changed shard
 *     is prepared whole from the per-file cache.
 *  2. The grouping regroups the neighbourhood of the change from its state
 *     (grouping-fs.ts `regroupChanged`): only the articles prepared now are
 *     compared with the grouping index; every other article is its line in
 *     the index, found through the kept records of the days regrouped, and
 *     its words come from the doc cache, read only for those days.
 *  3. Dirty stories are the stories the regroup touched and those holding an
 *     article of a changed shard whose record changed. Only they are
 *     digested (through the digest cache) and their members placed and
 *     rendered; a member of an unchanged shard is read alone (its file's
 *     per-file entry, settled as its shard memo says). Every other file is
 *     carried forward by its record key (the render cache names them all):
 *     not read, not stringified, not rendered. Gone articles and stories are
 *     deleted.
 *  4. The memo, the record log (appended), the caches and the output stamp
 *     are written as the full path writes them.
 *
 * It declines when the editors' overrides are in play (now or in the last
 * run: they act on the whole grouping), when many files changed (the full
 * path spreads their parsing over worker threads), and when any state it
 * builds on is missing or not as the last run left it.
 *
 * Size: about 550 lines, one run through the four steps above: each step reads
 * what the ones before made (the shards' entries, the fresh articles, the
 * grouping run, the render cache), which split apart would go through every call.
 */
import type { RawHashes } from './read-fs.ts';
import path from 'node:path';
import { rmSync, statSync } from 'node:fs';
import type { Article, Assignment, ClusteredStory, IngestedArticle, IngestOptions, RawFile, Rejection, StoryStage, Warning } from '../ingest/index.ts';
import type { Overrides, Story } from '../schema.ts';
import { groupingSummary, regroupChanged, type GroupingRun } from './grouping-fs.ts';
import { writeCollections, type OutputFile } from './write-fs.ts';
import {
  appendRecords,
  digestKey,
  fileStamp,
  LineDigest,
  loadDoc,
  memoFile,
  OBSOLETE,
  openStore,
  putRendered,
  readLastRun,
  readOutputStamp,
  recordsOnDemand,
  recordKey,
  renderedFrom,
  repeatedOfEntry,
  settledArticle,
  sha256,
  byShardOf,
  rawShard,
  shardEntry,
  stampOf,
  stateDir,
  statePath,
  stateRel,
  withDigestCache,
  withStoredCache,
  withStoredDocs,
  writeFileAtomic,
  writeOutputStamp,
  type FileResult,
  type MemoHead,
  type OutputScan,
  type ShardEntry,
  type StoredDoc,
  type Store,
} from '../store/index.ts';
import type { RunOptions, RunResult } from './ingest-fs.ts';
import { makeReport, recordsOnAsk } from './report.ts';
import { loadStages } from './load-stages.ts';

/** More changed files than this: the full path, which parses them on worker threads. */
export const DROP_IN_MAX_PARSE = 200;
/** More than this share of the shards changed: the full path (nothing to skip). */
const DROP_IN_MAX_SHARD_SHARE = 0.5;

class Decline extends Error {}

export interface DropInInputs {
  options: RunOptions;
  outDir: string;
  files: RawFile[];
  hashOf: (file: RawFile) => string;
  /** Each file's hash and each shard's signature (read-fs.ts: the stat index keeps a vouched folder's). */
  hashes: RawHashes;
  listRejected: Rejection[];
  readRejected: Rejection[];
  rawIndex: Store | null;
  pipeline: string;
  /** The corpus memo's key for this run. */
  key: string;
  /** The collections' stat scan started with the run (corpus-memo.ts startScan). */
  outputScan?: OutputScan;
  log: (line: string) => void;
  phase: (label: string) => void;
}

/** True when overrides change anything: the drop-in leaves them to the full path. */
export function overridesInPlay(data: Overrides | undefined): boolean {
  return !!data && (Object.keys(data.stories ?? {}).length > 0 || Object.keys(data.articles ?? {}).length > 0);
}

export async function dropIn(inputs: DropInInputs): Promise<RunResult | null> {
  const { options, outDir, files, hashOf, log, phase } = inputs;
  if (options.cache === false || options.recluster || overridesInPlay(options.overrides?.data)) return null;
  const last = await readLastRun(outDir, inputs.outputScan);
  if (!last || last.head.hidden.length || last.head.overrides.applied.length || last.head.overrides.skipped.length) return null;
  const [lastCopies, lastListing] = [last.head.summary.copies, last.listing];
  // The grouping state is saved before the collections: after a crash in between it is ahead of them.
  if (!last.head.grouping || fileStamp(statePath(outDir, 'groupingIndex')) !== last.head.grouping) return null;
  const shards = openStore(outDir, 'shardMemo', inputs.pipeline, { retain: true });
  if (!shards.fromFile) return null;

  // The shards whose files changed (or vanished).
  // store/raw-index.ts `rawShard`: describe/ids.ts `shardOf`'s rule, from the store, so the pipeline
  // is not loaded before the run knows it has anything to parse (test/raw-index.test.ts checks they agree).
  const shardOf = rawShard;
  const byShard = byShardOf(files, shardOf);
  const changed = new Set<string>();
  for (const s of byShard.keys()) if (shards.hashOf(s) !== inputs.hashes.signature(s)) changed.add(s);
  for (const s of [...shards.keys()]) if (!byShard.has(s)) changed.add(s);
  if (changed.size > Math.max(1, DROP_IN_MAX_SHARD_SHARE * byShard.size)) return null;
  phase('drop-in: last run, shard memo');
  const fileCache = openStore(outDir, 'fileCache', inputs.pipeline, { retain: true, few: true });
  const toParse = files.filter((f) => changed.has(shardOf(f.raw)) && fileCache.hashOf(f.raw) !== hashOf(f));
  if (toParse.length > DROP_IN_MAX_PARSE) return null;
  phase(`open file cache: ${changed.size} shard(s) changed, ${toParse.length} file(s) to parse`);

  const stages = await loadStages(options.onCorpusChange);
  const opts: IngestOptions = { ...stages.defaultIngestOptions, ...options.ingest };
  phase('import pipeline');
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof Decline)) throw err;
    log(`drop-in: ${err.message}; the full path runs`);
    return null;
  }

  async function run(): Promise<RunResult> {
    // The last run's output hash and collections' stamp, to update by difference (content-digest.ts);
    // a run of an earlier form recorded other hashes: the full path then.
    const recorded = await readOutputStamp(outDir);
    const outputDigest = LineDigest.parse(last!.head.outputHash);
    const stampDigest = LineDigest.parse(recorded?.stamp);
    if (!outputDigest || !stampDigest || recorded?.outputHash !== last!.head.outputHash) throw new Decline("the last run's output hash is of an earlier form");
    // 1. The changed shards, prepared; the others' entries as recorded.
    const cached = withStoredCache(fileCache, (file) => stages.articlesFromFile(file, opts), hashOf);
    const entries = new Map<string, ShardEntry>();
    // The changed shards' entries as the last run left them: what is the same in them.
    const oldEntries = new Map<string, ShardEntry>();
    for (const s of changed) {
      const text = shards.get(s, shards.hashOf(s) ?? '');
      if (text !== undefined) oldEntries.set(s, JSON.parse(text) as ShardEntry);
    }
    // Files of the changed shards that are gone leave the per-file cache; a file the cache knew under
    // another hash was rewritten. A shard that only gained files adds them (`prepareAdded`).
    // A file by its path, looked up in its own shard's files (a map per shard, made when first asked):
    // the drop-in asks about the changed shards' files and the dirty stories' members, not about all
    // 100,000 files of a year, and a map of them all was 80 ms of every drop-in at that size.
    const shardFiles = new Map<string, Map<string, RawFile>>();
    const fileAt = (raw: string): RawFile | undefined => {
      const s = shardOf(raw);
      let map = shardFiles.get(s);
      if (!map) shardFiles.set(s, (map = new Map((byShard.get(s) ?? []).map((f) => [f.raw, f]))));
      return map.get(raw);
    };
    const dropped: string[] = [];
    const rewritten = new Set<string>();
    // Only the changed shards' keys are listed (a shard is its files' folder; '' the files at the root).
    for (const raw of [...changed].sort().flatMap((s) => [...fileCache.keysUnder(s ? `${s}/` : '')].filter((r) => shardOf(r) === s))) {
      if (!fileAt(raw)) {
        dropped.push(raw);
        rewritten.add(shardOf(raw));
        fileCache.delete(raw);
      }
    }
    for (const f of toParse) if (fileCache.has(f.raw)) rewritten.add(shardOf(f.raw));
    // An article of a shard as its file's per-file entry holds it (before its shard settled it).
    const filed = (raw: string, part: number): Article | undefined => {
      const file = fileAt(raw);
      const text = file && fileCache.get(raw, hashOf(file));
      return text === undefined ? undefined : (JSON.parse(text) as FileResult).articles.find((a) => a.raw === raw && a.part === part);
    };
    const fresh: Article[] = [];
    // What the last run had in the places now recomputed: those articles' ids.
    const previous: string[] = [];
    for (const s of [...byShard.keys()].sort()) {
      if (!changed.has(s)) {
        const text = shards.get(s, shards.hashOf(s) ?? '');
        if (text === undefined) throw new Decline(`no shard memo for ${s}`);
        entries.set(s, JSON.parse(text) as ShardEntry);
        continue;
      }
      const old = oldEntries.get(s);
      // (An entry of an earlier format names no outlets: the whole shard then.)
      const added = old && !rewritten.has(s) && old.ids.every((t) => t[3] !== undefined) ? addFiles(s, old) : null;
      if (added) {
        entries.set(s, added.entry);
        for (const a of added.articles) fresh.push(a);
        continue;
      }
      const prepared = stages.prepareShard(s, byShard.get(s)!, opts, (file) => cached.run(file));
      entries.set(s, shardEntry(prepared));
      for (const a of prepared.articles) fresh.push(a);
      for (const [, , id] of old?.ids ?? []) previous.push(id);
    }
    // A shard gone whole: its articles are gone.
    for (const s of changed) if (!byShard.has(s)) for (const [, , id] of oldEntries.get(s)?.ids ?? []) previous.push(id);
    const freshById = new Map(fresh.map((a) => [a.id, a]));
    phase(`prepare changed shards (${fresh.length} articles)`);

    /** A shard's entry with the new files' articles added, or null when adding them moves anything else (prepareAdded). */
    function addFiles(s: string, old: ShardEntry): { entry: ShardEntry; articles: Article[] } | null {
      const repeated = repeatedOfEntry(old);
      const before = {
        ids: new Set(old.ids.map(([, , id]) => id)),
        repeated,
        articlesOf: (outlet: string) => {
          const out: Article[] = [];
          for (const [raw, part, , source] of old.ids) {
            if (stages.outletKey({ source }) !== outlet) continue;
            const a = filed(raw, part);
            if (!a) throw new Decline(`article ${raw}#${part} is not in its file's entry`);
            out.push(a);
          }
          return out;
        },
      };
      const news = toParse.filter((f) => shardOf(f.raw) === s);
      const added = stages.prepareAdded(before, news, opts, (file) => cached.run(file));
      if (!added) return null;
      // Array sort is stable: equal paths keep the order they are given in.
      const byRaw = <T extends { raw: string }>(list: T[]) => list.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
      const entry: ShardEntry = {
        ...old,
        ids: [...old.ids, ...added.articles.map((a): ShardEntry['ids'][number] => [a.raw, a.part, a.id, a.source])].sort((a, b) => stages.pathOrder({ raw: a[0], part: a[1] }, { raw: b[0], part: b[1] })),
        // Each file's rejections and warnings, in path order (a stable sort: a file's own keep their order).
        fileRejected: byRaw([...old.fileRejected, ...added.fileRejected]),
        fileWarnings: byRaw([...old.fileWarnings, ...added.fileWarnings]),
      };
      return { entry, articles: added.articles };
    }

    // An unchanged shard's article, read alone: its file's entry, settled as its shard was.
    // (Each id to its entry's own row, [raw, part, id, outlet]: no object made per article of the archive.)
    // The rows are mapped shard by shard, on first ask. An id is its file's path with the folders joined
    // by `-` (ids.ts `articleId`), so it starts with its shard's folder as a slug: only the shards it
    // names are mapped. A map of every id of the archive, made in every drop-in, was 0.1-0.2 s of CPU at
    // 100,000 articles (#15). An id no such shard holds (a path the slug folds or hashes, an id gone) is
    // looked for in every shard, in the order the one map was made in.
    type Row = ShardEntry['ids'][number];
    const rowsByShard = new Map<string, Map<string, Row>>();
    const rowsOf = (s: string): Map<string, Row> => {
      let rows = rowsByShard.get(s);
      if (!rows) {
        rows = new Map();
        for (const row of entries.get(s)!.ids) if (!freshById.has(row[2])) rows.set(row[2], row);
        rowsByShard.set(s, rows);
      }
      return rows;
    };
    const shardSlugs = [...entries.keys()].filter((s) => s !== '').map((s) => [s, `${s.toLowerCase().replace(/[^a-z0-9_]+/g, '-')}-`] as const);
    let everyRow: Map<string, Row> | null = null;
    const where = (id: string): Row | undefined => {
      for (const [s, slug] of shardSlugs) {
        const row = id.startsWith(slug) ? rowsOf(s).get(id) : undefined;
        if (row) return row;
      }
      if (!everyRow) {
        everyRow = new Map();
        for (const s of entries.keys()) for (const [key, row] of rowsOf(s)) everyRow.set(key, row);
      }
      return everyRow.get(id);
    };
    const repeated = new Map<string, ReturnType<typeof repeatedOfEntry>>();
    const articleOf = (id: string): Article => {
      const got = freshById.get(id);
      if (got) return got;
      const at = where(id);
      const [raw, part] = at ?? ['', 0];
      const file = at && fileAt(raw);
      const text = file && fileCache.get(raw, hashOf(file));
      if (!at || text === undefined) throw new Decline(`article ${id} is in no shard memo or per-file entry`);
      // An entry's rows are its shard's files (shardOf of each is the shard).
      const shard = shardOf(raw);
      const entry = entries.get(shard);
      if (!entry) throw new Decline(`article ${id}'s file ${raw} is in no shard`);
      let lines = repeated.get(shard);
      if (!lines) repeated.set(shard, (lines = repeatedOfEntry(entry)));
      const a = settledArticle((JSON.parse(text) as FileResult).articles, raw, part, id, lines, stages.withoutRepeated);
      if (!a) throw new Decline(`article ${id} is not in its file's entry`);
      return a;
    };

    // 2. The grouping, from its state.
    const docCache = openStore(outDir, 'docCache', inputs.pipeline, { retain: true, few: true });
    phase('open doc cache');
    const docs = withStoredDocs(docCache, stages.clusterDocs(opts.stories));
    const docByKey = (key: string) => {
      const text = docCache.get(key);
      return text === undefined ? undefined : loadDoc(JSON.parse(text) as StoredDoc);
    };
    // How many articles the last run grouped (the index must agree with the memo).
    let before = 0;
    for (const entry of oldEntries.values()) before += entry.ids.length;
    for (const [s, entry] of entries) if (!changed.has(s)) before += entry.ids.length;
    const grouped = regroupChanged(stages, outDir, inputs.pipeline, fresh, previous, before, docs.docOf, docByKey, articleOf, opts.stories);
    if (!grouped) throw new Decline('no usable grouping state');
    phase(`grouping (${grouped.mode}${grouped.recomputed?.days ? ` ${grouped.recomputed.days.join('..')}` : ''}, ${grouped.recomputed?.buckets.length ?? 0} undated folder(s), ${grouped.recomputed?.placed ?? 0} articles placed, ${grouped.touched} stories touched, ${grouped.partsRead} parts read)`);

    // 3. The dirty stories: touched, or holding a changed shard's article whose record changed. An
    // article whose file, settled id and outlet's repeated lines are the last run's is the same
    // article, so its record changed only if its story (touched) did; the others ("suspects")
    // are checked against the render cache, through the whole grouping only if one is outside
    // the touched stories (an edit that left what grouping reads alone).
    const renders = openStore(outDir, 'renderCache', inputs.pipeline, { retain: true, few: true }); // (every file's hash read, few entries made)
    const storyOrder = grouped.storyIds();
    const outputs_ = new Map<string, NonNullable<ReturnType<GroupingRun['storyOutput']>>>();
    const outputOf = (id: string) => {
      let out = outputs_.get(id);
      if (!out) {
        out = grouped.storyOutput(id);
        if (!out) throw new Decline(`story ${id} is not in the grouping index`);
        outputs_.set(id, out);
      }
      return out;
    };
    const dirty = new Set<string>();
    const storyOfTouched = new Map<string, string>();
    for (const id of grouped.touchedIds ?? []) {
      const out = grouped.storyOutput(id);
      if (!out) continue;
      outputs_.set(id, out);
      dirty.add(id);
      for (const a of out.story.articles) storyOfTouched.set(a, id);
    }
    const parsedNow = new Set(cached.stats.parsed);
    const oldIds = new Map<string, string>();
    for (const entry of oldEntries.values()) for (const [raw, part, id] of entry.ids) oldIds.set(`${raw}\0${part}`, id);
    for (const a of fresh) {
      if (storyOfTouched.has(a.id)) continue;
      const old = oldEntries.get(shardOf(a.raw));
      const oldId = oldIds.get(`${a.raw}\0${a.part}`);
      const outlet = stages.outletKey(a);
      const sameLines = !!old && (outlet === null || sameRepeated(old, entries.get(shardOf(a.raw))!, outlet));
      if (!parsedNow.has(a.raw) && oldId === a.id && sameLines) continue;
      const asg = grouped.grouping.assignments.get(a.id);
      if (!asg) throw new Decline(`article ${a.id} has no story`);
      const json = JSON.stringify(stages.placeArticle(a, asg, grouped.grouping.dates.get(a.id) ?? null));
      if (renders.hashOf(`articles/${a.id}.md`) !== recordKey('article', json)) dirty.add(asg.story);
    }
    const sub = { stories: [] as ClusteredStory[], assignments: new Map<string, Assignment>(), dates: new Map<string, string | null>() };
    const members: Article[] = [];
    for (const id of [...dirty].sort()) {
      const out = outputOf(id);
      sub.stories.push(out.story);
      for (const a of out.story.articles) {
        sub.assignments.set(a, out.assignments.get(a)!);
        sub.dates.set(a, out.dates.get(a) ?? null);
        members.push(articleOf(a));
      }
    }
    members.sort(stages.pathOrder);
    const digestCache = openStore(outDir, 'digestCache', inputs.pipeline, { retain: true, few: true });
    const digests = withDigestCache(digestCache, stages.digestStory);
    let digested = 0;
    const perStory: StoryStage = (...args) => {
      const key = digestKey(...args);
      const hit = digests.lookup(key);
      if (hit) return hit;
      digested++;
      return digests.record(key, stages.digestStory(...args));
    };
    const result = stages.digestGrouping(members, sub, [], [], opts, perStory);
    log(`digested ${digested} stories, ${result.stories.length - digested} from cache (${dirty.size} dirty of ${storyOrder.length})`);
    phase('dirty stories: members read, digests');

    // Every current collection file; the ones not recomputed are carried forward at no cost: the
    // output hash and the collections' stamp are digests updated by difference (content-digest.ts),
    // so only the files placed now, and those gone, are looked at in the render cache (#15: walking
    // its 120,000 entries to hash every file's line again was 0.6 s of a drop-in at 100,000 articles).
    const currentArticles: Array<{ raw: string; part: number; id: string }> = [];
    for (const entry of entries.values()) for (const [raw, part, id] of entry.ids) currentArticles.push({ raw, part, id });
    // (Nearly in order already, shard by shard: the sort is a pass.)
    currentArticles.sort(stages.pathOrder);
    const outputs: OutputFile[] = [];
    // Files kept as they are (not rendered now): counted only; the commit keeps every listed file but
    // those rendered or removed now (write-fs.ts `ListedBut`).
    let intact = 0;
    const rendered: Array<{ rel: string; record: string; output: string }> = [];
    const records: Array<[string, string]> = [];
    const keys = new Map<string, string>();
    // Files placed now that the last run did not write (the render cache names exactly the last run's files).
    let added = 0;
    /** Takes a file as the last run wrote it (its render-cache entry) out of the two digests. */
    const forget = (rel: string, was: { output: string; stamp: string }) => {
      outputDigest.remove(`${rel}\0${was.output}`);
      stampDigest.remove(`${rel}\0${was.stamp}`);
    };
    const place = (rel: string, kind: string, json: string, render: () => string) => {
      const key = recordKey(kind, json);
      const was = renders.hashOf(rel);
      keys.set(rel, key);
      // The record log holds every record the render cache names (it is as the last run left it).
      if (was !== key) records.push([key, json]);
      const before = was === undefined ? undefined : renderedFrom(renders, rel, was);
      const s = before && was === key ? statSync(path.join(outDir, rel), { throwIfNoEntry: false }) : undefined;
      if (s && stampOf(s) === before!.stamp) return void intact++;
      if (before) forget(rel, before);
      else added++;
      const content = render();
      const hash = sha256(content);
      outputs.push({ rel, content });
      outputDigest.add(`${rel}\0${hash}`);
      rendered.push({ rel, record: key, output: hash });
    };
    for (const a of result.articles) place(`articles/${a.id}.md`, 'article', JSON.stringify(a), () => stages.renderArticle(a));
    for (const st of result.stories) place(`stories/${st.id}.json`, 'story', JSON.stringify(st), () => stages.renderStory(st));
    // The files gone: the changed shards' articles no shard holds now, the touched stories not alive.
    const gone: string[] = [];
    for (const id of oldIds.values()) if (!freshById.has(id) && !where(id)) gone.push(`articles/${id}.md`);
    if (!grouped.touchedIds) throw new Decline('the grouping did not say which stories went');
    for (const id of grouped.touchedIds) if (!outputs_.has(id) && !grouped.storyOutput(id)) gone.push(`stories/${id}.json`);
    for (const rel of gone) {
      const was = renders.hashOf(rel);
      const before = was === undefined ? undefined : renderedFrom(renders, rel, was);
      if (before) forget(rel, before);
      renders.delete(rel);
    }
    // Every file's record key, for the memo; the carried ones are the render cache's. Each file named
    // once and the counts equal: the render cache names exactly this run's files, as the full path's would.
    const keyOf = (rel: string): string => {
      const key = keys.get(rel);
      if (key !== undefined) return key;
      const kept = renders.hashOf(rel);
      if (kept === undefined) throw new Decline(`${rel} is not in the render cache`);
      intact++;
      return kept;
    };
    const articleKeys = currentArticles.map((a) => keyOf(`articles/${a.id}.md`));
    const storyKeys = storyOrder.map((id) => keyOf(`stories/${id}.json`));
    if (renders.size + added !== currentArticles.length + storyOrder.length) throw new Decline('the render cache does not name the last run\'s files');
    // What the commit must not keep as listed: the files rendered now, those gone, the memo. The last
    // run's listing less these is then exactly the files kept (it is the render cache's names, which the
    // checks above tie to this run's files); a count that differs declines before anything is written.
    const notKept = new Set<string>([...outputs.map((o) => o.rel), ...gone, stateRel('corpusMemo')]);
    let listedKept = 0;
    for (const rel of lastListing) if (!notKept.has(rel)) listedKept++;
    if (listedKept !== intact) throw new Decline(`the collections hold ${listedKept} files the run keeps, not ${intact}`);
    const outputHash = outputDigest.toString();
    phase(`records and render (${rendered.length} rendered, ${intact} carried)`);

    // 4. State, then the content commit.
    const reports = stages.joinReports([...entries.keys()].sort().map((s) => entries.get(s)!));
    const rejected = [...inputs.listRejected, ...inputs.readRejected, ...reports.rejected].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
    const warnings: Warning[] = reports.warnings;
    const summary = { articles: currentArticles.length, stories: storyOrder.length, copies: lastCopies + (grouped.copiesDelta ?? 0) };
    await grouped.save();
    for (const s of changed) {
      if (byShard.has(s)) shards.put(s, JSON.stringify(entries.get(s)), { hash: inputs.hashes.signature(s) });
      else shards.delete(s);
    }
    if (shards.changed) await shards.save();
    if (fileCache.changed) await fileCache.save();
    if (docCache.changed) await docCache.save();
    const recordLog = await appendRecords(outDir, records, new Set());
    const head: MemoHead = {
      key: inputs.key,
      outputHash,
      fileCache: fileStamp(statePath(outDir, 'fileCache')),
      records: recordLog,
      grouping: fileStamp(statePath(outDir, 'groupingIndex')),
      summary,
      rejected,
      warnings,
      hidden: [],
      overrides: { applied: [], skipped: [] },
    };
    const memo = { ...memoFile(head, { articles: articleKeys, stories: storyKeys, rejected, warnings }), fresh: true };
    phase('save state and records');
    const written = await writeCollections(outDir, ['articles', 'stories'], [...outputs, memo], { allListedBut: notKept }, lastListing /* as readLastRun found them */);
    const memoRel = stateRel('corpusMemo');
    const memoWritten = [written.added, written.updated].some((list) => {
      const i = list.indexOf(memoRel);
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    });
    if (!memoWritten) written.unchanged--;
    phase('commit collections');
    for (const { rel, record, output } of rendered) {
      const s = statSync(path.join(outDir, rel), { throwIfNoEntry: false });
      const now = s ? stampOf(s) : 'missing';
      putRendered(renders, rel, record, output, now);
      stampDigest.add(`${rel}\0${now}`);
    }
    if (digestCache.changed) await digestCache.save();
    if (renders.changed) await renders.save();
    if (inputs.rawIndex?.changed) await inputs.rawIndex.save();
    await writeOutputStamp(outDir, { outputHash, stamp: stampDigest.toString(), records: recordLog });
    // Files of earlier formats go, as on the full path.
    for (const old of OBSOLETE) rmSync(path.join(stateDir(outDir), old), { force: true });
    // The whole records (and the report) are read only when asked for, as on a no-change run.
    const load = recordsOnDemand<IngestedArticle, Story>(outDir, articleKeys, storyKeys);
    const onAsk = recordsOnAsk(load, (records) => makeReport({ ...records, rejected, warnings }, { hidden: [], overrides: { applied: [], skipped: [] } }));
    if (options.report) await writeFileAtomic(path.resolve(options.report), `${JSON.stringify(onAsk.report, null, 2)}\n`);
    phase('stamps');
    const groupingRun = groupingSummary(grouped);
    return Object.assign(onAsk, {
      rejected,
      warnings,
      hidden: [],
      overrides: { applied: [], skipped: [] },
      summary,
      written,
      cache: { ...cached.stats, dropped },
      outputHash,
      corpusReused: false,
      route: 'drop-in' as const,
      grouping: groupingRun,
    });
  }
}

/** True when an outlet's repeated lines in a shard are the same in two of its entries. */
function sameRepeated(a: ShardEntry, b: ShardEntry, outlet: string): boolean {
  const x = a.repeated.find(([o]) => o === outlet)?.[1] ?? [];
  const y = b.repeated.find(([o]) => o === outlet)?.[1] ?? [];
  return x.length === y.length && x.every((line, i) => line === y[i]);
}
