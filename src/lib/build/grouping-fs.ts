/**
 * The windowed grouping (ingest/stories/) with its state kept between builds.
 *
 * The state lives in two stores (store/layout.ts):
 *  - `groupingIndex` (grouping.log): per article what the grouping read of it
 *    (path, part, day, outlet, a hash of its words), per story its grouping
 *    output and the parts holding its articles, per part the stamp of its
 *    file as this module last saved it;
 *  - `grouping` parts (grouping/<month>.log, grouping/u-<folder>.log): a
 *    month's placement records, document frequencies and copy sketches, one
 *    entry each per day, or an undated folder's records, one entry per article.
 *
 * A run compares the articles with the index: nothing changed, and the
 * stories are read from the index (no part is opened); some changed, and
 * `regroup` recomputes their neighbourhood from the parts it asks for (the
 * days before the change), rewriting the days and stories it changed; no
 * usable index (a first build, other code, a part changed under it), and
 * `groupCold` groups everything and writes every part. The three give the
 * same stories (test/stories-window.test.ts, test/determinism.test.ts).
 *
 * Size: about 700 lines: the cold, the full incremental and the drop-in's
 * grouping share the index's format and the parts' readers and writers, kept
 * together; the parts' I/O (readMonth..clearPart) is the piece to move out
 * next (a new file must join CODE_ROOTS in store/fingerprint.ts).
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
  Change,
  CurrentSet,
  GroupingState,
  KeptState,
  MonthState,
  PlacementRecord,
  StoryItem,
  StoryOptions,
} from '../ingest/index.ts';
import { docKey, LogStore, openPart, openStore, partsDir, sketchOfText, sketchText, type Store } from '../store/index.ts';
import type { Stages } from './load-stages.ts';

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
/**
 * A month part's entries: `r:<day>` the day's records, `d:<day>` its document frequencies, `s:<day>`
 * its articles' copy sketches ([id, base64] pairs, in the records' order: what the dated pass and the
 * folders read of those days besides the records, without reading each article's words from the doc
 * cache). A folder's: `b:<raw>\0<part>`.
 */
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
      return incremental(stages, outDir, code, index, changeOf(index, current), () => currentOfAll(stages, current), options);
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
 * The grouping of a drop-in that re-prepared only some articles: `changed`
 * are those articles now, `previous` the ids the last run had in their place
 * (the changed shards' or files' articles then). Every other article is as the
 * index recorded it, and is read only where the regroup reads: the kept
 * parts' records of the days (or folders) it recomputes name them, and each
 * one's item is made from its line and the doc cache (`docByKey`), or from the
 * article itself (`articleOf`, read only if the doc cache lost it). So the
 * cost follows the days near the change, not the archive's hundred thousand
 * lines. `before` is how many articles the last run grouped (the shard memo's
 * count): an index that disagrees is not used. Null when there is no usable
 * state: the caller then groups every article (groupWithState).
 */
export function regroupChanged(
  stages: Stages,
  outDir: string,
  code: string,
  changed: readonly Article[],
  previous: Iterable<string>,
  before: number,
  docOf: ClusterDocOf,
  docByKey: (key: string) => ClusterDoc | undefined,
  articleOf: (id: string) => Article,
  options: Partial<StoryOptions>,
): GroupingRun | null {
  const index = openStore(outDir, 'groupingIndex', code, { retain: true, few: true }); // (a few hundred of ~120,000 rows read)
  if (!index.fromFile) return null;
  try {
    // The index and the shard memo were written by one run: the same articles (a count, not a read of each).
    const count = index.countUnder(A);
    if (count !== before) throw new StateError(`the grouping index holds ${count} articles, the shard memo ${before}`);
    // What changed: among the articles in the changed places, then and now, those whose line differs.
    const now = new Map(changed.map((a) => [a.id, currentOf(stages, a, docOf)]));
    const was = new Set(previous);
    const removed: Removed[] = [];
    for (const id of was) {
      const old = index.get(A + id);
      if (old === undefined) throw new StateError(`article ${id} is not in the grouping index`);
      if (now.get(id)?.line === old) continue;
      const [raw, , day] = JSON.parse(old) as [string, number, number | null];
      removed.push({ id, raw, day });
    }
    const added: CurrentArticle[] = [];
    for (const a of now.values()) {
      const old = index.get(A + a.id);
      // An id held elsewhere in the archive: settled per shard, so only a full run can tell them apart.
      if (old !== undefined && !was.has(a.id)) throw new StateError(`article ${a.id} is also in an unchanged shard`);
      if (old !== a.line) added.push(a);
    }
    return incremental(stages, outDir, code, index, { added, removed }, (kept, keptSketches) => currentAround(stages, index, kept, added, removed, docOf, docByKey, articleOf, keptSketches), options);
  } catch (err) {
    if (!(err instanceof StateError)) throw err;
    return null;
  }
}

