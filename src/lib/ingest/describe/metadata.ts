/**
 * Metadata stage: CleanDoc -> Article. Each field takes the most explicit
 * evidence first: what the format states (front matter, `<meta>`, JSON), then
 * what the cleaner read off the page (header lines, dateline, notices), then
 * what can be inferred (the URL's domain, a date in the text), else a stated
 * unknown. Nothing here guesses silently: a derived title is marked derived.
 */
import { LANGUAGE_SAMPLE_CHARS, detectLanguage } from '../clean/classify.ts';
import { bodyWordCounts, pageLanguageOf } from '../clean/clean.ts';
import type { Article, CleanDoc } from '../types.ts';
import { articleId } from './ids.ts';
import { library } from '../libraries.ts';
import { chronoMayFindDay } from './date-forms.ts';
import { isErrorLine } from '../clean/rules.ts';
import { outletEvidence } from '../clean/outlet-evidence.ts';
import { TextMemo } from '../clean/text-memo.ts';
import { firstSentences, splitSentences, truncate, wordCount } from '../../text.ts';

export interface MetadataOptions {
  /** Reference instant for parsing dates in text; injected so runs are reproducible. */
  now: Date;
  maxTitleChars: number;
  excerptChars: number;
  /**
   * The site's IANA time zone (config `timezone`): a date that names an instant
   * (a time with an offset) belongs to that instant's day in this zone. A date
   * without a time, or without an offset, is the day as written. Never the
   * machine's own zone, so every build machine gives the same days.
   */
  timeZone: string;
}

export const defaultMetadataOptions: MetadataOptions = {
  now: new Date('2000-01-01T00:00:00Z'),
  maxTitleChars: 120,
  excerptChars: 300,
  timeZone: 'UTC',
};

export function describe(doc: CleanDoc, options: Partial<MetadataOptions> = {}): Article {
  // Object.assign, not a spread: its copies share one V8 map (see clean.ts optionsFor).
  const opts: MetadataOptions = Object.assign({}, defaultMetadataOptions, options);
  const { hints } = doc.doc;
  const body = doc.body;
  // A plain loop, not filter and map: arrays of one kind keep V8's code for this stage optimised once (issue #17, speed).
  const paragraphs: string[] = [];
  for (const b of body) if (b.kind === 'p') paragraphs.push(b.text);
  const url = safeUrl(hints.url);

  let title = clip(notError(hints.title) ?? notError(doc.header.title), opts.maxTitleChars);
  let titleDerived = false;
  if (!title) {
    title = deriveTitle(paragraphs[0] ?? '', opts.maxTitleChars);
    titleDerived = true;
  }

  return {
    id: articleId(doc.doc.raw, doc.doc.part),
    raw: doc.doc.raw,
    part: doc.doc.part,
    format: doc.doc.format,
    title: title || 'Untitled',
    titleDerived,
    dek: clip(hints.dek ?? doc.header.dek, 400) ?? null,
    source: outletOf(doc, url, opts),
    byline: cleanByline(hints.byline ?? doc.header.byline),
    date: normaliseDate(hints.date, opts.now, opts.timeZone) ?? normaliseDate(doc.header.date, opts.now, opts.timeZone) ?? dateInText(paragraphs[0], opts.now, opts.timeZone),
    url,
    lang: normaliseLang(hints.lang) ?? langFromCode(pageLanguageOf.get(doc.doc)) ?? detectLang(languageSample(paragraphs)),
    body,
    removed: doc.removed,
    words: paragraphWords(doc),
    excerpt: excerptOf(paragraphs, opts.excerptChars),
  };
}

/**
 * An error banner ("Page not found") is never a title, wherever it came from.
 * A module function, not a closure made per article: under tsx (how the build and
 * the bench run) every named closure costs an Object.defineProperty call for its
 * name, about as much as the check itself (issue #17, speed).
 */
function notError(t: string | undefined): string | undefined {
  return t && !isErrorLine(t) ? t : undefined;
}

/**
 * The paragraphs joined by blank lines as far as detectLang reads them: its first
 * LANGUAGE_SAMPLE_CHARS characters (and, when shorter, the whole text, whose length it
 * checks). detectLang gives the same answer as on the whole join, which it used to be
 * handed, without copying every body for a few hundred characters (issue #17, speed).
 */
function languageSample(paragraphs: string[]): string {
  let sample = '';
  for (let i = 0; i < paragraphs.length && sample.length < LANGUAGE_SAMPLE_CHARS; i++) sample = i === 0 ? paragraphs[0] : `${sample}\n\n${paragraphs[i]}`;
  return sample;
}

/** wordCount of the paragraphs joined by blank lines: no word spans two, so their counts add up. */
function paragraphWords(doc: CleanDoc): number {
  const counts = bodyWordCounts(doc);
  let n = 0;
  doc.body.forEach((b, i) => {
    if (b.kind === 'p') n += counts[i];
  });
  return n;
}

