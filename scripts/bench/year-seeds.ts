/**
 * The year-of-news generator's real events (year.ts): volume-bbc files grouped
 * by the event they tell, so that no two gold stories are built on one real
 * event (label noise the grouping would be blamed for).
 */
import type { SeedStory, SeedTelling } from './corpus.ts';

/**
 * Seeds that tell one event are one event (the gold must not call them two
 * stories): volume-bbc holds duplicate files and articles on one event
 * days apart (a bid battle, a doping case). Two seeds are one event when they
 * share verbatim text (this share of the smaller one's word 5-shingles: BBC
 * reuses background paragraphs within an event) or their TF-IDF cosine over
 * title and body is at least SAME_EVENT_COSINE (pairs above it read as one
 * event or one running saga; below, mostly one topic). Checked by reading
 * the pairs; docs/stories-window.md lists examples.
 */
const SAME_TEXT = 0.2;
const SAME_EVENT_COSINE = 0.5;
/** Shingles at least this contained in another seed of the event are a duplicate of it, not a telling: dropped. */
const DUPLICATE = 0.9;

const wordsOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter(Boolean);
const STOP = new Set('the a an of to in and or for on at by with from is was are were be been has have had it its that this as he she they said not but will would mr mrs ms'.split(' '));

/**
 * The one-article events (volume-bbc) grouped by event: union of the pairs
 * that share verbatim text (SAME_TEXT) or read alike (SAME_EVENT_COSINE);
 * within a group, a seed contained in an earlier one (DUPLICATE) is dropped.
 * Multi-telling events (BASIL, AllSides: editors' gold) stay as they are.
 */
export function sameEvents(stories: SeedStory[]): { stories: Array<{ keys: string[]; tellings: SeedTelling[] }>; dropped: number } {
  const single = stories.filter((s) => s.tellings.length === 1);
  const n = single.length;
  const text = single.map((s) => `${s.tellings[0].title} ${s.tellings[0].paragraphs.join(' ')}`);
  // Word 5-shingles of the body, and an index from shingle to seeds.
  const shingles = single.map((s) => {
    const w = wordsOf(s.tellings[0].paragraphs.join(' '));
    const set = new Set<string>();
    for (let i = 0; i + 5 <= w.length; i++) set.add(w.slice(i, i + 5).join(' '));
    return set;
  });
  const byShingle = new Map<string, number[]>();
  shingles.forEach((set, i) => {
    for (const h of set) {
      const list = byShingle.get(h);
      if (list) list.push(i);
      else byShingle.set(h, [i]);
    }
  });
  // Unit TF-IDF vectors, and an index from term to (seed, weight).
  const tfs = text.map((t) => {
    const m = new Map<string, number>();
    for (const w of wordsOf(t)) if (w.length > 2 && !STOP.has(w)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const m of tfs) for (const w of m.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const byTerm = new Map<string, Array<[number, number]>>();
  tfs.forEach((m, i) => {
    const v = [...m].map(([w, c]) => [w, (1 + Math.log(c)) * Math.log(n / df.get(w)!)] as const);
    const norm = Math.sqrt(v.reduce((a, [, x]) => a + x * x, 0)) || 1;
    for (const [w, x] of v) {
      const list = byTerm.get(w);
      if (list) list.push([i, x / norm]);
      else byTerm.set(w, [[i, x / norm]]);
    }
  });
  const parent = single.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const unite = (a: number, b: number) => {
    const [x, y] = [find(a), find(b)].sort((p, q) => p - q);
    parent[y] = x;
  };
  const contained = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const shared = new Map<number, number>();
    for (const h of shingles[i]) for (const j of byShingle.get(h)!) if (j !== i) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, k] of shared) {
      // i is a duplicate of an earlier seed j when nearly all its shingles are in j.
      if (j < i && k / shingles[i].size >= DUPLICATE && !contained.has(i)) contained.set(i, j);
      if (j > i && k / Math.min(shingles[i].size, shingles[j].size) >= SAME_TEXT) unite(i, j);
    }
  }
  const dots = new Float64Array(n);
  tfs.forEach((m, i) => {
    dots.fill(0);
    for (const w of m.keys()) {
      const list = byTerm.get(w)!;
      const x = list.find(([k]) => k === i)![1];
      for (const [j, y] of list) if (j > i) dots[j] += x * y;
    }
    for (let j = i + 1; j < n; j++) if (dots[j] >= SAME_EVENT_COSINE) unite(i, j);
  });
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(i);
  }
  const out: Array<{ keys: string[]; tellings: SeedTelling[] }> = stories.filter((s) => s.tellings.length !== 1).map((s) => ({ keys: [s.key], tellings: s.tellings }));
  let dropped = 0;
  for (const members of [...groups.values()].sort((a, b) => a[0] - b[0])) {
    const keep = members.filter((i) => !contained.has(i));
    dropped += members.length - keep.length;
    out.push({ keys: keep.map((i) => single[i].key), tellings: keep.map((i) => single[i].tellings[0]) });
  }
  return { stories: out, dropped };
}
