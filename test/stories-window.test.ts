/**
 * The windowed grouping (#15): a pure function of the set of articles, and
 * its incremental entry point gives exactly what the cold one gives, after
 * any sequence of drop-ins, late arrivals, rewrites and deletions
 * (property-style: seeded random sequences, every state compared with a cold
 * run of the same set). Synthetic articles: no ../shared needed.
 */
import { describe, expect, it } from 'vitest';
import { clusterDocs } from '../src/lib/ingest/stories/cluster-docs';
import type { Article } from '../src/lib/ingest/types';
import { groupCold, resultOf } from '../src/lib/ingest/stories/group';
import { applyRegroup, keptStateOf, regroup, type CurrentSet } from '../src/lib/ingest/stories/regroup';
import { bucketOf, dayOf, itemOf, type StoryItem } from '../src/lib/ingest/stories/items';
import { normaliseState, type GroupingState } from '../src/lib/ingest/stories/state';
import type { StoryOptions } from '../src/lib/ingest/stories/options';
import { mulberry32 as rng } from '../scripts/bench/corpus';

const COMMON = 'government report people city plan council market police court health school water energy price week official public local national'.split(' ');
const day0 = dayOf('2025-03-01')!;
const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

/** A synthetic world: stories with their own words and names, told by several outlets over a few days. */
function world(seed: number, stories: number) {
  const r = rng(seed);
  const word = () => Array.from({ length: 2 + Math.floor(r() * 2) }, () => 'bcdfgklmnprstvz'[Math.floor(r() * 15)] + 'aeiou'[Math.floor(r() * 5)]).join('');
  const plans = Array.from({ length: stories }, (_, s) => {
    const topic = s % 5 === 4 ? s - 1 : s;
    return { s, day: day0 + Math.floor(r() * 50), words: Array.from({ length: 12 }, word), name: `${word()[0].toUpperCase()}${word()} ${word()[0].toUpperCase()}${word()}`, topic };
  });
  // A follow-up shares its topic's name, two weeks on: the grouping must tell them apart by time and words.
  for (const p of plans) {
    if (p.topic === p.s) continue;
    p.name = plans[p.topic].name;
    p.day = plans[p.topic].day + 14 + Math.floor(r() * 7);
  }
  let serial = 0;
  const article = (p: (typeof plans)[number], opts: { offset?: number; undated?: boolean; source?: string; copyOf?: Article; late?: boolean } = {}): Article => {
    const n = serial++;
    const day = p.day + (opts.offset ?? Math.floor(r() * 3));
    const month = iso(opts.late ? day + 70 : day).slice(0, 7);
    const body = opts.copyOf
      ? opts.copyOf.body.map((b) => ({ ...b }))
      : Array.from({ length: 3 }, () => ({
          kind: 'p' as const,
          text: `${p.name} said ${Array.from({ length: 14 }, () => (r() < 0.6 ? p.words[Math.floor(r() * p.words.length)] : COMMON[Math.floor(r() * COMMON.length)])).join(' ')}.`,
        }));
    const raw = `${r() < 0.2 ? `${month}-${iso(day).slice(8)}` : month}/${String(n).padStart(4, '0')}.md`;
    return {
      id: `a${n}`,
      raw,
      part: 0,
      format: 'md',
      title: `${p.name} ${p.words.slice(0, 3).join(' ')}`,
      titleDerived: false,
      dek: null,
      source: opts.source ?? `Outlet ${Math.floor(r() * 9)}`,
      byline: null,
      date: opts.undated ? null : iso(day),
      url: null,
      lang: 'en',
      body,
      removed: [],
      words: 45,
      excerpt: '',
    };
  };
  const articles: Article[] = [];
  for (const p of plans) {
    const k = 2 + Math.floor(r() * 3);
    for (let i = 0; i < k; i++) articles.push(article(p, { offset: i === 0 ? 0 : undefined, undated: r() < 0.15 }));
    if (r() < 0.3) articles.push(article(p, { copyOf: articles[articles.length - 1], source: 'Wire' }));
  }
  return { plans, articles, article, r };
}

const docOf = clusterDocs();
const items = (as: Article[]) => as.map((a) => itemOf(a, docOf(a)));

function currentSetOf(xs: readonly StoryItem[]): CurrentSet {
  return {
    dated: (from, to) => xs.filter((it) => it.day !== null && it.day >= from && it.day <= to),
    bucket: (k) => xs.filter((it) => it.day === null && bucketOf(it.raw).key === k),
  };
}

