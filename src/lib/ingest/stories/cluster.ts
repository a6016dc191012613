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
 *                blended with entity overlap, times a date decay
 * clears the story's bar (the threshold, raised for a tight story by its
 * cohesion); else it founds a new story. The decay's time constant is
 * calibrated on the drop by a light first pass (how often articles join stories
 * founded on an earlier day). Cost is near-linear in articles: a bounded number
 * of candidates, each scored on truncated vectors.
 *
 * Every knob is in cluster-options.ts. What it reads of each article is
 * cluster-docs.ts (kept between builds); the vectors and their arithmetic,
 * vectors.ts.
 */
import type { Article, Assignment } from '../types.ts';
import { storyId } from '../describe/ids.ts';
import { defaultClusterOptions, type ClusterOptions } from './cluster-options.ts';
import { clusterDocs, type ClusterDocOf } from './cluster-docs.ts';
import { findCopies } from './copies.ts';
import { makeState, type StoryState } from './story-state.ts';
import { addInto, dot, features, type Features, type Sparse, type Sum } from './vectors.ts';

export type { ClusterOptions };
export { defaultClusterOptions };
// What clustering reads of each article: cluster-docs.ts (re-exported, the way callers reach it).
export { clusterDocs, type ClusterDoc, type ClusterDocOf } from './cluster-docs.ts';

