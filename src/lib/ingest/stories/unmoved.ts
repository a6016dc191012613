/**
 * The undated articles of a folder that a change to the dated days near it
 * cannot move. When only dated days in a folder's reach changed (regroup.ts:
 * its articles and its weights as kept), the folder is placed again
 * (undated.ts placeBucket); most of its articles would be placed exactly as
 * they were, and this tells which, so only the others are scored again.
 *
 * Why a kept placement is exact. The kept records are what placeBucket gave
 * the previous input (a cold run's state, by induction); the new input
 * differs from it only in the dated records of the stories in `changed` (the
 * dated stories whose records in the folder's reach differ, or whose
 * articles' copy sketches may: regroup.ts). Placing article i reads, besides
 * its own vectors and keys (the same: kept):
 *  1. the candidates: of the stories posting one of its look-up keys
 *     (`look`), the `maxCandidates` sharing most, ties to the greater id
 *     (score.ts KeyCounts.top: whatever order the stories were met in);
 *  2. the copy search among the candidates' members and `extra`s (the
 *     folder's articles that joined a dated one), else its score with each
 *     candidate (from the candidate's view); it joins the first, best first,
 *     scoring at least the bar raised for that story (`needed`, never below
 *     the bar), and keeps as near misses the others scoring at least
 *     relatedShare x threshold (with the names shared with their views);
 *  3. the bar: thresholdFor(the number of stories in view), the dated
 *     stories in reach plus those the folder's earlier articles founded;
 *  4. its home's date (its earliest dated day), and, when it founds a story,
 *     whether a story of that id exists already.
 * Let C hold the stories that differ between the two runs before article i:
 * `changed`, and the old and new homes of every earlier article whose record
 * differs (its home gained or lost a member or an extra). A story outside C
 * posts the same keys and has the same members, extras and date in both
 * runs. Article i keeps its record when its kept home is not in C (4: same
 * date; a founded id no changed story holds), the bar is the same (3), or
 * it differs and the kept choice is the one the new bar makes of the same
 * scores (`sameChoice`: a drop-in founding a dated story in the folder's reach
 * moves the bar of every article of the folder), and:
 *  a. no story of C shares a look-up key with it in either run: none is a
 *     candidate, the others count the same, so the candidates are the same,
 *     none in C: every input of 2 is the same; or
 *  b. the candidates are the same in both runs (each story of C counts the
 *     same in both, or, when one does not, it ranks below this run's last
 *     candidate in both, the list being full), and each story of C among
 *     them was no near miss of the kept record (it scored below
 *     relatedShare x threshold then; a copy's record names none, and is
 *     not scored in either run) and now too scores below that (the bar is
 *     never below it) and, among the members the kept record's copy search
 *     did not compare as they are now (`unseenIn`), holds no copy's
 *     original for it: it is neither home nor near miss in either run and
 *     offers no other original than then, and the others score, and offer
 *     originals, as they did: 2 gives the same.
 * Otherwise it is placed again; if its record then differs, both its homes
 * join C. Induction on i gives the whole folder.
 *
 * Placed again, in part (`Rescore`). When the candidates are the same in
 * both runs (a or b), placing it again need not look at every candidate.
 *  - A record that is no copy: a candidate outside C that was neither its
 *    home nor a near miss scored below relatedShare x threshold then, and
 *    scores the same now (its view and the article's vectors are the same),
 *    so it can be neither home (the bar is never below that: checked) nor
 *    near miss; and no member a candidate's copy search compared then as it
 *    is now held a copy's original (the kept record names none). So only
 *    the candidates of C, the near misses and the kept home are scored, and
 *    only the members of C's candidates not compared then are copy-searched.
 *  - A copy whose kept home H is outside C: its original then, B, was the
 *    best of every member compared then (containment, then order: the order
 *    of two records in the input is the same in both runs), and is still
 *    H's, with the same sketch; every member compared then as it is now is
 *    at most B. So the best of H's members (B among them) and of the members
 *    of C's candidates not compared then is the best of all: only those are
 *    copy-searched (of H's, those that are the kept original or its copies,
 *    B among them), and it is found (B clears the bars).
 * Either gives the same record as a whole placing (which makes ~20
 * candidates' views and copy-searches ~90 members, at 100,000 articles).
 *
 * Keys are counted as placeBucket posts them: a story's records that are not
 * copies, a dated story's own (an undated article that joins it posts none).
 */