function clip(text: string | undefined, max: number): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t ? truncate(t, max) : undefined;
}

/**
 * A headline-sized title from the lead: its first sentence, the reported clause
 * when the sentence is "X said (that) Y", cut at a clause boundary if still long.
 */
export function deriveTitle(lead: string, max: number): string {
  let sentence = (splitSentences(lead)[0] ?? lead).replace(/[.!?…]+["”’]?$/, '').trim();
  const reported = sentence.match(/^(.{3,100}?)\s+(?:said|says|announced|stated|confirmed|reported|warned)(?:\s+on\s+\w+)?(?:\s+that)?\s+(.+)$/);
  if (reported && wordCount(reported[2]) >= 6) sentence = reported[2];
  const limit = Math.min(max, 100);
  if (sentence.length > limit) {
    const clause = sentence.split(/,\s+|\s+[-–—]\s+|;\s+/)[0];
    sentence = wordCount(clause) >= 6 ? clause : sentence;
  }
  sentence = truncate(sentence, limit);
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function excerptOf(paragraphs: string[], max: number): string {
  let out = '';
  for (const p of paragraphs) {
    // Sentences adding up to `max` characters are more than the excerpt takes (it stops at 0.6 x max),
    // so the rest of a long paragraph is not split (issue #17, speed).
    for (const s of firstSentences(p, max)) {
      if (out && out.length + s.length + 1 > max) return out;
      out = out ? `${out} ${s}` : s;
      if (out.length >= max * 0.6) return truncate(out, max);
    }
  }
  return truncate(out, max);
}

/** Only http(s) URLs are kept: anything else could become a `javascript:` link. */
export function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function cleanOutlet(name: string | undefined): string | undefined {
  const n = name?.replace(/\s+/g, ' ').trim();
  if (!n || n.length > 60 || /^https?:/i.test(n)) return undefined;
  return n;
}

/**
 * The outlet, from the most explicit evidence: the site config's name for the
 * URL's domain; what the format states (og:site_name, JSON-LD publisher); what
 * the page shows, weighed (clean/outlet-evidence.ts: a dateline, a copyright line, a
 * notice naming its provider, a byline's outlet, backed up by "More from"
 * headings and photo credits); else a readable name from the URL's domain.
 */
function outletOf(doc: CleanDoc, url: string | null, opts: MetadataOptions): string {
  return cleanOutlet(doc.doc.hints.source) ?? cleanOutlet(outletEvidence(doc)) ?? readableOutlet(doc, url) ?? 'unknown';
}

/**
 * A name for a domain: when the page spells the domain's name out in capitalised
 * words ("harborpost.com" and "the Harbor Post"), those words; else the domain
 * without "www." ("reuters.com"), which readers recognise.
 */
function readableOutlet(doc: CleanDoc, url: string | null): string | undefined {
  const host = outletFromUrl(url);
  if (!host) return undefined;
  const label = host.split('.')[0].replace(/-/g, '');
  if (label.length >= 4) {
    const text = [doc.doc.hints.title ?? doc.header.title ?? '', ...doc.body.slice(0, 20).map((b) => b.text)].join(' ');
    const words = text.match(/\p{Lu}[\p{L}\p{N}'’&-]*/gu) ?? [];
    for (let i = 0; i < words.length; i++) {
      let joined = '';
      for (let j = i; j < Math.min(words.length, i + 5); j++) {
        joined += words[j].toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
        if (joined === label || joined === `the${label}` || `the${joined}` === label) return words.slice(i, j + 1).join(' ');
        if (!label.startsWith(joined) && !`the${label}`.startsWith(joined)) break;
      }
    }
  }
  return host;
}

/** "www.reuters.com" -> "reuters.com": the registrable part is what readers recognise. */
export function outletFromUrl(url: string | null): string | undefined {
  if (!url) return undefined;
  const host = new URL(url).hostname.replace(/^(?:www\d?|m|amp|edition|mobile)\./, '');
  return host || undefined;
}

function cleanByline(byline: string | undefined): string | null {
  const b = byline
    ?.replace(/^(?:(?:written |reported )?by)\s*[:\s]\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!b || b.length > 120 || /^https?:/i.test(b)) return null;
  return b;
}

/**
 * Any date a format states, as YYYY-MM-DD; null when it cannot be read. A date
 * naming an instant (a time and an offset: `2025-07-20T23:30:00-04:00`,
 * `July 20, 2025 11:30 PM EDT`) is that instant's day in `timeZone`.
 */
export function normaliseDate(value: string | undefined, now: Date, timeZone = 'UTC'): string | null {
  if (!value) return null;
  const v = value.trim();
  const iso = v.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?/i);
  if (iso && validDay(+iso[1], +iso[2], +iso[3])) {
    if (iso[7] && +iso[4] < 24 && +iso[5] < 60) {
      const offset = iso[7].toUpperCase() === 'Z' ? 'Z' : iso[7].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
      const instant = new Date(`${iso[1]}-${iso[2]}-${iso[3]}T${iso[4]}:${iso[5]}:${iso[6] ?? '00'}${offset}`);
      if (!Number.isNaN(instant.getTime())) return dayIn(instant, timeZone);
    }
    return `${iso[1]}-${iso[2]}-${iso[3]}`;
  }
  return rememberedChronoDay(v, now, timeZone);
}

/** The day chrono-node reads in a date string (the first date it finds, when year, month and day are all stated), or null. */
export function chronoDay(v: string, now: Date, timeZone: string): string | null {
  const parsed = library('dates').parse(v, now)[0];
  if (parsed && parsed.start.isCertain('year') && parsed.start.isCertain('month') && parsed.start.isCertain('day')) {
    if (parsed.start.isCertain('hour') && parsed.start.isCertain('timezoneOffset')) return dayIn(parsed.start.date(), timeZone);
    const y = parsed.start.get('year')!;
    const m = parsed.start.get('month')!;
    const d = parsed.start.get('day')!;
    if (validDay(y, m, d)) return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return null;
}

/**
 * Strings remembered per generation (clean/text-memo.ts), per reference instant and zone.
 * Tuning constant: chrono-node is the stage's costliest call (milliseconds each while
 * its code is cold), and the same date lines and wire leads recur across outlets' pages;
 * a few thousand strings cover a batch.
 */
const CHRONO_MEMO_STRINGS = 4_096;
/** One memo, for the reference instant and zone of the latest call (a new build's `now` starts afresh, so none piles up). */
let chronoMemo: { key: string; days: TextMemo<string | null> } | undefined;

/**
 * chronoDay, remembered by the exact string: a pure function of the string, the reference instant and the zone.
 * Strings in which chrono-node can find no certain day (date-forms.ts) never reach it: on a news
 * corpus those are nearly all the leads the dateline check lets through ("… in 2004 …").
 */
function rememberedChronoDay(v: string, now: Date, timeZone: string): string | null {
  if (!chronoMayFindDay(v)) return null;
  const key = `${now.getTime()} ${timeZone}`;
  if (chronoMemo?.key !== key) chronoMemo = { key, days: new TextMemo(CHRONO_MEMO_STRINGS) };
  let day = chronoMemo.days.get(v);
  if (day === undefined) chronoMemo.days.set(v, (day = chronoDay(v, now, timeZone)));
  return day;
}

/**
 * A dateline such as "WASHINGTON, July 4, 2025 —" at the start of the lead. Only
 * a written year or a numeric date counts: "yesterday" or "three days ago" would
 * be resolved against the reference instant, not the day the article appeared.
 * (The check also spares chrono-node, the stage's costliest call, on most leads.)
 */
function dateInText(lead: string | undefined, now: Date, timeZone: string): string | null {
  if (!lead) return null;
  const head = lead.slice(0, 80);
  if (!/\b(?:1[89]|20)\d\d\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/.test(head)) return null;
  return normaliseDate(head, now, timeZone);
}

/** Formatters by zone: making one costs far more than formatting with it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of `instant` in `timeZone`, from ICU's zone data: the same on every machine. */
export function dayIn(instant: Date, timeZone: string): string | null {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && validDay(+parts.year, +parts.month, +parts.day) ? day : null;
}

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** franc answers in ISO 639-3; the site's `lang` attribute wants 639-1. */
const ISO6393_TO_1: Record<string, string> = {
  eng: 'en', fra: 'fr', deu: 'de', spa: 'es', por: 'pt', ita: 'it', nld: 'nl', rus: 'ru', ukr: 'uk',
  pol: 'pl', tur: 'tr', ara: 'ar', cmn: 'zh', jpn: 'ja', kor: 'ko', ind: 'id', swe: 'sv', dan: 'da',
  nob: 'no', fin: 'fi', ces: 'cs', ron: 'ro', hun: 'hu', ell: 'el', heb: 'he', hin: 'hi', vie: 'vi',
};

function normaliseLang(lang: string | undefined): string | undefined {
  const l = lang?.toLowerCase().match(/^[a-z]{2,3}/)?.[0];
  if (!l) return undefined;
  return l.length === 3 ? ISO6393_TO_1[l] : l;
}

function langFromCode(code: string | undefined): string | undefined {
  return code ? ISO6393_TO_1[code] : undefined;
}

export function detectLang(text: string): string {
  if (text.length < 40) return 'en';
  return ISO6393_TO_1[detectLanguage(text)] ?? 'en';
}
