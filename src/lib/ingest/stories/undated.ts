/**
 * Undated articles, placed after the dated pass, one folder (bucket) at a time,
 * in raw-path order. An undated article states no day, so it cannot take part
 * in the day-by-day pass; its folder names the days it can belong to
 * (content/raw/2025-07/: July; 2025-07-20/: that day). It is compared with the
 * stories that have dated articles within N days of those days (scored on
 * those articles) and with the stories the folder's earlier undated articles
 * founded; it joins the best one that clears its bar, else founds a story.
 * It takes the date of the story it joins (its earliest dated article in
 * view), else its folder's first day. Its joins never change a dated story,
 * so dated stories do not depend on undated articles, and one folder's result
 * depends only on the days near it (regroup.ts recomputes a folder when those
 * change). An undated article with no folder date ('u:') is compared with
 * every dated story and takes no date.
 *
 * Weights: document frequencies of the trailing window of the day before the
 * folder's first (for a month folder, the month before: complete once the
 * month begins, so drop-ins within the month leave them alone), plus the
 * folder's own undated articles.
 */
import { storyId } from '../describe/ids.ts';
import { chronological, dayString, type Bucket, type StoryItem } from './items.ts';
import type { StoryOptions } from './options.ts';
import { startRecord, type PlacementRecord, type Sketches } from './state.ts';
import type { DayDf } from './dated.ts';
import { sharedNames } from './shared.ts';
import { Counts, KeyCounts, features, internDoc, internTable, keptFeatures, memberOf, needed, round, Scratch, similarity, viewOf, Vocab, type Member, type View } from './score.ts';
import { thresholdFor } from './score.ts';
import { Rescore, Unmoved, type PreviousInput, type Probe } from './unmoved.ts';

interface BucketStory {
  id: string;
  serial: number;
  /** The folder's articles that joined a dated story (looked at for copies only). */
  extra: PlacementRecord[];
  posted: Set<number>;
  /** Its members' records, in order. */
  recs: PlacementRecord[];
  /**
   * Their members (vectors interned), made when the story is first scored (`membersOf`): about half
   * the dated stories in a month folder's reach never are (~4,800 of ~8,800 records at 100,000 articles).
   */
  members: Member[];
  view: View | null;
  /** Earliest dated day among its members in view; null for a story the folder founded. */
  date: number | null;
  dated: boolean;
}

export interface BucketInput {
  bucket: Bucket;
  /** The folder's undated articles. */
  items: readonly StoryItem[];
  /** Records of the dated articles within N days of the folder's days (all of them for 'u:'). */
  dated: readonly PlacementRecord[];
  /** Copy sketches of the dated articles within C days of the folder's days, by id (read when a copy search needs one). */
  sketches: Sketches;
  /** Document frequencies of the trailing window of the day before the folder's first (of the latest dated day for 'u:'). */
  dfs: ReadonlyMap<number, DayDf>;
  /**
   * The previous run's records of these articles, by id, when neither the folder's articles nor
   * `dfs` changed since (regroup.ts): each article's vectors and keys are then what its record holds,
   * and are taken from it rather than computed again from the words of the folder and of the days
   * before it (only the placement is recomputed); `dfs` is then not read. Each article must have one.
   */
  kept?: ReadonlyMap<string, PlacementRecord>;
  /**
   * With `kept`: the dated records those records were placed against, and the dated stories that
   * changed since (unmoved.ts). An article no changed story can reach keeps its record; only the
   * others are placed again.
   */
  previous?: PreviousInput;
}

/**
 * The days of dated articles a bucket reads: [from, to] (null: all). Its
 * document frequencies are those of the trailing window of its last day
 * (dated.ts windowStart), which the caller works out from the day counts.
 */
export function bucketReach(bucket: Bucket, opts: StoryOptions): { stories: [number, number]; sketches: [number, number] } | null {
  if (bucket.from === null || bucket.to === null) return null;
  return {
    stories: [bucket.from - opts.joinWindowDays, bucket.to + opts.joinWindowDays],
    sketches: [bucket.from - opts.copyWindowDays, bucket.to + opts.copyWindowDays],
  };
}

