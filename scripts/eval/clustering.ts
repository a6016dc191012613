/**
 * Eval section "clustering": B-cubed precision / recall / F1 of story grouping
 * on the labelled corpus folders (BASIL, AllSides), plus the UCI headlines set
 * as a stress case (titles only, large stories, hundreds of outlets).
 *
 * The labelled folders are run through the real pure pipeline (decode, parse,
 * clean, metadata) so the figures include every upstream effect; a file the
 * ingest rejects counts as a singleton story (it can only hurt recall).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { articlesFromFile } from '../../src/lib/ingest/pipeline.ts';
import { dropRepeatedLines } from '../../src/lib/ingest/clean/repeated-lines.ts';
import { clusterDocs } from '../../src/lib/ingest/stories/cluster-docs.ts';
import { groupCold, resultOf, type GroupingResult } from '../../src/lib/ingest/stories/group.ts';
import { itemOf } from '../../src/lib/ingest/stories/items.ts';
import { defaultStoryOptions, type StoryOptions } from '../../src/lib/ingest/stories/options.ts';
import { fnv1a } from '../../src/lib/ingest/stories/copies.ts';
import type { Article } from '../../src/lib/ingest/types.ts';
import type { EvalSection, EvalTable } from './types.ts';
import { setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), loaded when first needed.
setLibraries(nodeLibraries);

export interface Labelled {
  articles: Article[];
  /** article id -> gold story id */
  gold: Map<string, string>;
  /** labelled files the ingest rejected */
  rejected: number;
}

/** Loads `<dir>/raw/*` through the pure ingest stages, with `<dir>/labels.json` as gold. */
export function loadLabelled(dir: string): Labelled {
  const labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Record<string, string>;
  const articles: Article[] = [];
  const gold = new Map<string, string>();
  let rejected = 0;
  for (const name of Object.keys(labels).sort()) {
    const file = path.join(dir, 'raw', name);
    if (!existsSync(file)) continue;
    const out = articlesFromFile({ raw: name, bytes: new Uint8Array(readFileSync(file)) });
    if (out.articles.length === 0) rejected++;
    for (const a of out.articles) {
      articles.push(a);
      gold.set(a.id, labels[name]);
    }
  }
  // As ingest() does before grouping: lines an outlet repeats across its articles are boilerplate.
  return { articles: dropRepeatedLines(articles), gold, rejected };
}

/** UCI News Aggregator prefix: one headline-only Article per row, dated by its timestamp. */
export function loadUciTitles(dir: string): Labelled {
  const text = readFileSync(path.join(dir, 'titles.csv'), 'utf8');
  const rows = parseCsv(text);
  const header = rows.shift() ?? [];
  const col = (name: string) => header.indexOf(name);
  const [ID, TITLE, URL, PUB, STORY, TS] = ['ID', 'TITLE', 'URL', 'PUBLISHER', 'STORY', 'TIMESTAMP'].map(col);
  const articles: Article[] = [];
  const gold = new Map<string, string>();
  for (const r of rows) {
    if (r.length < header.length) continue;
    const id = `uci-${r[ID]}`;
    const title = r[TITLE];
    articles.push({
      id,
      raw: `${id}.txt`,
      part: 0,
      format: 'txt',
      title,
      titleDerived: false,
      dek: null,
      source: r[PUB] || 'unknown',
      byline: null,
      date: new Date(Number(r[TS])).toISOString().slice(0, 10),
      url: r[URL] || null,
      lang: 'en',
      body: [],
      removed: [],
      words: title.split(/\s+/).length,
      excerpt: title,
    });
    gold.set(id, r[STORY]);
  }
  return { articles, gold, rejected: 0 };
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes); the file is small and regular. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

export interface BCubed {
  precision: number;
  recall: number;
  f1: number;
}

