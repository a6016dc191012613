/**
 * The windowed grouping, incremental: from what the previous run kept and the
 * articles that changed, the state a cold run of the new set gives
 * (group.ts), recomputing only the neighbourhood of the change.
 *
 * Dated articles: the dated pass restarts on the earliest changed day t0 from
 * the kept records of the N days before it (and the kept document
 * frequencies of the W days before it, and the copy sketches of the C days
 * before it: the only inputs of a placement, dated.ts), and runs day by day
 * until it has settled: past the last day whose weights the change can move
 * (the last changed day + W) and with the last N days' records identical to
 * the kept ones (the same stories with the same articles in view: nothing
 * later can differ). A drop-in on the latest day recomputes that day; a late
 * article, from its day until then (about W days).
 *
 * Undated folders are recomputed when their own articles changed or when the
 * dated days they read (undated.ts: bucketReach) were recomputed. A folder
 * recomputed only for the second reason (its articles and the document
 * frequencies before it as they were) keeps its articles' vectors and keys from
 * its records: only their placement is run again.
 *
 * The kept state is read part by part (KeptState), and the current set of
 * articles day by day (CurrentSet), so the caller loads only what is read.
 */
import { bucketOf, chronological, dayOf, dayString, monthOf, type StoryItem } from './items.ts';
import type { StoryOptions } from './options.ts';
import type { BucketState, GroupingState, MonthState, PlacementRecord, Sketches } from './state.ts';
export type { Sketches } from './state.ts';
import { DatedPass, windowStart, type DayDf } from './dated.ts';
import { bucketInput, dfFromState, dfToState, storyOptions } from './group.ts';
import { bucketReach, placeBucket } from './undated.ts';
import { Vocab } from './score.ts';

/** The previous run's state, read part by part. */
export interface KeptState {
  month(key: string): MonthState | undefined;
  bucket(key: string): BucketState | undefined;
  storyParts(id: string): string[] | undefined;
  /** Every month key, sorted. */
  monthKeys(): string[];
  bucketKeys(): string[];
  /**
   * The kept records of one day (in the month's order), read alone: optional, else the month's
   * records are read whole. A drop-in on the 1st reads a week of the month before, not all of it.
   */
  dayRecords?(day: number): PlacementRecord[];
  /**
   * The article count of a kept day (its table's c[0]), null when it has no table, read without the
   * table: optional, else the table is read.
   */
  dayCount?(day: number): number | null;
  /**
   * A kept day's table (DayDf) holding only '' and the terms of `terms` it holds, in its order, with
   * their counts, read without the rest of it; undefined when the day has none. Optional: a pass of
   * one day (a latest-day drop-in) reads the counts of that day's articles' terms alone (dated.ts
   * features), and at 100,000 articles the window's ~31 tables hold ~300,000 terms.
   */
  dayTable?(day: number, terms: ReadonlySet<string>): { t: string[]; c: number[] } | undefined;
}

/** The current set of articles (after the change), read by day and by folder. */
export interface CurrentSet {
  /** Dated articles with a day in [from, to]. */
  dated(from: number, to: number): StoryItem[];
  /** Undated articles of a folder (bucket key). */
  bucket(key: string): StoryItem[];
  /**
   * The copy sketches of the dated articles with a day in [from, to], by id: what the dated pass
   * and a folder read of those days besides their records. Optional: without it they are taken
   * from `dated` (every article's words, where the caller may keep the sketches alone).
   */
  sketches?(from: number, to: number): Sketches;
}

/** The copy sketches of the current dated articles of [from, to], by id. */
function sketchesOf(current: CurrentSet, from: number, to: number): Sketches {
  return current.sketches ? current.sketches(from, to) : new Map(current.dated(from, to).map((it) => [it.id, it.doc.sketch]));
}

export interface Change {
  /**
   * New and rewritten articles (a rewritten one is also in `removed`, with its
   * old day and path): only where they sit in time is read here, their words
   * come from `current` (a cold run names every article without holding every
   * article's words).
   */
  added: ReadonlyArray<Pick<StoryItem, 'id' | 'raw' | 'day'>>;
  removed: ReadonlyArray<{ id: string; raw: string; day: number | null }>;
}

