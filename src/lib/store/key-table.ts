/**
 * A key index (key-index.ts) held as its text and a table of where each key's
 * rows are, for a store a run asks few entries of (log-store.ts `few`).
 *
 * Why: a drop-in at 100,000 articles opens the per-file, doc, digest, render
 * caches and the grouping index, 20,000-120,000 rows each, to ask for a few
 * hundred of them. Making a key string, a row object and a Map entry for every
 * row was about 0.5 s of the drop-in's main thread, and much of its garbage
 * collection. Here opening walks the text once: each row's key is hashed where
 * it lies, and an open-addressing table of typed arrays keeps its line's start.
 * A string is made only for a key asked for (or listed: `keys`, `keysUnder`).
 *
 * Rows are read as key-index.ts writes them: `["key",…]` with the key as
 * JSON.stringify writes it. A key with no backslash in it is written as it is,
 * so it is compared in place; a row whose key holds an escape (rare: no key the
 * build makes has one) is parsed whole into a small Map. As in the log, a later
 * row for a key supersedes an earlier one and `["key"]` removes it. A row that
 * reads as a row but does not parse is a miss when asked for (a damaged line of
 * the log is), exactly as the index's lazy rows were.
 *
 * The walk itself (about 0.3 s over a drop-in's stores at 100,000 articles)
 * is skipped by an image of the table (`image`, saved beside the index by
 * key-index.ts): an index is only appended to until it is written afresh, so
 * an image taken when it ended at a stamp line holds for the index as long as
 * that stamp line (naming the log's size, mtime and inode, and its line count)
 * is still where it was, with a sample of the text before it unchanged; the
 * rows after it are walked. (A lookup still compares the key asked with its
 * row's characters: no image can hand out another key's row.)
 */
import { heldOfRow, type Held } from './key-index.ts';

/** Whether `key` is written by JSON.stringify as itself between quotes (no escape): no quote, backslash, control or lone surrogate. */
function plain(key: string): boolean {
  let surrogate = false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) return false;
    if (c >= 0xd800 && c <= 0xdfff) surrogate = true;
  }
  return !surrogate || !lone(key);
}

/** Whether `key` holds a lone surrogate (JSON.stringify escapes it; a pair is written as it is). */
function lone(key: string): boolean {
  return JSON.stringify(key).includes('\\u');
}

/** An image's first Int32s: magic, version, size, live, occupied, covered end, unlisted and stale counts, stamp length, sample hash. */
const IMAGE_HEAD = 10;
/** 'NFKT'. */
const IMAGE_MAGIC = 0x4e464b54;
/** Bumped when the image's layout or what the slots mean changes. */
const IMAGE_VERSION = 1;

/** Index rows (lines) in `text` from `from` to `end`. */
function countRows(text: string, from: number, end: number): number {
  let rows = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) rows++;
  return rows;
}

/** FNV-1a over the first and the last 4,096 code units before `end`: a cheap check that an image was made of this text. */
function sampleHash(text: string, end: number): number {
  let h = 0x811c9dc5;
  const take = (from: number, to: number) => {
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  };
  take(0, Math.min(4096, end));
  take(Math.max(Math.min(4096, end), end - 4096), end);
  return h | 0;
}

export class KeyTable {
  /** Slot -> 1 + start of the key's latest row (0: empty slot). */
  private readonly latest: Int32Array;
  /** Slot -> 1 + start of the row the key's run of rows began with (after its last removal): its place in `keys` order. */
  private readonly first: Int32Array;
  /** Slot -> the key's hash (compared before the key's characters). */
  private readonly hashes: Int32Array;
  private readonly mask: number;
  /** Rows whose key holds an escape, parsed (a removal deletes), with where the key's run of rows began (`first`). */
  private readonly escaped = new Map<string, { held: Held; first: number }>();
  /** Keys held (removed ones not counted). */
  private live = 0;
  /**
   * Starts of the rows `keys` does not list: a key is listed at the row that began its
   * last run of rows, if it is held (a compacted index has none; an appended one, a few).
   */
  private readonly unlisted = new Set<number>();
  /** Starts of the rows kept in `escaped`. */
  private readonly escapedRows = new Set<number>();
  /** Starts of the rows a later row of their key supersedes or removes. */
  private readonly stale = new Set<number>();
  /** Start of the row after the last row `rowOf` found. */
  private cursor = 0;

  /** Slots holding a key (a removed key's included: its slot stays). */
  private occupied = 0;
  /** Rows this table walked when it was read (the rest came from a saved image): what makes a new image worth writing. */
  walked = 0;

