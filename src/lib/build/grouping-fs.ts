/**
 * The windowed grouping (ingest/stories/) with its state kept between builds.
 *
 * The state lives in two stores (store/layout.ts):
 *  - `groupingIndex` (grouping.log): per article what the grouping read of it
 *    (path, part, day, outlet, a hash of its words), per story its grouping
 *    output and the parts holding its articles, per part the stamp of its
 *    file as this module last saved it;
 *  - `grouping` parts (grouping/<month>.log, grouping/u-<folder>.log): a
 *    month's placement records and document frequencies, one entry per day,
 *    or an undated folder's records, one entry per article.
 *
 * A run compares the articles with the index: nothing changed, and the
 * stories are read from the index (no part is opened); some changed, and
 * `regroup` recomputes their neighbourhood from the parts it asks for (the
 * days before the change), rewriting the days and stories it changed; no
 * usable index (a first build, other code, a part changed under it), and
 * `groupCold` groups everything and writes every part. The three give the
 * same stories (test/stories-window.test.ts, test/determinism.test.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import type {
  Article,
  Assignment,
  BucketState,
  ClusterDoc,
  ClusterDocOf,
  ClusteredStory,
  GroupingResult,
  GroupingState,
  KeptState,
  MonthState,
  PlacementRecord,
  StoryItem,
  StoryOptions,
} from '../ingest/index.ts';
import { docKey, LogStore, openPart, openStore, partsDir, type Store } from '../store/index.ts';

type Stages = typeof import('../ingest/index.ts');

/** What a run reports of its grouping. */
export type GroupingSummary = Pick<GroupingRun, 'mode' | 'reason' | 'touched' | 'recomputed' | 'partsRead'>;

export function groupingSummary(run: GroupingRun): GroupingSummary {
  return { mode: run.mode, reason: run.reason, touched: run.touched, recomputed: run.recomputed, partsRead: run.partsRead };
}

export interface GroupingRun {
  grouping: GroupingResult;
  /** cold: grouped from nothing; regroup: a neighbourhood recomputed; unchanged: read from the index. */
  mode: 'cold' | 'regroup' | 'unchanged';
  /** Why a run that had an index grouped from nothing. */
  reason: string | null;
  /** Stories whose grouping output changed (all on a cold run). */
  touched: number;
  /** Their ids (a regroup: alive or gone; empty when unchanged; null on a cold run: every story). */
  touchedIds: string[] | null;
  /** How many more articles are republications (copyOf) than before the run (null on a cold run). */
  copiesDelta: number | null;
  /** What regroup recomputed: the dated days, the folders, the articles placed. */
  recomputed: { days: [string, string] | null; buckets: string[]; placed: number } | null;
  /** Parts read (months and folders). */
  partsRead: number;
  /** Every story's id, sorted, without reading the stories (the index's keys). */
  storyIds(): string[];
  /** One story's grouping output, read alone. */
  storyOutput(id: string): { story: ClusteredStory; assignments: Map<string, Assignment>; dates: Map<string, string | null> } | undefined;
  /**
   * Writes the state (once; later calls do nothing). Call before the collections are committed:
   * it describes these articles, whatever happens next. The build calls it as soon as the
   * grouping is done, so the cold state is not held through the digest.
   */
  save(): Promise<void>;
}

/** One story as the index keeps it: the parts holding its articles and its grouping output. */
interface StoryEntry {
  parts: string[];
  story: ClusteredStory;
  assignments: Array<[string, Assignment]>;
  dates: Array<[string, string | null]>;
}

const A = 'a:';
const S = 's:';
const P = 'p:';
/** A month part's entries: `r:<day>` the day's records, `d:<day>` its document frequencies. A folder's: `b:<raw>\0<part>`. */
const isBucket = (key: string) => key.startsWith('u:');

/** What the grouping reads of an article, as one line: a change to it is a change to the grouping's input. */
function articleLine(a: Article, day: number | null): string {
  return JSON.stringify([a.raw, a.part, day, a.source, a.title, docKey(a)]);
}

class StateError extends Error {}

