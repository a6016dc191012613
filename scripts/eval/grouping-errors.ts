/**
 * Where a grouping loses precision, read from its state (stories/state.ts)
 * against gold labels: every article placed in a story whose founder belongs
 * to another gold story (an "intruder"), by how it got there:
 *
 *  - copy: it followed a wire-copy match (its text contains another story's);
 *  - dated join / undated join: it joined on its score. For a dated join, was
 *    its own gold story already placed in the N days before it (then it chose
 *    the wrong story over the right one), or was it its gold story's first
 *    article (then it should have founded a story)?
 *
 * With the generator's seeds file (label -> seed event keys) it also says how
 * many intruders sit with a story built on the same real event: label noise,
 * not a grouping error. Used by scripts/bench/group-year.ts --errors.
 */
import type { GroupingState, PlacementRecord } from '../../src/lib/ingest/stories/state.ts';

export function precisionErrors(state: GroupingState, labels: Record<string, string>, seeds: Record<string, string> | null, examples: number): string[] {
  const records: PlacementRecord[] = [...Object.values(state.months).flatMap((m) => m.records), ...Object.values(state.buckets).flatMap((b) => b.records)];
  const gold = (r: PlacementRecord) => labels[r.raw] ?? null;
  const byStory = new Map<string, PlacementRecord[]>();
  for (const r of records) {
    const list = byStory.get(r.story);
    if (list) list.push(r);
    else byStory.set(r.story, [r]);
  }
  // Where each gold story's dated articles were placed, by day.
  const goldPlaced = new Map<string, Array<{ day: number; story: string }>>();
  for (const r of records) {
    const g = gold(r);
    if (g === null || r.day === null) continue;
    if (!goldPlaced.has(g)) goldPlaced.set(g, []);
    goldPlaced.get(g)!.push({ day: r.day, story: r.story });
  }
  const seedSet = (g: string) => new Set((seeds?.[g] ?? '').split(' ').filter(Boolean));
  const sameSeed = (a: string, b: string) => {
    const x = seedSet(a);
    for (const k of seedSet(b)) if (x.has(k)) return true;
    return false;
  };
  const tally = new Map<string, number>();
  const bump = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
  const scores: number[] = [];
  const shown: string[] = [];
  let intruders = 0;
  let noise = 0;
  for (const [story, members] of byStory) {
    const founder = members.find((r) => r.founder) ?? members[0];
    const main = gold(founder);
    if (main === null) continue;
    for (const r of members) {
      const g = gold(r);
      if (g === null || g === main) continue;
      intruders++;
      const same = seeds ? sameSeed(g, main) : false;
      if (same) noise++;
      let kind: string;
      if (r.copyOf !== null) kind = 'copy';
      else if (r.day === null) kind = 'undated join';
      else {
        const earlier = (goldPlaced.get(g) ?? []).filter((p) => p.day <= r.day! && p.day >= r.day! - 7 && p.story !== story);
        kind = earlier.length ? 'dated join, own story in view' : 'dated join, first of its story';
        scores.push(r.score);
      }
      bump(kind + (same ? ' (same seed)' : ''));
      if (shown.length < examples) {
        const second = r.near.length ? r.near[0][1] : 0;
        shown.push(`  ${kind}${same ? ' [same seed]' : ''}: ${r.raw} (${g}) -> ${story} (${main}) score ${r.score.toFixed(3)} next ${second} | "${r.title.slice(0, 60)}" vs "${founder.title.slice(0, 60)}"`);
      }
    }
  }
  scores.sort((a, b) => a - b);
  const q = (p: number) => (scores.length ? scores[Math.floor(p * (scores.length - 1))].toFixed(3) : '-');
  // Score distributions of dated, non-copy placements: right joins, wrong joins, and the best near miss of each.
  const dist = new Map<string, number[]>();
  const add = (k: string, x: number) => (dist.get(k) ?? dist.set(k, []).get(k)!).push(x);
  for (const [, members] of byStory) {
    const founder = members.find((r) => r.founder) ?? members[0];
    const main = gold(founder);
    for (const r of members) {
      if (r.day === null || r.copyOf !== null || gold(r) === null) continue;
      const next = r.near.length ? r.near[0][1] : 0;
      if (r.founder) {
        const ownEarlier = (goldPlaced.get(gold(r)!) ?? []).some((p) => p.day <= r.day! && p.day >= r.day! - 7 && p.story !== r.story);
        add(ownEarlier ? 'founder, own story in view: best' : 'founder, rightly: best', next);
      } else {
        const ok = gold(r) === main;
        add(`${ok ? 'right' : 'wrong'} join: score`, r.score);
        add(`${ok ? 'right' : 'wrong'} join: next`, next);
      }
    }
  }
  const quant = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99].map((p) => xs[Math.floor(p * (xs.length - 1))].toFixed(3)).join(' ');
  };
  const dists = [...dist].sort().map(([k, xs]) => `  ${k.padEnd(34)} n=${String(xs.length).padStart(6)}  q10..q99: ${quant(xs)}`);
  return [
    ...dists,
    `precision errors: ${intruders} of ${records.length} articles sit in a story founded by another gold story${seeds ? `; ${noise} of them with a story built on the same real event (label noise)` : ''}`,
    ...[...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${n}`),
    `  dated wrong joins' scores: quartiles ${q(0.25)} / ${q(0.5)} / ${q(0.75)}, max ${q(1)}`,
    ...shown,
  ];
}
