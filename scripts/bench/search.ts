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
 * loopback. Every page load is in a fresh browser context (nothing cached):
 *  - first result after load: navigation start of `/search/?q=` -> first
 *    result painted, index download included (median of 9 loads, and the
 *    time of each search:* mark the page makes on the way);
 *  - the same traced: main-thread CPU per phase (less sensitive to load);
 *  - first keystroke: on the home page, `/` then typing a query -> first
 *    suggestion painted (the first focus starts loading the index);
 *  - keystroke -> rendered result p50/p95 while typing, once loaded.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { makeCorpus, mulberry32 } from './corpus.ts';
import { articlesFromFile, defaultIngestOptions } from '../../src/lib/ingest/pipeline.ts';
import { buildSearchIndex, serializeSearchIndex, type SearchArticleInput, type SearchStoryInput } from '../../src/lib/search/build.ts';
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
  /**
   * A site built from the same corpus (`npm run bench` passes its 10k build):
   * its own /search/ page (every story listed for browsing) and index are
   * measured too, as `site*` figures.
   */
  dist?: string;
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

/**
 * Timing hooks, run before the page's own scripts (bypassCSP lets them in).
 * A string, not a function: tsx would wrap a function's inner helpers in
 * `__name(...)`, which does not exist in the page.
 *
 * `first`: when a result first appears in the DOM; `painted`: after the next
 * frame has been produced with it (requestAnimationFrame, then the first task
 * after that frame), which is what "first result" means here. `lat`: keydown
 * -> results changed -> next frame, per keystroke.
 */
const HOOKS = `
  window.__nf = { first: -1, painted: -1, lat: [], key: -1, firstKey: -1 };
  // The first task after a frame: user-blocking priority, so it comes before
  // any ordinary task the page queued for after that frame.
  const nfAfter = (fn) => (window.scheduler && scheduler.postTask ? scheduler.postTask(fn, { priority: 'user-blocking' }) : setTimeout(fn, 0));
  document.addEventListener('keydown', (e) => {
    window.__nf.key = e.timeStamp;
    if (window.__nf.firstKey < 0) window.__nf.firstKey = e.timeStamp;
  }, true);
  const nfWatch = () => new MutationObserver(() => {
    if (!document.querySelector('[data-testid="search-result"], [data-testid="search-suggestion"]')) return;
    const now = performance.now();
    if (window.__nf.first < 0) {
      window.__nf.first = now;
      requestAnimationFrame(() => nfAfter(() => { window.__nf.painted = performance.now(); performance.mark('search:~painted'); }));
    }
    if (window.__nf.key >= 0) {
      const key = window.__nf.key;
      window.__nf.key = -1;
      requestAnimationFrame(() => nfAfter(() => window.__nf.lat.push(performance.now() - key)));
    }
  }).observe(document.body, { childList: true, subtree: true });
  if (document.body) nfWatch(); else document.addEventListener('DOMContentLoaded', nfWatch);
`;

/** The phases of the first result, in the order search-box.ts and search-ui.ts mark them. */
const PHASES = ['fetch', 'response', 'parsed', 'build', 'ready', 'first-render', '~painted', 'complete'] as const;

/**
 * Main-thread CPU time (trace events' thread duration) between consecutive
 * search:* marks: less sensitive to a loaded machine than wall time.
 */
