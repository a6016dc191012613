/**
 * A year of news (#15): a seeded, deterministic drop folder of `articles`
 * files spread over 2025 in `2025-MM/` folders, the way a newsroom's folder
 * fills in a year, with the gold story of every file written to a labels
 * file outside the drop folder.
 *
 * What it is made of (each knob is a constant below, with its reason):
 *  - real sentences: the paragraphs of ../shared/corpus (volume-bbc bodies,
 *    clustering-basil and clustering-allsides articles) and their headlines;
 *  - about one story per five articles (the mean of `OUTLETS`). A story is built on
 *    one real event (its "seed": a BASIL or AllSides event with its 2-3
 *    outlets' real articles, or one BBC article), dealt round-robin over the
 *    stories in date order, so a real event comes back only after every other
 *    one (weeks later at 100,000 articles) and two stories near in time never
 *    share one. Each outlet's telling starts from one of the event's real
 *    articles (its lead paragraphs; sentences dropped, paragraphs reordered,
 *    some runs cut short), with real sentences from elsewhere mixed in (the
 *    story's own, shared by its tellings, and the outlet's own), and generated
 *    names (a person, a place) put into real sentences in place of theirs;
 *  - each story told by 3-7 outlets over a few days, headlines varied;
 *  - daily volume: weekdays busier than weekends, a quieter August and late
 *    December, some heavy news days;
 *  - formats as real drops come: .txt page scrapes (boilerplate around most),
 *    .md with front matter, .html pages, .json records;
 *  - `UNDATED_SHARE` of articles with no date anywhere in the file (their only
 *    date is the folder), wire copies (another outlet's text with a dateline
 *    tag or a syndication note), follow-up stories on an ongoing topic (same
 *    names, some shared background, `FOLLOW_UP_GAP` days later: the grouping
 *    has to tell them apart), and late arrivals (an article dated months back
 *    dropped in a later month's folder).
 *
 * Streaming and small in memory: the story plan is a few numbers per story;
 * each story's files are written as they are made (100,000 files in about a
 * minute). Needs ../shared/corpus (NEWSFOLD_CORPUS): without it `makeYear`
 * throws a YearCorpusUnavailable error that says so.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { corpusDir } from '../lib/corpus.ts';
import { boilerplate, mulberry32, retell, sentences, sharedStories, type Rng } from './corpus.ts';
import { sameEvents } from './year-seeds.ts';

/** Outlets telling one story: uniform in this range. */
const OUTLETS = [3, 7] as const;
/** Days after a story's first article on which the other outlets publish, with their weights. */
const SPREAD = [0.45, 0.3, 0.15, 0.07, 0.03];
/** Share of articles whose file states no date (the issue: 15%). */
const UNDATED_SHARE = 0.15;
/** Share of non-first tellings that are a wire copy of an earlier telling. */
const WIRE_COPY_SHARE = 0.07;
/** Share of stories that start an ongoing topic with follow-up stories. */
const TOPIC_SHARE = 0.2;
/** Days between a topic's stories: weeks apart, some close enough to meet the grouping's window. */
const FOLLOW_UP_GAP = [9, 40] as const;
/** Share of articles of stories before October that arrive late, in a folder 2-4 months on. */
const LATE_SHARE = 0.003;
/** File formats, with their shares. */
const FORMATS: Array<[Format, number]> = [['txt', 0.35], ['md', 0.4], ['html', 0.15], ['json', 0.1]];
/** Share of .txt scrapes with page boilerplate around the body. */
const TXT_BOILERPLATE = 0.6;

type Format = 'txt' | 'md' | 'html' | 'json';
const YEAR = 2025;
const DAYS = 365;
const DAY_MS = 86_400_000;

export class YearCorpusUnavailable extends Error {}

export interface YearOptions {
  articles: number;
  seed: number;
  /** The drop folder to write (emptied first). */
  outDir: string;
  /** Where the gold labels go ({ "2025-03/000123-outlet.md": "y000042" }); must be outside outDir. */
  labelsFile: string;
  /**
   * Merge seeds that tell one event into one event and drop duplicate seeds
   * (default true). false keeps every volume-bbc file as its own event, as
   * before, so two stories can be built on one event: label noise.
   */
  cleanSeeds?: boolean;
}

