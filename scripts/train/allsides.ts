/**
 * The AllSides development stories with their editors' roundups, run through
 * the real ingest (clean, group, digest), for fitting and scoring the digest.
 * Node-only (reads ../shared/corpus); nothing here is imported by the build.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fnv1a, ingest, setLibraries, type Article, type Assignment, type IngestOptions, type IngestResult, type RawFile } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), as the build hands them in (build/load-stages.ts).
setLibraries(nodeLibraries);

export interface Roundup {
  headline: string;
  summary: string;
}

export interface DevStory {
  /** Gold story id ("allsides-5607"). */
  gold: string;
  /** The story our grouping made of most of its files. */
  story: string;
  /** Raw file names of the gold story. */
  files: string[];
  ref: Roundup;
  /** 'a' or 'b': half by a hash of the gold id, as the clustering eval splits. */
  half: 'a' | 'b';
}

export interface DevSet {
  dir: string;
  files: RawFile[];
  labels: Record<string, string>;
  refs: Record<string, Roundup>;
  result: IngestResult;
  stories: DevStory[];
}

export const halfOf = (gold: string): 'a' | 'b' => (fnv1a(gold) % 2 === 0 ? 'a' : 'b');

/** Reads the AllSides folder under `corpus` and ingests it with `options`. */
export function loadAllSides(corpus: string, options: Partial<IngestOptions> = {}): DevSet {
  const dir = path.join(corpus, 'clustering-allsides');
  const rawDir = path.join(dir, 'ingest', 'raw');
  const labels = JSON.parse(readFileSync(path.join(dir, 'ingest', 'labels.json'), 'utf8')) as Record<string, string>;
  const refs = JSON.parse(readFileSync(path.join(dir, 'roundups.json'), 'utf8')) as Record<string, Roundup>;
  const files = readdirSync(rawDir)
    .sort()
    .map((name) => ({ raw: name, bytes: new Uint8Array(readFileSync(path.join(rawDir, name))) }));
  const result = ingest(files, options);
  return { dir, files, labels, refs, result, stories: devStories(labels, refs, result) };
}

/** Gold stories with a roundup, each with the story our grouping made of most of its files (as the scorer picks it). */
export function devStories(labels: Record<string, string>, refs: Record<string, Roundup>, result: IngestResult): DevStory[] {
  const storyOf = new Map(result.articles.map((a) => [a.raw, a.story]));
  const byGold = new Map<string, string[]>();
  for (const [file, g] of Object.entries(labels)) byGold.set(g, [...(byGold.get(g) ?? []), file]);
  const out: DevStory[] = [];
  for (const [gold, files] of [...byGold].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!refs[gold]) continue;
    const counts = new Map<string, number>();
    for (const f of files) {
      const s = storyOf.get(f);
      if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    // Most files, ties to the first met (Python's Counter.most_common keeps insertion order).
    let story = '';
    let most = 0;
    for (const [s, n] of counts) if (n > most) [story, most] = [s, n];
    if (!story) continue;
    out.push({ gold, story, files: files.sort(), ref: refs[gold], half: halfOf(gold) });
  }
  return out;
}

/**
 * The grouping a dev story is digested under: ours (the story our clustering
 * made of most of the gold story's files, as the scorer picks it), unmerged
 * (that story less the articles of other gold stories: our grouping had it
 * never merged, its splits kept), or gold (exactly the gold story's files, the
 * editors' grouping handed in).
 */
export type Grouping = 'ours' | 'unmerged' | 'gold';

/** How our grouping holds a gold story: as gold, split (some files elsewhere), merged (other stories' files in), or both. */
export function groupingKind(set: DevSet, dev: DevStory): 'as gold' | 'split' | 'merged' | 'split and merged' {
  const files = new Set(dev.files);
  const ours = set.result.articles.filter((a) => a.story === dev.story).map((a) => a.raw);
  const split = dev.files.some((f) => !ours.includes(f));
  const merged = ours.some((f) => !files.has(f));
  return split && merged ? 'split and merged' : split ? 'split' : merged ? 'merged' : 'as gold';
}

/**
 * Each dev story's members and assignments under a grouping, as the digest
 * receives them from clustering. Under gold grouping a republication keeps its
 * original only when both are in the gold story; the articles are the
 * pipeline's own (cleaned, repeated lines dropped).
 */
export function membersOf(set: DevSet, grouping: Grouping): Map<string, { members: Article[]; assignments: Map<string, Assignment> }> {
  const out = new Map<string, { members: Article[]; assignments: Map<string, Assignment> }>();
  if (grouping !== 'gold') {
    const byStory = new Map<string, Article[]>();
    const assignments = new Map<string, Assignment>();
    for (const a of set.result.articles) {
      byStory.set(a.story, [...(byStory.get(a.story) ?? []), a]);
      assignments.set(a.id, { story: a.story, copyOf: a.copyOf, score: 1, shared: [] });
    }
    for (const dev of set.stories) {
      const files = new Set(dev.files);
      const members = byStory.get(dev.story)!.filter((a) => grouping === 'ours' || files.has(a.raw));
      out.set(dev.gold, { members, assignments });
    }
    return out;
  }
  const byRaw = new Map<string, Article[]>();
  for (const a of set.result.articles) byRaw.set(a.raw, [...(byRaw.get(a.raw) ?? []), a]);
  for (const dev of set.stories) {
    const members = dev.files.flatMap((f) => byRaw.get(f) ?? []);
    const ids = new Set(members.map((a) => a.id));
    const assignments = new Map<string, Assignment>();
    for (const a of set.result.articles) {
      if (!ids.has(a.id)) continue;
      const copyOf = a.copyOf && ids.has(a.copyOf) ? a.copyOf : null;
      assignments.set(a.id, { story: dev.gold, copyOf, score: 1, shared: [] });
    }
    out.set(dev.gold, { members, assignments });
  }
  return out;
}
