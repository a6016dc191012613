/**
 * The benchmark corpus: several outlets retelling each story, the way a
 * newsroom's drop folder fills up.
 *
 * Stories come from the development corpus (`../shared/corpus`: the event
 * clusters of clustering-basil and clustering-allsides, and volume-bbc bodies,
 * one story each) when it is there, else from the bundled drop folder
 * (content/raw) with seeded variations. Each story gets several outlet
 * variants: sentences dropped, paragraphs reordered, dates a day apart, and for
 * some, scrape boilerplate lines around the body (404 banners, disclaimers,
 * "most popular" lists, comment widgets, in varied generated wording).
 *
 * Deterministic: the same `seed` and `articles` always give the same files.
 * The PRNG is mulberry32, a dozen lines, written here rather than pulled in as
 * a dependency.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { corpusDir, repoRoot } from '../lib/corpus.ts';

export type Rng = () => number;

/** mulberry32: a tiny, well-known 32-bit seeded PRNG, uniform on [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** One telling of a story as found in a seed: what a variant is derived from. */
export interface SeedTelling {
  title: string;
  paragraphs: string[];
  source: string | null;
  date: string | null;
}

/** A story: one or more real tellings of the same event. */
export interface SeedStory {
  key: string;
  tellings: SeedTelling[];
}

export interface CorpusOptions {
  articles: number;
  seed: number;
  outDir: string;
  /** Where the stories come from; default: ../shared/corpus if present, else content/raw. */
  from?: 'shared' | 'bundled';
}

export interface CorpusResult {
  outDir: string;
  files: number;
  stories: number;
  bytes: number;
  origin: 'shared' | 'bundled';
  /** Seed stories used more than once (only when the seeds run out). */
  reused: number;
  /** Story key of every written file, for checks. */
  labels: Record<string, string>;
}

// ---------------------------------------------------------------------------
// Reading seeds

function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n|\n(?=\S)/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

function tellingFromMarkdown(text: string): SeedTelling | null {
  const { data, content } = matter(text);
  const paragraphs = splitParagraphs(content);
  const title = typeof data.title === 'string' ? data.title.trim() : '';
  if (!title || paragraphs.length === 0) return null;
  const date = typeof data.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.date) ? data.date : null;
  return { title, paragraphs, source: typeof data.source === 'string' ? data.source : null, date };
}

/** First line headline, blank line, paragraphs: the corpus's plain-text convention. */
function tellingFromText(text: string): SeedTelling | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const title = (lines.shift() ?? '').trim();
  const paragraphs = splitParagraphs(lines.join('\n'));
  if (!title || paragraphs.length === 0) return null;
  return { title, paragraphs, source: null, date: null };
}

async function readJson(file: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
}

/** Event clusters from an `ingest/` folder: raw/*.md plus labels.json. */
async function clusteredStories(dir: string, prefix: string): Promise<SeedStory[]> {
  const rawDir = path.join(dir, 'ingest/raw');
  const labelsFile = path.join(dir, 'ingest/labels.json');
  if (!existsSync(rawDir) || !existsSync(labelsFile)) return [];
  const labels = await readJson(labelsFile);
  const byKey = new Map<string, SeedTelling[]>();
  for (const name of (await readdir(rawDir)).sort()) {
    const label = labels[name] ?? labels[`raw/${name}`];
    if (!label) continue;
    const telling = tellingFromMarkdown(await readFile(path.join(rawDir, name), 'utf8'));
    if (!telling) continue;
    const key = `${prefix}:${label}`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push(telling);
  }
  return [...byKey].map(([key, tellings]) => ({ key, tellings }));
}

/** One story per text file (volume-bbc: each article its own event). */
async function singleStories(dir: string, prefix: string): Promise<SeedStory[]> {
  const labelsFile = path.join(dir, 'labels.json');
  if (!existsSync(labelsFile)) return [];
  const labels = await readJson(labelsFile);
  const out: SeedStory[] = [];
  for (const rel of Object.keys(labels).sort()) {
    let text: string;
    try {
      text = await readFile(path.join(dir, rel), 'utf8');
    } catch {
      continue;
    }
    const telling = tellingFromText(text);
    if (telling && telling.paragraphs.length >= 2) out.push({ key: `${prefix}:${rel}`, tellings: [telling] });
  }
  return out;
}

export async function sharedStories(dir: string): Promise<SeedStory[]> {
  return [
    ...(await clusteredStories(path.join(dir, 'clustering-basil'), 'basil')),
    ...(await clusteredStories(path.join(dir, 'clustering-allsides'), 'allsides')),
    ...(await singleStories(path.join(dir, 'volume-bbc'), 'bbc')),
  ];
}

