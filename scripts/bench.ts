/**
 * npm run bench -- [--sizes 1000,10000] [--quick] [--seed 1] [--no-floor] [--out bench/results.json]
 *                  [--corpus year] [--floor] [--drop-ins 3]
 *
 * The whole pipeline at newsroom size, against the floor in the same run:
 *  - a seeded corpus of several outlets retelling each story (scripts/bench/corpus.ts);
 *  - ingest throughput per stage and clustering, in-process, CPU time (scripts/bench/stages.ts);
 *  - our cold full build, warm rebuild and one-article drop-in, with peak memory and dist/ size;
 *    the drop-in is made `--drop-ins` times (each a new article) and its median reported beside
 *    every sample: one run of a few seconds on a shared machine moves by a tenth either way.
 *    The drop-ins of the sizes are interleaved (each size built first, then round by round, the
 *    order alternating), so their ratio is not skewed by the machine's speed drifting in between;
 *  - the floor: bare Astro of the same version rendering the same cleaned Markdown,
 *    one page per story (scripts/bench/floor.ts), cold and warm; our times as ratios to it;
 *  - the search index size, and query latency from scripts/bench/search.ts when present.
 * Prints a table and writes bench/results.json. Everything generated lives in
 * bench/work/ (gitignored).
 *
 * `--corpus year` uses a generated year of news instead (scripts/bench/year.ts,
 * #15): 2025-MM/ folders, 15% undated files, wire copies, follow-ups, late
 * arrivals; it adds a late-news drop-in and the grouping's B-cubed against the
 * generator's labels, and skips the in-process stage timing and (unless
 * `--floor`) the floor. Without ../shared it says so and skips.
 *
 * Builds run one at a time, each mostly on one core, so the bench does not hog
 * a shared machine; ratios taken in the same run are the figures to trust.
 *
 * Size: about 550 lines: the one driver of every bench run (the sizes' phases:
 * prepare, interleaved drop-ins, finish) and its table, so the order in which
 * builds are timed has one home; the measurements themselves are bench/*.ts.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { announceSkip, repoRoot } from './lib/corpus.ts';
import { makeCorpus } from './bench/corpus.ts';
import { makeFloorProject } from './bench/floor.ts';
import { measure, sequence, type Measured } from './bench/measure.ts';
import type { StageFigures } from './bench/stages.ts';
import { makeYear, YearCorpusUnavailable } from './bench/year.ts';
import { dropInLate, dropInLatest, joinedItsStory, scoreContent, type GroupingFigures } from './bench/year-bench.ts';
import { siteFigures, siteRows, type SiteFigures } from './bench/site-pages.ts';

const USAGE = 'usage: npm run bench -- [--sizes 1000,10000] [--quick] [--seed 1] [--no-floor] [--out bench/results.json] [--corpus default|year] [--floor] [--drop-ins 3]';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
/** What `npm run build` runs: the heap guard, which starts the build process with node-flags.mjs's flags from its bundle (bundle-entry.mjs). */
const heapGuard = path.join(repoRoot, 'scripts/heap-guard.mjs');
const astroCli = path.join(repoRoot, 'node_modules/astro/astro.js');

interface Paths {
  root: string;
  raw: string;
  content: string;
  dist: string;
  cache: string;
}

interface BuildFigures {
  ms: number;
  ingestMs: number | null;
  astroMs: number | null;
  peakRss: number | null;
  ok: boolean;
  error?: string;
  /** scripts/build.ts rebuilt only the affected pages (its summary says "partial build"). */
  partial?: boolean;
}

