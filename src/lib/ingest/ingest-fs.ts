/**
 * `runIngest`: the ingest with its I/O edges. Reads the drop folder, runs the
 * pure pipeline (answering unchanged files from the per-file cache, cache.ts),
 * writes only the collection files whose bytes changed (write-fs.ts), and the
 * report. The drop folder is only ever read.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { listRawFiles, readRawFile, defaultReadOptions } from './read-fs.ts';
import { articlesFromFile, defaultIngestOptions, ingest, type IngestOptions, type IngestResult } from './pipeline.ts';
import { renderArticle, renderStory } from './render.ts';
import { writeCollections, writeFileAtomic, type OutputFile, type WriteSummary } from './write-fs.ts';
import { sha256, withCache, type CacheStats } from './cache.ts';
import { pipelineFingerprint, readFileCache, writeFileCache } from './cache-fs.ts';
import { readStoryState, statePath } from './story-state-fs.ts';
import { serializeState } from './story-state.ts';
import type { RawFile, Rejection } from './types.ts';
import type { Report } from '../schema.ts';

export interface RunOptions {
  raw: string;
  out: string;
  report?: string;
  ingest?: Partial<IngestOptions>;
  /** Called with progress lines on long runs. */
  log?: (line: string) => void;
  /** Use the per-file cache under `<out>/.newsfold/` (default true). */
  cache?: boolean;
  /** Ignore the story state (`<out>/.newsfold/stories.json`) and group from scratch. */
  recluster?: boolean;
}

export interface RunResult extends IngestResult {
  report: Report;
  /** What changed in the output folder. */
  written: WriteSummary;
  cache: CacheStats;
  /** SHA-256 over every collection file's path and bytes: equal hashes, equal content/. */
  outputHash: string;
}

export async function runIngest(options: RunOptions): Promise<RunResult> {
  const log = options.log ?? (() => {});
  const rawDir = path.resolve(options.raw);
  const outDir = path.resolve(options.out);
  const info = await stat(rawDir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`drop folder not found: ${options.raw}`);
  for (const folder of ['articles', 'stories']) {
    const target = path.join(outDir, folder);
    if (rawDir === target || rawDir.startsWith(target + path.sep) || target.startsWith(rawDir + path.sep)) {
      throw new Error(`output folder ${target} overlaps the drop folder ${rawDir}; choose another --out`);
    }
  }

  const { files: found, rejected: listRejected } = await listRawFiles(rawDir);
  const files: RawFile[] = [];
  const readRejected: Rejection[] = [];
  let done = 0;
  for (const f of found) {
    const r = await readRawFile(f, defaultReadOptions);
    if ('bytes' in r) files.push(r);
    else readRejected.push(r);
    if (++done % 1000 === 0) log(`read ${done}/${found.length} files`);
  }
  const opts: IngestOptions = { ...defaultIngestOptions, ...options.ingest };
  const useCache = options.cache !== false;
  const pipeline = await pipelineFingerprint(opts);
  const cache = useCache ? await readFileCache(outDir, pipeline) : null;
  const cached = withCache(cache ?? { version: 0, pipeline, entries: {} }, (file) => articlesFromFile(file, opts));
  // Story state: existing articles keep their story and story ids survive rebuilds (story-state.ts).
  const previous = options.recluster ? { state: null, warning: null } : await readStoryState(outDir);
  const result = ingest(files, { ...opts, cluster: { ...opts.cluster, previous: previous.state } }, (file) => cached.run(file));
  if (previous.warning) result.warnings.push({ raw: '.newsfold/stories.json', message: previous.warning });
  const cacheChanged = cached.finish();
  result.rejected.unshift(...listRejected, ...readRejected);
  result.rejected.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));

  const outputs: OutputFile[] = [
    ...result.articles.map((a) => ({ rel: `articles/${a.id}.md`, content: renderArticle(a) })),
    ...result.stories.map((s) => ({ rel: `stories/${s.id}.json`, content: renderStory(s) })),
  ];
  const outputHash = sha256(outputs.map((o) => `${o.rel}\0${sha256(o.content)}`).sort().join('\n'));
  // The story state is committed with the collections it describes, in one
  // transaction: after a crash they can never disagree.
  const state: OutputFile[] = result.state
    ? [{ rel: path.relative(outDir, statePath(outDir)).split(path.sep).join('/'), content: serializeState(result.state) }]
    : [];
  const written = await writeCollections(outDir, ['articles', 'stories'], [...outputs, ...state]);
  // After the collections: a crash in between only costs re-parsing next time.
  if (cache && cacheChanged) await writeFileCache(outDir, cache);

  const report: Report = {
    articles: result.articles.map((a) => ({
      id: a.id,
      raw: a.raw,
      path: `articles/${a.id}.md`,
      title: a.title,
      source: a.source,
      byline: a.byline,
      date: a.date,
      url: a.url,
      story: a.story,
      copyOf: a.copyOf,
      removed: a.removed,
    })),
    stories: result.stories.map((s) => ({ id: s.id, headline: s.headline, articles: s.articles })),
    rejected: result.rejected,
    warnings: result.warnings,
  };
  if (options.report) await writeFileAtomic(path.resolve(options.report), `${JSON.stringify(report, null, 2)}\n`);
  return { ...result, report, written, cache: cached.stats, outputHash };
}
