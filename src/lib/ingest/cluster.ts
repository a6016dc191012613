/**
 * Cluster stage: groups the articles about one event into stories, folds wire
 * copies into their original's story, keeps story ids stable across builds, and
 * records why each article was grouped.
 *
 * Online clustering in date order. Each article is a TF-IDF vector over its
 * title (weighted) and lead, plus a vector of capitalised names (entities.ts).
 * It is compared only with candidate stories found through an inverted index
 * on its rarest high-weight terms (blocking), and joins the best one when
 *   similarity = mix(cosine with story centroid, best cosine with one member)
 *                blended with entity overlap, times a gentle date decay
 * clears the threshold; else it founds a new story. Cost is near-linear in
 * articles: a bounded number of candidates, each scored on truncated vectors.
 *
 * Every knob is in cluster-options.ts.
 */
import { eng as englishStopwords } from 'stopword';
import type { Article, Assignment } from './types.ts';
import { storyId } from './ids.ts';
import { capitalisedRatio, tokens } from '../text.ts';
import { defaultClusterOptions, type ClusterOptions } from './cluster-options.ts';
import { extractEntities } from './entities.ts';
import { findCopies } from './copies.ts';
import { makeState, type StoryState } from './story-state.ts';

export type { ClusterOptions };
export { defaultClusterOptions };

export interface ClusteredStory {
  id: string;
  /** Article that founded the story. */
  founder: string;
  /** Members, in chronological order. */
  articles: string[];
  /** Near-miss stories: the best similarity any article of either had to the other. */
  related: Array<{ id: string; score: number }>;
}

export interface ClusterResult {
  assignments: Map<string, Assignment>;
  stories: ClusteredStory[];
  /** The state to persist for the next build. */
  state: StoryState;
}

/** Chronological order, undated last, ties by raw path: the order stories are founded in. */
export function chronological(a: Article, b: Article): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? -1 : 1;
  }
  return a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part;
}

// `stopword`'s English list (already a dependency) plus newsroom filler words.
const STOP = new Set([
  ...englishStopwords,
  ...'said says say told tells according also would could new one two year years day days week time people just like get got make made'.split(' '),
  ...'monday tuesday wednesday thursday friday saturday sunday mr mrs ms'.split(' '),
]);

/** Light plural folding ("tariffs" ~ "tariff", "companies" ~ "company"); no full stemmer needed for overlap. */
function stem(t: string): string {
  if (t.endsWith("'s")) t = t.slice(0, -2);
  t = t.replace(/'/g, '');
  if (t.length > 4 && t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  if (t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t)) return t.slice(0, -1);
  return t;
}

function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of tokens(text)) {
    const t = stem(raw);
    if (t.length > 1 && !STOP.has(t) && !STOP.has(raw)) out.push(t);
  }
  return out;
}

type Vector = Map<string, number>;

interface Features {
  /** Unit TF-IDF vector over terms, top terms only, heaviest first. */
  v: Vector;
  /** Unit IDF-weighted vector over entity keys. */
  e: Vector;
  /** Entity key -> name as written. */
  names: Map<string, string>;
  /** Blocking keys: rare, heavy terms and entities. */
  keys: string[];
  /** Day number, or null when undated. */
  day: number | null;
}

interface Group {
  id: string;
  founder: string;
  members: number[];
  /** Sum of member term vectors (copies excluded), with its squared norm. */
  centroid: Vector;
  norm2: number;
  entities: Vector;
  enorm2: number;
  first: number | null;
  last: number | null;
  /** Outlets of the non-copy members. */
  sources: Set<string>;
}

const DAY_MS = 86_400_000;

