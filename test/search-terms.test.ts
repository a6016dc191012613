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
import { searchTerms } from '../src/lib/store/search-terms';
import { sha256 } from '../src/lib/store/fingerprint';
import { ingest } from '../src/lib/ingest/pipeline';
import { bodyTermStats, buildSearchIndex, packTermStats, serializeSearchIndex, unpackTermStats } from '../src/lib/search/build';
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
    expect(serializeSearchIndex(buildSearchIndex(fromCounts))).toBe(serializeSearchIndex(buildSearchIndex(input)));
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
    const log = await readFile(path.join(content, '.newsfold/search-terms.log'), 'utf8');
    const live = new Map<string, string>();
    for (const line of log.split('\n').slice(1, -1)) {
      const [key, value] = line.split('\t');
      if (value) live.set(JSON.parse(key) as string, value);
      else live.delete(JSON.parse(key) as string);
    }
    expect([...live.keys()].sort()).toEqual(next.map((f) => f.id).sort());
  });
});
