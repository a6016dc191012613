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
import { storyId } from '../ids.ts';
import { dayString } from './items.ts';
import type { StoryItem } from './items.ts';
import type { StoryOptions } from './options.ts';
import type { PlacementRecord } from './state.ts';
import { bestCopy, Counts, features, internDoc, internTable, memberOf, needed, round, Scratch, similarity, viewOf, Vocab, type Member, type View } from './score.ts';

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

/** A day's document frequencies over the pass's vocabulary. */
interface DayCounts {
  ids: Int32Array;
  c: number[];
  n: number;
}

interface LiveStory {
  id: string;
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

export class DatedPass {
  private readonly vocab: Vocab;
  private readonly scratch = new Scratch();
  private readonly stories = new Map<string, LiveStory>();
  private readonly postings = new Map<number, Posting[]>();
  private readonly dfDays = new Map<number, DayCounts>();
  private readonly long = new Counts();
  private readonly short = new Counts();
  private nLong = 0;
  private nShort = 0;
  /** Days already summed into `long` / `short`. */
  private longFrom = Infinity;
  private shortFrom = Infinity;
  private readonly sketches = new Map<number, CopyEntry[]>();
  private readonly sketchDays = new Map<number, Uint32Array[]>();
  private seq = 0;

  /** `vocab` may be shared with the undated pass that follows (it reuses interned tables and members). */
  constructor(
    private readonly opts: StoryOptions,
    vocab = new Vocab(),
  ) {
    this.vocab = vocab;
  }

  /**
   * Starts the pass before day `start` from kept state: the records of the
   * dated articles of the N days before it (chronological), their copy
   * sketches (C days), and the document frequencies of the W days before it.
   */
  seed(start: number, records: readonly PlacementRecord[], sketches: ReadonlyMap<string, Uint32Array>, dfs: ReadonlyMap<number, DayDf>): void {
    for (const [day, df] of [...dfs].sort((a, b) => a[0] - b[0])) if (day < start && day >= start - this.opts.dfWindowDays) this.dfDays.set(day, this.counts(df));
    for (const rec of records) {
      if (rec.day === null || rec.day >= start) continue;
      if (rec.day >= start - this.opts.joinWindowDays) this.join(this.storyFor(rec.story), memberOf(rec, this.vocab), rec.day);
      const sketch = sketches.get(rec.id);
      if (sketch && rec.day >= start - this.opts.copyWindowDays) this.addSketch(rec, rec.day, sketch);
    }
  }

  /** Places one day's dated articles (chronological order) and returns their records and the day's document frequencies. */
  runDay(day: number, items: readonly StoryItem[]): { records: PlacementRecord[]; df: DayDf } {
    const interned = items.map((it) => internDoc(it.doc, this.vocab));
    const counts = this.dayCounts(interned);
    this.dfDays.set(day, counts);
    const df: DayDf = { t: Array.from(counts.ids, (id) => this.vocab.terms[id]), c: counts.c };
    this.vocab.tables.set(df, counts.ids);
    this.advance(day);
    const view = { long: this.long, nLong: this.nLong, short: this.short, nShort: this.nShort };
    const records = items.map((it, i) => this.place(it, day, features(it.doc, interned[i], view, this.vocab, this.opts)));
    for (const [d] of this.dfDays) if (d < day - this.opts.dfWindowDays) this.dfDays.delete(d);
    return { records, df };
  }

  /** dayDf over interned articles: the same table, without looking each term up again. */
  private dayCounts(interned: ReturnType<typeof internDoc>[]): DayCounts {
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
    return { ids: Int32Array.from(ids), c, n: interned.length };
  }

  private counts(df: DayDf): DayCounts {
    return { ids: internTable(df, this.vocab), c: df.c, n: df.c[0] };
  }

