/**
 * Per content file, what the site index and the page plan need of it (its
 * `ArticleIndexEntry` / `StoryIndexEntry`, src/lib/site/site-index.ts), kept
 * between builds under the file's stat (size, mtime, inode). A drop-in parses
 * only the files the ingest rewrote; every other file costs at most a stat and
 * its share of one JSON parse, not its YAML, its zod validation or its body.
 *
 * The ingest writes every file through a rename, so a rewrite always shows as
 * a new inode or mtime. Entries are keyed by the parsing code too (the schema
 * and site-index.ts): a change to either re-reads every file.
 *
 * Kept in parts (layout.ts `siteEntries`, `site-entries/<part>.json`): the
 * articles by the month their file name starts with and a few characters
 * more, the stories by their name's first characters (partOf). Each part is one JSON text, `{version, code,
 * rows}` with rows `[file name, stamp, entry]` in name order, read with one
 * parse and written whole: a drop-in rewrites the parts of the files it
 * changed (a few hundred articles, a letter of stories), never the archive's.
 * (A log store of one line per file, read back line by line, was 0.5 s of a
 * drop-in at 100,000 articles: 120,000 reads, decodes and parses of a few
 * hundred bytes, and the strings' garbage; one parse per part is about half.)
 *
 * A drop-in need not stat every file either (120,000 stats were a second of a
 * drop-in at 100,000 articles): the ingest says which files it wrote and
 * removed (`ContentChanges`). `site-entries/synced.json` keeps the output hash
 * (the ingest's hash of every content file's name and bytes) of the content
 * the parts were last brought up to date with; it is removed before any part
 * is rewritten and written after the last, so it never names content the
 * parts do not hold. When the ingest started from exactly that content and
 * checked so (its drop-in route checks every file's stat against the stamp of
 * the output it names), only the files it wrote or removed are looked at;
 * anything else (another route, an ingest run without a site build in
 * between, a crash between the two, a part unreadable, no changes given) is
 * the stat of every file, as before.
 *
 * Size: about 520 lines: how a part's rows are packed, read, followed from
 * the ingest's changes and written again, in one place, so the rules that
 * keep the parts equal to the files have one home (the fields read on first
 * use are site-entry-tails.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { articleEntry, listFiles, parseArticle, parseStory, storyEntry, type ArticleIndexEntry, type SiteEntries, type StoryIndexEntry } from '../site/site-index.ts';
import { sha256, sourceFingerprint, stampOf } from './fingerprint.ts';
import { statePath } from './layout.ts';
import { asciiJson, asciiText, writeFileAtomic } from './write-file.ts';
import { readInto } from './read-into.ts';
import { keptArticle, keptStory, PartTail, settled, storyTailOf, tailFile, tailText, TAIL_EXT, type ArticleTail, type StoryTail } from './site-entry-tails.ts';

export { keepRelated, readKeptRelated, type KeptRelated } from './site-related.ts';

/** The parsing code: a change to the schema or to how an entry is made re-reads every file. */
const PARSING_CODE = ['src/lib/schema.ts', 'src/lib/site/site-index.ts', 'package-lock.json'];

/**
 * Bumped when a part's shape changes unseen by the parsing code's fingerprint (2: rows as tuples;
 * 3: finer parts, partOf; 4: an article's hash and excerpt, a story's summary past its first
 * sentence, in the part's tail, site-entry-tails.ts).
 */
const PART_VERSION = 4;

export const siteEntriesPath = (content: string) => statePath(content, 'siteEntries');

/** An article as the search keyword store reads it: its file's text only when asked (a changed file). */
export interface ArticleText {
  id: string;
  hash: string;
  readonly text: string;
}

/** An article's text read on first use (one object per article, no closure each: 100,000 of them per build). */
class LazyArticleText implements ArticleText {
  private read: string | null = null;
  constructor(
    readonly id: string,
    readonly hash: string,
    private readonly file: string,
  ) {}
  get text(): string {
    this.read ??= readFileSync(this.file, 'utf8');
    return this.read;
  }
}

