/**
 * Wire copies (#4): a republication with a dateline tag added, a disclaimer
 * appended or a paragraph dropped is detected through the real pipeline
 * (parse, clean, group): `copyOf` is the earliest article by date then raw file
 * name, and the copy sits in its original's story. Two outlets' own reports on
 * one event are not copies.
 *
 * Copies are made synthetically from corpus articles (BASIL, full bodies), or
 * from the repository's sample seeds when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { announceSkip, corpusDir, repoRoot } from '../scripts/lib/corpus';
import { ingest } from '../src/lib/ingest/pipeline';
import { shingleSketch } from '../src/lib/ingest/stories/copies';
import { defaultClusterOptions } from '../src/lib/ingest/stories/cluster-options';
import { clusterDocs } from '../src/lib/ingest/stories/cluster-docs';
import { groupCold, resultOf } from '../src/lib/ingest/stories/group';
import { itemOf } from '../src/lib/ingest/stories/items';
import type { Article, RawFile } from '../src/lib/ingest/types';

const corpus = corpusDir();
if (!corpus) announceSkip('copies.test: no false copies in the corpus');
const enc = new TextEncoder();

interface Source {
  raw: string;
  title: string;
  date: string | null;
  paragraphs: string[];
}

/** Originals: BASIL .md files (one per event, spread over the years) or the sample seeds. */
function originals(count: number): Source[] {
  if (corpus) {
    const dir = path.join(corpus, 'clustering-basil', 'ingest', 'raw');
    const names = readdirSync(dir).filter((n) => n.endsWith('_1.md')).sort();
    const step = Math.max(1, Math.floor(names.length / count));
    return names
      .filter((_, i) => i % step === 0)
      .slice(0, count)
      .map((name) => {
        const text = readFileSync(path.join(dir, name), 'utf8');
        const [, front, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/)!;
        const field = (k: string) => front.match(new RegExp(`^${k}: "(.*)"$`, 'm'))?.[1] ?? null;
        return { raw: name, title: field('title')!, date: field('date'), paragraphs: body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean) };
      });
  }
  console.warn('copies.test: ../shared/corpus not found; making copies from the sample seeds in content/raw');
  const dir = path.join(repoRoot, 'content', 'raw');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .slice(0, count)
    .map((name) => {
      const lines = readFileSync(path.join(dir, name), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
      return { raw: name, title: lines[0], date: null, paragraphs: lines.slice(1) };
    });
}

function md(title: string, source: string, date: string | null, paragraphs: string[]): Uint8Array {
  const front = [`title: "${title.replace(/"/g, "'")}"`, `source: "${source}"`, ...(date ? [`date: "${date}"`] : [])];
  return enc.encode(`---\n${front.join('\n')}\n---\n\n${paragraphs.join('\n\n')}\n`);
}

const nextDay = (d: string | null) => (d ? new Date(Date.parse(d) + 86_400_000).toISOString().slice(0, 10) : null);

/** The three edits a republisher makes, each on its own copy. */
const edits: Record<string, (p: string[]) => string[]> = {
  dateline: (p) => [`WASHINGTON (Wire Service) — ${p[0]}`, ...p.slice(1)],
  disclaimer: (p) => [...p, 'This story was republished under a content-sharing agreement. Views expressed are the author’s own.'],
  dropped: (p) => [...p.slice(0, 1), ...p.slice(2)],
};

