/**
 * Vectors and scores of the windowed grouping: an article's unit TF-IDF
 * vector over terms and over entities (document frequencies from a window of
 * days, df.ts), its blocking keys, and its similarity to a story as in
 * cluster.ts: mix(cosine with the story's centroid, best cosine with one
 * member) blended with entity overlap, halved for a second piece from one
 * outlet, times a date decay; a story asks for the threshold raised by its
 * cohesion. A story here is a list of members (the days in view), not the
 * whole story: the caller decides which members are in view.
 */
import type { ClusterDoc } from './cluster-docs.ts';
import type { StoryOptions } from './options.ts';
import type { PlacementRecord } from './state.ts';

/** Sparse vector over interned ids. */
export interface Vec {
  ids: Int32Array;
  w: Float64Array;
}

export class Vocab {
  private readonly idOf = new Map<string, number>();
  readonly terms: string[] = [];
  /** Members already made over this vocabulary, by record (a record is immutable once placed). */
  readonly members = new WeakMap<PlacementRecord, Member>();
  /** Day tables already interned, by table. */
  readonly tables = new WeakMap<object, Int32Array>();
  intern(term: string): number {
    let id = this.idOf.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.idOf.set(term, id);
    }
    return id;
  }
  get size(): number {
    return this.terms.length;
  }
  /** The ids of `terms` (each with `prefix` before it). A plain loop: a typed array's from() with a map function is several times slower, and a drop-in interns ~10,000 records' terms. */
  internAll(terms: readonly string[], prefix = ''): Int32Array {
    const ids = new Int32Array(terms.length);
    for (let k = 0; k < terms.length; k++) ids[k] = this.intern(prefix ? prefix + terms[k] : terms[k]);
    return ids;
  }
}

/** Counts by vocabulary id, growing with the vocabulary. */
export class Counts {
  data = new Int32Array(1024);
  get(id: number): number {
    return id < this.data.length ? this.data[id] : 0;
  }
  add(id: number, by: number): void {
    if (id >= this.data.length) {
      let n = this.data.length;
      while (n <= id) n *= 2;
      const next = new Int32Array(n);
      next.set(this.data);
      this.data = next;
    }
    this.data[id] += by;
  }
}

/** Document frequencies in view of one article, by vocabulary id, and the number of documents. */
export interface DfView {
  long: Counts;
  nLong: number;
  /** The short window, or null to use the long one alone. */
  short: Counts | null;
  nShort: number;
}

/** The parts of a placement record that depend only on the article and its document frequencies. */
export type Features = Pick<PlacementRecord, 'terms' | 'w' | 'ents' | 'ew' | 'names' | 'keys'>;

/** An article's distinct terms and entity keys ('@key') as vocabulary ids, with its entities' names. */
export interface Interned {
  terms: Int32Array;
  ents: Int32Array;
  entKeys: string[];
  entNames: string[];
}

export function internDoc(doc: ClusterDoc, vocab: Vocab): Interned {
  const seen = new Set<string>();
  const entKeys: string[] = [];
  const entNames: string[] = [];
  for (const [key, name] of doc.entities) {
    if (seen.has(key)) continue;
    seen.add(key);
    entKeys.push(key);
    entNames.push(name);
  }
  return { terms: vocab.internAll(doc.terms), ents: vocab.internAll(entKeys, '@'), entKeys, entNames };
}

const idf = (n: number, df: number) => Math.log(n + 1) - Math.log(df + 1) + 1;
/**
 * Weights are kept to 6 decimals: the state stores them (a third of the
 * characters of a double), and a drop-in scores with the stored ones, so the
 * cold run must score with exactly those too.
 */
const quantise = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The article's vectors, the blocking keys it posts for its story (`keyIds`:
 * its heaviest terms and rarest entities, even those no other article in the
 * window has yet: a later one may) and the keys it looks stories up by
 * (`lookIds`: only those another article in the window has too, as a key
 * found in no other article finds nothing and would take a place).
 */
