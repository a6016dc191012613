/**
 * The per-article keyword counts a partial build keeps between runs
 * (src/lib/store/search-terms.ts): an index made from stored counts is the index
 * made from the bodies, and only changed articles' bodies are read again.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/corpus';
import { searchRecords, searchTerms, type SearchIndexRun } from '../src/lib/store/search-terms';
import { keptSearchIndex } from '../src/lib/store/search-kept';
import { textHash } from '../src/lib/search/write-fs';
import { sha256 } from '../src/lib/store/fingerprint';
import { ingest } from '../src/lib/ingest/pipeline';
import { bodyTermStats, buildSearchRecords, packTermStats, unpackTermStats } from '../src/lib/search/build';
import { chunkSearchIndex } from '../src/lib/search/chunks';
import { searchInputFromIngest } from '../src/lib/search/from-ingest';

async function sampleInput() {
  const dir = path.join(repoRoot, 'content/raw');
  const names = (await readdir(dir)).sort();
  const files = await Promise.all(names.map(async (raw) => ({ raw, bytes: new Uint8Array(await readFile(path.join(dir, raw))) })));
  return searchInputFromIngest(ingest(files));
}

/** An article file as the ingest writes one: front matter, then the body. */
const articleFile = (id: string, body: string) => `---\nid: ${id}\ntitle: "${id}"\n---\n${body}`;