import type { PlacementRecord } from './state.ts';
import type { StoryOptions } from './options.ts';
import { thresholdFor } from './score.ts';

export interface PreviousInput {
  /** The dated records in the folder's reach the kept records were placed against (the previous run's). */
  dated: readonly PlacementRecord[];
  /**
   * Dated stories whose records in the folder's reach differ between `dated` and the input's (ids in
   * either), or whose articles' copy sketches may differ: a superset is fine.
   */
  changed: ReadonlySet<string>;
  /** Articles whose words (so copy sketch) may differ from the previous run's: the added and removed ones. */
  rewritten: ReadonlySet<string>;
}

/** What this run's placement can tell of an article, asked only when the cheap test fails. */
export interface Probe {
  /** Its candidates (KeyCounts.top's order) and the count of shared look-up keys of the last one. */
  candidates(): { ids: readonly string[]; lastCount: number };
  /**
   * Candidate `id` scores below relatedShare x threshold with it, and none of its members and extras
   * for which `unseen` holds is a copy's original for it.
   */
  idle(id: string, unseen: (member: PlacementRecord) => boolean): boolean;
}

/**
 * An article to place again in part (module header): its candidates are the previous run's. Only
 * the members of `copies` for which `unseen(story)` holds, and the members of `copyHome` that are
 * `copyRoot` or its copies, need a copy search; a kept record that is no copy (`copyHome` null)
 * then needs only `scored` scored (the others score below relatedShare x threshold, as then); a
 * copy is found again among them.
 */
export class Rescore {
  constructor(
    /** C's candidates, the kept record's near misses and its home (ids; those not among the candidates are not scored). */
    readonly scored: ReadonlySet<string>,
    /** C's candidates. */
    readonly copies: ReadonlySet<string>,
    readonly unseen: (story: string) => (member: PlacementRecord) => boolean,
    /** A kept copy's home (outside C): its original is among its members. */
    readonly copyHome: string | null,
    /** A kept copy's original's first original (the record's `copyOf`). */
    readonly copyRoot: string | null,
  ) {}
}

/** Key -> the stories that post it: one run's, for the stories of C. */
class Posts {
  readonly byKey = new Map<string, Set<string>>();
  constructor(
    /** The run's dated stories: an undated article that joins one posts nothing. */
    private readonly dated: ReadonlySet<string>,
  ) {}
  add(r: PlacementRecord, dated: boolean): void {
    if (r.copyOf !== null || (!dated && this.dated.has(r.story))) return;
    for (const k of r.keys) {
      const list = this.byKey.get(k);
      if (list) list.add(r.story);
      else this.byKey.set(k, new Set([r.story]));
    }
  }
}

export class Unmoved {
  private readonly changed: Set<string>;
  private readonly oldPosts: Posts;
  private readonly newPosts: Posts;
  /** Stories in view in the previous run before the article at hand: the dated ones, then the folder's. */
  private readonly oldStories: Set<string>;
  /** The dated records of each story, the previous run's and this run's, in their order (a story joins C often: ~300 times in a folder at 100,000 articles). */
  private readonly oldByStory: Map<string, PlacementRecord[]>;
  private readonly newByStory: Map<string, PlacementRecord[]>;
  /** This run's records of the articles placed so far (`old[i]` is the kept record of article i). */
  private readonly now: PlacementRecord[] = [];

  constructor(
    private readonly previous: PreviousInput,
    dated: readonly PlacementRecord[],
    private readonly old: readonly PlacementRecord[],
    private readonly opts: StoryOptions,
  ) {
    this.changed = new Set(previous.changed);
    this.oldStories = new Set(previous.dated.map((r) => r.story));
    this.oldByStory = byStory(previous.dated);
    this.newByStory = byStory(dated);
    this.oldPosts = new Posts(new Set(this.oldStories));
    this.newPosts = new Posts(new Set(dated.map((r) => r.story)));
    for (const r of previous.dated) if (this.changed.has(r.story)) this.oldPosts.add(r, true);
    for (const r of dated) if (this.changed.has(r.story)) this.newPosts.add(r, true);
  }

