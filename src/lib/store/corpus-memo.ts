/**
 * The corpus memo (layout.ts `corpusMemo`) and the output stamp
 * (`outputStamp`): what lets a no-change run skip the corpus-level stages.
 *
 * When the files, the code and the options are exactly those of the last run,
 * and its output is intact on disk, grouping and digests would give the same
 * result (the grouping is a pure function of the articles), so
 * build/ingest-fs.ts reuses it. The memo is committed with the
 * collections (through the content journal), so after a crash the next run
 * has both or neither. Its first line (the head) is enough to decide it
 * applies and to report the run; the second (the body) names the records by
 * key in records.log (record-log.ts) and is read only if someone asks for the
 * records. The output stamp records the stat of every collection file and of
 * records.log as the last run left them, so "intact" needs no reading.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Story } from '../schema.ts';
import type { IngestedArticle, Rejection, Warning } from '../ingest/index.ts';
import { lineDigest } from '../content-digest.ts';
import { sha256 } from './fingerprint.ts';
import { statePath, stateRel } from './layout.ts';
import { recordsOnDemand, recordsStamp } from './record-log.ts';
import { writeFileAtomic } from './write-file.ts';
import { COLLECTION_FOLDERS, scanCollections } from './output-scan.mjs';

export interface MemoSummary {
  articles: number;
  stories: number;
  copies: number;
}

/** The memo's first line: enough to decide it applies and to report a no-change run. */
export interface MemoHead {
  key: string;
  outputHash: string;
  /** Stamp of the per-file cache the run left (a store only appended to or replaced). */
  fileCache: string | null;
  /** Stamp of the record log the body's keys point into (record-log.ts). */
  records: string | null;
  /**
   * Stamp of the grouping index (grouping.log) as this run left it: a drop-in builds on it only if
   * it is still so (saved before the collections, it is ahead of them after a crash in between).
   */
  grouping?: string | null;
  summary: MemoSummary;
  rejected: Rejection[];
  warnings: Warning[];
  /** Articles the overrides hid, and what the overrides did: reported by a no-change run too. */
  hidden: Array<{ id: string; raw: string }>;
  overrides: { applied: string[]; skipped: Array<{ override: string; reason: string }> };
}

/** The memo's second line: the records by key (record-log.ts), the rest as is. */
export interface MemoBody {
  articles: string[];
  stories: string[];
  rejected: Rejection[];
  warnings: Warning[];
}

/** What the memo's records are: the last run's result. */
export interface MemoRecords {
  articles: IngestedArticle[];
  stories: Story[];
  rejected: Rejection[];
  warnings: Warning[];
}

/** The memo as a file of the content commit (relative path, text). */
export function memoFile(head: MemoHead, body: MemoBody): { rel: string; content: string } {
  // The head on the first line, its key first: a no-change run reads only that (see readMemo).
  return { rel: stateRel('corpusMemo'), content: `${JSON.stringify(head)}\n${JSON.stringify(body)}` };
}

/**
 * The last run's memo, if its key is `key` and the collections on disk are
 * still exactly its output. Only the head is parsed here; `records()` parses
 * the records when someone asks for them.
 */
export async function readMemo(content: string, key: string, scan?: OutputScan): Promise<{ head: MemoHead; records: () => MemoRecords } | null> {
  const file = statePath(content, 'corpusMemo');
  let text: string;
  let head: MemoHead;
  try {
    // The key is written first: a memo of other inputs (any drop-in) is not read at all.
    const start = Buffer.alloc(100);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, start, 0, start.length, 0);
    } finally {
      closeSync(fd);
    }
    if (!start.toString('latin1').startsWith(`{"key":${JSON.stringify(key)}`)) return null;
    text = await readFile(file, 'utf8');
    const eol = text.indexOf('\n');
    if (eol < 0) return null;
    head = JSON.parse(text.slice(0, eol)) as MemoHead;
  } catch {
    return null;
  }
  if (head.key !== key || !head.outputHash || !head.summary) return null;
  if (!head.records || recordsStamp(content) !== head.records) return null;
  if (!(await outputsIntact(content, head.outputHash, scan))) return null;
  let records: MemoRecords | null = null;
  const read = (): MemoRecords => {
    if (records) return records;
    const body = JSON.parse(text.slice(text.indexOf('\n') + 1)) as MemoBody;
    // The log's stamp was checked above: a key missing from it is a bug, not damage (it throws).
    const { articles, stories } = recordsOnDemand<IngestedArticle, Story>(content, body.articles, body.stories)();
    records = { articles, stories, rejected: body.rejected, warnings: body.warnings };
    return records;
  };
  return { head, records: read };
}

/**
 * The last complete run's memo head, whatever its key, if its output is
 * exactly as it left it: its output stamp names its output hash, the record
 * log is as it left it, and every collection file's stat is the one it
 * recorded (no file read). A drop-in builds on it (build/drop-in-fs.ts):
 * whatever it does not recompute is that run's.
 */
export async function readLastRun(content: string, scan?: OutputScan): Promise<{ head: MemoHead; records: string; listing: string[] } | null> {
  let head: MemoHead;
  try {
    head = JSON.parse(readHead(statePath(content, 'corpusMemo'))) as MemoHead;
  } catch {
    return null;
  }
  const recorded = await readOutputStamp(content);
  if (!head?.outputHash || !head.records || !recorded?.stamp || recorded.outputHash !== head.outputHash || recorded.records !== head.records) return null;
  if (recordsStamp(content) !== head.records) return null;
  const scanned = await (scan ?? syncScan(content)).result;
  if (scanned.stamp !== recorded.stamp) return null;
  return { head, records: head.records, listing: scanned.names };
}

