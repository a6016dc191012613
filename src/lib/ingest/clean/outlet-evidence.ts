/**
 * Outlet names from the places a scrape shows them (issue #17): parsers for
 * each shape (a dateline marker, a copyright line, a notice naming its
 * provider, a byline's outlet, a "More from …" heading, a photo credit), and
 * outletEvidence, which weighs what a whole cleaned page says. The cleaner
 * calls the parsers on the lines its rules remove; the metadata stage weighs
 * the evidence. Pure.
 */
import { BYLINE_PREFIX, OUTLET_DATELINE, OUTLET_WORD, PERSON_NAME } from './rules.ts';
import type { CleanDoc } from '../types.ts';
import { foldForCompare, wordCount } from '../../text.ts';
import { capitalisedRatio } from './capitals.ts';
import { TextMemo } from './text-memo.ts';

/** A dateline marker names an outlet, not an aside like "(AP Photo)" or "(file)". */
export function isOutletMarker(name: string): boolean {
  return !/\b(?:photo|file|video|image|updated?|pictured|left|right|center)\b/i.test(name);
}

/** Cheap pre-test for a copyright line among removed lines of any kind. */
const COPYRIGHT_HINT = /©|\(c\)|copyright/i;
const COPYRIGHT_MARK = String.raw`(?:©|\(c\)|copyright\b)`;
const YEARS = String.raw`(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)`;
const OUTLET_NAME = String.raw`(\p{Lu}[\p{L}\p{N}&.'’ -]{1,40}?)`;
/** After the mark: "© 2024 Harbor Post. All rights reserved", "Copyright © Harbor Post 2024", "©2024 Harbor Post Inc." */
const COPYRIGHT_AFTER = new RegExp(String.raw`${COPYRIGHT_MARK}(?:\s*${COPYRIGHT_MARK})*\s*(?:${YEARS}\s*,?\s*)?(?:by\s+|the\s+contents?\s+of\s+)?${OUTLET_NAME}(?=\s*(?:[.,;|–—]|all rights|${YEARS}|$))`, 'iu');
/** Before the mark: "Harbor Post © 2024 – all rights reserved". */
const COPYRIGHT_BEFORE = new RegExp(String.raw`^(?:all content\s+)?${OUTLET_NAME}\s*${COPYRIGHT_MARK}\s*${YEARS}?`, 'u');
/** Legal-form suffixes are not part of the name readers know. */
const LEGAL_SUFFIX = /,?\s+(?:Inc|Ltd|LLC|L\.L\.C|plc|PLC|GmbH|AG|S\.A|SA|Corp|Co|Pty|LLP|Limited|Incorporated)\.?$/;

export function outletFromCopyright(text: string): string | undefined {
  const m = text.match(COPYRIGHT_AFTER) ?? text.match(COPYRIGHT_BEFORE);
  const name = m?.[1]?.trim().replace(LEGAL_SUFFIX, '').trim();
  if (!name || /^(?:all|the|this|copyright|reproduction|content)\b/i.test(name) && !/\s\p{Lu}/u.test(name)) return undefined;
  return name;
}

const NOTICE_VERB = /provide|not|make|accept|assume|disclaim|bear/;

/**
 * "Acme Wire provides the information …", "… advice; Acme Wire and its partners
 * accept no liability": a notice whose subject is the outlet (alone, or with
 * its partners, affiliates or licensors).
 */
export function outletFromNotice(text: string): string | undefined {
  // Every verb the pattern accepts contains one of these (it is tried on every long removed line).
  if (!NOTICE_VERB.test(text)) return undefined;
  // Words after the first may start with a digit ("WKTR 9 News").
  const m =
    text.match(/(?:^|[.!?;:]\s+)([\p{Lu}][\p{L}\p{N}&.-]{1,30}(?:\s[\p{Lu}\p{N}][\p{L}\p{N}&.-]{0,30}){0,3})(?:,?\s+and\s+(?:its|their)\s+(?:partners|affiliates|licensors|subsidiaries|suppliers|employees)\b,?)?\s+(?:provides?|is not|are not|does not|do not|cannot|makes? no|accepts?|assumes?|disclaims?|bears?|shall not|will not)\b/u) ??
    // "… not endorsed by Acme Wire, which accepts no liability": the provider as the relative clause's subject.
    text.match(/\bby\s+((?:the\s+)?[\p{Lu}][\p{L}\p{N}&.-]{1,30}(?:\s[\p{Lu}\p{N}][\p{L}\p{N}&.-]{0,30}){0,3}),?\s+which\s+(?:provides?|is not|does not|cannot|makes? no|accepts?|assumes?|disclaims?|bears?|shall not|will not)\b/u);
  const name = m?.[1];
  // "The opinions …", "We …": a pronoun or a generic subject is not an outlet.
  if (!name || /^(?:the|this|these|we|it|our|you|they|such)\b/i.test(name) && !/\s\p{Lu}/u.test(name)) return undefined;
  return name;
}

