/**
 * Round three's chrome families (issue #17): comment invitations, paywall
 * meters and inbox promises, inline links to other stories, liability and
 * not-advice notices, photo credits in brackets or standing alone (rules.ts
 * LATE_LINE_RULES). Each family is a pattern over its common wordings; the
 * wordings below are invented for this test, and the prose beside them (which
 * mentions the same words in passing) must stay.
 */
import { describe, expect, it } from 'vitest';
import { LATE_LINE_RULES } from '../src/lib/ingest/clean/rules';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';

const kindOf = (line: string): string | undefined => {
  const words = line.trim().split(/\s+/).length;
  return LATE_LINE_RULES.find((r) => words <= r.maxWords && r.pattern.test(line))?.kind;
};

describe('chrome families', () => {
  it('knows invitations to comment', () => {
    for (const l of ['Let us know your view in the comments below.', 'Share your thoughts on this story', 'Join the debate']) expect(kindOf(l)).toBe('widget');
  });

  it('knows paywall meters and inbox promises', () => {
    for (const l of ['You have 5 stories remaining this week.', "You've read 3 of your 5 free articles, 2 left", 'Headlines delivered to your inbox at noon.']) expect(kindOf(l)).toBe('subscribe-prompt');
  });

  it('knows inline links to other stories', () => {
    for (const l of ['Read also: Harbour Walls Crumble After Storm', 'Related coverage | Ferry Fares Rise Again', 'Watch: Floods Close The Old Road']) expect(kindOf(l)).toBe('navigation');
  });

  it('knows liability and not-advice notices', () => {
    for (const l of ['This column does not constitute investment advice.', 'The publisher and its partners are not liable for any damages arising from its use.', 'Nothing in this article is a recommendation to buy or sell shares.']) expect(kindOf(l)).toBe('disclaimer');
  });

  it('knows photo credits in brackets, for illustrations, or standing alone', () => {
    for (const l of ['(Photo: Jo Marsh/Fenland Courier)', 'Photo illustration by Jo Marsh', 'Jo Marsh/Fen 7 News']) expect(kindOf(l)).toBe('photo-credit');
  });

  it('takes them out of the article the stretch kept, and only there', () => {
    const BODY = [
      'The river authority said on Monday that the old lock gates would be replaced over the winter, after engineers found that the oak beams had rotted.',
      'Boats will pass through a temporary channel on the eastern bank while the work goes on, although the authority warned of delays at busy times.',
      'A spokeswoman for the boat owners said its members had asked for the repairs for years and were relieved that the money had been found.',
    ];
    const text = ['Lock Gates To Be Replaced', BODY[0], 'Read also: Ferry Fares Rise Again', BODY[1], BODY[2], 'Let us know your view in the comments below.'].join('\n');
    const a = articlesFromFile({ raw: 'page.txt', bytes: new TextEncoder().encode(text) }, defaultIngestOptions).articles[0];
    expect(a.body.map((b) => b.text)).toEqual(BODY);
    expect(a.removed.map((r) => r.kind)).toEqual(expect.arrayContaining(['navigation']));
  });

  it('leaves prose that mentions the same words', () => {
    for (const l of [
      'The council said residents could share their views at a public meeting in the town hall on Thursday evening, where the plans will be on display.',
      'See also the report published last year, which found that the harbour walls had not been inspected since 1998.',
      'Officers said the driver was not responsible for the crash, which happened when a lorry lost its load on the bypass.',
      'Readers have sent more than 2,000 letters to the paper since the closure of the library was announced in March.',
    ]) expect(kindOf(l)).toBeUndefined();
  });
});
