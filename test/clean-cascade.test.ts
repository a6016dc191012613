/**
 * The cleaner's cascade (issue #17, speed): cheap, certain decisions that skip
 * the title picker (title.ts certainTitle) and the block model (clean.ts
 * plainArticle's short sentences between paragraphs and stray tails) must give
 * what the models give on such pages, and leave every other page to them.
 */
import { describe, expect, it } from 'vitest';
import { clean } from '../src/lib/ingest/clean/clean';
import { certainTitle, CERTAIN_MAX_LEX, defaultTitleModel, lexiconMean, pickTitle } from '../src/lib/ingest/clean/title';
import { defaultBlockModel } from '../src/lib/ingest/clean/block-model';
import type { ParsedDoc } from '../src/lib/ingest/types';

// Invented text, not taken from the seeds or the corpus.
const page = (lines: string[]): ParsedDoc => ({ raw: 'x.txt', part: 0, format: 'txt', hints: {}, lines, warnings: [] });

const LEAD = [
  'The river authority said on Monday that the old lock gates at Marden would be replaced over the winter, after engineers found rot in the oak beams.',
  'Boats will use a temporary channel on the east bank while the work goes on, and the towpath will close for three weeks in January.',
];

describe('certainTitle', () => {
  const lexicon = new Map([
    ['listen', 1.2],
    ['article', 0.9],
  ]);

  it("takes the rule's headline when every other choosable line is dated", () => {
    const lines = ['Lock gates at Marden to be replaced', 'Courier · 2024-01-07'];
    expect(certainTitle(lines, [1, 1], lexicon)).toBe(0);
  });

  it('agrees with the picker where it decides', () => {
    const lines = ['Share', 'Lock gates at Marden to be replaced', 'Courier · 2024-01-07'];
    const eligible = [0, 1, 1];
    const context = { lead: LEAD, stop: null, lexicon: defaultBlockModel().lexicon, eligible: eligible.map(Boolean) };
    const sure = certainTitle(lines, eligible, context.lexicon);
    expect(sure).toBe(1);
    expect(pickTitle(defaultTitleModel(), lines, context)).toBe(sure);
  });

  it('leaves status lines, undated rivals and chrome-leaning lines to the picker', () => {
    // A status or archive line names a date or a time.
    expect(certainTitle(['Snapshot taken 2022-05-17 with status 200'], [1], lexicon)).toBe(-1);
    // Another undated line could be the headline (or the dek the rule should not take).
    expect(certainTitle(['Lock gates at Marden to be replaced', 'Engineers found rot in the beams of the old gates'], [1, 1], lexicon)).toBe(-1);
    // The lexicon leans the line to boilerplate.
    expect(lexiconMean('Listen to this article', lexicon)).toBeGreaterThanOrEqual(CERTAIN_MAX_LEX);
    expect(certainTitle(['Listen to this article'], [1], lexicon)).toBe(-1);
    // No headline-shaped line at all.
    expect(certainTitle(['Share', 'Print'], [1, 1], lexicon)).toBe(-1);
  });
});

describe('plain pages without the block model', () => {
  const lines = [
    'Lock gates at Marden to be replaced',
    'Courier · 2024-01-07',
    LEAD[0],
    'Nobody was hurt.',
    LEAD[1],
    'Get our daily newsletter',
    '12 Responses',
  ];

  it('gives the body the block model gives', () => {
    const fast = clean(page(lines));
    const modelled = clean(page(lines), { skipPlainArticles: false });
    expect(fast.body.map((b) => b.text)).toEqual(modelled.body.map((b) => b.text));
    expect(fast.header.title).toBe(modelled.header.title);
    expect(fast.body.map((b) => b.text)).toEqual([LEAD[0], 'Nobody was hurt.', LEAD[1]]);
    // The cheap path ran: the tail went as the body's trailer, not as the model's after-article blocks.
    expect(fast.removed.filter((r) => r.kind === 'trailer').map((r) => r.text)).toEqual(['12 Responses', 'Get our daily newsletter']);
  });
});
