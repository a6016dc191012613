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
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Story } from '../schema.ts';
import type { IngestedArticle, Rejection, Warning } from '../ingest/index.ts';
import { lineDigest } from '../content-digest.ts';
import { sha256, stampOf } from './fingerprint.ts';
import { statePath, stateRel } from './layout.ts';
import { recordsOnDemand, recordsStamp } from './record-log.ts';
import { writeFileAtomic } from './write-file.ts';

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
export async function readMemo(content: string, key: string): Promise<{ head: MemoHead; records: () => MemoRecords } | null> {
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
  if (!(await outputsIntact(content, head.outputHash))) return null;
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
export async function readLastRun(content: string): Promise<{ head: MemoHead; records: string } | null> {
  let head: MemoHead;
  try {
    const text = await readFile(statePath(content, 'corpusMemo'), 'utf8');
    const eol = text.indexOf('\n');
    head = JSON.parse(eol < 0 ? text : text.slice(0, eol)) as MemoHead;
  } catch {
    return null;
  }
  const recorded = await readOutputStamp(content);
  if (!head?.outputHash || !head.records || !recorded?.stamp || recorded.outputHash !== head.outputHash || recorded.records !== head.records) return null;
  if (recordsStamp(content) !== head.records) return null;
  if (statStamp(content) !== recorded.stamp) return null;
  return { head, records: head.records };
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

/** The collections' stamp as they are on disk; null when a folder cannot be read. */
function statStamp(content: string): string | null {
  const lines: string[] = [];
  for (const folder of ['articles', 'stories']) {
    let names: string[];
    try {
      names = readdirSync(path.join(content, folder));
    } catch {
      return null;
    }
    for (const name of names) {
      const s = statSync(path.join(content, folder, name), { throwIfNoEntry: false });
      if (!s) return null;
      lines.push(`${folder}/${name}\0${stampOf(s)}`);
    }
  }
  return collectionsStamp(lines);
}

/**
 * True when the collection files on disk are exactly the output `outputHash`
 * names. The stamp answers without reading them; without one (or when it
 * differs), every file is read and hashed, and a match records a fresh stamp.
 */
async function outputsIntact(content: string, outputHash: string): Promise<boolean> {
  const recorded = await readOutputStamp(content);
  if (recorded?.outputHash === outputHash && recorded.stamp && recorded.stamp === statStamp(content)) return true;
  const parts: string[] = [];
  for (const folder of ['articles', 'stories']) {
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
  const stamp = statStamp(content);
  if (stamp) await writeOutputStamp(content, { outputHash, stamp, records: recorded?.outputHash === outputHash ? (recorded.records ?? null) : null });
  return true;
}
