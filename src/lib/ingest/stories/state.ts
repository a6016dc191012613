/**
 * What the windowed grouping keeps between builds: plain, serialisable data,
 * one part per calendar month of dated articles and one per folder of undated
 * ones, so a drop-in reads the parts near its date and not the archive.
 *
 *  - `months['2025-07']`: the placement record of every dated article of that
 *    month (its story, score, near misses and the vectors it was scored with),
 *    in placement order, and the document frequencies of each of its days.
 *  - `buckets['u:2025-07']`: the records of the undated articles of that folder.
 *  - `stories`: story id -> the parts holding its articles (to gather a story
 *    whose articles lie outside the days a drop-in recomputes).
 *
 * Every number is kept as computed (JSON round-trips doubles exactly), so a
 * drop-in that restarts from a kept record scores exactly as the cold run did.
 */

import type { NearMiss } from './shared.ts';

export const GROUPING_STATE_VERSION = 2;

export interface PlacementRecord {
  id: string;
  raw: string;
  part: number;
  title: string;
  source: string;
  /** The article's own day (days since 1970-01-01), or null when undated. */
  day: number | null;
  /** Its date on the site: its own, else the story's, else its folder's (YYYY-MM-DD), else null. */
  date: string | null;
  story: string;
  /** It founded its story. */
  founder: boolean;
  copyOf: string | null;
  /** Score it joined with (full precision; cohesion reads it). 1 for a founder. */
  score: number;
  /** Its strongest match among the candidates' articles (cosine >= spreadMatch) was dated an earlier day (1), the same day (0), or none (null): what calibrates the date decay. */
  spread: 0 | 1 | null;
  /** Near-miss stories: [story id, rounded score, the entity names shared with it (shared.ts)], best first. */
  near: NearMiss[];
  /** Unit term vector: terms heaviest first, weights. */
  terms: string[];
  w: number[];
  /** Unit entity vector: entity keys, weights, names as written. */
  ents: string[];
  ew: number[];
  names: string[];
  /** Blocking keys it posts for its story: terms and '@'-prefixed entity keys. */
  keys: string[];
  /**
   * An undated article's: the keys it looked stories up by (score.ts `features` lookIds). With the
   * vectors and `keys` above, all that its folder's articles and the document frequencies before the
   * folder decide: kept so the folder can be placed again, when only the dated days in its reach
   * changed, without its articles' words (undated.ts `placeBucket`, input `kept`).
   */
  look?: string[];
}

/** The vectors and keys `features` (score.ts) gives an article. */
export type RecordVectors = Pick<PlacementRecord, 'terms' | 'w' | 'ents' | 'ew' | 'names' | 'keys'>;

/** An article's record as its placement starts (its own fields and vectors, in no story yet): dated.ts and undated.ts. */
export function startRecord(it: Pick<PlacementRecord, 'id' | 'raw' | 'part' | 'title' | 'source'>, day: number | null, date: string | null, vectors: RecordVectors): PlacementRecord {
  return { id: it.id, raw: it.raw, part: it.part, title: it.title, source: it.source, day, date, story: '', founder: false, copyOf: null, score: 1, spread: null, near: [], ...vectors };
}

export interface MonthState {
  /** Dated records of the month, in placement (chronological) order. */
  records: PlacementRecord[];
  /**
   * Day (YYYY-MM-DD) -> the terms ('@'-prefixed for entities) of that day's
   * dated articles and how many of them hold each; the term '' counts the articles.
   */
  df: Record<string, { t: string[]; c: number[] }>;
}

export interface BucketState {
  /** Undated records of the folder, in raw-path order. */
  records: PlacementRecord[];
}

export interface GroupingState {
  version: number;
  months: Record<string, MonthState>;
  buckets: Record<string, BucketState>;
  /** Story id -> the month and bucket keys holding its articles, sorted. */
  stories: Record<string, string[]>;
}

export function emptyGroupingState(): GroupingState {
  return { version: GROUPING_STATE_VERSION, months: {}, buckets: {}, stories: {} };
}

/** Keys in sorted order, so equal states serialise to equal text. */
export function normaliseState(state: GroupingState): GroupingState {
  const sortObj = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return {
    version: state.version,
    months: sortObj(Object.fromEntries(Object.entries(state.months).map(([k, m]) => [k, { records: m.records, df: sortObj(m.df) }]))),
    buckets: sortObj(state.buckets),
    stories: sortObj(state.stories),
  };
}

/**
 * Copy sketches by article id, read one by one: a folder's placement reads few of the ~12,000 of
 * the days in its reach at 100,000 articles, so the caller may decode each when it is asked for.
 */
export interface Sketches {
  /** `day`: the day of the article's record, when known (the caller may then read that day's sketches alone). */
  get(id: string, day?: number | null): Uint32Array | undefined;
}