export interface CachedEntries {
  entries: SiteEntries;
  articles: ArticleText[];
  /** Files parsed this time (not found under their stat). */
  parsed: number;
  /**
   * When the entries followed on from the ingest's changes (see above): the files it wrote or
   * removed since the content the entries last agreed with (`ContentChanges.from`); else null.
   */
  changed: ReadonlySet<string> | null;
  /**
   * With `changed`: the entries those files had in the content the entries last agreed with, by
   * `<folder>/<file>` (a file new since has none).
   */
  was: Map<string, ArticleIndexEntry | StoryIndexEntry> | null;
}

/**
 * What this build's ingest changed in the content folder: the output hash of
 * the content it started from, when it checked that the files on disk were
 * that output (null otherwise), the output hash of the content it left, and
 * the files it wrote or removed (`articles/<file>`, `stories/<file>`).
 */
export interface ContentChanges {
  from: string | null;
  to: string;
  files: string[];
}

type Entry = ArticleIndexEntry | StoryIndexEntry;
/** A kept file: its name in its folder, its stamp (fingerprint.ts stampOf), its entry. */
type Row<E extends Entry = Entry> = [file: string, stamp: string, entry: E];

interface PartText {
  version: number;
  code: string;
  /** `packArticle` / `packStory` of each row. */
  rows: unknown[][];
  /** The digest of its tail (site-entry-tails.ts), which holds a row's fields seldom used. */
  tail?: string;
}

/**
 * A row as a part keeps it: the entry's fields in a fixed order, without their names or what the
 * row repeats (the file name; the id when it is the file's name; a story's reads when they are its
 * articles). A third fewer bytes to parse than the entries' JSON, at 100,000 articles 30 MB.
 */
type Packed = unknown[];

const SAME = 0;
const idFrom = (file: string, ext: string, id: string) => (file === id + ext ? SAME : id);
const idOf = (file: string, ext: string, packed: unknown) => (packed === SAME ? file.slice(0, -ext.length) : (packed as string));
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** An article's row in its part and its tail (site-entry-tails.ts: the hash and excerpt, read on first use). */
function packArticle([file, stamp, e]: Row<ArticleIndexEntry>): { head: Packed; tail: ArticleTail | [] } {
  const a = e.article;
  const tail: ArticleTail = [e.hash, a.excerpt];
  const head: Packed = [file, stamp, idFrom(file, '.md', e.id), a.title, a.source, a.date, a.story];
  // An entry whose own fields disagree, or with a field missing (none the code makes), is kept whole
  // in the part (a plain object: toJSON of a kept one): an array would read a missing field back as null.
  if (e.file !== file || a.id !== e.id || head.includes(undefined) || tail.includes(undefined as never)) return { head: [file, stamp, JSON.parse(JSON.stringify(e))], tail: [] };
  return { head, tail };
}

function unpackArticle(p: Packed, tail: PartTail, at: number): Row<ArticleIndexEntry> {
  const file = p[0] as string;
  if (p.length === 3) return p as Row<ArticleIndexEntry>;
  const id = idOf(file, '.md', p[2]);
  return asRow(p, keptArticle(file, id, p[3] as string, p[4] as string, p[5] as string | null, p[6] as string, tail, at));
}

/**
 * The packed row `p` made the row of `entry` in place (its file and stamp are already its first two
 * fields): no second array per row (120,000 at 100,000 articles, and their garbage).
 */
function asRow<E extends Entry>(p: Packed, entry: E): Row<E> {
  p[2] = entry;
  p.length = 3;
  return p as Row<E>;
}

/** A story's row in its part and its tail (site-entry-tails.ts: its summary past the first sentence). */
function packStory([file, stamp, e]: Row<StoryIndexEntry>): { head: Packed; tail: StoryTail | [] } {
  const s = e.story;
  const summary = s.summary;
  const packed: Packed = [
    file,
    stamp,
    idFrom(file, '.json', e.id),
    e.hash,
    s.headline,
    s.dek,
    summary[0] ?? null,
    summary.length,
    s.sources,
    s.articles,
    s.firstDate,
    s.lastDate,
    s.entities,
    e.nearMisses.map((m) => [m.id, m.shared]),
    sameList(e.reads, s.articles) ? SAME : e.reads,
    e.mergedFrom,
    e.editLinks,
  ];
  const whole = e.file !== file || s.id !== e.id || packed.includes(undefined) || !Array.isArray(summary) || summary.some((x) => typeof x !== 'string');
  return whole ? { head: [file, stamp, JSON.parse(JSON.stringify(e))], tail: [] } : { head: packed, tail: [summary.slice(1)] };
}

