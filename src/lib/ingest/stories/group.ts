/**
 * The windowed grouping (#15), cold: a pure function of the set of articles.
 *
 *  1. Dated articles, day by day in date order (dated.ts): each joins the
 *     best story with an article in the N days before it, or founds one.
 *  2. Undated articles, folder by folder (undated.ts), against the stories
 *     near their folder's days.
 *
 * Arrival order never matters: the result depends only on the articles' days,
 * paths and text. A story's id comes from its founding article (its earliest
 * article in date order; an undated story's first by path), which stays the
 * founder as news arrives in date order. A late article dated before a
 * story's founder that joins the story becomes its founder, and the story's
 * id changes with it (the old id's articles now live under the new one): that
 * is what a cold build of the same files gives.
 *
 * The output is a GroupingState (state.ts), what the store keeps, from which
 * `resultOf` reads the assignments and stories; regroup.ts gives the same state
 * from the previous one and the changed articles.
 */
import type { Assignment } from '../types.ts';
import { bucketOf, chronological, dayString, monthOf, type StoryItem } from './items.ts';
import { defaultStoryOptions, type StoryOptions } from './options.ts';
import { emptyGroupingState, type GroupingState, type MonthState, type PlacementRecord } from './state.ts';
import { DatedPass, windowStart, type DayDf } from './dated.ts';
import { bucketReach, placeBucket } from './undated.ts';
import { Vocab } from './score.ts';

export function storyOptions(options: Partial<StoryOptions> = {}): StoryOptions {
  const opts = { ...defaultStoryOptions, ...options };
  if (opts.copyWindowDays > opts.joinWindowDays) throw new Error('copyWindowDays must not exceed joinWindowDays');
  return opts;
}

/** The state keeps a day's document frequencies as the pass makes them. */
export const dfToState = (df: DayDf): DayDf => df;
export const dfFromState = (df: DayDf): DayDf => df;

/** Groups `items` from nothing. */
export function groupCold(items: readonly StoryItem[], options: Partial<StoryOptions> = {}): GroupingState {
  const opts = storyOptions(options);
  const state = emptyGroupingState();
  const dated = items.filter((it) => it.day !== null).sort(chronological);
  const vocab = new Vocab();
  const pass = new DatedPass(opts, vocab);
  const dfs = new Map<number, DayDf>();
  for (let i = 0; i < dated.length; ) {
    const day = dated[i].day!;
    let j = i;
    while (j < dated.length && dated[j].day === day) j++;
    const { records, df } = pass.runDay(day, dated.slice(i, j));
    const month = (state.months[monthOf(day)] ??= { records: [], df: {} });
    month.records.push(...records);
    month.df[dayString(day)] = dfToState(df);
    dfs.set(day, df);
    i = j;
  }
  const undated = new Map<string, StoryItem[]>();
  for (const it of items) {
    if (it.day !== null) continue;
    const key = bucketOf(it.raw).key;
    if (!undated.has(key)) undated.set(key, []);
    undated.get(key)!.push(it);
  }
  const all = Object.keys(state.months)
    .sort()
    .flatMap((k) => state.months[k].records);
  const sketchOf = new Map(dated.map((it) => [it.id, it.doc.sketch]));
  for (const key of [...undated.keys()].sort()) {
    const bucket = bucketOf(undated.get(key)![0].raw);
    state.buckets[key] = { records: placeBucket(bucketInput(bucket, undated.get(key)!, all, (id) => sketchOf.get(id), (day) => dfs.get(day), all.length ? all[0].day : null, opts), opts, vocab) };
  }
  state.stories = storyParts(state);
  return state;
}

