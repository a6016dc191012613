/**
 * Search benchmark (issues #6, #16), called by `npm run bench` (scripts/bench.ts)
 * or on its own:
 *
 *   npx tsx scripts/bench/search.ts [articles] [--no-browser] [--dist <dir>] [--site <dir>] [--reuse-input] [--queries N] [--stories N]
 *
 * Corpus: the benchmark corpus generator (corpus.ts) writes `articles` files;
 * each goes through the real per-file ingest stages (decode, parse, clean,
 * metadata); stories are the generator's labels (its story grouping), so the
 * figures do not depend on the clusterer. (Past the seed stories the
 * generator retells them, so at 100,000 articles each headline is shared by
 * about ten stories.) `--reuse-input` keeps that input in bench/work/ and
 * reads it back on the next run of the same size and seed.
 *
 * The index is built in-process with the same functions the site's build
 * calls (buildSearchRecords, chunkSearchIndex), and measured:
 *  - size: files, bytes raw and gzip per kind of file, the manifest;
 *  - update: files a drop-in rewrites (the last 1 and the last 50 articles
 *    arriving after the rest);
 *  - Node: compute per keystroke (each query typed prefix by prefix, over the
 *    index held in memory: file parsing included), and what a query downloads
 *    (gzip) typed or as a deep link;
 *  - relevance: stories found in the top 3 by two distinctive words of their
 *    headline, as typed, with one typo (a random edit after the first letter),
 *    and with the last word cut short;
 *  - Chromium (when /usr/bin/chromium exists): the bundled sample site is
 *    built once and its search-index/ replaced by the bench index (the real
 *    page and scripts serve it), served on loopback; every load in a fresh
 *    browser context (nothing cached):
 *      first result after load: navigation start of `/search/?q=` -> first
 *        result painted, with everything the page downloaded (gzip) on the way;
 *      a first query typed on /search/ in a fresh browser: everything
 *        downloaded (HTML, CSS, JS, manifest, chunks, fragments) by the time
 *        its last keystroke's results are up;
 *      first keystroke on the home page -> first suggestion painted;
 *      keystroke -> rendered result p50/p95 while typing, chunk fetches included.
 *
 * Size: about 590 lines, one benchmark whose parts (input, index, Node
 * timings, relevance, Chromium) share the same corpus and index in one run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { makeCorpus, mulberry32 } from './corpus.ts';
import { articlesFromFile, defaultIngestOptions } from '../../src/lib/ingest/pipeline.ts';
import {
  bodyTermStats,
  buildSearchRecords,
  packTermStats,
  unpackTermStats,
  type SearchArticleInput,
  type SearchStoryInput,
  type StoryRecord,
} from '../../src/lib/search/build.ts';
import { changedFiles, chunkSearchIndex, type SearchFiles } from '../../src/lib/search/chunks.ts';
import { openSearcher } from '../../src/lib/search/search.ts';
import { filesSource } from '../../src/lib/search/source.ts';
import { isKeyword, tokenize } from '../../src/lib/search/text.ts';
import type { StoryFragment } from '../../src/lib/search/format.ts';
import { writeSearchIndex } from '../../src/lib/search/write-fs.ts';
import { repoRoot } from '../lib/corpus.ts';
import { setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), loaded when first needed.
setLibraries(nodeLibraries);

export interface SearchBenchOptions {
  articles: number;
  seed?: number;
  /** Skip the Chromium part even when Chromium is installed. */
  browser?: boolean;
  /** Queries typed, prefix by prefix (default 40, drawn from the corpus). */
  queries?: number;
  /** Stories asked for by their headline words (default 500). */
  stories?: number;
  /** Keep the ingested corpus in bench/work/ and reuse it on the next run of the same size and seed. */
  reuseInput?: boolean;
  /**
   * A site built from the same corpus (`npm run bench` passes its 10k build):
   * its own /search/ page and index are measured too, as `site*` figures.
   */
  dist?: string;
  /**
   * Only the Chromium figures, on this built site (say one built by an earlier
   * version, its index swapped for the same corpus's), with the bench's queries.
   */
  site?: string;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
/** gzip -9 size: what a static host's compression gives, give or take. */
const gz = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;

type BenchInput = { stories: SearchStoryInput[]; articles: SearchArticleInput[] };