const text = (s: GroupingState) => JSON.stringify(normaliseState(s));

/**
 * A world whose story `plan` falls a week or more after its first day, and that plan's month folder:
 * where the tests below file an undated article and drop a dated one in beside it.
 */
function monthCase(seed: number) {
  const { articles, plans, article } = world(seed, 24);
  const plan = plans.find((p) => p.day > day0 + 8 && p.day < day0 + 40)!;
  return { articles, plan, article, month: iso(plan.day).slice(0, 7) };
}

/** `present` grouped cold, then `dropped` regrouped in: the regroup must give the cold run of both. */
function dropIn(present: Article[], dropped: Article[], label: string) {
  const set = items(present);
  const state = groupCold(set);
  const added = items(dropped);
  const after = [...set, ...added];
  const result = regroup(keptStateOf(state), currentSetOf(after), { added, removed: [] });
  expect(text(applyRegroup(state, result)), label).toBe(text(groupCold(after)));
  return { state, result };
}

describe('windowed grouping: cold', () => {
  it('groups each synthetic story together, and follow-ups weeks apart apart', () => {
    const { articles } = world(1, 30);
    const state = groupCold(items(articles));
    const result = resultOf(state);
    expect(result.assignments.size).toBe(articles.length);
    // Articles of one plan share a title prefix; count stories that mix two plans.
    const planOf = (id: string) => articles.find((a) => a.id === id)!.title;
    let mixed = 0;
    for (const s of result.stories) if (new Set(s.articles.map(planOf)).size > 1) mixed++;
    expect(mixed).toBe(0);
    expect(result.stories.length).toBeLessThan(articles.length / 2);
  });

  it('is a pure function of the set: the same state whatever the order the articles come in', () => {
    const { articles } = world(2, 25);
    const a = groupCold(items(articles));
    const b = groupCold(items([...articles].reverse()));
    expect(text(b)).toBe(text(a));
  });

  it('dates an undated article from its story, else from its folder, never from anything else', () => {
    const { articles, plans, article } = world(3, 10);
    const extra = article(plans[0], { undated: true });
    const lone = { ...article(plans[1], { undated: true }), id: 'lone', raw: '2025-04/lone.md', title: 'Zzyzx quorp', body: [{ kind: 'p' as const, text: 'Zzyzx quorp blent vrang spolt dwimmer fnord glarb yoink snark blip.' }] };
    const flat = { ...lone, id: 'flat', raw: 'flat.md' };
    const result = resultOf(groupCold(items([...articles, extra, lone, flat])));
    const story = result.stories.find((s) => s.articles.includes(extra.id))!;
    const datedMember = articles.find((a) => story.articles.includes(a.id) && a.date);
    expect(datedMember).toBeDefined();
    expect(result.dates.get(extra.id)).toMatch(/^2025-\d\d-\d\d$/);
    expect(result.dates.get('lone')).toBe('2025-04-01');
    expect(result.dates.get('flat')).toBeNull();
  });
});