/**
 * The memo's first line (its head), without reading its body (every record's
 * key: about 8 MB at 100,000 articles); the whole file when it has one line.
 */
function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    for (let pos = 0; ; ) {
      const chunk = Buffer.allocUnsafe(1 << 16);
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      const eol = chunk.subarray(0, n).indexOf(10);
      if (eol >= 0 || n === 0) {
        chunks.push(chunk.subarray(0, eol >= 0 ? eol : n));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(chunk.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

interface OutputStamp {
  outputHash?: string;
  /** `collectionsStamp` of the files as written. */
  stamp?: string;
  /** Stamp of records.log as the run left it. */
  records?: string | null;
}

/** The output stamp the last complete run wrote, or null. */
export async function readOutputStamp(content: string): Promise<OutputStamp | null> {
  return readFile(statePath(content, 'outputStamp'), 'utf8')
    .then((t) => JSON.parse(t) as OutputStamp)
    .catch(() => null);
}

export async function writeOutputStamp(content: string, stamp: { outputHash: string; stamp: string; records: string | null }): Promise<void> {
  await writeFileAtomic(statePath(content, 'outputStamp'), JSON.stringify(stamp));
}

/** One stamp for all collection files, from `<rel>\0<file stamp>` lines (any order): a digest a drop-in updates by difference (content-digest.ts). */
export function collectionsStamp(lines: string[]): string {
  return lineDigest(lines);
}

/**
 * The collections' stat scan (output-scan.mjs), taken once per run: the
 * stamp of every collection file as they are on disk, and their paths.
 */
export interface OutputScan {
  result: Promise<ScanResult>;
}

/** The collections' stamp (`collectionsStamp`, null when a folder cannot be read) and their files' paths. */
interface ScanResult {
  stamp: string | null;
  names: string[];
}

/** The stamp and paths of a scan's `<rel>\0<file stamp>` lines (output-scan.mjs). */
function scanned(lines: string | null): ScanResult {
  if (lines === null) return { stamp: null, names: [] };
  const list = lines ? lines.split('\n') : [];
  return { stamp: collectionsStamp(list), names: list.map((line) => line.slice(0, line.indexOf('\0'))) };
}

/** The scan on this thread, now. */
function syncScan(content: string): OutputScan {
  return { result: Promise.resolve(scanned(scanCollections(content))) };
}

/**
 * Starts the scan of `content`'s collections on a worker thread and returns
 * at once: the ingest lists and stats the drop folder meanwhile (about as
 * many stats at 100,000 articles), so the two passes over the disk overlap
 * instead of following each other. Nothing writes the collections before the
 * scan is read: the run holds the build lock, and the first write
 * (write-fs.ts) comes after the check that reads it (readMemo, readLastRun).
 * When no worker can start, or it fails, the scan is taken on this thread
 * when it is asked for: the same function, the same stamp.
 */
export function startScan(content: string): OutputScan {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./output-scan.mjs', import.meta.url), {
      workerData: { outputScan: content },
      // Plain JavaScript: no loader (tsx) or flags of the parent needed.
      execArgv: [],
    });
  } catch {
    return syncScan(content);
  }
  const result = new Promise<ScanResult>((resolve) => {
    let done = false;
    const fallBack = () => {
      if (done) return;
      done = true;
      resolve(scanned(scanCollections(content)));
    };
    worker.once('message', (msg: { lines?: string | null; error?: string }) => {
      if (done) return;
      if (msg.error !== undefined || msg.lines === undefined) return fallBack();
      done = true;
      // The digest here, on this thread: content-digest.ts is TypeScript (about 30 ms for 120,000 lines).
      resolve(scanned(msg.lines));
    });
    worker.once('error', fallBack);
    worker.once('exit', fallBack);
  });
  return { result };
}

/**
 * True when the collection files on disk are exactly the output `outputHash`
 * names. The stamp answers without reading them; without one (or when it
 * differs), every file is read and hashed, and a match records a fresh stamp.
 */
async function outputsIntact(content: string, outputHash: string, scan: OutputScan | undefined): Promise<boolean> {
  const recorded = await readOutputStamp(content);
  if (recorded?.outputHash === outputHash && recorded.stamp && recorded.stamp === (await (scan ?? syncScan(content)).result).stamp) return true;
  const parts: string[] = [];
  for (const folder of COLLECTION_FOLDERS) {
    const names = await readdir(path.join(content, folder)).catch(() => null);
    if (!names) return false;
    // Synchronous reads: thousands of small files, and an await per file costs more than the read.
    try {
      for (const name of names) parts.push(`${folder}/${name}\0${sha256(readFileSync(path.join(content, folder, name)))}`);
    } catch {
      return false;
    }
  }
  if (lineDigest(parts) !== outputHash) return false;
  // The record log's stamp stays as that run recorded it, so the next drop-in still appends to it.
  // (Scanned again: the files were just read, and the stamp recorded must be theirs.)
  const stamp = scanned(scanCollections(content)).stamp;
  if (stamp) await writeOutputStamp(content, { outputHash, stamp, records: recorded?.outputHash === outputHash ? (recorded.records ?? null) : null });
  return true;
}