interface SizeResult {
  articles: number;
  corpus: { files: number; stories: number; bytes: number; origin: string; reused: number };
  stages: StageFigures | null;
  stagesPeakRss: number | null;
  builder: string;
  cold: BuildFigures;
  warm: BuildFigures;
  /** The median one-article drop-in (by wall time) of `dropInSamples`. */
  dropIn: BuildFigures;
  /** Wall ms of each one-article drop-in, in the order made. */
  dropInSamples: number[];
  distBytes: number;
  pages: number;
  /** Script elements found on (up to 200 each of) story and article pages. */
  contentPageScripts: number;
  floor: { cold: BuildFigures; warm: BuildFigures; distBytes: number; pages: number } | null;
  ratios: Record<string, number | null>;
  search: Record<string, unknown>;
  /** --corpus year only. */
  year?: { lateDropIn: BuildFigures; grouping: GroupingFigures | null; latestJoined: boolean | null; lateJoined: boolean | null };
  /** Page weight and reachability of the cold build's site (#16). */
  site: SiteFigures | null;
}

/** Script elements (other than JSON-LD data) on story and article pages: the target is none. */
async function contentPageScripts(dist: string): Promise<number> {
  let count = 0;
  for (const section of ['articles', 'stories']) {
    const dirs = (await readdir(path.join(dist, section)).catch(() => [] as string[])).sort().slice(0, 200);
    for (const d of dirs) {
      const html = await readFile(path.join(dist, section, d, 'index.html'), 'utf8').catch(() => '');
      count += (html.match(/<script(?![^>]*application\/ld\+json)[^>]*>/g) ?? []).length;
    }
  }
  return count;
}

async function dirSize(dir: string): Promise<{ bytes: number; pages: number }> {
  let bytes = 0;
  let pages = 0;
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        bytes += (await stat(p)).size;
        if (e.name.endsWith('.html')) pages++;
      }
    }
  };
  await walk(dir);
  return { bytes, pages };
}

function toBuild(m: Measured, ingest: Measured | null, astro: Measured | null): BuildFigures {
  return { ms: m.ms, ingestMs: ingest?.ms ?? null, astroMs: astro?.ms ?? null, peakRss: m.peakRss, ok: m.ok, ...(m.error ? { error: m.error } : {}) };
}

/**
 * Our full build: `scripts/build.ts` (the incremental, atomic build) when it is
 * there and accepts these flags, else the ingest followed by `astro build`.
 */
async function ourBuild(p: Paths, state: { builder: string | null }): Promise<BuildFigures> {
  const env = { NEWSFOLD_CONTENT: p.content, NEWSFOLD_OUT: p.dist, NEWSFOLD_CACHE: p.cache };
  if (state.builder !== 'ingest+astro' && existsSync(path.join(repoRoot, 'scripts/build.ts'))) {
    // As `npm run build` runs it (without npm's own process): the heap guard and the build process it starts.
    const m = await measure(process.execPath, [heapGuard, 'scripts/build.ts', '--raw', p.raw, '--content', p.content, '--dist', p.dist, '--cache', p.cache, '--quiet'], {
      cwd: repoRoot,
      env,
    });
    if (m.ok || state.builder === 'scripts/build.ts') {
      state.builder = 'scripts/build.ts';
      // Its summary line splits the time: "... (ingest N ms, astro M ms)".
      const split = m.stdout.match(/ingest (\d+) ms, astro (\d+) ms/);
      const b = toBuild(m, null, null);
      if (split) [b.ingestMs, b.astroMs] = [Number(split[1]), Number(split[2])];
      b.partial = /partial build/.test(m.stdout);
      return b;
    }
    console.error(`  scripts/build.ts failed (${m.error?.split('\n').pop()}); using ingest + astro build`);
  }
  state.builder = 'ingest+astro';
  const ingest = await measure(tsx, ['scripts/ingest.ts', '--raw', p.raw, '--out', p.content, '--quiet'], { cwd: repoRoot });
  if (!ingest.ok) return toBuild(ingest, ingest, null);
  const astro = await measure(process.execPath, [astroCli, 'build', '--silent'], { cwd: repoRoot, env });
  return toBuild(sequence([ingest, astro]), ingest, astro);
}