/** An article as the incremental grouping sees it: where it is, its line, and its item (read on demand). */
interface CurrentArticle {
  id: string;
  raw: string;
  part: number;
  day: number | null;
  line: string;
  item: () => StoryItem;
}

/** Day, then path order: the order `current` hands articles to regroup, however they were gathered. */
const byDayPath = (a: CurrentArticle, b: CurrentArticle) => a.day! - b.day! || (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part);
const byPath = (a: CurrentArticle, b: CurrentArticle) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part);

export function groupWithState(
  stages: Stages,
  /** The content folder whose state is used; null: in memory (no cache). */
  outDir: string | null,
  /** The pipeline fingerprint: state of other code is not read. */
  code: string,
  articles: readonly Article[],
  docOf: ClusterDocOf,
  options: Partial<StoryOptions>,
  fresh: boolean,
): GroupingRun {
  const lines = new Map<string, string>();
  const index = outDir ? openStore(outDir, 'groupingIndex', code, { retain: true }) : LogStore.inMemory();
  let reason: string | null = null;
  if (outDir && index.fromFile && !fresh) {
    try {
      const current = articles.map((a) => currentOf(stages, a, docOf));
      return incremental(stages, outDir, code, index, current, options);
    } catch (err) {
      if (!(err instanceof StateError)) throw err;
      reason = err.message;
    }
  } else if (outDir && fresh) reason = 'asked to group from scratch';
  for (const a of articles) lines.set(a.id, articleLine(a, stages.dayOf(a.date)));
  return cold(stages, outDir, code, articles, lines, docOf, options, reason);
}

function currentOf(stages: Stages, a: Article, docOf: ClusterDocOf): CurrentArticle {
  const day = stages.dayOf(a.date);
  let item: StoryItem | undefined;
  return { id: a.id, raw: a.raw, part: a.part, day, line: articleLine(a, day), item: () => (item ??= stages.itemOf(a, docOf(a))) };
}

/**
 * The grouping of a drop-in that re-prepared only some shards: `changed` are
 * the articles of those shards (`inChanged` tells a raw path of theirs); every
 * other article is as the index recorded it, and its item is made from its
 * line and the doc cache (`docByKey`), or from the article itself
 * (`articleOf`, read only if the doc cache lost it). Null when there is no
 * usable state: the caller then groups every article (groupWithState).
 */
export function regroupChanged(
  stages: Stages,
  outDir: string,
  code: string,
  changed: readonly Article[],
  inChanged: (raw: string) => boolean,
  docOf: ClusterDocOf,
  docByKey: (key: string) => ClusterDoc | undefined,
  articleOf: (id: string) => Article,
  options: Partial<StoryOptions>,
): GroupingRun | null {
  const index = openStore(outDir, 'groupingIndex', code, { retain: true });
  if (!index.fromFile) return null;
  const current: CurrentArticle[] = [];
  for (const key of index.keys()) {
    if (!key.startsWith(A)) continue;
    const line = index.get(key)!;
    const [raw, part, day, source, title, dk] = JSON.parse(line) as [string, number, number | null, string, string, string];
    if (inChanged(raw)) continue;
    const id = key.slice(A.length);
    let item: StoryItem | undefined;
    const make = (): StoryItem => ({ id, raw, part, title, source, day, doc: docByKey(dk) ?? docOf(articleOf(id)) });
    current.push({ id, raw, part, day, line, item: () => (item ??= make()) });
  }
  for (const a of changed) current.push(currentOf(stages, a, docOf));
  try {
    return incremental(stages, outDir, code, index, current, options);
  } catch (err) {
    if (!(err instanceof StateError)) throw err;
    return null;
  }
}