export interface ClusteredStory {
  id: string;
  /** Article that founded the story. */
  founder: string;
  /** Members, in chronological order. */
  articles: string[];
  /**
   * Near-miss stories: the best similarity any article of either had to the
   * other, and the entity names (as written) both stories' titles and leads use.
   */
  related: Array<{ id: string; score: number; shared: string[] }>;
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

interface Group {
  id: string;
  founder: string;
  members: number[];
  /** Sum of member term vectors (copies excluded), with its squared norm. */
  centroid: Sum;
  norm2: number;
  entities: Sum;
  enorm2: number;
  first: number | null;
  last: number | null;
  /** Outlets of the non-copy members. */
  sources: Set<string>;
  /** Blocking keys already posted for this story. */
  posted: Set<number>;
  /** Sum and count of the scores with which (non-copy) articles joined, founder excluded: the story's cohesion. */
  joinSum: number;
  joins: number;
}

/**
 * Groups `articles` into stories. `docOf` reads each article's words
 * (`clusterDocs(options)` unless a caller answers from its cache).
 */
export function cluster(articles: Article[], options: Partial<ClusterOptions> = {}, docOf: ClusterDocOf = clusterDocs(options)): ClusterResult {
  const opts: ClusterOptions = { ...defaultClusterOptions, ...options };
  const ordered = [...articles].sort(chronological);
  const n = ordered.length;
  const docs = ordered.map(docOf);
  const sketches = docs.map((d) => d.sketch);
  const { feats, vocab } = features(ordered, docs, opts);
  // Scratch copy of the article being placed, dense over the vocabulary: member dot products without hashing.
  const scratch = new Float64Array(vocab.length);
  const copies = findCopies(ordered, opts, sketches);
  const isCopy = Uint8Array.from(ordered, (a) => (copies.has(a.id) ? 1 : 0));
  const indexOf = new Map(ordered.map((a, i) => [a.id, i]));

  /** One online pass in date order with date decay time constant `tau` (days); the state is honoured when `withState`. */
  const pass = (tau: number, withState: boolean, maxCandidates = opts.maxCandidates, maxMembers = opts.maxMembersCompared, maxKeys = Infinity) => {
    const groups: Group[] = [];
    const groupOf: number[] = new Array(n).fill(-1);
    const byId = new Map<string, number>();
    const postings = new Map<number, number[]>();
    /** Scratch: shared blocking keys per story, for `candidates` (zeroed after each use). */
    const counts = new Int32Array(n + 1);
    const copiesOf = new Map<string, string[]>();
    for (const [copyId, m] of copies) {
      if (!copiesOf.has(m.original)) copiesOf.set(m.original, []);
      copiesOf.get(m.original)!.push(copyId);
    }
    const assignments = new Map<string, Assignment>();
    const related = new Map<string, number>();

    const newGroup = (id: string, founder: string): number => {
      let unique = id;
      for (let k = 2; byId.has(unique); k++) unique = `${id}-${k}`;
      groups.push({
        id: unique,
        founder,
        members: [],
        centroid: new Map(),
        norm2: 0,
        entities: new Map(),
        enorm2: 0,
        first: null,
        last: null,
        sources: new Set(),
        posted: new Set(),
        joinSum: 0,
        joins: 0,
      });
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
        if (group.members.length > 1) {
          group.joinSum += score;
          group.joins++;
        }
        for (const key of f.keys) {
          if (group.posted.has(key)) continue;
          group.posted.add(key);
          const list = postings.get(key);
          if (!list) postings.set(key, [g]);
          else list.push(g);
        }
      }
      assignments.set(ordered[i].id, {
        story: group.id,
        copyOf: copies.get(ordered[i].id)?.original ?? null,
        score: round(score),
        shared: [],
      });
    };

    // 1. Articles the previous build placed keep their story (and its id). They are
    // scored exactly as in a fresh build (same order, same stories so far), so an
    // unchanged drop folder gives the same scores and near misses with or without state.
    const pending: number[] = [];
    const previous = new Map<string, { id: string; founder: string }>();
    for (const s of (withState ? opts.previous?.stories : null) ?? []) for (const a of s.articles) previous.set(a, s);
    for (let i = 0; i < n; i++) {
      const prev = previous.get(ordered[i].id);
      if (!prev) pending.push(i);
      else place(i, byId.get(prev.id) ?? newGroup(prev.id, prev.founder));
    }
    // 2. New articles, in date order: copies follow their original, others go to the best candidate story.
    for (const i of pending) place(i, null);

    /** Puts article i in story `forced` (from the state) or in the best candidate / a new story, with its score and near misses. */
    function place(i: number, forced: number | null): void {
      const article = ordered[i];
      const copy = copies.get(article.id);
      if (forced === null) {
        const familyGroup = copy ? groupOf[indexOf.get(copy.original)!] : familyPlaced(article.id);
        if (familyGroup >= 0) {
          join(familyGroup, i, copy?.containment ?? 1);
          return;
        }
      } else if (copy && groupOf[indexOf.get(copy.original)!] === forced) {
        join(forced, i, copy.containment);
        return;
      }
      const v = feats[i].v;
      const e = feats[i].e;
      // Term and entity ids are disjoint: one scratch holds both vectors.
      for (let k = 0; k < v.ids.length; k++) scratch[v.ids[k]] = v.w[k];
      for (let k = 0; k < e.ids.length; k++) scratch[e.ids[k]] = e.w[k];
      const scored = candidates(i).map((g) => ({
        g,
        s: similarity(i, groups[g]),
      }));
      scored.sort((a, b) => b.s - a.s || a.g - b.g);
      let home: number;
      let score = 1;
      let best: { g: number; s: number } | undefined;
      if (forced !== null) {
        home = forced;
        if (groups[forced].members.length) score = scored.find((x) => x.g === forced)?.s ?? similarity(i, groups[forced]);
      } else if ((best = scored.find((x) => x.s >= needed(groups[x.g])))) {
        home = best.g;
        score = best.s;
      } else home = newGroup(storyId(article.title, article.id), article.id);
      for (let k = 0; k < v.ids.length; k++) scratch[v.ids[k]] = 0;
      for (let k = 0; k < e.ids.length; k++) scratch[e.ids[k]] = 0;
      join(home, i, score);
      // Near misses: candidates that came close to winning this article.
      for (const { g, s } of scored) {
        if (g === home || s < opts.relatedShare * opts.threshold) continue;
        const [a, b] = [groups[home].id, groups[g].id];
        for (const key of [`${a}\t${b}`, `${b}\t${a}`]) related.set(key, Math.max(related.get(key) ?? 0, round(s)));
      }
    }

    /** A copy's original may arrive after it when a state is in play: join wherever the family already is. */
    function familyPlaced(id: string): number {
      for (const copyId of copiesOf.get(id) ?? []) if (groupOf[indexOf.get(copyId)!] >= 0) return groupOf[indexOf.get(copyId)!];
      return -1;
    }

    /** The stories sharing most blocking keys with article i (ties: the later story), at most `maxCandidates`. */
    function candidates(i: number): number[] {
      const touched: number[] = [];
      let most = 0;
      const keys = feats[i].keys;
      for (let k = 0; k < keys.length && k < maxKeys; k++) {
        const key = keys[k];
        const list = postings.get(key);
        if (!list) continue;
        for (const g of list) {
          if (counts[g]++ === 0) touched.push(g);
          if (counts[g] > most) most = counts[g];
        }
      }
      // Counts are small (<= keys per article): find the lowest count that still makes the cut
      // with a histogram, instead of sorting every touched story.
      let keep = touched;
      if (touched.length > maxCandidates) {
        const hist = new Int32Array(most + 1);
        for (const g of touched) hist[counts[g]]++;
        let cut = most;
        for (let total = hist[most]; total < maxCandidates && cut > 1; ) total += hist[--cut];
        keep = touched.filter((g) => counts[g] >= cut);
      }
      keep.sort((a, b) => counts[b] - counts[a] || b - a);
      if (keep.length > maxCandidates) keep.length = maxCandidates;
      for (const g of touched) counts[g] = 0;
      return keep;
    }

    function similarity(i: number, group: Group): number {
      const f = feats[i];
      let member = 0;
      let sum = 0;
      let esum = 0;
      const m = group.members;
      const from = Math.max(0, m.length - maxMembers);
      for (let k = from; k < m.length; k++) {
        if (isCopy[m[k]]) continue;
        const d = dotScratch(feats[m[k]].v);
        sum += d;
        if (from === 0) esum += dotScratch(feats[m[k]].e);
        if (d > member) member = d;
      }
      // The centroid is the sum of the (non-copy) member vectors: when all were compared, its dot product is their sum.
      const centroidDot = from === 0 ? sum : dot(f.v, group.centroid);
      const centroidCos = group.norm2 ? centroidDot / Math.sqrt(group.norm2) : 0;
      let s = opts.centroidShare * centroidCos + (1 - opts.centroidShare) * member;
      if (f.e.ids.length && group.enorm2) {
        // As for terms: the entity sum is the sum of the member entity vectors.
        const ent = (from === 0 ? esum : dot(f.e, group.entities)) / Math.sqrt(group.enorm2);
        s = (1 - opts.entityWeight) * s + opts.entityWeight * ent;
      }
      if (opts.sameSourceFactor < 1 && sourceKnown(ordered[i].source) && group.sources.has(ordered[i].source)) s *= opts.sameSourceFactor;
      return s * decay(f.day, group);
    }

    /** Score an article needs to join: the threshold, raised for a tight story to a share of its members' mean join score. */
    function needed(group: Group): number {
      if (!group.joins || !opts.cohesionShare) return opts.threshold;
      return Math.max(opts.threshold, Math.min(opts.cohesionMax, opts.cohesionShare * (group.joinSum / group.joins)));
    }

    function decay(day: number | null, group: Group): number {
      if (day === null || group.first === null || group.last === null) return 1;
      const gap = Math.max(0, group.first - day - opts.dateWindowDays, day - group.last - opts.dateWindowDays);
      return gap > 0 ? Math.exp(-gap / tau) : 1;
    }

    function dotScratch(b: Sparse): number {
      let sum = 0;
      for (let k = 0; k < b.ids.length; k++) sum += scratch[b.ids[k]] * b.w[k];
      return sum;
    }
    return { groups, groupOf, assignments, related };
  };
  /** Share of the dated, non-copy articles that joined a story founded on an earlier day. */
  function crossDayShare(groups: Group[]): number {
    let joined = 0;
    let later = 0;
    for (const g of groups) {
      const founder = feats[g.members[0]]?.day;
      if (founder === null || founder === undefined) continue;
      for (const i of g.members.slice(1)) {
        if (isCopy[i] || feats[i].day === null) continue;
        joined++;
        if (feats[i].day! > founder) later++;
      }
    }
    return joined ? later / joined : 0;
  }