/** "By Jane Doe • Acme Wire", "Jane Doe | Acme Wire": the outlet a byline names after the person. */
export function outletFromByline(line: string, loose = false): string | undefined {
  const parts = line.replace(BYLINE_PREFIX, '').split(/\s*[|•·]\s*|\s[-–—]\s/);
  if (parts.length !== 2) return undefined;
  const name = parts[1].trim();
  const words = wordCount(name);
  // A name of a few capitalised words that is not a person's, a date or a job title.
  // A digit is a date or a time ("July 4", "10:30") unless the name reads as an outlet ("WKTR 9 News");
  // "The X" is a publication's name, never a person's.
  const dated = /\d/.test(name) && (!OUTLET_WORD.test(name.toUpperCase()) || /\d[:.]\d|\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d/i.test(name));
  // `loose`: a two-word name after the person ("Jane Doe - Highland Examiner") may be the outlet's or a
  // second person's; the evidence weighs it below the threshold, so another place on the page must agree.
  const person = !loose && PERSON_NAME.test(name) && words === 2 && !/^the\s/i.test(name) && !OUTLET_WORD.test(name.toUpperCase());
  if (words < 1 || words > 4 || capitalisedRatio(name) < 1 || dated || person) return undefined;
  if (/\b(?:staff|reporter|correspondent|editor|writer|contributor|columnist)\b/i.test(name)) return undefined;
  return name;
}