  /** A story joins C: the keys it posted so far, in either run, are counted. */
  private change(story: string): void {
    if (this.changed.has(story)) return;
    this.changed.add(story);
    for (const r of this.oldByStory.get(story) ?? []) this.oldPosts.add(r, true);
    for (const r of this.newByStory.get(story) ?? []) this.newPosts.add(r, true);
    for (let j = 0; j < this.now.length; j++) {
      if (this.old[j].story === story) this.oldPosts.add(this.old[j], false);
      if (this.now[j].story === story) this.newPosts.add(this.now[j], false);
    }
  }

  /**
   * The kept record of article i (the next one) when its placement is provably the same; else what
   * placing it again must look at (`Rescore`), or null (all of it). `inView`: how many stories this
   * run has in view at it.
   */
  keep(i: number, inView: number, probe: Probe): PlacementRecord | Rescore | null {
    const old = this.old[i];
    const floor = this.opts.relatedShare * this.opts.threshold;
    const bar = thresholdFor(inView, this.opts);
    const barThen = thresholdFor(this.oldStories.size, this.opts);
    // Kept whole needs its home outside C and the same choice under both bars; placed again in part,
    // a copy whose home is outside C, or a record that is no copy and a bar no omitted candidate can clear.
    const whole = !this.changed.has(old.story) && (barThen === bar || sameChoice(old, barThen, bar, floor));
    const part = old.copyOf !== null ? !this.changed.has(old.story) : floor <= bar;
    if (!whole && !part) return null;
    // Each story of C sharing a look-up key with it: its counts then and now.
    const counts = new Map<string, [number, number]>();
    const count = (posts: Posts, k: string, at: 0 | 1) => {
      for (const s of posts.byKey.get(k) ?? []) {
        let c = counts.get(s);
        if (!c) counts.set(s, (c = [0, 0]));
        c[at]++;
      }
    };
    for (const k of old.look!) {
      count(this.oldPosts, k, 0);
      count(this.newPosts, k, 1);
    }
    const rescore = (ids: readonly string[]) =>
      new Rescore(
        new Set([...ids.filter((id) => this.changed.has(id)), ...old.near.map((n) => n[0]), old.story]),
        new Set(ids.filter((id) => this.changed.has(id))),
        (id) => this.unseenIn(id, i),
        old.copyOf !== null ? old.story : null,
        old.copyOf,
      );
    // (a): no candidate in C, then or now.
    if (!counts.size) return whole ? old : rescore([]);
    // (b) A near miss scores at least this, and the bar is never below it: below it, a story is neither.
    const nearProof = whole && floor <= Math.min(bar, barThen);
    if (!nearProof && !part) return null;
    const now = probe.candidates();
    if (!this.sameCandidates(counts, now)) return null;
    if (!nearProof) return rescore(now.ids);
    const near = new Set(old.near.map((n) => n[0]));
    for (const id of now.ids) if (this.changed.has(id) && (near.has(id) || !probe.idle(id, this.unseenIn(id, i)))) return part ? rescore(now.ids) : null;
    return old;
  }

  /** The candidates are the same in both runs, from the counts of C's stories sharing a look-up key with the article (b). */
  private sameCandidates(counts: ReadonlyMap<string, [number, number]>, now: ReturnType<Probe['candidates']>): boolean {
    const last = now.ids[now.ids.length - 1];
    const listed = new Set(now.ids);
    for (const [s, [then, nowCount]] of counts) {
      if (then === nowCount) continue;
      if (now.ids.length < this.opts.maxCandidates || listed.has(s)) return false;
      if (then > now.lastCount || (then === now.lastCount && s > last)) return false;
    }
    return true;
  }

  /**
   * The members (and extras) of story `id` this run that the previous run's copy search for article
   * i did not compare as they are now: not the story's then, or rewritten since. The others were,
   * with the same sketches, in both runs' candidate (the same lists, (b)): they gave no better
   * original then than the one the kept record names (or none), so they give none now.
   */
  private unseenIn(id: string, i: number): (member: PlacementRecord) => boolean {
    let was = this.members.get(id);
    if (!was) {
      was = { ids: new Set(), upTo: 0 };
      for (const r of this.oldByStory.get(id) ?? []) was.ids.add(r.id);
      this.members.set(id, was);
    }
    for (; was.upTo < i; was.upTo++) if (this.old[was.upTo].story === id) was.ids.add(this.old[was.upTo].id);
    const then = was.ids;
    return (member) => !then.has(member.id) || this.previous.rewritten.has(member.id);
  }
  /** The previous run's member and extra ids of a story of C: its dated ones, then the folder's before article `upTo`. */
  private readonly members = new Map<string, { ids: Set<string>; upTo: number }>();