describe('wire copies through the pipeline', () => {
  const sources = originals(corpus ? 12 : 3);
  const files: RawFile[] = [];
  const expected = new Map<string, string>();
  sources.forEach((s, k) => {
    const id = `a-orig-${k}`;
    files.push({ raw: `${id}.md`, bytes: md(s.title, `Outlet ${k}`, s.date, s.paragraphs) });
    for (const [kind, edit] of Object.entries(edits)) {
      const copy = `b-copy-${k}-${kind}`;
      // Republishers retitle; the copy is dated the day after (when undated, its name sorts after the original's).
      files.push({ raw: `${copy}.md`, bytes: md(`Republished: ${s.title}`, `Republisher ${kind}`, nextDay(s.date), edit(s.paragraphs)) });
      expected.set(copy, id);
    }
  });
  const result = ingest(files);
  const byId = new Map(result.articles.map((a) => [a.id, a]));

  it('every copy names its original and sits in its story', () => {
    for (const [copy, original] of expected) {
      const a = byId.get(copy);
      expect(a, `${copy} was ingested`).toBeDefined();
      expect(a!.copyOf, `${copy} copyOf`).toBe(original);
      expect(a!.story, `${copy} story`).toBe(byId.get(original)!.story);
    }
  });

  it('originals are not copies, and stories count independent reports and republications', () => {
    for (let k = 0; k < sources.length; k++) expect(byId.get(`a-orig-${k}`)!.copyOf).toBeNull();
    for (const s of result.stories) {
      const copies = s.articles.filter((id) => byId.get(id)!.copyOf).length;
      expect(s.republications).toBe(copies);
      expect(s.independent).toBe(s.articles.length - copies);
    }
  });

  it('copyOf is the earliest by date, then by raw file name', () => {
    const s = sources[0];
    const early = md(s.title, 'Early', s.date, edits.dropped(s.paragraphs));
    const late = md(s.title, 'Late', nextDay(s.date), s.paragraphs);
    // Same date: the raw name decides ("a-" before "b-").
    const sameDay = ingest([
      { raw: 'b-first-by-name.md', bytes: md(s.title, 'B', s.date, s.paragraphs) },
      { raw: 'a-earliest-name.md', bytes: md(s.title, 'A', s.date, edits.disclaimer(s.paragraphs)) },
    ]);
    const sd = new Map(sameDay.articles.map((a) => [a.id, a]));
    expect(sd.get('b-first-by-name')!.copyOf).toBe('a-earliest-name');
    expect(sd.get('a-earliest-name')!.copyOf).toBeNull();
    if (s.date) {
      // The earlier date wins even when its file name sorts later.
      const byDate = ingest([
        { raw: 'a-late.md', bytes: late },
        { raw: 'z-early.md', bytes: early },
      ]);
      const bd = new Map(byDate.articles.map((a) => [a.id, a]));
      expect(bd.get('a-late')!.copyOf).toBe('z-early');
    }
  });
});

describe.skipIf(!corpus)('no false copies in the corpus (different outlets on one event)', () => {
  it('BASIL and AllSides articles are never copies of one another', () => {
    for (const set of ['clustering-basil', 'clustering-allsides']) {
      const dir = path.join(corpus!, set, 'ingest', 'raw');
      const files = readdirSync(dir)
        .sort()
        .map((raw) => ({ raw, bytes: new Uint8Array(readFileSync(path.join(dir, raw))) }));
      const result = ingest(files);
      const copies = result.articles.filter((a) => a.copyOf).map((a) => `${a.id} -> ${a.copyOf}`);
      expect(copies, set).toEqual([]);
    }
  });
});

describe('copy detection (unit)', () => {
  const article = (id: string, date: string | null, paragraphs: string[]): Article => ({
    id,
    raw: `${id}.md`,
    part: 0,
    format: 'md',
    title: id,
    titleDerived: false,
    dek: null,
    source: id,
    byline: null,
    date,
    url: null,
    lang: 'en',
    body: paragraphs.map((text) => ({ kind: 'p' as const, text })),
    removed: [],
    words: paragraphs.join(' ').split(/\s+/).length,
    excerpt: '',
  });
  // Generated text: distinct pseudo-words, so only real overlap counts.
  const words = (seed: number, n: number) => Array.from({ length: n }, (_, i) => `w${(seed * 7919 + i * 104729) % 100003}`).join(' ');

  it('a copy of a copy points at the family original; short texts are never copies', () => {
    const body = [words(1, 60), words(2, 60), words(3, 60)];
    const all = [article('a', '2024-01-01', body), article('b', '2024-01-02', body.slice(0, 2)), article('c', '2024-01-03', body.slice(0, 2)), article('tiny', '2024-01-04', ['w1 w2 w3'])];
    const docOf = clusterDocs();
    const { assignments } = resultOf(groupCold(all.map((a) => itemOf(a, docOf(a)))));
    expect(assignments.get('b')?.copyOf).toBe('a');
    expect(assignments.get('c')?.copyOf).toBe('a');
    expect(assignments.get('a')?.copyOf).toBeNull();
    expect(assignments.get('tiny')?.copyOf).toBeNull();
  });

  it('sketches are deterministic and sampled', () => {
    const a = article('a', null, [words(5, 400)]);
    const s1 = shingleSketch(a, defaultClusterOptions);
    expect([...s1]).toEqual([...shingleSketch(a, defaultClusterOptions)]);
    // About 1 in `shingleSample` of the ~396 shingles is kept.
    expect(s1.length).toBeGreaterThan(396 / defaultClusterOptions.shingleSample / 2);
    expect(s1.length).toBeLessThan((396 / defaultClusterOptions.shingleSample) * 2);
  });
});