export function cluster(articles: Article[], options: Partial<ClusterOptions> = {}): ClusterResult {
  const opts: ClusterOptions = { ...defaultClusterOptions, ...options };
  const ordered = [...articles].sort(chronological);
  const n = ordered.length;
  const feats = features(ordered, opts);
  const copies = findCopies(ordered, opts);
  const indexOf = new Map(ordered.map((a, i) => [a.id, i]));

  const groups: Group[] = [];
  const groupOf: number[] = new Array(n).fill(-1);
  const byId = new Map<string, number>();
  const postings = new Map<string, number[]>();
  const assignments = new Map<string, Assignment>();
  const related = new Map<string, number>();

  const newGroup = (id: string, founder: string): number => {
    let unique = id;
    for (let k = 2; byId.has(unique); k++) unique = `${id}-${k}`;
    groups.push({ id: unique, founder, members: [], centroid: new Map(), norm2: 0, entities: new Map(), enorm2: 0, first: null, last: null, sources: new Set() });
    byId.set(unique, groups.length - 1);
    return groups.length - 1;
  };
  const join = (g: number, i: number, score: number) => {
    const group = groups[g];
    const f = feats[i];
    group.members.push(i);
    groupOf[i] = g;
    if (f.day !== null) {
      group.first = group.first === null ? f.day : Math.min(group.first, f.day);
      group.last = group.last === null ? f.day : Math.max(group.last, f.day);
    }
    // A copy adds nothing new to what the story is about; counting it would tilt the centroid to one outlet.
    if (!copies.has(ordered[i].id)) {
      group.norm2 = addInto(group.centroid, f.v, group.norm2);
      group.enorm2 = addInto(group.entities, f.e, group.enorm2);
      group.sources.add(ordered[i].source);
      for (const key of f.keys) {
        const list = postings.get(key);
        if (!list) postings.set(key, [g]);
        else if (list[list.length - 1] !== g && !list.includes(g)) list.push(g);
      }
    }
    assignments.set(ordered[i].id, { story: group.id, copyOf: copies.get(ordered[i].id)?.original ?? null, score: round(score), shared: [] });
  };

  // 1. Articles the previous build placed keep their story (and its id).
  const pending: number[] = [];
  const previous = new Map<string, { id: string; founder: string }>();
  for (const s of opts.previous?.stories ?? []) for (const a of s.articles) previous.set(a, s);
  for (let i = 0; i < n; i++) {
    const prev = previous.get(ordered[i].id);
    if (!prev) {
      pending.push(i);
      continue;
    }
    const g = byId.get(prev.id) ?? newGroup(prev.id, prev.founder);
    join(g, i, 1);
  }

  // 2. New articles, in date order: copies follow their original, others go to the best candidate story.
  for (const i of pending) {
    const article = ordered[i];
    const copy = copies.get(article.id);
    const familyGroup = copy ? groupOf[indexOf.get(copy.original)!] : familyPlaced(article.id);
    if (familyGroup >= 0) {
      join(familyGroup, i, copy?.containment ?? 1);
      continue;
    }
    const scored = candidates(i).map((g) => ({ g, s: similarity(i, groups[g]) }));
    scored.sort((a, b) => b.s - a.s || a.g - b.g);
    const best = scored[0];
    if (best && best.s >= opts.threshold) join(best.g, i, best.s);
    else join(newGroup(storyId(article.title, article.id), article.id), i, 1);
    // Near misses: candidates that came close to winning this article.
    const home = groups[groupOf[i]].id;
    for (const { g, s } of scored) {
      if (g === groupOf[i] || s < opts.relatedShare * opts.threshold) continue;
      const other = groups[g].id;
      for (const key of [`${home}\t${other}`, `${other}\t${home}`]) related.set(key, Math.max(related.get(key) ?? 0, round(s)));
    }
  }

  /** A copy's original may arrive after it when a state is in play: join wherever the family already is. */
  function familyPlaced(id: string): number {
    for (const [copyId, m] of copies) if (m.original === id && groupOf[indexOf.get(copyId)!] >= 0) return groupOf[indexOf.get(copyId)!];
    return -1;
  }

  function candidates(i: number): number[] {
    const counts = new Map<number, number>();
    for (const key of feats[i].keys) for (const g of postings.get(key) ?? []) counts.set(g, (counts.get(g) ?? 0) + 1);
    return [...counts]
      .sort((a, b) => b[1] - a[1] || b[0] - a[0])
      .slice(0, opts.maxCandidates)
      .map(([g]) => g);
  }

  function similarity(i: number, group: Group): number {
    const f = feats[i];
    const centroidCos = group.norm2 ? dot(f.v, group.centroid) / Math.sqrt(group.norm2) : 0;
    let member = 0;
    const recent = group.members.slice(-opts.maxMembersCompared);
    for (const j of recent) if (!copies.has(ordered[j].id)) member = Math.max(member, dot(f.v, feats[j].v));
    let s = opts.centroidShare * centroidCos + (1 - opts.centroidShare) * member;
    if (f.e.size && group.enorm2) {
      const ent = dot(f.e, group.entities) / Math.sqrt(group.enorm2);
      s = (1 - opts.entityWeight) * s + opts.entityWeight * ent;
    }
    if (opts.sameSourceFactor < 1 && sourceKnown(ordered[i].source) && group.sources.has(ordered[i].source)) s *= opts.sameSourceFactor;
    return s * decay(f.day, group);
  }

  function decay(day: number | null, group: Group): number {
    if (day === null || group.first === null || group.last === null) return 1;
    const gap = Math.max(0, group.first - day - opts.dateWindowDays, day - group.last - opts.dateWindowDays);
    return gap > 0 ? Math.exp(-gap / opts.dateDecayDays) : 1;
  }

  // Why: for each article, what it shares with the rest of its story.
  for (const group of groups) {
    for (const i of group.members) {
      const asg = assignments.get(ordered[i].id)!;
      asg.shared = explain(i, group, feats, opts.whyTerms);
    }
  }

  const relatedOf = new Map<string, Array<{ id: string; score: number }>>();
  for (const [key, score] of related) {
    const [a, b] = key.split('\t');
    if (!relatedOf.has(a)) relatedOf.set(a, []);
    relatedOf.get(a)!.push({ id: b, score });
  }
  const live = groups.filter((g) => g.members.length > 0);
  const liveIds = new Set(live.map((g) => g.id));
  const stories: ClusteredStory[] = live.map((g) => ({
    id: g.id,
    founder: g.founder,
    articles: [...g.members].sort((a, b) => a - b).map((i) => ordered[i].id),
    related: (relatedOf.get(g.id) ?? [])
      .filter((r) => liveIds.has(r.id))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, 3),
  }));
  return { assignments, stories, state: makeState(stories) };
}