function cpuByPhase(events: any[]): Record<string, number> {
  const marks = events
    .filter((e) => typeof e.name === 'string' && e.name.startsWith('search:') && String(e.cat).includes('blink.user_timing'))
    .sort((a, b) => a.ts - b.ts);
  if (marks.length === 0) return {};
  // The page's main thread: where the marks are made; its navigation start opens the first phase.
  const thread = `${marks[0].pid}:${marks[0].tid}`;
  const nav = events
    .filter((e) => e.name === 'navigationStart' && `${e.pid}:${e.tid}` === thread && e.ts <= marks[0].ts)
    .sort((a, b) => b.ts - a.ts)[0];
  if (nav) marks.unshift({ ...nav, name: 'search:load' });
  if (marks.length < 2) return {};
  const all = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && typeof e.tdur === 'number').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const top: any[] = [];
  let end = -1;
  for (const e of all) if (e.ts >= end) { top.push(e); end = e.ts + e.dur; }
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < marks.length; i++) {
    const a = marks[i].ts;
    const b = marks[i + 1].ts;
    let cpu = 0;
    // A task spanning a mark is shared out by wall time.
    for (const t of top) {
      const s0 = Math.max(a, t.ts);
      const e0 = Math.min(b, t.ts + t.dur);
      if (e0 > s0) cpu += (t.tdur * (e0 - s0)) / Math.max(1, t.dur);
    }
    const name = `${marks[i].name.slice(7)}->${marks[i + 1].name.slice(7)}`;
    out[name] = (out[name] ?? 0) + cpu / 1000;
  }
  return out;
}

export async function measureBrowser(index: SearchIndexData, queries: string[], loads = 9): Promise<Record<string, number>> {
  const { hasChromium } = await import('../../test/helpers/browser.ts');
  if (!hasChromium()) return {};
  const { buildSite } = await import('../../test/helpers/site.ts');
  const site = await buildSite(path.join(repoRoot, 'content/raw'));
  try {
    await writeFile(path.join(site.dist, 'search-index.json'), serializeSearchIndex(index));
    return await measureSite(site.dist, queries, loads);
  } finally {
    await site.cleanup();
  }
}

/**
 * The Chromium figures for a built site (`dist`, with its search-index.json)
 * served on loopback: also usable on a site built from an earlier version, to
 * compare by the same measure.
 */
