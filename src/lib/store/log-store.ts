/**
 * The one interface for what a build keeps between runs (`Store`), and its one
 * on-disk format (`LogStore`): an append-only log of key -> text entries.
 *
 * A drop-in adds one or two entries to stores of 20-30 MB at 10,000 articles;
 * rewriting them whole cost about 0.5 s a run. Here a run appends its new
 * entries, and the file is rewritten (compacted: live entries only, sorted, so
 * equal contents give equal bytes) only when superseded or unused entries
 * make up a good part of it, or a new header starts it afresh.
 *
 * Format: a header line, `{"store":S,"version":V,"code":C}` (layout.ts says
 * which stores there are and their versions; C is the fingerprint of the code
 * the entries come from, fingerprint.ts), then one line per entry,
 * `<JSON key>\t<text>`; a later line for a key replaces an earlier one, and
 * an empty text removes it (entries not used by a run are removed so). An
 * entry made from an input with a content hash (a file's SHA-256, a record's
 * hash, a stat) keeps that hash in front of its text, `<hash>\t<text>`, and
 * `get(key, hash)` answers only for the same hash. The text is kept as read
 * and parsed by the caller on use, so an entry nobody asks for is never
 * parsed, and a parsed entry is the caller's own object.
 *
 * Two ways to keep entries. By default a run is expected to ask for every
 * entry it still wants (a per-file cache over the whole drop folder), and the
 * entries it did not use are dropped when it saves. A store opened to
 * `retain` keeps every entry until it is `delete`d: the build's parted stores
 * (a month of grouping state, a shard's files), of which a drop-in reads only
 * the few entries it needs. A line cut short by a
 * crash (no newline) is ignored, and the next save then compacts. Like every
 * store here, anything unreadable is an empty store: a cache costs a
 * recomputation when lost, never a wrong result.
 *
 * Opening reads the keys, not the values. A drop-in at 100,000 articles reads
 * a handful of entries of stores of 100-430 MB; holding every text as a JS
 * string cost 8-14 s per store to open on a loaded machine and as much heap as
 * the file. So the file is scanned in blocks for its line ends; each line's key
 * and hash (the text before its first tab) are decoded, a short text is kept
 * as it is (INLINE_BYTES: a stat, a hash), and a longer one is kept as where
 * its bytes are: `get` reads and decodes it then, through a descriptor kept
 * open on the file as it was opened (a compaction renames a new file over it,
 * which leaves those bytes readable). Compaction copies each kept entry's
 * bytes in key order, a few MB at a time, so equal contents still give equal
 * bytes and no step holds the whole file.
 *
 * When the key index beside the file (key-index.ts) describes the file as it
 * is now, opening reads that instead of scanning: the same entries, without
 * reading the texts' bytes. Each save brings the index up to date.
 *
 * A store opened `few` and retaining keeps its key index as text with a table
 * of where each key's rows are (key-table.ts) instead: a Map entry is made only
 * for a key asked for, which is what a drop-in at 100,000 articles needs.
 *
 * Size: about 780 lines, the Store interface and the format's one reader and
 * writer (the block scan, the reads on demand, the compaction) kept together.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync, statSync, write } from 'node:fs';
import { appendFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileStamp, stampOf } from './fingerprint.ts';
import { heldAt, imageWorthWriting, indexLine, INLINE_BYTES, keyImagePath, keyIndexPath, LazyRow, readImage, readIndexText, readKeyIndex, stampLine, writeImage, type Held, type OnDisk } from './key-index.ts';
import { KeyTable } from './key-table.ts';
import { PARTED_STORES, STORES, partPath, statePath, type PartedStoreName, type StoreName } from './layout.ts';
import { asciiText, writeFileAtomic, writeFileAtomicSync } from './write-file.ts';

/** What a build keeps between runs: entries by key, each made from an input with a content hash. */
export interface Store {
  readonly size: number;
  /** The text put under `key` (made from `hash`, when one is given: another hash reads as missing); marks the entry used. */
  get(key: string, hash?: string): string | undefined;
  /** The hash the entry under `key` was made from, without marking it used. */
  hashOf(key: string): string | undefined;
  has(key: string): boolean;
  /**
   * Puts `text` (one line, no newline) under `key`, made from `hash`.
   * `tentative`: kept only if a later `get` asks for it (work done ahead that may not be wanted).
   */
  put(key: string, text: string, options?: { hash?: string; tentative?: boolean }): void;
  /** Removes the entry under `key` (a store that retains its entries forgets one only so). */
  delete(key: string): void;
  /** Every key held. */
  keys(): IterableIterator<string>;
  /** True when `save` would change the file: new entries, or entries this run did not use (dropped). */
  readonly changed: boolean;
  /** Appends this run's entries and drops the unused ones, compacting when the file is mostly dead. */
  save(): Promise<boolean>;
  /** The file's stamp (fingerprint.ts), to tell later whether anyone else changed it. */
  stamp(): string | null;
}