/**
 * The current articles as regroup reads them (by day, by folder), from the
 * kept parts' records with the change laid over: what the kept records name
 * and was not removed, plus what was added. Only the parts regroup asks for
 * are read (the part cache of `incremental`).
 */
function currentAround(
  stages: Stages,
  index: LogStore,
  kept: KeptState,
  added: readonly CurrentArticle[],
  removed: readonly Removed[],
  docOf: ClusterDocOf,
  docByKey: (key: string) => ClusterDoc | undefined,
  articleOf: (id: string) => Article,
  keptSketches: (day: number) => Array<[string, string]> | undefined,
): CurrentSet {
  const gone = new Set(removed.map((r) => r.id));
  const addedDated = added.filter((a) => a.day !== null);
  const addedUndated = undatedByFolder(stages, added);
  const known = new Map<string, CurrentArticle>();
  const keptArticle = (id: string): CurrentArticle => {
    let got = known.get(id);
    if (got) return got;
    const line = index.get(A + id);
    if (line === undefined) throw new StateError(`article ${id} of a kept part is not in the grouping index`);
    const [raw, part, day, source, title, dk] = JSON.parse(line) as [string, number, number | null, string, string, string];
    let item: StoryItem | undefined;
    // Its words are read when first asked for: a folder placed again reads those of the few articles it scores.
    const make = (): StoryItem => {
      let doc: ClusterDoc | undefined;
      return {
        id,
        raw,
        part,
        title,
        source,
        day,
        get doc() {
          return (doc ??= docByKey(dk) ?? docOf(articleOf(id)));
        },
      };
    };
    known.set(id, (got = { id, raw, part, day, line, item: () => (item ??= make()) }));
    return got;
  };
  /** A kept article's sketch, decoded once. */
  const decoded = new Map<string, Uint32Array>();
  /** A kept day's sketches as text, by id (without the removed articles), read once. */
  const keptDays = new Map<number, Map<string, string>>();
  const textsOf = (d: number) => {
    let texts = keptDays.get(d);
    if (!texts) {
      keptDays.set(d, (texts = new Map()));
      for (const [id, text] of keptSketches(d) ?? []) if (!gone.has(id)) texts.set(id, text);
    }
    return texts;
  };
  // Month keys sort as their days do; a range past any real date (regroup's "every dated day") reads every month.
  const monthAt = (day: number, past: string) => (Math.abs(day) > 1e6 ? past : stages.monthOf(day));
  const dated = (from: number, to: number): StoryItem[] => {
    const lo = monthAt(from, '');
    const hi = monthAt(to, '\uffff');
    const out: CurrentArticle[] = [];
    for (const k of kept.monthKeys()) {
      if (k < lo || k > hi) continue;
      for (const r of kept.month(k)?.records ?? []) if (r.day! >= from && r.day! <= to && !gone.has(r.id)) out.push(keptArticle(r.id));
    }
    for (const a of addedDated) if (a.day! >= from && a.day! <= to) out.push(a);
    return out.sort(byDayPath).map((a) => a.item());
  };
  return {
    dated,
    bucket(key) {
      const out: CurrentArticle[] = [];
      for (const r of kept.bucket(key)?.records ?? []) if (!gone.has(r.id)) out.push(keptArticle(r.id));
      for (const a of addedUndated.get(key) ?? []) out.push(a);
      return out.sort(byPath).map((a) => a.item());
    },
    sketches(from, to) {
      // A range past any real date (a folder without a date reads every day): every article's words.
      if (to - from > 1000) return new Map(dated(from, to).map((it) => [it.id, it.doc.sketch]));
      // The kept days' sketches as text, each day's read when one of its articles is first asked for
      // (shared by the dated pass and the folders: their ranges overlap), each decoded when asked
      // for; new and rewritten articles as they are now.
      const now = new Map<string, CurrentArticle>();
      for (const a of addedDated) if (a.day! >= from && a.day! <= to) now.set(a.id, a);
      return {
        get(id, day) {
          const a = now.get(id);
          if (a) return a.item().doc.sketch;
          // A kept article's sketch is kept with its day's records: with its day known, that day's alone is read.
          let text: string | undefined;
          if (day != null) text = day >= from && day <= to ? textsOf(day).get(id) : undefined;
          else for (let d = from; d <= to && text === undefined; d++) text = textsOf(d).get(id);
          if (text === undefined) return undefined;
          let sketch = decoded.get(id);
          if (!sketch) decoded.set(id, (sketch = sketchOfText(text)));
          return sketch;
        },
      };
    },
  };
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
  // The dated articles' sketches, kept (as text) until the month parts are written beside their records.
  let sketches: Map<string, string> | null = outDir ? new Map() : null;
  let state: GroupingState | null = stages.groupCold(
    articles.map((a) => {
      const item = stages.itemOf(a, docOf(a));
      if (sketches && item.day !== null) sketches.set(item.id, sketchText(item.doc.sketch));
      return item;
    }),
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
      for (const [key, month] of Object.entries(state.months)) index.put(P + key, await writeMonth(outDir, code, key, month, (id) => sketches?.get(id)));
      for (const [key, bucket] of Object.entries(state.buckets)) index.put(P + key, await writeBucket(outDir, code, key, bucket));
      await index.save();
      state = null;
      sketches = null;
    },
  };
}