export async function measureSite(dist: string, queries: string[], loads = 9): Promise<Record<string, number>> {
  const { launchBrowser } = await import('../../test/helpers/browser.ts');
  const { serveDir } = await import('../../test/helpers/serve.ts');
  const served = await serveDir(dist);
  const browser = await launchBrowser();
  const out: Record<string, number> = {};
  try {
    // Each load in a fresh context: nothing cached, the index downloaded every time.
    const fresh = async () => {
      const context = await browser.newContext({ bypassCSP: true });
      await context.addInitScript(HOOKS);
      return { context, page: await context.newPage() };
    };
    const marksOf = (page: import('playwright-core').Page) =>
      page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('search:')).map((m) => [m.name.slice(7), m.startTime]))`) as Promise<Record<string, number>>;

    // 1. First result after load: navigation start -> first result painted, for /search/?q=.
    const firsts: number[] = [];
    const inDom: number[] = [];
    const phaseMarks: Record<string, number[]> = {};
    for (let i = 0; i < loads; i++) {
      const { context, page } = await fresh();
      await page.goto(`${served.url}search/?q=${encodeURIComponent(queries[i % queries.length])}`);
      await page.waitForFunction('window.__nf.painted >= 0', null, { timeout: 30_000 });
      firsts.push(await page.evaluate('window.__nf.painted'));
      inDom.push(await page.evaluate('window.__nf.first'));
      const marks = await marksOf(page);
      marks.indexLoaded = await page.evaluate(`performance.getEntriesByType('resource').find((e) => e.name.endsWith('search-index.json'))?.responseEnd ?? -1`);
      for (const [k, v] of Object.entries(marks)) (phaseMarks[k] ??= []).push(v);
      await context.close();
    }
    out.chromiumFirstResultMs = round(pct(firsts, 50), 0);
    out.chromiumFirstResultMinMs = round(Math.min(...firsts), 0);
    out.chromiumFirstResultMaxMs = round(Math.max(...firsts), 0);
    out.chromiumFirstResultInDomMs = round(pct(inDom, 50), 0);
    out.chromiumFirstResultLoads = firsts.length;
    out.chromiumIndexLoadedMs = round(pct(phaseMarks.indexLoaded ?? [], 50), 0);
    for (const k of PHASES) if (phaseMarks[k]) out[`chromiumAt_${k.replace('~', '')}Ms`] = round(pct(phaseMarks[k], 50), 0);

    // 2. The same, traced: main-thread CPU per phase (medians over 5 loads; tracing slows the page, so not timed above).
    const cpu: Record<string, number[]> = {};
    for (let i = 0; i < 5; i++) {
      const { context, page } = await fresh();
      await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] });
      await page.goto(`${served.url}search/?q=${encodeURIComponent(queries[i % queries.length])}`);
      await page.waitForFunction('window.__nf.painted >= 0', null, { timeout: 30_000 });
      const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
      for (const [k, v] of Object.entries(cpuByPhase(trace))) (cpu[k] ??= []).push(v);
      await context.close();
    }
    for (const [k, v] of Object.entries(cpu)) out[`chromiumCpu_${k.replace('~', '')}Ms`] = round(pct(v, 50), 1);
    // Navigation start -> first result painted, all main-thread CPU.
    const toPainted = Object.keys(cpu).slice(0, Object.keys(cpu).findIndex((k) => k.endsWith('->~painted')) + 1);
    const totals = Array.from({ length: Math.min(...toPainted.map((k) => cpu[k].length)) }, (_, i) => toPainted.reduce((t, k) => t + cpu[k][i], 0));
    out.chromiumCpuToFirstResultMs = round(pct(totals, 50), 1);

    // 3. First keystroke on a page without search (the home page): the first
    // focus starts loading the index; keydown -> first suggestion painted.
    const firstKey: number[] = [];
    for (let i = 0; i < Math.min(5, loads); i++) {
      const { context, page } = await fresh();
      await page.goto(served.url);
      await page.keyboard.press('/');
      await page.evaluate('window.__nf.firstKey = -1');
      await page.keyboard.type(queries[i % queries.length], { delay: 25 });
      await page.waitForFunction('window.__nf.painted >= 0', null, { timeout: 30_000 });
      firstKey.push(await page.evaluate('window.__nf.painted - window.__nf.firstKey'));
      await context.close();
    }
    out.chromiumFirstKeystrokeToResultMs = round(pct(firstKey, 50), 0);

    // 4. Keystroke -> rendered result while typing, 25 ms between keys, once the index is in.
    const { context, page } = await fresh();
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
    out.chromiumKeystrokeToRenderP50Ms = round(pct(lat, 50), 1);
    out.chromiumKeystrokeToRenderP95Ms = round(pct(lat, 95), 1);
    out.chromiumKeystrokes = lat.length;
    return out;
  } finally {
    await browser.close();
    await served.close();
  }
}

export async function benchSearch(opts: SearchBenchOptions): Promise<Record<string, number>> {
  let t = performance.now();
  const input = await benchInput(opts.articles, opts.seed);
  const corpusMs = performance.now() - t;
  t = performance.now();
  const index = buildSearchIndex(input);
  const buildMs = performance.now() - t;
  const json = serializeSearchIndex(index);
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
      if (opts.dist && existsSync(path.join(opts.dist, 'search/index.html'))) {
        // Queries from the site's own index: the bench corpus above is not the site's, and a query
        // that finds nothing there never paints a result.
        const siteIndex = JSON.parse(await readFile(path.join(opts.dist, 'search-index.json'), 'utf8')) as SearchIndexData;
        const siteQueries = benchQueries(siteIndex, opts.queries ?? 40);
        for (const [k, v] of Object.entries(await measureSite(opts.dist, siteQueries))) figures[`site${k[0].toUpperCase()}${k.slice(1)}`] = v;
      }
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
  const at = process.argv.indexOf('--dist');
  const dist = at > 0 ? process.argv[at + 1] : undefined;
  benchSearch({ articles, browser, dist }).then((f) => console.log(JSON.stringify(f, null, 2)));
}