export interface RegroupResult {
  /** Replaced parts; null = the part is now empty. */
  months: Record<string, MonthState | null>;
  buckets: Record<string, BucketState | null>;
  stories: Record<string, string[] | null>;
  /** Stories whose members, scores or reasons may have changed (including ones that are gone). */
  touched: string[];
  /** What was recomputed: the dated days, the folders, and how many articles were placed (an undated one that kept its record is not). */
  recomputed: { days: [string, string] | null; buckets: string[]; placed: number };
}

export function keptStateOf(state: GroupingState): KeptState {
  return {
    month: (k) => state.months[k],
    bucket: (k) => state.buckets[k],
    storyParts: (id) => state.stories[id],
    monthKeys: () => Object.keys(state.months).sort(),
    bucketKeys: () => Object.keys(state.buckets).sort(),
  };
}

/** A new state: `state` with the result's parts replaced (the parts not replaced are shared). */
export function applyRegroup(state: GroupingState, result: RegroupResult): GroupingState {
  const months = { ...state.months };
  const buckets = { ...state.buckets };
  const stories = { ...state.stories };
  for (const [k, m] of Object.entries(result.months)) if (m) months[k] = m; else delete months[k];
  for (const [k, b] of Object.entries(result.buckets)) if (b) buckets[k] = b; else delete buckets[k];
  for (const [k, s] of Object.entries(result.stories)) if (s) stories[k] = s; else delete stories[k];
  return { version: state.version, months, buckets, stories };
}

const same = (a: PlacementRecord[], b: PlacementRecord[]) => a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

/** The last day of month `k` (YYYY-MM). */
function monthEnd(k: string): number {
  const [y, m] = k.split('-').map(Number);
  return Math.floor(Date.UTC(y, m, 0) / 86_400_000);
}

function monthsBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let m = monthOf(from); m <= monthOf(to); ) {
    out.push(m);
    const [y, mo] = m.split('-').map(Number);
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  return out;
}

