/**
 * Search benchmark (issue #6), called by `npm run bench` (scripts/bench.ts) or
 * on its own: `npx tsx scripts/bench/search.ts [articles]`.
 *
 * Corpus: the benchmark corpus generator (corpus.ts) writes `articles` files;
 * each goes through the real per-file ingest stages (decode, parse, clean,
 * metadata); stories are the generator's labels (its story grouping), so the
 * figures do not depend on the clusterer. The index is built with the same
 * `buildSearchIndex` the site's endpoint calls.
 *
 * Node: per-keystroke compute, typing each query prefix by prefix (p50/p95),
 * index build time, index size raw and gzip.
 * Chromium (when /usr/bin/chromium exists): the bundled sample site is built
 * once, its search-index.json replaced by the 10k index, and served on
 * loopback; then first result after load for `/search/?q=` (index download
 * included) and keystroke-to-rendered-result p50/p95 while typing in the box.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { makeCorpus, mulberry32 } from './corpus.ts';
import { articlesFromFile, defaultIngestOptions } from '../../src/lib/ingest/pipeline.ts';
import { buildSearchIndex, type SearchArticleInput, type SearchStoryInput } from '../../src/lib/search/build.ts';
import { createSearcher } from '../../src/lib/search/search.ts';
import { tokenize } from '../../src/lib/search/text.ts';
import { recordValues, type SearchIndexData } from '../../src/lib/search/format.ts';
import { repoRoot } from '../lib/corpus.ts';

export interface SearchBenchOptions {
  articles: number;
  seed?: number;
  /** Skip the Chromium part even when Chromium is installed. */
  browser?: boolean;
  /** Queries typed, prefix by prefix (default 40, drawn from the corpus). */
  queries?: number;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Writes the generated corpus and turns it into the index builder's input. */
