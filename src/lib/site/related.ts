/**
 * Every story's related stories after a change, from the lists the last build
 * chose (kept by store/site-entries.ts): the same lists `relatedAll`
 * (site-index.ts) makes from scratch, for the cost of the stories a change can
 * reach instead of every story's shared-name count (about 1 s of a one-article
 * drop-in at 100,000 articles, for one changed story).
 *
 * A story's list depends on its own entry, the entries of its clustering near
 * misses, and, when none of those shares a name, on how many names each other
 * story shares with it (at least two, most first, then by id). So after the
 * files of some stories changed (`changed`: their ids before and after, and
 * their entries before), a story other than those keeps its list unless
 *  - one of its near misses changed: its list is made again;
 *  - it shares a name with a changed story (before or after the change) and
 *    its list comes from the count: when a changed story was on its list, the
 *    list is made again; otherwise the changed stories are the only candidates
 *    whose count can differ, and the best `limit` of the kept list and the
 *    changed stories' new counts is exactly the best `limit` of all (the kept
 *    list holds the best of the unchanged candidates, and anything it left out
 *    ranks below its last, or had fewer than two shared names).
 * test/site-related.test.ts checks the result equals `relatedAll` after random
 * changes, additions and removals.
 */
import { byText, sharedNames } from './links';
import type { IndexRelated } from './site-index';

export interface RelatedInput {
  id: string;
  nearMisses: Array<{ id: string; shared: string[] }>;
  entities: string[];
}

export interface RelatedChange {
  /** Ids of the stories whose files were written or removed: before the change and after it. */
  ids: ReadonlySet<string>;
  /** Those stories' entries before the change (a new story has none). */
  was: RelatedInput[];
}

/**
 * `relatedAll(stories, limit)` from `kept` (`relatedAll` of the stories before `change`), or null when
 * `kept` cannot stand for it (a story not changed and not in it, or two stories with one id): the
 * caller then makes every list.
 */
export function updateRelated(stories: RelatedInput[], kept: ReadonlyMap<string, IndexRelated[]>, change: RelatedChange, limit = 3): Map<string, IndexRelated[]> | null {
  const { indexOf, byName, chips, offer, fromCluster, remake } = relatedChooser(stories, limit);
  if (indexOf.size !== stories.length) return null;
  for (const s of stories) if (!change.ids.has(s.id) && !kept.has(s.id)) return null;

  /** How many of story i's entity entries name one of `mine` (relatedAll's count). */
  const shared = (mine: Set<string>, i: number) => {
    let n = 0;
    for (const name of stories[i].entities) if (mine.has(name)) n++;
    return n;
  };

  // The stories a change can reach.
  const again = new Set<number>();
  const nameReach = new Set<number>();
  const now: number[] = [];
  for (const id of change.ids) {
    const i = indexOf.get(id);
    if (i === undefined) continue;
    again.add(i);
    now.push(i);
  }
  stories.forEach((s, i) => {
    if (s.nearMisses.some((r) => change.ids.has(r.id))) again.add(i);
  });
  // The names looked up below, indexed before the first look-up (any other name makes the whole
  // index: NameIndex): the changed stories' (before and after), those of the stories made again, and
  // those of the stories whose kept list holds a changed story (made again below unless their near
  // misses give a list).
  const names = new Set<string>();
  for (const w of change.was) for (const name of w.entities) names.add(name);
  for (const i of again) for (const name of stories[i].entities) names.add(name);
  stories.forEach((s, i) => {
    if (!again.has(i) && kept.get(s.id)?.some((r) => change.ids.has(r.id))) for (const name of s.entities) names.add(name);
  });
  byName.prepare(names);
  const reach = (names: string[]) => {
    for (const name of names) for (const i of byName.get(name) ?? []) nameReach.add(i);
  };
  for (const w of change.was) reach(w.entities);
  for (const i of now) reach(stories[i].entities);
  // The stories a changed story (after the change) may share two names with: at most `n`, counting
  // each of its entity entries once per entry of the other story's that names it (an upper bound of
  // `shared`). A story reached by a name alone, whose list holds no changed story, gets no candidate
  // from the change, so its list is as it was whether it comes from its near misses or from the count:
  // not looked at further (a common name reaches thousands of stories).
  const maybe = new Set<number>();
  const counts = new Uint32Array(stories.length);
  for (const j of now) {
    const hit: number[] = [];
    for (const name of stories[j].entities) {
      for (const i of byName.get(name) ?? []) {
        if (counts[i]++ === 0) hit.push(i);
      }
    }
    for (const i of hit) {
      if (counts[i] >= 2) maybe.add(i);
      counts[i] = 0;
    }
  }

  const out = new Map<string, IndexRelated[]>();
  stories.forEach((story, self) => {
    if (again.has(self)) return out.set(story.id, remake(self));
    const list = kept.get(story.id)!;
    if (!nameReach.has(self)) return out.set(story.id, list);
    if (!maybe.has(self) && !list.some((r) => change.ids.has(r.id))) return out.set(story.id, list);
    const mine = new Set(story.entities);
    // No near miss changed: a list from the near misses is as it was.
    if (fromCluster(story, mine).length) return out.set(story.id, list);
    if (list.some((r) => change.ids.has(r.id))) return out.set(story.id, remake(self));
    const best = list.map((r) => ({ i: indexOf.get(r.id)!, n: 0 }));
    for (const b of best) b.n = shared(mine, b.i);
    const was = new Set(best.map((b) => b.i));
    for (const i of now) {
      if (i === self) continue;
      const n = shared(mine, i);
      if (n >= 2) offer(best, { i, n });
    }
    if (best.length === list.length && best.every((b) => was.has(b.i))) return out.set(story.id, list);
    const keptShared = new Map(list.map((r) => [r.id, r.shared]));
    out.set(
      story.id,
      best.map(({ i }) => ({ id: stories[i].id, shared: keptShared.get(stories[i].id) ?? sharedNames([], chips(i), mine) })),
    );
  });
  return out;
}