/** What placeBucket reads, from dated records (chronological), sketches and day DFs. */
export function bucketInput(
  bucket: ReturnType<typeof bucketOf>,
  items: readonly StoryItem[],
  dated: readonly PlacementRecord[],
  sketchOf: (id: string, day: number | null) => Uint32Array | undefined,
  dfOf: (day: number) => DayDf | undefined,
  /** The first day any dated article may have (where a window's walk back stops). */
  earliest: number | null,
  opts: StoryOptions,
): Parameters<typeof placeBucket>[0] {
  const reach = bucketReach(bucket, opts);
  const lastDay = dated.length ? dated[dated.length - 1].day! : null;
  const [sFrom, sTo] = reach?.stories ?? [-Infinity, Infinity];
  const [cFrom, cTo] = reach?.sketches ?? [-Infinity, Infinity];
  // Document frequencies: the trailing window of the day before the folder's first (of the latest dated day for 'u:').
  const dTo = bucket.from !== null ? bucket.from - 1 : lastDay;
  const dFrom = dTo === null ? 1 : windowStart(dTo, (d) => dfOf(d)?.c[0] ?? null, earliest ?? dTo, opts);
  const inReach = dated.filter((r) => r.day! >= sFrom && r.day! <= sTo);
  // The sketches of the records in the copy reach, each read when asked for (placeBucket reads those of its candidates).
  const copyReach = new Set<string>();
  for (const r of inReach) if (r.day! >= cFrom && r.day! <= cTo) copyReach.add(r.id);
  const sketches = { get: (id: string, day: number | null = null) => (copyReach.has(id) ? sketchOf(id, day) : undefined) };
  const dfs = new Map<number, DayDf>();
  for (let d = dFrom; dTo !== null && d <= dTo; d++) {
    const df = dfOf(d);
    if (df) dfs.set(d, df);
  }
  return { bucket, items, dated: inReach, sketches, dfs };
}

/** Story id -> the month and bucket keys holding its articles. */
export function storyParts(state: GroupingState): Record<string, string[]> {
  const parts = new Map<string, Set<string>>();
  const add = (story: string, key: string) => {
    if (!parts.has(story)) parts.set(story, new Set());
    parts.get(story)!.add(key);
  };
  for (const [key, m] of Object.entries(state.months)) for (const r of m.records) add(r.story, key);
  for (const [key, b] of Object.entries(state.buckets)) for (const r of b.records) add(r.story, key);
  return Object.fromEntries([...parts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, keys]) => [id, [...keys].sort()]));
}

/** One story as the digest receives it. */
export interface ClusteredStory {
  id: string;
  /** Article that founded the story. */
  founder: string;
  /** Members, in date order. */
  articles: string[];
  /**
   * Near-miss stories, strongest first: the best score any of its articles
   * gave the other story, and the entity names those articles share with it
   * (shared.ts; the digest keeps the ones it can type as people, places or
   * organisations).
   */
  related: Array<{ id: string; score: number; shared: string[] }>;
}

export interface GroupingResult {
  assignments: Map<string, Assignment>;
  stories: ClusteredStory[];
  /** Each article's date on the site (an undated one's from its story or folder). */
  dates: Map<string, string | null>;
}

/** What `resultOf` reads of a state: the story index and the parts it names. */
export interface StateParts {
  storyParts(id: string): string[] | undefined;
  month(key: string): { records: PlacementRecord[] } | undefined;
  bucket(key: string): { records: PlacementRecord[] } | undefined;
}

function partsOf(state: GroupingState | StateParts): StateParts {
  if (!('months' in state)) return state;
  return { storyParts: (id) => state.stories[id], month: (k) => state.months[k], bucket: (k) => state.buckets[k] };
}

/**
 * Assignments and stories of the given stories (all when `ids` is omitted),
 * from the state: each story's members are gathered from the parts the story
 * index names, so only those parts are read.
 */
export function resultOf(state: GroupingState | StateParts, options: Partial<StoryOptions> = {}, ids?: Iterable<string>): GroupingResult {
  const opts = storyOptions(options);
  if (!ids && !('months' in state)) throw new Error('resultOf: name the stories when the state is read part by part');
  const wanted = ids ? [...new Set(ids)].sort() : Object.keys((state as GroupingState).stories).sort();
  const parts = partsOf(state);
  const result: GroupingResult = { assignments: new Map(), stories: [], dates: new Map() };
  // Each part holding a wanted story is read once.
  const want = new Set(wanted);
  const keys = new Set<string>();
  for (const id of wanted) for (const key of parts.storyParts(id) ?? []) keys.add(key);
  const membersOf = new Map<string, PlacementRecord[]>();
  for (const key of [...keys].sort()) {
    const part = key.startsWith('u:') ? parts.bucket(key) : parts.month(key);
    for (const r of part?.records ?? []) {
      if (!want.has(r.story)) continue;
      const list = membersOf.get(r.story);
      if (list) list.push(r);
      else membersOf.set(r.story, [r]);
    }
  }
  for (const id of wanted) {
    const members = membersOf.get(id) ?? [];
    if (!members.length) continue;
    const story = storyOutput(id, members, opts);
    result.stories.push(story.story);
    for (const [aid, a] of story.assignments) result.assignments.set(aid, a);
    for (const r of members) result.dates.set(r.id, r.date);
  }
  return result;
}