export interface YearResult {
  files: number;
  stories: number;
  bytes: number;
  undated: number;
  wireCopies: number;
  followUps: number;
  late: number;
  /** Latest day any article is dated. */
  lastDay: string;
  labelsFile: string;
  /** Beside the labels: each story's seed event (its corpus keys), for error analysis. */
  seedsFile: string;
  /** Real events the stories were built on (after merging), and seed files dropped as duplicates. */
  events: number;
  duplicateSeeds: number;
}

interface Seed {
  title: string;
  paragraphs: string[];
}

interface Material {
  seeds: Seed[];
  /** Real events: the tellings of one BASIL / AllSides event, or the BBC articles on one event. */
  events: Seed[][];
  /** Corpus keys of each event's seeds. */
  eventKeys: string[][];
  duplicateSeeds: number;
  /** Real sentences, 30-300 characters. */
  pool: string[];
  /** Indices into pool of sentences naming someone mid-sentence ("... said John Smith, ..."). */
  named: number[];
  /** Indices into pool of sentences naming a place after "in". */
  placed: number[];
}

const NAME_RUN = /(?<=\S )[A-Z][a-z]+(?: [A-Z][a-z]+)+/;
const IN_PLACE = /(?<= in )[A-Z][a-z]{3,}(?: [A-Z][a-z]+)?/;

