/**
 * Story numbers updated near a change (src/lib/search/renumber.ts) are the
 * numbers storyNumbers gives the new records from scratch, over random changes
 * on crowded days (long clusters, clusters running into the next day).
 */
import { describe, expect, it } from 'vitest';
import { SLOTS, storyNumbers } from '../src/lib/search/format';
import { renumber, type Numbered } from '../src/lib/search/renumber';

describe('renumber', () => {
  it('gives what storyNumbers gives, after random changes', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const dates = ['', '2025-01-01', '2025-01-02', '2025-01-04'];
    for (let round = 0; round < 30; round++) {
      // Crowded: up to ~0.8 records per slot on a day, so clusters are long and spill into the next day.
      const size = Math.floor(rand() * 2 * SLOTS);
      let next = 0;
      const make = (): Numbered => ({ key: `s${round}-${next++}`, date: dates[Math.floor(rand() * dates.length)] });
      let records = Array.from({ length: size }, make);
      for (let step = 0; step < 6; step++) {
        const nums = storyNumbers(records.map((r) => ({ id: r.key, date: r.date })));
        const at = new Map<number, Numbered>();
        const numOf = new Map<string, number>();
        records.forEach((r, i) => {
          at.set(nums[i], r);
          numOf.set(r.key, nums[i]);
        });
        const removed: Array<{ key: string; num: number }> = [];
        const added: Numbered[] = [];
        const changes = 1 + Math.floor(rand() * 8);
        for (let c = 0; c < changes; c++) {
          const r = rand();
          if (r < 0.4 || !records.length) {
            const fresh = make();
            records.push(fresh);
            added.push(fresh);
          } else {
            const i = Math.floor(rand() * records.length);
            const old = records[i];
            if (!numOf.has(old.key) || removed.some((x) => x.key === old.key)) continue;
            removed.push({ key: old.key, num: numOf.get(old.key)! });
            if (r < 0.7) records.splice(i, 1);
            else {
              // A date moved: gone from its number, placed anew.
              const moved = { key: old.key, date: dates[Math.floor(rand() * dates.length)] };
              records[i] = moved;
              added.push(moved);
            }
          }
        }
        const cold = storyNumbers(records.map((r) => ({ id: r.key, date: r.date })));
        const near = renumber((x) => at.get(x), removed, added);
        expect(records.map((r) => near.get(r.key) ?? numOf.get(r.key))).toEqual(cold);
        // Only the neighbourhood is looked at, not every record.
        if (size > SLOTS) expect(near.size).toBeLessThan(records.length);
      }
    }
  });
});
