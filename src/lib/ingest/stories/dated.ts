/**
 * The dated pass: dated articles placed day by day, in date order, each one
 * into the best story that has an article in the `joinWindowDays` before it,
 * or into a new story. Everything a placement reads lies in a bounded window
 * before it: the stories' articles of the last N days (their vectors, keys,
 * sources, join scores), the document frequencies of the last W days and the
 * copy sketches of the last C days. So the pass can start at any day from
 * what the previous run kept of the days before it (`seed`), and gives what a
 * cold run gives from there on: that is how a drop-in recomputes only its
 * neighbourhood (regroup.ts).
 */
import { storyId } from '../describe/ids.ts';
import { dayString } from './items.ts';
import type { StoryItem } from './items.ts';
import type { StoryOptions } from './options.ts';
import { startRecord, type PlacementRecord, type Sketches } from './state.ts';
import { sharedNames } from './shared.ts';
import { CopyHits, Counts, KeyCounts, features, internDoc, internTable, memberOf, needed, round, Scratch, similarity, viewOf, Vocab, type Member, type View } from './score.ts';
import { thresholdFor } from './score.ts';

/**
 * A day's document frequencies, as the state keeps them: terms (and
 * '@'-prefixed entity keys) in order of first appearance among the day's
 * articles in placement order, and how many of the articles hold each;
 * the term '' (first) counts the articles.
 */
export interface DayDf {
  t: string[];
  c: number[];
}

export function dayDf(items: readonly StoryItem[]): DayDf {
  const at = new Map<string, number>([['', 0]]);
  const t = [''];
  const c = [items.length];
  const bump = (term: string) => {
    const k = at.get(term);
    if (k === undefined) {
      at.set(term, t.length);
      t.push(term);
      c.push(1);
    } else c[k]++;
  };
  for (const it of items) {
    for (const term of it.doc.terms) bump(term);
    const seen = new Set<string>();
    for (const [key] of it.doc.entities) {
      if (seen.has(key)) continue;
      seen.add(key);
      bump(`@${key}`);
    }
  }
  return { t, c };
}

/** A day in the pass's trailing window: its document frequencies over the vocabulary, and its placements' spread tallies. */
interface WindowDay {
  day: number;
  ids: Int32Array;
  c: number[];
  n: number;
  /** Articles of the day with a strong match (spread 0 or 1), and with one dated an earlier day (spread 1). */
  strong: number;
  cross: number;
}

interface LiveStory {
  id: string;
  /** Creation number in this pass (for typed counts; never part of a result). */
  serial: number;
  members: Member[];
  /** Latest day of any member. */
  last: number;
  view: View | null;
  viewStart: number;
  viewLength: number;
}

interface Posting {
  story: LiveStory;
  day: number;
}

interface CopyEntry {
  rec: PlacementRecord;
  seq: number;
  day: number;
  size: number;
}

/** Longest posting list of a shingle hash within the copy window: more is boilerplate (as copies.ts). */
const MAX_POSTING = 64;

/**
 * The first day of the trailing window of day `day`, from the article counts
 * of the days before it (`countOf`, null for a day without dated articles,
 * `earliest` the first day that may have any): at least `dfWindowDays` back,
 * and further until the window holds `minDfDocs` articles.
 */
export function windowStart(day: number, countOf: (day: number) => number | null, earliest: number, opts: StoryOptions): number {
  let total = 0;
  let start = day;
  for (let d = day; d >= earliest; d--) {
    const n = countOf(d);
    if (n === null) continue;
    if (d < day - opts.dfWindowDays && total >= opts.minDfDocs) break;
    total += n;
    start = d;
  }
  return start;
}

