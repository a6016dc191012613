import { describe, expect, it } from 'vitest';
import { capitalisedRatio, endsLikeSentence, foldForCompare, shortHash, slugify, splitSentences, truncate, wordCount } from '../src/lib/text';
import { articleId, storyId } from '../src/lib/ingest/describe/ids';

describe('splitSentences', () => {
  it('splits at sentence ends and keeps each sentence verbatim', () => {
    const p = 'Mr. Smith met U.S. officials on Monday. “We are ready,” he said. Talks resume at 9 a.m. in Geneva.';
    const s = splitSentences(p);
    expect(s).toEqual(['Mr. Smith met U.S. officials on Monday.', '“We are ready,” he said.', 'Talks resume at 9 a.m. in Geneva.']);
    for (const sentence of s) expect(p).toContain(sentence);
  });

  it('does not split after an initial', () => {
    expect(splitSentences('John F. Kennedy spoke. Then he left.')).toEqual(['John F. Kennedy spoke.', 'Then he left.']);
  });

  it('does not split after a plural title ("Reps. Jim Banks"): the summary would show a fragment', () => {
    expect(splitSentences('Pelosi rejected Reps. Jim Banks and Jim Jordan. Sens. Ted Cruz and Mike Lee objected.')).toEqual([
      'Pelosi rejected Reps. Jim Banks and Jim Jordan.',
      'Sens. Ted Cruz and Mike Lee objected.',
    ]);
  });

  it('keeps a closing quote with its sentence', () => {
    expect(splitSentences('He said “enough.” The crowd cheered.')).toEqual(['He said “enough.”', 'The crowd cheered.']);
  });
});

describe('text helpers', () => {
  it('counts words as a reader would', () => {
    expect(wordCount("Kyiv’s U.S.-backed plan, 50 days")).toBe(5);
    expect(wordCount('')).toBe(0);
  });

  it('folds case, accents and quote styles for comparison', () => {
    expect(foldForCompare('Zelenskyy’s  CAFÉ!')).toBe(foldForCompare("zelenskyy's cafe"));
  });

  it('recognises sentence endings and capitalised headlines', () => {
    expect(endsLikeSentence('He left.”')).toBe(true);
    expect(endsLikeSentence('Sticking Points Remain')).toBe(false);
    expect(capitalisedRatio('Sticking Points Remain')).toBe(1);
    expect(capitalisedRatio('calls for a summit')).toBe(0);
  });

  it('truncates at a word boundary with an ellipsis', () => {
    const t = truncate('one two three four five six', 15);
    expect(t.length).toBeLessThanOrEqual(15);
    expect(t.endsWith('…')).toBe(true);
    expect(truncate('short', 15)).toBe('short');
  });

  it('makes ASCII slugs and stable short hashes', () => {
    expect(slugify('Ukraine: Peace Talks — Round 3!')).toBe('ukraine-peace-talks-round-3');
    expect(slugify('Ärger über Öl')).toBe('arger-uber-ol');
    expect(shortHash('abc')).toBe(shortHash('abc'));
    expect(shortHash('abc')).not.toBe(shortHash('abd'));
    expect(shortHash('abc')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('ids', () => {
  it('keeps a plain file name as the article id', () => {
    expect(articleId('000_566f92f83ef2f5ad.txt')).toBe('000_566f92f83ef2f5ad');
  });

  it('gives names with folders, spaces, capitals and non-ASCII letters a safe, distinct id', () => {
    const ids = ['a/b.txt', 'a-b.txt', 'My Article.txt', 'my-article.txt', 'Élan.md', 'elan.md'].map((r) => articleId(r));
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cannot be steered out of its folder by the file name', () => {
    for (const raw of ['../../etc/passwd', '..\\..\\x.txt', '/abs/path.md', '....//x.txt']) {
      expect(articleId(raw)).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    }
  });

  it('derives story ids from the headline and founder', () => {
    expect(storyId('Peace talks resume', 'x')).toMatch(/^peace-talks-resume-[0-9a-f]{6}$/);
    expect(storyId('Peace talks resume', 'x')).not.toBe(storyId('Peace talks resume', 'y'));
  });
});