async function loadMaterial(clean: boolean): Promise<Material> {
  const dir = corpusDir();
  if (!dir) throw new YearCorpusUnavailable('the year-of-news corpus needs ../shared/corpus (volume-bbc, clustering-basil, clustering-allsides); not found: set NEWSFOLD_CORPUS');
  const stories = await sharedStories(dir);
  const grouped = clean ? sameEvents(stories) : { stories: stories.map((s) => ({ keys: [s.key], tellings: s.tellings })), dropped: 0 };
  const kept = grouped.stories
    .map((s) => ({ keys: s.keys, seeds: s.tellings.filter((t) => t.paragraphs.length >= 2).map((t) => ({ title: t.title, paragraphs: t.paragraphs })) }))
    .filter((e) => e.seeds.length > 0);
  const events = kept.map((e) => e.seeds);
  const eventKeys = kept.map((e) => e.keys);
  const seeds: Seed[] = events.flat();
  if (seeds.length < 100) throw new YearCorpusUnavailable(`the year-of-news corpus found only ${seeds.length} seed articles under ${dir}`);
  const pool: string[] = [];
  const seen = new Set<string>();
  for (const s of seeds) {
    for (const p of s.paragraphs) {
      for (const x of sentences(p)) {
        if (x.length < 30 || x.length > 300 || seen.has(x) || !/^["“‘(]?[A-Z]/.test(x)) continue;
        seen.add(x);
        pool.push(x);
      }
    }
  }
  const named: number[] = [];
  const placed: number[] = [];
  pool.forEach((x, i) => {
    if (NAME_RUN.test(x)) named.push(i);
    if (IN_PLACE.test(x)) placed.push(i);
  });
  return { seeds, events, eventKeys, duplicateSeeds: grouped.dropped, pool, named, placed };
}

// ---------------------------------------------------------------------------
// Names: syllables make a large space of unlikely-to-repeat names, so a story's
// names tell it apart as real ones do (a pair of stories sharing a generated
// name within weeks is a follow-up, by design, or rare chance).

const SYL = 'ka ri mo ten vel sor an dra li ne bo rus ta mi gor el vin da sha ro be lun ha zek ol ma cor fi nu ge'.split(' ');
const SURNAME_END = 'son ski ez ova berg ley ford ani escu ic aro well ard'.split(' ');
const PLACE_END = 'ton ville burg port field mouth dale stead wick bury'.split(' ');
const ROLES = ['the mayor', 'a spokesperson', 'the minister', 'the chief executive', 'a senior official', 'the union leader', 'the head of the inquiry', 'a local councillor'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const word = (rng: Rng, lo: number, hi: number) => Array.from({ length: int(rng, lo, hi) }, () => pick(rng, SYL)).join('');
const personName = (rng: Rng) => `${cap(word(rng, 2, 2))} ${cap(word(rng, 1, 2))}${pick(rng, SURNAME_END)}`;
const placeName = (rng: Rng) => (rng() < 0.25 ? `${pick(rng, ['Port', 'Lake', 'North', 'East', 'Upper'])} ${cap(word(rng, 2, 2))}` : `${cap(word(rng, 1, 2))}${pick(rng, PLACE_END)}`);

function outletPool(rng: Rng): string[] {
  const kinds = ['Courier', 'Herald', 'Ledger', 'Gazette', 'Times', 'Post', 'Chronicle', 'Observer', 'Tribune', 'Record', 'Daily', 'Journal', 'News', 'Wire', 'Mirror', 'Standard'];
  const out = new Set<string>();
  while (out.size < 120) out.add(`The ${placeName(rng)} ${pick(rng, kinds)}`);
  return [...out].sort();
}

const WIRES = ['Associated Wire', 'Global Newswire', 'Continental Press'];
const CITIES = ['LONDON', 'NEW YORK', 'WASHINGTON', 'PARIS', 'BRUSSELS', 'TOKYO', 'SYDNEY', 'NAIROBI'];

// ---------------------------------------------------------------------------
// Calendar

function dayString(day: number): string {
  return new Date(Date.UTC(YEAR, 0, 1) + day * DAY_MS).toISOString().slice(0, 10);
}

/** Relative volume of each day of the year: the week's rhythm, the seasons, heavy news days. */
function dayWeights(rng: Rng): Float64Array {
  const w = new Float64Array(DAYS);
  for (let d = 0; d < DAYS; d++) {
    const date = new Date(Date.UTC(YEAR, 0, 1) + d * DAY_MS);
    const dow = date.getUTCDay();
    const month = date.getUTCMonth();
    let x = dow === 0 ? 0.5 : dow === 6 ? 0.55 : 1;
    if (month === 7) x *= 0.8;
    if (month === 11 && date.getUTCDate() >= 20) x *= 0.6;
    x *= 0.85 + 0.3 * rng();
    if (rng() < 0.02) x *= 1.6;
    w[d] = x;
  }
  return w;
}

function sampler(weights: Float64Array): (rng: Rng) => number {
  const cum = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((x, i) => (cum[i] = total += x));
  return (rng) => {
    const r = rng() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// ---------------------------------------------------------------------------
// The plan: one small record per story, then stories are written one by one.

interface PlannedStory {
  index: number;
  day: number;
  tellings: number;
  /** Topic id shared by a chain of follow-ups, or -1. */
  topic: number;
  /** 0 for the first story of a topic. */
  chainPosition: number;
}

function plan(rng: Rng, articles: number): { stories: PlannedStory[]; topics: number } {
  const dayOf = sampler(dayWeights(rng));
  const stories: PlannedStory[] = [];
  let total = 0;
  let topics = 0;
  const add = (day: number, topic: number, chainPosition: number) => {
    const tellings = Math.min(int(rng, OUTLETS[0], OUTLETS[1]), articles - total);
    stories.push({ index: stories.length, day, tellings, topic, chainPosition });
    total += tellings;
  };
  while (total < articles) {
    const day = dayOf(rng);
    if (rng() < TOPIC_SHARE) {
      const topic = topics++;
      add(day, topic, 0);
      let next = day;
      for (let k = 1, n = int(rng, 1, 3); k <= n && total < articles; k++) {
        next += int(rng, FOLLOW_UP_GAP[0], FOLLOW_UP_GAP[1]);
        if (next > DAYS - 5) break;
        add(next, topic, k);
      }
    } else add(day, -1, 0);
  }
  // Stories in date order; lead seeds are then dealt round-robin, so a seed comes back only after all others.
  stories.sort((a, b) => a.day - b.day || a.index - b.index);
  return { stories, topics };
}

// ---------------------------------------------------------------------------
// Writing

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'x';
/** What metadata.ts would read as a date in a lead's first 80 characters: an undated file must not have one. */
const DATE_LIKE = /\b(?:1[89]|20)\d\d\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/;

interface Telling {
  title: string;
  outlet: string;
  /** YYYY-MM-DD, the article's real date. */
  day: string;
  dated: boolean;
  paragraphs: string[];
  format: Format;
  url: string;
  byline: string;
}

function render(t: Telling, rng: Rng, otherHeadline: () => string): string {
  switch (t.format) {
    case 'md': {
      const lines = ['---', `title: ${JSON.stringify(t.title)}`, `source: ${JSON.stringify(t.outlet)}`];
      if (t.dated) lines.push(`date: ${JSON.stringify(t.day)}`);
      lines.push(`url: ${JSON.stringify(t.url)}`, '---', '');
      return `${lines.join('\n')}\n${t.paragraphs.join('\n\n')}\n`;
    }
    case 'json': {
      const record: Record<string, string> = { title: t.title, source: t.outlet, url: t.url, author: t.byline };
      if (t.dated) record.date = `${t.day}T${String(int(rng, 6, 21)).padStart(2, '0')}:${String(int(rng, 0, 59)).padStart(2, '0')}:00Z`;
      record.body = t.paragraphs.join('\n\n');
      return `${JSON.stringify(record, null, 1)}\n`;
    }
    case 'html': {
      const head = [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8">',
        `<title>${escapeHtml(t.title)} | ${escapeHtml(t.outlet)}</title>`,
        `<meta property="og:title" content="${escapeHtml(t.title)}">`,
        `<meta property="og:site_name" content="${escapeHtml(t.outlet)}">`,
        `<meta name="author" content="${escapeHtml(t.byline)}">`,
        `<link rel="canonical" href="${escapeHtml(t.url)}">`,
      ];
      if (t.dated) head.push(`<meta property="article:published_time" content="${t.day}T09:00:00Z">`);
      const body = [
        '</head><body>',
        `<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a></nav></header>`,
        '<main><article>',
        `<h1>${escapeHtml(t.title)}</h1>`,
        `<p class="byline">By ${escapeHtml(t.byline)}${t.dated ? ` <time datetime="${t.day}">${t.day}</time>` : ''}</p>`,
        ...t.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
        '</article>',
        `<aside><h2>Most read</h2><ul>${Array.from({ length: 4 }, () => `<li><a href="/x">${escapeHtml(otherHeadline())}</a></li>`).join('')}</ul></aside>`,
        '</main>',
        `<footer><p>© ${YEAR} ${escapeHtml(t.outlet)}. All rights reserved.</p></footer>`,
        '</body></html>',
      ];
      return `${[...head, ...body].join('\n')}\n`;
    }
    case 'txt': {
      const bp = rng() < TXT_BOILERPLATE ? boilerplate(rng, t.outlet, otherHeadline) : { before: [], after: [] };
      // A byline, and for a dated page a time stamp in one of the shapes pages and scrapers write.
      const header = [`By ${t.byline}`];
      if (t.dated) header.push(stamp(rng, t.day));
      return `${[...bp.before, t.title, ...header, ...t.paragraphs, ...bp.after].join('\n\n')}\n`;
    }
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function stamp(rng: Rng, day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const written = `${MONTHS[m - 1]} ${d}, ${y}`;
  const clock = `${int(rng, 1, 12)}:${String(int(rng, 0, 59)).padStart(2, '0')} ${rng() < 0.5 ? 'am' : 'pm'}`;
  return pick(rng, [`Published ${written}`, written, `Updated ${written} at ${clock}`, `${day} | HTTP 200`, `${MONTHS[m - 1].slice(0, 3)} ${d}, ${y}, ${clock.toUpperCase()} UTC`]);
}

function weighted<T>(rng: Rng, xs: Array<[T, number]>): T {
  let r = rng();
  for (const [x, w] of xs) if ((r -= w) < 0) return x;
  return xs[xs.length - 1][0];
}

/** Writes the year. Throws YearCorpusUnavailable without ../shared/corpus. */
export async function makeYear(options: YearOptions): Promise<YearResult> {
  const outDir = path.resolve(options.outDir);
  const labelsFile = path.resolve(options.labelsFile);
  if (labelsFile.startsWith(outDir + path.sep)) throw new Error('the labels file must be outside the drop folder');
  const material = await loadMaterial(options.cleanSeeds !== false);
  const seedsFile = labelsFile.replace(/(\.json)?$/, '.seeds.json');
  const rng = mulberry32(options.seed);
  const outlets = outletPool(rng);
  const { stories } = plan(rng, options.articles);
  // Real events dealt in one fixed shuffled order, round-robin over stories in date order.
  const seedOrder = material.events.map((_, i) => i);
  for (let i = seedOrder.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [seedOrder[i], seedOrder[j]] = [seedOrder[j], seedOrder[i]];
  }
  // A topic's names and background, made when its first story is written (its follow-ups come later in date order).
  const topicOf = new Map<number, { person: string; place: string; role: string; background: string[] }>();

  await rm(outDir, { recursive: true, force: true });
  for (let m = 1; m <= 12; m++) mkdirSync(path.join(outDir, `${YEAR}-${String(m).padStart(2, '0')}`), { recursive: true });
  const labels: string[] = [];
  const seedsOf: string[] = [];
  const result: YearResult = { files: 0, stories: stories.length, bytes: 0, undated: 0, wireCopies: 0, followUps: 0, late: 0, lastDay: dayString(0), labelsFile, seedsFile, events: material.events.length, duplicateSeeds: material.duplicateSeeds };
  const headline = () => material.seeds[Math.floor(rng() * material.seeds.length)].title;
  const sentence = (r: Rng) => material.pool[Math.floor(r() * material.pool.length)];

  stories.forEach((story, order) => {
    const r = mulberry32((options.seed * 1_000_003 + story.index) >>> 0);
    const event = material.events[seedOrder[order % seedOrder.length]];
    const label = `y${String(story.index).padStart(6, '0')}`;
    seedsOf.push(`${JSON.stringify(label)}:${JSON.stringify(material.eventKeys[seedOrder[order % seedOrder.length]].join(' '))}`);
    let topic = story.topic >= 0 ? topicOf.get(story.topic) : undefined;
    if (story.topic >= 0 && !topic) {
      topic = { person: personName(r), place: placeName(r), role: pick(r, ROLES), background: [sentence(r), sentence(r)] };
      topicOf.set(story.topic, topic);
    }
    if (story.chainPosition > 0) result.followUps++;
    const person = topic?.person ?? personName(r);
    const place = topic?.place ?? placeName(r);
    const role = topic?.role ?? pick(r, ROLES);
    // What the story's tellings share: its names in real sentences, other real sentences, a topic's background.
    const named = material.pool[material.named[Math.floor(r() * material.named.length)]].replace(NAME_RUN, person);
    const placed = material.pool[material.placed[Math.floor(r() * material.placed.length)]].replace(IN_PLACE, place);
    const mixed = Array.from({ length: int(r, 1, 2) }, () => Array.from({ length: int(r, 2, 3) }, () => sentence(r)).join(' '));
    /** The body an outlet starts from: one of the event's real articles, with the story's shared parts. */
    const bodyOf = (seed: Seed) => {
      const body = seed.paragraphs.slice(0, int(r, 4, 7));
      body.splice(1, 0, `${named} ${person}, ${role}, was speaking in ${place}.`);
      for (const p of mixed) body.splice(int(r, 2, body.length), 0, p);
      body.splice(int(r, 2, body.length), 0, placed);
      if (topic) body.push(topic.background.join(' '));
      return body;
    };
    const titlesOf = (seed: Seed) => [seed.title, `${place}: ${seed.title}`, `${seed.title}, says ${person}`, `${person}: ${seed.title}`];
    const titles = titlesOf(event[0]);
    const storyOutlets = [...outlets];
    for (let i = storyOutlets.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [storyOutlets[i], storyOutlets[j]] = [storyOutlets[j], storyOutlets[i]];
    }
    const written: Telling[] = [];
    for (let k = 0; k < story.tellings; k++) {
      const outlet = storyOutlets[k];
      const offset = k === 0 ? 0 : weighted(r, SPREAD.map((w, d) => [d, w] as [number, number]));
      const dayNumber = Math.min(DAYS - 1, story.day + offset);
      const day = dayString(dayNumber);
      let paragraphs: string[];
      let title: string;
      const copyOf = k > 0 && r() < WIRE_COPY_SHARE ? written[Math.floor(r() * written.length)] : null;
      if (copyOf) {
        // A republished wire text: the same body, a dateline tag or a syndication note, its own headline at times.
        paragraphs = [...copyOf.paragraphs];
        if (r() < 0.6) paragraphs[0] = `${pick(r, CITIES)} (${pick(r, WIRES)}) — ${paragraphs[0]}`;
        else paragraphs.push(`This article is republished from ${copyOf.outlet} under a syndication licence.`);
        title = r() < 0.5 ? copyOf.title : pick(r, titles);
        result.wireCopies++;
      } else {
        const seed = event[k % event.length];
        paragraphs = retell(r, bodyOf(seed));
        for (let n = int(r, 0, 2); n > 0; n--) paragraphs.splice(int(r, 1, paragraphs.length), 0, sentence(r));
        title = k === 0 ? titles[int(r, 0, 1)] : r() < 0.5 ? pick(r, titlesOf(seed)) : pick(r, titles);
      }
      const dated = r() >= UNDATED_SHARE;
      if (!dated) {
        result.undated++;
        // No date anywhere in the file: not even a year at the head of the lead.
        const clean = paragraphs.findIndex((p) => !DATE_LIKE.test(p.slice(0, 80)));
        if (clean > 0) paragraphs = [...paragraphs.slice(clean), ...paragraphs.slice(0, clean)];
      }
      const format = weighted(r, FORMATS);
      const host = `${slug(outlet)}.example`;
      const url = dated ? `https://${host}/${day.replace(/-/g, '/')}/${slug(title)}-${result.files}` : `https://${host}/news/${slug(title)}-${result.files}`;
      const telling: Telling = { title, outlet, day, dated, paragraphs, format, url, byline: personName(r) };
      written.push(telling);
      // Late arrival: filed in a folder months after its own date (only dated files: the folder is all an undated one has).
      let month = Number(day.slice(5, 7));
      if (dated && month <= 9 && r() < LATE_SHARE) {
        month += int(r, 2, 3);
        result.late++;
      }
      const rel = `${YEAR}-${String(month).padStart(2, '0')}/${String(result.files).padStart(6, '0')}-${slug(outlet)}.${format}`;
      const text = render(telling, r, headline);
      writeFileSync(path.join(outDir, rel), text);
      labels.push(`${JSON.stringify(rel)}:${JSON.stringify(label)}`);
      result.files++;
      result.bytes += Buffer.byteLength(text);
      if (day > result.lastDay) result.lastDay = day;
    }
  });
  mkdirSync(path.dirname(labelsFile), { recursive: true });
  writeFileSync(labelsFile, `{\n${labels.join(',\n')}\n}\n`);
  writeFileSync(seedsFile, `{\n${seedsOf.join(',\n')}\n}\n`);
  return result;
}

// `node --import tsx scripts/bench/year.ts <articles> <outDir> <labelsFile> [seed] [--raw-seeds]`
// (--raw-seeds: every volume-bbc file its own event, duplicates included: the labels before the cleaning.)
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const [n, out, labels, seed] = args.filter((a) => !a.startsWith('--'));
  const started = performance.now();
  makeYear({ articles: Number(n ?? 10_000), outDir: out ?? 'bench/work/year/raw', labelsFile: labels ?? 'bench/work/year/labels.json', seed: Number(seed ?? 1), cleanSeeds: !args.includes('--raw-seeds') }).then(
    (r) => console.log(JSON.stringify({ ...r, ms: Math.round(performance.now() - started), rssMB: Math.round(process.memoryUsage().rss / 1048576) })),
    (err) => {
      console.error(err instanceof YearCorpusUnavailable ? `SKIPPED: ${err.message}` : err);
      process.exit(err instanceof YearCorpusUnavailable ? 3 : 1);
    },
  );
}