export function features(doc: ClusterDoc, ids: Interned, df: DfView, vocab: Vocab, opts: StoryOptions): { f: Features; v: Vec; e: Vec; keyIds: number[]; lookIds: number[] } {
  const count = doc.terms.length;
  const weights = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const id = ids.terms[k];
    const g = idf(df.nLong, df.long.get(id));
    const x = df.short ? (1 - opts.localIdfShare) * g + opts.localIdfShare * idf(df.nShort, df.short.get(id)) : g;
    weights[k] = (1 + Math.log(doc.tf[k])) * x;
  }
  let cut = -Infinity;
  if (count > opts.vectorTerms) cut = Float64Array.from(weights).sort()[count - opts.vectorTerms];
  const top: number[] = [];
  for (let k = 0; k < count; k++) if (weights[k] >= cut) top.push(k);
  // Heaviest first; ties alphabetical so truncation is deterministic.
  top.sort((a, b) => weights[b] - weights[a] || (doc.terms[a] < doc.terms[b] ? -1 : 1));
  top.length = Math.min(top.length, opts.vectorTerms);
  const terms = top.map((k) => doc.terms[k]);
  const w = unit(top.map((k) => weights[k]));

  // Entities, rarest first (ties alphabetical), weighted by the long window's IDF.
  const ents = ids.entKeys.map((key, k) => ({ key, name: ids.entNames[k], id: ids.ents[k], df: df.long.get(ids.ents[k]) }));
  ents.sort((a, b) => a.df - b.df || (a.key < b.key ? -1 : 1));
  ents.length = Math.min(ents.length, opts.vectorTerms);
  const vecEnts = ents.filter((x) => x.df > 1);
  const ew = unit(vecEnts.map((x) => idf(df.nLong, x.df)));

  const maxDf = Math.max(opts.blockingMaxDf * df.nLong, 20);
  const keys: string[] = [];
  const keyIds: number[] = [];
  const lookIds: number[] = [];
  for (const k of top) {
    const n = df.long.get(ids.terms[k]);
    if (n > maxDf) continue;
    if (keys.length < opts.blockingTerms) {
      keys.push(doc.terms[k]);
      keyIds.push(ids.terms[k]);
    }
    if (n > 1 && lookIds.length < opts.blockingTerms) lookIds.push(ids.terms[k]);
  }
  let postedEnts = 0;
  let lookedEnts = 0;
  for (const x of ents) {
    if (x.df > maxDf) continue;
    if (postedEnts < 4) {
      keys.push(`@${x.key}`);
      keyIds.push(x.id);
      postedEnts++;
    }
    if (x.df > 1 && lookedEnts < 4) {
      lookIds.push(x.id);
      lookedEnts++;
    }
  }
  return {
    f: { terms, w, ents: vecEnts.map((x) => x.key), ew, names: vecEnts.map((x) => x.name), keys },
    v: { ids: Int32Array.from(top, (k) => ids.terms[k]), w: Float64Array.from(w) },
    e: { ids: Int32Array.from(vecEnts, (x) => x.id), w: Float64Array.from(ew) },
    keyIds,
    lookIds,
  };
}

function unit(weights: number[]): number[] {
  let sum = 0;
  for (const x of weights) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return weights.map((x) => quantise(x / norm));
}

/** One member of a story, with its vectors interned. */
export interface Member {
  rec: PlacementRecord;
  v: Vec;
  e: Vec;
  keyIds: number[];
  copy: boolean;
}

export function memberOf(rec: PlacementRecord, vocab: Vocab): Member {
  let m = vocab.members.get(rec);
  if (!m) vocab.members.set(rec, (m = makeMember(rec, vocab)));
  return m;
}

/** A day table's terms as vocabulary ids (cached per table). */
export function internTable(table: { t: string[] }, vocab: Vocab): Int32Array {
  let ids = vocab.tables.get(table);
  if (!ids) vocab.tables.set(table, (ids = vocab.internAll(table.t)));
  return ids;
}

/**
 * What `features` gave an undated article, from its record (`look` set): the same vectors, keys and
 * look-up keys, as long as the article and its document frequencies are the ones it was placed with.
 * `lookIds`: its look-up keys' ids, when the caller has them.
 */
export function keptFeatures(rec: PlacementRecord & { look: string[] }, vocab: Vocab, lookIds?: number[]): ReturnType<typeof features> {
  // The kept record's member, made once: a folder's article probed first (unmoved.ts idle) is not interned again when placed.
  const m = memberOf(rec, vocab);
  return {
    f: { terms: rec.terms, w: rec.w, ents: rec.ents, ew: rec.ew, names: rec.names, keys: rec.keys },
    v: m.v,
    e: m.e,
    keyIds: m.keyIds,
    lookIds: lookIds ?? rec.look.map((k) => vocab.intern(k)),
  };
}

function makeMember(rec: PlacementRecord, vocab: Vocab): Member {
  return {
    rec,
    v: { ids: vocab.internAll(rec.terms), w: Float64Array.from(rec.w) },
    e: { ids: vocab.internAll(rec.ents, '@'), w: Float64Array.from(rec.ew) },
    keyIds: rec.keys.map((k) => vocab.intern(k)),
    copy: rec.copyOf !== null,
  };
}

