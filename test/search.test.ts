/**
 * The search core (src/lib/search): folding, typo distance, the index builder
 * and the searcher over the chunked index (held in memory), on the bundled
 * sample (ingested in-process) and on small hand-made records where a property
 * needs isolating. The chunker itself: test/search-chunks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { ingest } from '../src/lib/ingest/pipeline';
import { buildSearchRecords, chunkSearchIndex, editDistance, filesSource, fold, openSearcher, parseQuery, tokenize, type SearchHit, type SearchOptions } from '../src/lib/search';
import { searchInputFromIngest } from '../src/lib/search/from-ingest';
import { repoRoot } from '../scripts/lib/corpus';

async function sampleInput() {
  const dir = path.join(repoRoot, 'content/raw');
  const names = (await readdir(dir)).sort();
  const files = await Promise.all(names.map(async (raw) => ({ raw, bytes: new Uint8Array(await readFile(path.join(dir, raw))) })));
  return searchInputFromIngest(ingest(files));
}

const marked = (text: string, ranges: [number, number][]) => ranges.map(([s, e]) => text.slice(s, e));

/** The index of `input` as files, and a searcher over them. */
async function indexOf(input: Parameters<typeof buildSearchRecords>[0]) {
  const files = chunkSearchIndex(buildSearchRecords(input));
  return { files, searcher: await openSearcher(filesSource(files)) };
}

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
    const { searcher } = await indexOf(input);
    // The second word appears in no headline or title: it is only reachable through body terms.
    const bodyOnly = 'Umerov';
    const mentioning = new Set(input.articles.filter((a) => a.body.includes(bodyOnly)).map((a) => a.id));
    expect(mentioning.size).toBeGreaterThan(0);
    expect([...input.stories.map((s) => s.headline), ...input.articles.map((a) => a.title)].some((t) => fold(t).includes(fold(bodyOnly)))).toBe(false);
    for (const q of ['Zelenksy Umerov', 'umerov zelenksy', 'ZELENSKYY umerov']) {
      const { hits } = await searcher.search(q, { limit: 5 });
      expect(hits[0]?.kind, q).toBe('story');
      const story = input.stories.find((s) => s.id === hits[0].id)!;
      expect(story.articles.some((id) => mentioning.has(id))).toBe(true);
      expect(hits[0].alsoMentions).toContain('umerov');
    }
  });

  it('puts the story before its articles and highlights the matched words of the title', async () => {
    const input = await sampleInput();
    const { searcher } = await indexOf(input);
    const story = [...input.stories].sort((a, b) => b.articles.length - a.articles.length)[0];
    const words = tokenize(story.headline).filter((t) => t.term.length > 3).slice(0, 2);
    const query = words.map((t) => story.headline.slice(t.start, t.end)).join(' ');
    const { hits } = await searcher.search(query, { limit: 10 });
    expect(hits[0].kind).toBe('story');
    expect(marked(hits[0].title, hits[0].highlights.title).map(fold)).toEqual(words.map((w) => w.term));
    const articleHits = hits.filter((h) => h.kind === 'article');
    expect(articleHits.length).toBeGreaterThan(0);
    const storyOf = new Map(input.articles.map((a) => [a.id, a.story]));
    const headline = new Map(input.stories.map((s) => [s.id, s.headline]));
    for (const h of articleHits) expect(h.storyTitle).toBe(headline.get(storyOf.get(h.id)!));
  });

  it('builds byte-identical files from the same content, whatever the input order', async () => {
    const input = await sampleInput();
    const a = chunkSearchIndex(buildSearchRecords(input));
    const b = chunkSearchIndex(buildSearchRecords({ stories: input.stories, articles: [...input.articles].reverse() }));
    expect([...b]).toEqual([...a]);
  });

  it('never ships article bodies, only a few terms of them', async () => {
    const input = await sampleInput();
    const { files } = await indexOf(input);
    const shipped = [...files.values()].reduce((n, t) => n + t.length, 0);
    const bodies = input.articles.reduce((n, a) => n + a.body.length, 0);
    expect(shipped).toBeLessThan(bodies / 2);
    // No body paragraph is in any file (the snippet is the lead, clipped).
    const longest = input.articles.flatMap((a) => a.body.split(/\n\s*\n/)).filter((p) => p.length > 200);
    expect(longest.length).toBeGreaterThan(0);
    for (const p of longest) for (const t of files.values()) expect(t.includes(JSON.stringify(p).slice(1, -1))).toBe(false);
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
  const opened = indexOf(input);
  const search = async (q: string, o?: SearchOptions) => (await (await opened).searcher.search(q, o)).hits;
  const ids = async (hits: Promise<SearchHit[]>) => (await hits).map((h) => h.id);

  it('folds diacritics in queries and in the index', async () => {
    expect(await ids(search('reykjavik'))).toContain('s-volcano');
    expect(await ids(search('REYKJAVÍK'))).toContain('a1');
    // A word only in the bodies: the story carries it among its terms.
    expect(await ids(search('GRINDAVÍK'))).toEqual(['s-volcano']);
  });

  it('matches the last word as a prefix while typing, not once a space follows', async () => {
    expect(await ids(search('parl'))).toContain('s-budget');
    expect(await search('parl ')).toHaveLength(0);
  });

  it('requires every word when some record has them all', async () => {
    expect(await ids(search('volcano grindavik'))).not.toContain('s-budget');
    expect(await ids(search('budget passes'))).toEqual(['s-budget', 'a3']);
    const hits = await search('volcano evacuation');
    expect(hits.length).toBeGreaterThan(0);
    // Nothing has both words in one record? Then the records with the most of them.
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set((await ids(search('volcano'))).concat(await ids(search('evacuation')))));
  });

  it('filters by outlet and by date', async () => {
    expect(await ids(search('volcano', { outlet: 'Daily Ash' }))).toEqual(['s-volcano']);
    expect(await ids(search('eruption', { outlet: 'Daily Ash' }))).toEqual(['a2']);
    expect(await ids(search('eruption', { outlet: 'Nordic Wire' }))).toEqual([]);
    expect(await ids(search('volcano', { from: '2024-03-02' }))).not.toContain('a1');
    expect(await ids(search('volcano', { to: '2024-03-01' }))).toEqual(['a1']);
    expect(await ids(search('volcano', { from: '2024-03-03' }))).toEqual([]);
    // An outlet alone browses it: stories first, newest first.
    expect(await ids(search('', { outlet: 'Daily Ash' }))).toEqual(['s-budget', 's-volcano', 'a3', 'a2']);
    // Dates alone are not a search (the day archive is for browsing by date).
    expect(await search('', { to: '2024-03-31' })).toEqual([]);
    expect((await opened).searcher.outlets).toEqual(['Daily Ash', 'Nordic Wire']);
  });

  it('keeps query text out of results: a markup query finds nothing and echoes nothing', async () => {
    expect(await search('<img src=x onerror=alert(1)>')).toEqual([]);
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

describe('the fuse.js records', () => {
  it('are exactly the records Fuse.createIndex gives for the same values', async () => {
    const { default: Fuse } = await import('fuse.js');
    const { FUSE_KEYS, fuseRecord } = await import('../src/lib/search/format');
    const records = buildSearchRecords(await sampleInput());
    const values = records.flatMap((r) => [[r.headline, r.terms.join(' '), r.snippet], ...r.articles.map((a) => [a.title, '', ''])]);
    const docs = values.map((v) => Object.fromEntries(FUSE_KEYS.map((key, k) => [key.name, v[k]])));
    const direct = Fuse.createIndex([...FUSE_KEYS], docs).toJSON();
    expect(values.map((v, i) => fuseRecord(v, i))).toEqual(direct.records);
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