function cold(
  stages: Stages,
  outDir: string | null,
  code: string,
  articles: readonly Article[],
  lines: Map<string, string>,
  docOf: ClusterDocOf,
  options: Partial<StoryOptions>,
  reason: string | null,
): GroupingRun {
  // Let go once saved: at 100,000 articles the state is about a gigabyte of objects.
  let state: GroupingState | null = stages.groupCold(
    articles.map((a) => stages.itemOf(a, docOf(a))),
    options,
  );
  const grouping = stages.resultOf(state, options);
  return {
    grouping,
    mode: 'cold',
    reason,
    touched: grouping.stories.length,
    touchedIds: null,
    copiesDelta: null,
    recomputed: null,
    partsRead: 0,
    storyIds: () => grouping.stories.map((s) => s.id).sort(),
    storyOutput: (id) => outputOf(grouping, id),
    async save() {
      if (!outDir || !state) return;
      // Every part is written anew: parts of another run (other code, damage) must not linger.
      rmSync(partsDir(outDir, 'grouping'), { recursive: true, force: true });
      const index = openStore(outDir, 'groupingIndex', code, { retain: true });
      for (const key of [...index.keys()]) index.delete(key);
      for (const [id, line] of lines) index.put(A + id, line);
      const output = new Map<string, StoryEntry>();
      for (const story of grouping.stories) output.set(story.id, { parts: state.stories[story.id] ?? [], story, assignments: [], dates: [] });
      for (const [id, asg] of grouping.assignments) output.get(asg.story)?.assignments.push([id, asg]);
      for (const [id, date] of grouping.dates) {
        const story = grouping.assignments.get(id)?.story;
        if (story) output.get(story)?.dates.push([id, date]);
      }
      for (const [id, entry] of output) index.put(S + id, JSON.stringify(entry));
      for (const [key, month] of Object.entries(state.months)) index.put(P + key, await writeMonth(outDir, code, key, month));
      for (const [key, bucket] of Object.entries(state.buckets)) index.put(P + key, await writeBucket(outDir, code, key, bucket));
      await index.save();
      state = null;
    },
  };
}