function sourceKnown(source: string): boolean {
  return source !== '' && source !== 'unknown';
}

/** Adds `v` into `sum` in place and returns the new squared norm of `sum`. */
function addInto(sum: Vector, v: Vector, norm2: number): number {
  for (const [t, w] of v) {
    const old = sum.get(t) ?? 0;
    const next = old + w;
    sum.set(t, next);
    norm2 += next * next - old * old;
  }
  return norm2;
}

function dot(a: Vector, b: Vector): number {
  let s = 0;
  for (const [t, w] of a) {
    const x = b.get(t);
    if (x !== undefined) s += w * x;
  }
  return s;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function features(ordered: Article[], opts: ClusterOptions): Features[] {
  const docs = ordered.map((a) => {
    const bodyText = a.body.map((b) => b.text).join('\n');
    const bodyTerms = terms(bodyText).slice(0, opts.maxBodyWords);
    const titleTerms = terms(a.title);
    // Title Case headlines carry no capitalisation signal; sentence-case ones do.
    const titleEntities = extractEntities(a.title, capitalisedRatio(a.title) > 0.6);
    const lead = bodyText.split(/\s+/).slice(0, opts.maxBodyWords).join(' ');
    const entities = new Map<string, string>();
    for (const e of [...titleEntities, ...extractEntities(lead)]) if (!entities.has(e.key)) entities.set(e.key, e.name);
    return { titleTerms, bodyTerms, entities };
  });

  const df = new Map<string, number>();
  const edf = new Map<string, number>();
  for (const d of docs) {
    for (const t of new Set([...d.titleTerms, ...d.bodyTerms])) df.set(t, (df.get(t) ?? 0) + 1);
    for (const k of d.entities.keys()) edf.set(k, (edf.get(k) ?? 0) + 1);
  }
  const n = ordered.length;
  const idf = (count: number) => Math.log((n + 1) / (count + 1)) + 1;
  const maxDf = Math.max(opts.blockingMaxDf * n, 20);
  const localIdf = localIdfs(ordered, docs, opts.localIdfDays);

  return docs.map((d, i) => {
    const tf = new Map<string, number>();
    for (const t of d.bodyTerms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of d.titleTerms) tf.set(t, (tf.get(t) ?? 0) + opts.titleWeight);
    const weighted = [...tf]
      .map(([t, c]) => {
        const local = localIdf[i]?.get(t);
        const w = local === undefined ? idf(df.get(t)!) : (1 - opts.localIdfShare) * idf(df.get(t)!) + opts.localIdfShare * local;
        return [t, (1 + Math.log(c)) * w] as [string, number];
      })
      // Heaviest first; ties alphabetical so truncation is deterministic.
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.vectorTerms);
    const v = unit(weighted);

    // Entities seen in only one article cannot tie two together: skip them.
    const ents = [...d.entities.keys()].filter((k) => edf.get(k)! > 1).map((k) => [k, idf(edf.get(k)!)] as [string, number]);
    ents.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const e = unit(ents.slice(0, opts.vectorTerms));

    const keys = weighted
      .filter(([t]) => df.get(t)! > 1 && df.get(t)! <= maxDf)
      .slice(0, opts.blockingTerms)
      .map(([t]) => t);
    for (const [k] of ents.slice(0, 4)) if (edf.get(k)! <= maxDf) keys.push(`@${k}`);
    const date = ordered[i].date;
    return { v, e, names: d.entities, keys, day: date ? Math.floor(Date.parse(date) / DAY_MS) : null };
  });
}