/** What changed since the index: articles new or rewritten (with their lines now), and gone or rewritten (as the index had them). */
interface Changes {
  added: CurrentArticle[];
  removed: Removed[];
}

/** An article the index had, gone or rewritten: where it sat. */
type Removed = Change['removed'][number];

/** The change, from every current article: each compared with its line in the index (the full path's way). */
function changeOf(index: LogStore, articles: readonly CurrentArticle[]): Changes {
  const added: CurrentArticle[] = [];
  const removed: Removed[] = [];
  const lines = new Map(articles.map((a) => [a.id, a.line]));
  for (const key of index.keys()) {
    if (!key.startsWith(A)) continue;
    const id = key.slice(A.length);
    const old = index.get(key)!;
    if (lines.get(id) === old) continue;
    const [raw, , day] = JSON.parse(old) as [string, number, number | null];
    removed.push({ id, raw, day });
  }
  for (const a of articles) if (index.get(A + a.id) !== a.line) added.push(a);
  return { added, removed };
}

/** The undated articles of `articles` by the folder (bucket key) that places them, in the order given. */
function undatedByFolder(stages: Stages, articles: readonly CurrentArticle[]): Map<string, CurrentArticle[]> {
  const out = new Map<string, CurrentArticle[]>();
  for (const a of articles) {
    if (a.day !== null) continue;
    const key = stages.bucketOf(a.raw).key;
    const list = out.get(key);
    if (list) list.push(a);
    else out.set(key, [a]);
  }
  return out;
}

/** The current set from every current article, held in memory (the full path has them all). */
function currentOfAll(stages: Stages, articles: readonly CurrentArticle[]): CurrentSet {
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
  const undated = undatedByFolder(stages, articles);
  for (const list of undated.values()) list.sort(byPath);
  return {
    dated: (from: number, to: number) => dated.slice(lowerBound(from), lowerBound(to + 1)).map(itemOf),
    bucket: (key: string) => (undated.get(key) ?? []).map(itemOf),
  };
}