/** The text held under `key`, whatever hash it was made from (marks the entry used): a kept entry read back as it stands. */
export function heldText(store: Store, key: string): string | undefined {
  const hash = store.hashOf(key);
  return hash === undefined ? undefined : store.get(key, hash);
}

/** What a store's first line says; any difference from the file's makes an empty store. */
export interface StoreHeader {
  store: string;
  version: number;
  /** Fingerprint of the code the entries come from ('' when they depend on none). */
  code: string;
}

/**
 * Opens the store `name` of layout.ts in the content folder `content`, for
 * entries made by the code `code` fingerprints (fingerprint.ts): the store as
 * the last run left it, or an empty one when its header differs.
 */
export function openStore(content: string, name: StoreName, code: string, options: OpenOptions = {}): LogStore {
  const spec = STORES[name];
  return LogStore.open(statePath(content, name), { store: spec.file, version: spec.version, code }, options);
}

/**
 * Opens one part of a parted store of layout.ts (`shards/<shard>/file-cache.log`,
 * `grouping/<month>.log`): a store that retains its entries (see above), so a
 * run may read a few of them and save without losing the rest.
 */
export function openPart(content: string, name: PartedStoreName, part: string, code: string): LogStore {
  const spec = PARTED_STORES[name];
  return LogStore.open(partPath(content, name, part), { store: spec.file, version: spec.version, code }, { retain: true });
}

export interface OpenOptions {
  /** Keep entries a run did not use (see above). */
  retain?: boolean;
  /**
   * The run will ask for few of the entries (a drop-in's per-file, doc, digest and render caches,
   * the grouping index): a retaining store keeps its key index as text with a table of where each
   * key's rows are (key-table.ts), and makes an entry only for a key asked for; otherwise each
   * index row is parsed when its entry is first asked for (key-index.ts LazyRow). A run that
   * reads them all (the stat index) parses them as it opens, which costs less.
   */
  few?: boolean;
}

export function headerLine(header: StoreHeader): string {
  return JSON.stringify({ store: header.store, version: header.version, code: header.code });
}

/** One entry's line, `<JSON key>\t<text>\n`. */
export function entryLine(key: string, text: string): string {
  return `${JSON.stringify(key)}\t${text}\n`;
}

/**
 * Calls `each(key, text)` for every complete entry line of `text` after its
 * header (an empty text is a removal); returns the number of entry lines and
 * whether the text ends cleanly (no torn last line). A damaged line is skipped.
 */
export function scanEntries(text: string, from: number, each: (key: string, text: string) => void): { lines: number; whole: boolean } {
  let lines = 0;
  let start = from;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const tab = text.indexOf('\t', start);
    if (tab > start && tab < end) {
      try {
        each(JSON.parse(text.slice(start, tab)) as string, text.slice(tab + 1, end));
        lines++;
      } catch {
        /* a damaged line: that entry is a miss */
      }
    }
    start = end + 1;
  }
  return { lines, whole: start === text.length };
}

