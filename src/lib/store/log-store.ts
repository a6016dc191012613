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
 */
import { readFileSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { fileStamp } from './fingerprint.ts';
import { PARTED_STORES, STORES, partPath, statePath, type PartedStoreName, type StoreName } from './layout.ts';
import { writeFileAtomic } from './write-file.ts';

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
export function openStore(content: string, name: StoreName, code: string, options: { retain?: boolean } = {}): LogStore {
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

export class LogStore implements Store {
  private readonly entries = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly added: Array<[string, string]> = [];
  /** Keys deleted this run (a retaining store's removals). */
  private readonly removed = new Set<string>();
  /** Entry lines in the file as read (superseded ones included); -1: start a new file. */
  private lines = -1;

  private constructor(
    private readonly header: string,
    private readonly file: string,
    /** Keep entries a run did not use (see above). */
    private readonly retain = false,
  ) {}

  /** Reads `file` synchronously (one large read); another header (store, version, code) gives an empty store. */
  static open(file: string, header: StoreHeader, options: { retain?: boolean } = {}): LogStore {
    const line = headerLine(header);
    const store = new LogStore(line, file, options.retain ?? false);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return store;
    }
    const first = text.indexOf('\n');
    if (first < 0 || text.slice(0, first) !== line) return store;
    const { lines, whole } = scanEntries(text, first + 1, (key, entry) => {
      if (entry) store.entries.set(key, entry);
      else store.entries.delete(key);
    });
    // Text after the last newline: a torn append. Rewrite rather than append after it.
    store.lines = whole ? lines : -1;
    return store;
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
    return this.entries.size;
  }

  get(key: string, hash?: string): string | undefined {
    const text = this.entries.get(key);
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
    const text = this.entries.get(key);
    if (text === undefined) return undefined;
    const tab = text.indexOf('\t');
    return tab < 0 ? undefined : text.slice(0, tab);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  put(key: string, text: string, options: { hash?: string; tentative?: boolean } = {}): void {
    if (text.includes('\n') || (options.hash ?? '').match(/[\t\n]/)) throw new Error('log-store: an entry must be one line');
    const line = options.hash === undefined ? text : `${options.hash}\t${text}`;
    if (!line) throw new Error('log-store: an entry must not be empty');
    if (!options.tentative) this.used.add(key);
    this.removed.delete(key);
    if (this.entries.get(key) === line) return;
    this.entries.set(key, line);
    this.added.push([key, line]);
  }

  delete(key: string): void {
    if (!this.entries.has(key)) return;
    this.entries.delete(key);
    this.used.delete(key);
    this.removed.add(key);
  }

  get changed(): boolean {
    return this.added.length > 0 || this.removed.size > 0 || (this.lines < 0 && (!this.retain || this.entries.size > 0)) || this.unused() > 0;
  }

  private unused(): number {
    if (this.retain) return 0;
    let n = 0;
    for (const key of this.entries.keys()) if (!this.used.has(key)) n++;
    return n;
  }

  /**
   * Appends this run's new entries and removals of the entries it did not use,
   * or compacts to the entries used when more than a quarter of the lines
   * would be dead (superseded or removed). Returns whether the file was touched.
   */
  async save(): Promise<boolean> {
    if (!this.file) throw new Error('log-store: an in-memory store is not saved');
    const kept = this.retain ? new Set(this.entries.keys()) : this.used;
    const live = kept.size;
    const gone = this.retain ? [...this.removed] : [...this.entries.keys()].filter((key) => !this.used.has(key));
    const total = this.lines + this.added.length + gone.length;
    if (this.lines >= 0 && total <= live + Math.max(64, live >> 2)) {
      if (!this.added.length && !gone.length) return false;
      const lines = this.added.map(([k, t]) => entryLine(k, t));
      for (const key of gone) lines.push(`${JSON.stringify(key)}\t\n`);
      await appendFile(this.file, lines.join(''));
      for (const key of gone) this.entries.delete(key);
      this.lines = total;
      this.added.length = 0;
      this.removed.clear();
      return true;
    }
    // A retaining store left empty goes (a part whose articles are all gone).
    if (this.retain && live === 0) {
      await rm(this.file, { force: true });
      this.lines = -1;
      this.added.length = 0;
      this.removed.clear();
      return true;
    }
    const keys = [...kept].sort();
    const parts = [this.header, '\n'];
    for (const key of keys) parts.push(entryLine(key, this.entries.get(key)!));
    // Entries put but never used (docs computed ahead for articles later dropped) go too.
    await writeFileAtomic(this.file, parts.join(''));
    for (const key of [...this.entries.keys()]) if (!kept.has(key)) this.entries.delete(key);
    this.lines = keys.length;
    this.added.length = 0;
    this.removed.clear();
    return true;
  }

  stamp(): string | null {
    return this.file ? fileStamp(this.file) : null;
  }
}
