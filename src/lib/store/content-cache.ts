/**
 * The content folder as `readContent` (src/lib/site/site-index.ts) parses it, with
 * a cache of each file's parsed front matter under its stat (size, mtime,
 * inode): after a drop-in, the build re-parses (gray-matter, zod) only the few
 * files the ingest rewrote, not all 12,000 of a 10,000-article site.
 *
 * The ingest writes every file through a rename, so a rewrite always shows as a
 * new inode or mtime. The cache is keyed by the parsing code too (schema and
 * loader source), and anything unreadable in it is ignored. A file's text (for
 * the page hashes and a partial build's delta folder) is read only when asked
 * for, and its hash is kept with the parsed data.
 *
 * A store (log-store.ts, layout.ts `parsedContent`): a drop-in appends the
 * two dozen entries of the files it rewrote instead of rewriting 16 MB of JSON
 * at 10,000 articles. Entries: key `<folder>/<file>`, hash the file's stamp,
 * text `{hash, id, data}` as JSON.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listFiles, parseArticle, parseStory, type ParsedContent } from '../site/site-index.ts';
import { sha256, sourceFingerprint, stampOf } from './fingerprint.ts';
import { statePath } from './layout.ts';
import { openStore } from './log-store.ts';

interface Entry {
  hash: string;
  id: string;
  data: unknown;
}

export type CachedContent = ParsedContent & {
  articles: Array<ParsedContent['articles'][number] & { hash: string }>;
  stories: Array<ParsedContent['stories'][number] & { hash: string }>;
};

/** The parsing code: a change to the schema or the loader's parsing invalidates every entry. */
const PARSING_CODE = ['src/lib/schema.ts', 'src/lib/site/site-index.ts', 'package-lock.json'];

export const contentCachePath = (content: string) => statePath(content, 'parsedContent');

export async function readContentCached(contentDir: string): Promise<CachedContent> {
  // Another version or parsing code, or an unreadable file: an empty store, everything parsed.
  const store = openStore(contentDir, 'parsedContent', sourceFingerprint(PARSING_CODE));

  const load = <T>(folder: string, file: string, parse: (file: string, text: string) => { id: string; data: T }) => {
    const full = path.join(contentDir, folder, file);
    const stat = stampOf(statSync(full));
    const key = `${folder}/${file}`;
    const stored = store.get(key, stat);
    let entry = stored === undefined ? null : (JSON.parse(stored) as Entry);
    let text: string | null = null;
    if (!entry) {
      text = readFileSync(full, 'utf8');
      const parsed = parse(file, text);
      entry = { hash: sha256(text), id: parsed.id, data: parsed.data };
      store.put(key, JSON.stringify(entry), { hash: stat });
    }
    const hash = entry.hash;
    return {
      id: entry.id,
      file,
      hash,
      data: entry.data as T,
      get text(): string {
        text ??= readFileSync(full, 'utf8');
        return text;
      },
    };
  };

  const aNames = await listFiles(path.join(contentDir, 'articles'), '.md');
  const sNames = await listFiles(path.join(contentDir, 'stories'), '.json');
  const articles = aNames.map((n) => {
    const item = load('articles', n, parseArticle);
    return Object.defineProperty(item, 'body', { get: () => parseArticle(n, item.text).body, enumerable: true }) as CachedContent['articles'][number];
  });
  const stories = sNames.map((n) => load('stories', n, parseStory) as CachedContent['stories'][number]);
  // Appends what was parsed; files gone are dropped when the log is compacted.
  if (store.changed) await store.save();
  return { articles, stories };
}