export class DatedPass {
  private readonly vocab: Vocab;
  private readonly scratch = new Scratch();
  private readonly stories = new Map<string, LiveStory>();
  private readonly postings = new Map<number, Posting[]>();
  /** The days of the long window, oldest first. */
  private readonly window: WindowDay[] = [];
  private readonly long = new Counts();
  private readonly short = new Counts();
  private nLong = 0;
  private nShort = 0;
  /** Days before this one have left the short window. */
  private shortFrom = -Infinity;
  private strong = 0;
  private cross = 0;
  private readonly sketches = new Map<number, CopyEntry[]>();
  private readonly sketchDays = new Map<number, Uint32Array[]>();
  private seq = 0;
  private serial = 0;
  private readonly copyHits = new CopyHits<CopyEntry>();
  private readonly keyCounts = new KeyCounts<LiveStory>();

  /** `vocab` may be shared with the undated pass that follows (it reuses interned tables and members). */
  constructor(
    private readonly opts: StoryOptions,
    vocab = new Vocab(),
  ) {
    this.vocab = vocab;
  }

  /** First day of the current trailing window (document frequencies and calibration). */
  get windowStart(): number {
    return this.window.length ? this.window[0].day : Infinity;
  }

  /**
   * Starts the pass before day `start` from kept state: the document
   * frequencies of every day of the trailing window of the last day before
   * `start` (`windowStart`), the records of the dated articles of those days
   * (chronological: their spread tallies; the N days before `start` are the
   * stories in view), and the copy sketches of the C days before `start`.
   * `looked`: every shingle hash the pass will look up, when the caller knows
   * them (the sketches of every article it will place): only those of the
   * kept sketches are indexed. A copy search reads the lists of its article's
   * hashes alone, and those lists are whole (entries, order, length against
   * MAX_POSTING), so it finds what it finds with every hash indexed (a
   * latest-day drop-in at 100,000 articles seeds ~1,100 sketches, ~204,000
   * hashes, of which ~26,000 are among its ~310 articles' hashes).
   */
  seed(start: number, records: readonly PlacementRecord[], sketches: Sketches, dfs: ReadonlyMap<number, DayDf>, looked?: ReadonlySet<number>): void {
    const tallies = new Map<number, { strong: number; cross: number }>();
    for (const rec of records) {
      if (rec.day === null || rec.day >= start) continue;
      const t = tallies.get(rec.day) ?? { strong: 0, cross: 0 };
      if (rec.spread !== null) t.strong++;
      if (rec.spread === 1) t.cross++;
      tallies.set(rec.day, t);
      if (rec.day >= start - this.opts.joinWindowDays) this.join(this.storyFor(rec.story), memberOf(rec, this.vocab), rec.day);
      const sketch = sketches.get(rec.id, rec.day);
      if (sketch && rec.day >= start - this.opts.copyWindowDays) this.addSketch(rec, rec.day, sketch, looked);
    }
    for (const [day, df] of [...dfs].sort((a, b) => a[0] - b[0])) {
      if (day >= start) continue;
      const t = tallies.get(day) ?? { strong: 0, cross: 0 };
      this.enter({ day, ids: internTable(df, this.vocab), c: df.c, n: df.c[0], ...t });
    }
  }

  /** Places one day's dated articles (chronological order) and returns their records and the day's document frequencies. */
  runDay(day: number, items: readonly StoryItem[]): { records: PlacementRecord[]; df: DayDf } {
    const interned = items.map((it) => internDoc(it.doc, this.vocab));
    const today = this.dayCounts(day, interned);
    const df: DayDf = { t: Array.from(today.ids, (id) => this.vocab.terms[id]), c: today.c };
    this.vocab.tables.set(df, today.ids);
    this.enter(today);
    this.advance(day);
    // The decay's time scale, from the days before this one.
    const share = (this.cross + this.opts.spreadPrior * this.opts.spreadPriorShare) / (this.strong + this.opts.spreadPrior);
    const tau = this.opts.dateDecayDays * Math.max(1, share / this.opts.dateSpreadReference);
    const view = { long: this.long, nLong: this.nLong, short: this.short, nShort: this.nShort };
    const records = items.map((it, i) => this.place(it, day, features(it.doc, interned[i], view, this.vocab, this.opts), tau));
    for (const r of records) {
      if (r.spread !== null) today.strong++;
      if (r.spread === 1) today.cross++;
    }
    this.strong += today.strong;
    this.cross += today.cross;
    return { records, df };
  }

