/**
 * The fields of a kept entry that a drop-in hardly ever needs, kept beside
 * its part (store/site-entries.ts) in `<part>.tail.json` and read only when
 * one of them is asked for: an article's file hash and excerpt, a story's
 * summary past its first sentence.
 *
 * Why: a drop-in reads every part (the plan lists every page, the outlets
 * count every article) but uses the hash and the excerpt of a few dozen
 * articles (the pages it remakes, the feeds of the outlets it touches) and
 * the whole summary of the site feed's stories. At 100,000 articles they
 * were 40 MB of the 79 MB of parts parsed per drop-in (the excerpts 22 MB,
 * the summaries 14 MB), and 300,000 strings held to the end of the build.
 * A story's summary is read from its own file (8 KB) while its part's tail
 * is not in hand: the site feed's stories fall in half the story parts.
 *
 * A tail is written before its part, and the part names the tail's digest.
 * A tail that does not match (a crash between the two writes, a damaged
 * file) is not used: each field asked for is then read from the article's
 * own file (the entry is made from it: the same value), never guessed.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from './fingerprint.ts';
import { FIRST_SENTENCE, type ArticleIndexEntry, type IndexArticle, type IndexStory } from '../site/site-index.ts';

/** An article's tail: its file's hash and its excerpt. */
export type ArticleTail = [hash: string, excerpt: string];
/** A story's tail: its summary past the first sentence. */
export type StoryTail = [rest: string[]];

/** The tail file of a part's file (`a-2025-07-0223.json` -> `a-2025-07-0223.tail.json`). */
export const tailFile = (partFile: string) => `${partFile.slice(0, -'.json'.length)}${TAIL_EXT}`;
export const TAIL_EXT = '.tail.json';

let loads = 0;
/** How many tails this process has read (tests: a drop-in reads those of the parts it needs, not all). */
export const tailsRead = (): number => loads;

/** One part's tails, read on first use. */
export class PartTail<T extends unknown[] = ArticleTail> {
  #rows: T[] | null = null;
  #unusable = false;
  constructor(
    /** The tail file. */
    private readonly file: string,
    /** Its digest as the part names it (sha256 of its text). */
    private readonly digest: string,
    /** The part's rows, in order: a tail has one per row. */
    private readonly size: number,
    /** A row's tail made from the entry's own file, when the tail file cannot be used (or is not read). */
    private readonly remake: (at: number) => T,
  ) {}

  /** Row `at`'s tail: the tail file read if it is not yet. */
  row(at: number): T {
    this.load();
    return this.peek(at);
  }

