/**
 * The records of the last run (every article and story, as JSON), kept for a
 * no-change run that is asked for them (RunResult.articles/stories/report,
 * build/ingest-fs.ts): layout.ts `records`, entries under the records' hashes
 * (render-cache.ts `recordKey`). The corpus memo lists the keys in order
 * instead of holding the records themselves, so a drop-in appends its few new
 * records instead of writing 34 MB of JSON at 10,000 articles.
 *
 * The one variant of the store (log-store.ts): the same file format, but a
 * run never reads it to save it. Opening it as a store reads and splits every
 * line, 150-200 ms of CPU at 10,000 articles (measured on the bench corpus),
 * on every drop-in, for entries the run already knows: the render cache names
 * the record of every file the last run wrote. So appending is trusted only
 * when the file is exactly as the last complete run left it (its stamp,
 * recorded in the output stamp): then every key the render cache names is in
 * it. Otherwise, or when dead records make up half of it, the file is
 * rewritten with this run's records. Readers check the stamp too (the memo
 * records it), so a damaged file is never read as records. A key is the hash
 * of its record, so entries never go stale and the header names no code.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { fileStamp, stampOf } from './fingerprint.ts';
import { STORES, statePath } from './layout.ts';
import { entryLine, headerLine, LogStore, scanEntries } from './log-store.ts';

const HEADER = headerLine({ store: STORES.records.file, version: STORES.records.version, code: '' });

export const recordsPath = (content: string) => statePath(content, 'records');

export function recordsStamp(content: string): string | null {
  return fileStamp(recordsPath(content));
}

/** A run's records, written to the log as they are made (`openRecordSink`). */
export interface RecordSink {
  /** One record: its key (render-cache.ts `recordKey`) and JSON. Synchronous: called once per file. */
  add(key: string, json: string): void;
  /** Finishes the file (and compacts it when mostly dead); returns its stamp. */
  close(): Promise<string | null>;
  /** Stops without finishing (the run failed): a file being written afresh is removed; the log keeps its bytes. */
  abort(): void;
  /** Runs `fill` (the calls to `add`), aborting if it throws. */
  guard<T>(fill: () => T): T;
}

/**
 * Flushed to the file once this many bytes of lines are waiting: a few MB at a time, so the
 * records of a cold build (about 430 MB of JSON at 100,000 articles) are never held whole.
 */
const SINK_BLOCK_BYTES = 1 << 22;

/** Lines written to `fd` a block (SINK_BLOCK_BYTES) at a time. */
class LineWriter {
  private waiting: string[] = [];
  private bytes = 0;

  constructor(private readonly fd: number) {}

  push(line: string): void {
    this.waiting.push(line);
    this.bytes += line.length;
    if (this.bytes >= SINK_BLOCK_BYTES) this.flush();
  }

  flush(): void {
    if (this.waiting.length) writeAll(this.fd, this.waiting.join(''));
    this.waiting = [];
    this.bytes = 0;
  }
}

/**
 * The record log written as a stream (issue #15: a cold build of 100,000 articles held every record's
 * JSON, then the same again as the log's lines and as one joined string and its bytes, at
 * its peak memory). `known`: keys already in the file, valid only if its stamp is `trusted`. When
 * the file is as the last complete run left it, the records not in it are appended; else the file is written afresh
 * (beside it, then renamed over it) with this run's records, in the order they come (the
 * run's own order, a function of its inputs: equal runs give equal bytes). Whether an
 * appended file is mostly dead is known only at the end, when every record has been seen:
 * then it is compacted, reading the live entries back from the file a block at a time
 * (log-store.ts), which holds the same records as a rewrite would have written.
 */