/** What scoring reads of a story: computed from the members in view, in their order. */
export interface View {
  centroid: Map<number, number>;
  norm2: number;
  ents: Map<number, number>;
  enorm2: number;
  sources: Set<string>;
  /** The latest members compared one by one. */
  compare: Member[];
  /** Mean join score of the members in view that joined (not founders, not copies), or NaN. */
  cohesion: number;
}

export function viewOf(members: readonly Member[], opts: StoryOptions): View {
  const centroid = new Map<number, number>();
  const ents = new Map<number, number>();
  const sources = new Set<string>();
  const compare: Member[] = [];
  let joinSum = 0;
  let joins = 0;
  for (const m of members) {
    if (m.copy) continue;
    addInto(centroid, m.v);
    addInto(ents, m.e);
    sources.add(m.rec.source);
    if (!m.rec.founder) {
      joinSum += m.rec.score;
      joins++;
    }
  }
  for (let k = members.length - 1; k >= 0 && compare.length < opts.maxMembersCompared; k--) if (!members[k].copy) compare.push(members[k]);
  return { centroid, norm2: norm2(centroid), ents, enorm2: norm2(ents), sources, compare, cohesion: joins ? joinSum / joins : NaN };
}

function addInto(sum: Map<number, number>, v: Vec): void {
  for (let k = 0; k < v.ids.length; k++) sum.set(v.ids[k], (sum.get(v.ids[k]) ?? 0) + v.w[k]);
}

function norm2(sum: Map<number, number>): number {
  let s = 0;
  for (const x of sum.values()) s += x * x;
  return s;
}

function dot(a: Vec, b: Map<number, number>): number {
  let s = 0;
  for (let k = 0; k < a.ids.length; k++) {
    const x = b.get(a.ids[k]);
    if (x !== undefined) s += a.w[k] * x;
  }
  return s;
}

/** A dense copy of the article being placed: member dot products without hashing. */
export class Scratch {
  private data = new Float64Array(1024);
  load(v: Vec, e: Vec, size: number): void {
    if (this.data.length < size) {
      let n = this.data.length;
      while (n < size) n *= 2;
      this.data = new Float64Array(n);
    }
    for (let k = 0; k < v.ids.length; k++) this.data[v.ids[k]] = v.w[k];
    for (let k = 0; k < e.ids.length; k++) this.data[e.ids[k]] = e.w[k];
  }
  clear(v: Vec, e: Vec): void {
    for (let k = 0; k < v.ids.length; k++) this.data[v.ids[k]] = 0;
    for (let k = 0; k < e.ids.length; k++) this.data[e.ids[k]] = 0;
  }
  dot(b: Vec): number {
    let s = 0;
    for (let k = 0; k < b.ids.length; k++) s += this.data[b.ids[k]] * b.w[k];
    return s;
  }
}

/**
 * Similarity of the article in `scratch` (vectors v, e; outlet `source`; day
 * or null) to a story in view, with the date decay's time scale `tau`.
 * `strongest`, when given, is raised to the best cosine with one member (and that member).
 */
export function similarity(
  scratch: Scratch,
  v: Vec,
  e: Vec,
  source: string,
  day: number | null,
  view: View,
  last: number | null,
  tau: number,
  opts: StoryOptions,
  strongest?: { cos: number; member: Member | null },
): number {
  let member = 0;
  for (const m of view.compare) {
    const d = scratch.dot(m.v);
    if (d > member) member = d;
    if (strongest && d > strongest.cos) {
      strongest.cos = d;
      strongest.member = m;
    }
  }
  const centroidCos = view.norm2 ? dot(v, view.centroid) / Math.sqrt(view.norm2) : 0;
  let s = opts.centroidShare * centroidCos + (1 - opts.centroidShare) * member;
  if (e.ids.length && view.enorm2) s = (1 - opts.entityWeight) * s + opts.entityWeight * (dot(e, view.ents) / Math.sqrt(view.enorm2));
  if (opts.sameSourceFactor < 1 && source !== '' && source !== 'unknown' && view.sources.has(source)) s *= opts.sameSourceFactor;
  if (day !== null && last !== null && day > last) s *= Math.exp(-(day - last) / tau);
  return s;
}

