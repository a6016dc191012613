/**
 * The per-article keyword counts (search-terms.ts) in parts: one log store
 * per month of the articles' ids (layout.ts PARTED_STORES `searchTerms`,
 * `search-terms/<YYYY-MM>.log`), opened when an article of it is asked for.
 * A drop-in's articles are in one or two months, so it opens their parts and
 * the months of the stories they reach; one store of every article was a
 * 13 MB key index to read at 100,000 articles for a handful of entries. The
 * full path, and a drop-in whose words changed weight, open every part.
 *
 * The same calls as a Store for what the search state does with the counts;
 * `stamp()` stands for every part's file (their names and stamps), so the
 * searchDf store's note of it (DF_TOKEN) still says whether the counts are
 * the ones the other stores were saved with.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileStamp } from './fingerprint.ts';
import { PARTED_STORES, partPath, partsDir } from './layout.ts';
import { LogStore } from './log-store.ts';
import { readInto } from './read-into.ts';

/** The part an article's counts are in: the month its id starts with (the ingest's ids are `YYYY-MM-…`), else its first character's code. */
export function termPart(id: string): string {
  return /^\d{4}-\d{2}/.test(id) ? id.slice(0, 7) : `x${id.charCodeAt(0).toString(16)}`;
}

export class TermParts {
  private readonly parts = new Map<string, LogStore>();

  constructor(
    private readonly content: string,
    /** The fingerprint of the code the counts come from (search-terms.ts TERMS_CODE). */
    private readonly code: string,
  ) {}

  /** The parts on disk, by name (each a plain part name: termPart's). */
  private onDisk(): string[] {
    try {
      return readdirSync(partsDir(this.content, 'searchTerms'))
        .filter((n) => n.endsWith('.log'))
        .map((n) => n.slice(0, -'.log'.length))
        .sort();
    } catch {
      return [];
    }
  }

  private part(name: string): LogStore {
    let store = this.parts.get(name);
    if (!store) {
      const spec = PARTED_STORES.searchTerms;
      // Lazy rows: a part is opened for a few of its articles.
      store = LogStore.open(partPath(this.content, 'searchTerms', name), { store: spec.file, version: spec.version, code: this.code }, { retain: true, few: true });
      this.parts.set(name, store);
    }
    return store;
  }

  private of(id: string): LogStore {
    return this.part(termPart(id));
  }

  /** Every part, opened. */
  private all(): LogStore[] {
    for (const name of this.onDisk()) this.part(name);
    return [...this.parts.values()];
  }

  /** True when there are parts on disk (each part of other code reads as empty). */
  get fromFile(): boolean {
    return this.onDisk().length > 0;
  }

  get size(): number {
    return this.all().reduce((n, s) => n + s.size, 0);
  }

  *keys(): IterableIterator<string> {
    for (const store of this.all()) yield* store.keys();
  }

  hashOf(id: string): string | undefined {
    return this.of(id).hashOf(id);
  }

  get(id: string, hash?: string): string | undefined {
    return this.of(id).get(id, hash);
  }

  /** The counts held for `id`, whatever file hash they were made from. */
  held(id: string): string | undefined {
    const hash = this.hashOf(id);
    return hash === undefined ? undefined : this.get(id, hash);
  }

  put(id: string, text: string, options: { hash?: string } = {}): void {
    this.of(id).put(id, text, options);
  }

  delete(id: string): void {
    this.of(id).delete(id);
  }

  get changed(): boolean {
    return [...this.parts.values()].some((s) => s.changed);
  }

  /** Saves the parts that changed (a part left without articles is removed). */
  async save(): Promise<void> {
    for (const store of this.parts.values()) if (store.changed) await store.save();
  }

  /**
   * The articles whose saved counts may hold one of `words` (packed counts are `term tf caps`
   * triples: a word is a whole field), found by a byte search of every part's file instead of
   * decoding 100,000 entries: a superset (superseded lines, a number equal to a word), for the
   * caller to check against `held`. Entries put since the parts were saved are not seen.
   */
  mayHold(words: readonly string[]): Set<string> {
    const out = new Set<string>();
    const dir = partsDir(this.content, 'searchTerms');
    // The word and the space after it, its field's start checked apart: a pattern that starts with a
    // space (one byte in five) made the search several times slower.
    const patterns = words.map((w) => Buffer.from(`${w} `));
    // One buffer for every part, read into in turn: a new one per part (readFileSync) is 190 MB of
    // fresh memory at 100,000 articles (read-into.ts).
    let buffer: Buffer = Buffer.alloc(0);
    for (const name of this.onDisk()) {
      let bytes: Buffer;
      try {
        ({ bytes, buffer } = readInto(path.join(dir, `${name}.log`), buffer));
      } catch {
        continue;
      }
      for (const pattern of patterns) {
        for (let at = bytes.indexOf(pattern); at >= 0; ) {
          const before = bytes[at - 1];
          if (before !== 32 && before !== 9) {
            at = bytes.indexOf(pattern, at + 1);
            continue;
          }
          const start = bytes.lastIndexOf(10, at) + 1;
          const tab = bytes.indexOf(9, start);
          if (tab > start && tab <= at) {
            try {
              const key: unknown = JSON.parse(bytes.toString('utf8', start, tab));
              if (typeof key === 'string') out.add(key);
            } catch {
              /* a damaged line: not an entry */
            }
          }
          const end = bytes.indexOf(10, at);
          at = end < 0 ? -1 : bytes.indexOf(pattern, end + 1);
        }
      }
    }
    return out;
  }

  /** Every part's name and file stamp: what the counts are, for the other stores to agree with. */
  stamp(): string {
    const dir = partsDir(this.content, 'searchTerms');
    return this.onDisk()
      .map((name) => `${name}=${fileStamp(path.join(dir, `${name}.log`))}`)
      .join(',');
  }

  close(): void {
    for (const store of this.parts.values()) store.close();
  }
}