async function floorBuild(project: string, p: Paths, dist: string, cache: string): Promise<BuildFigures> {
  const m = await measure(process.execPath, [astroCli, 'build', '--silent'], {
    cwd: project,
    env: { FLOOR_CONTENT: p.content, FLOOR_OUT: dist, FLOOR_CACHE: cache },
  });
  return toBuild(m, null, m);
}

/** A new outlet's take on an existing story, dropped into the folder. Deterministic. */
async function dropInArticle(raw: string, seed: number): Promise<string> {
  const names = (await readdir(raw)).filter((n) => n.endsWith('.md')).sort();
  const source = names[seed % names.length];
  const text = await readFile(path.join(raw, source), 'utf8');
  const [, front, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/) ?? [];
  const paragraphs = (body ?? text).split(/\n\s*\n/).filter((x) => x.trim());
  const changed = [...paragraphs.slice(1), paragraphs[0]].join('\n\n');
  const name = `zz-drop-in-${seed}.md`;
  const matter = (front ?? '').replace(/^source: .*$/m, 'source: "Drop-in Desk"').replace(/^url: .*$/m, '');
  await writeFile(path.join(raw, name), `---\n${matter}\n---\n\n${changed}\n`);
  return name;
}

async function searchFigures(p: Paths, articles: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  // The chunked index (search-index/): a reader downloads the manifest and the few files a query needs.
  const index = path.join(p.dist, 'search-index');
  if (existsSync(path.join(index, 'manifest.json'))) {
    const manifest = await readFile(path.join(index, 'manifest.json'));
    out.indexFiles = (await readdir(index, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    out.indexBytes = (await dirSize(index)).bytes;
    out.manifestBytes = manifest.length;
    out.manifestGzipBytes = gzipSync(manifest).length;
  }
  const module = path.join(repoRoot, 'scripts/bench/search.ts');
  if (!existsSync(module)) {
    out.query = 'not available';
    return out;
  }
  try {
    const mod = (await import(module)) as { benchSearch?: (o: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown> };
    if (typeof mod.benchSearch !== 'function') {
      out.query = 'not available';
      return out;
    }
    Object.assign(out, await mod.benchSearch({ articles, dist: p.dist, content: p.content }));
  } catch (err) {
    out.query = `failed: ${(err as Error).message}`;
  }
  return out;
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Math.round((a / b) * 100) / 100 : null);

/** The sample of median wall time (the lower middle one of an even count). */
function median(samples: BuildFigures[]): BuildFigures {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** One size between its phases: made and built cold, waiting for its drop-ins (see main: they are interleaved across sizes). */
interface SizeRun {
  n: number;
  p: Paths;
  opts: SizeOptions;
  log: (s: string) => void;
  labelsFile: string;
  year: Awaited<ReturnType<typeof makeYear>> | null;
  corpus: SizeResult['corpus'];
  st: Measured | null;
  stages: StageFigures | null;
  state: { builder: string | null };
  cold: BuildFigures;
  grouping: GroupingFigures | null;
  distBytes: number;
  pages: number;
  scripts: number;
  floorContent: string;
  search: Record<string, unknown>;
  site: SiteFigures | null;
  warm: BuildFigures;
  samples: BuildFigures[];
  joins: Array<boolean | null>;
}

interface SizeOptions {
  seed: number;
  floor: boolean;
  work: string;
  year: boolean;
  dropIns: number;
}

/** Generates a size's corpus and makes its cold build and warm rebuild; a failed cold build ends the size there. */
async function prepareSize(n: number, opts: SizeOptions): Promise<SizeRun | SizeResult> {
  const root = path.join(opts.work, String(n));
  const p: Paths = { root, raw: path.join(root, 'raw'), content: path.join(root, 'content'), dist: path.join(root, 'dist'), cache: path.join(root, 'cache') };
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const log = (s: string) => console.error(`[${n}] ${s}`);

  log('generating corpus');
  const labelsFile = path.join(root, 'labels.json');
  const year = opts.year ? await makeYear({ articles: n, seed: opts.seed, outDir: p.raw, labelsFile }) : null;
  const made = year
    ? { files: year.files, stories: year.stories, bytes: year.bytes, origin: 'year' as const, reused: 0 }
    : await makeCorpus({ articles: n, seed: opts.seed, outDir: p.raw });
  const corpus = { files: made.files, stories: made.stories, bytes: made.bytes, origin: made.origin, reused: made.reused };
  if (year) log(`year: ${year.files} files, ${year.stories} stories, ${year.undated} undated, ${year.wireCopies} wire copies, ${year.followUps} follow-ups, ${year.late} late`);

  // The year corpus lives in month folders, and its size is what the stage timing cannot hold in one process.
  let st: Measured | null = null;
  if (!year) {
    log('timing ingest stages in-process');
    st = await measure(tsx, ['scripts/bench/stages.ts', p.raw], { cwd: repoRoot });
    if (!st.ok) log(`stage timing failed:\n${st.error}`);
  }
  const stages = st?.ok ? (JSON.parse(st.stdout.trim().split('\n').pop()!) as StageFigures) : null;

  const state = { builder: null as string | null };
  log('cold build');
  const cold = await ourBuild(p, state);
  if (!cold.ok) log(`cold build failed:\n${cold.error}`);
  const grouping = year && cold.ok ? scoreContent(p.content, labelsFile) : null;
  if (grouping) log(`grouping B-cubed F1 ${grouping.f1.toFixed(3)} (P ${grouping.precision.toFixed(3)}, R ${grouping.recall.toFixed(3)})`);
  const { bytes: distBytes, pages } = await dirSize(p.dist);
  const scripts = await contentPageScripts(p.dist);
  // The floor renders exactly the cleaned Markdown of this build.
  const floorContent = path.join(root, 'floor-content');
  if (opts.floor) await cp(p.content, floorContent, { recursive: true });
  const search = await searchFigures(p, n);
  const site = cold.ok ? await siteFigures(p.dist).catch(() => null) : null;
  // After a failed cold build every later build is that cold build again: report them as not run.
  if (!cold.ok) return failedSize(n, corpus, stages, st?.peakRss ?? null, state.builder, cold, search);
  log('warm rebuild (no change)');
  const warm = await ourBuild(p, state);
  return { n, p, opts, log, labelsFile, year, corpus, st, stages, state, cold, grouping, distBytes, pages, scripts, floorContent, search, site, warm, samples: [], joins: [] };
}

/** The i-th one-article drop-in of a size: each a new article, the median is the figure. */
async function dropInOnce(run: SizeRun, i: number): Promise<void> {
  const { p, year, opts } = run;
  run.log(`one-article drop-in ${i + 1} of ${opts.dropIns}`);
  const latest = year ? dropInLatest(p.raw, year.lastDay, i) : null;
  if (!year) await dropInArticle(p.raw, opts.seed + i);
  const sample = await ourBuild(p, run.state);
  run.samples.push(sample);
  if (latest) run.joins.push(sample.ok ? joinedItsStory(p.content, latest) : null);
}

/** After its drop-ins: a size's late-news drop-in (year), its floor, and its figures. */
async function finishSize(run: SizeRun): Promise<SizeResult> {
  const { n, p, opts, log, year, corpus, st, stages, state, cold, grouping, distBytes, pages, scripts, floorContent, search, site, warm, samples, joins } = run;
  const dropIn = median(samples);
  // Every one of them must join its story: no when one did not, unknown when one could not be told.
  const latestJoined = joins.includes(false) ? false : joins.length && joins.every((j) => j === true) ? true : null;
  let yearFigures: SizeResult['year'];
  if (year) {
    log(`late-news drop-in (an article dated months back, filed in the latest month)`);
    const late = dropInLate(p.raw, year.lastDay);
    const lateDropIn = await ourBuild(p, state);
    const lateJoined = lateDropIn.ok ? joinedItsStory(p.content, late) : null;
    yearFigures = { lateDropIn, grouping, latestJoined, lateJoined };
  }

  let floor: SizeResult['floor'] = null;
  if (opts.floor) {
    const project = await makeFloorProject(path.join(p.root, 'floor'));
    const fp = { ...p, content: floorContent };
    const fdist = path.join(p.root, 'floor-dist');
    const fcache = path.join(p.root, 'floor-cache');
    log('floor: cold build');
    const fcold = await floorBuild(project, fp, fdist, fcache);
    if (!fcold.ok) log(`floor build failed:\n${fcold.error}`);
    log('floor: warm rebuild');
    const fwarm = await floorBuild(project, fp, fdist, fcache);
    const fsize = await dirSize(fdist);
    floor = { cold: fcold, warm: fwarm, distBytes: fsize.bytes, pages: fsize.pages };
  }
  const ratios = {
    cold: ratio(cold.ms, floor?.cold.ms),
    coldAstroOnly: ratio(cold.astroMs, floor?.cold.ms),
    warm: ratio(warm.ms, floor?.warm.ms),
    dropIn: ratio(dropIn.ms, floor?.warm.ms),
    peakRss: ratio(Math.max(cold.peakRss ?? 0, warm.peakRss ?? 0, dropIn.peakRss ?? 0), floor?.cold.peakRss),
    distBytes: ratio(distBytes, floor?.distBytes),
  };
  return {
    articles: n,
    corpus,
    stages,
    stagesPeakRss: st?.peakRss ?? null,
    builder: state.builder ?? 'none',
    cold,
    warm,
    dropIn,
    dropInSamples: samples.map((b) => b.ms),
    distBytes,
    pages,
    contentPageScripts: scripts,
    floor,
    ratios,
    search,
    site,
    ...(yearFigures ? { year: yearFigures } : {}),
  };
}

function failedSize(n: number, corpus: SizeResult['corpus'], stages: StageFigures | null, stagesPeakRss: number | null, builder: string | null, cold: BuildFigures, search: SizeResult['search']): SizeResult {
  const notRun: BuildFigures = { ms: 0, ingestMs: null, astroMs: null, peakRss: null, ok: false, error: 'not run: the cold build failed' };
  return {
    articles: n,
    corpus,
    stages,
    stagesPeakRss,
    builder: builder ?? 'none',
    cold,
    warm: notRun,
    dropIn: notRun,
    dropInSamples: [],
    distBytes: 0,
    pages: 0,
    contentPageScripts: 0,
    floor: null,
    ratios: {},
    search,
    site: null,
  };
}

// ---------------------------------------------------------------------------
// Output

const s = (ms: number | null | undefined) => (ms == null ? '–' : `${(ms / 1000).toFixed(1)} s`);
const mb = (b: number | null | undefined) => (b == null ? '–' : `${Math.round(b / 1024 / 1024)} MB`);
const x = (r: number | null | undefined) => (r == null ? '–' : `${r.toFixed(2)}x`);
const yn = (b: boolean | null | undefined) => (b == null ? '–' : b ? 'yes' : 'no');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

export function formatResults(results: SizeResult[]): string {
  const head = ['', ...results.flatMap((r) => [`ours ${r.articles}`, `floor ${r.articles}`, 'ratio'])];
  const row = (label: string, f: (r: SizeResult) => [string, string, string]) => [label, ...results.flatMap(f)];
  const build = [
    head,
    row('cold build', (r) => [s(r.cold.ms), s(r.floor?.cold.ms), x(r.ratios.cold)]),
    row('  of which astro build', (r) => [s(r.cold.astroMs), s(r.floor?.cold.ms), x(r.ratios.coldAstroOnly)]),
    row('  of which ingest', (r) => [s(r.cold.ingestMs), '', '']),
    row('warm rebuild (no change)', (r) => [s(r.warm.ms), s(r.floor?.warm.ms), x(r.ratios.warm)]),
    row(`one-article drop-in${results.some((r) => r.dropIn.partial) ? ' (partial)' : ''}, median`, (r) => [s(r.dropIn.ms), s(r.floor?.warm.ms), x(r.ratios.dropIn)]),
    row('  each drop-in', (r) => [r.dropInSamples.map((ms) => (ms / 1000).toFixed(1)).join(' / ') || '–', '', '']),
    row('  of which astro (drop-in)', (r) => [s(r.dropIn.astroMs), '', '']),
    row('  of which ingest (drop-in)', (r) => [s(r.dropIn.ingestMs), '', '']),
    ...(results.some((r) => r.year)
      ? [
          row(`late-news drop-in${results.some((r) => r.year?.lateDropIn.partial) ? ' (partial)' : ''}`, (r) => [s(r.year?.lateDropIn.ms), '', '']),
          row('  of which ingest (late news)', (r) => [s(r.year?.lateDropIn.ingestMs), '', '']),
          row('  drop-ins joined their story (latest, late)', (r) => [`${yn(r.year?.latestJoined)}, ${yn(r.year?.lateJoined)}`, '', '']),
          row('grouping B-cubed F1 (P / R)', (r) => [r.year?.grouping ? `${r.year.grouping.f1.toFixed(3)} (${r.year.grouping.precision.toFixed(3)} / ${r.year.grouping.recall.toFixed(3)})` : '–', '', '']),
        ]
      : []),
    row('peak memory', (r) => [mb(Math.max(r.cold.peakRss ?? 0, r.warm.peakRss ?? 0, r.dropIn.peakRss ?? 0)), mb(r.floor?.cold.peakRss), x(r.ratios.peakRss)]),
    row('dist/ size', (r) => [mb(r.distBytes), mb(r.floor?.distBytes), x(r.ratios.distBytes)]),
    row('pages', (r) => [String(r.pages), String(r.floor?.pages ?? '–'), '']),
    row('scripts on content pages', (r) => [String(r.contentPageScripts), '', '']),
  ];
  const stageRows = [['ingest stage (one core, CPU time)', ...results.flatMap((r) => [`${r.articles}: ms`, 'per s'])]];
  for (const k of ['decode', 'parse', 'clean', 'dedupe', 'metadata', 'cluster', 'digest'] as const) {
    stageRows.push([k, ...results.flatMap((r) => [String(r.stages?.ms[k] ?? '–'), String(r.stages?.perSecond[k] ?? '–')])]);
  }
  stageRows.push(['clean+dedupe+metadata', ...results.flatMap((r) => ['', String(r.stages?.cleanMetadataPerSecond ?? '–')])]);
  stageRows.push(['clustering peak memory', ...results.flatMap((r) => [mb(r.stages?.clusterPeakRss), ''])]);
  const searchRows = [['search', ...results.map((r) => String(r.articles))]];
  const keys = [...new Set(results.flatMap((r) => Object.keys(r.search)))];
  for (const k of keys) searchRows.push([k, ...results.map((r) => String(r.search[k] ?? '–'))]);
  const notes = results.map((r) => `${r.articles}: ${r.corpus.files} files, ${r.corpus.stories} seed stories (${r.corpus.origin}), builder ${r.builder}`);
  return [table(build), '', table(stageRows), '', table(searchRows), '', table(siteRows(results)), '', ...notes].join('\n');
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sizes: { type: 'string' },
        quick: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        'no-floor': { type: 'boolean', default: false },
        floor: { type: 'boolean', default: false },
        corpus: { type: 'string', default: 'default' },
        out: { type: 'string', default: 'bench/results.json' },
        'drop-ins': { type: 'string', default: '3' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const sizes = (values.sizes ?? (values.quick ? '1000' : '1000,10000')).split(',').map((v) => Number(v.trim()));
  if (sizes.some((v) => !Number.isInteger(v) || v < 1)) {
    console.error(`--sizes takes positive integers, e.g. 1000,10000\n${USAGE}`);
    return 2;
  }
  const seed = Number(values.seed);
  const dropIns = Number(values['drop-ins']);
  if (!Number.isInteger(dropIns) || dropIns < 1) {
    console.error(`--drop-ins takes a positive integer, e.g. 3\n${USAGE}`);
    return 2;
  }
  if (values.corpus !== 'default' && values.corpus !== 'year') {
    console.error(`--corpus takes default or year\n${USAGE}`);
    return 2;
  }
  const yearCorpus = values.corpus === 'year';
  // The floor renders every page of the corpus in one Astro process: off by default at year size.
  const floor = values.floor || (!values['no-floor'] && !yearCorpus);
  const work = path.join(repoRoot, 'bench/work');
  const started = Date.now();
  const results: SizeResult[] = [];
  const save = async () => {
    const out = summary();
    await mkdir(path.dirname(path.resolve(values.out!)), { recursive: true });
    await writeFile(path.resolve(values.out!), `${JSON.stringify(out, null, 2)}\n`);
    return out;
  };
  const summary = () => ({
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, memBytes: os.totalmem(), node: process.version, loadavg: os.loadavg() },
    seed,
    sizes,
    growth: results.length > 1 ? ratio(results[results.length - 1].cold.ms, results[0].cold.ms) : null,
    dropInGrowth: results.length > 1 ? ratio(results[results.length - 1].dropIn.ms, results[0].dropIn.ms) : null,
    /** The drop-in ratio of each interleaved round (largest size's sample / smallest's), beside the ratio of medians. */
    dropInRoundRatios: results.length > 1 ? results[results.length - 1].dropInSamples.map((ms, i) => ratio(ms, results[0].dropInSamples[i])) : [],
    totalMs: Date.now() - started,
    results,
  });
  // Each size is made and built cold in turn; then the one-article drop-ins are interleaved across
  // the sizes (round i: smallest first when i is even, largest first when odd), so a drift of the
  // machine's speed during the run falls on every size alike and the drop-in ratio compares like with
  // like; then each size's late-news drop-in and floor. Results are written after each size
  // finishes, so a long run that is stopped still leaves its figures.
  const runs: SizeRun[] = [];
  for (const n of sizes) {
    try {
      const made = await prepareSize(n, { seed, floor, work, year: yearCorpus, dropIns });
      if ('n' in made) runs.push(made);
      else results.push(made);
    } catch (err) {
      if (!(err instanceof YearCorpusUnavailable)) throw err;
      announceSkip(`bench --corpus year (${err.message})`);
      return 0;
    }
  }
  for (let i = 0; i < dropIns; i++) {
    for (const run of i % 2 === 0 ? runs : [...runs].reverse()) await dropInOnce(run, i);
  }
  for (const run of runs) {
    results.push(await finishSize(run));
    results.sort((a, b) => a.articles - b.articles);
    await save();
    if (run !== runs[runs.length - 1]) console.error(formatResults(results));
  }
  const out = await save();
  console.log(formatResults(results));
  if (out.growth !== null) console.log(`cold build growth ${sizes[sizes.length - 1]}/${sizes[0]}: ${out.growth}x`);
  if (out.dropInGrowth !== null) {
    const rounds = out.dropInRoundRatios.map((r) => (r == null ? '–' : `${r.toFixed(2)}x`)).join(' / ');
    console.log(`one-article drop-in growth (medians) ${sizes[sizes.length - 1]}/${sizes[0]}: ${out.dropInGrowth}x (each interleaved round: ${rounds})`);
  }
  console.log(`wrote ${path.relative(process.cwd(), path.resolve(values.out!))} in ${Math.round(out.totalMs / 1000)} s`);
  return results.every((r) => r.cold.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