  // The drop's own time scale: a first pass with the default decay measures how often an article
  // joins a story founded on an earlier day; where that is common (per-article dates, outlets a few
  // days apart) the decay is relaxed in proportion, where rare (coarse story dates, follow-ups split
  // by day) it stays strict.
  // The first pass ignores the state, so a rebuild calibrates exactly as a fresh build does.
  // It is a light pass (fewer blocking keys, candidates and members compared): only its share is used.
  const calibration = opts.dateSpreadReference > 0 ? pass(opts.dateDecayDays, false, opts.calibrationCandidates, opts.calibrationMembers, opts.calibrationKeys) : null;
  const tau = calibration ? opts.dateDecayDays * Math.max(1, crossDayShare(calibration.groups) / opts.dateSpreadReference) : opts.dateDecayDays;
  const run = pass(tau, true);
  const { groups, assignments, related } = run;

  // Why: for each article, what it shares with the rest of its story.
  for (const group of groups) {
    for (const i of group.members) {
      const asg = assignments.get(ordered[i].id)!;
      asg.shared = explain(feats[i], !copies.has(ordered[i].id), group, vocab, opts.whyTerms);
    }
  }

  // What two near-miss stories share by name: the entity phrases of both stories' titles and
  // leads (as first written in the drop); the digest keeps a near miss only when one of them is
  // a person, organisation or place.
  const nameOf = new Map<string, string>();
  for (const f of feats) for (const [key, name] of f.names) if (!nameOf.has(key)) nameOf.set(key, name);
  const groupByStory = new Map(groups.map((g) => [g.id, g]));
  const relatedOf = new Map<string, Array<{ id: string; score: number; shared: string[] }>>();
  for (const [key, score] of related) {
    const [a, b] = key.split('\t');
    if (!relatedOf.has(a)) relatedOf.set(a, []);
    const [ga, gb] = [groupByStory.get(a)!, groupByStory.get(b)!];
    const shared = new Set<string>();
    for (const id of ga.entities.keys()) if (gb.entities.has(id)) shared.add(nameOf.get(vocab[id].slice(1)) ?? vocab[id].slice(1));
    relatedOf.get(a)!.push({ id: b, score, shared: [...shared].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) });
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
      // More than the page shows: the digest drops those sharing no person, organisation or place.
      .slice(0, 6),
  }));
  return { assignments, stories, state: makeState(stories) };
}

