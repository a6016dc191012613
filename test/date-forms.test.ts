/**
 * The pre-test in front of chrono-node (describe/date-forms.ts, issue #17 speed)
 * against chrono-node itself: whenever it says "no certain day", chronoDay
 * must be null, under several reference instants and zones. The battery holds
 * each form chrono-node can read a certain day from (so the test shows every
 * pattern is needed: each such string must be let through), the ones it only
 * implies a day for (weekdays, "last month", "September 2003"), glued and odd
 * spellings of both, and every line of real pages. metadata.ts's normaliseDate is
 * checked against chronoDay on the same strings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHRONO_VERSION, DAY_SOURCES, chronoMayFindDay } from '../src/lib/ingest/describe/date-forms';
import { chronoDay, normaliseDate } from '../src/lib/ingest/describe/metadata';
import { realPages } from './helpers/real-pages';

const root = path.join(__dirname, '..');

/** Strings chrono-node reads a certain day from (at some reference instant): the pre-test must let each through. */
const CERTAIN = [
  'July 20, 2025', 'Jul. 20, 2025', 'Jul 20 2025', '20 July 2025', '20th of July, 2025', 'Tuesday, July 20, 2025',
  'Sept. 5, 2004', 'Sept 5', '5 Sept', 'May first 2004', 'augustfirst 2004', 'March twenty-first, 2020', 'the fifth of May 2004',
  'on 5th May', '5ofjan 2024', 'JANUARY 12, 2021:', 'Dec-25-2024', '2004-May-05', '2004 jan 05', '2024.jan.05',
  '5/6/2024', '05.06.04', '12-31-1999', '5/6 2004', '5/6 44 AD', '2024-07-20', '2024/7/20', '2004 7 20', '2024-07-20T23:30:00-04:00',
  'today', 'Today at noon', 'tonight', 'tomorrow', 'tmr', 'tmrw', 'yesterday', 'overmorrow', 'last night', 'lastnight', 'right now',
  'now', '3 days ago', 'three days ago', 'a day ago', 'an hour ago', '2 hours ago', '3d ago', '5 mins ago', 'a few days ago',
  'a couple of days ago', 'a couple of d ago', 'half ad ago', 'several weeks ago', 'in 3 days', 'within 2 weeks', 'in 90 minutes',
  'for 3 days', '3 days later', '2 weeks from now', 'last week', 'next week', 'past week', 'next day', 'pasts', 'after this week',
  'last 2 days', 'next 3 weeks', '+2 days', '-3d', '1 year 2 days ago', '3 yearsandone day ago', '1.5 months ago', 'half a month ago',
  '1.5 quarters ago', 'end of this month', 'end of next week', 'last day of the month', 'end of March 2020', 'end of 2004 March',
  'end of 5/2004', 'end of 2 months ago', 'at the end of last year', 'The meeting on 1990s', 'in 1990s', '2 days after July 5, 2004',
  'July 20, 2025 11:30 PM EDT', 'July 20, 2025 at 23:30 UTC', 'Sun, 20 Jul 2025 03:30:00 +0000', 'WASHINGTON (AP) — Yesterday, in 2004',
];

/** Strings chrono-node reads no certain day from, or nothing: the pre-test should (not must) stop most of them. */
const UNCERTAIN = [
  'in 2004', 'In 2005, my colleagues', 'the 2005 Six Nations', 'September 2003', 'In September 2003, a secret transaction',
  'JANUARY 2021: In the months leading up to the November election', 'August 2008.', 'May 2004', '2004 March', '5/2004',
  'last month', 'next month', 'this week', 'this year', 'last year', 'a year ago', 'three years ago', 'last three months of 2004',
  'the last quarter of 2004', 'a year of mixed emotions in 2004', 'Monday', 'on Thursday', 'last Tuesday', 'next Friday', 'this Sunday',
  'Thursday at 5pm', 'at 5pm EDT', '10:30', 'this morning', 'midnight', 'noon', 'in the afternoon', 'at the end of 2004, official figures',
  'a 6-1 7-5 victory', 'A 34-9 win', 'from 2010-2020', 'grew by 8.1% in 2004', '12,575 net cafes in 2004', '£3.3 trillion in 2004',
  'them', 'in them', 'for the year', 'has been', 'the same day', 'the hand', 'Mayor', 'marketing in 2004', 'a decade', '2004',
];