export function openRecordSink(content: string, known: Set<string>, trusted: string | null): RecordSink {
  const file = recordsPath(content);
  const s = statSync(file, { throwIfNoEntry: false });
  const appending = !!(s && trusted && stampOf(s) === trusted);
  const oldSize = s?.size ?? 0;
  const tmp = `${file}.tmp-${process.pid}`;
  if (!appending) mkdirSync(path.dirname(file), { recursive: true });
  let fd: number | null = openSync(appending ? file : tmp, appending ? 'a' : 'w');
  const out = new LineWriter(fd);
  if (!appending) out.push(`${HEADER}\n`);
  let live = 0;
  // Every key of this run, in order (for a compaction), and whether it is already written.
  const keys = new Set<string>();
  return {
    add(key, json) {
      live += key.length + json.length + 4;
      if (keys.has(key)) return;
      keys.add(key);
      if (appending && known.has(key)) return;
      out.push(entryLine(key, json));
    },
    async close() {
      try {
        out.flush();
      } finally {
        closeSync(fd!);
        fd = null;
      }
      if (!appending) renameSync(tmp, file);
      else if (oldSize > 2 * live + 1_000_000) compactRecords(file, tmp, keys);
      return recordsStamp(content);
    },
    abort() {
      if (fd !== null) closeSync(fd);
      fd = null;
      if (!appending) rmSync(tmp, { force: true });
    },
    guard(fill) {
      try {
        return fill();
      } catch (err) {
        this.abort();
        throw err;
      }
    },
  };
}

/** Writes `text` at the file's position, looping over short writes. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** Rewrites the log with the entries of `keys` only, in that order, read from it a block at a time. */
function compactRecords(file: string, tmp: string, keys: Set<string>): void {
  const store = LogStore.open(file, { store: STORES.records.file, version: STORES.records.version, code: '' }, { retain: true });
  const fd = openSync(tmp, 'w');
  try {
    const out = new LineWriter(fd);
    out.push(`${HEADER}\n`);
    for (const key of keys) {
      const json = store.get(key);
      if (json === undefined) throw new Error(`a record is missing from ${file}`);
      out.push(entryLine(key, json));
    }
    out.flush();
  } catch (err) {
    closeSync(fd);
    store.close();
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  store.close();
  renameSync(tmp, file);
}

/**
 * Appends the records of `records` ([key, JSON] pairs) not in `known` (the
 * keys the file holds) to the file, which the caller has found as the last
 * complete run left it (its stamp). Returns the file's stamp afterwards. Dead
 * records stay until a full run's sink (`openRecordSink`) rewrites or compacts the file.
 */
export async function appendRecords(content: string, records: Array<[string, string]>, known: Set<string>): Promise<string | null> {
  const lines: string[] = [];
  const fresh = new Set<string>();
  for (const [key, json] of records) {
    if (known.has(key) || fresh.has(key)) continue;
    fresh.add(key);
    lines.push(entryLine(key, json));
  }
  if (lines.length) await appendFile(recordsPath(content), lines.join(''));
  return recordsStamp(content);
}

/** The JSON of each key, in order; null when one is missing or the file is not this version's. */
export function readRecords(content: string, keys: string[]): string[] | null {
  // Synchronous: the memo's records are read on demand, from property getters.
  const text = readFileSync(recordsPath(content), 'utf8');
  const first = text.indexOf('\n');
  if (first < 0 || text.slice(0, first) !== HEADER) return null;
  const wanted = new Set(keys);
  const found = new Map<string, string>();
  scanEntries(text, first + 1, (key, json) => {
    if (wanted.has(key)) found.set(key, json);
  });
  const texts: string[] = [];
  for (const key of keys) {
    const json = found.get(key);
    if (json === undefined) return null;
    texts.push(json);
  }
  return texts;
}

/**
 * A run's article and story records, read back from the log on first use (the memo names them by
 * key): for a run's result that does not hold them (a drop-in, a year's cold build whose site half
 * needs the heap). Throws when one is missing: the log is written before the memo that names it.
 */
export function recordsOnDemand<A, S>(content: string, articleKeys: string[], storyKeys: string[]): () => { articles: A[]; stories: S[] } {
  let all: { articles: A[]; stories: S[] } | null = null;
  const read = <T>(keys: string[]): T[] => {
    const json = readRecords(content, keys);
    if (!json) throw new Error(`a record is missing from ${recordsPath(content)}`);
    return JSON.parse(`[${json.join(',')}]`) as T[];
  };
  return () => (all ??= { articles: read<A>(articleKeys), stories: read<S>(storyKeys) });
}