  /** dayDf over interned articles: the same table, without looking each term up again. */
  private dayCounts(day: number, interned: ReturnType<typeof internDoc>[]): WindowDay {
    const at = new Map<number, number>([[this.vocab.intern(''), 0]]);
    const ids = [this.vocab.intern('')];
    const c = [interned.length];
    const bump = (id: number) => {
      const k = at.get(id);
      if (k === undefined) {
        at.set(id, ids.length);
        ids.push(id);
        c.push(1);
      } else c[k]++;
    };
    for (const x of interned) {
      for (const id of x.terms) bump(id);
      for (const id of x.ents) bump(id);
    }
    return { day, ids: Int32Array.from(ids), c, n: interned.length, strong: 0, cross: 0 };
  }

  /** Adds a day to the window's sums (entry 0 of a table is the article count). */
  private enter(d: WindowDay): void {
    this.window.push(d);
    for (let k = 1; k < d.ids.length; k++) {
      this.long.add(d.ids[k], d.c[k]);
      this.short.add(d.ids[k], d.c[k]);
    }
    this.nLong += d.n;
    this.nShort += d.n;
    this.strong += d.strong;
    this.cross += d.cross;
  }

  /** Moves the windows to `day` (its table entered last): drops the days out of reach, retires stories and sketches. */
  private advance(day: number): void {
    const opts = this.opts;
    // Short window: a fixed number of days.
    for (const d of this.window) {
      if (d.day >= day - opts.localDfDays) break;
      if (d.day < this.shortFrom) continue;
      for (let k = 1; k < d.ids.length; k++) this.short.add(d.ids[k], -d.c[k]);
      this.nShort -= d.n;
    }
    this.shortFrom = day - opts.localDfDays;
    // Long window: W days, and further back while it would hold fewer than minDfDocs articles without them.
    while (this.window.length > 1 && this.window[0].day < day - opts.dfWindowDays && this.nLong - this.window[0].n >= opts.minDfDocs) {
      const d = this.window.shift()!;
      for (let k = 1; k < d.ids.length; k++) this.long.add(d.ids[k], -d.c[k]);
      this.nLong -= d.n;
      this.strong -= d.strong;
      this.cross -= d.cross;
    }
    for (const [id, s] of this.stories) if (s.last < day - opts.joinWindowDays) this.stories.delete(id);
    for (const [d, list] of this.sketchDays) {
      if (d >= day - opts.copyWindowDays) continue;
      for (const sketch of list) {
        for (const h of sketch) {
          const entries = this.sketches.get(h);
          if (!entries) continue;
          let cut = 0;
          while (cut < entries.length && entries[cut].day < day - opts.copyWindowDays) cut++;
          if (cut === entries.length) this.sketches.delete(h);
          else if (cut) entries.splice(0, cut);
        }
      }
      this.sketchDays.delete(d);
    }
  }

  private storyFor(id: string): LiveStory {
    let s = this.stories.get(id);
    if (!s) {
      s = { id, serial: this.serial++, members: [], last: -Infinity, view: null, viewStart: -1, viewLength: -1 };
      this.stories.set(id, s);
    }
    return s;
  }

  private join(story: LiveStory, m: Member, day: number): void {
    story.members.push(m);
    if (day > story.last) story.last = day;
    if (m.copy) return;
    for (const k of m.keyIds) {
      const list = this.postings.get(k);
      if (list) list.push({ story, day });
      else this.postings.set(k, [{ story, day }]);
    }
  }

  /** `only`: the hashes to index (seed); the day's list holds the whole sketch (advance() skips a hash with no list). */
  private addSketch(rec: PlacementRecord, day: number, sketch: Uint32Array, only?: ReadonlySet<number>): void {
    const entry: CopyEntry = { rec, seq: this.seq++, day, size: sketch.length };
    for (const h of sketch) {
      if (only && !only.has(h)) continue;
      const list = this.sketches.get(h);
      if (list) list.push(entry);
      else this.sketches.set(h, [entry]);
    }
    const list = this.sketchDays.get(day);
    if (list) list.push(sketch);
    else this.sketchDays.set(day, [sketch]);
  }

