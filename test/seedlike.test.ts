/**
 * Seed-LIKE scrapes with boilerplate worded differently from the seeds (issue #3):
 * a deterministic generator wraps real article bodies (the seeds' own cleaned
 * bodies, and corpus bodies when ../shared/corpus is present) in page chrome
 * drawn from families whose wording is written here, not copied from any seed or
 * corpus file. Every generated page must come out with the headline placed (or a
 * derived, marked title when there is none), the byline / outlet / date placed,
 * no chrome line in the body, every body sentence kept, and every chrome line
 * recorded as removed with a kind that fits its family.
 *
 * Pass rates per family are printed (SEEDLIKE_VERBOSE=1 also lists failures).
 *
 * Size: about 570 lines, most of it the page-chrome families' generated
 * wording, kept beside the checks that read it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';
import type { Article } from '../src/lib/ingest/types';
import { announceSkip, corpusDir, repoRoot } from '../scripts/lib/corpus';
import { endsLikeSentence, foldForCompare, wordCount } from '../src/lib/text';
import { mulberry32 } from '../scripts/bench/corpus';

// ---------------------------------------------------------------- PRNG


class Gen {
  constructor(private readonly rnd: () => number) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
}

// ---------------------------------------------------------------- bodies

interface Source {
  name: string;
  title: string | null;
  /** Body lines in order; `h2` ones are subheadings. */
  lines: Array<{ text: string; h2: boolean }>;
}

const prose = (line: string) => {
  const n = wordCount(line);
  return n >= 25 || (n >= 12 && endsLikeSentence(line));
};

function seedSources(): Source[] {
  const rawDir = path.join(repoRoot, 'content/raw');
  const out: Source[] = [];
  for (const raw of readdirSync(rawDir).filter((f) => !f.startsWith('.')).sort()) {
    const bytes = new Uint8Array(readFileSync(path.join(rawDir, raw)));
    const { articles } = articlesFromFile({ raw, bytes }, defaultIngestOptions);
    const a = articles[0];
    if (!a) continue;
    out.push({ name: `seed:${raw.slice(0, 3)}`, title: a.titleDerived ? null : a.title, lines: a.body.map((b) => ({ text: b.text, h2: b.kind === 'h2' })) });
  }
  return out;
}