let wholeIndexes = 0;
/** How many whole name indexes this process has made (tests: a drop-in's update makes none). */
export const wholeNameIndexes = (): number => wholeIndexes;

/**
 * Entity name -> the indexes of the stories naming it, in story order, once per entity entry. Made
 * whole on the first `get` of a name not `prepare`d; `prepare(names)` indexes only those names (one
 * pass that looks names up, without a list per name of the archive: a drop-in's update asks for the
 * names of a few stories, and the whole index of 20,000 stories' names was a tenth of its site index
 * at 100,000 articles). Either way a name's list is the same.
 */
class NameIndex {
  private whole: Map<string, number[]> | null = null;
  private some: Map<string, number[]> | null = null;
  constructor(private readonly stories: RelatedInput[]) {}

  get(name: string): number[] | undefined {
    if (this.whole) return this.whole.get(name);
    if (this.some?.has(name)) return this.some.get(name)!.length ? this.some.get(name) : undefined;
    return this.all().get(name);
  }

  /** Indexes `names` (each story's entries scanned once) unless the whole index is made. */
  prepare(names: Iterable<string>): void {
    if (this.whole) return;
    const some = new Map<string, number[]>();
    for (const name of names) some.set(name, []);
    this.stories.forEach((s, i) => {
      for (const name of s.entities) some.get(name)?.push(i);
    });
    this.some = some;
  }

  private all(): Map<string, number[]> {
    wholeIndexes++;
    const byName = new Map<string, number[]>();
    this.stories.forEach((s, i) => {
      for (const name of s.entities) {
        const list = byName.get(name);
        if (list) list.push(i);
        else byName.set(name, [i]);
      }
    });
    this.some = null;
    return (this.whole = byName);
  }
}

/**
 * relatedAll's choice for one story, from scratch (`remake`), with what it
 * reads built once over `stories`: an inverted index of entity names, and the
 * shared-name counts in a typed array reset after each story (only the
 * touched slots: a common name lists thousands of stories, and a Map per
 * story was most of the site index's time at 100,000 articles, 3 s of 4).
 * Most shared names first, then by id: a total order, so the order found in
 * does not matter; the best `limit` are kept as they come (a story sharing a
 * common name has thousands of candidates: sorting them all cost more).
 */
export function relatedChooser(stories: RelatedInput[], limit: number) {
  const indexOf = new Map<string, number>();
  for (let i = 0; i < stories.length; i++) indexOf.set(stories[i].id, i);
  // entity name -> index of the story, once per entity entry (a repeated name counts twice, as in links.ts).
  const byName = new NameIndex(stories);
  const chips = (i: number) => stories[i].entities.map((name) => ({ name }));
  const counts = new Uint32Array(stories.length);
  const touched: number[] = [];
  const before = (a: { i: number; n: number }, b: { i: number; n: number }) => b.n - a.n || byText(stories[a.i].id, stories[b.i].id);
  /** Puts `c` among the best `limit` of `best` (kept in order). */
  const offer = (best: Array<{ i: number; n: number }>, c: { i: number; n: number }) => {
    if (best.length === limit && (limit === 0 || before(c, best[limit - 1]) >= 0)) return;
    let at = best.length < limit ? best.length : limit - 1;
    while (at > 0 && before(c, best[at - 1]) < 0) at--;
    best.splice(at, 0, c);
    if (best.length > limit) best.pop();
  };
  /** Clustering's near misses that share a name with `mine`, with the names. */
  const fromCluster = (story: RelatedInput, mine: Set<string>): IndexRelated[] =>
    story.nearMisses
      .filter((r) => indexOf.has(r.id) && r.id !== story.id)
      .map((r) => ({ id: r.id, shared: sharedNames(r.shared, chips(indexOf.get(r.id)!), mine) }))
      .filter((r) => r.shared.length > 0);
  const remake = (self: number): IndexRelated[] => {
    const story = stories[self];
    const mine = new Set(story.entities);
    const cluster = fromCluster(story, mine);
    if (cluster.length) return cluster.slice(0, limit);
    touched.length = 0;
    for (const name of mine) {
      for (const i of byName.get(name) ?? []) {
        if (i === self) continue;
        if (counts[i]++ === 0) touched.push(i);
      }
    }
    const best: Array<{ i: number; n: number }> = [];
    for (const i of touched) {
      const n = counts[i];
      counts[i] = 0;
      if (n < 2 || stories[i].id === story.id) continue;
      offer(best, { i, n });
    }
    return best.map(({ i }) => ({ id: stories[i].id, shared: sharedNames([], chips(i), mine) }));
  };
  return { indexOf, byName, chips, offer, fromCluster, remake };
}
