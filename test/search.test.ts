/**
 * The search core (src/lib/search): folding, typo distance, the index builder
 * and the searcher, on the bundled sample (ingested in-process) and on small
 * hand-made records where a property needs isolating.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { ingest } from '../src/lib/ingest/pipeline';
import { buildSearchIndex, createSearcher, editDistance, fold, parseQuery, tokenize, type SearchHit } from '../src/lib/search';
import { searchInputFromIngest } from '../src/lib/search/from-ingest';
import { repoRoot } from '../scripts/lib/corpus';

async function sampleInput() {
  const dir = path.join(repoRoot, 'content/raw');
  const names = (await readdir(dir)).sort();
  const files = await Promise.all(names.map(async (raw) => ({ raw, bytes: new Uint8Array(await readFile(path.join(dir, raw))) })));
  return searchInputFromIngest(ingest(files));
}

const marked = (text: string, ranges: [number, number][]) => ranges.map(([s, e]) => text.slice(s, e));

describe('text', () => {
  it('folds case and diacritics', () => {
    expect(fold('Zürich CAFÉ Łódź')).toBe(fold('zurich cafe łodz'));
    expect(fold('Ångström')).toBe('angstrom');
  });

  it('tokenises with offsets into the original text', () => {
    const text = 'Éric’s “Peace” talks';
    const toks = tokenize(text);
    expect(toks.map((t) => t.term)).toEqual(['eric', 's', 'peace', 'talks']);
    for (const t of toks) expect(fold(text.slice(t.start, t.end))).toBe(t.term);
  });

  it('counts a transposition as one edit, and measures to the nearest prefix', () => {
    expect(editDistance('zelenksy', 'zelensky', 2)).toBe(1);
    expect(editDistance('zelenksy', 'zelenskyy', 2)).toBe(2);
    expect(editDistance('umerov', 'kremlin', 1)).toBe(2);
    expect(editDistance('zelen', 'zelenskyy', 1, true)).toBe(0);
    expect(editDistance('zelne', 'zelenskyy', 1, true)).toBe(1);
  });

  it('drops stop words from queries unless nothing else is left', () => {
    expect(parseQuery('the talks in').words).toEqual(['talks']);
    expect(parseQuery('the').words).toEqual(['the']);
    expect(parseQuery('peace tal').lastIsPrefix).toBe(true);
    expect(parseQuery('peace tal ').lastIsPrefix).toBe(false);
  });
});

describe('the sample', () => {
  it('finds the story with misspelt words in any order, one of them only in article bodies', async () => {
    const input = await sampleInput();
    const searcher = createSearcher(buildSearchIndex(input));
    // The second word appears in no headline or title: it is only reachable through body terms.
    const bodyOnly = 'Umerov';
    const mentioning = new Set(input.articles.filter((a) => a.body.includes(bodyOnly)).map((a) => a.id));
    expect(mentioning.size).toBeGreaterThan(0);
    expect([...input.stories.map((s) => s.headline), ...input.articles.map((a) => a.title)].some((t) => fold(t).includes(fold(bodyOnly)))).toBe(false);
    for (const q of ['Zelenksy Umerov', 'umerov zelenksy', 'ZELENSKYY umerov']) {
      const hits = searcher.search(q, { limit: 5 });
      expect(hits[0]?.kind, q).toBe('story');
      const story = input.stories.find((s) => s.id === hits[0].id)!;
      expect(story.articles.some((id) => mentioning.has(id))).toBe(true);
      expect(hits[0].alsoMentions).toContain('umerov');
    }
  });

  it('puts the story before its articles and highlights the matched words of the title', async () => {
    const input = await sampleInput();
    const searcher = createSearcher(buildSearchIndex(input));
    const story = [...input.stories].sort((a, b) => b.articles.length - a.articles.length)[0];
    const words = tokenize(story.headline).filter((t) => t.term.length > 3).slice(0, 2);
    const query = words.map((t) => story.headline.slice(t.start, t.end)).join(' ');
    const hits = searcher.search(query, { limit: 10 });
    expect(hits[0].kind).toBe('story');
    expect(marked(hits[0].title, hits[0].highlights.title).map(fold)).toEqual(words.map((w) => w.term));
    const articleHits = hits.filter((h) => h.kind === 'article');
    expect(articleHits.length).toBeGreaterThan(0);
    const storyOf = new Map(input.articles.map((a) => [a.id, a.story]));
    const headline = new Map(input.stories.map((s) => [s.id, s.headline]));
    for (const h of articleHits) expect(h.storyTitle).toBe(headline.get(storyOf.get(h.id)!));
  });

  it('builds byte-identical JSON from the same content, whatever the input order', async () => {
    const input = await sampleInput();
    const a = JSON.stringify(buildSearchIndex(input));
    const b = JSON.stringify(buildSearchIndex({ stories: input.stories, articles: [...input.articles].reverse() }));
    expect(b).toBe(a);
  });

  it('serves the index as ASCII JSON that parses back to the same index', async () => {
    const { serializeSearchIndex } = await import('../src/lib/search/build');
    const index = buildSearchIndex({
      stories: [{ id: 's', headline: 'Zürich’s “talks” — 𝐀 naïve', sources: ['Café'], lastDate: '2024-01-02', articles: ['a'] }],
      articles: [{ id: 'a', title: 'Zürich’s “talks” — 𝐀 naïve', source: 'Café', date: '2024-01-01', excerpt: 'Łódź…', body: 'Łódź and Zürich.', story: 's' }],
    });
    const json = serializeSearchIndex(index);
    expect(json).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(json)).toEqual(index);
  });

  it('never ships article bodies, only a few terms of them', async () => {
    const input = await sampleInput();
    const json = JSON.stringify(buildSearchIndex(input));
    const bodies = input.articles.reduce((n, a) => n + a.body.length, 0);
    expect(json.length).toBeLessThan(bodies / 2);
  });
});

describe('ranking and filters on hand-made records', () => {
  const article = (id: string, title: string, source: string, date: string, story: string, body = title) => ({
    id,
    title,
    source,
    date,
    excerpt: body,
    body,
    story,
  });
  const input = {
    stories: [
      { id: 's-volcano', headline: 'Volcano erupts near Reykjavík', sources: ['Nordic Wire', 'Daily Ash'], lastDate: '2024-03-02', articles: ['a1', 'a2'] },
      { id: 's-budget', headline: 'Parliament passes the budget', sources: ['Daily Ash'], lastDate: '2024-05-10', articles: ['a3'] },
    ],
    articles: [
      article('a1', 'Volcano erupts near Reykjavik', 'Nordic Wire', '2024-03-01', 's-volcano', 'Lava flows toward Grindavík as the volcano erupts.'),
      article('a2', 'Eruption forces evacuation', 'Daily Ash', '2024-03-02', 's-volcano', 'Residents of Grindavík left their homes.'),
      article('a3', 'Parliament passes the budget', 'Daily Ash', '2024-05-10', 's-budget', 'The budget passed after a long night.'),
    ],
  };
  const searcher = createSearcher(buildSearchIndex(input));
  const ids = (hits: SearchHit[]) => hits.map((h) => h.id);

  it('folds diacritics in queries and in the index', () => {
    expect(ids(searcher.search('reykjavik'))).toContain('s-volcano');
    expect(ids(searcher.search('REYKJAVÍK'))).toContain('a1');
    // A word only in the bodies: the story carries it among its terms.
    expect(ids(searcher.search('GRINDAVÍK'))).toEqual(['s-volcano']);
  });

  it('matches the last word as a prefix while typing, not once a space follows', () => {
    expect(ids(searcher.search('parl'))).toContain('s-budget');
    expect(searcher.search('parl ')).toHaveLength(0);
  });

  it('requires every word when some record has them all', () => {
    expect(ids(searcher.search('volcano grindavik'))).not.toContain('s-budget');
    expect(ids(searcher.search('budget passed'))).toEqual(['s-budget', 'a3']);
    const hits = searcher.search('volcano evacuation');
    expect(hits.length).toBeGreaterThan(0);
    // Nothing has both words in one record? Then the records with the most of them.
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set(ids(searcher.search('volcano')).concat(ids(searcher.search('evacuation')))));
  });

  it('filters by outlet and by date', () => {
    expect(ids(searcher.search('volcano', { outlet: 'Daily Ash' }))).toEqual(['s-volcano']);
    expect(ids(searcher.search('eruption', { outlet: 'Daily Ash' }))).toEqual(['a2']);
    expect(ids(searcher.search('eruption', { outlet: 'Nordic Wire' }))).toEqual([]);
    expect(ids(searcher.search('volcano', { from: '2024-03-02' }))).not.toContain('a1');
    expect(ids(searcher.search('', { to: '2024-03-31' })).sort()).toEqual(['a1', 'a2', 's-volcano']);
    expect(searcher.outlets).toEqual(['Daily Ash', 'Nordic Wire']);
  });

  it('staged: answers from the stories first, and after finish() exactly as a complete searcher', () => {
    const withLead = { ...input, stories: input.stories.map((st, i) => (i === 0 ? { ...st, lead: 'Lava reached the harbour wall overnight.' } : st)) };
    const index = buildSearchIndex(withLead);
    const complete = createSearcher(JSON.parse(JSON.stringify(index)));
    const staged = createSearcher(JSON.parse(JSON.stringify(index)), { staged: true });
    expect(complete.complete).toBe(true);
    expect(staged.complete).toBe(false);
    // 'harbour' is only in a snippet: not found until the snippets are read.
    expect(ids(complete.search('harbour'))).toEqual(['s-volcano']);
    expect(ids(staged.search('harbour'))).toEqual([]);
    expect(ids(staged.search('volcano'))).toContain('s-volcano');
    expect(staged.finish()).toBe(true);
    expect(staged.finish()).toBe(false);
    expect(staged.complete).toBe(true);
    for (const q of ['harbour', 'volcano', 'eruption grindavik', 'budg', 'daily ash', 'reykjavik lava']) {
      expect(staged.search(q, { limit: 30 }), q).toEqual(complete.search(q, { limit: 30 }));
    }
  });

  it('keeps query text out of results: a markup query finds nothing and echoes nothing', () => {
    expect(searcher.search('<img src=x onerror=alert(1)>')).toEqual([]);
  });
});

describe('terms', () => {
  it('gives the same words as tokenize', async () => {
    const { terms } = await import('../src/lib/search/text');
    for (const text of ['Éric’s “Peace” talks — naïve Zürich; ﬁnal 2024-05', 'ĄĆĘ łódź   x', '', '  ...  ']) {
      expect(terms(text)).toEqual(tokenize(text).map((t) => t.term));
    }
  });
});

describe('the stored fuse.js index', () => {
  it('gives exactly the records Fuse.createIndex gives, with every title in place', async () => {
    const { default: Fuse } = await import('fuse.js');
    const { FUSE_KEYS, recordValues, toFuseRecords } = await import('../src/lib/search/format');
    const input = await sampleInput();
    const index = buildSearchIndex(input);
    const values = recordValues(index);
    // Titles, inherited ones resolved, are the headlines and titles of the input.
    const titles = new Map([...input.stories.map((s) => [s.id, s.headline] as const), ...input.articles.map((a) => [a.id, a.title] as const)]);
    expect(values.map((v) => v[0])).toEqual(index.ids.split('\n').map((id) => titles.get(id)));
    expect(index.text[0].split('\n')).toContain('');
    const docs = values.map((v) => Object.fromEntries(FUSE_KEYS.map((key, k) => [key.name, v[k]])));
    const direct = Fuse.createIndex([...FUSE_KEYS], docs).toJSON();
    expect(toFuseRecords(index)).toEqual(direct.records);
    expect(index.keys).toEqual(direct.keys);
    // And fuse.js parses it: a plain Fuse search over the whole index finds the story.
    const fuse = new Fuse(docs, { keys: [...FUSE_KEYS], ignoreLocation: true }, Fuse.parseIndex({ keys: index.keys, records: toFuseRecords(index) } as unknown as Parameters<typeof Fuse.parseIndex>[0]));
    expect(fuse.search(input.stories[0].headline)[0]?.refIndex).toBe(0);
  });

  it('computes fuse.js norms as fuse.js does', async () => {
    const { default: Fuse } = await import('fuse.js');
    const { fuseNorm } = await import('../src/lib/search/format');
    const values = ['one', 'two words', ' lead and  trail ', 'tab\tnew\nline\u00a0nbsp', 'a b c d e f g h i j k l', '   ', 'x'.repeat(50)];
    const direct = Fuse.createIndex(['t'], values.map((t) => ({ t }))).toJSON().records;
    for (const r of direct) {
      const sub = (r.$ as Record<string, { n: number } | undefined>)[0];
      // A blank value gets no entry, in fuse.js as in fuseRecord.
      if (sub) expect(fuseNorm(values[r.i]), values[r.i]).toBe(sub.n);
      else expect(values[r.i].trim()).toBe('');
    }
  });
});

describe('the inverted index', () => {
  it('reads exactly the words terms() gives, stop words aside, and inherits empty title lines', async () => {
    const { buildInverted } = await import('../src/lib/search/inverted');
    const { terms, STOPWORDS } = await import('../src/lib/search/text');
    const samples = [
      'Éric’s “Peace” talks — naïve Zürich; ﬁnal 2024-05', '½ ℃ 25℃ ™ TM™x № ㎞ km', 'ĄĆĘ łódź', 'e\u0301te\u0301 cafe\u0301s',
      '𝐀𝐁𝐂 𝟙𝟚 x𝐀y', '😀smile😀 ok', 'a\ud800b c\udc00d', 'ΣΊΣΥΦΟΣ ΟΔΟΣ', 'İstanbul ISTANBUL', 'Straße STRASSE', 'Москва МОСКВА',
      '東京 日本語', 'مَرْحَبًا', 'non\u00a0breaking soft\u00adhyphen', 'The the THE of', '', '   ', 'Zelenskyy’s aide · £3.2bn… ―x′y',
      'ﬂow ﬁﬂ', 'x\u0301', '\u0301start', 'Ǆemal ǅ', 'ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ', 'K\u212a', 'Ⅻ ⅻ roman', '¹²³ x²', 'a\u2028b',
    ];
    const n = samples.length * 2;
    const cols = [0, 3, 7].map((shift) => Array.from({ length: n }, (_, i) => samples[(i + shift) % samples.length]));
    // Records 1, 2 and n-1 inherit their column-0 words from record 0 (1 and 2 right after it, n-1 much later).
    const inherit = new Int32Array(n).fill(-1);
    for (const i of [1, 2, n - 1]) {
      inherit[i] = 0;
      cols[0][i] = '';
    }
    const outlets = ['Café Times', 'BBC News'];
    const outletsOf = (i: number) => (i % 3 === 0 ? [0, 1] : i % 2);
    const inv = buildInverted({ size: n, columns: cols.map((c) => c.join('\n')), bits: [1, 2, 4], inherit, outlets: { names: outlets, of: outletsOf, bit: 8 } });
    const got = new Map<string, number>();
    for (let t = 0; t < inv.words.length; t++) for (let k = inv.start[t]; k < inv.start[t + 1]; k++) got.set(`${inv.docs[k]}:${inv.words[t]}`, inv.masks[k]);
    const want = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const add = (text: string, bit: number) => {
        for (const w of terms(text)) if (!STOPWORDS.has(w)) want.set(`${i}:${w}`, (want.get(`${i}:${w}`) ?? 0) | bit);
      };
      cols.forEach((c, k) => add(k === 0 && inherit[i] >= 0 ? cols[0][inherit[i]] : c[i], 1 << k));
      const o = outletsOf(i);
      for (const x of typeof o === 'number' ? [o] : o) add(outlets[x], 8);
    }
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    expect(inv.lookup('zurich')).toBeGreaterThanOrEqual(0);
    expect(inv.lookup('москва')).toBeGreaterThanOrEqual(0);
    expect(inv.lookup('the')).toBe(-1);
    expect(inv.lookup('nowhere')).toBe(-1);
  });

  it('grows its table past the room made up front, and a later pass gives the same index as one pass', async () => {
    const { buildInverted, createInvertedBuilder } = await import('../src/lib/search/inverted');
    // 6,000 distinct words, more than the room made for them, over 600 records.
    const word = (i: number) => `w${i.toString(36)}x${((i * 7919) % 6000).toString(36)}`;
    const lines = Array.from({ length: 600 }, (_, r) => Array.from({ length: 10 }, (_, k) => word(r * 10 + k)).join(' '));
    const later = Array.from({ length: 600 }, (_, r) => `${word(r)} extra${r % 7} ${word(5999 - r)}`);
    const one = buildInverted({ size: 600, columns: [lines.join('\n'), later.join('\n')], bits: [1, 4] });
    const builder = createInvertedBuilder(600);
    builder.read({ columns: [lines.join('\n')], bits: [1] });
    const first = builder.finish();
    builder.read({ columns: [later.join('\n')], bits: [4] });
    const two = builder.finish();
    const postings = (inv: { words: readonly string[]; start: Int32Array; docs: Int32Array; masks: Uint8Array }) =>
      Object.fromEntries(inv.words.map((w, t) => [w, Array.from(inv.docs.subarray(inv.start[t], inv.start[t + 1]), (d, k) => `${d}:${inv.masks[inv.start[t] + k]}`)]));
    expect(postings(two)).toEqual(postings(one));
    for (let i = 0; i < 6000; i++) expect(two.lookup(word(i)), word(i)).toBeGreaterThanOrEqual(0);
    // The first index knows only what had been read when it was made.
    expect(first.lookup('extra3')).toBe(-1);
    expect(two.lookup('extra3')).toBeGreaterThanOrEqual(0);
  });
});