/** The bundled drop folder: every file is a story seed. */
export async function bundledStories(dir = path.join(repoRoot, 'content/raw')): Promise<SeedStory[]> {
  const out: SeedStory[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(path.join(dir, name), 'utf8');
    const telling = /\.(md|markdown)$/i.test(name) ? tellingFromMarkdown(text) : tellingFromText(text);
    if (telling) out.push({ key: `bundled:${name}`, tellings: [telling] });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Variations

/** Outlet names: the seeds' own when they name any, else generated ones. */
function outletPool(stories: SeedStory[], rng: Rng): string[] {
  const named = [...new Set(stories.flatMap((s) => s.tellings.map((t) => t.source)).filter((s): s is string => !!s))].sort();
  if (named.length >= 8) return named;
  const places = ['North', 'South', 'East', 'West', 'Lake', 'River', 'Hill', 'Bay', 'Port', 'Glen'];
  const ends = ['field', 'ton', 'ford', 'bridge', 'haven', 'wick', 'mouth', 'dale'];
  const kinds = ['Courier', 'Herald', 'Ledger', 'Gazette', 'Times', 'Post', 'Chronicle', 'Observer', 'Tribune', 'Record'];
  const out = new Set(named);
  while (out.size < 24) out.add(`The ${pick(rng, places)}${pick(rng, ends)} ${pick(rng, kinds)}`);
  return [...out].sort();
}

export function sentences(paragraph: string): string[] {
  // Split after end punctuation followed by a space and a capital, so "4.4%" and "Mr. X" mostly survive.
  return paragraph.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z])/).filter((x) => x.length > 0);
}

/** Drops some sentences and reorders some paragraphs; never empties the body. */
export function retell(rng: Rng, paragraphs: string[]): string[] {
  const dropRate = 0.08 + rng() * 0.17;
  let out = paragraphs
    .map((p) => {
      const ss = sentences(p);
      const kept = ss.length > 1 ? ss.filter(() => rng() >= dropRate) : ss;
      return (kept.length ? kept : ss.slice(0, 1)).join(' ');
    })
    .filter((p) => p.length > 0);
  // Keep the lead (outlets rarely move it), reorder a few later paragraphs.
  if (out.length > 3) {
    const rest = out.slice(1);
    const swaps = int(rng, 1, Math.max(1, Math.floor(rest.length / 3)));
    for (let i = 0; i < swaps; i++) {
      const a = int(rng, 0, rest.length - 1);
      const b = int(rng, 0, rest.length - 1);
      [rest[a], rest[b]] = [rest[b], rest[a]];
    }
    out = [out[0], ...rest];
  }
  // Some outlets run only the first part of the story.
  if (out.length > 6 && rng() < 0.3) out = out.slice(0, int(rng, 4, out.length));
  return out;
}

export function shiftDay(day: string, by: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
}