function unpackStory(p: Packed, tail: PartTail<StoryTail>, at: number): Row<StoryIndexEntry> {
  const file = p[0] as string;
  if (p.length === 3) return p as Row<StoryIndexEntry>;
  const id = idOf(file, '.json', p[2]);
  const articles = p[9] as string[];
  const fields = { id, headline: p[4] as string, dek: p[5] as string | null, lead: p[6] as string | null, sentences: p[7] as number, sources: p[8] as string[], articles, firstDate: p[10] as string | null, lastDate: p[11] as string | null, entities: p[12] as string[] };
  return asRow(p, {
    id,
    file,
    hash: p[3] as string,
    story: keptStory(fields, tail, at),
    nearMisses: (p[13] as Array<[string, string[]]>).map(([mid, shared]) => ({ id: mid, shared })),
    reads: p[14] === SAME ? articles.slice() : (p[14] as string[]),
    mergedFrom: p[15] as string[],
    editLinks: p[16] as string[],
  });
}


const FOLDERS = ['articles', 'stories'] as const;
type Folder = (typeof FOLDERS)[number];
const EXT: Record<Folder, string> = { articles: '.md', stories: '.json' };

/**
 * Characters of a file's name that pick its part. An article is kept by its name's month and the 4
 * characters after it, its dash and 3 more (the ingest names articles `YYYY-MM-` and the raw file's
 * name: a month of a year of news, 8,000 articles and 4 MB of part, comes in parts of a few
 * hundred), a story by its name's first character. A drop-in rewrites the parts of the files it
 * changed: at 100,000 articles a month's part was 4 MB of JSON made, escaped and written per
 * drop-in. Stories are not cut finer: 2 characters (250 parts at 100,000 articles) read about as
 * much slower as a letter's part (1 MB) takes to write, and slower at 10,000 (each part a file to
 * open and parse).
 */
const ARTICLE_PART_CHARS = 4;
const STORY_PART_CHARS = 1;
/** Characters of a name that decide its part, whatever its folder (partOf reads no more). */
const PART_KEY = 7 + Math.max(ARTICLE_PART_CHARS, STORY_PART_CHARS);

/** A name's characters as a part's file name may hold them: `[0-9a-z-]` as they are, any other by its code. */
function partChars(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45 ? text[i] : `_${c.toString(16)}`;
  }
  return out;
}

/**
 * The part a file's entry is kept in (see ARTICLE_PART_CHARS above): an article's by its name's month and
 * the characters after it (a drop-in's land in one or two), a story's by its name's first
 * characters; any other article by its first character. Names sort by part, then within it, but
 * for names with a character a part's name holds by its code (readParts sorts those).
 */
export function partOf(folder: Folder, file: string): string {
  if (folder === 'articles' && /^\d{4}-\d{2}/.test(file)) return `a-${file.slice(0, 7)}${partChars(file.slice(7, 7 + ARTICLE_PART_CHARS))}`;
  if (folder === 'stories') return `s-${partChars(file.slice(0, STORY_PART_CHARS))}`;
  return `a-${partChars(file[0] ?? '')}`;
}

const SYNCED_FILE = 'synced.json';

/**
 * The parts on disk: each folder's rows in name order, and the parts as they were (by name). An
 * article's hash and excerpt are read from its part's tail on first use, or else from its file in `root`.
 */
