/**
 * Cluster stage: groups articles about one event into stories, and marks wire
 * copies (near-identical bodies) with the article they republish.
 *
 * Online clustering in date order: each article joins the most similar story
 * (TF-IDF cosine over title and body against the story's centroid) when the
 * similarity clears the threshold, else it founds a new story.
 */
import type { Article, Assignment } from './types.ts';
import { storyId } from './ids.ts';
import { foldForCompare, tokens } from '../text.ts';

export interface ClusterOptions {
  /** Cosine similarity to a story's centroid needed to join it. */
  threshold: number;
  /** Title tokens count this many times: headlines name the event. */
  titleWeight: number;
  /** Share of an article's 5-word shingles found in an earlier one for it to be a copy. */
  copyContainment: number;
}

export const defaultClusterOptions: ClusterOptions = {
  threshold: 0.2,
  titleWeight: 3,
  copyContainment: 0.7,
};

export interface ClusterResult {
  assignments: Map<string, Assignment>;
  stories: Array<{ id: string; articles: string[] }>;
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

const STOP = new Set(
  'the a an and or but of to in on at for with by from as is are was were be been has have had it its this that these those he she they we you i his her their our not no will would can could said says say also after before over into about than more most new after who what when where which while'.split(' '),
);

type Vector = Map<string, number>;

export function cluster(articles: Article[], options: Partial<ClusterOptions> = {}): ClusterResult {
  const opts = { ...defaultClusterOptions, ...options };
  const ordered = [...articles].sort(chronological);

  const docTokens = ordered.map((a) => {
    const title = tokens(a.title).filter((t) => !STOP.has(t));
    const body = a.body.flatMap((b) => tokens(b.text)).filter((t) => !STOP.has(t));
    return { title, body };
  });
  const df = new Map<string, number>();
  for (const { title, body } of docTokens) for (const t of new Set([...title, ...body])) df.set(t, (df.get(t) ?? 0) + 1);
  const n = ordered.length;
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1;

  const vectors: Vector[] = docTokens.map(({ title, body }) => {
    const v: Vector = new Map();
    for (const t of body) v.set(t, (v.get(t) ?? 0) + 1);
    for (const t of title) v.set(t, (v.get(t) ?? 0) + opts.titleWeight);
    let norm = 0;
    for (const [t, tf] of v) {
      const w = (1 + Math.log(tf)) * idf(t);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });

  interface Group {
    id: string;
    members: number[];
    centroid: Vector;
  }
  const groups: Group[] = [];
  const assignments = new Map<string, Assignment>();

  ordered.forEach((article, i) => {
    const v = vectors[i];
    let best: Group | null = null;
    let bestScore = 0;
    for (const g of groups) {
      const s = cosine(v, g.centroid, g.members.length);
      if (s > bestScore) {
        bestScore = s;
        best = g;
      }
    }
    if (!best || bestScore < opts.threshold) {
      best = { id: storyId(article.title, article.id), members: [], centroid: new Map() };
      groups.push(best);
      bestScore = 1;
    }
    best.members.push(i);
    for (const [t, w] of v) best.centroid.set(t, (best.centroid.get(t) ?? 0) + w);
    assignments.set(article.id, {
      story: best.id,
      copyOf: null,
      score: round(bestScore),
      shared: topShared(v, best.centroid),
    });
  });

  markCopies(ordered, groups, assignments, opts);
  return { assignments, stories: groups.map((g) => ({ id: g.id, articles: g.members.map((i) => ordered[i].id) })) };
}

function cosine(v: Vector, centroid: Vector, size: number): number {
  let dot = 0;
  let norm = 0;
  for (const w of centroid.values()) norm += w * w;
  for (const [t, w] of v) dot += w * (centroid.get(t) ?? 0);
  return norm ? dot / Math.sqrt(norm) : 0 / size;
}

function topShared(v: Vector, centroid: Vector): string[] {
  return [...v.entries()]
    .filter(([t]) => (centroid.get(t) ?? 0) > (v.get(t) ?? 0))
    .sort((a, b) => b[1] * (centroid.get(b[0]) ?? 0) - a[1] * (centroid.get(a[0]) ?? 0) || (a[0] < b[0] ? -1 : 1))
    .slice(0, 6)
    .map(([t]) => t);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function shingleSet(article: Article): Set<string> {
  const words = foldForCompare(article.body.map((b) => b.text).join(' ')).split(' ');
  const out = new Set<string>();
  for (let i = 0; i + 5 <= words.length; i++) out.add(words.slice(i, i + 5).join(' '));
  return out;
}

/** Within each story, an article whose shingles are mostly in an earlier one republishes it. */
function markCopies(
  ordered: Article[],
  groups: Array<{ members: number[] }>,
  assignments: Map<string, Assignment>,
  opts: ClusterOptions,
): void {
  for (const g of groups) {
    const sets = g.members.map((i) => shingleSet(ordered[i]));
    g.members.forEach((i, k) => {
      if (sets[k].size < 10) return;
      for (let j = 0; j < k; j++) {
        const original = ordered[g.members[j]];
        if (assignments.get(original.id)!.copyOf) continue;
        let hit = 0;
        for (const s of sets[k]) if (sets[j].has(s)) hit++;
        if (hit / sets[k].size >= opts.copyContainment) {
          assignments.get(ordered[i].id)!.copyOf = original.id;
          return;
        }
      }
    });
  }
}
