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
import { writeFileSync } from 'node:fs';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';
import type { Article } from '../src/lib/ingest/types';
import { announceSkip, corpusDir } from '../scripts/lib/corpus';
import { foldForCompare } from '../src/lib/text';

import { corpusSources, FAMILY_KINDS, makePages, prose, scoreSeedlike, type Page } from '../scripts/lib/seedlike';
import { cleanGenerated, seedlikePages } from '../scripts/eval/seedlike';

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
  const corpus = corpusDir();
  if (!corpus) announceSkip('seed-like pages built from corpus bodies (seed bodies still run)');
  // The generator's `train` split: the wordings the rules were developed on (scripts/lib/seedlike.ts).
  const pages: Page[] = seedlikePages(corpus, 'train', PAGES);
  void makePages;
  void corpusSources;
  corpusPages = pages.filter((p) => p.name.includes('(corpus:')).length;
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
    // The headline is chosen by a learned picker (clean/title.ts); a sentence-cased headline that is
    // its page's only candidate can fall under its threshold. At most 1% of pages.
    expect(failing('title').length).toBeLessThanOrEqual(Math.floor(outcomes.length / 100));
    expect(failing('header-in-body')).toEqual([]);
  });

  it('keeps every body sentence, once', () => {
    // The classifier may drop an author-bio line that ends a corpus body ("X is a reporter for Y.
    // Follow her on Twitter …"): the zyte gold drops such lines too. At most 1% of pages.
    const lost = failing('sentences').filter((f) => !outcomes.find((o) => f.startsWith(`${o.page.name} `))?.page.inlineCredit);
    expect(lost.length).toBeLessThanOrEqual(Math.floor(outcomes.length / 100));
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

describe('seed-like pages with UNSEEN wordings (the generator\'s test split)', () => {
  // Chrome wordings, outlets, names and bodies never used to train the block model or
  // the title picker (round two looked at its failures, so it is a development set;
  // the `heldout` wordings are the unseen estimate: npm run eval -- --only seedlike).
  // Issue #17's targets are >= 95% clean, <= 1% chrome left, <= 0.5% body lost,
  // titles >= 97.5%, outlets >= 95%; the asserts hold what is reached (see docs/eval-boilerplate.md).
  it('keeps chrome and body apart, and never takes an error banner for a title', () => {
    const s = scoreSeedlike(seedlikePages(corpusDir(), 'test', PAGES), cleanGenerated);
    console.log(`seed-like, unseen wordings: ${s.pages} pages, clean ${s.clean}, chrome left ${s.chromeLeft}/${s.chromeLines}, body lost ${s.bodyLost}/${s.bodyLines}, titles ${s.titles}, outlets ${s.outlets}/${s.outletPages}, error titles ${s.errorTitles}`);
    expect(s.errorTitles).toBe(0);
    expect(s.chromeLeft / s.chromeLines).toBeLessThanOrEqual(0.01);
    expect(s.bodyLost / s.bodyLines).toBeLessThanOrEqual(0.005);
    expect(s.clean / s.pages).toBeGreaterThanOrEqual(0.9);
    expect(s.titles / s.pages).toBeGreaterThanOrEqual(0.975);
    expect(s.outlets / s.outletPages).toBeGreaterThanOrEqual(0.95);
  });
});