function readParts(dir: string, code: string, root: string): { rows: Record<Folder, Row[]>; parts: Set<string>; damaged: boolean; unnamed: number } {
  const rows: Record<Folder, Row[]> = { articles: [], stories: [] };
  // Each part's rows (in name order as written), put in order by their first name below.
  const runs: Record<Folder, Row[][]> = { articles: [], stories: [] };
  const parts = new Set<string>();
  let damaged = false;
  // Rows whose id is not their file's name (a packed row says so: idFrom), or kept whole.
  let unnamed = 0;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith(TAIL_EXT) && n !== SYNCED_FILE).sort();
  } catch {
    return { rows, parts, damaged: false, unnamed };
  }
  // One buffer read into for every part (read-into.ts), each part's text decoded from it.
  let buffer: Buffer = Buffer.alloc(0);
  for (const name of names) {
    const part = name.slice(0, -'.json'.length);
    const folder: Folder | null = part.startsWith('a-') ? 'articles' : part.startsWith('s-') ? 'stories' : null;
    if (!folder) continue;
    parts.add(part);
    try {
      let bytes: Buffer;
      ({ bytes, buffer } = readInto(path.join(dir, name), buffer));
      // Written as ASCII (asciiJson): decoded as one-byte text, half the cost of UTF-8's decode and parse.
      const text = JSON.parse(asciiText(bytes)) as PartText;
      if (text.version !== PART_VERSION || text.code !== code || !Array.isArray(text.rows)) throw new Error('another version');
      if (!text.rows.length) continue;
      if (typeof text.tail !== 'string') throw new Error('no tail');
      for (const r of text.rows) if (r.length === 3 || r[2] !== SAME) unnamed++;
      const rows = text.rows;
      const tailPath = path.join(dir, tailFile(name));
      // A row's tail as its file gives it (the entry is made from it): the tail unusable, or not read (a story's).
      const fileOf = (at: number) => `${root}${path.sep}${folder}${path.sep}${rows[at][0] as string}`;
      if (folder === 'stories') {
        const tail = new PartTail<StoryTail>(tailPath, text.tail, rows.length, (at) => {
          // The file the row was made from (validated then): its summary's text as storyEntry takes it,
          // without validating 8 KB again per story (the site feed asks for 20 stories' per drop-in).
          const data = JSON.parse(readFileSync(fileOf(at), 'utf8')) as { summary: Array<{ text: string }> };
          return [data.summary.slice(1).map((x) => x.text)];
        });
        runs.stories.push(rows.map((p, at) => unpackStory(p, tail, at)));
      } else {
        const tail = new PartTail<ArticleTail>(tailPath, text.tail, rows.length, (at) => {
          const body = readFileSync(fileOf(at), 'utf8');
          return [sha256(body), parseArticle(rows[at][0] as string, body).data.excerpt];
        });
        runs.articles.push(rows.map((p, at) => unpackArticle(p, tail, at)));
      }
    } catch {
      // Unreadable, or of other code: its files are parsed again, and the drop-in route is not trusted.
      damaged = true;
    }
  }
  for (const folder of FOLDERS) {
    // By their first name, not their part's: a part name holds some characters by their code
    // (partOf), which sorts them elsewhere than the names do. Parts hold runs of names that do not
    // interleave, so the rows come out in order without sorting 100,000 of them.
    const byFirst = runs[folder].sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : 0));
    const list = (rows[folder] = byFirst.length === 1 ? byFirst[0] : ([] as Row[]).concat(...byFirst));
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) if (!(list[i - 1][0] < list[i][0])) sorted = false;
    if (!sorted) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  return { rows, parts, damaged, unnamed };
}

/** The first index from `from` of `rows` (sorted by name) whose name is not before `file`. */
function findIndex(rows: Row[], file: string, from = 0): number {
  let lo = from;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid][0] < file) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The row of `file` in `rows` (sorted by name), or undefined. */
function findRow(rows: Row[], file: string): Row | undefined {
  const at = findIndex(rows, file);
  return rows[at]?.[0] === file ? rows[at] : undefined;
}

/**
 * The files of a folder among the ingest's changes (`<folder>/<file>` keys), by name in order; any
 * key naming no entry file of the folder (as listFiles would list them) left out.
 */
function writtenIn(folder: Folder, touched: ReadonlySet<string>): string[] {
  const prefix = `${folder}/`;
  const out: string[] = [];
  for (const key of touched) {
    if (!key.startsWith(prefix)) continue;
    const file = key.slice(prefix.length);
    if (file.endsWith(EXT[folder]) && !file.startsWith('.') && !file.includes('/')) out.push(file);
  }
  return out.sort();
}

