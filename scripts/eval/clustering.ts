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
import { articlesFromFile } from '../../src/lib/ingest/pipeline.ts';
import { dropRepeatedLines } from '../../src/lib/ingest/repeated-lines.ts';
import { cluster } from '../../src/lib/ingest/cluster.ts';
import type { ClusterOptions } from '../../src/lib/ingest/cluster-options.ts';
import type { Article } from '../../src/lib/ingest/types.ts';
import type { EvalSection, EvalTable } from './types.ts';

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

/** Clusters a labelled set and scores it; rejected files are counted as singletons. */
export function scoreSet(set: Labelled, options: Partial<ClusterOptions> = {}): BCubed & { ms: number; stories: number } {
  const started = performance.now();
  const result = cluster(set.articles, options);
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
      if (set.rejected) notes.push(`${name}: ${set.rejected} labelled file(s) rejected by the ingest, scored as singletons`);
    }
    const uci = path.join(corpus, 'clustering-uci-titles');
    if (existsSync(path.join(uci, 'titles.csv'))) {
      const set = loadUciTitles(uci);
      const s = scoreSet(set);
      rows.push(["uci-titles (stress)", String(set.articles.length), `${s.stories}/${new Set(set.gold.values()).size}`, s.precision, s.recall, s.f1, `${Math.round(s.ms)} ms`]);
      notes.push('uci-titles: headlines only, Google News stories of 9..322 headlines; a stress case, not a target');
    }
    notes.push('B-cubed precision/recall/F1 per article; targets: basil >= 0.98, allsides >= 0.93 (F1)');
    return { columns: ['set', 'articles', 'stories (ours/gold)', 'P', 'R', 'F1', 'cluster time'], rows, notes };
  },
};

export default section;

