/**
 * Data handed from one ingest stage to the next:
 * read -> decode -> parse -> clean -> dedupe -> metadata -> cluster -> digest -> write.
 * Every stage between read and write is pure: same input, same output.
 */
import type { Removal } from '../schema.ts';

export type { Removal };

export type InputFormat = 'txt' | 'md' | 'html' | 'json';

/** A file found under the drop folder, before decoding. */
export interface RawFile {
  /** Path relative to the drop folder, `/`-separated. */
  raw: string;
  bytes: Uint8Array;
}

/** Metadata a format carries explicitly (front matter, `<meta>`, JSON fields). */
export interface Hints {
  title?: string;
  dek?: string;
  source?: string;
  date?: string;
  url?: string;
  byline?: string;
  lang?: string;
}

/** One article as parsed from its file: explicit metadata plus text lines. */
export interface ParsedDoc {
  raw: string;
  /** Index within a multi-article file (a JSON array); 0 otherwise. */
  part: number;
  format: InputFormat;
  hints: Hints;
  /** The text, one block (line or paragraph) per entry, untouched by cleaning. */
  lines: string[];
  /** Lines the parser already knows are headings (from Markdown `#` or HTML `<h2>`). */
  headingLines?: Set<number>;
  warnings: string[];
}

export type BlockKind = 'p' | 'h2';
export interface Block {
  kind: BlockKind;
  text: string;
}

/** Header lines the cleaner recognised above the body. */
export interface HeaderFields {
  title?: string;
  dek?: string;
  byline?: string;
  /** Date from a status header line or dateline, YYYY-MM-DD. */
  date?: string;
  /** Outlet named by a dateline marker, a disclaimer or a copyright line. */
  source?: string;
}

/** The cleaner's output: the article's body and everything it removed. */
export interface CleanDoc {
  doc: ParsedDoc;
  header: HeaderFields;
  body: Block[];
  removed: Removal[];
  /** Why gentler rules were used, if they were. */
  notes: string[];
}

/** A fully described article, ready for grouping. */
export interface Article {
  id: string;
  raw: string;
  part: number;
  format: InputFormat;
  title: string;
  titleDerived: boolean;
  dek: string | null;
  source: string;
  byline: string | null;
  date: string | null;
  url: string | null;
  lang: string;
  body: Block[];
  removed: Removal[];
  words: number;
  excerpt: string;
}

export interface Rejection {
  raw: string;
  reason: string;
}

export interface Warning {
  raw: string;
  message: string;
}

/** Grouping result for one article. */
export interface Assignment {
  story: string;
  copyOf: string | null;
  score: number;
  shared: string[];
}
