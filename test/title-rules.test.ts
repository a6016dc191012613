/**
 * The two general rules around the title picker (issue #17, round three):
 * a page's <title> line ("Headline | Site") printed above the bare headline
 * is not the headline, and a short sentence-case headline that the older rule
 * and the picker both find at even odds or better stands. Plus the line of
 * advice under an error banner, which must not become a derived title.
 * Names and wordings are invented.
 */
import { describe, expect, it } from 'vitest';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';
import { withoutSiteName } from '../src/lib/ingest/clean/clean';
import { decideTitle } from '../src/lib/ingest/clean/title';

const BODY = [
  'The river authority said on Monday that the old lock gates would be replaced over the winter, after engineers found that the oak beams had rotted.',
  'Boats will pass through a temporary channel on the eastern bank while the work goes on, although the authority warned of delays at busy times.',
  'A spokeswoman for the boat owners said its members had asked for the repairs for years and were relieved that the money had been found.',
];
const article = (lines: string[]) => articlesFromFile({ raw: 'page.txt', bytes: new TextEncoder().encode(lines.join('\n')) }, defaultIngestOptions).articles[0];

describe('title rules', () => {
  it('takes the bare headline over the same line with a site name joined on', () => {
    const lines = ['Lock Gates To Be Replaced This Winter | Fenland Courier', 'Lock Gates To Be Replaced This Winter', 'By Ada Lowe'];
    expect(withoutSiteName(lines, 0)).toBe(1);
    expect(withoutSiteName(['Fenland Courier :: Lock Gates To Be Replaced', 'Lock Gates To Be Replaced'], 0)).toBe(1);
    // A longer line that merely starts like another is no site-name variant of it.
    expect(withoutSiteName(['Lock gates to be replaced. Boats will pass through a channel on the east bank', 'Lock gates to be replaced'], 0)).toBe(0);
    expect(article(['Lock Gates To Be Replaced This Winter – Fenland Courier', 'Lock Gates To Be Replaced This Winter', ...BODY]).title).toBe('Lock Gates To Be Replaced This Winter');
  });

  it("keeps the older rule's line when nothing reaches the threshold but it is at even odds", () => {
    // Candidates' probabilities; the rule's line is 1.
    expect(decideTitle([0.1, 0.6, 0.2], [1, 1, 1], 1, 0.74, 1)).toBe(1);
    expect(decideTitle([0.1, 0.4, 0.2], [1, 1, 1], 1, 0.74, 1)).toBe(-1);
    expect(decideTitle([0.1, 0.6, 0.2], [1, 1, 1], -1, 0.74, 1)).toBe(-1);
  });

  it('drops the advice under an error banner with it, so it never becomes a derived title', () => {
    const a = article(['PAGE NOT FOUND', 'Try going back to the homepage.', ...BODY]);
    expect(a.title).not.toMatch(/homepage/);
    expect(a.body.map((b) => b.text)).toEqual(BODY);
    expect(a.removed.filter((r) => r.kind === 'error-banner').map((r) => r.text)).toEqual(['PAGE NOT FOUND', 'Try going back to the homepage.']);
  });
});