/** B-cubed over items present in both maps (Bagga & Baldwin 1998). */
export function bcubed(predicted: Map<string, string>, gold: Map<string, string>): BCubed {
  const items = [...gold.keys()].filter((k) => predicted.has(k));
  const groupBy = (m: Map<string, string>) => {
    const g = new Map<string, Set<string>>();
    for (const k of items) {
      const c = m.get(k)!;
      if (!g.has(c)) g.set(c, new Set());
      g.get(c)!.add(k);
    }
    return g;
  };
  const pc = groupBy(predicted);
  const gc = groupBy(gold);
  let p = 0;
  let r = 0;
  for (const k of items) {
    const mine = pc.get(predicted.get(k)!)!;
    const truth = gc.get(gold.get(k)!)!;
    let both = 0;
    for (const x of mine) if (truth.has(x)) both++;
    p += both / mine.size;
    r += both / truth.size;
  }
  const n = items.length || 1;
  const precision = p / n;
  const recall = r / n;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** The grouping the ingest runs (the windowed grouping, stories/group.ts), cold, over a set of articles. */
export function groupArticles(articles: Article[], options: Partial<StoryOptions> = {}): GroupingResult {
  const docOf = clusterDocs({ ...defaultStoryOptions, ...options });
  return resultOf(groupCold(articles.map((a) => itemOf(a, docOf(a))), options), options);
}

/** Groups a labelled set and scores it; rejected files are counted as singletons. */
export function scoreSet(set: Labelled, options: Partial<StoryOptions> = {}): BCubed & { ms: number; stories: number } {
  const started = performance.now();
  const result = groupArticles(set.articles, options);
  const ms = performance.now() - started;
  const predicted = new Map<string, string>();
  for (const [id, a] of result.assignments) predicted.set(id, a.story);
  const gold = new Map(set.gold);
  // Rejected files: each its own predicted story, still part of its gold story.
  for (let i = 0; i < set.rejected; i++) {
    predicted.set(`__rejected-${i}`, `__rejected-${i}`);
    gold.set(`__rejected-${i}`, `__rejected-gold-${i}`);
  }
  return { ...bcubed(predicted, gold), ms, stories: result.stories.length };
}

/** Same set restricted to half of its gold stories (by a hash of the story id): shows over-fitting. */
export function half(set: Labelled, which: 0 | 1): Labelled {
  const keep = (id: string) => fnv1a(set.gold.get(id)!) % 2 === which;
  const articles = set.articles.filter((a) => keep(a.id));
  return { articles, gold: new Map(articles.map((a) => [a.id, set.gold.get(a.id)!])), rejected: 0 };
}

/**
 * Wire copies made from every third article, cycling through the edits a
 * republisher makes (dateline tag added, disclaimer appended, a paragraph
 * dropped), dated a day later under another outlet's name. Scores how many
 * copies name their original and join its story, and how many articles that
 * are not copies were called copies.
 */
export function withCopies(set: Labelled): { set: Labelled; expected: Map<string, string> } {
  const edits = [
    (p: string[]) => [`NEW YORK (Wire) — ${p[0]}`, ...p.slice(1)],
    (p: string[]) => [...p, 'This article is republished under a syndication licence; the views are the author’s own.'],
    (p: string[]) => (p.length > 2 ? [...p.slice(0, 1), ...p.slice(2)] : p.length > 1 ? p.slice(0, -1) : p),
  ];
  const articles = [...set.articles];
  const gold = new Map(set.gold);
  const expected = new Map<string, string>();
  set.articles.forEach((a, k) => {
    if (k % 3 !== 0) return;
    const paragraphs = edits[(k / 3) % 3](a.body.map((b) => b.text));
    const id = `${a.id}-wirecopy`;
    const date = a.date ? new Date(Date.parse(a.date) + 86_400_000).toISOString().slice(0, 10) : null;
    articles.push({ ...a, id, raw: `${a.raw}.wirecopy.md`, source: 'Wire Republisher', title: `${a.title} (republished)`, date, body: paragraphs.map((text) => ({ kind: 'p' as const, text })) });
    gold.set(id, set.gold.get(a.id)!);
    expected.set(id, a.id);
  });
  return { set: { articles, gold, rejected: set.rejected }, expected };
}

function copyScores(set: Labelled): { found: number; total: number; sameStory: number; falseCopies: number; bc: BCubed } {
  const { set: withC, expected } = withCopies(set);
  const result = groupArticles(withC.articles);
  let found = 0;
  let sameStory = 0;
  let falseCopies = 0;
  for (const [id, a] of result.assignments) {
    const want = expected.get(id);
    if (want === undefined) {
      if (a.copyOf) falseCopies++;
      continue;
    }
    if (a.copyOf === want) found++;
    if (a.story === result.assignments.get(want)!.story) sameStory++;
  }
  const predicted = new Map([...result.assignments].map(([id, a]) => [id, a.story]));
  return { found, total: expected.size, sameStory, falseCopies, bc: bcubed(predicted, withC.gold) };
}

const section: EvalSection = {
  name: 'clustering',
  async run(corpus: string): Promise<EvalTable> {
    const rows: EvalTable['rows'] = [];
    const notes: string[] = [];
    for (const name of ['clustering-basil', 'clustering-allsides']) {
      const dir = path.join(corpus, name, 'ingest');
      if (!existsSync(path.join(dir, 'labels.json'))) {
        notes.push(`${name}: not found, skipped`);
        continue;
      }
      const set = loadLabelled(dir);
      const s = scoreSet(set);
      const goldStories = new Set(set.gold.values()).size;
      rows.push([name.replace("clustering-", ""), String(set.articles.length), `${s.stories}/${goldStories}`, s.precision, s.recall, s.f1, `${Math.round(s.ms)} ms`]);
      for (const which of [0, 1] as const) {
        const h = half(set, which);
        const hs = scoreSet(h);
        rows.push([`  half ${which ? 'b' : 'a'}`, String(h.articles.length), `${hs.stories}/${new Set(h.gold.values()).size}`, hs.precision, hs.recall, hs.f1, `${Math.round(hs.ms)} ms`]);
      }
      const c = copyScores(set);
      rows.push([`  + wire copies`, String(set.articles.length + c.total), '', c.bc.precision, c.bc.recall, c.bc.f1, '']);
      notes.push(
        `${name} + wire copies: ${c.found}/${c.total} copies name their original, ${c.sameStory}/${c.total} in its story, ${c.falseCopies} article(s) wrongly called copies`,
      );
      if (set.rejected) notes.push(`${name}: ${set.rejected} labelled file(s) rejected by the ingest, scored as singletons`);
    }
    const uci = path.join(corpus, 'clustering-uci-titles');
    if (existsSync(path.join(uci, 'titles.csv'))) {
      const set = loadUciTitles(uci);
      const s = scoreSet(set);
      rows.push(["uci-titles (stress)", String(set.articles.length), `${s.stories}/${new Set(set.gold.values()).size}`, s.precision, s.recall, s.f1, `${Math.round(s.ms)} ms`]);
      notes.push('uci-titles: headlines only, Google News stories of 9..322 headlines; a stress case, not a target');
    }
    notes.push('B-cubed precision/recall/F1 per article; targets: basil >= 0.98, allsides >= 0.93 (F1); halves a/b split the gold stories by hash');
    return { columns: ['set', 'articles', 'stories (ours/gold)', 'P', 'R', 'F1', 'cluster time'], rows, notes };
  },
};

export default section;


/**
 * `n` articles for timing, made from a labelled set by repeating it: each
 * repetition is shifted 40 days later and drops a different fifth of the words
 * (so repetitions are neither copies nor identical, and blocking sees a
 * realistic vocabulary).
 */
export function syntheticArticles(base: Article[], n: number): Article[] {
  const out: Article[] = [];
  for (let k = 0; out.length < n && base.length; k++) {
    const drop = (t: string) => (k === 0 ? t : t.split(' ').filter((w) => fnv1a(`${w}${k}`) % 5 !== 0).join(' '));
    for (const a of base) {
      if (out.length >= n) break;
      const date = a.date ? new Date(Date.parse(a.date) + k * 40 * 86_400_000).toISOString().slice(0, 10) : null;
      out.push({ ...a, id: `${a.id}-v${k}`, raw: `v${k}/${a.raw}`, date, title: drop(a.title), body: a.body.map((b) => ({ ...b, text: drop(b.text) })) });
    }
  }
  return out;
}

// `npx tsx scripts/eval/clustering.ts [n]`: times the grouping on n synthetic articles (default 10,000) made from BASIL + AllSides.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('clustering timing');
    process.exit(0);
  }
  const n = Number(process.argv[2] ?? 10_000);
  const base = ['clustering-basil', 'clustering-allsides'].flatMap((name) => loadLabelled(path.join(corpus, name, 'ingest')).articles);
  const articles = syntheticArticles(base, n);
  const words = articles.reduce((s, a) => s + a.words, 0);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = groupArticles(articles);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(
    `grouping: ${articles.length} articles (${words} words) -> ${result.stories.length} stories in ${(wall / 1000).toFixed(2)} s wall, ` +
      `${((used.user + used.system) / 1e6).toFixed(2)} s CPU; heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
  );
}