export async function readSiteEntries(contentDir: string, changes?: ContentChanges | null): Promise<CachedEntries> {
  const dir = siteEntriesPath(contentDir);
  const code = sourceFingerprint(PARSING_CODE);
  const kept = readParts(dir, code, path.resolve(contentDir));
  let synced: string | null = null;
  try {
    const s = JSON.parse(readFileSync(path.join(dir, SYNCED_FILE), 'utf8')) as { version: number; code: string; content: string };
    if (s.version === PART_VERSION && s.code === code && typeof s.content === 'string') synced = s.content;
  } catch {
    /* none: every file statted */
  }
  // Files the ingest wrote or removed, when the entries can follow on from its changes; null: stat every file.
  let touched = changes?.from && !kept.damaged && synced === changes.from ? new Set(changes.files) : null;
  // What the changed files were (read before their new entries replace them): a drop-in updates the
  // related lists the last build kept from them (site/related.ts).
  let was: Map<string, Entry> | null = null;
  if (touched) {
    was = new Map();
    try {
      for (const key of touched) {
        const slash = key.indexOf('/');
        const folder = key.slice(0, slash);
        if (folder !== 'articles' && folder !== 'stories') continue;
        const row = findRow(kept.rows[folder], key.slice(slash + 1));
        // In hand before the part is rewritten below (its tail on disk is then the new one's).
        if (row) was.set(key, settled(row[2]));
      }
    } catch {
      // A changed file's part with its tail unusable: what the file was is unknown (its file gives what
      // it is now), so every file is statted.
      touched = null;
      was = null;
    }
  }
  let parsed = 0;
  // Parts to write again: a row added, changed or gone, or a part unreadable.
  const dirty = new Set<string>();
  const root = path.resolve(contentDir);
  // Every entry's id known to be its file's name (the ingest names files by id): build/pages.ts then
  // need not check 120,000 of them. The kept rows say so as they are read (readParts); a file parsed is checked.
  let named = kept.unnamed === 0;
  const parse = <E extends Entry>(folder: Folder, file: string, stat: string, full: string, make: (file: string, text: string) => E): Row<E> => {
    const e = make(file, readFileSync(full, 'utf8'));
    parsed++;
    dirty.add(partOf(folder, file));
    if (e.file !== file || file !== e.id + EXT[folder]) named = false;
    return [file, stat, e];
  };
  // Every file of a folder listed: each statted, parsed when its stamp is not its row's.
  const walk = <E extends Entry>(folder: Folder, names: string[], make: (file: string, text: string) => E): Row<E>[] => {
    const old = kept.rows[folder] as Row<E>[];
    const out: Row<E>[] = new Array(names.length);
    let j = 0;
    for (let i = 0; i < names.length; i++) {
      const file = names[i];
      // Rows of files gone (both lists are in name order): dropped, their parts written again.
      while (j < old.length && old[j][0] < file) dirty.add(partOf(folder, old[j++][0]));
      const row = j < old.length && old[j][0] === file ? old[j++] : undefined;
      // Joined by hand: path.join of 120,000 names was 0.4 s of a drop-in at 100,000 articles (the names are the ingest's plain file names).
      const full = `${root}${path.sep}${folder}${path.sep}${file}`;
      const stat = stampOf(statSync(full));
      out[i] = row && row[1] === stat ? row : parse(folder, file, stat, full, make);
    }
    while (j < old.length) dirty.add(partOf(folder, old[j++][0]));
    return out;
  };
  // Following on from the ingest's changes: the folder holds the files the entries agree with and
  // those it wrote, less those it removed. Only the files it wrote or removed are looked at (the
  // folder is not listed again, 120,000 names read and sorted, 0.1 s; nor is a set of its names made).
  const follow = <E extends Entry>(folder: Folder, make: (file: string, text: string) => E): Row<E>[] => {
    const old = kept.rows[folder] as Row<E>[];
    // Runs of the old rows, which stand (stat unseen), and the written files' rows between them.
    const runs: Row<E>[][] = [];
    let j = 0;
    for (const file of writtenIn(folder, touched!)) {
      const at = findIndex(old, file, j);
      runs.push(old.slice(j, at));
      j = at;
      const row = j < old.length && old[j][0] === file ? old[j++] : undefined;
      const full = `${root}${path.sep}${folder}${path.sep}${file}`;
      const st = statSync(full, { throwIfNoEntry: false });
      // Removed: its row dropped, its part written again.
      if (!st) {
        if (row) dirty.add(partOf(folder, file));
        continue;
      }
      const stat = stampOf(st);
      runs.push([row && row[1] === stat ? row : parse(folder, file, stat, full, make)]);
    }
    if (!runs.length) return old;
    runs.push(old.slice(j));
    return ([] as Row<E>[]).concat(...runs);
  };
  const [aNames, sNames] = touched ? [[], []] : await Promise.all(FOLDERS.map((f) => listFiles(path.join(contentDir, f), EXT[f])));
  const rowsOf = <E extends Entry>(folder: Folder, names: string[], make: (file: string, text: string) => E): Row<E>[] =>
    touched ? follow(folder, make) : walk(folder, names, make);
  const aRows = rowsOf<ArticleIndexEntry>('articles', aNames, (file, text) => {
    const a = parseArticle(file, text);
    return articleEntry(file, sha256(text), a.id, a.data);
  });
  const sRows = rowsOf<StoryIndexEntry>('stories', sNames, (file, text) => {
    const s = parseStory(file, text);
    return storyEntry(file, sha256(text), s.id, s.data);
  });
  // A part unreadable or of other code is written again whole (or removed when it has no file now).
  if (kept.damaged) for (const part of kept.parts) dirty.add(part);
  const syncedNow = changes ? changes.to : null;
  const syncedPath = path.join(dir, SYNCED_FILE);
  if (dirty.size) {
    // No claim while the parts change: a crash in between leaves every file to be statted.
    await rm(syncedPath, { force: true });
    const byPart = new Map<string, Row[]>();
    for (const part of dirty) byPart.set(part, []);
    for (const [folder, rows] of [['articles', aRows], ['stories', sRows]] as const) {
      // A part is picked by a name's first PART_KEY characters (partOf): a row whose name starts as the
      // last row's key did is in its part, found without partOf (120,000 calls, 80 ms at 100,000 articles).
      let key = '';
      let part = '';
      for (const row of rows) {
        const file = row[0];
        if (key.length !== PART_KEY || !file.startsWith(key)) {
          key = file.slice(0, PART_KEY);
          part = partOf(folder, file);
        }
        byPart.get(part)?.push(row);
      }
    }
    for (const [part, rows] of byPart) {
      const file = path.join(dir, `${part}.json`);
      if (!rows.length) {
        await rm(file, { force: true });
        await rm(path.join(dir, tailFile(`${part}.json`)), { force: true });
      } else {
        // A kept story's summary is read from its file while its part's tail is not in hand: the part's
        // whole tail read first (one file, not a file per story).
        if (part.startsWith('s-')) for (const row of rows as Row<StoryIndexEntry>[]) storyTailOf(row[2].story)?.load();
        const packed = part.startsWith('a-') ? (rows as Row<ArticleIndexEntry>[]).map(packArticle) : (rows as Row<StoryIndexEntry>[]).map(packStory);
        // The tail first: until the part names its digest, the part on disk does not use it.
        const tail = tailText(
          packed.map((p) => p.tail),
          asciiJson,
        );
        await writeFileAtomic(path.join(dir, tailFile(`${part}.json`)), tail.text);
        await writeFileAtomic(file, `${asciiJson({ version: PART_VERSION, code, rows: packed.map((p) => p.head), tail: tail.digest } satisfies PartText)}\n`);
      }
    }
  }
  // The content the entries now agree with: the ingest's output (every file was looked at, or
  // the files it changed). Unknown (no ingest this run): no claim, the next run stats every file.
  if (syncedNow === null) {
    if (synced !== null || dirty.size) await rm(syncedPath, { force: true });
  } else if (syncedNow !== synced || dirty.size) {
    await writeFileAtomic(syncedPath, `${JSON.stringify({ version: PART_VERSION, code, content: syncedNow })}\n`);
  }
  const articles = aRows.map((r) => r[2]);
  const stories = sRows.map((r) => r[2]);
  const aDir = `${root}${path.sep}articles${path.sep}`;
  let texts: ArticleText[] | null = null;
  return {
    entries: { articles, stories, named },
    // Made on first use: a search phase that looks at every article reads them, a drop-in's does not (100,000 objects).
    get articles() {
      return (texts ??= articles.map((a) => new LazyArticleText(a.id, a.hash, aDir + a.file)));
    },
    parsed,
    changed: touched,
    was,
  };
}
