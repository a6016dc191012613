/**
 * An append-only key -> text store on disk, for the caches that hold an entry
 * per article (the per-file cache, cache.ts; the cluster doc cache,
 * doc-cache.ts). A drop-in adds one or two entries to stores of 20-30 MB at
 * 10,000 articles; rewriting them whole cost about 0.5 s a run. Here a run
 * appends its new entries, and the file is rewritten (compacted: live entries
 * only, sorted, so equal contents give equal bytes) only when superseded or
 * unused entries make up a good part of it, or a new pipeline starts it afresh.
 *
 * Format: a header line `{"version":V,"pipeline":P}`, then one line per entry,
 * `<JSON key>\t<text>`; a later line for a key replaces an earlier one, and
 * an empty text removes it (entries not used by a run are removed so). The
 * text is kept as read and parsed by the caller on use, so an entry nobody
 * asks for is never parsed, and a parsed entry is the caller's own object.
 * A line cut short by a crash (no newline) is ignored, and the next save then
 * compacts. Like every cache here, anything unreadable is an empty store.
 */
import { readFileSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { writeFileAtomic } from '../build/write-fs.ts';

export class LogStore {
  private readonly entries = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly added: Array<[string, string]> = [];
  /** Entry lines in the file as read (superseded ones included); -1: start a new file. */
  private lines = -1;

  private constructor(
    private readonly header: string,
    private readonly file: string,
  ) {}

  /** Reads `file` synchronously (one large read); another version or pipeline gives an empty store. */
  static read(file: string, version: number, pipeline: string): LogStore {
    const header = JSON.stringify({ version, pipeline });
    const store = new LogStore(header, file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return store;
    }
    const first = text.indexOf('\n');
    if (first < 0 || text.slice(0, first) !== header) return store;
    let lines = 0;
    let start = first + 1;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      const tab = text.indexOf('\t', start);
      if (tab > start && tab < end) {
        try {
          const key = JSON.parse(text.slice(start, tab)) as string;
          if (tab + 1 === end) store.entries.delete(key);
          else store.entries.set(key, text.slice(tab + 1, end));
          lines++;
        } catch {
          /* a damaged line: that entry is a miss */
        }
      }
      start = end + 1;
    }
    // Text after the last newline: a torn append. Rewrite rather than append after it.
    store.lines = start === text.length ? lines : -1;
    return store;
  }

  /** A store kept in memory only (nothing to read; never saved): the same code path without a cache on disk. */
  static inMemory(): LogStore {
    return new LogStore('', '');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The stored text for `key`, marking it used this run. */
  get(key: string): string | undefined {
    const text = this.entries.get(key);
    if (text !== undefined) this.used.add(key);
    return text;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The text without marking the entry used. */
  peek(key: string): string | undefined {
    return this.entries.get(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Stores `text` (one line: no newline) for `key`; `use` false: kept only if a later `get` asks for it. */
  set(key: string, text: string, use = true): void {
    if (!text || text.includes('\n')) throw new Error('log-store: an entry must be one non-empty line');
    if (use) this.used.add(key);
    if (this.entries.get(key) === text) return;
    this.entries.set(key, text);
    this.added.push([key, text]);
  }

  /** True when saving would change the file. */
  get changed(): boolean {
    return this.added.length > 0 || this.lines < 0 || this.unused() > 0;
  }

  private unused(): number {
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
    const live = this.used.size;
    const gone = [...this.entries.keys()].filter((key) => !this.used.has(key));
    const total = this.lines + this.added.length + gone.length;
    if (this.lines >= 0 && total <= live + Math.max(64, live >> 2)) {
      if (!this.added.length && !gone.length) return false;
      const lines = this.added.map(([k, t]) => `${JSON.stringify(k)}\t${t}\n`);
      for (const key of gone) lines.push(`${JSON.stringify(key)}\t\n`);
      await appendFile(this.file, lines.join(''));
      for (const key of gone) this.entries.delete(key);
      this.lines = total;
      this.added.length = 0;
      return true;
    }
    const keys = [...this.used].sort();
    const parts = [this.header, '\n'];
    for (const key of keys) parts.push(JSON.stringify(key), '\t', this.entries.get(key)!, '\n');
    // Entries set but never used (docs computed ahead for articles later dropped) go too.
    await writeFileAtomic(this.file, parts.join(''));
    for (const key of [...this.entries.keys()]) if (!this.used.has(key)) this.entries.delete(key);
    this.lines = keys.length;
    this.added.length = 0;
    return true;
  }

  /** The file's stat, to tell later whether anyone else changed it. */
  stamp(): string | null {
    return storeStamp(this.file);
  }
}

/** The stat stamp of a store file, as `LogStore.stamp` gives it. */
export function storeStamp(file: string): string | null {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? stampOf(s) : null;
}

/** Size, mtime and inode: any rewrite (always through append or rename) changes one of them. */
export function stampOf(s: { size: number; mtimeMs: number; ino: number }): string {
  return `${s.size}:${s.mtimeMs}:${s.ino}`;
}