function sourceKnown(source: string): boolean {
  return source !== '' && source !== 'unknown';
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Entities then terms this article shares with the rest of its story, strongest
 * first. "The rest" is the story's centroid less the article's own share.
 */
function explain(f: Features, inCentroid: boolean, group: Group, vocab: string[], limit: number): string[] {
  if (group.members.length < 2) return [];
  const shared = (v: Sparse, sum: Sum) => {
    const out: Array<{ key: string; s: number }> = [];
    for (let k = 0; k < v.ids.length; k++) {
      const others = (sum.get(v.ids[k]) ?? 0) - (inCentroid ? v.w[k] : 0);
      if (others > 1e-9) out.push({ key: vocab[v.ids[k]], s: v.w[k] * others });
    }
    return out.sort((a, b) => b.s - a.s || (a.key < b.key ? -1 : 1));
  };
  const out = shared(f.e, group.entities)
    .slice(0, Math.ceil(limit / 2))
    .map((x) => {
      const key = x.key.slice(1);
      return f.names.find(([k]) => k === key)?.[1] ?? key;
    });
  // Words of the labels so far: a term already named by an entity ("biden" in "Joe Biden") is not repeated.
  const named = new Set<string>();
  for (const label of out) for (const word of label.toLowerCase().split(/\s+/)) named.add(word);
  for (const w of shared(f.v, group.centroid)) {
    if (out.length >= limit) break;
    if (named.has(w.key)) continue;
    out.push(w.key);
    for (const word of w.key.toLowerCase().split(/\s+/)) named.add(word);
  }
  return out;
}
