/**
 * The article's stretch on whole-page dumps: lines a rule removed still count as
 * (cheap) bad context, so a related list inside an article does not split it,
 * and per-line share buttons and comment gates are boilerplate.
 */
import { describe, expect, it } from 'vitest';
import { clean } from '../src/lib/ingest/clean/clean';
import type { ParsedDoc } from '../src/lib/ingest/types';

// Invented text, not taken from the seeds or the corpus.
const P = [
  'The river authority said on Monday that the old lock gates would be replaced over the winter, after engineers found that the oak beams had rotted much faster than anyone had expected.',
  'Boats will be able to pass through a temporary channel on the eastern bank while the work goes on, although the authority warned that there could be delays of up to an hour at busy times.',
  'A spokeswoman for the boat owners association said that its members had been asking for the repairs for years and were relieved that the money had finally been found for them.',
  'The work is expected to cost about four million pounds, most of which will come from a national fund for waterways that was set up by the government two years ago.',
  'Local businesses along the towpath said they hoped the repairs would bring more visitors to the area once the new gates were open in the spring.',
];
const doc = (lines: string[]): ParsedDoc => ({ raw: 'x.txt', part: 0, format: 'txt', hints: {}, lines, warnings: [] });

describe('article stretch with rule-removed context', () => {
  it('keeps both halves of an article around an inline related list', () => {
    // Paragraphs of 200+ characters: good on their own, as jusText needs.
    const before = [`${P[0]} ${P[1]}`, `${P[2]} ${P[3]}`];
    const after = [`${P[4]} ${P[0]}`, `${P[1]} ${P[2]}`];
    const lines = ['Home', 'News', 'Sport', 'Lock gates to be replaced this winter', ...before, 'Related stories', 'Canal festival returns', 'Bridge closed for a week', 'New ferry timetable', ...after, 'Facebook', 'Twitter', 'Email', 'You must be logged in to post a comment.'];
    const out = clean(doc(lines));
    const body = out.body.map((b) => b.text);
    for (const p of [...before, ...after]) expect(body).toContain(p);
    expect(body).not.toContain('Canal festival returns');
    const kinds = new Map(out.removed.map((r) => [r.text, r.kind]));
    expect(kinds.get('Twitter')).toBe('share-bar');
    expect(kinds.get('You must be logged in to post a comment.')).toBe('widget');
  });
});

describe('teaser signals', () => {
  it('recognises a headline glued to its summary, not names with inner capitals', async () => {
    const { isGluedTeaser } = await import('../src/lib/ingest/clean/classify');
    expect(isGluedTeaser('Harbour Board Approves New Ferry TerminalThe board voted on Tuesday to approve the plans.')).toBe(true);
    expect(isGluedTeaser('Storm Warning Issued (Updated)Forecasters expect strong winds along the coast tonight.')).toBe(true);
    expect(isGluedTeaser('McCarthy told YouTube viewers that the DeSantis campaign had raised more money than expected.')).toBe(false);
    expect(isGluedTeaser('The harbour board approved the plans on Tuesday after a long debate.')).toBe(false);
  });

  it('drops teaser cards and short lines repeated on the page, keeping the article', () => {
    const teasers = [
      'Canal Festival Returns This SummerOrganisers said the festival would run for three days in July this year.',
      'Bridge Closed For A Week Of RepairsDrivers were told to use the ring road while the work was carried out.',
    ];
    // Paragraphs long enough (200+ characters) to be good on their own, as jusText needs some.
    const long = [`${P[0]} ${P[1]}`, `${P[2]} ${P[3]}`, P[4]];
    const lines = ['Weather', 'Traffic', ...teasers, 'Weather', 'Lock gates to be replaced this winter', ...long, 'Traffic'];
    const out = clean(doc(lines));
    const body = out.body.map((b) => b.text);
    for (const p of long) expect(body).toContain(p);
    for (const t of [...teasers, 'Weather', 'Traffic']) expect(body).not.toContain(t);
  });
});

describe('prose cut into lines', () => {
  it('keeps an article whose paragraphs are all short, one or two sentences a line', () => {
    // Each line is under jusText's 200-character "long" mark; together they are an article.
    const lines = ['Home', 'News', 'Contact', 'Lock gates to be replaced', ...P, 'Most read', 'Canal festival returns', 'Bridge closed for a week'];
    const out = clean(doc(lines));
    const body = out.body.map((b) => b.text);
    for (const p of P) expect(body).toContain(p);
    expect(body).not.toContain('Canal festival returns');
  });
});

describe('comment sections', () => {
  it('ends the article at a comment section heading and removes the comment form', () => {
    const article = [`${P[0]} ${P[1]}`, `${P[2]} ${P[3]}`];
    const comment = 'I walked along that towpath last summer and the old gates were already in a terrible state, so I am glad that somebody is finally doing something about them before they give way.';
    const lines = ['Home', 'News', 'Lock gates to be replaced', ...article, 'Leave a Reply', comment, 'Reply', 'Notify me of follow-up comments by email.', 'Your email address will not be published. Required fields are marked *'];
    const out = clean(doc(lines));
    const body = out.body.map((b) => b.text);
    for (const p of article) expect(body).toContain(p);
    expect(body).not.toContain(comment);
    const kinds = new Map(out.removed.map((r) => [r.text, r.kind]));
    expect(kinds.get('Reply')).toBe('widget');
    expect(kinds.get('Notify me of follow-up comments by email.')).toBe('widget');
  });

  it('does not end the article at a comment count in the byline area', () => {
    const article = [`${P[0]} ${P[1]}`, `${P[2]} ${P[3]}`, `${P[4]} ${P[0]}`];
    const out = clean(doc(['Home', 'Lock gates to be replaced', article[0], '3 Comments', ...article.slice(1)]));
    const body = out.body.map((b) => b.text);
    for (const p of article) expect(body).toContain(p);
  });
});

describe('time stamps', () => {
  it('removes lines that are only a time stamp, keeping sentences that mention times', async () => {
    const { LINE_RULES } = await import('../src/lib/ingest/clean/rules');
    const rule = LINE_RULES.find((r) => r.kind === 'timestamp')!;
    for (const line of ['2 hours ago', 'Updated at 1:23 p.m.', 'Published November 19, 2019 at 9:45 am', '20/11/2019 11:42', 'Oct 3, 2018']) {
      expect(rule.pattern.test(line), line).toBe(true);
    }
    for (const line of ['The meeting starts at 9:45 am on Monday.', 'Two hours ago the bridge was closed.', 'November 19']) {
      expect(rule.pattern.test(line), line).toBe(false);
    }
  });
});