/** `vocab` may be the dated pass's (its interned tables and members are reused). */
export function placeBucket(input: BucketInput, opts: StoryOptions, vocab = new Vocab()): PlacementRecord[] {
  const scratch = new Scratch();
  const items = [...input.items].sort(chronological);
  const kept = input.kept;
  const keptOf = (it: StoryItem) => {
    const rec = kept!.get(it.id);
    if (!rec?.look) throw new Error(`placeBucket: no kept record with look-up keys for ${it.id}`);
    return rec as PlacementRecord & { look: string[] };
  };
  /** With kept records, article i's look-up keys as ids (made once, with `wanted` below: a probe and a placing read them). */
  const lookIdsOf: number[][] = [];
  let featuresOf: (it: StoryItem, i: number) => ReturnType<typeof features>;
  if (kept) {
    featuresOf = (it, i) => keptFeatures(keptOf(it), vocab, lookIdsOf[i]);
  } else {
    // Document frequencies: the dated days in reach and the folder's own articles.
    const long = new Counts();
    let n = 0;
    for (const df of input.dfs.values()) {
      const ids = internTable(df, vocab);
      for (let k = 1; k < ids.length; k++) long.add(ids[k], df.c[k]);
      n += df.c[0];
    }
    const interned = items.map((it) => internDoc(it.doc, vocab));
    for (const ids of interned) {
      for (const id of ids.terms) long.add(id, 1);
      for (const id of ids.ents) long.add(id, 1);
      n++;
    }
    const dfView = { long, nLong: n, short: null, nShort: 0 };
    featuresOf = (it, i) => features(it.doc, interned[i], dfView, vocab, opts);
  }
  // The articles a change to the dated days cannot move keep their records (unmoved.ts).
  const unmoved = kept && input.previous ? new Unmoved(input.previous, input.dated, items.map(keptOf), opts) : null;

  const stories = new Map<string, BucketStory>();
  const postings = new Map<number, BucketStory[]>();
  /** Members are made when a story is first scored; a folder's own article's member is primed as it is placed. */
  const membersOf = (s: BucketStory) => {
    while (s.members.length < s.recs.length) s.members.push(memberOf(s.recs[s.members.length], vocab));
    return s.members;
  };
  /**
   * The postings are made when an article is first placed by scoring (none is, when every article
   * keeps its record): until then a story's keys wait in `unposted`.
   */
  let posting = false;
  const unposted: Array<[BucketStory, PlacementRecord]> = [];
  /**
   * With kept records, every candidate search asks by a kept record's look-up keys (`look`): only
   * those keys are posted, and the others are not interned (at 100,000 articles the month folder's
   * ~1,240 articles look by ~12,000 distinct keys; December's ~7,100 records post ~38,000, about half
   * of them looked up). Which keys are posted changes no candidate list (a story's count is of the
   * keys asked for) nor the last candidate's count (`posted` is read for look-up keys alone).
   */
  let wanted: Map<string, number> | null = null;
  if (kept) {
    wanted = new Map();
    for (let i = 0; i < items.length; i++) {
      const ids: number[] = [];
      for (const k of keptOf(items[i]).look) {
        let id = wanted.get(k);
        if (id === undefined) wanted.set(k, (id = vocab.intern(k)));
        ids.push(id);
      }
      lookIdsOf.push(ids);
    }
  }
  const wantedIds = wanted && new Set(wanted.values());
  /** A story posts the blocking keys of its members that are not copies. */
  const post = (s: BucketStory, rec: PlacementRecord) => {
    if (!posting) {
      unposted.push([s, rec]);
      return;
    }
    // Its keys alone (a member made already, by the dated pass or as it was placed, has them interned).
    const member = vocab.members.get(rec);
    if (wanted && !member) {
      for (const key of rec.keys) {
        const k = wanted.get(key);
        if (k !== undefined) postKey(s, k);
      }
      return;
    }
    const keyIds = member?.keyIds ?? vocab.internAll(rec.keys);
    for (let i = 0; i < keyIds.length; i++) if (!wantedIds || wantedIds.has(keyIds[i])) postKey(s, keyIds[i]);
  };
  const postKey = (s: BucketStory, k: number) => {
    if (s.posted.has(k)) return;
    s.posted.add(k);
    const list = postings.get(k);
    if (!list) postings.set(k, [s]);
    else list.push(s);
  };
  const startPosting = () => {
    if (posting) return;
    posting = true;
    for (const [s, rec] of unposted) post(s, rec);
    unposted.length = 0;
  };
  if (!unmoved) startPosting();
  for (const rec of input.dated) {
    let s = stories.get(rec.story);
    if (!s) stories.set(rec.story, (s = { id: rec.story, serial: stories.size, extra: [], posted: new Set(), recs: [], members: [], view: null, date: rec.day, dated: true }));
    s.recs.push(rec);
    if (rec.day !== null && (s.date === null || rec.day < s.date)) s.date = rec.day;
    if (rec.copyOf === null) post(s, rec);
  }
  // Copy search: a copy shares its original's words, so its original is among the members of its
  // candidate stories (dated ones in reach, or the folder's earlier articles): compare sketches with those.
  // A member's sketch is read when a copy search first compares it (an article that keeps its record compares none).
  const datedOrder = new Map<PlacementRecord, number>();
  input.dated.forEach((rec, k) => datedOrder.set(rec, k));
  const folderItem = new Map<PlacementRecord, [StoryItem, number]>();
  const sketchOf = (rec: PlacementRecord): { sketch: Uint32Array; order: number } | undefined => {
    const k = datedOrder.get(rec);
    if (k !== undefined) {
      const sketch = input.sketches.get(rec.id, rec.day);
      return sketch ? { sketch, order: k } : undefined;
    }
    const own = folderItem.get(rec);
    const sketch = own?.[0].doc.sketch;
    return own && sketch!.length ? { sketch: sketch!, order: input.dated.length + own[1] } : undefined;
  };

  const out: PlacementRecord[] = [];
  const keyCounts = new KeyCounts<BucketStory>();
  const folderDate = input.bucket.from === null ? null : dayString(input.bucket.from);
  const dateOf = (s: BucketStory) => (s.dated && s.date !== null ? dayString(s.date) : folderDate);
  type Copy = { rec: PlacementRecord; order: number; containment: number };
  /** The best original for a copy with `sketch` among the members and extras of `among`, if any clears the copy bars. */
  const copyAmong = (sketch: Uint32Array, among: readonly BucketStory[], compared: (member: PlacementRecord) => boolean = () => true): Copy | null => {
    let best: Copy | null = null as Copy | null;
    const consider = (member: PlacementRecord) => {
      if (!compared(member)) return;
      const other = sketchOf(member);
      if (!other) return;
      const small = Math.min(sketch.length, other.sketch.length);
      const large = Math.max(sketch.length, other.sketch.length);
      // Fewer shared values than this and the pair fails the bars below: the count stops there.
      const shared = intersectCount(sketch, other.sketch, sharedNeeded(small, large, opts));
      const containment = shared / small;
      if (containment < opts.copyContainment || shared / large < opts.copyCoverage) return;
      if (!best || containment > best.containment || (containment === best.containment && other.order < best.order)) best = { rec: member, order: other.order, containment };
    };
    for (const s of among) {
      for (const r of s.recs) consider(r);
      for (const extra of s.extra) consider(extra);
    }
    return best;
  };
  /** The stories sharing most of the look-up keys `lookIds` (score.ts KeyCounts.top). */
  const candidatesOf = (lookIds: ArrayLike<number>): BucketStory[] => {
    startPosting();
    for (let k = 0; k < lookIds.length; k++) {
      keyCounts.nextKey();
      for (const s of postings.get(lookIds[k]) ?? []) keyCounts.hit(s);
    }
    return keyCounts.top(opts.maxCandidates, (s) => s.id);
  };
  /**
   * Places article i by scoring it against the stories in view (`found`: its candidates, when known):
   * its record and its home. With `part` (unmoved.ts Rescore), only the candidates it names are
   * scored and copy-searched: the others can be neither home, near miss nor original.
   */
  const place = (it: StoryItem, i: number, found: BucketStory[] | null, part: Rescore | null = null): [PlacementRecord, BucketStory] => {
    startPosting();
    const feats = featuresOf(it, i);
    const rec = startRecord(it, null, null, feats.f);
    rec.look = feats.lookIds.map((id) => vocab.terms[id]);
    const m: Member = { rec, v: feats.v, e: feats.e, keyIds: feats.keyIds, copy: false };
    let home: BucketStory | null = null;
    const all = found ?? candidatesOf(feats.lookIds);
    let candidates = part ? all.filter((s) => part.scored.has(s.id)) : all;
    // Its words (for its sketch) are read only when a copy search is to be made: placed again in part without one, they are not.
    const sketch = !part || part.copies.size || part.copyHome !== null ? it.doc.sketch : null;
    if (sketch && sketch.length >= opts.copyMinShingles) {
      // (a member of a story, dated or the folder's, and an extra name that story)
      const unseen = new Map<string, (member: PlacementRecord) => boolean>();
      const compared = (member: PlacementRecord) => {
        let test = unseen.get(member.story);
        if (!test) unseen.set(member.story, (test = part!.unseen(member.story)));
        return test(member);
      };
      const keptHome = part?.copyHome ?? null;
      let best = part
        ? copyAmong(sketch, all.filter((s) => part.copies.has(s.id) || s.id === keptHome), (member) =>
            member.story === keptHome ? (member.copyOf ?? member.id) === part.copyRoot : compared(member),
          )
        : copyAmong(sketch, candidates);
      if (keptHome !== null && !best) {
        // (a kept copy's original is among its home's members, so this is never expected: placed whole if it is)
        candidates = all;
        best = copyAmong(sketch, all);
      }
      if (best) {
        rec.copyOf = best.rec.copyOf ?? best.rec.id;
        rec.score = Math.round(best.containment * 1000) / 1000;
        home = stories.get(best.rec.story)!;
        m.copy = true;
      }
    }
    if (!home) {
      scratch.load(m.v, m.e, vocab.size);
      const scored = candidates.map((s) => {
        s.view ??= viewOf(membersOf(s), opts);
        return { s, score: similarity(scratch, m.v, m.e, it.source, null, s.view, null, opts.dateDecayDays, opts) };
      });
      scratch.clear(m.v, m.e);
      scored.sort((a, b) => b.score - a.score || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
      // Stories in view: the dated stories in reach of the folder's days and the folder's own.
      const base = thresholdFor(stories.size, opts);
      const best = scored.find((x) => x.score >= needed(x.s.view!, opts, base));
      if (best) {
        home = best.s;
        rec.score = best.score;
      } else {
        const id = storyId(it.title, it.id);
        home = stories.get(id) ?? newStory(id);
        rec.founder = true;
      }
      for (const x of scored) if (x.s !== home && x.score >= opts.relatedShare * opts.threshold) rec.near.push([x.s.id, round(x.score), sharedNames(m, x.s.view!)]);
    }
    rec.story = home.id;
    rec.date = dateOf(home);
    // Its member as scoring made it, for the stories that score against it later.
    vocab.members.set(rec, m);
    return [rec, home];
  };
  const newStory = (id: string): BucketStory => {
    const s: BucketStory = { id, serial: stories.size, extra: [], posted: new Set(), recs: [], members: [], view: null, date: null, dated: false };
    stories.set(id, s);
    return s;
  };
  items.forEach((it, i) => {
    let found: BucketStory[] | null = null;
    const probe: Probe = {
      candidates() {
        const lookIds = lookIdsOf[i];
        found = candidatesOf(lookIds);
        const last = found[found.length - 1];
        let lastCount = 0;
        if (last) for (const k of lookIds) if (last.posted.has(k)) lastCount++;
        return { ids: found.map((s) => s.id), lastCount };
      },
      idle(id, unseen) {
        const s = stories.get(id)!;
        // Its score with the story, as `place` scores it; then (the dearer test) the copy search among the story's members.
        const m = memberOf(keptOf(it), vocab);
        scratch.load(m.v, m.e, vocab.size);
        s.view ??= viewOf(membersOf(s), opts);
        const score = similarity(scratch, m.v, m.e, it.source, null, s.view, null, opts.dateDecayDays, opts);
        scratch.clear(m.v, m.e);
        if (score >= opts.relatedShare * opts.threshold) return false;
        // (its words are read only when one of the story's members needs comparing)
        if (!s.recs.some(unseen) && !s.extra.some(unseen)) return true;
        const sketch = it.doc.sketch;
        return sketch.length < opts.copyMinShingles || !copyAmong(sketch, [s], unseen);
      },
    };
    const verdict = unmoved?.keep(i, stories.size, probe) ?? null;
    let rec: PlacementRecord;
    let home: BucketStory;
    if (verdict && !(verdict instanceof Rescore)) {
      rec = verdict;
      home = stories.get(rec.story) ?? newStory(rec.story);
    } else [rec, home] = place(it, i, found, verdict);
    unmoved?.placed(i, rec);
    // Joining a dated story leaves it as it was: dated stories never depend on undated articles.
    if (!home.dated) {
      home.recs.push(rec);
      home.view = null;
      if (rec.copyOf === null) post(home, rec);
    } else home.extra.push(rec);
    folderItem.set(rec, [it, i]);
    out.push(rec);
  });
  return out;
}

/**
 * The fewest shared values with which a pair of sketches of `small` and `large` values can clear
 * both copy bars (containment of the smaller, coverage of the larger), as the bars are tested.
 */
function sharedNeeded(small: number, large: number, opts: Pick<StoryOptions, 'copyContainment' | 'copyCoverage'>): number {
  let k = Math.max(0, Math.floor(Math.max(opts.copyContainment * small, opts.copyCoverage * large)) - 1);
  while (k / small < opts.copyContainment || k / large < opts.copyCoverage) k++;
  return k;
}

/**
 * Shared values of two sorted, deduplicated hash arrays; the merge stops early (returning a count
 * below `need`) once even every value left could not bring it to `need`: most pairs compared in a
 * copy search are not copies, and their exact count is never read.
 */
function intersectCount(a: Uint32Array, b: Uint32Array, need = 0): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
    if (((i + j) & 31) === 0 && n + Math.min(a.length - i, b.length - j) < need) return n;
  }
  return n;
}