export function regroup(kept: KeptState, current: CurrentSet, change: Change, options: Partial<StoryOptions> = {}): RegroupResult {
  const opts = storyOptions(options);
  const N = opts.joinWindowDays;
  const C = opts.copyWindowDays;
  const result: RegroupResult = { months: {}, buckets: {}, stories: {}, touched: [], recomputed: { days: null, buckets: [], placed: 0 } };

  // Months as they are now: kept ones, with the recomputed days laid over.
  const newMonths = new Map<string, MonthState | null>();
  const monthNow = (k: string) => (newMonths.has(k) ? newMonths.get(k) ?? undefined : kept.month(k));
  const recordsBetween = (from: number, to: number, read: (k: string) => MonthState | undefined) => {
    const out: PlacementRecord[] = [];
    for (const k of monthsBetween(from, to)) {
      // A kept month (not recomputed here) read day by day when only part of it is asked for.
      if (kept.dayRecords && !newMonths.has(k) && (from > dayOf(`${k}-01`)! || to < monthEnd(k))) {
        for (let d = Math.max(from, dayOf(`${k}-01`)!); d <= Math.min(to, monthEnd(k)); d++) for (const r of kept.dayRecords(d)) out.push(r);
      } else for (const r of read(k)?.records ?? []) if (r.day! >= from && r.day! <= to) out.push(r);
    }
    return out;
  };
  const dfOf = (day: number, read: (k: string) => MonthState | undefined) => {
    const df = read(monthOf(day))?.df[dayString(day)];
    return df ? dfFromState(df) : undefined;
  };

  const countOf = (read: (k: string) => MonthState | undefined) => (day: number) => read(monthOf(day))?.df[dayString(day)]?.c[0] ?? null;
  const firstMonth = kept.monthKeys()[0];
  const earliest = Math.min(firstMonth ? dayOf(`${firstMonth}-01`)! : Infinity, ...change.added.map((a) => a.day ?? Infinity));

  const changedDays = [...change.added.map((a) => a.day), ...change.removed.map((r) => r.day)].filter((d): d is number => d !== null);
  // Stories with an article whose record changed (added, removed, moved, rescored): their output is what changed.
  const touchedStories = new Set<string>();
  const diff = (old: readonly PlacementRecord[], now: readonly PlacementRecord[]) => {
    const before = new Map(old.map((r) => [r.id, r]));
    for (const r of now) {
      const o = before.get(r.id);
      before.delete(r.id);
      // (a folder's article that kept its record hands back the kept object itself)
      if (o && (o === r || JSON.stringify(o) === JSON.stringify(r))) continue;
      touchedStories.add(r.story);
      if (o) touchedStories.add(o.story);
    }
    for (const o of before.values()) touchedStories.add(o.story);
  };
  let region: [number, number] | null = null;
  // One vocabulary for the dated pass and the folders, as in a cold run (group.ts): the days' tables
  // and the records' members interned for the pass are reused by the folders that read them.
  const vocab = new Vocab();
  /** Recomputed days whose records differ from the kept ones: what a folder reading those days sees change. */
  const differs: number[] = [];

  if (changedDays.length) {
    const t0 = Math.min(...changedDays);
    const tMax = Math.max(...changedDays);
    const monthKeys = kept.monthKeys();
    const keptLast = monthKeys.length ? Math.max(...(kept.month(monthKeys[monthKeys.length - 1])?.records ?? []).map((r) => r.day!)) : -Infinity;
    const lastDay = Math.max(keptLast, tMax);
    const pass = new DatedPass(opts, vocab);
    // The pass resumes from the trailing window of the last day before t0 (its weights, its calibration) and the N days in view.
    let before = t0 - 1;
    const keptCount = kept.dayCount ? (day: number) => kept.dayCount!(day) : countOf(kept.month);
    while (before >= earliest && keptCount(before) === null) before--;
    if (before >= earliest) {
      const from = Math.min(windowStart(before, keptCount, earliest, opts), t0 - N);
      // A pass of one day reads, of the window's document frequencies, those of the day's articles' terms
      // and entities alone (what `features` looks up; the window's sums of the other terms are never read).
      let terms: Set<string> | null = null;
      if (t0 === lastDay && kept.dayTable) {
        terms = new Set();
        for (const it of current.dated(t0, t0)) {
          for (const t of it.doc.terms) terms.add(t);
          for (const [key] of it.doc.entities) terms.add(`@${key}`);
        }
      }
      const dfs = new Map<number, DayDf>();
      for (let d = from; d < t0; d++) {
        const df = terms ? kept.dayTable!(d, terms) : dfOf(d, kept.month);
        if (df) dfs.set(d, df);
      }
      const sketches = sketchesOf(current, t0 - C, t0 - 1);
      // A pass of one day (a drop-in on the latest day) looks up that day's articles' hashes alone: only those are seeded.
      let looked: Set<number> | undefined;
      if (t0 === lastDay) {
        looked = new Set();
        for (const it of current.dated(t0, t0)) for (const h of it.doc.sketch) looked.add(h);
      }
      pass.seed(t0, recordsBetween(from, t0 - 1, kept.month), sketches, dfs, looked);
    }
    const byDay = new Map<number, { records: PlacementRecord[]; df: DayDf | null }>();
    let lastDiff = -Infinity;
    let lastSpreadDiff = -Infinity;
    let end = t0;
    for (let d = t0; d <= lastDay; d++) {
      const items = current.dated(d, d).sort(chronological);
      const old = recordsBetween(d, d, kept.month);
      const placed = items.length ? pass.runDay(d, items) : { records: [], df: null };
      result.recomputed.placed += items.length;
      byDay.set(d, placed);
      if (!same(old, placed.records)) {
        diff(old, placed.records);
        differs.push(d);
        lastDiff = d;
        const tally = (rs: PlacementRecord[]) => `${rs.length}:${rs.filter((r) => r.spread !== null).length}:${rs.filter((r) => r.spread === 1).length}`;
        if (tally(old) !== tally(placed.records)) lastSpreadDiff = d;
      }
      end = d;
      // Settled: the trailing window (weights, calibration) no longer holds a changed day or a changed tally,
      // and the stories in view of the next day are as kept: nothing later can differ.
      if (pass.windowStart > tMax && lastSpreadDiff < pass.windowStart && lastDiff < d + 1 - N) break;
    }
    region = [t0, end];
    result.recomputed.days = [dayString(t0), dayString(end)];
    for (const k of monthsBetween(t0, end)) {
      const old = kept.month(k);
      const records = (old?.records ?? []).filter((r) => r.day! < t0 || r.day! > end);
      const oldDf = old?.df ?? {};
      const recomputedDf = new Map<string, DayDf | null>();
      const inRegion: PlacementRecord[] = [];
      for (const [d, placed] of [...byDay].sort((a, b) => a[0] - b[0])) {
        if (monthOf(d) !== k) continue;
        inRegion.push(...placed.records);
        recomputedDf.set(dayString(d), placed.df ? dfToState(placed.df) : null);
      }
      // The kept days' tables are carried over as the kept month holds them, by day in order: a kept month
      // may read each table when it is first asked for (grouping-fs.ts), and a latest-day drop-in reads
      // few of them (the seed above); the writer writes the recomputed days' alone.
      const df: MonthState['df'] = {};
      for (const day of [...new Set([...Object.keys(oldDf), ...recomputedDf.keys()])].sort()) {
        if (!recomputedDf.has(day)) Object.defineProperty(df, day, Object.getOwnPropertyDescriptor(oldDf, day)!);
        else {
          const now = recomputedDf.get(day);
          if (now) df[day] = now;
        }
      }
      const before = records.filter((r) => r.day! < t0);
      const after = records.filter((r) => r.day! > end);
      const merged = [...before, ...inRegion, ...after];
      const month = merged.length ? { records: merged, df } : null;
      newMonths.set(k, month);
      result.months[k] = month;
    }
  }

  /**
   * Dated stories whose records differ from the kept ones, old ids and new (`diff` of the recomputed
   * days, before any folder's), and those holding a changed article, whose copy sketch may differ
   * though its record does not: what a folder recomputed for its reach alone sees change (unmoved.ts).
   */
  const changedDated = new Set(touchedStories);
  const changedIds = new Set([...change.added.map((a) => a.id), ...change.removed.map((r) => r.id)]);
  for (const d of changedDays) {
    for (const r of recordsBetween(d, d, monthNow)) if (changedIds.has(r.id)) changedDated.add(r.story);
    for (const r of recordsBetween(d, d, kept.month)) if (changedIds.has(r.id)) changedDated.add(r.story);
  }

  // Undated folders: their own articles changed, or the dated days they read were recomputed.
  const bucketKeys = new Set([...kept.bucketKeys(), ...change.added.filter((a) => a.day === null).map((a) => bucketOf(a.raw).key)]);
  const redo = new Set(change.added.filter((a) => a.day === null).map((a) => bucketOf(a.raw).key));
  for (const r of change.removed) if (r.day === null) redo.add(bucketOf(r.raw).key);
  /** Folders whose articles and weights are as kept (only dated days in their reach changed): their vectors are kept too. */
  const sameInputs = new Set<string>();
  if (region) {
    // A folder reads (group.ts bucketInput) the records of the dated days in its reach, the copy sketches
    // of the dated articles of the days in its sketch reach, and the document frequencies of the
    // trailing window before its first day. Records differ only on the days in `differs`; an article
    // (and so its sketch and its day's frequencies) only on the changed days. A folder whose inputs
    // hold none of those days places its articles as it did: it is not recomputed (late news
    // recomputes a month of dated days, but only the folders next to the days it changed).
    const a = region[0];
    const within = (days: readonly number[], x: [number, number]) => days.some((d) => d >= x[0] && d <= x[1]);
    for (const key of bucketKeys) {
      const bucket = bucketOf(key === 'u:' ? 'x' : `${key.slice(2)}/x`);
      const reach = bucketReach(bucket, opts);
      // Its weights: the trailing window of the day before its first, in the old state or the new.
      const df = (read: (k: string) => MonthState | undefined): [number, number] => [windowStart(bucket.from! - 1, countOf(read), earliest, opts), bucket.from! - 1];
      // Its weights' window ends the day before the folder: a folder before the region cannot meet it
      // (checked first, so the kept months before the region are not read to find the window's start).
      const dfMoved = () => {
        if (bucket.from! - 1 < a) return false;
        const [was, now] = [df(kept.month), df(monthNow)];
        return was[0] !== now[0] || within(changedDays, now);
      };
      // Its own articles changed: recomputed whole already.
      if (redo.has(key)) continue;
      if (!reach || dfMoved()) redo.add(key);
      else if (within(differs, reach.stories) || within(changedDays, reach.sketches)) {
        // Only dated days in its reach changed: its articles and weights are as kept.
        redo.add(key);
        sameInputs.add(key);
      }
    }
  }
  for (const key of [...redo].sort()) {
    const bucket = bucketOf(key === 'u:' ? 'x' : `${key.slice(2)}/x`);
    const items = current.bucket(key);
    const old = kept.bucket(key)?.records ?? [];
    result.recomputed.buckets.push(key);
    if (!items.length) {
      diff(old, []);
      result.buckets[key] = null;
      continue;
    }
    const reach = bucketReach(bucket, opts);
    let dated: PlacementRecord[];
    if (reach) dated = recordsBetween(reach.stories[0], reach.stories[1], monthNow);
    else {
      const keys = [...new Set([...kept.monthKeys(), ...newMonths.keys()])].sort();
      dated = keys.flatMap((k) => monthNow(k)?.records ?? []);
    }
    const [cFrom, cTo] = reach?.sketches ?? [-1e9, 1e9];
    const sketchOf = sketchesOf(current, cFrom, cTo);
    // The kept records stand for the folder's vectors when its articles and weights are as they were
    // (and were kept with their look-up keys): the document frequencies before it are then not read.
    const keptById = sameInputs.has(key) && old.length === items.length && old.every((r) => r.look) ? new Map(old.map((r) => [r.id, r])) : null;
    const useKept = !!keptById && items.every((it) => keptById.has(it.id));
    const input = bucketInput(bucket, items, dated, (id, day) => sketchOf.get(id, day), useKept ? () => undefined : (day) => dfOf(day, monthNow), earliest, opts);
    if (useKept) {
      input.kept = keptById!;
      // The dated records the kept ones were placed against: only the articles a changed story can reach are placed again.
      input.previous = { dated: recordsBetween(reach!.stories[0], reach!.stories[1], kept.month), changed: changedDated, rewritten: changedIds };
    }
    const records = placeBucket(input, opts, vocab);
    // (an article that kept its record is handed back as the kept object: it was not placed again)
    for (const r of records) if (keptById?.get(r.id) !== r) result.recomputed.placed++;
    diff(old, records);
    result.buckets[key] = { records };
  }

  // The story index, for every story that was or is in a recomputed part.
  const touched = [...touchedStories].sort();
  const partNow = (key: string) => (key.startsWith('u:') ? (key in result.buckets ? result.buckets[key] ?? undefined : kept.bucket(key)) : monthNow(key));
  const storiesIn = new Map<string, Set<string>>();
  const storiesOfPart = (key: string) => {
    let s = storiesIn.get(key);
    if (!s) storiesIn.set(key, (s = new Set((partNow(key)?.records ?? []).map((r) => r.story))));
    return s;
  };
  const recomputedParts = [...Object.keys(result.months), ...Object.keys(result.buckets)];
  for (const id of touched) {
    const parts = new Set(kept.storyParts(id) ?? []);
    for (const k of recomputedParts) parts.add(k);
    const now = [...parts].filter((k) => (kept.storyParts(id)?.includes(k) || recomputedParts.includes(k)) && storiesOfPart(k).has(id)).sort();
    result.stories[id] = now.length ? now : null;
  }
  result.touched = touched;
  return result;
}

export { dayOf };
