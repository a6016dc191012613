import { describe, expect, it } from 'vitest';
import { classify, detectLanguage, mainStretch } from '../src/lib/ingest/clean/classify.ts';
import { clean } from '../src/lib/ingest/clean/clean.ts';
import { dropRepeatedLines } from '../src/lib/ingest/clean/repeated-lines.ts';
import type { Article, ParsedDoc } from '../src/lib/ingest/types.ts';

// Invented text, not taken from the seeds or the corpus.
const PROSE = [
  'The harbour authority said on Tuesday that the new ferry terminal would open in the spring, after two years of delays caused by a dispute over the price of steel and a long argument between the city and the builders about who should pay for it.',
  'Officials told reporters that the terminal was designed to handle twice as many passengers as the old one, and that it would be powered in part by solar panels on its roof, which they said would make it one of the cleanest buildings in the region.',
  'A spokesman for the ferry operators said they were pleased with the decision but were still waiting for the final timetable before they could sell tickets for the summer.',
  'Residents who live near the port have complained for months about the noise of the construction work, which went on late into the night on most days of the week.',
];
const MENU = ['Home', 'World', 'Business', 'Sport', 'Weather', 'Culture', 'Travel', 'Video'];
const TEASERS = ['Local team wins cup final', 'Storm warning for the coast', 'New bridge plans revealed', 'Market prices fall again', 'Museum reopens doors'];

const doc = (lines: string[], extra: Partial<ParsedDoc> = {}): ParsedDoc => ({ raw: 'x.txt', part: 0, format: 'txt', hints: {}, lines, warnings: [], ...extra });

describe('classify', () => {
  it('tells prose from menu items by stop words and length', () => {
    const texts = [...MENU, ...PROSE, ...TEASERS];
    const c = classify(texts, texts.map(() => false));
    expect(c.lang).toBe('eng');
    for (let i = 0; i < MENU.length; i++) expect(c.final[i]).toBe('bad');
    for (let i = MENU.length; i < MENU.length + PROSE.length; i++) expect(c.final[i]).toBe('good');
    const stretch = mainStretch(texts, c);
    expect(stretch).toEqual([MENU.length, MENU.length + PROSE.length - 1]);
  });

  it('detects the language with and without the English fast path', () => {
    expect(detectLanguage(PROSE.join(' '))).toBe('eng');
    const pt = 'O governo anunciou nesta terça-feira que o novo terminal de balsas será aberto na primavera, depois de dois anos de atrasos causados por uma disputa sobre o preço do aço.';
    expect(detectLanguage(pt)).toBe('por');
  });
});

describe('clean with the classifier', () => {
  it('keeps the article stretch of a whole-page scrape and records what it dropped', () => {
    const lines = [...MENU, 'Ferry terminal to open in spring', ...PROSE, 'More stories', ...TEASERS, 'Contact us', 'Privacy'];
    const out = clean(doc(lines));
    expect(out.header.title).toBe('Ferry terminal to open in spring');
    expect(out.body.map((b) => b.text)).toEqual(PROSE);
    const removed = out.removed.map((r) => r.text);
    for (const t of [...MENU, ...TEASERS]) expect(removed).toContain(t);
    expect(out.removed.every((r) => r.kind.length > 0)).toBe(true);
  });

  it('keeps short subheadings that open good text', () => {
    const lines = ['Ferry terminal to open in spring', PROSE[0], PROSE[1], 'Neighbours Still Unhappy', PROSE[2], PROSE[3]];
    const out = clean(doc(lines));
    expect(out.body.find((b) => b.text === 'Neighbours Still Unhappy')?.kind).toBe('h2');
  });

  it('falls back to gentler rules rather than losing a short article', () => {
    const lines = ['Ferry terminal opens', 'Tickets go on sale this week at the port office and online for all routes.'];
    const out = clean(doc(lines), { minBodyWords: 20 });
    expect(out.body.map((b) => b.text)).toContain(lines[1]);
  });

  it('never throws on odd input', () => {
    for (const lines of [[], [''], ['   '], ['©'], ['a'.repeat(5000)], ['\u0000\u0001'], Array(500).fill('x')]) {
      expect(() => clean(doc(lines))).not.toThrow();
    }
  });

  it('leaves HTML and front-matter bodies to their own structure (no stretch cut)', () => {
    const lines = [...PROSE, ...TEASERS];
    const out = clean(doc(lines, { format: 'md', hints: { title: 'Ferry terminal' } }));
    expect(out.body.length).toBeGreaterThanOrEqual(PROSE.length);
  });
});

describe('dropRepeatedLines', () => {
  const article = (id: string, source: string, texts: string[]): Article => ({
    id, raw: `${id}.txt`, part: 0, format: 'txt', title: id, titleDerived: false, dek: null, source, byline: null, date: null,
    url: null, lang: 'en', body: texts.map((text) => ({ kind: 'p' as const, text })), removed: [], words: 0, excerpt: '',
  });
  const footer = 'Follow our newsroom on every platform for the latest updates from the region.';

  it('removes a line repeated across most articles of one outlet, keeping the rest', () => {
    const arts = PROSE.map((p, i) => article(`a${i}`, 'Harbour Times', [p, footer]));
    const out = dropRepeatedLines(arts);
    for (const [i, a] of out.entries()) {
      expect(a.body.map((b) => b.text)).toEqual([PROSE[i]]);
      expect(a.removed).toContainEqual({ kind: 'repeated-line', text: footer });
    }
  });

  it('leaves unknown outlets and too-small groups alone', () => {
    const unknown = PROSE.map((p, i) => article(`u${i}`, 'unknown', [p, footer]));
    expect(dropRepeatedLines(unknown)).toEqual(unknown);
    const two = PROSE.slice(0, 2).map((p, i) => article(`t${i}`, 'Harbour Times', [p, footer]));
    expect(dropRepeatedLines(two)).toEqual(two);
  });
});
