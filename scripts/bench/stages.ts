/**
 * Ingest throughput per stage, timed in-process on one core by calling the
 * stage functions themselves (decode, parse, clean, dedupe, metadata), then
 * clustering and digest over the whole corpus. Meant to run in its own child
 * process (see bench.ts) so its peak memory is its own.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decode } from '../../src/lib/ingest/read/decode.ts';
import { formatOf, parse } from '../../src/lib/ingest/read/parse.ts';
import { clean } from '../../src/lib/ingest/clean/clean.ts';
import { dedupe } from '../../src/lib/ingest/clean/dedupe.ts';
import { describe } from '../../src/lib/ingest/describe/metadata.ts';
import { groupArticles } from '../eval/clustering.ts';
import { digest } from '../../src/lib/ingest/digest/digest.ts';
import type { Article, CleanDoc, ParsedDoc } from '../../src/lib/ingest/types.ts';
import { library, setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), as the build hands them in (build/load-stages.ts).
setLibraries(nodeLibraries);

export interface StageFigures {
  files: number;
  articles: number;
  stories: number;
  /** CPU milliseconds spent in each stage, summed over all files. */
  ms: Record<'decode' | 'parse' | 'clean' | 'dedupe' | 'metadata' | 'cluster' | 'digest', number>;
  /** Articles (or files, for decode/parse) per CPU second, per stage. */
  perSecond: Record<string, number>;
  /** Clean + dedupe + metadata, articles per CPU second on one core (#3's target). */
  cleanMetadataPerSecond: number;
  /** Peak RSS of the process while clustering, bytes. */
  clusterPeakRss: number;
  /** Peak RSS of the whole process, bytes. */
  peakRss: number;
}

/**
 * CPU milliseconds of this process (user + system): on a shared machine this is
 * far steadier than wall time, which counts the time other processes ran.
 */
const now = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function measureStages(rawDir: string): Promise<StageFigures> {
  // Month folders too (the 10,000-article bench corpus is filed by month, as the build reads it).
  const names = (await readdir(rawDir, { recursive: true })).filter((n) => formatOf(n)).sort();
  const bytes = await Promise.all(names.map((n) => readFile(path.join(rawDir, n))));
  const ms = { decode: 0, parse: 0, clean: 0, dedupe: 0, metadata: 0, cluster: 0, digest: 0 };
  // Loaded before the clock, as importing them was before they were loaded on first use: the parse
  // and metadata rows time the stages, not a module load (the lexicon stays the digest's, as it was).
  library('html');
  library('dates');
  const articles: Article[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    let t = now();
    const decoded = decode(new Uint8Array(bytes[i]));
    ms.decode += now() - t;
    if (!decoded.ok) continue;
    t = now();
    const parsed = parse(names[i], formatOf(names[i])!, decoded.text);
    ms.parse += now() - t;
    if (!parsed.ok) continue;
    for (const doc of parsed.docs as ParsedDoc[]) {
      t = now();
      const cleaned: CleanDoc = clean(doc);
      ms.clean += now() - t;
      t = now();
      const deduped = dedupe(cleaned);
      ms.dedupe += now() - t;
      t = now();
      const article = describe(deduped);
      ms.metadata += now() - t;
      if (!ids.has(article.id)) {
        ids.add(article.id);
        articles.push(article);
      }
    }
  }
  const before = process.resourceUsage().maxRSS * 1024;
  let t = now();
  // The grouping the ingest runs, cold, with what it reads of each article (the doc cache's part) included.
  const { assignments, stories } = groupArticles(articles);
  ms.cluster = now() - t;
  const clusterPeakRss = process.resourceUsage().maxRSS * 1024;
  const byId = new Map(articles.map((a) => [a.id, a]));
  t = now();
  for (const g of stories) digest(g.id, g.articles.map((id) => byId.get(id)!), assignments);
  ms.digest = now() - t;
  const rate = (n: number, m: number) => (m > 0 ? Math.round((n * 1000) / m) : 0);
  return {
    files: names.length,
    articles: articles.length,
    stories: stories.length,
    ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])) as StageFigures['ms'],
    perSecond: {
      decode: rate(names.length, ms.decode),
      parse: rate(names.length, ms.parse),
      clean: rate(articles.length, ms.clean),
      dedupe: rate(articles.length, ms.dedupe),
      metadata: rate(articles.length, ms.metadata),
      cluster: rate(articles.length, ms.cluster),
      digest: rate(articles.length, ms.digest),
    },
    cleanMetadataPerSecond: rate(articles.length, ms.clean + ms.dedupe + ms.metadata),
    clusterPeakRss: Math.max(before, clusterPeakRss),
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
}

// Run directly: `tsx scripts/bench/stages.ts <rawDir>` prints the figures as JSON.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  measureStages(process.argv[2]).then(
    (f) => process.stdout.write(`${JSON.stringify(f)}\n`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