function incremental(
  stages: Stages,
  outDir: string,
  code: string,
  index: LogStore,
  articles: readonly CurrentArticle[],
  options: Partial<StoryOptions>,
): GroupingRun {
  // What changed: an article new, gone, or whose line differs (a rewrite is both).
  const added: Array<{ id: string; raw: string; day: number | null }> = [];
  const removed: Array<{ id: string; raw: string; day: number | null }> = [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  const lines = new Map(articles.map((a) => [a.id, a.line]));
  const days = new Map(articles.map((a) => [a.id, a.day]));
  for (const key of index.keys()) {
    if (!key.startsWith(A)) continue;
    const id = key.slice(A.length);
    const old = index.get(key)!;
    if (lines.get(id) === old) continue;
    const [raw, , day] = JSON.parse(old) as [string, number, number | null];
    removed.push({ id, raw, day });
  }
  for (const [id, line] of lines) {
    if (index.get(A + id) === line) continue;
    added.push({ id, raw: byId.get(id)!.raw, day: days.get(id)! });
  }
  const storyKeys = () => [...index.keys()].filter((k) => k.startsWith(S)).sort();
  // The whole grouping is read only if asked for (the full path does; a drop-in reads the stories it needs).
  const withLazyGrouping = (run: Omit<GroupingRun, 'grouping' | 'storyIds' | 'storyOutput'>): GroupingRun => {
    let all: GroupingResult | null = null;
    return Object.defineProperty(
      {
        ...run,
        storyIds: () => storyKeys().map((k) => k.slice(S.length)),
        storyOutput: (id: string) => {
          const text = index.get(S + id);
          if (text === undefined) return undefined;
          const entry = JSON.parse(text) as StoryEntry;
          return { story: entry.story, assignments: new Map(entry.assignments), dates: new Map(entry.dates) };
        },
      },
      'grouping',
      { get: () => (all ??= gather()), enumerable: false },
    ) as GroupingRun;
  };
  const gather = (): GroupingResult => {
    const result: GroupingResult = { assignments: new Map(), stories: [], dates: new Map() };
    for (const key of storyKeys()) {
      const entry = JSON.parse(index.get(key)!) as StoryEntry;
      result.stories.push(entry.story);
      for (const [id, asg] of entry.assignments) result.assignments.set(id, asg);
      for (const [id, date] of entry.dates) result.dates.set(id, date);
    }
    return result;
  };
  if (!added.length && !removed.length) {
    return withLazyGrouping({ mode: 'unchanged', reason: null, touched: 0, touchedIds: [], copiesDelta: 0, recomputed: null, partsRead: 0, save: async () => {} });
  }

  // The kept state, part by part, each checked against the stamp the index recorded.
  const parts = new Map<string, { store: LogStore; state: MonthState | BucketState | undefined }>();
  const part = (key: string) => {
    let p = parts.get(key);
    if (p) return p;
    const store = openPart(outDir, 'grouping', key, code);
    const recorded = index.get(P + key);
    let state: MonthState | BucketState | undefined;
    if (recorded !== undefined) {
      if (!store.fromFile || store.stamp() !== recorded) throw new StateError(`grouping part ${key} is not as the last run left it; grouped from scratch`);
      state = isBucket(key) ? readBucket(store) : readMonth(store);
    }
    parts.set(key, (p = { store, state }));
    return p;
  };
  const partKeys = [...index.keys()].filter((k) => k.startsWith(P)).map((k) => k.slice(P.length));
  const kept: KeptState = {
    month: (key) => part(key).state as MonthState | undefined,
    bucket: (key) => part(key).state as BucketState | undefined,
    storyParts: (id) => {
      const text = index.get(S + id);
      return text === undefined ? undefined : (JSON.parse(text) as StoryEntry).parts;
    },
    monthKeys: () => partKeys.filter((k) => !isBucket(k)).sort(),
    bucketKeys: () => partKeys.filter(isBucket).sort(),
  };
  // The current articles, by day and by folder; their words read only when asked for.
  const itemOf = (a: CurrentArticle) => a.item();
  const dated = articles.filter((a) => a.day !== null).sort(byDayPath);
  const datedDays = dated.map((a) => a.day!);
  const lowerBound = (day: number) => {
    let lo = 0;
    let hi = datedDays.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (datedDays[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const undated = new Map<string, CurrentArticle[]>();
  for (const a of articles) {
    if (days.get(a.id) !== null) continue;
    const key = stages.bucketOf(a.raw).key;
    const list = undated.get(key);
    if (list) list.push(a);
    else undated.set(key, [a]);
  }
  for (const list of undated.values()) list.sort(byPath);
  const current = {
    dated: (from: number, to: number) => dated.slice(lowerBound(from), lowerBound(to + 1)).map(itemOf),
    bucket: (key: string) => (undated.get(key) ?? []).map(itemOf),
  };
  const result = stages.regroup(kept, current, { added, removed }, options);

  // The touched stories' output, from the parts as they now are.
  const monthNow = (key: string) => (key in result.months ? result.months[key] ?? undefined : kept.month(key));
  const bucketNow = (key: string) => (key in result.buckets ? result.buckets[key] ?? undefined : kept.bucket(key));
  const alive = result.touched.filter((id) => result.stories[id]);
  const fresh = stages.resultOf(
    { storyParts: (id) => result.stories[id] ?? kept.storyParts(id), month: monthNow, bucket: bucketNow },
    options,
    alive,
  );
  const entries = new Map<string, StoryEntry>();
  for (const story of fresh.stories) entries.set(story.id, { parts: result.stories[story.id]!, story, assignments: [], dates: [] });
  for (const [id, asg] of fresh.assignments) entries.get(asg.story)?.assignments.push([id, asg]);
  for (const [id, date] of fresh.dates) {
    const story = fresh.assignments.get(id)?.story;
    if (story) entries.get(story)?.dates.push([id, date]);
  }
  // Republications among the touched stories' articles, before and after: a drop-in's count of them without reading every story.
  let copiesDelta = 0;
  for (const id of result.touched) {
    const old = index.get(S + id);
    if (old !== undefined) for (const [, asg] of (JSON.parse(old) as StoryEntry).assignments) if (asg.copyOf) copiesDelta--;
    for (const [, asg] of entries.get(id)?.assignments ?? []) if (asg.copyOf) copiesDelta++;
  }
  for (const id of result.touched) {
    const entry = entries.get(id);
    if (entry) index.put(S + id, JSON.stringify(entry));
    else index.delete(S + id);
  }
  for (const r of removed) index.delete(A + r.id);
  for (const a of added) index.put(A + a.id, lines.get(a.id)!);
  let done = false;
  return withLazyGrouping({
    mode: 'regroup',
    reason: null,
    touched: result.touched.length,
    touchedIds: result.touched,
    copiesDelta,
    recomputed: result.recomputed,
    partsRead: parts.size,
    async save() {
      if (done) return;
      done = true;
      for (const [key, month] of Object.entries(result.months)) {
        if (month) index.put(P + key, await writeMonth(outDir, code, key, month, part(key).store));
        else {
          await clearPart(part(key).store);
          index.delete(P + key);
        }
      }
      for (const [key, bucket] of Object.entries(result.buckets)) {
        if (bucket) index.put(P + key, await writeBucket(outDir, code, key, bucket, part(key).store));
        else {
          await clearPart(part(key).store);
          index.delete(P + key);
        }
      }
      await index.save();
    },
  });
}

function outputOf(grouping: GroupingResult, id: string): ReturnType<GroupingRun['storyOutput']> {
  const story = grouping.stories.find((s) => s.id === id);
  if (!story) return undefined;
  return {
    story,
    assignments: new Map(story.articles.map((a) => [a, grouping.assignments.get(a)!])),
    dates: new Map(story.articles.map((a) => [a, grouping.dates.get(a) ?? null])),
  };
}

function readMonth(store: Store): MonthState {
  const dayKeys = [...store.keys()].filter((k) => k.startsWith('r:') || k.startsWith('d:'));
  const records: PlacementRecord[] = [];
  const df: MonthState['df'] = {};
  for (const key of dayKeys.filter((k) => k.startsWith('r:')).sort()) records.push(...(JSON.parse(store.get(key)!) as PlacementRecord[]));
  for (const key of dayKeys.filter((k) => k.startsWith('d:')).sort()) df[key.slice(2)] = JSON.parse(store.get(key)!) as MonthState['df'][string];
  return { records, df };
}

function readBucket(store: Store): BucketState {
  const records = [...store.keys()].filter((k) => k.startsWith('b:')).map((k) => JSON.parse(store.get(k)!) as PlacementRecord);
  // Raw-path order, as placeBucket leaves them.
  records.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part));
  return { records };
}

/** Writes a month, one entry per day (only the days that changed are appended); returns the part's stamp. */
async function writeMonth(outDir: string, code: string, key: string, month: MonthState, open?: LogStore): Promise<string> {
  const store = open ?? openPart(outDir, 'grouping', key, code);
  const byDay = new Map<string, PlacementRecord[]>();
  for (const r of month.records) {
    const day = new Date(r.day! * 86_400_000).toISOString().slice(0, 10);
    const list = byDay.get(day);
    if (list) list.push(r);
    else byDay.set(day, [r]);
  }
  const keep = new Set<string>();
  const put = (k: string, text: string) => {
    keep.add(k);
    store.put(k, text);
  };
  for (const [day, records] of byDay) put(`r:${day}`, JSON.stringify(records));
  for (const [day, df] of Object.entries(month.df)) put(`d:${day}`, JSON.stringify(df));
  for (const k of [...store.keys()]) if (!keep.has(k)) store.delete(k);
  return saved(store);
}

async function writeBucket(outDir: string, code: string, key: string, bucket: BucketState, open?: LogStore): Promise<string> {
  const store = open ?? openPart(outDir, 'grouping', key, code);
  const keep = new Set<string>();
  for (const r of bucket.records) {
    const k = `b:${r.raw}\0${r.part}`;
    keep.add(k);
    store.put(k, JSON.stringify(r));
  }
  for (const k of [...store.keys()]) if (!keep.has(k)) store.delete(k);
  return saved(store);
}

async function saved(store: LogStore): Promise<string> {
  if (store.changed) await store.save();
  const stamp = store.stamp();
  if (!stamp) throw new Error('grouping: a part was not written');
  return stamp;
}

async function clearPart(store: LogStore): Promise<void> {
  for (const k of [...store.keys()]) store.delete(k);
  if (store.changed) await store.save();
}

/** True when a content folder has grouping state (a drop-in there regroups rather than groups). */
export function hasGroupingState(outDir: string): boolean {
  return existsSync(partsDir(outDir, 'grouping'));
}
