import { describe, expect, it } from 'vitest';
import { digest } from '../src/lib/ingest/digest/digest';
import { findQuotes } from '../src/lib/ingest/digest/quotes';
import { findFigures } from '../src/lib/ingest/digest/figures';
import type { Article, Assignment } from '../src/lib/ingest/types';

function article(id: string, source: string, paragraphs: string[], title = `Title of ${id}`, date = '2024-03-01'): Article {
  const text = paragraphs.join(' ');
  return {
    id, raw: `${id}.txt`, part: 0, format: 'txt', title, titleDerived: false, dek: null, source, byline: null, date,
    url: null, lang: 'en', body: paragraphs.map((p) => ({ kind: 'p' as const, text: p })), removed: [],
    words: text.split(/\s+/).length, excerpt: paragraphs[0],
  };
}
const assign = (arts: Article[], copyOf: Record<string, string> = {}) =>
  new Map<string, Assignment>(arts.map((a) => [a.id, { story: 's', copyOf: copyOf[a.id] ?? null, score: 0.5, shared: [] }]));

const lead = 'The city council approved a new budget for the harbour bridge repairs on Tuesday after a long debate.';
const a = article('a', 'Daily One', [
  lead,
  '“We cannot wait another winter for this bridge to be fixed,” Mayor Ana Lopez said after the vote.',
  'The repairs will cost 40 million dollars and take two years, officials said in a statement to reporters.',
  'The harbour ferry will run extra services while the bridge is closed to traffic during the works.',
]);
// Near-verbatim copy of the lead (one word changed) plus its own reporting.
const b = article('b', 'Evening Two', [
  lead.replace('Tuesday', 'Tuesday evening'),
  'Council members argued for hours about whether the harbour bridge budget should include new cycle lanes.',
  'The repairs will cost 55 million dollars according to documents seen by this newspaper on Monday.',
]);
// Same topic, paraphrased: must not be cited for the lead.
const c = article('c', 'Weekly Three', [
  'Harbour bridge repairs got the green light from councillors, who approved the budget after hours of debate.',
  'Residents near the bridge said they worried about months of noise and dust from the construction works.',
]);

describe('digest', () => {
  const story = digest('s', [a, b, c], assign([a, b, c]));

  it('cites only the articles that carry a sentence verbatim or near-verbatim', () => {
    const s = story.summary.find((x) => x.text === lead);
    expect(s).toBeDefined();
    expect(s!.citations.sort()).toEqual(['a', 'b']);
  });

  it('takes every summary sentence verbatim from a cited article', () => {
    expect(story.summary.length).toBeGreaterThanOrEqual(2);
    for (const s of story.summary) {
      const bodies = s.citations.map((id) => [a, b, c].find((x) => x.id === id)!.body.map((p) => p.text).join(' '));
      expect(bodies.some((t) => t.includes(s.text))).toBe(true);
    }
  });

  it('finds the quote with its speaker and the figures that differ', () => {
    expect(story.quotes[0]).toMatchObject({ text: 'We cannot wait another winter for this bridge to be fixed', speaker: 'Ana Lopez', articles: ['a'] });
    const dollars = story.conflicts.find((k) => k.kind === 'dollars' || k.kind === 'million');
    expect(dollars?.values.map((v) => v.articles[0]).sort()).toEqual(['a', 'b']);
  });

  it('keeps per card what no other card says', () => {
    expect(story.onlyHere.c?.some((t) => t.includes('noise and dust'))).toBe(true);
    expect(Object.values(story.onlyHere).flat()).not.toContain(lead);
  });

  it('folds a republication into its original for coverage and counts it', () => {
    const copy = article('d', 'Wire Four', a.body.map((p) => p.text), a.title, '2024-03-02');
    const s = digest('s', [a, c, copy], assign([a, c, copy], { d: 'a' }));
    expect(s.republications).toBe(1);
    expect(s.independent).toBe(2);
    // The copy carries every sentence of its original, so it is cited with it.
    const fromA = s.summary.filter((x) => a.body.some((p) => p.text.includes(x.text)));
    expect(fromA.length).toBeGreaterThan(0);
    for (const x of fromA) expect(x.citations).toEqual(expect.arrayContaining(['a', 'd']));
    expect(s.onlyHere.d).toBeUndefined();
  });
});

describe('quotes', () => {
  it('reads attribution before or after, straight or curly, and resolves pronouns to the last named person', () => {
    const q = findQuotes([
      'Officials met on Friday. Dmitry Peskov said: "The talks will continue in Istanbul next week as planned."',
      '“Nobody should expect an agreement before the summer is over,” he added.',
      '"This is simply a negotiating position and nothing more than that," said Maria Zakharova.',
    ], 6);
    expect(q.map((x) => x.speaker)).toEqual(['Dmitry Peskov', 'Dmitry Peskov', 'Maria Zakharova']);
  });

  it('leaves the speaker out rather than guess', () => {
    const q = findQuotes(['“There is no reason to delay this any further at all,” he said.'], 6);
    expect(q).toHaveLength(1);
    expect(q[0].speaker).toBeNull();
  });
});

describe('figures', () => {
  it('reads counts, money and percentages, not years or dates', () => {
    const f = findFigures('In 2019, at least 12 people died on June 2 and prices rose 5 percent to $1.2 billion.');
    expect(f.map((x) => [x.kind, x.value])).toEqual([
      ['people', '12'],
      ['percent', '5'],
      ['dollars', '1200000000'],
    ]);
  });
});
