/**
 * The per-file stages on worker threads (build/workers/pool.ts, ingest-worker.mjs): the
 * same records as in-process, file for file, and a whole ingest whose output is
 * byte-identical whatever the thread count. Falls back to in-process when the
 * workers cannot start.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeCorpus } from '../scripts/bench/corpus';
import { runIngest } from '../src/lib/build/ingest-fs';
import { statePath } from '../src/lib/store/layout';
import { listRawFiles, readRawFile } from '../src/lib/build/read-fs';
import { articlesFromFile, defaultIngestOptions } from '../src/lib/ingest/pipeline';
import { IngestPool, ingestThreads, PARALLEL_MIN_FILES } from '../src/lib/build/workers/pool';
import type { IngestOptions } from '../src/lib/ingest/pipeline';
import type { RawFile } from '../src/lib/ingest/types';
import { scratch, snapshot } from './helpers/tree';

let dir: string;
let raw: string;
let files: RawFile[];

beforeAll(async () => {
  dir = await scratch('newsfold-workers-');
  raw = path.join(dir, 'raw');
  await makeCorpus({ articles: 60, seed: 5, outDir: raw });
  files = [];
  for (const f of listRawFiles(raw).files) {
    const r = readRawFile(f);
    if ('bytes' in r) files.push(r);
  }
  return () => rm(dir, { recursive: true, force: true });
}, 120_000);

afterEach(() => {
  delete process.env.NEWSFOLD_INGEST_THREADS;
});

/** Parses `files` on `threads` workers, as the ingest does; an empty map when none could start. */
async function parseOnWorkers(files: RawFile[], options: IngestOptions, threads: number) {
  const pool = IngestPool.start(threads, options);
  if (!pool) return new Map();
  try {
    return await pool.parse(files);
  } finally {
    await pool.close();
  }
}

describe('ingest worker threads', () => {
  it('uses workers only for many files, and can be forced either way', () => {
    expect(ingestThreads(PARALLEL_MIN_FILES - 1, {})).toBe(0);
    expect(ingestThreads(10, { NEWSFOLD_INGEST_THREADS: '1' })).toBe(0);
    expect(ingestThreads(10_000, { NEWSFOLD_INGEST_THREADS: '1' })).toBe(0);
    expect(ingestThreads(10, { NEWSFOLD_INGEST_THREADS: '3' })).toBe(3);
    expect(ingestThreads(2, { NEWSFOLD_INGEST_THREADS: '3' })).toBe(2);
  });

  it('gives each file exactly what articlesFromFile gives in-process', async () => {
    const results = await parseOnWorkers(files, defaultIngestOptions, 2);
    expect([...results.keys()].sort()).toEqual(files.map((f) => f.raw).sort());
    for (const f of files) {
      // As the cache stores them (JSON), worker and in-process records are the same.
      expect(JSON.stringify(results.get(f.raw))).toBe(JSON.stringify(articlesFromFile(f, defaultIngestOptions)));
    }
  }, 120_000);

  it('returns nothing, without throwing, when the workers cannot start', async () => {
    // Options a worker cannot receive (a function is not structured-cloneable).
    const opts = { ...defaultIngestOptions, clean: { nope: () => 1 } as never };
    const results = await parseOnWorkers(files.slice(0, 3), opts, 2);
    expect(results.size).toBe(0);
  });

  it('falls back to in-process when a pool started ahead cannot take the options', async () => {
    process.env.NEWSFOLD_INGEST_THREADS = '2';
    const opts = { clean: { nope: () => 1 } as never };
    const out = path.join(dir, 'out-unsendable');
    const lines: string[] = [];
    const result = await runIngest({ raw, out, ingest: opts, log: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/cannot take these options/);
    expect(result.articles.length).toBeGreaterThan(0);
  }, 120_000);

  it('parses on workers the files the stat index vouches for when the file cache is lost', async () => {
    // Their bytes are read on demand (read-fs.ts LazyRawFile), behind a getter a message does not carry.
    process.env.NEWSFOLD_INGEST_THREADS = '2';
    // The stat index records only files left alone for a while (raw-index.ts RACY_MS): let the corpus settle.
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const out = path.join(dir, 'out-lost-cache');
    await runIngest({ raw, out });
    const before = await snapshot(out, { skipDot: true });
    await rm(statePath(out, 'fileCache'), { force: true });
    await rm(`${statePath(out, 'fileCache')}.keys`, { force: true });
    const lines: string[] = [];
    const again = await runIngest({ raw, out, log: (l) => lines.push(l) });
    expect(again.cache.misses).toBe(files.length);
    expect(lines.join('\n')).toMatch(/worker threads/);
    expect(await snapshot(out, { skipDot: true })).toEqual(before);
  }, 120_000);

  it('writes byte-identical content whatever the thread count', async () => {
    const outputs: Array<Record<string, string>> = [];
    const reports: string[] = [];
    const docCaches: string[] = [];
    for (const threads of ['1', '2', '3']) {
      process.env.NEWSFOLD_INGEST_THREADS = threads;
      const out = path.join(dir, `content-${threads}`);
      const report = path.join(dir, `report-${threads}.json`);
      const result = await runIngest({ raw, out, report });
      expect(result.cache.misses).toBe(files.length);
      outputs.push(await snapshot(out, { skipDot: true }));
      reports.push(await readFile(report, 'utf8'));
      // The grouping state (build/grouping-fs.ts): its index names every article and story
      // (less the parts' file stamps, which are times and inodes).
      const index = await readFile(statePath(out, 'groupingIndex'), 'utf8');
      reports.push(index.split('\n').filter((line) => !line.startsWith('"p:')).join('\n'));
      // What clustering read of each article: from the workers or in-process, the same cache.
      docCaches.push(await readFile(statePath(out, 'docCache'), 'utf8'));
    }
    expect(docCaches[1]).toBe(docCaches[0]);
    expect(docCaches[2]).toBe(docCaches[0]);
    expect(Object.keys(outputs[0]).length).toBeGreaterThan(files.length / 2);
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
    expect(reports[2]).toBe(reports[0]);
    expect(reports[3]).toBe(reports[1]);
    expect(reports[4]).toBe(reports[0]);
    expect(reports[5]).toBe(reports[1]);
  }, 300_000);
});
