/**
 * What opening a big store costs (store/log-store.ts, #15): for each store file
 * given, on a copy of it (the file itself is never written), each in its own
 * process: the wall and CPU time of `LogStore.open`, the memory held after it
 * (RSS, JS heap, buffers, after a full GC), 100 `get`s of random keys, one `get`
 * of every key in the store's order (a drop-in's file cache reads all of its
 * entries), one `put` + `save` (a drop-in: appended), and a compaction to every
 * other key (a run that used half the entries), with the process's peak RSS.
 *
 *   node --expose-gc --import tsx scripts/bench/store-open.ts [--work /tmp/store-open] <store.log>...
 *
 * e.g. on the stores of a generated year (scripts/bench/year-ingest.ts) under
 * <content>/.newsfold/. The copy is made before the clock starts, so the file
 * is in the page cache, as it is for a drop-in that follows a build; write down
 * `uptime` beside the figures, the machine is shared.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LogStore, type StoreHeader } from '../../src/lib/store/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { work: { type: 'string', default: '/tmp/store-open' }, one: { type: 'boolean', default: false } },
});

interface Figures {
  file: string;
  mb: number;
  keys: number;
  openMs: number;
  openCpuMs: number;
  rssMB: number;
  heapMB: number;
  buffersMB: number;
  get100Ms: number;
  getAllMs: number;
  getAllCpuMs: number;
  putSaveMs: number;
  appendedBytes: number;
  compactMs: number;
  compactCpuMs: number;
  peakRssMB: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / 1000);
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** The store's header line, as the file has it (the bench opens each file as its own writer would). */
function headerOf(file: string): StoreHeader {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return JSON.parse(buf.toString('utf8', 0, n).split('\n')[0]) as StoreHeader;
}

/** mulberry32: the same random keys before and after a change. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function measureOne(source: string, work: string): Promise<Figures> {
  mkdirSync(work, { recursive: true });
  const file = path.join(work, path.basename(source));
  copyFileSync(source, file);
  const header = headerOf(file);
  gc();
  let t = performance.now();
  let cpu = process.cpuUsage();
  const store = LogStore.open(file, header, { retain: true });
  const openMs = Math.round(performance.now() - t);
  const openCpuMs = cpuMs(cpu);
  gc();
  const mem = process.memoryUsage();
  const keys = [...store.keys()];
  const next = random(1);
  t = performance.now();
  for (let i = 0; i < 100; i++) {
    const key = keys[Math.floor(next() * keys.length)];
    if (store.get(key, store.hashOf(key)) === undefined) throw new Error(`${file}: no text for ${key}`);
  }
  const get100Ms = performance.now() - t;
  t = performance.now();
  cpu = process.cpuUsage();
  for (const key of keys) store.get(key, store.hashOf(key));
  const getAllMs = performance.now() - t;
  const getAllCpuMs = cpuMs(cpu);
  const before = statSync(file).size;
  t = performance.now();
  store.put(`bench-${process.pid}`, 'x'.repeat(2000));
  await store.save();
  const putSaveMs = performance.now() - t;
  const appendedBytes = statSync(file).size - before;
  (store as { close?: () => void }).close?.();
  // A run that used every other entry: the store compacts to them.
  const half = LogStore.open(file, header);
  let i = 0;
  for (const key of half.keys()) if (i++ % 2 === 0) half.get(key);
  t = performance.now();
  cpu = process.cpuUsage();
  await half.save();
  const compactMs = Math.round(performance.now() - t);
  const compactCpuMs = cpuMs(cpu);
  (half as { close?: () => void }).close?.();
  rmSync(file, { force: true });
  return {
    file: path.basename(source),
    mb: mb(before),
    keys: keys.length,
    openMs,
    openCpuMs,
    rssMB: mb(mem.rss),
    heapMB: mb(mem.heapUsed),
    buffersMB: mb(mem.external + mem.arrayBuffers),
    get100Ms: Math.round(get100Ms * 10) / 10,
    getAllMs: Math.round(getAllMs),
    getAllCpuMs,
    putSaveMs: Math.round(putSaveMs * 10) / 10,
    appendedBytes,
    compactMs,
    compactCpuMs,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (values.one) {
  console.log(JSON.stringify(await measureOne(positionals[0], values.work!)));
} else {
  if (!positionals.length) throw new Error('usage: store-open.ts [--work DIR] <store.log>...');
  const rows: Figures[] = [];
  for (const file of positionals) {
    // One process per file: its memory figures are its own.
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--one', '--work', values.work!, path.resolve(file)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`${file}: ${child.stderr.slice(-2000)}`);
    rows.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures);
    console.error(JSON.stringify(rows.at(-1)));
  }
  const cols = Object.keys(rows[0]) as Array<keyof Figures>;
  console.log(cols.join('\t'));
  for (const row of rows) console.log(cols.map((c) => row[c]).join('\t'));
}
