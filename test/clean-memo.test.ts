/**
 * The clean stage's memos (issue #17, speed) answer exactly as the work they
 * spare: the line, paragraph and late rules' first matches remembered by a
 * line's text (clean/rule-memo.ts), and what a removed line says of the outlet remembered
 * by its kind and text (clean/outlet-evidence.ts), chrono-node's reading of a date
 * string remembered by the string (describe/metadata.ts), on every line of real pages
 * (the sample scrapes, the test fixtures, and with ../shared the seeds and the
 * Zyte page dumps), asked twice so the second answer comes from the memo, and
 * past the memo's bound. Plus the bound itself (clean/text-memo.ts).
 */
import { describe, expect, it } from 'vitest';
import { LATE_LINE_RULES, LINE_RULES, PARAGRAPH_RULES, type LineRule } from '../src/lib/ingest/clean/rules';
import { MEMO_LINES, RuleAnswers, firstMatch, ruleAnswersFor } from '../src/lib/ingest/clean/rule-memo';
import { TextMemo } from '../src/lib/ingest/clean/text-memo';
import { outletEvidence, rememberedEvidence, removalEvidence } from '../src/lib/ingest/clean/outlet-evidence';
import { clean } from '../src/lib/ingest/clean/clean';
import { parse } from '../src/lib/ingest/read/parse';
import { countWordsAndSpacing } from '../src/lib/text';
import { chronoDay, normaliseDate } from '../src/lib/ingest/describe/metadata';
import { realPages } from './helpers/real-pages';

/** Zyte page dumps read (of 124): enough sites' chrome, in a few seconds. */
const ZYTE_PAGES = 40;

/** Every non-empty line as the cleaner tests it: whitespace runs collapsed, trimmed, with its word count. */
function linesOf(pages: string[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const page of pages) {
    for (const line of page.split('\n')) {
      const { words } = countWordsAndSpacing(line);
      const text = line.replace(/[\s\u00a0]+/g, ' ').trim();
      if (text) out.push([text, words]);
    }
  }
  return out;
}

describe('rule answers remembered together (line, paragraph and late rules)', () => {
  const pages = realPages('clean-memo', ZYTE_PAGES);
  const lines = linesOf(pages);
  const lists = [LINE_RULES, PARAGRAPH_RULES, LATE_LINE_RULES];

  /** Every list's answer for a line, asked in the order given, each from the answer the last one packed. */
  function ask(answers: RuleAnswers, text: string, words: number, order: Array<0 | 1 | 2>): Array<LineRule | undefined> {
    const out: Array<LineRule | undefined> = [];
    let packed = answers.known(text, words);
    for (const list of order) {
      packed = answers.answer(list, text, words, packed);
      out[list] = answers.rule(list, packed);
    }
    return out;
  }

  it('give firstMatch’s answer for each list, for every line of real pages, asked in any order and twice', () => {
    expect(lines.length).toBeGreaterThan(200);
    const differ: string[] = [];
    const orders: Array<Array<0 | 1 | 2>> = [[0, 1, 2], [2, 0, 1], [1], [0, 2]];
    let matched = 0;
    for (const order of orders) {
      const answers = new RuleAnswers([...LINE_RULES], [...PARAGRAPH_RULES], [...LATE_LINE_RULES]);
      for (let round = 0; round < 2; round++) {
        for (const [text, words] of lines) {
          const got = ask(answers, text, words, order);
          for (const list of order) {
            const want = firstMatch(lists[list], text, words);
            if (want) matched++;
            if (got[list] !== want) differ.push(`${list} ${text}`);
          }
        }
      }
    }
    expect(differ).toEqual([]);
    // The pages hold boilerplate the rules know: the test exercises matches, not only misses.
    expect(matched).toBeGreaterThan(20);
  });

  it('keep the answers of other rule lists apart', () => {
    const rules: LineRule[] = [{ kind: 'short', pattern: /^Share$/, maxWords: 1, why: 'test' }];
    const none: LineRule[] = [];
    const own = ruleAnswersFor(rules, none, none);
    expect(ask(own, 'Share', 1, [0])[0]?.kind).toBe('short');
    // The same text with another count (it cannot happen for one text; the memo checks all the same).
    expect(ask(own, 'Share', 2, [0])[0]).toBeUndefined();
    expect(ask(ruleAnswersFor([...rules], none, none), 'Share', 2, [0])[0]).toBeUndefined();
    expect(ask(ruleAnswersFor(LINE_RULES, PARAGRAPH_RULES, LATE_LINE_RULES), 'Share', 1, [0])[0]?.kind).toBe('share-bar');
    // One memo per triple of lists: the same lists, the same answers.
    expect(ruleAnswersFor(rules, none, none)).toBe(own);
  });

  it('answer by word count as well as text, and stay exact past the memo bound', () => {
    const answers = new RuleAnswers([...LINE_RULES], [...PARAGRAPH_RULES], [...LATE_LINE_RULES]);
    expect(ask(answers, 'Share', 1, [0])[0]?.kind).toBe('share-bar');
    expect(ask(answers, 'Share', 60, [0])[0]).toBeUndefined();
    const real = lines.filter(([, words]) => words <= 40).slice(0, 500);
    const differ: string[] = [];
    const check = (t: string, w: number) => {
      const got = ask(answers, t, w, [0, 1, 2]);
      for (const list of [0, 1, 2] as const) if (got[list] !== firstMatch(lists[list], t, w)) differ.push(t);
    };
    for (let i = 0; i < 2 * MEMO_LINES + 100; i++) {
      check(`Share line ${i} Oops 404 page not found`, 8);
      if (i % 40 === 0) for (const [t, w] of real.slice(0, 20)) check(t, w);
    }
    for (const [t, w] of real) check(t, w);
    expect(differ).toEqual([]);
  });
});

