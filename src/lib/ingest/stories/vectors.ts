/**
 * The vectors clustering scores (cluster.ts): each article's TF-IDF vector
 * over its terms (global IDF blended with IDF within a window of days), its
 * IDF-weighted entity vector, and its blocking keys, over one vocabulary of
 * interned ids; and the sparse arithmetic on them. Typed arrays and plain
 * loops: this runs for every article of the archive on every build.
 */
import type { Article } from '../types.ts';
import type { ClusterOptions } from './cluster-options.ts';
import type { ClusterDoc } from './cluster-docs.ts';

const DAY_MS = 86_400_000;

/** Sparse vector over interned ids (see `vocab`): typed arrays keep 10,000 articles cheap to score. */
export interface Sparse {
  ids: Int32Array;
  w: Float64Array;
}
/** Sums of member vectors (a story's centroid), keyed by id. */
export type Sum = Map<number, number>;

export interface Features {
  /** Unit TF-IDF vector over terms, top terms only, heaviest first. */
  v: Sparse;
  /** Unit IDF-weighted vector over entity keys (ids of `@key` in the vocabulary). */
  e: Sparse;
  /** [entity key, name as written], each key once. */
  names: Array<[key: string, name: string]>;
  /** Blocking keys (vocabulary ids): rare, heavy terms and entities. */
  keys: number[];
  /** Day number, or null when undated. */
  day: number | null;
}

/** Adds `v` into `sum` in place and returns the new squared norm of `sum`. */
export function addInto(sum: Sum, v: Sparse, norm2: number): number {
  for (let k = 0; k < v.ids.length; k++) {
    const old = sum.get(v.ids[k]) ?? 0;
    const next = old + v.w[k];
    sum.set(v.ids[k], next);
    norm2 += next * next - old * old;
  }
  return norm2;
}

export function dot(a: Sparse, b: Sum): number {
  let s = 0;
  for (let k = 0; k < a.ids.length; k++) {
    const x = b.get(a.ids[k]);
    if (x !== undefined) s += a.w[k] * x;
  }
  return s;
}

/** Term and entity vectors over one vocabulary of interned ids (terms, and entity keys as `@key`). */
export function features(ordered: Article[], words: ClusterDoc[], opts: ClusterOptions): { feats: Features[]; vocab: string[] } {
  const vocab: string[] = [];
  const idOf = new Map<string, number>();
  const intern = (key: string) => {
    let id = idOf.get(key);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(key);
      idOf.set(key, id);
    }
    return id;
  };
  const docs = words.map((d) => ({
    uniq: d.terms.map(intern),
    tf: d.tf,
    entities: d.entities,
    ents: d.entities.map(([key]) => intern(`@${key}`)),
  }));

  const n = ordered.length;
  const df = new Int32Array(vocab.length);
  for (const d of docs) {
    for (const id of d.uniq) df[id]++;
    for (const id of d.ents) df[id]++;
  }
  // log(c + 1) for every count c: IDFs are differences of table entries, no per-term Math.log.
  const logs = logTable(n + 1);
  const idf = (count: number) => logs[n] - logs[count] + 1;
  const maxDf = Math.max(opts.blockingMaxDf * n, 20);
  const local = localWindow(ordered, docs, vocab.length, opts.localIdfDays);

  // Scratch for one article's term weights and for finding its cut (plain loops: this runs 10,000 times).
  let longest = 0;
  for (const d of docs) longest = Math.max(longest, d.uniq.length);
  const weightsOf = new Float64Array(longest);
  const sorted = new Float64Array(longest);
  const feats = docs.map((d, i) => {
    const uniq = d.uniq;
    const count = uniq.length;
    // Local document frequencies around this article's day (undated: none, the global IDF alone).
    const size = local ? local.enter(i) : -1;
    const weights = weightsOf.subarray(0, count);
    for (let k = 0; k < count; k++) {
      const g = idf(df[uniq[k]]);
      const w = size >= 0 ? (1 - opts.localIdfShare) * g + opts.localIdfShare * (logs[size] - logs[local!.counts[uniq[k]]] + 1) : g;
      weights[k] = (1 + Math.log(d.tf[k])) * w;
    }
    // Only the top `vectorTerms` are kept: find the cut with a native numeric sort, then order the few kept.
    let cut = -Infinity;
    if (count > opts.vectorTerms) {
      const copy = sorted.subarray(0, count);
      copy.set(weights);
      cut = copy.sort()[count - opts.vectorTerms];
    }
    const top: number[] = [];
    for (let k = 0; k < count; k++) if (weights[k] >= cut) top.push(k);
    // Heaviest first; ties alphabetical so truncation is deterministic.
    top.sort((a, b) => weights[b] - weights[a] || (vocab[uniq[a]] < vocab[uniq[b]] ? -1 : 1));
    top.length = Math.min(top.length, opts.vectorTerms);
    const v = unitIds(
      top.map((k) => uniq[k]),
      top.map((k) => weights[k]),
    );

    // Entities seen in only one article cannot tie two together: skip them.
    const ents = d.ents.filter((id) => df[id] > 1);
    // Rarest first (highest IDF); ties alphabetical.
    ents.sort((a, b) => df[a] - df[b] || (vocab[a] < vocab[b] ? -1 : 1));
    const kept = ents.slice(0, opts.vectorTerms);
    const e = unitIds(
      kept,
      kept.map((id) => idf(df[id])),
    );

    const keys: number[] = [];
    for (const id of v.ids) {
      if (keys.length >= opts.blockingTerms) break;
      if (df[id] > 1 && df[id] <= maxDf) keys.push(id);
    }
    for (const id of ents.slice(0, 4)) if (df[id] <= maxDf) keys.push(id);
    const date = ordered[i].date;
    return {
      v,
      e,
      names: d.entities,
      keys,
      day: date ? Math.floor(Date.parse(date) / DAY_MS) : null,
    };
  });
  return { feats, vocab };
}

