/**
 * The fast paths added for speed must answer exactly as the plain versions they
 * replace: word counts as the Unicode regex counts them, folding as full NFKD
 * folding, near-duplicates as a full Jaccard comparison.
 */
import { describe, expect, it } from 'vitest';
import { FOLDS_BY_SCAN, foldForCompare, isNewsPunctuation, wordCount } from '../src/lib/text';
import { countWords, stopListOf } from '../src/lib/ingest/clean/classify';
import { dedupe } from '../src/lib/ingest/clean/dedupe';
import { describe as describeArticle } from '../src/lib/ingest/describe/metadata';
import type { CleanDoc } from '../src/lib/ingest/types';

const regexCount = (t: string) => t.match(/[\p{L}\p{N}]+(?:['’.-]+[\p{L}\p{N}]+)*/gu)?.length ?? 0;
const slowFold = (t: string) =>
  t.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[‘’ʼ`´]/g, "'").replace(/[^\p{L}\p{N}']+/gu, ' ').trim();

const SAMPLES = [
  "Kyiv’s U.S.-backed plan, 50 days",
  'a--b c..d -e- .f. ’g’',
  "x'.'y O'Neil's rock'n'roll",
  '𝐀𝐁𝐂 def 𝟙𝟚',
  '日本語のテキスト、そして 한국어 문장',
  'Ärger über Öl — café naïve',
  'lone \ud800 surrogate\udc00x',
  'tabs\tand\nnewlines   and `ticks´',
  '',
  '   ',
  '1,000,000 3.14 2025-07-20 10:30',
];

describe('fast text helpers', () => {
  it('count words exactly as the Unicode regex does', () => {
    for (const s of SAMPLES) expect(wordCount(s), s).toBe(regexCount(s));
  });

  it('fold ASCII and non-ASCII text exactly as full NFKD folding does', () => {
    for (const s of SAMPLES) expect(foldForCompare(s), s).toBe(slowFold(s));
  });
});

function cleanDoc(paragraphs: string[]): CleanDoc {
  return {
    doc: { raw: 'x.txt', part: 0, format: 'txt', hints: {}, lines: paragraphs, warnings: [] },
    header: {},
    body: paragraphs.map((text) => ({ kind: 'p' as const, text })),
    removed: [],
    notes: [],
  };
}

describe('dedupe with numeric shingles', () => {
  const p = 'The council voted on Tuesday to close the old bridge for repairs that will take most of next year to finish.';
  it('drops a near-duplicate and keeps paragraphs of different length or wording', () => {
    const near = p.replace('to finish.', 'to complete.'); // one shingle of twenty differs
    const longer = `${p} Drivers will be sent over the ring road, which adds about twenty minutes to a crossing at rush hour.`;
    const out = dedupe(cleanDoc([p, near, longer, 'Short line.', 'Short line.']));
    expect(out.body.map((b) => b.text)).toEqual([p, longer, 'Short line.']);
    expect(out.removed.map((r) => r.kind)).toEqual(['duplicate-paragraph', 'duplicate-paragraph']);
  });
});

describe('scans that tell plain text from other text as they read', () => {
  it('accept exactly the code units above 0x7f that FOLDS_BY_SCAN accepts (isNewsPunctuation)', () => {
    const differ: string[] = [];
    for (let c = 0x80; c <= 0xffff; c++) if (isNewsPunctuation(c) !== FOLDS_BY_SCAN.test(String.fromCharCode(c))) differ.push(c.toString(16));
    expect(differ).toEqual([]);
  });

  it('count words and stop words as the Unicode regex does, wherever the first non-plain character falls (countWords)', () => {
    const stop = stopListOf('eng')!;
    const texts = [...SAMPLES, 'The mayor’s plan — and “the” rest… £5 · 10\u00a0km', 'It is the end of the café', 'THE KELVIN \u212a and the end', 'é the start', "Don't stop at the o’neill's"];
    for (const t of texts) {
      const tokens = t.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
      expect(countWords(t, stop), t).toEqual({ words: tokens.length, stops: tokens.filter((w) => stop.has(w)).length });
      expect(countWords(t, null).words, t).toBe(tokens.length);
    }
  });

  it('find the same duplicates when a paragraph turns out not to be plain after some words (dedupe)', () => {
    const plain = 'The council voted on Tuesday to close the old bridge for repairs near the cafe by the river.';
    const accented = plain.replace('cafe', 'café');
    const out = dedupe(cleanDoc([accented, plain, accented.toUpperCase(), 'Another paragraph entirely, about the café.']));
    expect(out.body.map((b) => b.text)).toEqual([accented, 'Another paragraph entirely, about the café.']);
    expect(out.removed.map((r) => r.kind)).toEqual(['duplicate-paragraph', 'duplicate-paragraph']);
  });
});

describe('date in the lead', () => {
  it('reads a written date but not a relative one', () => {
    const dated = describeArticle(cleanDoc(['WASHINGTON, July 4, 2025 — Officials said the plan would go ahead as agreed by both sides.']));
    expect(dated.date).toBe('2025-07-04');
    const relative = describeArticle(cleanDoc(['Yesterday officials said the plan would go ahead as agreed by both sides of the talks.']));
    expect(relative.date).toBeNull();
  });
});

describe('language of the body', () => {
  it('is what detectLang says of the whole body joined, though only its sample is joined', async () => {
    const { detectLang } = await import('../src/lib/ingest/describe/metadata');
    const en = 'The council voted on Tuesday to close the old bridge for repairs that will take most of next year.';
    const fr = "Le conseil municipal a voté mardi la fermeture du vieux pont pour des travaux qui dureront l'année prochaine.";
    const de = 'Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Reparaturen bis zum nächsten Jahr zu schließen.';
    const bodies = [[], ['Short.'], ['Hi', 'there, all of you here'], [en], [fr], [de, de], ['Un.', fr, en, en, en, en, en], [en.slice(0, 30), fr, fr, fr, fr, fr, fr, fr], [fr.repeat(6), en], ['', de, fr, de, fr, de, fr, de]];
    for (const body of bodies) expect(describeArticle(cleanDoc(body)).lang, JSON.stringify(body).slice(0, 80)).toBe(detectLang(body.join('\n\n')));
  });
});

describe('first sentences of a paragraph', () => {
  it('are splitSentences\'s first ones, up to the one reaching the length asked for', async () => {
    const { firstSentences, splitSentences } = await import('../src/lib/text');
    const paragraphs = [
      '',
      'One sentence without a stop',
      'Mr. Smith went to Washington. He met Sen. Jones at 9 a.m. on Tuesday! Was it planned? Nobody knows. “Quotes.” End.',
      'U.S. officials said the plan (first made in 2020.) would go ahead. Others disagreed. 3. Numbers start this one. Last one here',
      'A. B. C. D. E. F. G. H.',
    ];
    for (const p of paragraphs) {
      const all = splitSentences(p);
      for (const enough of [1, 5, 20, 40, 80, 300, Infinity]) {
        const first = firstSentences(p, enough);
        expect(first, `${enough}: ${p}`).toEqual(all.slice(0, first.length));
        const length = first.reduce((n, s) => n + s.length, 0);
        // Either it reached the length asked for with its last sentence, or it holds them all.
        if (first.length < all.length) expect(length - first[first.length - 1].length < enough && length >= enough).toBe(true);
      }
    }
  });
});

describe('capitalised ratio scan', () => {
  it('answers as the split-and-regex version on news punctuation and other text', async () => {
    const { capitalisedRatio: scan } = await import('../src/lib/ingest/clean/capitals');
    const { capitalisedRatio: general } = await import('../src/lib/text');
    const lines = [
      '“Peace Talks” Resume — In Istanbul',
      '‘Quoted’ start and ’closing first',
      'Fox Business · 2024-01-07',
      'Prices rose £3…\u00a0Analysts Say',
      '“lower after opener — Mixed Case―Line',
      '(Reuters) — Ministers Met',
      'Ärger über Öl — Café',
      '\u00a0 \u00a0',
      '',
      '“',
    ];
    for (const line of lines) expect(scan(line), line).toBe(general(line));
  });
});

describe("rules' quick tests", () => {
  it('pass every line their pattern matches', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { LINE_RULES, LATE_LINE_RULES, PARAGRAPH_RULES } = await import('../src/lib/ingest/clean/rules');
    const rules = [...LINE_RULES, ...LATE_LINE_RULES, ...PARAGRAPH_RULES].filter((r) => r.needs);
    expect(rules.length).toBeGreaterThan(0);
    // Lines each family is written for (the pattern must match them), and every line of the sample scrapes.
    const examples = [
      'We use cookies to give you the best experience.',
      'This website uses cookies. Read our Cookie Policy.',
      'This site uses cookies',
      'Cookie settings',
      'ACCEPT ALL COOKIES',
      'Manage your consent',
      'Consent preferences',
      'You can revoke your consent at any time.',
      'By clicking Sign Up, you agree to our Terms and Privacy Policy.',
      'BY SUBSCRIBING YOU CONSENT TO RECEIVE EMAILS',
      'Acme provides the information "as is" and without warranty of any kind.',
      'The publisher cannot accept any liability for errors.',
      'Views expressed here are the author’s own.',
      'Acme is not responsible for the content of external sites.',
      'For informational purposes only.',
      'This does not constitute investment advice.',
      'Acme accepts no responsibility for the accuracy of this information.',
      'We make no representations about the completeness of the content.',
      'Acme disclaims all liability for errors or omissions.',
      'The company does not guarantee the accuracy of links.',
      'Readers act at their own risk.',
      'Acme shall not be held liable for any losses arising from its use.',
      'Nothing on this page is investment advice or a recommendation.',
      'This is not financial advice.',
    ];
    const raw = path.join(__dirname, '../content/raw');
    const lines = [...examples, ...readdirSync(raw).flatMap((n) => readFileSync(path.join(raw, n), 'utf8').split('\n').map((l) => l.trim()))];
    for (const line of examples) expect(rules.some((r) => r.pattern.test(line)), line).toBe(true);
    let matched = 0;
    for (const rule of rules) {
      for (const line of lines) {
        if (!rule.pattern.test(line)) continue;
        matched++;
        expect(rule.needs!.test(line), `${rule.kind}: ${line}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThanOrEqual(examples.length);
  });
});

describe("the metadata stage's quick tests", () => {
  it('count the parts of a split on whitespace as the split does (isErrorLine)', async () => {
    const { fieldsAtMost } = await import('../src/lib/ingest/clean/rules');
    // Every kind of whitespace \s knows, a zero-width space it does not, words and punctuation, at every length around the bound.
    const pieces = ['word', 'a', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u200b', 'é', '—'];
    let seed = 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = Math.floor(next() * 70);
      for (let i = 0; i < len; i++) s += pieces[Math.floor(next() * pieces.length)];
      const t = s.trim();
      for (const max of [0, 1, 3, 8, 30]) expect(fieldsAtMost(t, max), JSON.stringify([t, max])).toBe(t.split(/\s+/).length <= max);
    }
  });

  it('find a photo credit only in lines naming a credit, photo, image or picture (outletFromCredit)', async () => {
    const { outletFromCredit } = await import('../src/lib/ingest/clean/outlet-evidence');
    expect(outletFromCredit('(Credit: Jane Doe/Acme Wire)')).toBe('Acme Wire');
    expect(outletFromCredit('PHOTO: Jane Doe, Acme Wire')).toBe('Acme Wire');
    expect(outletFromCredit('Pictures by Jane Doe/Acme Wire')).toBe('Acme Wire');
    expect(outletFromCredit('Jane Doe/Acme Wire')).toBeUndefined();
  });
});
