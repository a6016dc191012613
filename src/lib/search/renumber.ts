/**
 * Story numbers (format.ts storyNumbers) after a change, from the numbers
 * before it, looking only near the change: a drop-in at 100,000 articles
 * renumbers the few records it touched, not 20,000.
 *
 * storyNumbers places records in order of home slot, then key, each at
 * max(home, previous + 1). A run of taken numbers (a cluster) starts after a
 * free one, and every record numbered inside it has its home inside it; so a
 * change to the records whose homes fall in one cluster can move only the
 * records of that cluster, and of the clusters it grows into. Each change is
 * numbered again with the records of its cluster, widened until the new
 * numbers end before a number that was free; every other record keeps its
 * number. test/search-renumber.test.ts checks it against storyNumbers.
 *
 * Pure.
 */
import { dayIndex, fnv32, SLOTS } from './format';

/** A record as numbered: its key (chunks.ts recordKey) and date ('' when undated). */
export interface Numbered {
  key: string;
  date: string;
}

/** A record's home slot, as storyNumbers places it. */
export const homeSlot = (r: Numbered): number => dayIndex(r.date) * SLOTS + (fnv32(r.key) & (SLOTS - 1));

const byHome = (a: { home: number; key: string }, b: { home: number; key: string }) => a.home - b.home || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The new numbers of the records near a change: `before(x)` is the record
 * that had number x (undefined: free), `removed` the records that went (or
 * moved: their key and number before), `added` those that came (or moved:
 * their key and date now). Returns the number of every added record and of
 * every record before whose number may have changed (they are given whether or
 * not it did); the records not in it keep their numbers.
 */
export function renumber(before: (x: number) => Numbered | undefined, removed: ReadonlyArray<{ key: string; num: number }>, added: readonly Numbered[]): Map<string, number> {
  const gone = new Set(removed.map((r) => r.key));
  const adds = added.map((r) => ({ key: r.key, home: homeSlot(r) })).sort(byHome);
  const events = [...removed.map((r) => r.num), ...adds.map((a) => a.home)].sort((a, b) => a - b);
  const taken = (x: number) => x >= 0 && before(x) !== undefined;
  const out = new Map<string, number>();
  // The end of the last cluster numbered: a number free before, and above every new number so far.
  let done = -1;
  let ai = 0;
  for (const e of events) {
    if (e < done) continue;
    // The cluster's start: after a number free before (nothing numbered above it has a home below it).
    let start = e;
    while (taken(start - 1)) start--;
    let end = e + 1;
    for (;;) {
      while (taken(end - 1)) end++;
      const members: Array<{ key: string; home: number }> = [];
      for (let x = start; x < end; x++) {
        const r = before(x);
        if (r && !gone.has(r.key)) members.push({ key: r.key, home: homeSlot(r) });
      }
      let j = ai;
      while (j < adds.length && adds[j].home < end) members.push(adds[j++]);
      members.sort(byHome);
      let last = start - 1;
      const nums = members.map((m) => (last = Math.max(m.home, last + 1)));
      if (last < end) {
        members.forEach((m, i) => out.set(m.key, nums[i]));
        ai = j;
        break;
      }
      // The new numbers run past a number that was free: the cluster grows into the next one.
      end = last + 1;
    }
    done = end;
  }
  return out;
}
