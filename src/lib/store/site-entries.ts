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
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { articleEntry, listFiles, parseArticle, parseStory, storyEntry, type ArticleIndexEntry, type SiteEntries, type StoryIndexEntry } from '../site/site-index.ts';
import { sha256, sourceFingerprint, stampOf } from './fingerprint.ts';
import { statePath } from './layout.ts';
import { openStore } from './log-store.ts';

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
}

export async function readSiteEntries(contentDir: string): Promise<CachedEntries> {
  // Another version or parsing code, or an unreadable file: an empty store, every file parsed.
  const store = openStore(contentDir, 'siteEntries', sourceFingerprint(PARSING_CODE));
  let parsed = 0;
  // Joined by hand: path.join of 120,000 names was 0.4 s of a drop-in at 100,000 articles (the names are the ingest's plain file names).
  const root = path.resolve(contentDir);
  const load = <E>(folder: string, file: string, make: (file: string, text: string) => E): E => {
    const full = `${root}${path.sep}${folder}${path.sep}${file}`;
    const stat = stampOf(statSync(full));
    const key = `${folder}/${file}`;
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