  /** Article i was placed (kept or again) as `rec`. */
  placed(i: number, rec: PlacementRecord): void {
    const old = this.old[i];
    if (rec !== old && !samePlacement(rec, old)) {
      this.change(old.story);
      this.change(rec.story);
    }
    if (this.changed.has(old.story)) this.oldPosts.add(old, false);
    if (this.changed.has(rec.story)) this.newPosts.add(rec, false);
    // The previous run's stories in view: a founder of a new id added one.
    if (old.founder) this.oldStories.add(old.story);
    this.now.push(rec);
  }
}

/** Records by story, each story's in the order given. */
function byStory(records: readonly PlacementRecord[]): Map<string, PlacementRecord[]> {
  const out = new Map<string, PlacementRecord[]>();
  for (const r of records) {
    const list = out.get(r.story);
    if (list) list.push(r);
    else out.set(r.story, [r]);
  }
  return out;
}

/**
 * Near misses' scores are kept rounded (score.ts round: 3 decimals): a true score lies within this
 * of the kept one (half a unit of the last place, and room for the float arithmetic).
 */
const NEAR_ROUNDING = 1e-3;

/**
 * Whether the kept record `old` chose its home as it would under the bar `now` instead of `then`
 * (the bars differ when a story came or went in the folder's view: a drop-in founding a dated story
 * in its reach), its candidates scoring as they did (what `keep` proves besides). The bar only
 * decides which candidate, best first, an article joins (the first scoring at least `needed`, never
 * below the bar; a near miss is any other scoring at least relatedShare x threshold, whatever the
 * bar), and a copy is homed before any bar is read. So:
 *  - a copy: the same home;
 *  - a founder (no candidate cleared its `needed` then): under a higher bar none does; under a
 *    lower one, only a candidate scoring at least `now` could, and every candidate scoring that
 *    much is a near miss (the bar is never below relatedShare x threshold, `keep` checks): each
 *    near miss must score below `now`;
 *  - an article that joined at score s (s cleared its home's `needed` then, so s is at least its
 *    home's cohesion bar): it clears it under `now` when s >= now; under a higher bar the candidates
 *    ranked before it failed a lower bar already, under a lower one each of them is a near miss
 *    scoring at least s: there must be none.
 * A near miss's score is known to NEAR_ROUNDING, so a close call is placed again. `floor`
 * (relatedShare x threshold) must be at most both bars, for the near misses to be every candidate
 * that could clear either.
 */
function sameChoice(old: PlacementRecord, then: number, now: number, floor: number): boolean {
  if (old.copyOf !== null) return true;
  if (floor > Math.min(then, now)) return false;
  if (old.founder) return now >= then || old.near.every((n) => n[1] + NEAR_ROUNDING < now);
  if (old.score < now) return false;
  return now >= then || old.near.every((n) => n[1] + NEAR_ROUNDING < old.score);
}

/** The fields of a record holding its article's vectors: a record placed again from its kept one shares these arrays. */
const VECTOR_FIELDS = new Set(['terms', 'w', 'ents', 'ew', 'names', 'keys']);

/**
 * The same record, for a folder's article placed again from its kept record: its own fields and
 * vectors are the kept ones (the same arrays: undated.ts keptFeatures), so only the other fields
 * (the placement's) are compared, unless the vectors are other arrays (then the whole record).
 * The other fields are every field but the vectors, not a list of them, so a field added to
 * PlacementRecord is compared too.
 */
function samePlacement(a: PlacementRecord, b: PlacementRecord): boolean {
  // By name, skipping absent ones (`look` may be missing or undefined): the order fields were set in does not matter.
  const fields = (r: PlacementRecord) =>
    Object.entries(r)
      .filter(([key, value]) => value !== undefined && !VECTOR_FIELDS.has(key))
      .sort(([x], [y]) => (x < y ? -1 : 1));
  for (const key of VECTOR_FIELDS) if (a[key as keyof PlacementRecord] !== b[key as keyof PlacementRecord]) return JSON.stringify(a) === JSON.stringify(b);
  return JSON.stringify(fields(a)) === JSON.stringify(fields(b));
}