/**
 * The threshold for an article that is compared with `inView` stories (the
 * stories it could join: those with an article in its window). The best of K
 * unrelated stories scores higher the more there are (its tail falls about
 * exponentially, so the chance that one of K clears a fixed bar grows with K):
 * to keep a new event's first article as likely to found its story at 400
 * stories in view (a newsroom's year) as at 20 (the dev corpora the threshold
 * was tuned on), the bar rises by densitySlope x ln(K / densityReference).
 * Rounded so the bar is the same number on every platform.
 */
export function thresholdFor(inView: number, opts: StoryOptions): number {
  if (!opts.densitySlope || inView <= opts.densityReference) return opts.threshold;
  return Math.round((opts.threshold + opts.densitySlope * Math.log(inView / opts.densityReference)) * 1e4) / 1e4;
}

/** Score an article needs to join: the threshold (`base`: thresholdFor), raised for a tight story to a share of its mean join score. */
export function needed(view: View, opts: StoryOptions, base = opts.threshold): number {
  if (Number.isNaN(view.cohesion) || !opts.cohesionShare) return base;
  return Math.max(base, Math.min(opts.cohesionMax, opts.cohesionShare * view.cohesion));
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Containment match of a sketch against the earlier sketches it shares
 * sampled shingles with (copies.ts's test): at least copyContainment of the
 * smaller one's shingles in the other, and copyCoverage of the larger one's.
 * Counts in a typed array by entry number (a Map per article was most of the
 * copy search's time); the best match wins, ties to the earlier entry.
 */
export class CopyHits<T extends { seq: number; size: number }> {
  private counts = new Int32Array(1024);
  private readonly touched: T[] = [];
  hit(e: T): void {
    if (e.seq >= this.counts.length) {
      let n = this.counts.length;
      while (n <= e.seq) n *= 2;
      const next = new Int32Array(n);
      next.set(this.counts);
      this.counts = next;
    }
    if (this.counts[e.seq]++ === 0) this.touched.push(e);
  }
  best(sketchSize: number, opts: StoryOptions): { match: T; containment: number } | null {
    let best: T | null = null;
    let bestScore = 0;
    for (const t of this.touched) {
      const shared = this.counts[t.seq];
      this.counts[t.seq] = 0;
      const small = Math.min(sketchSize, t.size);
      const large = Math.max(sketchSize, t.size);
      const containment = shared / small;
      if (containment < opts.copyContainment || shared / large < opts.copyCoverage) continue;
      if (best === null || containment > bestScore || (containment === bestScore && t.seq < best.seq)) {
        best = t;
        bestScore = containment;
      }
    }
    this.touched.length = 0;
    return best === null ? null : { match: best, containment: Math.round(bestScore * 1000) / 1000 };
  }
}

/** Counts of shared keys per story (by a serial number), for candidate blocking. */
export class KeyCounts<T extends { serial: number }> {
  private counts = new Int32Array(1024);
  private stamps = new Int32Array(1024);
  private stamp = 0;
  readonly touched: T[] = [];
  private grow(n: number): void {
    if (n < this.counts.length) return;
    let size = this.counts.length;
    while (size <= n) size *= 2;
    const c = new Int32Array(size);
    c.set(this.counts);
    this.counts = c;
    const s = new Int32Array(size);
    s.set(this.stamps);
    this.stamps = s;
  }
  /** Starts counting one key: a story counts once per key however many of its articles posted it. */
  nextKey(): void {
    this.stamp++;
  }
  hit(t: T): void {
    this.grow(t.serial);
    if (this.stamps[t.serial] === this.stamp) return;
    this.stamps[t.serial] = this.stamp;
    if (this.counts[t.serial]++ === 0) this.touched.push(t);
  }
  /** The stories sharing most keys (ties: the greater id), at most `max`; resets the counts. */
  top(max: number, idOf: (t: T) => string): T[] {
    const c = this.counts;
    // Only stories at or above the count that still makes the cut are sorted (a histogram finds it):
    // common keys touch thousands of stories.
    let out = this.touched;
    if (out.length > max) {
      let most = 0;
      for (const t of out) if (c[t.serial] > most) most = c[t.serial];
      const hist = new Int32Array(most + 1);
      for (const t of out) hist[c[t.serial]]++;
      let cut = most;
      for (let total = hist[most]; total < max && cut > 1; ) total += hist[--cut];
      out = out.filter((t) => c[t.serial] >= cut);
    } else out = [...out];
    out.sort((a, b) => c[b.serial] - c[a.serial] || (idOf(a) < idOf(b) ? 1 : idOf(a) > idOf(b) ? -1 : 0));
    for (const t of this.touched) c[t.serial] = 0;
    this.touched.length = 0;
    if (out.length > max) out.length = max;
    return out;
  }
}
