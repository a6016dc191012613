import { describe, expect, it } from 'vitest';
import { aggregate, shingleMatch } from '../scripts/eval/boilerplate.ts';
import { announceSkip, corpusDir } from '../scripts/lib/corpus.ts';

describe('shingle metric', () => {
  const gold = 'one two three four five six seven eight';
  it('is perfect on identical text and zero on disjoint text', () => {
    expect(aggregate([shingleMatch(gold, gold)]).f1).toBe(1);
    expect(aggregate([shingleMatch(gold, 'alpha beta gamma delta epsilon')]).f1).toBe(0);
  });
  it('counts extra text against precision and missing text against recall', () => {
    const extra = aggregate([shingleMatch(gold, `${gold} nine ten eleven twelve`)]);
    expect(extra.recall).toBe(1);
    expect(extra.precision).toBeLessThan(1);
    const missing = aggregate([shingleMatch(gold, 'one two three four five')]);
    expect(missing.precision).toBe(1);
    expect(missing.recall).toBeLessThan(1);
  });
});

const corpus = corpusDir();
if (!corpus) announceSkip('test/eval-boilerplate.test.ts (seed checks)');
describe.skipIf(!corpus)('seed checks through the eval', () => {
  it('passes every check of issue #2', async () => {
    const { checkSeeds } = await import('../scripts/eval/boilerplate.ts');
    const { failed } = await checkSeeds();
    expect(failed).toEqual([]);
  });
});
