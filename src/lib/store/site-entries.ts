/**
 * Per content file, what the site index and the page plan need of it (its
 * `ArticleIndexEntry` / `StoryIndexEntry`, src/lib/site/site-index.ts), kept
 * between builds under the file's stat (size, mtime, inode). A drop-in parses
 * only the files the ingest rewrote; every other file costs a stat and the
 * JSON of its compact entry (a few hundred bytes), not its YAML, its zod
 * validation or its body. At 100,000 articles that is what lets a one-article
 * drop-in's site index and page hashes cost about what its day costs (#15).
 *
 * The ingest writes every file through a rename, so a rewrite always shows as
 * a new inode or mtime. Entries are keyed by the parsing code too (the schema
 * and site-index.ts): a change to either re-reads every file. An append-only
 * log (log-store.ts), like the other per-file caches.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../build/write-fs.ts';
import { LogStore, stampOf } from './log-store.ts';
import { sourceFingerprint } from './content-cache.ts';
import { sha256 } from './file-cache.ts';
export { contentKey } from '../site/site-index.ts';
import {
  articleEntry,
  listFiles,
  parseArticle,
  parseStory,
  storyEntry,
  type ArticleIndexEntry,
  type SiteEntries,
  type StoryIndexEntry,
} from '../site/site-index.ts';

const VERSION = 1;

/** The parsing code: a change to the schema or to how an entry is made re-reads every file. */
const PARSING_CODE = ['src/lib/schema.ts', 'src/lib/site/site-index.ts', 'package-lock.json'];

export const siteEntriesPath = (content: string) => path.join(stateDir(content), 'site-entries.log');

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
}

export async function readSiteEntries(contentDir: string): Promise<CachedEntries> {
  // Another version or parsing code, or an unreadable file: an empty store, every file parsed.
  const store = LogStore.read(siteEntriesPath(contentDir), VERSION, sourceFingerprint(PARSING_CODE));
  let parsed = 0;
  const load = <E extends { id: string; hash: string }>(folder: string, file: string, make: (file: string, text: string) => E): E => {
    const full = path.join(contentDir, folder, file);
    const stat = stampOf(statSync(full));
    const key = `${folder}/${file}`;
    const stored = store.get(key);
    const space = stored ? stored.indexOf(' ') : -1;
    if (stored && space > 0 && stored.slice(0, space) === stat) return JSON.parse(stored.slice(space + 1)) as E;
    const entry = make(file, readFileSync(full, 'utf8'));
    parsed++;
    store.set(key, `${stat} ${JSON.stringify(entry)}`);
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
  return { entries: { articles, stories }, articles: texts, parsed };
}