export async function benchInput(articles: number, seed = 6): Promise<{ stories: SearchStoryInput[]; articles: SearchArticleInput[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-search-bench-'));
  try {
    const corpus = await makeCorpus({ articles, seed, outDir: dir });
    const out: SearchArticleInput[] = [];
    const members = new Map<string, SearchArticleInput[]>();
    for (const name of (await readdir(dir)).sort()) {
      const bytes = new Uint8Array(await readFile(path.join(dir, name)));
      const key = corpus.labels[name];
      if (!key) continue;
      const storyId = `s-${key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
      for (const a of articlesFromFile({ raw: name, bytes }, defaultIngestOptions).articles) {
        const doc = { id: a.id, title: a.title, source: a.source, date: a.date, excerpt: a.excerpt, body: a.body.map((b) => b.text).join('\n\n'), story: storyId };
        out.push(doc);
        if (!members.has(storyId)) members.set(storyId, []);
        members.get(storyId)!.push(doc);
      }
    }
    const stories: SearchStoryInput[] = [...members].map(([id, arts]) => ({
      id,
      headline: arts[0].title,
      lead: arts[0].excerpt,
      sources: [...new Set(arts.map((a) => a.source))],
      lastDate: arts.map((a) => a.date ?? '').sort().pop() || null,
      articles: arts.map((a) => a.id),
    }));
    return { stories, articles: out };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Queries a reader might type: two or three words of a random title, some with a typo. */
export function benchQueries(index: SearchIndexData, n: number, seed = 66): string[] {
  const rng = mulberry32(seed);
  const titles = recordValues(index)
    .map((v) => v[0])
    .filter(Boolean);
  const out: string[] = [];
  while (out.length < n && titles.length) {
    const title = titles[Math.floor(rng() * titles.length)];
    const words = tokenize(title).filter((t) => t.term.length >= 4).map((t) => title.slice(t.start, t.end));
    if (words.length < 2) continue;
    const start = Math.floor(rng() * (words.length - 1));
    const picked = words.slice(start, start + 2 + (rng() < 0.3 ? 1 : 0));
    if (rng() < 0.3) {
      // A swapped pair of letters in one word: a typo.
      const w = picked[0];
      const i = 1 + Math.floor(rng() * (w.length - 2));
      picked[0] = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    }
    out.push(picked.join(' '));
  }
  return out;
}

/** Node compute per keystroke: each query typed one character at a time. */
export function measureCompute(index: SearchIndexData, queries: string[]): { perKeystroke: number[]; cpuPerKeystroke: number[]; parseMs: number } {
  let t = performance.now();
  const searcher = createSearcher(JSON.parse(JSON.stringify(index)) as SearchIndexData);
  const parseMs = performance.now() - t;
  // Warm up the JIT the way a reader's first few keystrokes would.
  for (const q of queries.slice(0, 3)) for (let i = 1; i <= q.length; i++) searcher.search(q.slice(0, i), { limit: 20 });
  const perKeystroke: number[] = [];
  // CPU time too: on a shared machine, wall time also counts waiting for a core.
  const cpuPerKeystroke: number[] = [];
  for (const q of queries) {
    for (let i = 1; i <= q.length; i++) {
      const c = process.cpuUsage();
      t = performance.now();
      searcher.search(q.slice(0, i), { limit: 20 });
      perKeystroke.push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpuPerKeystroke.push((d.user + d.system) / 1000);
    }
  }
  return { perKeystroke, cpuPerKeystroke, parseMs };
}

export async function measureBrowser(index: SearchIndexData, queries: string[]): Promise<Record<string, number>> {
  const { hasChromium, launchBrowser } = await import('../../test/helpers/browser.ts');
  if (!hasChromium()) return {};
  const { buildSite } = await import('../../test/helpers/site.ts');
  const { serveDir } = await import('../../test/helpers/serve.ts');
  const site = await buildSite(path.join(repoRoot, 'content/raw'));
  await writeFile(path.join(site.dist, 'search-index.json'), JSON.stringify(index));
  const served = await serveDir(site.dist);
  const browser = await launchBrowser();
  try {
    // Timing hooks run before the page's own scripts; bypassCSP lets them in.
    const context = await browser.newContext({ bypassCSP: true });
    // A string, not a function: tsx would wrap a function's inner helpers in
    // `__name(...)`, which does not exist in the page.
    await context.addInitScript(`
      window.__nf = { first: -1, lat: [], key: -1 };
      document.addEventListener('keydown', (e) => { window.__nf.key = e.timeStamp; }, true);
      const nfWatch = () => new MutationObserver(() => {
        if (!document.querySelector('[data-testid="search-result"]')) return;
        const now = performance.now();
        if (window.__nf.first < 0) window.__nf.first = now;
        if (window.__nf.key >= 0) {
          const key = window.__nf.key;
          window.__nf.key = -1;
          // Rendered: once the next frame has been produced.
          requestAnimationFrame(() => setTimeout(() => window.__nf.lat.push(performance.now() - key), 0));
        }
      }).observe(document.body, { childList: true, subtree: true });
      if (document.body) nfWatch(); else document.addEventListener('DOMContentLoaded', nfWatch);
    `);
    const firsts: number[] = [];
    const fetched: number[] = [];
    for (const q of queries.slice(0, 5)) {
      const page = await context.newPage();
      await page.goto(`${served.url}search/?q=${encodeURIComponent(q)}`);
      await page.waitForFunction('window.__nf.first >= 0', null, { timeout: 30_000 });
      firsts.push(await page.evaluate('window.__nf.first'));
      fetched.push(await page.evaluate(`performance.getEntriesByType('resource').find((e) => e.name.endsWith('search-index.json'))?.responseEnd ?? -1`));
      await page.close();
    }
    const page = await context.newPage();
    await page.goto(`${served.url}search/`);
    const box = page.locator('#site-search');
    await box.focus();
    await page.waitForFunction(`document.documentElement.dataset.searchReady === '1'`, null, { timeout: 30_000 });
    for (const q of queries) {
      await box.fill('');
      for (const ch of q) {
        await page.keyboard.type(ch);
        await page.waitForTimeout(25);
      }
    }
    await page.waitForTimeout(100);
    const lat: number[] = await page.evaluate('window.__nf.lat');
    await context.close();
    return {
      chromiumFirstResultMs: round(pct(firsts, 50), 1),
      chromiumFirstResultMaxMs: round(Math.max(...firsts), 1),
      chromiumIndexLoadedMs: round(pct(fetched, 50), 1),
      chromiumKeystrokeToRenderP50Ms: round(pct(lat, 50), 1),
      chromiumKeystrokeToRenderP95Ms: round(pct(lat, 95), 1),
      chromiumKeystrokes: lat.length,
    };
  } finally {
    await browser.close();
    await served.close();
    await site.cleanup();
  }
}

export async function benchSearch(opts: SearchBenchOptions): Promise<Record<string, number>> {
  let t = performance.now();
  const input = await benchInput(opts.articles, opts.seed);
  const corpusMs = performance.now() - t;
  t = performance.now();
  const index = buildSearchIndex(input);
  const buildMs = performance.now() - t;
  const json = JSON.stringify(index);
  const queries = benchQueries(index, opts.queries ?? 40);
  const { perKeystroke, cpuPerKeystroke, parseMs } = measureCompute(index, queries);
  const load = os.loadavg()[0];
  const figures: Record<string, number> = {
    articles: input.articles.length,
    stories: input.stories.length,
    corpusPrepMs: round(corpusMs, 0),
    indexBuildMs: round(buildMs, 0),
    indexBytes: Buffer.byteLength(json),
    indexGzipBytes: gzipSync(json, { level: 9 }).length,
    searcherInitMs: round(parseMs, 1),
    keystrokes: perKeystroke.length,
    computeP50Ms: round(pct(perKeystroke, 50), 3),
    computeP95Ms: round(pct(perKeystroke, 95), 3),
    computeMaxMs: round(Math.max(...perKeystroke), 3),
    computeCpuP95Ms: round(pct(cpuPerKeystroke, 95), 3),
    /** One-minute load average when the run started: figures above ~2 (the core count here) mean contention. */
    loadAverage: round(load, 1),
  };
  if (opts.browser !== false) {
    try {
      Object.assign(figures, await measureBrowser(index, queries));
    } catch (err) {
      // The Node figures stand on their own; say why the browser ones are missing.
      console.error(`search bench: Chromium part failed: ${(err as Error).message}`);
      figures.chromiumFailed = 1;
    }
  }
  return figures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const articles = Number(process.argv[2] ?? 10_000);
  const browser = !process.argv.includes('--no-browser');
  benchSearch({ articles, browser }).then((f) => console.log(JSON.stringify(f, null, 2)));
}