/** Writes the generated corpus and turns it into the index builder's input (bodies as keyword counts). */
export async function benchInput(articles: number, seed = 6, reuse = false): Promise<BenchInput> {
  const kept = path.join(repoRoot, 'bench/work', `search-input-${articles}-${seed}.json`);
  if (reuse && existsSync(kept)) {
    const saved = JSON.parse(await readFile(kept, 'utf8')) as { stories: SearchStoryInput[]; articles: (SearchArticleInput & { packed: string })[] };
    return { stories: saved.stories, articles: saved.articles.map(({ packed, ...a }) => ({ ...a, terms: unpackTermStats(packed) })) };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-search-bench-'));
  try {
    const corpus = await makeCorpus({ articles, seed, outDir: dir });
    const out: (SearchArticleInput & { packed: string })[] = [];
    const members = new Map<string, SearchArticleInput[]>();
    for (const name of (await readdir(dir)).sort()) {
      const bytes = new Uint8Array(await readFile(path.join(dir, name)));
      const key = corpus.labels[name];
      if (!key) continue;
      const storyId = `s-${key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
      for (const a of articlesFromFile({ raw: name, bytes }, defaultIngestOptions).articles) {
        const body = a.body.map((b) => b.text).join('\n\n');
        const doc = { id: a.id, title: a.title, source: a.source, date: a.date, excerpt: a.excerpt, body: '', packed: packTermStats(bodyTermStats(body)), story: storyId };
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
    if (reuse) {
      await mkdir(path.dirname(kept), { recursive: true });
      await writeFile(kept, JSON.stringify({ stories, articles: out }));
    }
    return { stories, articles: out.map(({ packed, ...a }) => ({ ...a, terms: unpackTermStats(packed) })) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Queries a reader might type: two or three words of a random title, some with a typo. */
export function benchQueries(titles: string[], n: number, seed = 66): string[] {
  const rng = mulberry32(seed);
  const out: string[] = [];
  titles = titles.filter(Boolean);
  for (let tries = 0; out.length < n && titles.length && tries < n * 100; tries++) {
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

const titlesOf = (records: StoryRecord[]) => records.flatMap((r) => [r.headline, ...r.articles.map((a) => a.title)]);

/** Files, bytes raw and gzip, per kind of file (the folder under search-index/: d, t, o, r; and the manifest). */
function sizes(files: SearchFiles): Record<string, number> {
  const out: Record<string, number> = { files: files.size, bytes: 0, gzipBytes: 0 };
  for (const [p, text] of files) {
    const kind = p.includes('/') ? p.split('/')[0] : 'manifest';
    const raw = Buffer.byteLength(text);
    const z = gz(text);
    out.bytes += raw;
    out.gzipBytes += z;
    out[`${kind}Files`] = (out[`${kind}Files`] ?? 0) + 1;
    out[`${kind}GzipBytes`] = (out[`${kind}GzipBytes`] ?? 0) + z;
    out[`${kind}MaxGzipBytes`] = Math.max(out[`${kind}MaxGzipBytes`] ?? 0, z);
    if (kind === 'manifest') out.manifestBytes = raw;
  }
  return out;
}

/** A drop-in: the last `n` articles arrive after the rest. Files the index rewrites, and their bytes. */
function measureUpdate(input: BenchInput, n: number): Record<string, number> {
  const late = new Set(input.articles.slice(-n).map((a) => a.id));
  const before: BenchInput = {
    stories: input.stories.map((s) => ({ ...s, articles: s.articles.filter((id) => !late.has(id)) })).filter((s) => s.articles.length),
    articles: input.articles.filter((a) => !late.has(a.id)),
  };
  // The earlier build's stories' last dates: their articles' latest.
  const dates = new Map(before.articles.map((a) => [a.id, a.date ?? '']));
  for (const s of before.stories) s.lastDate = s.articles.map((id) => dates.get(id) ?? '').sort().pop() || null;
  const old = chunkSearchIndex(buildSearchRecords(before));
  const now = chunkSearchIndex(buildSearchRecords(input));
  const { written, removed } = changedFiles(old, now);
  const stories = new Set(input.articles.filter((a) => late.has(a.id)).map((a) => a.story)).size;
  const out: Record<string, number> = { stories, files: written.length, removed: removed.length, bytes: written.reduce((t, p) => t + Buffer.byteLength(now.get(p)!), 0) };
  for (const kind of ['d', 't', 'o', 'r']) out[`${kind}Files`] = written.filter((p) => p.startsWith(`${kind}/`)).length;
  return out;
}

/** Node: compute per keystroke, and the gzip bytes a query downloads typed (prefix by prefix) and as a deep link. */
export async function measureCompute(files: SearchFiles, queries: string[]): Promise<Record<string, number>> {
  const zipped = new Map<string, number>();
  const size = (p: string) => {
    let z = zipped.get(p);
    if (z === undefined) zipped.set(p, (z = gz(files.get(p) ?? '')));
    return z;
  };
  // Warm up the JIT the way a reader's first few keystrokes would, on a searcher of its own.
  const warm = await openSearcher(filesSource(files));
  for (const q of queries.slice(0, 3)) for (let i = 1; i <= q.length; i++) await warm.search(q.slice(0, i), { limit: 30 });
  const perKeystroke: number[] = [];
  const cpuPerKeystroke: number[] = [];
  const typed: number[] = [];
  const deep: number[] = [];
  for (const q of queries) {
    // Each query on a fresh searcher (a fresh page): nothing fetched yet.
    let got = new Set<string>();
    const searcher = await openSearcher(filesSource(files, (p) => got.add(p)));
    for (let i = 1; i <= q.length; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      await searcher.search(q.slice(0, i), { limit: 30 });
      perKeystroke.push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpuPerKeystroke.push((d.user + d.system) / 1000);
    }
    typed.push([...got].reduce((t, p) => t + size(p), 0));
    got = new Set();
    const once = await openSearcher(filesSource(files, (p) => got.add(p)));
    await once.search(q, { limit: 30 });
    deep.push([...got].reduce((t, p) => t + size(p), 0));
  }
  return {
    keystrokes: perKeystroke.length,
    computeP50Ms: round(pct(perKeystroke, 50), 3),
    computeP95Ms: round(pct(perKeystroke, 95), 3),
    computeMaxMs: round(Math.max(...perKeystroke), 3),
    computeCpuP95Ms: round(pct(cpuPerKeystroke, 95), 3),
    queryTypedGzipP50: pct(typed, 50),
    queryTypedGzipMax: Math.max(...typed),
    queryDeepLinkGzipP50: pct(deep, 50),
    queryDeepLinkGzipMax: Math.max(...deep),
  };
}

/** How many of `titles` each term is in (the rarity that picks a headline's distinctive words). */
export function titleDf(titles: Iterable<string>): Map<string, number> {
  const df = new Map<string, number>();
  for (const title of titles) for (const t of new Set(tokenize(title).map((x) => x.term))) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/** A headline's two rarest keywords (longer first on a tie), as written and in headline order: the query a reader remembers. */
export function distinctiveWords(headline: string, df: Map<string, number>): string[] {
  return tokenize(headline)
    .map((t, i) => ({ ...t, i }))
    .filter((t) => isKeyword(t.term))
    .sort((a, b) => df.get(a.term)! - df.get(b.term)! || b.term.length - a.term.length || a.i - b.i)
    .slice(0, 2)
    .sort((a, b) => a.i - b.i)
    .map((t) => headline.slice(t.start, t.end));
}

/** One random typo after a word's first letter (swap, drop, insert or replace a letter), drawn from `rng`. */
export function typoMaker(rng: () => number): (w: string) => string {
  return (w) => {
    const i = 1 + Math.floor(rng() * (w.length - 2));
    const kind = Math.floor(rng() * 4);
    if (kind === 0) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    if (kind === 1) return w.slice(0, i) + w.slice(i + 1);
    if (kind === 2) return w.slice(0, i) + 'e' + w.slice(i);
    return w.slice(0, i) + (w[i] === 'a' ? 'e' : 'a') + w.slice(i + 1);
  };
}

/**
 * Stories found in the top 3 by two distinctive words of their headline: the
 * two (stop words and numbers aside) that the fewest headlines and titles
 * contain, as typed; with one typo in one of them (a swap, deletion,
 * insertion or substitution after the first letter, in a word of 4+
 * letters); and with the second cut to its first 60% (3 letters at least).
 * Stories whose headline is a headline (not a scrape's byline line that the
 * cleaner took for one: "Outlet · date"). Past the seed stories the generator
 * retells them under the same headline (~10 times each at 100,000 articles):
 * no two words can tell those apart, so a story counts as found when a story
 * with its headline is in the top 3 (`relevanceUniqueTop3`: the stories whose
 * headline no other has, found themselves).
 */
export async function measureRelevance(records: StoryRecord[], files: SearchFiles, n: number, seed = 7): Promise<Record<string, number>> {
  const searcher = await openSearcher(filesSource(files));
  const df = titleDf(titlesOf(records));
  const headlines = new Map<string, number>();
  for (const r of records) headlines.set(r.headline, (headlines.get(r.headline) ?? 0) + 1);
  const eligible = records.filter((r) => r.id && !/ · \d{4}-\d\d-\d\d$/.test(r.headline));
  const step = Math.max(1, Math.floor(eligible.length / n));
  const rng = mulberry32(seed);
  const typo = typoMaker(rng);
  const headlineOf = new Map(records.map((r) => [r.id, r.headline]));
  const found = { exact: 0, typo: 0, prefix: 0, unique: 0, uniqueFound: 0 };
  let asked = 0;
  for (let k = 0; k < eligible.length && asked < n; k += step) {
    const r = eligible[k];
    const words = distinctiveWords(r.headline, df);
    if (words.length < 2) continue;
    asked++;
    const unique = headlines.get(r.headline) === 1;
    const hit = async (q: string) => {
      const { hits } = await searcher.search(q, { limit: 3 });
      if (unique) return hits.some((h) => h.kind === 'story' && h.id === r.id);
      return hits.some((h) => h.kind === 'story' && headlineOf.get(h.id) === r.headline);
    };
    const exact = await hit(words.join(' '));
    if (exact) found.exact++;
    if (unique) {
      found.unique++;
      if (exact) found.uniqueFound++;
    }
    const t = rng() < 0.5 ? 0 : 1;
    if (await hit(words.map((w, i) => (i === t && w.length >= 4 ? typo(w) : w)).join(' '))) found.typo++;
    if (await hit(`${words[0]} ${words[1].slice(0, Math.max(3, Math.ceil(words[1].length * 0.6)))}`)) found.prefix++;
  }
  return {
    relevanceStories: asked,
    relevanceTop3: round(found.exact / asked, 4),
    relevanceTop3Typo: round(found.typo / asked, 4),
    relevanceTop3Prefix: round(found.prefix / asked, 4),
    relevanceUniqueStories: found.unique,
    relevanceUniqueTop3: found.unique ? round(found.uniqueFound / found.unique, 4) : NaN,
  };
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
  window.__nf = { first: -1, painted: -1, lat: [], key: -1, firstKey: -1, changed: -1 };
  const nfAfter = (fn) => (window.scheduler && scheduler.postTask ? scheduler.postTask(fn, { priority: 'user-blocking' }) : setTimeout(fn, 0));
  document.addEventListener('keydown', (e) => {
    window.__nf.key = e.timeStamp;
    if (window.__nf.firstKey < 0) window.__nf.firstKey = e.timeStamp;
  }, true);
  const nfWatch = () => new MutationObserver(() => {
    window.__nf.changed = performance.now();
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
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  if (document.body) nfWatch(); else document.addEventListener('DOMContentLoaded', nfWatch);
`;

/** The phases of the first result, in the order search-box.ts and search-ui.ts mark them. */
const PHASES = ['fetch', 'response', 'parsed', 'ready', 'first-render', '~painted', 'complete'] as const;

/** Builds the bundled sample site and serves the bench index from it: the real page and scripts. */
export async function measureBrowser(files: SearchFiles, queries: string[], loads = 9): Promise<Record<string, number>> {
  const { hasChromium } = await import('../../test/helpers/browser.ts');
  if (!hasChromium()) return {};
  const { buildSite } = await import('../../test/helpers/site.ts');
  const site = await buildSite(path.join(repoRoot, 'content/raw'));
  try {
    await rm(path.join(site.dist, 'search-index'), { recursive: true, force: true });
    await writeSearchIndex(site.dist, files);
    return await measureSite(site.dist, queries, loads);
  } finally {
    await site.cleanup();
  }
}

/** Serves `dist` from a child process (serve-child.ts), as a host would: not on this process's busy event loop. */
async function serveApart(dist: string): Promise<{ url: string; close(): Promise<void> }> {
  const { fork } = await import('node:child_process');
  const child = fork(path.join(repoRoot, 'scripts/bench/serve-child.ts'), [dist], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String(m)));
    child.once('exit', (code) => reject(new Error(`static server exited (${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** gzip sizes of a built site's files by URL path, computed when first asked for. */
function gzipSizes(dist: string) {
  const known = new Map<string, number>();
  return async (url: string): Promise<number> => {
    const rel = decodeURIComponent(new URL(url).pathname).replace(/^\//, '');
    let z = known.get(rel);
    if (z === undefined) {
      const file = path.join(dist, rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel);
      z = await readFile(file).then((b) => gz(b), () => 0);
      known.set(rel, z);
    }
    return z;
  };
}

/**
 * The Chromium figures for a built site (`dist`, with its search-index/)
 * served on loopback: also usable on a site built from another version, to
 * compare by the same measure.
 */
export async function measureSite(dist: string, queries: string[], loads = 9): Promise<Record<string, number>> {
  const { launchBrowser } = await import('../../test/helpers/browser.ts');
  const served = await serveApart(dist);
  const browser = await launchBrowser();
  const sizeOf = gzipSizes(dist);
  const out: Record<string, number> = {};
  try {
    // Each load in a fresh context: nothing cached. Every response's gzip size is counted.
    const fresh = async () => {
      const context = await browser.newContext({ bypassCSP: true });
      await context.addInitScript(HOOKS);
      const page = await context.newPage();
      const urls: string[] = [];
      page.on('response', (r) => {
        if (r.status() === 200) urls.push(r.url());
      });
      const downloaded = async () => (await Promise.all(urls.map(sizeOf))).reduce((a, b) => a + b, 0);
      return { context, page, downloaded, urls };
    };
    const marksOf = (page: import('playwright-core').Page) =>
      page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('search:')).map((m) => [m.name.slice(7), m.startTime]))`) as Promise<Record<string, number>>;

    // 1. First result after load: navigation start -> first result painted, for /search/?q=.
    const firsts: number[] = [];
    const bytes: number[] = [];
    const requests: number[] = [];
    const phaseMarks: Record<string, number[]> = {};
    for (let i = 0; i < loads; i++) {
      const { context, page, downloaded, urls } = await fresh();
      await page.goto(`${served.url}search/?q=${encodeURIComponent(queries[i % queries.length])}`);
      await page.waitForFunction('window.__nf.painted >= 0', null, { timeout: 30_000 });
      firsts.push(await page.evaluate('window.__nf.painted'));
      await page.waitForFunction(`document.documentElement.dataset.searchReady === '1'`, null, { timeout: 30_000 });
      bytes.push(await downloaded());
      requests.push(urls.filter((u) => u.includes('/search-index/')).length);
      for (const [k, v] of Object.entries(await marksOf(page))) (phaseMarks[k] ??= []).push(v);
      await context.close();
    }
    out.chromiumFirstResultMs = round(pct(firsts, 50), 0);
    out.chromiumFirstResultMinMs = round(Math.min(...firsts), 0);
    out.chromiumFirstResultMaxMs = round(Math.max(...firsts), 0);
    out.chromiumFirstResultLoads = firsts.length;
    out.chromiumDeepLinkGzipP50 = pct(bytes, 50);
    out.chromiumDeepLinkGzipMax = Math.max(...bytes);
    out.chromiumDeepLinkIndexRequestsP50 = pct(requests, 50);
    for (const k of PHASES) if (phaseMarks[k]) out[`chromiumAt_${k.replace('~', '')}Ms`] = round(pct(phaseMarks[k], 50), 0);

    // 2. A first query typed on /search/ in a fresh browser (80 ms a key): all it downloaded
    //    (page, scripts, manifest, chunks, fragments) once its last keystroke's results are up.
    const typedBytes: number[] = [];
    for (let i = 0; i < Math.min(5, queries.length); i++) {
      const { context, page, downloaded } = await fresh();
      await page.goto(`${served.url}search/`);
      await page.locator('#site-search').pressSequentially(queries[i], { delay: 80 });
      // Settled: nothing changed on the page for 500 ms.
      await page.waitForFunction('performance.now() - window.__nf.changed > 500', null, { timeout: 30_000, polling: 100 });
      typedBytes.push(await downloaded());
      await context.close();
    }
    out.chromiumTypedQueryGzipP50 = pct(typedBytes, 50);
    out.chromiumTypedQueryGzipMax = Math.max(...typedBytes);

    // 3. First keystroke on a page without search (the home page): the first focus starts
    //    loading the search code and manifest; keydown -> first suggestion painted.
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

    // 4. Keystroke -> rendered result while typing, 25 ms between keys: chunk and fragment
    //    fetches included (each query's words are new to the page).
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
      await page.waitForTimeout(100);
    }
    const lat: number[] = await page.evaluate('window.__nf.lat');
    await context.close();
    // Every sample, for pooling runs (paired A/B on a loaded machine).
    if (process.env.NEWSFOLD_SEARCH_BENCH_RAW) {
      await writeFile(process.env.NEWSFOLD_SEARCH_BENCH_RAW, JSON.stringify({ firstResult: firsts, keystrokes: lat, deepLinkBytes: bytes, typedBytes }));
    }
    out.chromiumKeystrokeToRenderP50Ms = round(pct(lat, 50), 1);
    out.chromiumKeystrokeToRenderP95Ms = round(pct(lat, 95), 1);
    out.chromiumKeystrokes = lat.length;
    return out;
  } finally {
    await browser.close();
    await served.close();
  }
}

/** Titles of a built site's stories and articles, from its fragments (for queries on its own index). */
async function siteTitles(dist: string, limit = 3000): Promise<string[]> {
  const dir = path.join(dist, 'search-index/r');
  const names = (await readdir(dir)).sort().slice(0, limit);
  const out: string[] = [];
  for (const n of names) {
    const f = JSON.parse(await readFile(path.join(dir, n), 'utf8')) as StoryFragment;
    out.push(f.t, ...f.a.map((a) => a[1] || f.t));
  }
  return out;
}

export async function benchSearch(opts: SearchBenchOptions): Promise<Record<string, number>> {
  let t = performance.now();
  const input = await benchInput(opts.articles, opts.seed, opts.reuseInput);
  const corpusMs = performance.now() - t;
  const load = os.loadavg()[0];
  t = performance.now();
  const records = buildSearchRecords(input);
  const recordsMs = performance.now() - t;
  t = performance.now();
  const files = chunkSearchIndex(records);
  const chunkMs = performance.now() - t;
  const queries = benchQueries(titlesOf(records), opts.queries ?? 40);
  if (opts.site) return { loadAverage: round(load, 1), ...(await measureSite(opts.site, queries)) };
  const figures: Record<string, number> = {
    articles: input.articles.length,
    stories: input.stories.length,
    corpusPrepMs: round(corpusMs, 0),
    indexRecordsMs: round(recordsMs, 0),
    indexChunkMs: round(chunkMs, 0),
    /** One-minute load average when the run started: figures above ~2 (the core count here) mean contention. */
    loadAverage: round(load, 1),
  };
  for (const [k, v] of Object.entries(sizes(files))) figures[`index_${k}`] = v;
  for (const n of [1, 50]) for (const [k, v] of Object.entries(measureUpdate(input, n))) figures[`update${n}_${k}`] = v;
  Object.assign(figures, await measureCompute(files, queries));
  Object.assign(figures, await measureRelevance(records, files, opts.stories ?? 500));
  if (opts.browser !== false) {
    try {
      Object.assign(figures, await measureBrowser(files, queries));
      if (opts.dist && existsSync(path.join(opts.dist, 'search-index/manifest.json'))) {
        // Queries from the site's own index: the bench corpus above is not the site's.
        const siteQueries = benchQueries(await siteTitles(opts.dist), opts.queries ?? 40);
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
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const articles = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 10_000);
  benchSearch({
    articles,
    browser: !process.argv.includes('--no-browser'),
    dist: arg('--dist'),
    site: arg('--site'),
    reuseInput: process.argv.includes('--reuse-input'),
    queries: arg('--queries') ? Number(arg('--queries')) : undefined,
    stories: arg('--stories') ? Number(arg('--stories')) : undefined,
  }).then((f) => console.log(JSON.stringify(f, null, 2)));
}