/** "More from Acme Wire", "Latest from Acme Wire", "Popular on Acme Wire": a heading naming the site. */
export function outletFromHeading(line: string): string | undefined {
  if (wordCount(line) > 6) return undefined;
  const m = line.match(/^\p{Lu}[\p{L}'’ ]{1,20}?\s+(?:from|on|at)\s+((?:the\s+)?\p{Lu}[\p{L}\p{N}&.'’-]*(?:\s+\p{Lu}[\p{L}\p{N}&.'’-]*){0,3})$/u);
  return m?.[1];
}

const CREDIT_WORD = /credit|photo|image|picture/i;

/**
 * "(Credit: Jane Doe/Acme Wire)", "Photo: Jane Doe/Acme Wire", "(Photo: Jane Doe, Acme Wire)":
 * the organisation after the photographer.
 */
export function outletFromCredit(line: string): string | undefined {
  // Both patterns need one of these words; this plain test spares their Unicode scan on most header
  // and tag lines (issue #17, speed). Exact: under /iu only "ſ" and the Kelvin sign fold onto ASCII
  // letters (s, k), and none of these words has either.
  if (!CREDIT_WORD.test(line)) return undefined;
  const m =
    line.match(/\b(?:credit|photo|photograph|image|picture)s?\b[^/]{0,40}\/\s*(\p{Lu}[\p{L}\p{N}&.'’ -]{1,40}?)\s*\)?\s*$/iu) ??
    line.match(/\b(?:credit|photo|photograph|image|picture)s?\b\s*(?:by|:)\s*\p{Lu}[\p{L}'’.-]+(?:\s\p{Lu}[\p{L}'’.-]+){0,2},\s*(\p{Lu}[\p{L}\p{N}&.'’ -]{1,40}?)\s*\)?\s*$/iu);
  return m?.[1];
}

/**
 * What one removed line says of the outlet: the names its shape gives, each
 * followed by its weight, in the order outletEvidence weighs them (none: empty).
 * Reads the removal's kind and text alone.
 */
export function removalEvidence(kind: string, removedText: string): Array<string | number> {
  const text = removedText.replace(/…$/, '');
  const out: Array<string | number> = [];
  // A copyright line names its owner whichever removal took it (a promo list or the stretch's end often swallows it).
  if (kind === 'copyright' || COPYRIGHT_HINT.test(text)) pushFound(out, outletFromCopyright(text), OUTLET_WEIGHTS.copyright);
  else if (kind === 'byline') {
    const strict = outletFromByline(text);
    if (strict) pushFound(out, strict, OUTLET_WEIGHTS.byline);
    else pushFound(out, outletFromByline(text, true), OUTLET_WEIGHTS.bylinePerson);
  }
  else if (kind === 'promo-list' || kind === 'navigation') pushFound(out, outletFromHeading(text), OUTLET_WEIGHTS.heading);
  else if (kind === 'photo-credit' || kind === 'header-line' || kind === 'tag-line') pushFound(out, outletFromCredit(text), OUTLET_WEIGHTS.credit);
  // A notice naming its provider, whoever removed it (a rule, the block model, the stretch).
  if (kind !== 'copyright' && wordCount(text) >= 8) pushFound(out, outletFromNotice(text), OUTLET_WEIGHTS.notice);
  return out;
}

/**
 * A name and its weight onto a removal's evidence, when there is a name. Module
 * functions here, not closures made per call: under tsx (how the build and the bench
 * run) every named closure costs an Object.defineProperty call for its name (issue #17, speed).
 */
function pushFound(out: Array<string | number>, name: string | undefined, weight: number): void {
  if (name !== undefined) out.push(name, weight);
}

/**
 * Removed lines remembered per kind and generation (text-memo.ts). Tuning
 * constant: a page's removals are mostly its outlet's chrome, which recurs on
 * every page of that outlet (copyright lines, notices, promo headings), so a
 * few thousand per kind hold a batch's outlets.
 */
const EVIDENCE_MEMO_LINES = 4_096;
const evidenceMemos = new Map<string, TextMemo<Array<string | number>>>();

/** removalEvidence, remembered by kind and exact text (the same chrome recurs on every page of an outlet). */
export function rememberedEvidence(kind: string, removedText: string): Array<string | number> {
  let memo = evidenceMemos.get(kind);
  if (!memo) evidenceMemos.set(kind, (memo = new TextMemo(EVIDENCE_MEMO_LINES)));
  let found = memo.get(removedText);
  if (found === undefined) memo.set(removedText, (found = removalEvidence(kind, removedText)));
  return found;
}

/**
 * How much each kind of evidence weighs. A dateline marker, a copyright line
 * and the cleaner's own finding name the outlet outright; a notice's subject
 * almost always does; a byline's suffix and a dateline in capitals ("ACME NEWS,
 * Lisbon —", which may also be "CITY, Country —") often do; a "More from"
 * heading, a byline suffix shaped like a second person's name, or a photo credit
 * (often an agency) only back another finding up.
 */
export const OUTLET_WEIGHTS = { found: 1, copyright: 1, notice: 0.8, byline: 0.6, capsDateline: 0.4, heading: 0.3, bylinePerson: 0.3, credit: 0.2 } as const;

/** Evidence must add up to this for a name to be the outlet (one weak hint alone is not enough). */
export const OUTLET_MIN_EVIDENCE = 0.5;

/** Weight per folded name, with the spelling shown for it and that spelling's rank. */
type Votes = Map<string, { weight: number; best: number; name: string }>;

/** One place on the page naming `name`, weighing `weight` (a module function, not a closure per page: see pushFound). */
function addVote(votes: Votes, name: string | undefined, weight: number): void {
  const clean = name?.replace(/\s+/g, ' ').trim();
  if (!clean || clean.length < 2 || clean.length > 60) return;
  const key = foldForCompare(clean).replace(/^the\s+/, '');
  if (!key) return;
  const v = votes.get(key) ?? { weight: 0, best: -1, name: clean };
  v.weight += weight;
  const shout = clean === clean.toUpperCase() && /\p{Lu}{2}/u.test(clean);
  const rank = weight - (shout ? 0.5 : 0);
  if (rank > v.best) {
    v.best = rank;
    v.name = clean;
  }
  votes.set(key, v);
}

/**
 * The outlet a cleaned page names, weighing every place it shows one: what the
 * cleaner found (header.source), the lines it removed (copyright lines, notices,
 * bylines, headings, photo credits) and a capitals dateline opening the first
 * paragraph. Names are compared folded, without a leading "the"; the spelling
 * shown is the one from the weightiest source, preferring one not all in capitals.
 */
export function outletEvidence(doc: CleanDoc): string | undefined {
  const votes: Votes = new Map();
  addVote(votes, doc.header.source, OUTLET_WEIGHTS.found);
  for (const r of doc.removed) {
    const found = rememberedEvidence(r.kind, r.text);
    for (let k = 0; k < found.length; k += 2) addVote(votes, found[k] as string, found[k + 1] as number);
  }
  const first = doc.body.find((b) => b.kind === 'p');
  const caps = first?.text.match(OUTLET_DATELINE)?.groups?.outlet.trim();
  if (caps) addVote(votes, caps, OUTLET_WORD.test(caps) ? OUTLET_WEIGHTS.found : OUTLET_WEIGHTS.capsDateline);
  let best: { weight: number; name: string } | undefined;
  for (const v of votes.values()) if (v.weight >= OUTLET_MIN_EVIDENCE && (!best || v.weight > best.weight)) best = v;
  return best?.name;
}