function randomDay(rng: Rng): string {
  const start = Date.UTC(2023, 0, 1);
  return new Date(start + Math.floor(rng() * 730) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Scrape boilerplate in generic families, with wording assembled from parts so
 * no two outlets say it quite the same way. `story` supplies headlines for the
 * "most popular" lists (from other stories, as on a real page).
 */
export function boilerplate(rng: Rng, outlet: string, otherHeadlines: () => string): { before: string[]; after: string[] } {
  const families = {
    notFound: () => {
      const a = pick(rng, ["Sorry, the page you're looking for", 'We could not find the page you requested', 'Oops! That page'] as const);
      const b = pick(rng, ["can't be found.", 'may have been moved or deleted.', 'no longer exists.', 'is not available (error 404).'] as const);
      return [`${a} ${b}`, pick(rng, ['Go back to the homepage', 'Return to home', 'Try searching instead'] as const)];
    },
    disclaimer: () => {
      const a = pick(rng, ['The views expressed here are', 'Opinions in this article are', 'This content reflects'] as const);
      const b = pick(rng, ['those of the author alone', 'the writer’s own', 'not necessarily the position'] as const);
      return [`${a} ${b} and do not necessarily reflect those of ${outlet}.`];
    },
    copyright: () => [
      `${pick(rng, ['©', 'Copyright', '(c)'] as const)} ${int(rng, 2015, 2025)} ${outlet}. ${pick(rng, ['All rights reserved.', 'All Rights Reserved.', 'Some rights reserved.'] as const)}`,
    ],
    popular: () => [
      pick(rng, ['Most Popular', 'Most read', 'Trending now', 'Popular stories'] as const),
      ...Array.from({ length: int(rng, 3, 5) }, () => otherHeadlines()),
    ],
    comments: () => [
      `${int(rng, 0, 480)} ${pick(rng, ['Comments', 'comments', 'Responses'] as const)}`,
      pick(rng, ['Sign in to join the conversation', 'Log in to comment', 'Be the first to comment', 'Join the discussion'] as const),
    ],
    share: () => [pick(rng, ['Share this article', 'Share on Facebook', 'Share', 'Email this story'] as const), pick(rng, ['Tweet', 'Copy link', 'Print'] as const)],
    newsletter: () => [
      `${pick(rng, ['Sign up for', 'Subscribe to', 'Get'] as const)} ${pick(rng, ['our daily newsletter', 'the morning briefing', 'breaking news alerts'] as const)}`,
    ],
  };
  const before: string[] = [];
  const after: string[] = [];
  if (rng() < 0.15) before.push(...families.notFound());
  if (rng() < 0.4) before.push(...families.share());
  if (rng() < 0.3) after.push(...families.disclaimer());
  if (rng() < 0.5) after.push(...families.popular());
  if (rng() < 0.4) after.push(...families.comments());
  if (rng() < 0.3) after.push(...families.newsletter());
  if (rng() < 0.5) after.push(...families.copyright());
  if (before.length + after.length === 0) after.push(...families.comments());
  return { before, after };
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'outlet';
const yamlString = (s: string) => JSON.stringify(s);

// ---------------------------------------------------------------------------

/** Writes `articles` files into `outDir` (emptied first). */
export async function makeCorpus(options: CorpusOptions): Promise<CorpusResult> {
  const rng = mulberry32(options.seed);
  const shared = options.from !== 'bundled' ? corpusDir() : null;
  const origin: 'shared' | 'bundled' = shared ? 'shared' : 'bundled';
  const seeds = shared ? await sharedStories(shared) : await bundledStories();
  if (seeds.length === 0) throw new Error('no seed stories found for the benchmark corpus');
  const order = shuffle(rng, seeds.map((_, i) => i));
  const outlets = outletPool(seeds, rng);
  const headline = () => pick(rng, seeds).tellings[0].title;

  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });

  const labels: Record<string, string> = {};
  let written = 0;
  let bytes = 0;
  let storyCount = 0;
  let reused = 0;
  for (let round = 0; written < options.articles; round++) {
    for (const idx of order) {
      if (written >= options.articles) break;
      const story = seeds[idx];
      if (round > 0) reused++;
      const key = round > 0 ? `${story.key}#${round}` : story.key;
      storyCount++;
      const baseDay = story.tellings.find((t) => t.date)?.date ?? randomDay(rng);
      const n = Math.min(int(rng, 3, 6), options.articles - written);
      const storyOutlets = shuffle(rng, [...outlets]).slice(0, n);
      for (let v = 0; v < n; v++) {
        const telling = story.tellings[v % story.tellings.length];
        const outlet = storyOutlets[v % storyOutlets.length];
        // The real tellings go out once untouched-but-for-dates; later ones are retold.
        const body = v < story.tellings.length && round === 0 ? telling.paragraphs : retell(rng, telling.paragraphs);
        const day = shiftDay(telling.date ?? baseDay, int(rng, -1, 1));
        const title = v >= story.tellings.length && rng() < 0.5 ? pick(rng, story.tellings).title : telling.title;
        const scraped = rng() < 0.35;
        const name = `${String(written).padStart(6, '0')}-${slug(outlet)}.${scraped ? 'txt' : 'md'}`;
        let text: string;
        if (scraped) {
          // Whole-page scrape: headline, byline/date line, boilerplate around the body.
          const bp = boilerplate(rng, outlet, headline);
          text = [...bp.before, title, `${outlet} · ${day}`, ...body, ...bp.after].join('\n\n') + '\n';
        } else {
          const url = `https://${slug(outlet)}.example/${day.replace(/-/g, '/')}/${slug(title)}-${written}`;
          text = `---\ntitle: ${yamlString(title)}\nsource: ${yamlString(outlet)}\ndate: ${yamlString(day)}\nurl: ${yamlString(url)}\n---\n\n${body.join('\n\n')}\n`;
        }
        await writeFile(path.join(options.outDir, name), text);
        labels[name] = key;
        bytes += Buffer.byteLength(text);
        written++;
      }
    }
  }
  return { outDir: options.outDir, files: written, stories: storyCount, bytes, origin, reused, labels };
}
