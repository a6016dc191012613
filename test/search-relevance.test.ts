/**
 * Relevance on the development corpus: for each story the ingest pipeline
 * makes of clustering-basil and clustering-allsides (its own grouping, which
 * is what the site shows), two distinctive words of the headline must find
 * the story in the top 3 for at least 95% of stories, searched through the
 * chunked index (held in memory, as the browser would fetch it).
 *
 * "Distinctive": the two headline words (stop words and numbers aside) that
 * the fewest headlines and titles in the index contain; ties go to the longer
 * word, then the earlier one. Typed as they appear in the headline; then with
 * a typo in one of them (a swap, deletion, insertion or substitution after the
 * first letter, in a word of 5+ letters: 90% or more), and with the second
 * cut to its first 60% as while typing (90% or more).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { ingest } from '../src/lib/ingest/pipeline';
import { buildSearchRecords, chunkSearchIndex, filesSource, openSearcher } from '../src/lib/search';
import { searchInputFromIngest } from '../src/lib/search/from-ingest';
import { announceSkip, corpusDir } from '../scripts/lib/corpus';
import { mulberry32 } from '../scripts/bench/corpus';
import { distinctiveWords, titleDf, typoMaker } from '../scripts/bench/search';

const corpus = corpusDir();
if (!corpus) announceSkip('search relevance (test/search-relevance.test.ts)');

async function rawFiles(dir: string) {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  return Promise.all(names.map(async (raw) => ({ raw, bytes: new Uint8Array(await readFile(path.join(dir, raw))) })));
}

describe.skipIf(!corpus)('search relevance on the development corpus', () => {
  for (const dataset of ['clustering-basil', 'clustering-allsides']) {
    it(`finds ${dataset} stories by two distinctive headline words (top 3, >= 95%)`, async () => {
      const result = ingest(await rawFiles(path.join(corpus!, dataset, 'ingest/raw')));
      const input = searchInputFromIngest(result);
      const searcher = await openSearcher(filesSource(chunkSearchIndex(buildSearchRecords(input))));
      const df = titleDf([...input.stories.map((s) => s.headline), ...input.articles.map((a) => a.title)]);
      let found = 0;
      let asked = 0;
      let typoFound = 0;
      let prefixFound = 0;
      const misses: string[] = [];
      const typo = typoMaker(mulberry32(5));
      const finds = async (q: string, id: string) => (await searcher.search(q, { limit: 3 })).hits.some((h) => h.kind === 'story' && h.id === id);
      for (const s of input.stories) {
        const words = distinctiveWords(s.headline, df);
        if (words.length < 2) continue;
        const query = words.join(' ');
        asked++;
        if (await finds(query, s.id)) found++;
        else misses.push(`${query} -> ${s.headline}`);
        const longer = words[0].length >= words[1].length ? 0 : 1;
        const typed = words.map((w, i) => (i === longer && w.length >= 5 ? typo(w) : w)).join(' ');
        if (await finds(typed, s.id)) typoFound++;
        else misses.push(`(typo) ${typed} -> ${s.headline}`);
        const cut = `${words[0]} ${words[1].slice(0, Math.max(3, Math.ceil(words[1].length * 0.6)))}`;
        if (await finds(cut, s.id)) prefixFound++;
        else misses.push(`(prefix) ${cut} -> ${s.headline}`);
      }
      const rate = found / asked;
      const pc = (n: number) => `${((n / asked) * 100).toFixed(1)}%`;
      console.log(`${dataset}: ${found}/${asked} stories in the top 3 (${pc(found)}); with a typo ${typoFound} (${pc(typoFound)}); cut short ${prefixFound} (${pc(prefixFound)}); ${input.articles.length} articles`);
      if (misses.length) console.log(`  misses (first 10):\n  ${misses.slice(0, 10).join('\n  ')}`);
      expect(asked).toBeGreaterThan(10);
      expect(rate).toBeGreaterThanOrEqual(0.95);
      expect(typoFound / asked).toBeGreaterThanOrEqual(0.9);
      expect(prefixFound / asked).toBeGreaterThanOrEqual(0.9);
    });
  }
});