function incremental(
  stages: Stages,
  outDir: string,
  code: string,
  index: LogStore,
  changes: Changes,
  /** The articles after the change, read through the kept state (regroup asks by day and by folder) and its days' sketches. */
  currentFrom: (kept: KeptState, keptSketches: (day: number) => Array<[string, string]> | undefined) => CurrentSet,
  options: Partial<StoryOptions>,
): GroupingRun {
  const added = changes.added.map((a) => ({ id: a.id, raw: a.raw, day: a.day }));
  const removed = changes.removed;
  const storyKeys = () => [...index.keysUnder(S)].sort();
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
  const partKeys = [...index.keysUnder(P)].map((k) => k.slice(P.length));
  const partKeySet = new Set(partKeys);
  const kept: KeptState = {
    month: (key) => part(key).state as MonthState | undefined,
    bucket: (key) => part(key).state as BucketState | undefined,
    storyParts: (id) => {
      const text = index.get(S + id);
      return text === undefined ? undefined : (JSON.parse(text) as StoryEntry).parts;
    },
    monthKeys: () => partKeys.filter((k) => !isBucket(k)).sort(),
    bucketKeys: () => partKeys.filter(isBucket).sort(),
    dayRecords: (day) => {
      const key = stages.monthOf(day);
      if (!partKeySet.has(key)) return [];
      return (part(key).state as KeptMonth | undefined)?.day(stages.dayString(day)) ?? [];
    },
    dayCount: (day) => {
      const key = stages.monthOf(day);
      if (!partKeySet.has(key)) return null;
      return (part(key).state as KeptMonth | undefined)?.count(stages.dayString(day)) ?? null;
    },
    dayTable: (day, terms) => {
      const key = stages.monthOf(day);
      if (!partKeySet.has(key)) return undefined;
      return (part(key).state as KeptMonth | undefined)?.table(stages.dayString(day), terms);
    },
  };
  /** A kept day's sketches, undefined when the day has no dated articles. */
  const keptSketches = (day: number): Array<[string, string]> | undefined => {
    const key = stages.monthOf(day);
    if (!partKeySet.has(key)) return undefined;
    const store = part(key).store;
    const date = stages.dayString(day);
    const text = store.get(`s:${date}`);
    if (text !== undefined) return JSON.parse(text) as Array<[string, string]>;
    if (store.has(`r:${date}`)) throw new StateError(`grouping part ${key} holds no sketches for ${date}; grouped from scratch`);
    return undefined;
  };
  const current = currentFrom(kept, keptSketches);
  const result = stages.regroup(kept, current, { added, removed }, options);
  // The recomputed days' sketches, written beside their records.
  let recomputedSketches: Map<string, string> | null = null;
  const sketchOfRecomputed = (id: string) => {
    if (!recomputedSketches) {
      recomputedSketches = new Map();
      const days = result.recomputed.days;
      if (days) for (const it of current.dated(stages.dayOf(days[0])!, stages.dayOf(days[1])!)) recomputedSketches.set(it.id, sketchText(it.doc.sketch));
    }
    return recomputedSketches.get(id);
  };

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
  // Touched: the stories whose output (index entry) changed, not all with a changed record (81 at 100,000 articles, one changed); copiesDelta: their republications now less then.
  const changed: string[] = [];
  let copiesDelta = 0;
  for (const id of result.touched) {
    const [entry, old] = [entries.get(id), index.get(S + id)];
    const text = entry && JSON.stringify(entry);
    if (old === text) continue;
    changed.push(id);
    if (old !== undefined) for (const [, asg] of (JSON.parse(old) as StoryEntry).assignments) if (asg.copyOf) copiesDelta--;
    for (const [, asg] of entry?.assignments ?? []) if (asg.copyOf) copiesDelta++;
    if (text !== undefined) index.put(S + id, text);
    else index.delete(S + id);
  }
  for (const r of removed) index.delete(A + r.id);
  for (const a of changes.added) index.put(A + a.id, a.line);
  let done = false;
  return withLazyGrouping({
    mode: 'regroup',
    reason: null,
    touched: changed.length,
    touchedIds: changed,
    copiesDelta,
    recomputed: result.recomputed,
    partsRead: parts.size,
    async save() {
      if (done) return;
      done = true;
      for (const [key, month] of Object.entries(result.months)) {
        if (month) index.put(P + key, await writeMonth(outDir, code, key, month, sketchOfRecomputed, part(key).store, result.recomputed.days));
        else {
          await clearPart(part(key).store);
          index.delete(P + key);
        }
      }
      for (const [key, bucket] of Object.entries(result.buckets)) {
        if (bucket) index.put(P + key, await writeBucket(outDir, code, key, bucket, part(key).store, part(key).state as BucketState | undefined));
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

/**
 * A month part as regroup reads it: its records, parsed on first use, and its days' document
 * frequencies, each parsed when asked for (the trailing window's walk reads only counts, and a
 * month's records are ~25 MB at 100,000 articles).
 */
/** A kept month: its records whole (`records`) or one day's (`day`), each day's parsed once and shared by both. */
interface KeptMonth extends MonthState {
  day(date: string): PlacementRecord[];
  /** The article count of a day's table (c[0]), null without one: regroup.ts KeptState.dayCount. */
  count(date: string): number | null;
  /** A day's table restricted to `terms`: regroup.ts KeptState.dayTable. */
  table(date: string, terms: ReadonlySet<string>): MonthState['df'][string] | undefined;
}

/** FNV-1a over UTF-16 code units: how `restrictTable` finds a table's terms among those asked for without making a string of each. */
function termHash(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
  return h >>> 0;
}

/**
 * The terms of a set by hash, open addressing (made once per set): `slots` holds 1 + a term's index
 * in `terms`, 0 for none, from the slot its hash picks on (a Map keyed by such hashes boxes each).
 */
interface HashedTerms {
  terms: string[];
  slots: Int32Array;
  mask: number;
}
const termsByHash = new WeakMap<ReadonlySet<string>, HashedTerms>();
function hashedTerms(set: ReadonlySet<string>): HashedTerms {
  let out = termsByHash.get(set);
  if (out) return out;
  const terms = [...set];
  let size = 16;
  while (size < terms.length * 4) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  terms.forEach((t, k) => {
    let at = termHash(t, 0, t.length) & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = k + 1;
  });
  termsByHash.set(set, (out = { terms, slots, mask }));
  return out;
}

const TABLE_HEAD = '{"t":[';
const TABLE_COUNTS = '],"c":[';

/**
 * A day table's entry (the JSON text of { t, c }) restricted to '' (first) and the terms of `terms`,
 * in its order, with their counts: the text is scanned, and only the terms asked for become strings
 * (a term JSON escaped is decoded and looked up as it is). Null when the text is not as the writer
 * makes it (the caller then parses it whole). The counts come last and are numbers alone, so the last
 * TABLE_COUNTS is where they start.
 */
export function restrictTable(text: string, terms: ReadonlySet<string>): MonthState['df'][string] | null {
  if (!text.startsWith(TABLE_HEAD) || !text.endsWith(']}')) return null;
  const end = text.lastIndexOf(TABLE_COUNTS);
  if (end < TABLE_HEAD.length) return null;
  const { terms: list, slots, mask } = hashedTerms(terms);
  const t: string[] = [];
  const at: number[] = [];
  let k = 0;
  let i = TABLE_HEAD.length;
  while (i < end) {
    if (text.charCodeAt(i) !== 34) return null;
    let j = i + 1;
    let escaped = false;
    // (hashed as it is scanned: termHash of its characters when none is escaped)
    let h = 0x811c9dc5;
    for (;;) {
      const ch = text.charCodeAt(j);
      if (ch === 34) break;
      if (ch === 92) {
        escaped = true;
        j += 2;
      } else {
        h = Math.imul(h ^ ch, 16777619);
        j++;
      }
      if (j >= end) return null;
    }
    let term: string | undefined;
    if (escaped) {
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      if (terms.has(s)) term = s;
    } else {
      const length = j - i - 1;
      for (let at = (h >>> 0) & mask; slots[at] !== 0; at = (at + 1) & mask) {
        const x = list[slots[at] - 1];
        if (x.length === length && text.startsWith(x, i + 1)) {
          term = x;
          break;
        }
      }
    }
    if (k === 0 && (escaped || j !== i + 1)) return null;
    if (k === 0 || term !== undefined) {
      t.push(k === 0 ? '' : term!);
      at.push(k);
    }
    k++;
    i = j + 1;
    if (i < end) {
      if (text.charCodeAt(i) !== 44) return null;
      i++;
    }
  }
  const counts = JSON.parse(text.slice(end + TABLE_COUNTS.length - 1, text.length - 1)) as number[];
  if (counts.length !== k) return null;
  return { t, c: at.map((x) => counts[x]) };
}

function readMonth(store: Store): KeptMonth {
  const keys = [...store.keys()].sort();
  let records: PlacementRecord[] | undefined;
  const days = new Map<string, PlacementRecord[]>();
  const day = (date: string): PlacementRecord[] => {
    let list = days.get(date);
    if (!list) {
      const text = store.get(`r:${date}`);
      days.set(date, (list = text === undefined ? [] : (JSON.parse(text) as PlacementRecord[])));
    }
    return list;
  };
  /** The days' tables parsed, and their texts read but not parsed (an article count or a restricted table asked for). */
  const tables = new Map<string, MonthState['df'][string]>();
  const texts = new Map<string, string>();
  const textOf = (date: string): string | undefined => {
    let text = texts.get(date);
    if (text === undefined) {
      text = store.get(`d:${date}`);
      if (text !== undefined) texts.set(date, text);
    }
    return text;
  };
  const table = (date: string): MonthState['df'][string] => {
    let value = tables.get(date);
    if (!value) {
      tables.set(date, (value = JSON.parse(textOf(date)!) as MonthState['df'][string]));
      texts.delete(date);
    }
    return value;
  };
  const df: MonthState['df'] = {};
  for (const key of keys) {
    if (!key.startsWith('d:')) continue;
    const day = key.slice(2);
    // (parsed once, though regroup may carry this accessor over to the month it writes)
    Object.defineProperty(df, day, {
      enumerable: true,
      configurable: true,
      get() {
        const value = table(day);
        Object.defineProperty(df, day, { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
    });
  }
  return {
    count(date) {
      const parsed = tables.get(date);
      if (parsed) return parsed.c[0];
      const text = textOf(date);
      if (text === undefined) return null;
      const at = text.lastIndexOf(TABLE_COUNTS);
      // The first count: digits up to the next comma or bracket (else the table is parsed).
      const first = at < 0 ? '' : (/^\d+(?=[,\]])/.exec(text.slice(at + TABLE_COUNTS.length, at + TABLE_COUNTS.length + 24))?.[0] ?? '');
      return first ? Number(first) : table(date).c[0];
    },
    table(date, terms) {
      const parsed = tables.get(date);
      const text = parsed ? undefined : textOf(date);
      if (!parsed && text === undefined) return undefined;
      if (text !== undefined) {
        const restricted = restrictTable(text, terms);
        if (restricted) return restricted;
      }
      const whole = table(date);
      const t: string[] = [];
      const c: number[] = [];
      whole.t.forEach((term, k) => {
        if (k === 0 || terms.has(term)) {
          t.push(term);
          c.push(whole.c[k]);
        }
      });
      return { t, c };
    },
    get records() {
      if (!records) {
        records = [];
        for (const key of keys) if (key.startsWith('r:')) for (const r of day(key.slice(2))) records.push(r);
      }
      return records;
    },
    df,
    day,
  };
}

function readBucket(store: Store): BucketState {
  const records = [...store.keys()].filter((k) => k.startsWith('b:')).map((k) => JSON.parse(store.get(k)!) as PlacementRecord);
  // Raw-path order, as placeBucket leaves them.
  records.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part));
  return { records };
}

/**
 * Writes a month, one entry per day (only the days that changed are appended); returns the part's stamp.
 * `days`: only those days (YYYY-MM-DD, inclusive) can differ from the part as kept (regroup recomputed
 * them): the others are neither serialised nor compared (a month at 100,000 articles is ~25 MB of records).
 */
async function writeMonth(
  outDir: string,
  code: string,
  key: string,
  month: MonthState,
  /** The copy sketch (as text) of an article of the days written. */
  sketchOf: (id: string) => string | undefined,
  open?: LogStore,
  days?: [string, string] | null,
): Promise<string> {
  const store = open ?? openPart(outDir, 'grouping', key, code);
  const inRange = (day: string) => !days || (day >= days[0] && day <= days[1]);
  const byDay = new Map<string, PlacementRecord[]>();
  for (const r of month.records) {
    const day = new Date(r.day! * 86_400_000).toISOString().slice(0, 10);
    if (!inRange(day)) continue;
    const list = byDay.get(day);
    if (list) list.push(r);
    else byDay.set(day, [r]);
  }
  const keep = new Set<string>();
  const put = (k: string, text: string) => {
    keep.add(k);
    store.put(k, text);
  };
  for (const [day, records] of byDay) {
    put(`r:${day}`, JSON.stringify(records));
    put(
      `s:${day}`,
      JSON.stringify(
        records.map((r) => {
          const text = sketchOf(r.id);
          if (text === undefined) throw new Error(`grouping: no copy sketch for ${r.id}`);
          return [r.id, text];
        }),
      ),
    );
  }
  for (const day of Object.keys(month.df)) if (inRange(day)) put(`d:${day}`, JSON.stringify(month.df[day]));
  for (const k of [...store.keys()]) if (!keep.has(k) && inRange(k.slice(2))) store.delete(k);
  return saved(store);
}

/**
 * Writes a folder, one entry per article; returns the part's stamp. `kept`: the folder as read from
 * `open`: a record that is one of its objects (an article placeBucket kept: records are never changed
 * once placed) is the text its entry holds, so it is neither serialised nor compared (~1,100 of a
 * month folder's ~1,200 articles in a latest-day drop-in at 100,000 articles).
 */
async function writeBucket(outDir: string, code: string, key: string, bucket: BucketState, open?: LogStore, kept?: BucketState): Promise<string> {
  const store = open ?? openPart(outDir, 'grouping', key, code);
  const unchanged = new Set(open ? kept?.records : undefined);
  const keep = new Set<string>();
  for (const r of bucket.records) {
    const k = `b:${r.raw}\0${r.part}`;
    keep.add(k);
    if (unchanged.has(r) && store.has(k)) continue;
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