  /**
   * Row `at`'s tail from the tail file only: for an entry whose file the ingest may have rewritten
   * since (its file no longer gives what the entry was). Throws when the tail file cannot be used.
   */
  strict(at: number): T {
    this.load();
    if (!this.#rows) throw new Error(`${this.file}: not the tail of its part`);
    return this.#rows[at];
  }

  /** Row `at`'s tail from the tail file if it is in hand, else from the entry's file. */
  peek(at: number): T {
    return this.#rows ? this.#rows[at] : this.remake(at);
  }

  /** Reads the tail file (once): before a part is written again, its every row's tail is wanted. */
  load(): void {
    if (this.#rows || this.#unusable) return;
    loads++;
    try {
      const text = readFileSync(this.file, 'latin1');
      const rows = (JSON.parse(text) as { rows: T[] }).rows;
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
  /** As toJSON, the tail from the tail file only (PartTail.strict). */
  settle(): ArticleIndexEntry {
    const [hash, excerpt] = this.tail.strict(this.at);
    const a = this.article;
    return { id: this.id, file: this.file, hash, article: { id: a.id, title: a.title, source: a.source, date: a.date, excerpt, story: a.story } };
  }
}

/**
 * A kept story's index fields (IndexStory less its related lists): its summary is its first sentence
 * (in the part) and the rest from its part's tail, or from the story's file while the tail is not
 * read. Made whole for JSON by toJSON, with `related` when the site index gave it one (site-index.ts
 * indexStory keeps the getter: a spread would lose it).
 */
class KeptStory implements Omit<IndexStory, 'related'> {
  /** The whole summary once made (not a #private field: site-index.ts indexStory copies the object). */
  private memo: string[] | null = null;
  declare related?: IndexStory['related'];
  constructor(
    readonly id: string,
    readonly headline: string,
    readonly dek: string | null,
    private readonly lead: string | null,
    private readonly sentences: number,
    readonly sources: string[],
    readonly articles: string[],
    readonly firstDate: string | null,
    readonly lastDate: string | null,
    readonly entities: string[],
    private readonly tail: PartTail<StoryTail>,
    private readonly at: number,
  ) {}
  /** site-index.ts storyLead: the first sentence without the rest. */
  get [FIRST_SENTENCE](): string | null {
    return this.sentences ? this.lead : null;
  }
  get summary(): string[] {
    if (this.sentences < 2) return this.sentences ? [this.lead!] : [];
    return (this.memo ??= [this.lead!, ...this.tail.peek(this.at)[0]]);
  }
  toJSON(): Omit<IndexStory, 'related'> & { related?: IndexStory['related'] } {
    const { id, headline, dek, summary, sources, articles, firstDate, lastDate, entities, related } = this;
    return { id, headline, dek, summary, sources, articles, firstDate, lastDate, entities, ...(related ? { related } : {}) };
  }
  /** As toJSON (without `related`), the tail from the tail file only (PartTail.strict). */
  settle(): Omit<IndexStory, 'related'> {
    const { id, headline, dek, sources, articles, firstDate, lastDate, entities } = this;
    const summary = this.sentences < 2 ? (this.sentences ? [this.lead!] : []) : [this.lead!, ...this.tail.strict(this.at)[0]];
    return { id, headline, dek, summary, sources, articles, firstDate, lastDate, entities };
  }
  /** Its part's tail, to read before the part is written again. */
  get partTail(): PartTail<StoryTail> {
    return this.tail;
  }
}

/** A kept story's index fields (see KeptStory): `lead` and `sentences` from its part's row, the rest from `tail`. */
export function keptStory(
  fields: { id: string; headline: string; dek: string | null; lead: string | null; sentences: number; sources: string[]; articles: string[]; firstDate: string | null; lastDate: string | null; entities: string[] },
  tail: PartTail<StoryTail>,
  at: number,
): Omit<IndexStory, 'related'> {
  const f = fields;
  return new KeptStory(f.id, f.headline, f.dek, f.lead, f.sentences, f.sources, f.articles, f.firstDate, f.lastDate, f.entities, tail, at);
}

/** The tail of a kept story's part, if it is one (KeptStory): read before the part is written again. */
export const storyTailOf = (story: Omit<IndexStory, 'related'>): PartTail<StoryTail> | null => (story instanceof KeptStory ? story.partTail : null);

/**
 * An entry with every field in hand, read from its part's tail now: for the entry a changed file had
 * before the change, kept past the rewrite of its part (whose tail on disk is then another), and not
 * to be read from the file (rewritten or removed since). Throws when the tail cannot be used: what the
 * entry was is then unknown (store/site-entries.ts leaves the drop-in route).
 */
export const settled = <E>(e: E): E => {
  if (e instanceof KeptArticleEntry) return e.settle() as E;
  const story = (e as { story?: unknown }).story;
  return story instanceof KeptStory ? { ...e, story: story.settle() } : e;
};

/** An article entry of a part's row `at` (its head fields given), its hash and excerpt from `tail`. */
export function keptArticle(file: string, id: string, title: string, source: string, date: string | null, story: string, tail: PartTail, at: number): ArticleIndexEntry {
  return new KeptArticleEntry(id, file, new KeptArticle(id, title, source, date, story, tail, at), tail, at);
}

/** The tail file's text for a part's tails, and the digest its part names. */
export function tailText(rows: unknown[][], json: (value: unknown) => string): { text: string; digest: string } {
  const text = `${json({ rows })}\n`;
  return { text, digest: sha256(text) };
}
