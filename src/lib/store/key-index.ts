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
import { asciiText, writeFileAtomicSync } from './write-file.ts';

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

/**
 * An index row read but not parsed yet: its key only was taken. A drop-in at
 * 100,000 articles opens stores of 100,000 entries to ask for a few hundred
 * of them (the per-file cache, the doc cache), and parsing every row was
 * most of opening them (about 0.5 s over a drop-in's stores). `parse` gives
 * what the row holds, or undefined when it is damaged: a miss, as a damaged
 * line of the log is.
 */
export class LazyRow {
  constructor(
    readonly line: string,
    /** The row names a place in the log (an `OnDisk`), not a text. */
    readonly onDisk: boolean,
  ) {}

  parse(): Held | undefined {
    let row: unknown[];
    try {
      row = JSON.parse(this.line) as unknown[];
    } catch {
      return undefined;
    }
    const held = heldOfRow(row);
    return held === null || held === '' ? undefined : held;
  }
}

/** What an index row holds: `''` for a removal; null when it is not a row of the format. */
export function heldOfRow(row: unknown[]): Held | '' | null {
  if (!Array.isArray(row) || typeof row[0] !== 'string') return null;
  if (row.length === 1) return '';
  if (row.length === 2 && typeof row[1] === 'string') return row[1];
  if (row.length === 5 && typeof row[1] === 'number' && typeof row[2] === 'number' && typeof row[3] === 'number') {
    return { pos: row[1], len: row[2], skip: row[3], hash: typeof row[4] === 'string' ? row[4] : undefined };
  }
  return null;
}

export const keyIndexPath = (file: string): string => `${file}.keys`;

/**
 * The key table's image beside the index (key-table.ts `image`): a drop-in at 100,000 articles
 * opens key indexes of 560,000 rows in all, and walking them to fill the tables was about 0.3-0.4 s
 * of its CPU; from an image, a table costs a read of a few MB and a walk of the rows appended since.
 * A cache only: an image that does not describe the index is ignored (and written again).
 */
export const keyImagePath = (file: string): string => `${keyIndexPath(file)}.slots`;

/**
 * Whether a table that walked `walked` rows (all of them, or those appended since its image) of an
 * index holding `keys` keys is worth a new image: a sixteenth of the keys at least (at 100,000
 * articles a drop-in appends a few hundred rows to a store of 100,000, so an image is written
 * again every twenty drop-ins or so, 3 MB each), and not for a small index (128 rows walk in
 * microseconds, but the image of a few hundred rows is written so that small builds use it too).
 */
export const imageWorthWriting = (walked: number, keys: number): boolean => walked >= Math.max(128, keys >> 4);

/** The saved image of `file`'s key table, or null. */
export function readImage(file: string): Uint8Array | null {
  try {
    return readFileSync(keyImagePath(file));
  } catch {
    return null;
  }
}

/** Saves an image (a temporary file and a rename: a reader sees a whole image or none); a failure only costs the next open a walk. */
export function writeImage(file: string, image: Uint8Array | null): void {
  if (!image) return;
  try {
    writeFileAtomicSync(keyImagePath(file), image);
  } catch {
    // (Read-only or full: the table is read by walking, as before.)
  }
}

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
 * gathered, and with `lazy` each row whose key reads plainly (no escape in
 * it) as a `LazyRow` (parsed when asked for); on null, the caller forgets
 * what it was handed (a damaged row ends the read).
 */
export function readKeyIndex(
  file: string,
  header: string,
  stamp: string,
  each?: (key: string, held: Held | '' | LazyRow) => void,
  /** Hand `each` a LazyRow for each row whose key reads plainly (see above). */
  lazy = false,
): { entries: Array<[string, Held | '']>; lines: number } | null {
  const read = readIndexText(file, header, stamp);
  if (!read) return null;
  const { text, end: lastStart } = read;
  const entries: Array<[string, Held | '']> = [];
  const take = each ?? ((key: string, held: Held | '') => void entries.push([key, held]));
  let start = 0;
  while (start < lastStart) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end);
    start = end + 1;
    if (line.charCodeAt(0) !== 91) continue; // '{': an earlier stamp
    if (lazy && each && line.charCodeAt(1) === 34) {
      // `["key",` with no backslash in the key: the key as written, the rest parsed when asked for.
      const close = line.indexOf('"', 2);
      const slash = line.indexOf('\\', 2);
      const next = line.charCodeAt(close + 2);
      if (close > 0 && (slash < 0 || slash > close) && line.charCodeAt(close + 1) === 44 && (next === 34 || (next >= 48 && next <= 57))) {
        each(line.slice(2, close), new LazyRow(line, next !== 34));
        continue;
      }
    }
    let row: unknown[];
    try {
      row = JSON.parse(line) as unknown[];
    } catch {
      return null;
    }
    const held = heldOfRow(row);
    if (held === null) return null;
    take(row[0] as string, held);
  }
  return { entries, lines: read.lines };
}

/**
 * The text of the index of `file`, where its rows end (the start of its stamp
 * line) and the log's entry line count; null when there is no index or it does
 * not describe the log as it is now (`stamp`) under `header`. The rows are not
 * read (key-table.ts reads them in place).
 */
export function readIndexText(file: string, header: string, stamp: string): { text: string; end: number; lines: number } | null {
  let text: string;
  try {
    // One-byte text when the keys are ASCII, as they nearly always are: a third of a UTF-8 decode's
    // time on the 60 MB of key files a drop-in at 100,000 articles opens (write-file.ts asciiText).
    text = asciiText(readFileSync(keyIndexPath(file)));
  } catch {
    return null;
  }
  if (!text.endsWith('\n')) return null;
  const end = text.lastIndexOf('\n', text.length - 2) + 1;
  let last: { header?: unknown; stamp?: unknown; lines?: unknown };
  try {
    last = JSON.parse(text.slice(end, text.length - 1)) as typeof last;
  } catch {
    return null;
  }
  if (last === null || typeof last !== 'object' || Array.isArray(last)) return null;
  if (last.header !== header || last.stamp !== stamp || typeof last.lines !== 'number') return null;
  return { text, end, lines: last.lines };
}