/** Members in date order (undated by their assigned date, then path). */
function memberOrder(a: PlacementRecord, b: PlacementRecord): number {
  const da = a.day ?? (a.date ? Date.parse(a.date) / 86_400_000 : Infinity);
  const db = b.day ?? (b.date ? Date.parse(b.date) / 86_400_000 : Infinity);
  if (da !== db) return da - db;
  if ((a.day === null) !== (b.day === null)) return a.day === null ? 1 : -1;
  return a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part;
}

function storyOutput(id: string, members: PlacementRecord[], opts: StoryOptions): { story: ClusteredStory; assignments: Map<string, Assignment> } {
  members.sort(memberOrder);
  const centroid = new Map<string, number>();
  const ents = new Map<string, number>();
  for (const r of members) {
    if (r.copyOf !== null) continue;
    r.terms.forEach((t, k) => centroid.set(t, (centroid.get(t) ?? 0) + r.w[k]));
    r.ents.forEach((t, k) => ents.set(t, (ents.get(t) ?? 0) + r.ew[k]));
  }
  // Near misses: the best score any member gave the other story, and every name those members share with it.
  const related = new Map<string, { score: number; shared: Set<string> }>();
  const assignments = new Map<string, Assignment>();
  for (const r of members) {
    for (const [other, s, names] of r.near) {
      if (other === id) continue;
      const entry = related.get(other) ?? { score: 0, shared: new Set<string>() };
      entry.score = Math.max(entry.score, s);
      for (const name of names) entry.shared.add(name);
      related.set(other, entry);
    }
    assignments.set(r.id, { story: id, copyOf: r.copyOf, score: Math.round(r.score * 1000) / 1000, shared: members.length < 2 ? [] : explain(r, r.copyOf === null, centroid, ents, opts.whyTerms) });
  }
  const founder = members.find((r) => r.founder)?.id ?? members[0].id;
  return {
    story: {
      id,
      founder,
      articles: members.map((r) => r.id),
      related: [...related]
        .map(([rid, r]) => ({ id: rid, score: r.score, shared: [...r.shared].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) }))
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        // More than the page shows: the digest drops those sharing no person, organisation or place.
        .slice(0, RELATED_KEPT),
    },
    assignments,
  };
}

/** Entities then terms this article shares with the rest of its story, strongest first (as cluster.ts). */
function explain(r: PlacementRecord, inCentroid: boolean, centroid: Map<string, number>, ents: Map<string, number>, limit: number): string[] {
  const shared = (keys: string[], w: number[], sum: Map<string, number>) => {
    const out: Array<{ key: string; s: number; k: number }> = [];
    keys.forEach((key, k) => {
      const others = (sum.get(key) ?? 0) - (inCentroid ? w[k] : 0);
      if (others > 1e-9) out.push({ key, s: w[k] * others, k });
    });
    return out.sort((a, b) => b.s - a.s || (a.key < b.key ? -1 : 1));
  };
  const out = shared(r.ents, r.ew, ents)
    .slice(0, Math.ceil(limit / 2))
    .map((x) => r.names[x.k] ?? x.key);
  const named = new Set<string>();
  for (const label of out) for (const word of label.toLowerCase().split(/\s+/)) named.add(word);
  for (const x of shared(r.terms, r.w, centroid)) {
    if (out.length >= limit) break;
    if (named.has(x.key)) continue;
    out.push(x.key);
    for (const word of x.key.toLowerCase().split(/\s+/)) named.add(word);
  }
  return out;
}

/** Near misses handed to the digest per story (it keeps those sharing a name; the page shows three). */
const RELATED_KEPT = 6;

export type { MonthState };
