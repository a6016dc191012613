/**
 * The two general rules around the title picker (issue #17, round three):
 * a page's <title> line ("Headline | Site") printed above the bare headline
 * is not the headline, and a short sentence-case headline that the older rule
 * and the picker both find at even odds or better stands. Plus the line of
 * advice under an error banner, which must not become a derived title.
 * Round four: the picker's <title> mark, bylines of unknown prefixes, short
 * sentence-case headlines among chrome, and the bare "Not Found" heading.
 * Names and wordings are invented.
 */
import { describe, expect, it } from 'vitest';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';
import { withoutSiteName } from '../src/lib/ingest/clean/clean';
import { bylineShaped, decideTitle, siteTitleMarks } from '../src/lib/ingest/clean/title';

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

  it('marks the line a page repeats as its <title> with a site name, on either side', () => {
    expect(Array.from(siteTitleMarks(['Menu', 'Lock gates replaced | Fenland Courier', 'Lock gates replaced', 'By Ada Lowe']))).toEqual([0, 0.5, 1, 0]);
    expect(Array.from(siteTitleMarks(['Fenland Courier :: Lock gates replaced', 'Lock gates replaced']))).toEqual([0.5, 1]);
    // A sentence after the separator is no site name.
    expect(Array.from(siteTitleMarks(['Lock gates replaced - engineers found the oak beams had rotted.', 'Lock gates replaced']))).toEqual([0, 0]);
  });

  it('reads a byline of an unknown prefix as a byline, never as a headline', () => {
    for (const line of ['Filed by Ada Lowe', 'BY ADA LOWE AND TOM REED', 'By: Ada Lowe, Tom Reed']) expect(bylineShaped(line), line).toBe(true);
    for (const line of ['Lock gates replaced by council', 'Stand by Me', 'Killed by a falling tree in Ely']) expect(bylineShaped(line), line).toBe(false);
    const a = article(['Lock gates replaced', 'Filed by Ada Lowe', ...BODY]);
    expect(a.title).not.toMatch(/Ada Lowe/);
  });

  it('takes a short sentence-case headline over the chrome around it', () => {
    const a = article(['[status: 200] [fetched: 2021/03/02]', 'Tweet this', 'Lock gates replaced', ...BODY]);
    expect(a.title).toBe('Lock gates replaced');
    expect(a.titleDerived).toBe(false);
  });

  it('never takes the bare "Not Found" heading of a server error page for a title', () => {
    const a = article(['Not Found', 'The requested URL was not found on this server.', ...BODY]);
    expect(a.title).not.toBe('Not Found');
    expect(a.removed.filter((r) => r.kind === 'error-banner').map((r) => r.text)).toContain('Not Found');
  });
});