function corpusSources(): Source[] | null {
  const root = corpusDir();
  const dir = root && path.join(root, 'clustering-basil/articles');
  if (!dir || !existsSync(dir)) return null;
  const out: Source[] = [];
  for (const year of readdirSync(dir).sort()) {
    for (const f of readdirSync(path.join(dir, year)).sort()) {
      const lines = readFileSync(path.join(dir, year, f), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
      const [title, ...body] = lines;
      // Bodies that open with prose and carry a few paragraphs, kept short for speed.
      // A file whose first line is the lead, not a headline, has no title to place.
      if (!title || wordCount(title) < 4 || wordCount(title) > 24 || /\.["”’]?$/.test(title) || body.length < 3 || !prose(body[0])) continue;
      if (body.filter(prose).length < 3) continue;
      out.push({ name: `corpus:${year}/${f}`, title, lines: body.slice(0, 40).map((text) => ({ text, h2: false })) });
    }
  }
  return out;
}

// ---------------------------------------------------------------- chrome families (wording written for this test)

const OUTLETS = ['Harbor Post', 'Daily Ledger', 'Northfield Courier', 'KVX News', 'Meridian Wire', 'The Lantern', 'Coastline Herald', 'PRESSLINK'];
const FIRST = ['Jane', 'Tomas', 'Priya', 'Oluwaseun', 'Marta', 'Kenji', 'Fiona', 'Rafael', 'Ingrid', 'Samuel'];
const LAST = ['Doe', 'Roe', 'Halvorsen', 'Okafor', 'Castellano', 'Whitaker', 'Lindqvist', 'Mbeki', 'Fairbairn', 'Novak'];
const CITIES = ['LONDON', 'NAIROBI', 'OTTAWA', 'LISBON', 'SEOUL', 'DENVER'];
const SECTIONS = ['Politics', 'World', 'Europe', 'Business', 'Markets', 'Opinion', 'Analysis', 'Sport', 'Health', 'Technology', 'Climate', 'Local'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const HL_SUBJECT = ['City Council', 'Local Bakery', 'Tech Startup', 'Regional Airline', 'Central Bank', 'Football Club', 'University Researchers', 'Wildlife Charity', 'Port Authority', 'Film Festival'];
const HL_VERB = ['Announces', 'Unveils', 'Rejects', 'Delays', 'Expands', 'Wins', 'Launches', 'Questions', 'Pauses', 'Doubles'];
const HL_OBJECT = ['New Budget Plan', 'Record Profits', 'Summer Programme', 'Merger Talks', 'Flood Defences', 'Award For Innovation', 'Hiring Freeze', 'Price Cuts', 'Night Service', 'Expansion Bid'];
const HL_TAIL = ['', ' In 2024', ' After Long Review', ' Despite Protests', ': What We Know', ' As Costs Rise'];

interface Date3 { y: number; m: number; d: number }

function promoItem(g: Gen): string {
  return `${g.pick(HL_SUBJECT)} ${g.pick(HL_VERB)} ${g.pick(HL_OBJECT)}${g.pick(HL_TAIL)}`;
}

const iso = (t: Date3) => `${t.y}-${String(t.m).padStart(2, '0')}-${String(t.d).padStart(2, '0')}`;

function statusHeader(g: Gen, t: Date3): string {
  const code = g.pick(['200', '403', '404', '301', '500']);
  return g.pick([
    () => `date ${iso(t)} ${code}`,
    () => `fetched: ${iso(t)}T${String(g.int(0, 23)).padStart(2, '0')}:${String(g.int(0, 59)).padStart(2, '0')}:00Z status ${code}`,
    () => `${iso(t)} | HTTP ${code}`,
    () => `[${iso(t)}] ${code}`,
    () => `crawled ${iso(t)} - code ${code}`,
    () => `HTTP ${code} · retrieved ${iso(t)}`,
    () => `${iso(t)} ${String(g.int(0, 23)).padStart(2, '0')}:${String(g.int(0, 59)).padStart(2, '0')} status=${code}`,
  ])();
}

function errorBanner(g: Gen): string[] {
  const lead = g.pick(['Oops!', 'Whoops...', 'Uh-oh!', 'Sorry about that.', 'Error', '']);
  const msg = g.pick([
    'Page not found',
    'The page you requested could not be found.',
    '404 - This content is no longer available',
    "We can't seem to find the story you're after.",
    'This article has been removed or never existed.',
    'Error 404: the link you followed may be broken.',
    'Hmm, we could not locate that page.',
    'The content you are trying to reach is unavailable.',
  ]);
  return lead ? [lead, msg] : [msg];
}

function tagLines(g: Gen): string[] {
  const n = g.int(1, 2);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = g.pick(SECTIONS);
    const b = g.pick(SECTIONS.filter((s) => s !== a));
    const c = g.pick(SECTIONS.filter((s) => s !== a && s !== b));
    out.push(
      g.pick([
        () => a,
        () => `${a} | ${b}`,
        () => `${a} ${b} ${c}`,
        () => `Home › ${a} › ${b}`,
        () => a.toUpperCase(),
        () => `${a} / ${b}`,
        () => `${a}, ${b}, ${c}`,
      ])(),
    );
  }
  return out;
}

function person(g: Gen): string {
  return `${g.pick(FIRST)} ${g.pick(LAST)}`;
}

function byline(g: Gen, outlet: string): { line: string; name: string } {
  const a = person(g);
  let b = person(g);
  while (b === a) b = person(g);
  return g.pick([
    () => ({ line: `By ${a}`, name: a }),
    () => ({ line: `${a} | ${outlet}`, name: a }),
    () => ({ line: `Written by ${a} and ${b}`, name: `${a} and ${b}` }),
    () => ({ line: a.toUpperCase(), name: a.toUpperCase() }),
    () => ({ line: `By ${a}, Staff Reporter`, name: a }),
    () => ({ line: `${a}`, name: a }),
    () => ({ line: `Reporting by ${a}`, name: a }),
    () => ({ line: `By ${a.toUpperCase()}`, name: a.toUpperCase() }),
  ])();
}

function dek(g: Gen): string {
  return g.pick([
    'Officials say the plan could take months to finalise as pressure mounts on both sides',
    'the decision follows weeks of talks and a growing row over who should pay for it',
    'Critics warn the move may backfire, while supporters call it long overdue',
    'A look at what changes now and what remains uncertain for those affected',
    'Analysts expect the announcement to shape the debate for the rest of the year',
  ]);
}

function timestamp(g: Gen, t: Date3): string {
  const clock = `${g.int(1, 12)}:${String(g.int(0, 59)).padStart(2, '0')} ${g.pick(['a.m.', 'p.m.', 'AM', 'PM'])}`;
  return g.pick([
    () => `Published ${MONTHS[t.m - 1]} ${t.d}, ${t.y}`,
    () => `Updated ${t.d} ${MONTHS[t.m - 1]} ${t.y} ${clock}`,
    () => `${MONTHS[t.m - 1]} ${t.d}, ${t.y} at ${clock}`,
    () => `Posted on ${MONTHS[t.m - 1].slice(0, 3)} ${t.d}, ${t.y}`,
  ])();
}

function datelinePrefix(g: Gen, outlet: string): string {
  return g.pick([() => `(${outlet}) – `, () => `(${outlet}) - `, () => `${g.pick(CITIES)} (${outlet}) — `, () => `(${outlet}) `])();
}

function shareBar(g: Gen): string[] {
  return g.pick([
    () => ['Share this article'],
    () => ['Share on Facebook'],
    () => ['Facebook Twitter LinkedIn Email'],
    () => ['Share: Facebook | X | WhatsApp'],
    () => ['Share', 'Facebook', 'X', 'Email', 'Copy link'],
    () => ['Tweet', 'Share', 'Email'],
    () => ['Print this page'],
  ])();
}

function photoCredit(g: Gen, outlet: string): string {
  return g.pick([
    () => `Photo: ${person(g)}/${outlet}`,
    () => `Image credit: ${g.pick(['Getty Images', 'Shutterstock', 'handout'])}`,
    () => `Photograph: ${person(g)} for ${outlet}`,
    () => `(Photo by ${person(g)})`,
    () => `Picture courtesy of ${person(g)}`,
    () => `File photo: ${outlet}`,
  ])();
}

function disclaimer(g: Gen, outlet: string): string[] {
  const heading = g.pick(['Disclaimer:', 'Legal Notice', 'Disclaimer', 'Important notice:', 'Terms of use', '']);
  const para = g.pick([
    `${outlet} does not guarantee the accuracy, completeness or timeliness of third-party content and accepts no liability for any loss arising from its use.`,
    `${outlet} makes no representations about the information on this page, which is supplied by partners and may change without notice; readers rely on it at their own risk.`,
    `The opinions in this piece belong to the author alone. ${outlet} accepts no responsibility for errors or omissions in syndicated material.`,
    `${outlet} assumes no liability for the contents of external links, and the publisher is not responsible for the accuracy of partner material reproduced here.`,
  ]);
  return heading ? [heading, para] : [para];
}

function promoList(g: Gen, outlet: string): string[] {
  const heading = g.pick(['Trending now', 'Most read', 'You might also like', `Popular on ${outlet}`, "Editor's picks", 'More stories', 'Read next', `Latest from ${outlet}`, 'Top picks for you', 'What others are reading']);
  const bullet = g.pick(['- ', '• ', '', '', '* ']);
  const n = g.int(3, 8);
  const items = new Set<string>();
  while (items.size < n) items.add(promoItem(g));
  return [heading, ...[...items].map((i) => bullet + i)];
}

function commentWidget(g: Gen): string[] {
  return g.pick([
    () => ['Comments (0)'],
    () => ['Leave a comment'],
    () => [`${g.int(2, 40)} comments`],
    () => ['Show comments'],
    () => ['No comments yet'],
    () => ['Comments are closed.'],
    () => [`View all ${g.int(2, 40)} comments`],
    () => ['Join the discussion'],
  ])();
}

function navigation(g: Gen): string[] {
  return g.pick([
    () => ['Next article'],
    () => ['Continue scrolling for more'],
    () => ['Back to top'],
    () => ['Load more'],
    () => ['Previous story'],
    () => ['Keep scrolling'],
    () => ['Up next'],
    () => ['Scroll down for the next story'],
  ])();
}

function newsletter(g: Gen): string[] {
  return g.pick([
    () => ['Sign up for our morning briefing'],
    () => ['Get the latest headlines delivered to your inbox'],
    () => ['Subscribe to our newsletter', 'Enter your email address'],
    () => ['Never miss a story: sign up for daily alerts'],
    () => ['Newsletter', 'The week in review, every Friday. Sign up now.'],
  ])();
}

function copyright(g: Gen, outlet: string, t: Date3): string {
  return g.pick([
    () => `© ${t.y} ${outlet} Media Ltd. All rights reserved.`,
    () => `Copyright ${t.y} ${outlet}. Reproduction without permission is prohibited.`,
    () => `(c) ${outlet} ${t.y}`,
    () => `All content © ${t.y} ${outlet}`,
  ])();
}

// ---------------------------------------------------------------- page assembly

/** Which removal kinds fit each family (what a reader would call that line). */
const FAMILY_KINDS: Record<string, string[]> = {
  status: ['status-header'],
  error: ['error-banner'],
  tags: ['tag-line'],
  byline: ['byline'],
  timestamp: ['timestamp'],
  photo: ['photo-credit'],
  share: ['share-bar'],
  disclaimer: ['disclaimer'],
  promo: ['promo-list'],
  comments: ['widget'],
  navigation: ['navigation'],
  newsletter: ['subscribe-prompt'],
  copyright: ['copyright'],
};

interface Page {
  name: string;
  text: string;
  title: string | null;
  dek: string | null;
  byline: string | null;
  outlet: string | null;
  date: string | null;
  dateline: string | null;
  repeated: boolean;
  /** A photo credit was placed between two body paragraphs. */
  inlineCredit: boolean;
  chrome: Array<{ family: string; line: string }>;
  /** Prose lines of the body that must survive, as placed (the first without a dateline). */
  sentences: string[];
}

function makePage(g: Gen, src: Source, index: number): Page {
  const outlet = g.pick(OUTLETS);
  const t: Date3 = { y: g.int(2015, 2025), m: g.int(1, 12), d: g.int(1, 28) };
  const lines: string[] = [];
  const chrome: Page['chrome'] = [];
  const add = (family: string, ls: string[]) => {
    for (const l of ls) {
      lines.push(l);
      if (family) chrome.push({ family, line: l });
    }
  };
  let date: string | null = null;
  let outletPlaced = false;

  if (g.chance(0.6)) {
    add('status', [statusHeader(g, t)]);
    date = iso(t);
  }
  if (g.chance(0.35)) add('error', errorBanner(g));
  if (g.chance(0.15)) add('share', shareBar(g));
  const title = src.title && g.chance(0.85) ? src.title : null;
  if (title && g.chance(0.5)) add('tags', tagLines(g));
  if (title) lines.push(title);
  const dekLine = title && g.chance(0.35) ? dek(g) : null;
  if (dekLine) lines.push(dekLine);
  let by: string | null = null;
  if (g.chance(0.5)) {
    const b = byline(g, outlet);
    by = b.name;
    add('byline', [b.line]);
  }
  if (g.chance(0.3)) {
    add('timestamp', [timestamp(g, t)]);
    date = iso(t);
  }
  if (g.chance(0.2)) add('photo', [photoCredit(g, outlet)]);
  if (g.chance(0.15)) add('share', shareBar(g));

  const body = src.lines.map((l) => l.text);
  let dateline: string | null = null;
  if (g.chance(0.4) && !/^[A-Z .,'-]*\(/.test(body[0])) {
    dateline = datelinePrefix(g, outlet);
    outletPlaced = true;
  }
  const bodyLines = [...body];
  if (dateline) bodyLines[0] = dateline + bodyLines[0];
  // A photo credit inside the body, between paragraphs.
  let inlineCredit = false;
  if (g.chance(0.15) && bodyLines.length > 3) {
    inlineCredit = true;
    const at = g.int(2, bodyLines.length - 1);
    const credit = photoCredit(g, outlet);
    bodyLines.splice(at, 0, credit);
    chrome.push({ family: 'photo', line: credit });
  }
  const repeated = g.chance(0.2);
  lines.push(...bodyLines);
  if (repeated) lines.push(...bodyLines.filter((l) => !chrome.some((c) => c.line === l)));

  // After the body: shuffled order of the trailing families.
  const tail: Array<() => void> = [];
  if (g.chance(0.4)) tail.push(() => add('share', shareBar(g)));
  if (g.chance(0.45)) {
    tail.push(() => add('disclaimer', disclaimer(g, outlet)));
    outletPlaced = true;
  }
  if (g.chance(0.5)) tail.push(() => add('promo', promoList(g, outlet)));
  if (g.chance(0.45)) tail.push(() => add('comments', commentWidget(g)));
  if (g.chance(0.4)) tail.push(() => add('navigation', navigation(g)));
  if (g.chance(0.35)) tail.push(() => add('newsletter', newsletter(g)));
  for (let i = tail.length - 1; i > 0; i--) {
    const j = g.int(0, i);
    [tail[i], tail[j]] = [tail[j], tail[i]];
  }
  for (const f of tail) f();
  if (g.chance(0.4)) {
    add('copyright', [copyright(g, outlet, t)]);
    outletPlaced = true;
  }

  const blank = g.chance(0.3);
  return {
    name: `page ${index} (${src.name})`,
    text: lines.join(blank ? '\n\n' : '\n') + '\n',
    title,
    dek: dekLine,
    byline: by,
    outlet: outletPlaced ? outlet : null,
    date,
    dateline,
    repeated,
    inlineCredit,
    chrome,
    sentences: body.filter(prose),
  };
}

// ---------------------------------------------------------------- checks

interface Outcome {
  page: Page;
  article: Article | undefined;
  failures: Map<string, string>;
}

function check(page: Page): Outcome {
  const failures = new Map<string, string>();
  const { articles, rejected } = articlesFromFile({ raw: 'page.txt', bytes: new TextEncoder().encode(page.text) }, defaultIngestOptions);
  const a = articles[0];
  if (!a) {
    failures.set('article', rejected.map((r) => r.reason).join('; '));
    return { page, article: a, failures };
  }
  const bodyTexts = a.body.map((b) => b.text);
  const bodyFolded = new Set(bodyTexts.map(foldForCompare));
  // Title.
  if (page.title) {
    if (a.title !== page.title || a.titleDerived) failures.set('title', `got ${JSON.stringify(a.title)}`);
  } else if (!a.titleDerived || a.title.length > 120 || a.title.length < 10 || bodyTexts.includes(a.title)) {
    failures.set('title', `derived? ${a.titleDerived} ${JSON.stringify(a.title)}`);
  }
  if (page.dek && a.dek !== page.dek) failures.set('dek', `got ${JSON.stringify(a.dek)}`);
  if (page.byline && (a.byline ?? '').toLowerCase() !== page.byline.toLowerCase()) failures.set('byline', `got ${JSON.stringify(a.byline)} want ${page.byline}`);
  if (page.outlet && !a.source.toLowerCase().includes(page.outlet.toLowerCase())) failures.set('outlet', `got ${JSON.stringify(a.source)} want ${page.outlet}`);
  if (page.date && a.date !== page.date) failures.set('date', `got ${a.date} want ${page.date}`);
  // Title, dek, byline never repeated in the body.
  for (const x of [a.title, a.dek, a.byline]) if (x && bodyTexts.includes(x)) failures.set('header-in-body', x);
  // No chrome line in the body; each recorded with a kind that fits.
  for (const c of page.chrome) {
    if (bodyFolded.has(foldForCompare(c.line))) {
      failures.set(`chrome:${c.family}`, c.line);
      continue;
    }
    const rec = a.removed.find((r) => foldForCompare(c.line).startsWith(foldForCompare(r.text.replace(/…$/, ''))) && foldForCompare(r.text));
    if (!rec) failures.set(`recorded:${c.family}`, `not recorded: ${c.line}`);
    else if (!FAMILY_KINDS[c.family].includes(rec.kind)) failures.set(`kind:${c.family}`, `${rec.kind}: ${c.line}`);
  }
  // Every body sentence kept (the first may have lost the dateline placed before it).
  const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
  const joined = squash(bodyTexts.join(' '));
  for (const s of page.sentences) {
    if (!joined.includes(squash(s))) {
      failures.set('sentences', s.slice(0, 100));
      break;
    }
  }
  if (page.repeated && new Set(bodyTexts.filter(prose)).size !== bodyTexts.filter(prose).length) failures.set('repeated', 'body kept twice');
  return { page, article: a, failures };
}

// ---------------------------------------------------------------- the test

const PAGES = 200;
let outcomes: Outcome[] = [];
let corpusPages = 0;

beforeAll(() => {
  const seeds = seedSources();
  const corpus = corpusSources();
  if (!corpus) announceSkip('seed-like pages built from corpus bodies (seed bodies still run)');
  const g = new Gen(mulberry32(Number(process.env.SEEDLIKE_SEED ?? 20250720)));
  const pages: Page[] = [];
  for (let i = 0; i < PAGES; i++) {
    // Half the pages wrap seed bodies, half corpus bodies (all seeds when no corpus).
    const src = corpus && corpus.length && i % 2 === 1 ? corpus[g.int(0, corpus.length - 1)] : seeds[i % seeds.length];
    if (src.name.startsWith('corpus')) corpusPages++;
    pages.push(makePage(g, src, i));
  }
  outcomes = pages.map(check);
  // Per-family pass rates: of the pages carrying a family (or a field), how many passed it.
  const families = ['article', 'title', 'dek', 'byline', 'outlet', 'date', 'header-in-body', 'sentences', 'repeated', ...Object.keys(FAMILY_KINDS).flatMap((f) => [`chrome:${f}`, `recorded:${f}`, `kind:${f}`])];
  const carries = (o: Outcome, f: string): boolean => {
    const p = o.page;
    if (f === 'dek') return !!p.dek;
    if (f === 'byline') return !!p.byline;
    if (f === 'outlet') return !!p.outlet;
    if (f === 'date') return !!p.date;
    if (f === 'repeated') return p.repeated;
    const fam = f.split(':')[1];
    if (fam) return p.chrome.some((c) => c.family === fam);
    return true;
  };
  const rows: string[] = [];
  for (const f of families) {
    const with_ = outcomes.filter((o) => carries(o, f));
    if (!with_.length) continue;
    const ok = with_.filter((o) => !o.failures.has(f)).length;
    rows.push(`${f.padEnd(22)} ${String(ok).padStart(4)}/${String(with_.length).padEnd(4)} ${((100 * ok) / with_.length).toFixed(1)}%`);
  }
  const inl = outcomes.filter((o) => o.page.inlineCredit);
  rows.push(`${'sentences (in-body credit)'.padEnd(22)} ${String(inl.filter((o) => !o.failures.has('sentences')).length).padStart(4)}/${inl.length}`);
  console.log(`seed-like pages: ${PAGES} (${corpusPages} with corpus bodies)\n${rows.join('\n')}`);
  const dump = process.env.SEEDLIKE_DUMP;
  if (dump) {
    const o = outcomes[Number(dump)];
    if (process.env.SEEDLIKE_DUMP_FILE) writeFileSync(process.env.SEEDLIKE_DUMP_FILE, o.page.text);
    console.log(o.page.text, JSON.stringify({ ...o.article, body: o.article?.body.map((b) => `${b.kind}: ${b.text.slice(0, 70)}`) }, null, 1));
  }
  if (process.env.SEEDLIKE_VERBOSE) {
    for (const o of outcomes) for (const [f, why] of o.failures) console.log(`${o.page.name} ${f}: ${why}`);
  }
});

const rate = (f: string, carries: (o: Outcome) => boolean = () => true) => {
  const with_ = outcomes.filter(carries);
  return with_.length ? with_.filter((o) => ![...o.failures.keys()].some((k) => k === f || k.startsWith(`${f}:`))).length / with_.length : 1;
};
const failing = (prefix: string) =>
  outcomes.flatMap((o) => [...o.failures].filter(([k]) => k === prefix || k.startsWith(`${prefix}:`)).map(([k, v]) => `${o.page.name} ${k}: ${v}`));

describe('seed-like pages with differently worded boilerplate', () => {
  it('yields one article per page', () => {
    expect(failing('article')).toEqual([]);
  });

  it('reads the headline placed, or derives and marks a short title', () => {
    expect(failing('title')).toEqual([]);
    expect(failing('header-in-body')).toEqual([]);
  });

  it('keeps every body sentence, once', () => {
    expect(failing('sentences').filter((f) => !outcomes.find((o) => f.startsWith(`${o.page.name} `))?.page.inlineCredit)).toEqual([]);
    expect(failing('repeated')).toEqual([]);
  });

  it('mostly keeps the paragraphs around a photo credit inside the body', () => {
    // Known limit: a credit is bad context for the classifier, so a borderline
    // paragraph between two credits can go. Letting paragraphs look through
    // credits fixed these pages but cost 0.003 page-text F1 on the zyte pages
    // (gallery captions sit between credits), so it was not kept.
    expect(rate('sentences', (o) => o.page.inlineCredit)).toBeGreaterThanOrEqual(0.8);
  });

  it('leaves no chrome line in the body', () => {
    expect(failing('chrome')).toEqual([]);
  });

  it('records every chrome line as removed, with a kind that fits its family', () => {
    expect(failing('recorded')).toEqual([]);
    expect(rate('kind')).toBeGreaterThanOrEqual(0.95);
  });

  it('finds the byline, outlet and date placed', () => {
    expect(rate('byline', (o) => !!o.page.byline)).toBeGreaterThanOrEqual(0.95);
    expect(rate('outlet', (o) => !!o.page.outlet)).toBeGreaterThanOrEqual(0.95);
    expect(rate('date', (o) => !!o.page.date)).toBeGreaterThanOrEqual(0.98);
    expect(rate('dek', (o) => !!o.page.dek)).toBeGreaterThanOrEqual(0.9);
  });
});