  /** The story as scoring sees it on `day`: its members of the last N days. */
  private viewAt(s: LiveStory, day: number): View {
    const from = day - this.opts.joinWindowDays;
    let start = 0;
    while (start < s.members.length && s.members[start].rec.day! < from) start++;
    if (!s.view || s.viewStart !== start || s.viewLength !== s.members.length) {
      s.view = viewOf(s.members.slice(start), this.opts);
      s.viewStart = start;
      s.viewLength = s.members.length;
    }
    return s.view;
  }

  private place(it: StoryItem, day: number, feats: ReturnType<typeof features>, tau: number): PlacementRecord {
    const f = feats.f;
    const opts = this.opts;
    const rec = startRecord(it, day, dayString(day), f);
    const m: Member = { rec, v: feats.v, e: feats.e, keyIds: feats.keyIds, copy: false };
    this.vocab.members.set(rec, m);
    const sketch = it.doc.sketch;
    // A wire copy follows its original's story, whatever its score.
    const copy = sketch.length >= opts.copyMinShingles ? this.findCopy(sketch, day) : null;
    if (copy) {
      rec.copyOf = copy.match.rec.copyOf ?? copy.match.rec.id;
      rec.score = copy.containment;
      rec.story = copy.match.rec.story;
      m.copy = true;
      this.join(this.storyFor(rec.story), m, day);
      this.addSketch(rec, day, sketch);
      return rec;
    }
    this.scratch.load(m.v, m.e, this.vocab.size);
    const strongest = { cos: 0, member: null as Member | null };
    const scored = this.candidates(feats.lookIds, day).map((s) => {
      const view = this.viewAt(s, day);
      return { s, view, score: similarity(this.scratch, m.v, m.e, it.source, day, view, s.last, tau, opts, strongest) };
    });
    this.scratch.clear(m.v, m.e);
    if (strongest.member && strongest.cos >= opts.spreadMatch) rec.spread = strongest.member.rec.day! < day ? 1 : 0;
    scored.sort((a, b) => b.score - a.score || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
    // Stories in view: every live story (an article in the last N days), today's founders included.
    const base = thresholdFor(this.stories.size, opts);
    const best = scored.find((x) => x.score >= needed(x.view, opts, base));
    let home: LiveStory;
    if (best) {
      home = best.s;
      rec.score = best.score;
    } else {
      home = this.storyFor(storyId(it.title, it.id));
      rec.founder = true;
    }
    rec.story = home.id;
    for (const x of scored) if (x.s !== home && x.score >= opts.relatedShare * opts.threshold) rec.near.push([x.s.id, round(x.score), sharedNames(m, x.view)]);
    this.join(home, m, day);
    if (sketch.length) this.addSketch(rec, day, sketch);
    return rec;
  }

  private findCopy(sketch: Uint32Array, day: number): { match: CopyEntry; containment: number } | null {
    // Lists hold only entries of the copy window (advance() drops older ones).
    void day;
    for (const h of sketch) {
      const list = this.sketches.get(h);
      if (!list || list.length > MAX_POSTING) continue;
      for (const e of list) this.copyHits.hit(e);
    }
    return this.copyHits.best(sketch.length, this.opts);
  }

  /** Live stories sharing most blocking keys with the article (ties: the greater id), at most maxCandidates. */
  private candidates(keyIds: readonly number[], day: number): LiveStory[] {
    const from = day - this.opts.joinWindowDays;
    const counts = this.keyCounts;
    for (const k of keyIds) {
      const list = this.postings.get(k);
      if (!list) continue;
      // Postings are appended in date order: drop the ones out of reach for good.
      let cut = 0;
      while (cut < list.length && list[cut].day < from) cut++;
      if (cut === list.length) {
        this.postings.delete(k);
        continue;
      }
      if (cut) list.splice(0, cut);
      counts.nextKey();
      for (const p of list) counts.hit(p.story);
    }
    return counts.top(this.opts.maxCandidates, (s) => s.id);
  }

}