/**
 * IDF within a sliding window of days around each dated article. A topic that
 * runs for weeks ("gaza", "jobless claims") is common *locally*, so its words
 * weigh less than the words that tell this day's event from last week's:
 * local document frequency, as in TDT first-story-detection systems.
 * `enter(i)`, called for each article in order, moves the window to article i
 * and returns the number of articles in it (`counts` then holds each term's
 * local document frequency), or -1 when i is undated (it uses the global IDF).
 * The local IDF of a term is log(size + 1) - log(count + 1) + 1; it is read
 * on the spot rather than kept in a row per article (10,000 arrays to collect).
 */
function localWindow(ordered: Article[], docs: Array<{ uniq: number[] }>, vocabSize: number, days: number): { counts: Int32Array; enter(i: number): number } | null {
  if (days <= 0) return null;
  const dayOf = ordered.map((a) => (a.date ? Math.floor(Date.parse(a.date) / DAY_MS) : null));
  const counts = new Int32Array(vocabSize);
  const dated = ordered.map((_, i) => i).filter((i) => dayOf[i] !== null);
  let lo = 0;
  let hi = 0;
  return {
    counts,
    enter(i: number): number {
      if (dayOf[i] === null) return -1;
      const day = dayOf[i]!;
      while (hi < dated.length && dayOf[dated[hi]]! <= day + days) {
        for (const id of docs[dated[hi]].uniq) counts[id]++;
        hi++;
      }
      while (dayOf[dated[lo]]! < day - days) {
        for (const id of docs[dated[lo]].uniq) counts[id]--;
        lo++;
      }
      return hi - lo;
    },
  };
}

/** log(c + 1) for c = 0..max. */
function logTable(max: number): Float64Array {
  const out = new Float64Array(max + 1);
  for (let c = 0; c <= max; c++) out[c] = Math.log(c + 1);
  return out;
}

function unitIds(ids: number[], weights: number[]): Sparse {
  let sum = 0;
  for (let k = 0; k < weights.length; k++) sum += weights[k] * weights[k];
  const norm = Math.sqrt(sum) || 1;
  const w = new Float64Array(weights.length);
  for (let k = 0; k < weights.length; k++) w[k] = weights[k] / norm;
  return { ids: Int32Array.from(ids), w };
}