/** Lines of real pages (the samples, the fixtures, with ../shared the seeds and the Zyte page dumps), whole and cut as leads are. */
function realLines(): string[] {
  const pages = realPages('date-forms');
  const lines = new Set<string>();
  for (const page of pages) {
    for (const line of page.split('\n')) {
      const text = line.trim();
      if (text) lines.add(text.slice(0, 80));
    }
  }
  return [...lines];
}

/** Reference instants and zones: the build's default, late evening (for "last night"), and a Sunday (weekdays). */
const SETTINGS: Array<[Date, string]> = [
  [new Date('2000-01-01T00:00:00Z'), 'UTC'],
  [new Date('2025-07-21T23:30:00Z'), 'America/New_York'],
  [new Date('2026-03-01T03:00:00Z'), 'Asia/Tokyo'],
];

/** The strings for which the pre-test said "no certain day" but chrono-node found one. */
function missed(strings: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of strings) {
    if (chronoMayFindDay(s)) continue;
    for (const [now, zone] of SETTINGS) if (chronoDay(s, now, zone) !== null) out.push(`${zone}: ${s}`);
  }
  return out;
}

describe('chronoMayFindDay (the pre-test in front of chrono-node)', () => {
  it('was read from the chrono-node installed (an upgrade must re-read its parsers first)', () => {
    const installed = JSON.parse(readFileSync(path.join(root, 'node_modules/chrono-node/package.json'), 'utf8')) as { version: string };
    const pinned = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['chrono-node'];
    expect(installed.version, 'installed chrono-node: re-read its English parsers, then move CHRONO_VERSION').toBe(CHRONO_VERSION);
    expect(pinned, 'package.json pins chrono-node exactly').toBe(CHRONO_VERSION);
  });
  it('lets through every string chrono-node reads a certain day from', () => {
    const days = CERTAIN.filter((s) => SETTINGS.some(([now, zone]) => chronoDay(s, now, zone) !== null));
    // The battery is what it says: chrono-node finds a certain day in (nearly) all of it.
    expect(days.length).toBeGreaterThanOrEqual(CERTAIN.length - 5);
    expect(missed(CERTAIN)).toEqual([]);
    // All of it goes to chrono-node, also the few it then reads with the year only implied ("Sept 5", "5 Sept").
    expect(CERTAIN.filter((s) => !chronoMayFindDay(s))).toEqual([]);
  });

  it('stops the forms chrono-node only implies a day for, and is never wrong on them', () => {
    expect(missed(UNCERTAIN)).toEqual([]);
    const through = UNCERTAIN.filter((s) => chronoMayFindDay(s));
    // A superset errs this way: "the hand" reads as "the h" and "and" to the pattern.
    expect(through).toEqual(['the hand']);
  });

  it('every pattern is needed: each lets through a string no other pattern does', () => {
    for (const [name, pattern] of Object.entries(DAY_SOURCES)) {
      const only = CERTAIN.filter((s) => pattern.test(s) && Object.entries(DAY_SOURCES).every(([n, p]) => n === name || !p.test(s)));
      expect(only.length, name).toBeGreaterThan(0);
    }
  });

  it('is never wrong on the same strings glued into a lead, or on the lines of real pages', () => {
    const glued = [...CERTAIN, ...UNCERTAIN].flatMap((s) => [`WASHINGTON — ${s} — officials said`, `${s}, the agency said`, `x${s}`]);
    expect(missed(glued)).toEqual([]);
    const lines = realLines();
    expect(lines.length).toBeGreaterThan(50);
    expect(missed(lines)).toEqual([]);
  });

  it('normaliseDate answers as chronoDay does on all of them', () => {
    const differ: string[] = [];
    for (const s of [...CERTAIN, ...UNCERTAIN]) {
      for (const [now, zone] of SETTINGS) if (!/^\d{4}-\d{2}-\d{2}/.test(s) && normaliseDate(s, now, zone) !== chronoDay(s, now, zone)) differ.push(s);
    }
    expect(differ).toEqual([]);
  });
});
