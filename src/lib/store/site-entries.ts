/**
 * Per content file, what the site index and the page plan need of it (its
 * `ArticleIndexEntry` / `StoryIndexEntry`, src/lib/site/site-index.ts), kept
 * between builds under the file's stat (size, mtime, inode). A drop-in parses
 * only the files the ingest rewrote; every other file costs a stat and the
 * JSON of its compact entry (a few hundred bytes), not its YAML, its zod
 * validation or its body.
 *
 * The ingest writes every file through a rename, so a rewrite always shows as
 * a new inode or mtime. Entries are keyed by the parsing code too (the schema
 * and site-index.ts): a change to either re-reads every file. A store
 * (log-store.ts, layout.ts `siteEntries`): key `<folder>/<file>`, hash the
 * file's stamp, text the entry as JSON.
 *
 * A drop-in need not stat every file either (120,000 stats were a second of a
 * drop-in at 100,000 articles): the ingest says which files it wrote and
 * removed (`ContentChanges`). The store keeps, under SYNCED, the output hash
 * (the ingest's hash of every content file's name and bytes) of the content
 * its entries were last brought up to date with. When the ingest started
 * from exactly that content and checked so (its drop-in route checks every
 * file's stat against the stamp of the output it names), only the files it
 * wrote or removed are looked at; anything else (another route, an ingest run
 * without a site build in between, a crash between the two, no changes given)
 * is the stat of every file, as before.
 */
import { readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { articleEntry, listFiles, parseArticle, parseStory, storyEntry, type ArticleIndexEntry, type IndexRelated, type SiteEntries, type StoryIndexEntry } from '../site/site-index.ts';
import { sha256, sourceFingerprint, stampOf } from './fingerprint.ts';
import { statePath } from './layout.ts';
import { heldText, openStore } from './log-store.ts';
import { writeFileAtomic } from './write-file.ts';

/** The parsing code: a change to the schema or to how an entry is made re-reads every file. */
const PARSING_CODE = ['src/lib/schema.ts', 'src/lib/site/site-index.ts', 'package-lock.json'];

export const siteEntriesPath = (content: string) => statePath(content, 'siteEntries');

/** An article as the search keyword store reads it: its file's text only when asked (a changed file). */
export interface ArticleText {
  id: string;
  hash: string;
  readonly text: string;
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

/** The key of the output hash the entries agree with: not a file's key (those are `<folder>/<file>`). */
const SYNCED = 'synced';

/** Whether `changes` can stand for the stat of every file: they start from the content the entries agree with. */
const followsOn = (store: { get(key: string): string | undefined }, changes: ContentChanges | null | undefined): changes is ContentChanges =>
  !!changes?.from && store.get(SYNCED) === changes.from;

export async function readSiteEntries(contentDir: string, changes?: ContentChanges | null): Promise<CachedEntries> {
  // Another version or parsing code, or an unreadable file: an empty store, every file parsed.
  const store = openStore(contentDir, 'siteEntries', sourceFingerprint(PARSING_CODE));
  // Files the ingest wrote or removed, when the entries can follow on from its changes; null: stat every file.
  const touched = followsOn(store, changes) ? new Set(changes.files) : null;
  let parsed = 0;
  // What the changed files were (read before their new entries replace them): a drop-in updates the
  // related lists the last build kept from them (site/related.ts).
  let was: Map<string, ArticleIndexEntry | StoryIndexEntry> | null = null;
  if (touched) {
    was = new Map();
    for (const key of touched) {
      if (!store.has(key)) continue;
      const text = heldText(store, key);
      // An entry held but unreadable: what the file was is unknown, so nothing kept can be updated from it.
      if (text === undefined) {
        was = null;
        break;
      }
      was.set(key, JSON.parse(text) as ArticleIndexEntry | StoryIndexEntry);
    }
  }
  // Joined by hand: path.join of 120,000 names was 0.4 s of a drop-in at 100,000 articles (the names are the ingest's plain file names).
  const root = path.resolve(contentDir);
  const load = <E>(folder: string, file: string, make: (file: string, text: string) => E): E => {
    const key = `${folder}/${file}`;
    if (touched && !touched.has(key)) {
      // Not written since the entries last agreed with the content: its entry stands, stat unseen.
      const kept = heldText(store, key);
      if (kept !== undefined) return JSON.parse(kept) as E;
    }
    const full = `${root}${path.sep}${folder}${path.sep}${file}`;
    const stat = stampOf(statSync(full));
    const stored = store.get(key, stat);
    if (stored !== undefined) return JSON.parse(stored) as E;
    const entry = make(file, readFileSync(full, 'utf8'));
    parsed++;
    store.put(key, JSON.stringify(entry), { hash: stat });
    return entry;
  };
  const aDir = path.join(contentDir, 'articles');
  const [aNames, sNames] = await Promise.all([listFiles(aDir, '.md'), listFiles(path.join(contentDir, 'stories'), '.json')]);
  const articles = aNames.map((n) =>
    load<ArticleIndexEntry>('articles', n, (file, text) => {
      const a = parseArticle(file, text);
      return articleEntry(file, sha256(text), a.id, a.data);
    }),
  );
  const stories = sNames.map((n) =>
    load<StoryIndexEntry>('stories', n, (file, text) => {
      const s = parseStory(file, text);
      return storyEntry(file, sha256(text), s.id, s.data);
    }),
  );
  // A removed file's entry goes now (reading it above kept it): the store holds exactly the content's
  // files, so a file of that name written later has no entry to pass for what it was.
  if (touched) {
    for (const key of touched) {
      const slash = key.indexOf('/');
      const names = key.slice(0, slash) === 'articles' ? aNames : sNames;
      if (!hasSorted(names, key.slice(slash + 1))) store.delete(key);
    }
  }
  // The content the entries now agree with: the ingest's output (every file was looked at, or
  // the files it changed). Unknown (no ingest this run): no claim, the next run stats every file.
  if (changes) store.put(SYNCED, changes.to);
  else store.delete(SYNCED);
  // Appends what was parsed; files gone are dropped when the log is compacted.
  if (store.changed) await store.save();
  const texts: ArticleText[] = articles.map((a) => {
    let text: string | null = null;
    return {
      id: a.id,
      hash: a.hash,
      get text() {
        text ??= readFileSync(path.join(aDir, a.file), 'utf8');
        return text;
      },
    };
  });
  return { entries: { articles, stories }, articles: texts, parsed, changed: touched, was };
}

/** Whether `names` (sorted by code unit, as listFiles gives them) holds `name`. */
function hasSorted(names: string[], name: string): boolean {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return names[lo] === name;
}

/** The code the kept related lists come from (the entries' parsing, relatedAll and its update): another version makes them all again. */
const RELATED_CODE = ['src/lib/schema.ts', 'src/lib/site/site-index.ts', 'src/lib/site/links.ts', 'src/lib/site/related.ts', 'package-lock.json'];

/** The first line of `site-related.json`: what the lists after it were chosen from. */
interface RelatedHeader {
  version: 1;
  code: string;
  /** The output hash (ContentChanges.to) of the content the lists were chosen from. */
  content: string;
}

/**
 * Every story's related lists as the last build chose them (layout.ts `siteRelated`), when they were
 * chosen from the content `from` (the content this build's ingest started from) by this code; else
 * null (missing, damaged, other content or code: the caller chooses every list again).
 */
export function readKeptRelated(contentDir: string, from: string): Map<string, IndexRelated[]> | null {
  let text: string;
  try {
    text = readFileSync(statePath(contentDir, 'siteRelated'), 'utf8');
  } catch {
    return null;
  }
  try {
    const nl = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, nl)) as RelatedHeader;
    if (header.version !== 1 || header.content !== from || header.code !== sourceFingerprint(RELATED_CODE)) return null;
    return new Map(JSON.parse(text.slice(nl + 1)) as Array<[string, IndexRelated[]]>);
  } catch {
    return null;
  }
}

/**
 * Keeps every story's related lists for the next drop-in, under the output hash of the content they
 * were chosen from (`to`: ContentChanges.to). Unknown content (no ingest this run): the file is
 * removed, so no later build can take lists of other content for its own.
 */
export async function keepRelated(contentDir: string, to: string | null, stories: Array<{ id: string; related: IndexRelated[] }>): Promise<void> {
  const file = statePath(contentDir, 'siteRelated');
  if (!to) return rm(file, { force: true });
  const header: RelatedHeader = { version: 1, code: sourceFingerprint(RELATED_CODE), content: to };
  await writeFileAtomic(file, `${JSON.stringify(header)}\n${JSON.stringify(stories.map((s) => [s.id, s.related]))}\n`);
}