/**
 * IDF within a sliding window of days around each dated article. A topic that
 * runs for weeks ("gaza", "jobless claims") is common *locally*, so its words
 * weigh less than the words that tell this day's event from last week's:
 * local document frequency, as in TDT first-story-detection systems.
 * Undated articles get no local figure (null): they use the global IDF.
 */
function localIdfs(
  ordered: Article[],
  docs: Array<{ titleTerms: string[]; bodyTerms: string[] }>,
  days: number,
): Array<Map<string, number> | null> {
  const out: Array<Map<string, number> | null> = ordered.map(() => null);
  if (days <= 0) return out;
  const dayOf = ordered.map((a) => (a.date ? Math.floor(Date.parse(a.date) / DAY_MS) : null));
  const sets = docs.map((d) => new Set([...d.titleTerms, ...d.bodyTerms]));
  const counts = new Map<string, number>();
  const dated = ordered.map((_, i) => i).filter((i) => dayOf[i] !== null);
  let lo = 0;
  let hi = 0;
  for (const i of dated) {
    const day = dayOf[i]!;
    while (hi < dated.length && dayOf[dated[hi]]! <= day + days) {
      for (const t of sets[dated[hi]]) counts.set(t, (counts.get(t) ?? 0) + 1);
      hi++;
    }
    while (dayOf[dated[lo]]! < day - days) {
      for (const t of sets[dated[lo]]) counts.set(t, counts.get(t)! - 1);
      lo++;
    }
    const size = hi - lo;
    const m = new Map<string, number>();
    for (const t of sets[i]) m.set(t, Math.log((size + 1) / (counts.get(t)! + 1)) + 1);
    out[i] = m;
  }
  return out;
}

function unit(pairs: Array<[string, number]>): Vector {
  const norm = Math.sqrt(pairs.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return new Map(pairs.map(([t, w]) => [t, w / norm]));
}

/** Entities then terms this article shares with the rest of its story, strongest first. */
function explain(i: number, group: Group, feats: Features[], limit: number): string[] {
  const f = feats[i];
  const others = group.members.filter((j) => j !== i);
  if (others.length === 0) return [];
  const inOthers = (key: string, pick: (g: Features) => Vector) => others.reduce((s, j) => s + (pick(feats[j]).get(key) ?? 0), 0);
  const ents = [...f.e]
    .map(([k, w]) => ({ label: f.names.get(k) ?? k, s: w * inOthers(k, (x) => x.e) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || (a.label < b.label ? -1 : 1))
    .slice(0, Math.ceil(limit / 2));
  const words = [...f.v]
    .map(([t, w]) => ({ label: t, s: w * inOthers(t, (x) => x.v) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || (a.label < b.label ? -1 : 1));
  const out = ents.map((x) => x.label);
  for (const w of words) {
    if (out.length >= limit) break;
    if (!out.some((label) => label.toLowerCase().split(/\s+/).includes(w.label))) out.push(w.label);
  }
  return out;
}
