/**
 * A drop-in's dated pass reads, of the window's day tables, the counts of the terms its day's articles
 * hold (regroup.ts KeptState.dayTable): grouping-fs.ts restrictTable scans a table's entry without
 * parsing it. It must give what the parsed table, filtered, gives: every term, however JSON escapes it.
 */
import { describe, expect, it } from 'vitest';
import { restrictTable } from '../src/lib/build/grouping-fs';

const filtered = (table: { t: string[]; c: number[] }, terms: ReadonlySet<string>) => {
  const t: string[] = [];
  const c: number[] = [];
  table.t.forEach((x, k) => {
    if (k === 0 || terms.has(x)) {
      t.push(x);
      c.push(table.c[k]);
    }
  });
  return { t, c };
};

describe('restrictTable', () => {
  const odd = ['', 'plain', '@entity key', 'quote"d', 'back\\slash', 'tab\there', 'new\nline', 'café', 'naïve', '日本', 'emoji😀', '\u0001ctl', 'lone\ud800', '"', '\\', 'a,b', '],"c":[', 'c'];
  const table = { t: odd, c: odd.map((_, k) => (k === 0 ? 41 : k * 3 + 1)) };
  const text = JSON.stringify(table);

  it('gives the parsed table filtered, for every subset of its terms', () => {
    for (let mask = 0; mask < 64; mask++) {
      const terms = new Set(odd.filter((_, k) => k > 0 && (mask >> k % 6) & 1));
      terms.add('absent');
      expect(restrictTable(text, terms)).toEqual(filtered(table, terms));
    }
    const all = new Set(odd);
    expect(restrictTable(text, all)).toEqual(table);
    expect(restrictTable(text, new Set())).toEqual({ t: [''], c: [41] });
  });

  it('tells a text it cannot read (the caller then parses it)', () => {
    expect(restrictTable('{"c":[1],"t":[""]}', new Set(['x']))).toBeNull();
    expect(restrictTable('{"t":["x"],"c":[1]}', new Set(['x']))).toBeNull();
    expect(restrictTable('{"t":["","x"],"c":[1]}', new Set(['x']))).toBeNull();
    expect(restrictTable(' {"t":[""],"c":[1]}', new Set(['x']))).toBeNull();
  });

  it('finds terms sharing a hash apart', () => {
    const many = ['', ...Array.from({ length: 5000 }, (_, k) => `t${k}`)];
    const big = { t: many, c: many.map((_, k) => k) };
    const terms = new Set(many.filter((_, k) => k % 7 === 3));
    expect(restrictTable(JSON.stringify(big), terms)).toEqual(filtered(big, terms));
  });
});