  private constructor(
    /** The index text; rows end before `end` (the stamp line). */
    private readonly text: string,
    private readonly end: number,
    size: number,
  ) {
    this.latest = new Int32Array(size);
    this.first = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Slots for `rows` rows: at most half full, so a probe meets one or two other keys. */
  private static sizeFor(rows: number): number {
    let size = 16;
    while (size < rows * 2) size <<= 1;
    return size;
  }

  /**
   * The table of the rows of `text` before `end` (earlier stamps skipped), or
   * null when a row is not of the format (the index is then not trusted).
   * With `image` (a table saved by `image()` when the index was shorter), the
   * rows it covers are not walked again, only those appended after it; an
   * image that does not describe the start of `text` is ignored.
   */
  static read(text: string, end: number, image?: Uint8Array | null): KeyTable | null {
    const restored = image ? KeyTable.fromImage(text, end, image) : null;
    if (restored) return restored;
    const table = new KeyTable(text, end, KeyTable.sizeFor(countRows(text, 0, end)));
    return table.walk(0) ? table : null;
  }

  /** Takes the rows from `start` to `end`; false when one is not of the format. */
  private walk(start: number): boolean {
    const text = this.text;
    while (start < this.end) {
      const lineEnd = text.indexOf('\n', start);
      if (text.charCodeAt(start) === 91) {
        if (!this.add(start, lineEnd)) return false; // (a '{' line: an earlier stamp)
        this.walked++;
      }
      start = lineEnd + 1;
    }
    return true;
  }

  /**
   * The table as bytes, for `read` to start from next time: its slots, the
   * rows that are not listed or no longer count, and the index's stamp line
   * after its last row (with a sample of the text before it), which an index
   * that has only been appended to since still holds at the same place. null
   * when a row's key needed an escape (those rows are kept parsed, not in slots).
   */
  image(): Uint8Array | null {
    if (this.escapedRows.size) return null;
    const text = this.text;
    const stampEnd = text.indexOf('\n', this.end);
    if (stampEnd < 0) return null;
    const stamp = text.slice(this.end, stampEnd + 1);
    const size = this.latest.length;
    const out = new Int32Array(IMAGE_HEAD + 3 * size + this.unlisted.size + this.stale.size + stamp.length);
    out.set([IMAGE_MAGIC, IMAGE_VERSION, size, this.live, this.occupied, this.end, this.unlisted.size, this.stale.size, stamp.length, sampleHash(text, this.end)]);
    let at = IMAGE_HEAD;
    for (const slots of [this.latest, this.first, this.hashes]) {
      out.set(slots, at);
      at += size;
    }
    for (const row of this.unlisted) out[at++] = row;
    for (const row of this.stale) out[at++] = row;
    for (let i = 0; i < stamp.length; i++) out[at++] = stamp.charCodeAt(i);
    return new Uint8Array(out.buffer);
  }

  /** The table of `image` with the rows appended to `text` since; null when the image is not of this text (or of this code). */
  private static fromImage(text: string, end: number, bytes: Uint8Array): KeyTable | null {
    if (bytes.byteLength % 4 !== 0 || bytes.byteLength < IMAGE_HEAD * 4) return null;
    // (A copy when the bytes are not 4-aligned in their buffer, as a pooled Buffer's may not be.)
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const image = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    const [magic, version, size, live, occupied, covered, nUnlisted, nStale, stampLength, sample] = image;
    if (magic !== IMAGE_MAGIC || version !== IMAGE_VERSION || size < 16 || (size & (size - 1)) !== 0) return null;
    if (Math.min(live, occupied, covered, nUnlisted, nStale, stampLength) < 0 || live > occupied || occupied > size >> 1) return null;
    if (image.length !== IMAGE_HEAD + 3 * size + nUnlisted + nStale + stampLength || covered > end) return null;
    // The stamp line the image's rows ended at, still there: the index was only appended to (a compaction
    // writes it afresh, ending at a stamp of another log file), and a sample of its text agrees.
    let at = IMAGE_HEAD + 3 * size + nUnlisted + nStale;
    for (let i = 0; i < stampLength; i++) if (text.charCodeAt(covered + i) !== image[at + i]) return null;
    if (stampLength === 0 || image[at + stampLength - 1] !== 10 || sampleHash(text, covered) !== sample) return null;
    // The rows appended since must fit: still at most half full.
    const from = covered + stampLength;
    if ((occupied + countRows(text, from, end)) * 2 > size) return null;
    const table = new KeyTable(text, end, size);
    at = IMAGE_HEAD;
    for (const slots of [table.latest, table.first, table.hashes]) {
      slots.set(image.subarray(at, at + size));
      at += size;
    }
    for (let i = 0; i < nUnlisted; i++) table.unlisted.add(image[at++]);
    for (let i = 0; i < nStale; i++) table.stale.add(image[at++]);
    table.live = live;
    table.occupied = occupied;
    return table.walk(from) ? table : null;
  }

  /** Takes the row `[start, lineEnd)`; false when it is not a row of the format. */
  private add(start: number, lineEnd: number): boolean {
    const text = this.text;
    let close = -1;
    let h = 0x811c9dc5;
    if (text.charCodeAt(start + 1) === 34) {
      for (let i = start + 2; i < lineEnd; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) {
          close = i;
          break;
        }
        if (c === 92) break; // an escape: parsed below
        h = Math.imul(h ^ c, 0x01000193); // FNV-1a over UTF-16 code units, as rowOf hashes a key asked for
      }
    }
    const after = close < 0 ? 0 : text.charCodeAt(close + 1);
    const removal = after === 93 && close + 2 === lineEnd;
    const next = text.charCodeAt(close + 2);
    if (close < 0 || !(removal || (after === 44 && (next === 34 || (next >= 48 && next <= 57))))) return this.addParsed(start, lineEnd);
    h |= 0;
    const keyLen = close - start - 2;
    let slot = h & this.mask;
    for (;;) {
      const at = this.latest[slot];
      if (at === 0) {
        if (removal) {
          // A removal of a key not held: never listed, and never taken for the key's latest row.
          this.unlisted.add(start);
          this.stale.add(start);
          return true;
        }
        this.latest[slot] = this.first[slot] = start + 1;
        this.hashes[slot] = h;
        this.live++;
        this.occupied++;
        return true;
      }
      if (this.hashes[slot] === h && this.sameKey(at - 1, start + 2, keyLen)) {
        const wasLive = !this.isRemoval(at - 1);
        this.stale.add(at - 1);
        if (removal) {
          this.unlisted.add(start);
          if (wasLive) {
            this.live--;
            this.unlisted.add(this.first[slot] - 1);
          }
        } else if (!wasLive) {
          this.live++;
          this.first[slot] = start + 1; // back after a removal: listed from here, as a Map re-set would
        } else {
          this.unlisted.add(start); // superseding: listed where it began
        }
        this.latest[slot] = start + 1;
        return true;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private addParsed(start: number, lineEnd: number): boolean {
    let row: unknown[];
    try {
      row = JSON.parse(this.text.slice(start, lineEnd)) as unknown[];
    } catch {
      return false;
    }
    const held = heldOfRow(row);
    if (held === null) return false;
    const key = row[0] as string;
    // A plain key is written as the fast path reads it: a row of it that is not so was not written here.
    if (plain(key)) return false;
    this.escapedRows.add(start);
    if (held === '') this.escaped.delete(key);
    else this.escaped.set(key, { held, first: this.escaped.get(key)?.first ?? start });
    return true;
  }

  /** Whether the key of the row at `row` is the `len` characters of the text at `from`. */
  private sameKey(row: number, from: number, len: number): boolean {
    const text = this.text;
    if (text.charCodeAt(row + 2 + len) !== 34) return false;
    for (let i = 0; i < len; i++) if (text.charCodeAt(row + 2 + i) !== text.charCodeAt(from + i)) return false;
    return true;
  }

  /** The row at `row` is `["key"]`. */
  private isRemoval(row: number): boolean {
    return this.text.charCodeAt(this.text.indexOf('"', row + 2) + 1) === 93;
  }

  /** The start of `key`'s latest row (a removal included), or -1; -2 when `key` is not plain (its rows are in `escaped`). */
  private rowOf(key: string): number {
    // The row after the last one found, when it is `key`'s latest: a sweep in key order over a
    // compacted (sorted) index (a drop-in asks the render cache for every file's hash) costs a
    // comparison per key, not a hash. (No quote in the key, and no escape: the row's own key.)
    const text = this.text;
    const next = this.cursor;
    if (
      next < this.end &&
      text.charCodeAt(next) === 91 && // (not a stamp line: `{"header":…`)
      text.charCodeAt(next + 1) === 34 &&
      text.startsWith(key, next + 2) &&
      text.indexOf('"', next + 2) === next + 2 + key.length &&
      !this.escapedRows.has(next) &&
      !this.stale.has(next)
    ) {
      this.cursor = text.indexOf('\n', next) + 1;
      return next;
    }
    let h = 0x811c9dc5;
    let surrogate = false;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92) return -2;
      if (c >= 0xd800 && c <= 0xdfff) surrogate = true;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (surrogate && lone(key)) return -2;
    h |= 0;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.latest[slot];
      if (at === 0) return -1;
      if (this.hashes[slot] === h && text.startsWith(key, at + 1) && text.charCodeAt(at + 1 + key.length) === 34) {
        this.cursor = text.indexOf('\n', at) + 1;
        return at - 1;
      }
    }
  }

  /** Keys held. */
  get size(): number {
    return this.live + this.escaped.size;
  }

  /** Whether `key` is held (its row may still prove damaged when read). */
  has(key: string): boolean {
    const row = this.rowOf(key);
    if (row === -2) return this.escaped.has(key);
    return row >= 0 && !this.isRemoval(row);
  }

  /** What `key`'s row holds; undefined when the key is not held, null when its row is damaged (a miss). */
  get(key: string): Held | undefined | null {
    const row = this.rowOf(key);
    if (row === -2) return this.escaped.get(key)?.held;
    return row < 0 ? undefined : this.rowAt(row);
  }

  /** What the row at `row` holds: undefined for a removal, null when it is damaged. */
  private rowAt(row: number): Held | undefined | null {
    let parsed: unknown[];
    try {
      parsed = JSON.parse(this.text.slice(row, this.text.indexOf('\n', row))) as unknown[];
    } catch {
      return null;
    }
    const held = heldOfRow(parsed);
    return held === '' ? undefined : held;
  }

  /**
   * The hash in front of `key`'s text (the text before its first tab), read
   * from its row without parsing it when the row holds the text itself (a
   * render cache row: `"<hash>\t…"`); otherwise as `get` reads it. null when
   * the key is not held or its row is damaged.
   */
  hashOf(key: string): string | undefined | null {
    const row = this.rowOf(key);
    if (row === -1) return null;
    if (row >= 0) {
      const text = this.text;
      const from = row + key.length + 5; // after `["key","`
      if (text.charCodeAt(from - 2) === 44 && text.charCodeAt(from - 1) === 34) {
        // Plain characters up to an escaped tab (`\t`), in a whole row: the hash as written; anything else: parsed.
        // (Searched within the text's JSON string, up to its first quote: a search of the whole index
        // for a backslash would run on through the rows after one that has none.)
        const quote = text.indexOf('"', from);
        const inner = text.slice(from, quote);
        const escape = inner.indexOf('\\');
        if (escape >= 0 && inner.charCodeAt(escape + 1) === 116) {
          const lineEnd = text.indexOf('\n', quote);
          if (text.charCodeAt(lineEnd - 1) === 93 && lineEnd - 2 === quote) return inner.slice(0, escape);
        }
      }
    }
    // (The row found, parsed: a second lookup would cost a hash, the sweep's next row being passed.)
    const held = row === -2 ? this.escaped.get(key)?.held : this.rowAt(row);
    if (held === undefined || held === null) return null;
    if (typeof held !== 'string') return held.hash;
    const tab = held.indexOf('\t');
    return tab < 0 ? undefined : held.slice(0, tab);
  }

  /**
   * Keys held whose key starts with `prefix`, in the order a Map filled row
   * by row would list them (a key at the row that began its last run of rows).
   */
  *keys(prefix = ''): Generator<string> {
    if (!plain(prefix)) {
      for (const key of this.keys()) if (key.startsWith(prefix)) yield key;
      return;
    }
    // (A plain prefix starts a key's JSON form exactly when it starts the key.)
    const text = this.text;
    for (let start = 0; start < this.end; ) {
      const lineEnd = text.indexOf('\n', start);
      if (text.charCodeAt(start) === 91 && text.startsWith(prefix, start + 2) && !this.unlisted.has(start)) {
        const key = this.listed(start, lineEnd);
        if (key !== undefined) yield key;
      }
      start = lineEnd + 1;
    }
  }

  /** How many keys held start with `prefix` (no string made for a plain key). */
  countUnder(prefix: string): number {
    let n = 0;
    if (!plain(prefix)) {
      for (const key of this.keys()) if (key.startsWith(prefix)) n++;
      return n;
    }
    const text = this.text;
    for (let start = 0; start < this.end; ) {
      const lineEnd = text.indexOf('\n', start);
      if (text.charCodeAt(start) === 91 && text.startsWith(prefix, start + 2) && !this.unlisted.has(start)) {
        if (!this.escapedRows.has(start) || this.listed(start, lineEnd) !== undefined) n++;
      }
      start = lineEnd + 1;
    }
    return n;
  }

  /** The key of the row `[start, lineEnd)`, listed there (not in `unlisted`). */
  private listed(start: number, lineEnd: number): string | undefined {
    if (!this.escapedRows.has(start)) return this.text.slice(start + 2, this.text.indexOf('"', start + 2));
    const key = (JSON.parse(this.text.slice(start, lineEnd)) as unknown[])[0] as string; // (parsed when read)
    return this.escaped.get(key)?.first === start ? key : undefined;
  }
}