describe('search terms', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('round-trips the counts, and an index from counts is byte-identical to one from bodies', async () => {
    const input = await sampleInput();
    expect(input.articles.length).toBeGreaterThan(1);
    for (const a of input.articles) {
      const stat = bodyTermStats(a.body);
      expect(stat.tf.size).toBeGreaterThan(0);
      const back = unpackTermStats(packTermStats(stat));
      // The term order is kept (the index reads terms in it); caps is only looked up.
      expect([...back.tf]).toEqual([...stat.tf]);
      expect(back.caps).toEqual(stat.caps);
    }
    const fromCounts = { ...input, articles: input.articles.map((a) => ({ ...a, body: '', terms: unpackTermStats(packTermStats(bodyTermStats(a.body))) })) };
    expect([...chunkSearchIndex(buildSearchRecords(fromCounts))]).toEqual([...chunkSearchIndex(buildSearchRecords(input))]);
  });

  it('reads only the bodies whose file changed, and forgets articles that are gone', async () => {
    const content = await mkdtemp(path.join(os.tmpdir(), 'newsfold-terms-'));
    dirs.push(content);
    const input = await sampleInput();
    const files = input.articles.map((a) => {
      const text = articleFile(a.id, a.body);
      return { id: a.id, file: `${a.id}.md`, text, hash: sha256(text) };
    });
    const asArticles = (list: typeof files) => list as unknown as Parameters<typeof searchTerms>[1];

    const first = await searchTerms(content, asArticles(files));
    expect(first.computed).toBe(files.length);
    for (const a of input.articles) expect([...first.statsOf(a.id).tf]).toEqual([...bodyTermStats(a.body).tf]);

    const again = await searchTerms(content, asArticles(files));
    expect(again.computed).toBe(0);
    for (const a of input.articles) expect([...again.statsOf(a.id).tf]).toEqual([...bodyTermStats(a.body).tf]);

    // One article rewritten, one gone.
    const changedBody = 'Parliament voted on the harbour bridge tolls late on Tuesday.';
    const text = articleFile(files[0].id, changedBody);
    const next = [{ ...files[0], text, hash: sha256(text) }, ...files.slice(2)];
    const third = await searchTerms(content, asArticles(next));
    expect(third.computed).toBe(1);
    expect([...third.statsOf(files[0].id).tf]).toEqual([...bodyTermStats(changedBody).tf]);
    // Kept by month of the ids (search-term-parts.ts): every part's live entries.
    const live = new Map<string, string>();
    const parts = (await readdir(path.join(content, '.newsfold/search-terms'))).filter((n) => n.endsWith('.log'));
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) {
      const log = await readFile(path.join(content, '.newsfold/search-terms', part), 'utf8');
      for (const line of log.split('\n').slice(1, -1)) {
        const [key, value] = line.split('\t');
        if (value) live.set(JSON.parse(key) as string, value);
        else live.delete(JSON.parse(key) as string);
      }
    }
    expect([...live.keys()].sort()).toEqual(next.map((f) => f.id).sort());
  });

  /**
   * 40 random drop-ins (new, rewritten, deleted and moved articles over a small vocabulary, so words
   * cross octaves), each run through `onBuild` on the same state folder. `filed`: as the build calls it,
   * with each story's file hash (the records are keyed by it), and with stories whose file still lists
   * an article that moved to another story (a story's file need not change when its members do).
   */
  async function dropIns(
    onBuild: (content: string, next: { input: Parameters<typeof searchRecords>[1]; texts: Parameters<typeof searchRecords>[2]; cold: ReturnType<typeof buildSearchRecords> }, first: boolean) => Promise<number>,
    filed = false,
  ) {
    const content = await mkdtemp(path.join(os.tmpdir(), 'newsfold-records-'));
    dirs.push(content);
    // A small vocabulary, so words' article counts cross stableIdf's octaves (12, 23, 46...) as articles come and go.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const words = Array.from({ length: 90 }, (_, i) => `w${(i * 7919).toString(36)}x`);
    const body = () => Array.from({ length: 25 }, () => (rand() < 0.1 ? 'Harbour' : words[Math.floor(rand() ** 2 * words.length)])).join(' ') + '.';
    type Art = { id: string; story: string; body: string; title: string; listed?: string };
    let arts: Art[] = Array.from({ length: 80 }, (_, i) => ({ id: `a${String(i).padStart(3, "0")}`, story: `s${i % 17}`, body: body(), title: `Title ${i}` }));
    const build = () => {
      const storyIds = [...new Set(arts.map((a) => a.story))].sort();
      const stories = storyIds.map((id) => ({
        id,
        headline: `Story ${id}`,
        dek: null,
        lead: null,
        sources: ['Outlet'],
        lastDate: '2025-01-02',
        articles: arts.filter((a) => (filed ? (a.listed ?? a.story) : a.story) === id).map((a) => a.id),
        entities: [],
      }));
      const articles = arts.map((a) => ({ id: a.id, title: a.title, source: 'Outlet', date: '2025-01-02', excerpt: '', story: a.story }));
      const texts = arts.map((a) => {
        // An article's file holds its fields and its story, as the ingest writes it.
        const text = articleFile(a.id, `${a.title}\n${a.story}\n\n${a.body}`).replace('\n---\n', `\nstory: ${a.story}\n---\n`);
        return { id: a.id, hash: sha256(filed ? text : articleFile(a.id, a.body)), text: articleFile(a.id, a.body) };
      });
      const cold = buildSearchRecords({ stories, articles: arts.map((a, i) => ({ ...articles[i], body: a.body })) });
      const hashes = new Map(stories.map((st) => [st.id, sha256(JSON.stringify(st))]));
      return { input: { stories, articles, ...(filed ? { storyHash: (id: string) => hashes.get(id) } : {}) }, texts, cold };
    };
    await onBuild(content, build(), true);
    let madeTotal = 0;
    for (let step = 0; step < 40; step++) {
      const r = rand();
      if (r < 0.5) arts.push({ id: `b${String(step).padStart(3, '0')}`, story: `s${Math.floor(rand() * 17)}`, body: body(), title: `New ${step}` });
      else if (r < 0.7) arts[Math.floor(rand() * arts.length)].body = body();
      else if (r < 0.85) arts.splice(Math.floor(rand() * arts.length), 1);
      else {
        const moved = arts[Math.floor(rand() * arts.length)];
        // Its old story's file may still list it (`filed`).
        if (rand() < 0.5) moved.listed ??= moved.story;
        moved.story = `s${Math.floor(rand() * 19)}`;
      }
      arts = arts.map((a) => ({ ...a }));
      madeTotal += await onBuild(content, build(), false);
    }
    // Drop-ins make a few records each, not every story's.
    expect(madeTotal).toBeLessThan(40 * 17);
    return { content, build };
  }

  it('keeps records between builds that are, after every drop-in, what the bodies give cold', async () => {
    const { content, build } = await dropIns(async (content, next, first) => {
      const run = await searchRecords(content, next.input, next.texts);
      expect(run.full === null).toBe(!first);
      expect(run.records).toEqual(next.cold);
      return run.made;
    });
    // A lost counts store: everything made again, the same records.
    await rm(path.join(content, '.newsfold/search-df.log'));
    const again = build();
    const lost = await searchRecords(content, again.input, again.texts);
    expect(lost.full).not.toBeNull();
    expect(lost.records).toEqual(again.cold);
  });

  /** The files of an index run, read as the build lays them in. */
  const filesOf = (run: SearchIndexRun) => [...run.files.hashes].map(([p, hash]) => [p, hash, run.files.text(p)]);
  const coldFiles = (records: ReturnType<typeof buildSearchRecords>) => [...chunkSearchIndex(records)].map(([p, text]) => [p, textHash(text), text]);

  it('keeps the index between builds and updates it, after every drop-in, to what a cold build files', async () => {
    let whole = 0;
    const { content, build } = await dropIns(async (content, next, first) => {
      const run = await keptSearchIndex(content, () => next);
      expect(run.full === null).toBe(!first);
      if (run.whole) whole++;
      expect(filesOf(run)).toEqual(coldFiles(next.cold));
      return run.made;
    });
    // Made whole only by the first run (and by drop-ins that make every record again: none here).
    expect(whole).toBe(1);
    // A lost or torn index store: the index made whole, the same files.
    for (const lose of ['search-index.log', 'search-df.log', 'search-records.log']) {
      await rm(path.join(content, `.newsfold/${lose}`));
      const again = build();
      const lost = await keptSearchIndex(content, () => again);
      expect(lost.whole, lose).not.toBeNull();
      expect(filesOf(lost)).toEqual(coldFiles(again.cold));
      // And the next run updates it again.
      const same = await keptSearchIndex(content, () => again);
      expect(same.whole).toBeNull();
      expect(same.written).toBe(0);
      expect(filesOf(same)).toEqual(coldFiles(again.cold));
    }
  });

  it("keys records by the story's file hash, and still remakes a record whose members moved while its file stayed", async () => {
    let whole = 0;
    await dropIns(async (content, next, first) => {
      const run = await keptSearchIndex(content, () => next);
      expect(run.full === null).toBe(!first);
      if (run.whole) whole++;
      expect(filesOf(run)).toEqual(coldFiles(next.cold));
      const records = await searchRecords(content, next.input, next.texts);
      expect(records.records).toEqual(next.cold);
      return run.made;
    }, true);
    expect(whole).toBe(1);
  });
});