describe('windowed grouping: incremental = cold', () => {
  const configs: Array<[string, Partial<StoryOptions>]> = [
    ['default windows', {}],
    // (and the density bar on: a handful of stories in view already raise the threshold)
    ['small windows', { joinWindowDays: 3, dfWindowDays: 6, localDfDays: 2, copyWindowDays: 2, minDfDocs: 0, densityReference: 3, densitySlope: 0.05 }],
    ['windows stretched by a minimum of articles', { joinWindowDays: 4, dfWindowDays: 3, localDfDays: 2, copyWindowDays: 3, minDfDocs: 25, spreadPrior: 1 }],
    // (full candidate lists: an undated article whose candidates hold a changed story may keep its record, unmoved.ts (b))
    ['few candidates', { maxCandidates: 2, relatedShare: 0.9 }],
    // (a steep density bar: a story more or less in a folder's view moves it, and its records are kept only when they choose alike under both, unmoved.ts sameChoice)
    ['a steep density bar', { densityReference: 2, densitySlope: 0.1, relatedShare: 0.5 }],
  ];
  for (const [name, options] of configs) {
    it(`random drop-ins, late arrivals, rewrites and deletions (${name})`, () => {
      // Undated records of recomputed folders kept as they were (unmoved.ts), and placed again: both happen.
      let keptRecords = 0;
      let placedAgain = 0;
      for (const seed of [11, 12, 13]) {
        const { articles, plans, article, r } = world(seed, 24);
        let set = items(articles);
        let state = groupCold(set, options);
        for (let step = 0; step < 14; step++) {
          const op = r();
          let added: StoryItem[] = [];
          let removed: Array<{ id: string; raw: string; day: number | null }> = [];
          const plan = plans[Math.floor(r() * plans.length)];
          if (op < 0.35) {
            // A drop-in: another outlet on a story, sometimes undated, sometimes a wire copy.
            const copyOf = r() < 0.25 ? articles[Math.floor(r() * articles.length)] : undefined;
            added = items([article(plan, { undated: r() < 0.2, copyOf, source: copyOf ? 'Wire' : undefined })]);
          } else if (op < 0.55) {
            // Late news: dated weeks back (or before its story began), filed in a later folder.
            added = items([article(plan, { offset: -Math.floor(r() * 3), late: true })]);
          } else if (op < 0.8 && set.length > 10) {
            const victim = set[Math.floor(r() * set.length)];
            removed = [{ id: victim.id, raw: victim.raw, day: victim.day }];
          } else if (set.length > 10) {
            // A rewrite: same file, new text and a new date.
            const victim = set[Math.floor(r() * set.length)];
            removed = [{ id: victim.id, raw: victim.raw, day: victim.day }];
            const fresh = article(plan, {});
            added = items([{ ...fresh, id: victim.id, raw: victim.raw }]);
          }
          const gone = new Set(removed.map((x) => x.id));
          set = [...set.filter((it) => !gone.has(it.id)), ...added];
          const result = regroup(keptStateOf(state), currentSetOf(set), { added, removed }, options);
          const before = resultOf(state, options);
          for (const [key, bucket] of Object.entries(result.buckets)) {
            const was = new Set(state.buckets[key]?.records ?? []);
            for (const rec of bucket?.records ?? []) if (was.has(rec)) keptRecords++;
            else placedAgain++;
          }
          state = applyRegroup(state, result);
          const cold = groupCold(set, options);
          expect(text(state), `seed ${seed} step ${step}`).toBe(text(cold));
          const after = resultOf(cold, options);
          expect(resultOf(state, options)).toEqual(after);
          // Every story whose output changed is reported touched (what the build re-digests).
          const touched = new Set(result.touched);
          const outputs = (r: typeof after) => new Map(r.stories.map((st) => [st.id, JSON.stringify([st, st.articles.map((id) => r.assignments.get(id))])]));
          const [was, now] = [outputs(before), outputs(after)];
          for (const id of new Set([...was.keys(), ...now.keys()])) if (was.get(id) !== now.get(id)) expect(touched.has(id), `seed ${seed} step ${step}: ${id}`).toBe(true);
        }
      }
      expect(keptRecords, 'undated records kept').toBeGreaterThan(0);
      expect(placedAgain, 'undated records placed again').toBeGreaterThan(0);
    });
  }

  it('an undated article in a day folder is recomputed when the weights of the weeks before it change', () => {
    const { articles, plans, article } = world(31, 20);
    const plan = plans[0];
    const undated = { ...article(plan, { undated: true }), raw: `${iso(plan.day + 1)}/undated.md` };
    let set = items([...articles, undated]);
    let state = groupCold(set);
    // Dated three weeks before the folder's day: outside the stories it is compared with, inside its weights' window.
    const added = items([{ ...article(plans[1], {}), date: iso(plan.day - 20) }]);
    set = [...set, ...added];
    state = applyRegroup(state, regroup(keptStateOf(state), currentSetOf(set), { added, removed: [] }));
    expect(text(state)).toBe(text(groupCold(set)));
  });

  it('a folder next to a dated drop-in is placed again from its kept vectors, not from its words', () => {
    const { articles, plans, article } = world(41, 24);
    const set = items(articles);
    const state = groupCold(set);
    const key = Object.keys(state.buckets).find((k) => k.length === 9 && state.buckets[k].records.length > 1)!;
    expect(key).toBeDefined();
    const from = dayOf(`${key.slice(2)}-01`)!;
    const added = items([{ ...article(plans.find((p) => p.day >= from && p.day < from + 20) ?? plans[0], {}), date: iso(from + 10) }]);
    const after = [...set, ...added];
    // That folder's articles without their words (their copy sketches left): only its kept
    // vectors and look-up keys can place them as a cold run of the same set does.
    const current = currentSetOf(after);
    const blind: CurrentSet = { ...current, bucket: (k) => current.bucket(k).map((it) => (k === key ? { ...it, doc: { ...it.doc, terms: [], tf: [], entities: [] } } : it)) };
    const result = regroup(keptStateOf(state), blind, { added, removed: [] });
    expect(result.recomputed.buckets).toContain(key);
    expect(text(applyRegroup(state, result))).toBe(text(groupCold(after)));
  });

  /** The undated records of `key` after `result` that are the kept objects themselves (not placed again), and all of them. */
  const keptIn = (state: GroupingState, result: ReturnType<typeof regroup>, key: string) => {
    const now = result.buckets[key]?.records ?? [];
    const before = new Set(state.buckets[key]?.records ?? []);
    return { kept: now.filter((r) => before.has(r)), all: now };
  };

  /** News of its own the day after the latest: words and names no other article has, so it founds a story. */
  const loneNews = () => {
    const { articles, plans, article } = world(43, 24);
    const set = items(articles);
    const last = Math.max(...set.filter((it) => it.day !== null).map((it) => it.day!));
    const lone = article(plans[0], { offset: 0 });
    const fresh = { ...lone, date: iso(last + 1), title: 'Qwyx vrendal sporth', body: [{ kind: 'p' as const, text: 'Qwyx Vrendal said sporth glimmack trunnel wexfor blandish korrow pellick thribe.' }] };
    const added = items([fresh]);
    return { set, last, added, after: [...set, ...added] };
  };
  /** A month folder (with a few records) whose reach holds `day`. */
  const folderInReach = (state: ReturnType<typeof groupCold>, day: number) =>
    Object.keys(state.buckets).find((k) => {
      const from = dayOf(`${k.slice(2)}-01`)!;
      return k.length === 9 && from - 7 <= day && day <= from + 30 + 7 && state.buckets[k].records.length > 2;
    })!;

  it('a dated drop-in no undated article can reach leaves the folder next to it as kept, placing none again', () => {
    const { set, last, added, after } = loneNews();
    // No density bar first (one more story in view must not move the bar), then the default one.
    for (const options of [{ densitySlope: 0 }, {}] as Array<Partial<StoryOptions>>) {
      const state = groupCold(set, options);
      // A month folder whose reach holds that day.
      const key = folderInReach(state, last + 1);
      expect(key).toBeDefined();
      const result = regroup(keptStateOf(state), currentSetOf(after), { added, removed: [] }, options);
      expect(result.recomputed.buckets).toContain(key);
      const { kept, all } = keptIn(state, result, key);
      if (options.densitySlope === 0) {
        // Every undated article of the folder kept its record; the new article alone was placed.
        expect(kept.length).toBe(all.length);
        expect(result.recomputed.placed).toBe(1);
      }
      expect(text(applyRegroup(state, result))).toBe(text(groupCold(after, options)));
    }
  });

  it('a dated drop-in founding a story in a folder\'s reach raises its bar: the records that choose alike under it are kept', () => {
    const { set, last, added, after } = loneNews();
    // A steep density bar: one story more in view moves it for every article of the folder.
    const options: Partial<StoryOptions> = { densityReference: 3, densitySlope: 0.05 };
    const state = groupCold(set, options);
    const key = folderInReach(state, last + 1);
    expect(key).toBeDefined();
    const result = regroup(keptStateOf(state), currentSetOf(after), { added, removed: [] }, options);
    expect(result.recomputed.buckets).toContain(key);
    // (a record is kept only when its choice is the same under both bars: unmoved.ts sameChoice)
    expect(keptIn(state, result, key).kept.length).toBeGreaterThan(0);
    expect(text(applyRegroup(state, result))).toBe(text(groupCold(after, options)));
  });

  it('a dated drop-in on a story undated articles could join places them again: they join it, as a cold run does', () => {
    const { articles, plans, article } = world(44, 24);
    // A story told so far only by two undated articles in one month's folder (the first founds a story, the second joins it).
    const plan = plans.find((p) => p.day > day0 + 5 && p.day < day0 + 45)!;
    const others = articles.filter((a) => !a.title.startsWith(plan.name));
    const month = iso(plan.day).slice(0, 7);
    const undated = [0, 1].map((k) => ({ ...article(plan, { undated: true }), raw: `${month}/u${k}.md` }));
    const set = items([...others, ...undated]);
    const state = groupCold(set);
    const key = `u:${month}`;
    const was = state.buckets[key].records.filter((r) => r.raw.startsWith(`${month}/u`));
    expect(was.map((r) => r.founder)).toEqual([true, false]);
    // Now a dated article of that story, in the folder's month.
    const added = items([{ ...article(plan, { offset: 0 }), date: iso(plan.day) }]);
    const after = [...set, ...added];
    const result = regroup(keptStateOf(state), currentSetOf(after), { added, removed: [] });
    const now = result.buckets[key]!.records.filter((r) => r.raw.startsWith(`${month}/u`));
    const datedStory = result.months[month]!.records.find((r) => r.id === added[0].id)!.story;
    // Both joined the dated story (the second because the first moved): placed again, not kept.
    expect(now.map((r) => r.story)).toEqual([datedStory, datedStory]);
    for (const r of now) expect(was).not.toContain(r);
    expect(text(applyRegroup(state, result))).toBe(text(groupCold(after)));
  });

  it('an undated article whose candidate story gains its original is placed again in part, and becomes its copy as a cold run makes it', () => {
    // An undated article of a month folder carries the text of a dated article that is not in the
    // set yet; that article then drops in on the story whose words it shares. The folder is placed
    // again because that story changed: the undated article, no copy before, is now one of the new
    // article (unmoved.ts Rescore: only the changed stories' members not compared before are searched).
    let copies = 0;
    for (const seed of [51, 52, 53, 54, 55, 56]) {
      const { articles, plan, article, month } = monthCase(seed);
      const original = { ...article(plan, { offset: 1 }), raw: `${month}/zz-original.md` };
      const copy = { ...article(plan, { copyOf: original, undated: true, source: 'Wire' }), raw: `${month}/zz-copy.md` };
      const { result } = dropIn([...articles, copy], [original], `seed ${seed}`);
      if (result.buckets[`u:${month}`]?.records.find((r) => r.id === copy.id)?.copyOf === original.id) copies++;
    }
    expect(copies, 'undated articles that became copies').toBeGreaterThan(0);
  });

  it('an undated copy whose candidate story gains a closer original follows it, as a cold run does', () => {
    // An undated wire copy of a dated article X, with one sentence of its own; a dated article with
    // the copy's very text then drops in on X's story: the copy's closest original becomes the new
    // article (unmoved.ts (b'): a kept copy is kept only if no changed story offers an original it
    // had not compared).
    let moved = 0;
    for (const seed of [61, 62, 63, 64, 65, 66]) {
      const { articles, plan, article, month } = monthCase(seed);
      const x = { ...article(plan, { offset: 0 }), raw: `${month}/zz-x.md` };
      const own = { kind: 'p' as const, text: `${plan.name} said ${plan.words.join(' ')} ${plan.words.join(' ')}.` };
      const copy = { ...article(plan, { copyOf: x, undated: true, source: 'Wire' }), raw: `${month}/zz-copy.md` };
      copy.body = [...copy.body.slice(0, -1), own];
      const closer = { ...article(plan, { offset: 1, source: 'Wire Two' }), raw: `${month}/zz-closer.md`, body: copy.body.map((b) => ({ ...b })) };
      const { state, result } = dropIn([...articles, x, copy], [closer], `seed ${seed}`);
      const was = state.buckets[`u:${month}`]?.records.find((r) => r.id === copy.id);
      const now = result.buckets[`u:${month}`]?.records.find((r) => r.id === copy.id);
      // (the closer article is a copy of X too: the copy names X still, with the new article's containment)
      if (was && now && was.copyOf === x.id && was.score < 1 && now.copyOf === x.id && now.score === 1) moved++;
    }
    expect(moved, 'copies that followed the closer original').toBeGreaterThan(0);
  });

  it('a drop-in on the latest day recomputes that day only', () => {
    const { articles, plans, article } = world(21, 30);
    const set = items(articles);
    const state = groupCold(set);
    const last = Math.max(...set.filter((it) => it.day !== null).map((it) => it.day!));
    const plan = plans.find((p) => p.day <= last && p.day >= last - 2) ?? plans[0];
    const added = items([{ ...article(plan, {}), date: iso(last) }]);
    const result = regroup(keptStateOf(state), currentSetOf([...set, ...added]), { added, removed: [] });
    expect(result.recomputed.days).toEqual([iso(last), iso(last)]);
    expect(text(applyRegroup(state, result))).toBe(text(groupCold([...set, ...added])));
  });
});