/** The file is scanned, and a compaction written, this many bytes at a time (a longer line gets a block of its own). */
const BLOCK_BYTES = 1 << 22;
/**
 * A read that starts just after the previous one (a sorted file read in key
 * order: a drop-in's file cache, a compaction) reads this far ahead, so such a
 * pass costs one read per block rather than one per entry.
 */
const READ_AHEAD_BYTES = 1 << 20;
/**
 * How far past the previous read a read still counts as a next one (the next
 * line's key and hash, or a few entries a pass skips): at most this much of a
 * read ahead is wasted.
 */
const NEXT_READ_GAP = 1 << 16;

/** Descriptors of stores dropped without `close()` are closed when the store is collected. */
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

const writeAt = promisify(write);

/** Fills `buf[0, len)` from `fd` at `pos`; returns the bytes read (fewer at the end of the file). */
function readAt(fd: number, buf: Buffer, len: number, pos: number): number {
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Reads byte ranges of an open file, reading ahead when they come in file order. */
class FileReader {
  private buf = Buffer.allocUnsafe(0);
  /** File offset of `buf[0]`, and how many bytes of `buf` are the file's. */
  private at = 0;
  private have = 0;
  private lastEnd = -1;

  /** `size`: the bytes the file held when scanned (reads ahead stop there: a small file gets a small buffer). */
  constructor(
    readonly fd: number,
    private readonly size: number,
  ) {}

  /** The bytes `[pos, pos + len)`, valid until the next read; undefined when the file no longer holds them. */
  read(pos: number, len: number): Buffer | undefined {
    if (pos < this.at || pos + len > this.at + this.have) {
      const gap = pos - this.lastEnd;
      const want = gap >= 0 && gap <= NEXT_READ_GAP ? Math.max(len, Math.min(READ_AHEAD_BYTES, this.size - pos)) : len;
      if (this.buf.length < want) this.buf = Buffer.allocUnsafe(Math.max(want, this.buf.length * 2));
      this.at = pos;
      try {
        this.have = readAt(this.fd, this.buf, want, pos);
      } catch {
        this.have = 0;
      }
      if (this.have < len) return undefined;
    }
    this.lastEnd = pos + len;
    return this.buf.subarray(pos - this.at, pos - this.at + len);
  }
}

/**
 * Collects output bytes and writes them to `fd` a block at a time; `offset` is
 * where the next byte lands. When `full(n)`, `room(n)` first; then the
 * synchronous writes of those n bytes (so bytes read from another file are
 * copied before anything else can read there). The first block holds at least
 * a header line.
 */
class BlockWriter {
  private buf = Buffer.allocUnsafe(BLOCK_BYTES);
  private used = 0;
  offset = 0;

  constructor(private readonly fd: number) {}

  /** Whether `bytes` more need a `room` first. */
  full(bytes: number): boolean {
    return this.used + bytes > this.buf.length;
  }

  async room(bytes: number): Promise<void> {
    await this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }

  text(text: string): void {
    const n = this.buf.write(text, this.used, 'utf8');
    this.used += n;
    this.offset += n;
  }

  bytes(bytes: Buffer): void {
    bytes.copy(this.buf, this.used);
    this.used += bytes.length;
    this.offset += bytes.length;
  }

  async flush(): Promise<void> {
    for (let done = 0; done < this.used; ) done += (await writeAt(this.fd, this.buf, done, this.used - done, null)).bytesWritten;
    this.used = 0;
  }
}

/**
 * Scans the file open at `fd` for its entry lines after the header line
 * `header`, calling `each(key, held)` for each (an empty text is a removal).
 * Null when the header differs; otherwise the number of entry lines, whether
 * the file ends cleanly (no torn last line) and its size as read. A damaged
 * line is skipped.
 */
function scanFile(fd: number, header: Buffer, each: (key: string, held: Held | '') => void): { lines: number; whole: boolean; size: number } | null {
  // A small file (a month's part) gets a block of its size.
  let buf = Buffer.allocUnsafe(Math.max(header.length + 1, Math.min(BLOCK_BYTES, fstatSync(fd).size)));
  let at = 0; // file offset of buf[0]
  let have = readAt(fd, buf, buf.length, 0);
  let view = buf.subarray(0, have);
  const first = view.indexOf(10);
  if (first !== header.length || !view.subarray(0, first).equals(header)) return null;
  let start = first + 1;
  let lines = 0;
  for (;;) {
    const end = view.indexOf(10, start);
    if (end < 0) {
      if (have < buf.length) return { lines, whole: start === have, size: at + have }; // the end of the file
      // A line runs past the block: read on from its start (a longer block if it fills this one).
      at += start;
      if (start === 0) buf = Buffer.allocUnsafe(buf.length * 2);
      have = readAt(fd, buf, buf.length, at);
      view = buf.subarray(0, have);
      start = 0;
      continue;
    }
    const tab = view.indexOf(9, start);
    if (tab > start && tab < end) {
      let key: unknown;
      try {
        key = JSON.parse(view.toString('utf8', start, tab));
      } catch {
        /* a damaged line: that entry is a miss */
      }
      if (typeof key === 'string') {
        const from = tab + 1;
        const hashEnd = view.indexOf(9, from);
        const hasHash = hashEnd >= 0 && hashEnd < end;
        const skip = hasHash ? hashEnd - from + 1 : 0;
        if (end - from - skip <= INLINE_BYTES) each(key, view.toString('utf8', from, end));
        else each(key, { pos: at + from, len: end - from, hash: hasHash ? view.toString('utf8', from, hashEnd) : undefined, skip });
        lines++;
      }
    }
    start = end + 1;
  }
}

export class LogStore implements Store {
  /** A LazyRow is an index row not parsed yet (key-index.ts): `held` parses it. */
  private readonly entries = new Map<string, Held | LazyRow>();
  private readonly used = new Set<string>();
  private readonly added: Array<[string, string]> = [];
  /** Keys deleted this run (a retaining store's removals). */
  private readonly removed = new Set<string>();
  /** Entry lines in the file as read (superseded ones included); -1: start a new file. */
  private lines = -1;
  /** The file the entries held as OnDisk are in (null when none is). */
  private reader: FileReader | null = null;
  /** Whether the key index beside the file (key-index.ts) describes it, so a save may append to the index. */
  private indexed = false;
  /** The file's stamp as this store last read or wrote it: an append to a file someone else changed since leaves no index. */
  private seen: string | null = null;
  /**
   * A `few` retaining store's key index, read in place (key-table.ts): the entries not asked for
   * yet. `entries` holds those asked for and this run's, and wins over the table; listing every
   * key, or writing the file or its index afresh, first moves the table into `entries`.
   */
  private table: KeyTable | null = null;
  /** Keys whose table row no longer counts (deleted, or damaged when read). */
  private readonly shadowed = new Set<string>();
  /** Keys held while there is a table. */
  private count = 0;

  private constructor(
    private readonly header: string,
    private readonly file: string,
    /** Keep entries a run did not use (see above). */
    private readonly retain = false,
  ) {}

  /** Reads the keys of `file` synchronously; another header (store, version, code) gives an empty store. */
  static open(file: string, header: StoreHeader, options: OpenOptions = {}): LogStore {
    const line = headerLine(header);
    const store = new LogStore(line, file, options.retain ?? false);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return store;
    }
    let onDisk = false;
    /** One entry line as read (by the key index or the scan): a later line replaces an earlier one, '' removes. */
    const take = (key: string, held: Held | '' | LazyRow) => {
      if (held === '') store.entries.delete(key);
      else {
        store.entries.set(key, held);
        if (held instanceof LazyRow ? held.onDisk : typeof held !== 'string') onDisk = true;
      }
    };
    // The key index, when it describes the file as it is now: no scan of the file.
    const stat = fstatSync(fd);
    store.seen = stampOf(stat);
    if (options.few && store.retain) {
      const read = readIndexText(file, line, store.seen);
      const table = read && KeyTable.read(read.text, read.end, readImage(file));
      if (table) {
        if (imageWorthWriting(table.walked, table.size)) writeImage(file, table.image());
        store.table = table;
        store.count = table.size;
        store.lines = read.lines;
        store.indexed = true;
        store.keep(fd, stat.size);
        return store;
      }
    }
    const index = readKeyIndex(file, line, store.seen, take, options.few ?? false);
    if (!index) {
      // (A damaged index row: what it handed over is forgotten, and the log is scanned.)
      store.entries.clear();
      onDisk = false;
    } else {
      store.lines = index.lines;
      store.indexed = true;
      if (onDisk) store.keep(fd, stat.size);
      else closeSync(fd);
      return store;
    }
    let scan: { lines: number; whole: boolean; size: number } | null = null;
    try {
      scan = scanFile(fd, Buffer.from(line), take);
    } catch {
      store.entries.clear();
    }
    if (!scan) {
      store.entries.clear();
      closeSync(fd);
      return store;
    }
    // Text after the last newline: a torn append. Rewrite rather than append after it.
    store.lines = scan.whole ? scan.lines : -1;
    if (onDisk) store.keep(fd, scan.size);
    else closeSync(fd);
    if (scan.whole) store.indexAfresh();
    return store;
  }

  /**
   * The key index written afresh from what a scan of the log found. Without it, a store only read
   * (never saved) scans its log again in every run once its index no longer describes it: a copied or
   * restored content folder gives every log a new inode, and the search counts' twelve logs (190 MB at
   * 100,000 articles) were scanned in every drop-in that read them (about 0.3 s of CPU). Only while the
   * log is as scanned; the index is a cache (a failed write costs the next run a scan, as before).
   */
  private indexAfresh(): void {
    if (fileStamp(this.file) !== this.seen || this.seen === null) return;
    const rows: string[] = [];
    for (const [key, held] of this.entries) rows.push(held instanceof LazyRow ? `${held.line}\n` : indexLine(key, held));
    try {
      rmSync(keyImagePath(this.file), { force: true });
      writeFileAtomicSync(keyIndexPath(this.file), rows.join('') + stampLine(this.header, this.seen, this.lines));
      this.indexed = true;
    } catch {
      // (A read-only state folder: scanned again next time.)
    }
  }

  /** A store kept in memory only (nothing to read; never saved): the same code path without a cache on disk. */
  static inMemory(): LogStore {
    return new LogStore('', '');
  }

  /** True when the file held this header (an empty store otherwise: new, or of other code or version). */
  get fromFile(): boolean {
    return this.lines >= 0;
  }

  get size(): number {
    return this.table ? this.count : this.entries.size;
  }

  /** Reads entries' texts from `fd` from now on (closing the previous file's descriptor). */
  private keep(fd: number | null, size = 0): void {
    this.close();
    if (fd === null) return;
    this.reader = new FileReader(fd, size);
    closer.register(this, fd, this);
  }

  /** Closes the file the store reads its texts from (entries held there then read as missing); collecting the store does it too. */
  close(): void {
    if (!this.reader) return;
    closer.unregister(this);
    try {
      closeSync(this.reader.fd);
    } catch {
      /* already closed */
    }
    this.reader = null;
  }

  /** The bytes of an entry's text in the file from its `from`th byte, or undefined when they cannot be read. */
  private bytesOf(held: OnDisk, from = 0): Buffer | undefined {
    return this.reader?.read(held.pos + from, held.len - from);
  }

  private textOf(held: Held): string | undefined {
    // (asciiText: an entry of ASCII, as JSON written with asciiJson and most keys are, decodes as one-byte text.)
    if (typeof held === 'string') return held;
    const bytes = this.bytesOf(held);
    return bytes && asciiText(bytes);
  }

  /** What the store holds under `key`, its index row parsed if it was not yet (a damaged row: a miss, and gone). */
  private held(key: string): Held | undefined {
    const held = this.entries.get(key);
    if (held === undefined) return this.fromTable(key);
    if (!(held instanceof LazyRow)) return held;
    const parsed = held.parse();
    if (parsed === undefined) this.entries.delete(key);
    else this.entries.set(key, parsed);
    return parsed;
  }

  /** What the table holds under `key`, moved into `entries` (a damaged row: a miss, and gone). */
  private fromTable(key: string): Held | undefined {
    if (!this.table || this.shadowed.has(key)) return undefined;
    const held = this.table.get(key);
    if (held === undefined) return undefined;
    if (held === null) {
      this.shadowed.add(key);
      this.count--;
      return undefined;
    }
    this.entries.set(key, held);
    return held;
  }

  /** Moves what the table holds into `entries` (in the order a scan would list them), and drops the table. */
  private materialize(): void {
    const table = this.table;
    if (!table) return;
    const all = new Map<string, Held | LazyRow>();
    for (const key of table.keys()) {
      if (this.shadowed.has(key)) continue;
      const held = this.entries.get(key) ?? table.get(key);
      if (held) all.set(key, held);
    }
    for (const [key, held] of this.entries) if (!all.has(key)) all.set(key, held);
    this.entries.clear();
    for (const [key, held] of all) this.entries.set(key, held);
    this.table = null;
    this.shadowed.clear();
  }

  /** Whether the table holds `key` and it was neither deleted nor found damaged. */
  private inTable(key: string): boolean {
    return !!this.table && !this.shadowed.has(key) && this.table.has(key);
  }

  get(key: string, hash?: string): string | undefined {
    const held = this.held(key);
    if (held === undefined) return undefined;
    if (typeof held !== 'string' && hash !== undefined && !hash.includes('\t')) {
      // Compared with the hash read when the file was opened; the text is read only on a match.
      if (held.hash !== hash) return undefined;
      const bytes = this.bytesOf(held, held.skip);
      const text = bytes && asciiText(bytes);
      if (text !== undefined) this.used.add(key);
      return text;
    }
    const text = this.textOf(held);
    if (text === undefined) return undefined;
    if (hash === undefined) {
      this.used.add(key);
      return text;
    }
    if (text.length <= hash.length || text.charCodeAt(hash.length) !== 9 || !text.startsWith(hash)) return undefined;
    this.used.add(key);
    return text.slice(hash.length + 1);
  }

  hashOf(key: string): string | undefined {
    if (this.table && !this.entries.has(key)) {
      // Read from the row without making an entry: a drop-in asks the render cache for every file's hash.
      if (this.shadowed.has(key)) return undefined;
      const hash = this.table.hashOf(key);
      if (hash !== null) return hash;
      this.fromTable(key); // (a damaged row: gone)
      return undefined;
    }
    const held = this.held(key);
    if (held === undefined) return undefined;
    if (typeof held !== 'string') return held.hash;
    const tab = held.indexOf('\t');
    return tab < 0 ? undefined : held.slice(0, tab);
  }

  has(key: string): boolean {
    return this.entries.has(key) || this.inTable(key);
  }

  keys(): IterableIterator<string> {
    return this.table ? this.keysUnder('') : this.entries.keys();
  }

  /**
   * The keys held that start with `prefix` (a drop-in's changed shards' files, the grouping
   * index's stories), in `keys()` order; with a table, strings are made only for these keys.
   */
  *keysUnder(prefix: string): Generator<string> {
    if (!this.table) {
      for (const key of this.entries.keys()) if (key.startsWith(prefix)) yield key;
      return;
    }
    const table = this.table;
    for (const key of table.keys(prefix)) if (!this.shadowed.has(key)) yield key;
    for (const key of this.entries.keys()) if (key.startsWith(prefix) && !this.inTable(key)) yield key;
  }

  /** How many keys held start with `prefix`; with a table, no key string is made for the table's rows. */
  countUnder(prefix: string): number {
    if (!this.table) {
      let n = 0;
      for (const key of this.entries.keys()) if (key.startsWith(prefix)) n++;
      return n;
    }
    let n = this.table.countUnder(prefix);
    for (const key of this.shadowed) if (key.startsWith(prefix) && this.table.has(key)) n--;
    for (const key of this.entries.keys()) if (key.startsWith(prefix) && !this.inTable(key)) n++;
    return n;
  }

  put(key: string, text: string, options: { hash?: string; tentative?: boolean } = {}): void {
    if (text.includes('\n') || (options.hash ?? '').match(/[\t\n]/)) throw new Error('log-store: an entry must be one line');
    const line = options.hash === undefined ? text : `${options.hash}\t${text}`;
    if (!line) throw new Error('log-store: an entry must not be empty');
    if (!options.tentative) this.used.add(key);
    this.removed.delete(key);
    const held = this.held(key);
    if (held !== undefined && this.holds(held, line, options.hash)) return;
    if (this.table && held === undefined) this.count++;
    this.entries.set(key, line);
    this.added.push([key, line]);
  }

  /** Whether `held` is the text `line` (made from `hash`); an entry in the file is read only when its hash and length match. */
  private holds(held: Held, line: string, hash: string | undefined): boolean {
    if (typeof held === 'string') return held === line;
    if (held.hash !== (hash ?? (line.includes('\t') ? line.slice(0, line.indexOf('\t')) : undefined))) return false;
    if (held.len !== Buffer.byteLength(line)) return false;
    return this.bytesOf(held)?.equals(Buffer.from(line)) ?? false;
  }

  delete(key: string): void {
    if (!this.has(key)) return;
    if (this.table) {
      this.shadowed.add(key);
      this.count--;
    }
    this.entries.delete(key);
    this.used.delete(key);
    this.removed.add(key);
  }

  get changed(): boolean {
    return this.added.length > 0 || this.removed.size > 0 || (this.lines < 0 && (!this.retain || this.size > 0)) || this.unused() > 0;
  }

  private unused(): number {
    if (this.retain) return 0;
    // Every key marked used is held (`get` marks only what it finds, `put` holds what it marks, `delete`
    // unmarks), so the rest are the unused ones: no walk of 100,000 keys (the stat index) to count them.
    return this.entries.size - this.used.size;
  }

  /**
   * Appends this run's new entries and removals of the entries it did not use,
   * or compacts to the entries used when more than a quarter of the lines
   * would be dead (superseded or removed). Returns whether the file was touched.
   */
  async save(): Promise<boolean> {
    if (!this.file) throw new Error('log-store: an in-memory store is not saved');
    // A drop-in's save appends a few lines: nothing here is read from the file or copied whole.
    const live = this.retain ? this.size : this.used.size;
    const gone = this.retain || !this.unused() ? [...this.removed] : [...this.removed, ...[...this.entries.keys()].filter((key) => !this.used.has(key))];
    const total = this.lines + this.added.length + gone.length;
    if (this.lines >= 0 && total <= live + Math.max(64, live >> 2)) {
      if (!this.added.length && !gone.length) return false;
      const lines = this.added.map(([k, t]) => entryLine(k, t));
      for (const key of gone) lines.push(`${JSON.stringify(key)}\t\n`);
      // Where the appended texts land, for the key index: after the file's bytes as they are.
      const before = statSync(this.file);
      let pos = before.size;
      const rows: string[] = [];
      const appended = new Map<string, Held>();
      this.added.forEach(([key, text], i) => {
        const held = heldAt(text, pos + Buffer.byteLength(JSON.stringify(key)) + 1);
        appended.set(key, held);
        rows.push(indexLine(key, held));
        pos += Buffer.byteLength(lines[i]);
      });
      for (const key of gone) rows.push(indexLine(key, ''));
      await appendFile(this.file, lines.join(''));
      for (const key of gone) this.entries.delete(key);
      this.lines = total;
      await this.writeIndex(rows, appended, stampOf(before) === this.seen);
      this.added.length = 0;
      this.removed.clear();
      return true;
    }
    // Written afresh below: from every entry.
    this.materialize();
    // A retaining store left empty goes (a part whose articles are all gone).
    if (this.retain && live === 0) {
      await rm(this.file, { force: true });
      await rm(keyIndexPath(this.file), { force: true });
      await rm(keyImagePath(this.file), { force: true });
      this.indexed = false;
      this.close();
      this.lines = -1;
      this.added.length = 0;
      this.removed.clear();
      return true;
    }
    // Entries put but never used (docs computed ahead for articles later dropped) go too.
    if (!this.retain) for (const key of [...this.entries.keys()]) if (!this.used.has(key)) this.entries.delete(key);
    const keys = [...this.entries.keys()].sort();
    await this.compact(keys);
    this.lines = keys.length;
    this.added.length = 0;
    this.removed.clear();
    return true;
  }

  /**
   * Writes the file afresh with the entries of `keys` (sorted), through a
   * temporary file beside it and a rename, so readers see the old file or the
   * new one; texts still in the old file are copied as bytes, a block at a
   * time, and then read from the new one. An entry that can no longer be read
   * is left out (a miss).
   */
  private async compact(keys: string[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w+');
    const moved = new Map<string, OnDisk>();
    /** The key index of the new file, as its scan would read it. */
    const rows: string[] = [];
    let size = 0;
    try {
      const out = new BlockWriter(fd);
      out.text(`${this.header}\n`);
      for (const key of keys) {
        const held = this.held(key);
        if (held === undefined) continue;
        if (typeof held === 'string') {
          const line = entryLine(key, held);
          const n = Buffer.byteLength(line);
          if (out.full(n)) await out.room(n);
          rows.push(indexLine(key, heldAt(held, out.offset + Buffer.byteLength(JSON.stringify(key)) + 1)));
          out.text(line);
          continue;
        }
        const head = `${JSON.stringify(key)}\t`;
        const n = Buffer.byteLength(head) + held.len + 1;
        if (out.full(n)) await out.room(n);
        const bytes = this.bytesOf(held);
        if (!bytes) {
          this.entries.delete(key);
          this.used.delete(key); // (held no more: `unused` counts on used keys being held)
          continue;
        }
        out.text(head);
        moved.set(key, { ...held, pos: out.offset });
        rows.push(indexLine(key, { ...held, pos: out.offset }));
        out.bytes(bytes);
        out.text('\n');
      }
      await out.flush();
      size = out.offset;
      await rename(tmp, this.file);
    } catch (error) {
      closeSync(fd);
      await rm(tmp, { force: true });
      throw error;
    }
    for (const [key, held] of moved) this.entries.set(key, held);
    const stamp = stampOf(fstatSync(fd));
    this.seen = stamp;
    this.keep(moved.size ? fd : null, size);
    if (!moved.size) closeSync(fd);
    // The index afresh, after the file it describes (a crash between the two leaves an index whose stamp does not match).
    await writeFileAtomic(keyIndexPath(this.file), rows.join('') + stampLine(this.header, stamp, rows.length));
    this.indexed = true;
  }

  /**
   * Brings the key index up to date after an append: `rows` (the appended
   * entries and removals) and a new stamp appended to an index that described
   * the file before it; otherwise the index afresh from what the store holds,
   * `appended` giving where this save's texts went.
   */
  private async writeIndex(rows: string[], appended: Map<string, Held>, ours: boolean): Promise<void> {
    this.seen = fileStamp(this.file);
    if (!ours || this.seen === null) {
      // Someone else wrote the file since this store read it: what it holds is not what the store knows.
      await rm(keyIndexPath(this.file), { force: true });
      await rm(keyImagePath(this.file), { force: true });
      this.indexed = false;
      this.seen = null;
      return;
    }
    const stamp = stampLine(this.header, this.seen, this.lines);
    if (this.indexed) {
      await appendFile(keyIndexPath(this.file), rows.join('') + stamp);
      return;
    }
    this.materialize();
    const all: string[] = [];
    for (const [key, held] of this.entries) all.push(appended.has(key) ? indexLine(key, appended.get(key)!) : held instanceof LazyRow ? `${held.line}\n` : indexLine(key, held));
    await writeFileAtomic(keyIndexPath(this.file), all.join('') + stamp);
    this.indexed = true;
  }

  stamp(): string | null {
    return this.file ? fileStamp(this.file) : null;
  }
}