  /** Moves the DF windows to `day` (it is in `dfDays`), retires stories and sketches out of reach. */
  private advance(day: number): void {
    const slide = (sum: Counts, from: number, width: number, n: number): [number, number] => {
      const lo = day - width;
      for (const [d, df] of this.dfDays) {
        const inNow = d >= lo && d <= day;
        const inBefore = d >= from && d < day && from !== Infinity;
        if (inNow === inBefore) continue;
        const sign = inNow ? 1 : -1;
        // Entry 0 is the article count ('').
        for (let k = 1; k < df.ids.length; k++) sum.add(df.ids[k], sign * df.c[k]);
        n += sign * df.n;
      }
      return [n, lo];
    };
    [this.nLong, this.longFrom] = slide(this.long, this.longFrom, this.opts.dfWindowDays, this.nLong);
    [this.nShort, this.shortFrom] = slide(this.short, this.shortFrom, this.opts.localDfDays, this.nShort);
    for (const [id, s] of this.stories) if (s.last < day - this.opts.joinWindowDays) this.stories.delete(id);
    for (const [d, list] of this.sketchDays) {
      if (d >= day - this.opts.copyWindowDays) continue;
      for (const sketch of list) {
        for (const h of sketch) {
          const entries = this.sketches.get(h);
          if (!entries) continue;
          let cut = 0;
          while (cut < entries.length && entries[cut].day < day - this.opts.copyWindowDays) cut++;
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
      s = { id, members: [], last: -Infinity, view: null, viewStart: -1, viewLength: -1 };
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

  private addSketch(rec: PlacementRecord, day: number, sketch: Uint32Array): void {
    const entry: CopyEntry = { rec, seq: this.seq++, day, size: sketch.length };
    for (const h of sketch) {
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

  private place(it: StoryItem, day: number, feats: ReturnType<typeof features>): PlacementRecord {
    const f = feats.f;
    const opts = this.opts;
    const rec: PlacementRecord = {
      id: it.id,
      raw: it.raw,
      part: it.part,
      title: it.title,
      source: it.source,
      day,
      date: dayString(day),
      story: '',
      founder: false,
      copyOf: null,
      score: 1,
      near: [],
      ...f,
    };
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
    const scored = this.candidates(m.keyIds, day).map((s) => {
      const view = this.viewAt(s, day);
      return { s, view, score: similarity(this.scratch, m.v, m.e, it.source, day, view, s.last, opts) };
    });
    this.scratch.clear(m.v, m.e);
    scored.sort((a, b) => b.score - a.score || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
    const best = scored.find((x) => x.score >= needed(x.view, opts));
    let home: LiveStory;
    if (best) {
      home = best.s;
      rec.score = best.score;
    } else {
      home = this.storyFor(storyId(it.title, it.id));
      rec.founder = true;
    }
    rec.story = home.id;
    for (const x of scored) if (x.s !== home && x.score >= opts.relatedShare * opts.threshold) rec.near.push([x.s.id, round(x.score)]);
    this.join(home, m, day);
    if (sketch.length) this.addSketch(rec, day, sketch);
    return rec;
  }

  private findCopy(sketch: Uint32Array, day: number): { match: CopyEntry; containment: number } | null {
    const from = day - this.opts.copyWindowDays;
    const hits = new Map<CopyEntry, number>();
    for (const h of sketch) {
      const list = this.sketches.get(h);
      if (!list) continue;
      let live = 0;
      for (const e of list) if (e.day >= from) live++;
      if (live > MAX_POSTING) continue;
      for (const e of list) if (e.day >= from) hits.set(e, (hits.get(e) ?? 0) + 1);
    }
    return bestCopy(sketch, hits, (e) => e.size, (a, b) => a.seq - b.seq, this.opts);
  }

  /** Live stories sharing most blocking keys with the article (ties: the greater id), at most maxCandidates. */
  private candidates(keyIds: readonly number[], day: number): LiveStory[] {
    const from = day - this.opts.joinWindowDays;
    const counts = new Map<LiveStory, number>();
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
      const seen = new Set<LiveStory>();
      for (const p of list) {
        if (seen.has(p.story)) continue;
        seen.add(p.story);
        counts.set(p.story, (counts.get(p.story) ?? 0) + 1);
      }
    }
    const out = [...counts.keys()];
    out.sort((a, b) => counts.get(b)! - counts.get(a)! || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    if (out.length > this.opts.maxCandidates) out.length = this.opts.maxCandidates;
    return out;
  }
}