describe('text memo', () => {
  it('holds at most two generations and carries lines in use into the newer', () => {
    const memo = new TextMemo<number>(3);
    for (let i = 0; i < 3; i++) memo.set(`a${i}`, i);
    memo.set('b0', 10); // a0..a2 become the older generation
    expect(memo.get('a1')).toBe(1); // carried into the newer one
    memo.set('b1', 11);
    memo.set('b2', 12); // the newer one is full again: b0, a1, b1 become the older, a0 and a2 drop
    expect(memo.get('a0')).toBeUndefined();
    expect(memo.get('a2')).toBeUndefined();
    expect(memo.get('a1')).toBe(1);
    expect(memo.get('b0')).toBe(10);
    expect(memo.get('missing')).toBeUndefined();
  });
});

describe('remembered outlet evidence', () => {
  it('gives what each removed line says, for every removal of real cleaned pages, asked twice', () => {
    const pages = realPages('clean-memo', ZYTE_PAGES);
    let removals = 0;
    let named = 0;
    const differ: string[] = [];
    for (const [i, page] of pages.entries()) {
      const parsed = parse(`page-${i}.txt`, 'txt', page);
      if (!parsed.ok) continue;
      for (const doc of parsed.docs) {
        const cleaned = clean(doc);
        for (let round = 0; round < 2; round++) {
          for (const r of cleaned.removed) {
            const want = removalEvidence(r.kind, r.text);
            if (JSON.stringify(rememberedEvidence(r.kind, r.text)) !== JSON.stringify(want)) differ.push(`${r.kind}: ${r.text}`);
            removals++;
            if (want.length) named++;
          }
          expect(outletEvidence(cleaned)).toBe(outletEvidence(cleaned));
        }
      }
    }
    expect(differ).toEqual([]);
    expect(removals).toBeGreaterThan(100);
    expect(named).toBeGreaterThan(0);
  });
});

describe('remembered chrono-node dates', () => {
  it('read every dated line of real pages as chrono-node does, asked twice, under two reference instants and zones', () => {
    const dated = realPages('clean-memo', ZYTE_PAGES)
      .flatMap((page) => page.split('\n'))
      .map((line) => line.trim().slice(0, 80))
      .filter((line) => /\b(?:1[89]|20)\d\d\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/.test(line) && !/^\d{4}-\d{2}-\d{2}/.test(line))
      .slice(0, 400);
    dated.push('WASHINGTON, July 4, 2025 — Officials said', 'July 20, 2025 11:30 PM EDT', 'Yesterday, in 2004, prices rose', 'Published 3/4/2021 at 10:30');
    const settings: Array<[Date, string]> = [
      [new Date('2000-01-01T00:00:00Z'), 'UTC'],
      [new Date('2025-07-21T12:00:00Z'), 'America/New_York'],
    ];
    const differ: string[] = [];
    let days = 0;
    for (let round = 0; round < 2; round++) {
      for (const [now, zone] of settings) {
        for (const line of dated) {
          const want = chronoDay(line, now, zone);
          if (want) days++;
          if (normaliseDate(line, now, zone) !== want) differ.push(`${zone}: ${line}`);
        }
      }
    }
    expect(differ).toEqual([]);
    expect(days).toBeGreaterThan(4);
  });
});
