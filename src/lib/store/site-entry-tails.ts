/**
 * The fields of a kept article entry that a drop-in hardly ever needs (its
 * file's hash and its excerpt), kept beside its part (store/site-entries.ts)
 * in `<part>.tail.json` and read only when one of them is asked for.
 *
 * Why: a drop-in reads every part (the plan lists every page, the outlets
 * count every article) but uses the hash and the excerpt of a few dozen
 * articles (the pages it remakes, the feeds of the outlets it touches). At
 * 100,000 articles they were 29 MB of the 51 MB of article parts parsed per
 * drop-in (the excerpts 22 MB), and 200,000 strings held to the end of the build.
 *
 * A tail is written before its part, and the part names the tail's digest.
 * A tail that does not match (a crash between the two writes, a damaged
 * file) is not used: each field asked for is then read from the article's
 * own file (the entry is made from it: the same value), never guessed.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from './fingerprint.ts';
import type { ArticleIndexEntry, IndexArticle } from '../site/site-index.ts';

/** An article's tail: its file's hash and its excerpt. */
export type ArticleTail = [hash: string, excerpt: string];

/** The tail file of a part's file (`a-2025-07-0223.json` -> `a-2025-07-0223.tail.json`). */
export const tailFile = (partFile: string) => `${partFile.slice(0, -'.json'.length)}${TAIL_EXT}`;
export const TAIL_EXT = '.tail.json';

let loads = 0;
/** How many tails this process has read (tests: a drop-in reads those of the parts it needs, not all). */
export const tailsRead = (): number => loads;

/** One part's tails, read on first use. */
export class PartTail {
  #rows: ArticleTail[] | null = null;
  #unusable = false;
  constructor(
    /** The tail file. */
    private readonly file: string,
    /** Its digest as the part names it (sha256 of its text). */
    private readonly digest: string,
    /** The part's rows, in order: a tail has one per row. */
    private readonly size: number,
    /** A row's tail made from the article's own file, when the tail file cannot be used. */
    private readonly remake: (at: number) => ArticleTail,
  ) {}

  row(at: number): ArticleTail {
    if (!this.#rows && !this.#unusable) this.#load();
    return this.#rows ? this.#rows[at] : this.remake(at);
  }

  #load(): void {
    loads++;
    try {
      const text = readFileSync(this.file, 'latin1');
      const rows = (JSON.parse(text) as { rows: ArticleTail[] }).rows;
      if (sha256(text) !== this.digest || !Array.isArray(rows) || rows.length !== this.size) throw new Error('not this part');
      this.#rows = rows;
    } catch {
      this.#unusable = true;
    }
  }
}

/**
 * A kept article (IndexArticle) whose excerpt is in its part's tail. JSON gets a plain object
 * through toJSON (tests compare entries so); nothing spreads an IndexArticle (it would lose the excerpt).
 */
class KeptArticle implements IndexArticle {
  constructor(
    readonly id: string,
    readonly title: string,
    readonly source: string,
    readonly date: string | null,
    readonly story: string,
    private readonly tail: PartTail,
    private readonly at: number,
  ) {}
  get excerpt(): string {
    return this.tail.row(this.at)[1];
  }
  toJSON(): IndexArticle {
    return { id: this.id, title: this.title, source: this.source, date: this.date, excerpt: this.excerpt, story: this.story };
  }
}

/** A kept article entry whose hash is in its part's tail. */
class KeptArticleEntry implements ArticleIndexEntry {
  constructor(
    readonly id: string,
    readonly file: string,
    readonly article: KeptArticle,
    private readonly tail: PartTail,
    private readonly at: number,
  ) {}
  get hash(): string {
    return this.tail.row(this.at)[0];
  }
  toJSON(): ArticleIndexEntry {
    return { id: this.id, file: this.file, hash: this.hash, article: this.article.toJSON() };
  }
}

/**
 * An entry with every field in hand (a kept article's read from its tail now): for an entry kept past
 * the rewrite of its part, whose tail on disk is then another (the changed files' entries before the change).
 */
export const settled = <E>(e: E): E => (e instanceof KeptArticleEntry ? (e.toJSON() as E) : e);

/** An article entry of a part's row `at` (its head fields given), its hash and excerpt from `tail`. */
export function keptArticle(file: string, id: string, title: string, source: string, date: string | null, story: string, tail: PartTail, at: number): ArticleIndexEntry {
  return new KeptArticleEntry(id, file, new KeptArticle(id, title, source, date, story, tail, at), tail, at);
}

/** The tail file's text for a part's tails, and the digest its part names. */
export function tailText(rows: ArticleTail[], json: (value: unknown) => string): { text: string; digest: string } {
  const text = `${json({ rows })}\n`;
  return { text, digest: sha256(text) };
}
