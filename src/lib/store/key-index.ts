/**
 * The key index beside a store's log (`<file>.keys`, log-store.ts): where each
 * entry's text is in the log, so opening a store reads this small file instead
 * of scanning the whole log for its line ends.
 *
 * Why: a drop-in at 100,000 articles opens stores of 100-430 MB to read a
 * handful of entries; scanning them for their keys cost about 2 s of the
 * drop-in (the bytes read and searched for newlines, every key decoded). The
 * index holds one short line per entry (10,000 entries: about 0.7 MB).
 *
 * Format: one JSON line per entry as the log's scan would hold it,
 * `[key, pos, len, skip, hash]` (text in the log) or `[key, text]` (a short
 * text, kept as is) or `[key]` (removed), in log order, then a stamp line,
 * `{"header":…,"stamp":…,"lines":N}`: the log's header, its file stamp
 * (size, mtime, inode: fingerprint.ts stampOf) and its entry line count when
 * the index was last brought up to date. A save that appends to the log
 * appends the new entries and a new stamp here; a compaction writes the index
 * afresh. The index is trusted only when its last line is a stamp equal to the
 * log's stamp now, so a crash between the two writes, a torn line, or anyone
 * else touching the log makes the store scan the log as before (and its next
 * save writes the index afresh): the index can cost a scan, never a wrong entry.
 */
import { readFileSync } from 'node:fs';

/**
 * Texts of up to this many bytes (after the hash) are decoded when the file is
 * opened: a stat or a hash costs about what its key costs, and a store of them
 * (raw-index.log, render-cache.log) answers every `get` from memory. Longer
 * texts are read when asked for.
 */
export const INLINE_BYTES = 128;

/** An entry whose text is still in the file: `len` bytes at `pos`; `hash`, the text before its first tab, read already. */
export interface OnDisk {
  pos: number;
  len: number;
  hash: string | undefined;
  /** Bytes of `hash` and its tab: where the text made from it starts. */
  skip: number;
}

/** What a store holds for a key: the text itself (short, or put this run), or where it is in the file. */
export type Held = string | OnDisk;

export const keyIndexPath = (file: string): string => `${file}.keys`;

/** What the log's scan holds for an entry line whose text `text` starts at byte `pos` of the file (the same rule as the scan). */
export function heldAt(text: string, pos: number): Held {
  const len = Buffer.byteLength(text);
  const tab = text.indexOf('\t');
  const hash = tab >= 0 ? text.slice(0, tab) : undefined;
  const skip = hash === undefined ? 0 : Buffer.byteLength(hash) + 1;
  return len - skip <= INLINE_BYTES ? text : { pos, len, hash, skip };
}

/** One entry's index line; `''` is a removal. */
export function indexLine(key: string, held: Held | ''): string {
  if (held === '') return `${JSON.stringify([key])}\n`;
  if (typeof held === 'string') return `${JSON.stringify([key, held])}\n`;
  return `${JSON.stringify([key, held.pos, held.len, held.skip, held.hash ?? null])}\n`;
}

/** The index's closing line: the log it describes (header line, file stamp) and the log's entry line count. */
export function stampLine(header: string, stamp: string, lines: number): string {
  return `${JSON.stringify({ header, stamp, lines })}\n`;
}

/**
 * The entries of the index of `file`, in log order (`''`: removed), and the
 * log's entry line count; null when there is no index or it does not describe
 * the log as it is now (`stamp`, read from the open descriptor) under `header`.
 * With `each`, the entries are handed to it as they are read instead of
 * gathered (100,000 pairs fewer to allocate at a year of news); on null, the
 * caller forgets what it was handed (a damaged row ends the read).
 */
export function readKeyIndex(
  file: string,
  header: string,
  stamp: string,
  each?: (key: string, held: Held | '') => void,
): { entries: Array<[string, Held | '']>; lines: number } | null {
  let text: string;
  try {
    text = readFileSync(keyIndexPath(file), 'utf8');
  } catch {
    return null;
  }
  if (!text.endsWith('\n')) return null;
  const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
  let last: { header?: unknown; stamp?: unknown; lines?: unknown };
  try {
    last = JSON.parse(text.slice(lastStart, text.length - 1)) as typeof last;
  } catch {
    return null;
  }
  if (last === null || typeof last !== 'object' || Array.isArray(last)) return null;
  if (last.header !== header || last.stamp !== stamp || typeof last.lines !== 'number') return null;
  const entries: Array<[string, Held | '']> = [];
  const take = each ?? ((key: string, held: Held | '') => void entries.push([key, held]));
  let start = 0;
  while (start < lastStart) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end);
    start = end + 1;
    if (line.charCodeAt(0) !== 91) continue; // '{': an earlier stamp
    let row: unknown[];
    try {
      row = JSON.parse(line) as unknown[];
    } catch {
      return null;
    }
    const key = row[0];
    if (typeof key !== 'string') return null;
    if (row.length === 1) take(key, '');
    else if (row.length === 2 && typeof row[1] === 'string') take(key, row[1]);
    else if (row.length === 5 && typeof row[1] === 'number' && typeof row[2] === 'number' && typeof row[3] === 'number') {
      take(key, { pos: row[1], len: row[2], skip: row[3], hash: typeof row[4] === 'string' ? row[4] : undefined });
    } else return null;
  }
  return { entries, lines: last.lines };
}
