/**
 * Every file the build keeps between runs, and why: the state inventory in
 * code. Nothing else names a file in `<content>/.newsfold/`; docs/architecture.md
 * has the same table with what happens when each is deleted or damaged
 * (test/architecture.test.ts checks the two list the same files).
 *
 * Four kinds:
 *  - STORES: one entry per raw file, article, story or output file, kept as
 *    append-only logs in the one on-disk format of log-store.ts, opened with
 *    `openStore` (index.ts). Each is only a cache: lost or damaged, it costs
 *    recomputing what it held, never a wrong result.
 *  - PARTED_STORES: the same format, one file per month (or undated folder)
 *    of the grouping state, opened with `openPart`: a drop-in reads and
 *    rewrites the parts near its change, not the archive.
 *  - FILES: small files written whole, or written in one piece with the
 *    content they describe (the story state and the corpus memo are committed
 *    through the content journal, build/write-fs.ts).
 *  - DIRS: work folders of one run, or Astro's own cache.
 *
 * The versioning rule, for every store: its header names the store, its
 * version and the fingerprint of the code its entries come from
 * (fingerprint.ts); a store whose header differs in any of them reads as
 * empty. Bump `version` when the entries' shape changes in a way the code
 * fingerprint does not see (it hashes src/lib/ingest, src/lib/store and the
 * build's ingest edges, so most changes need no bump).
 *
 * Adding a store: an entry here (file name, version, why), then
 * `openStore(content, 'name', code)` where it is used; docs/architecture.md
 * gets a row. Pure data and `node:path`: anyone may import this module.
 */
import path from 'node:path';

/** The build's private folder inside the content folder (gitignored; Astro's glob patterns skip dot-folders). */
export const STATE_DIR = '.newsfold';

export interface StoreSpec {
  /** File name in the state folder. */
  file: string;
  /** Bumped when the entries' shape changes unseen by the code fingerprint. */
  version: number;
  /** What an entry holds, and what keeping it saves. */
  why: string;
}

export interface FileSpec {
  file: string;
  why: string;
}

/** Per-key stores (log-store.ts), in the order a build touches them. */
export const STORES = {
  rawIndex: {
    file: 'raw-index.log',
    version: 3,
    why: "each drop-folder file's SHA-256 under its stat (size, mtime, ctime, inode), by folder under the folder's stat digest: a rebuild reads and hashes only the files whose stat changed, and reads the index of the folders whose stats changed",
  },
  fileCache: {
    file: 'file-cache.log',
    version: 3,
    why: 'what decode -> parse -> clean -> dedupe -> metadata made of each raw file, under its SHA-256: an unchanged file is not parsed again',
  },
  docCache: {
    file: 'doc-cache.log',
    version: 3,
    why: "what clustering reads of each article (terms, entities, copy sketch), under a hash of its title and body: a drop-in reads the words of new articles only",
  },
  digestCache: {
    file: 'digest-cache.log',
    version: 2,
    why: "each story's digest record, under a hash of everything the digest reads: a drop-in digests only the stories it touched",
  },
  renderCache: {
    file: 'render-cache.log',
    version: 2,
    why: "for each collection file, the hash of the record it was rendered from, of its bytes, and its stat as written: an unchanged file is neither rendered nor read",
  },
  groupingIndex: {
    file: 'grouping.log',
    version: 1,
    why: "the windowed grouping's index: per article what grouping read of it (path, day, a hash of its words), per story its grouping output and the parts holding its articles, per part of grouping/ a hash of its text: a drop-in finds what changed and gathers untouched stories without reading the parts",
  },
  shardMemo: {
    file: 'shards.log',
    version: 1,
    why: "per shard (a raw sub-folder, e.g. 2025-12), what settling its files gave: its articles' ids, the lines its outlets repeat, its rejections and warnings, under a hash of its files' paths and SHA-256s: a drop-in prepares only the shards whose files changed and reads the others' articles one by one, when a story it regroups needs them",
  },
  records: {
    file: 'records.log',
    version: 2,
    why: "every article and story record of the last run, under the record's hash: the corpus memo names them, so a no-change run can still return them",
  },
  searchRecords: {
    file: 'search-records.log',
    version: 1,
    why: "each story's search record (headline, distinctive words, snippet, articles), under a hash of what it is made of: a drop-in makes again only the records of changed stories and of stories whose words changed weight (store/search-terms.ts)",
  },
  searchIndex: {
    file: 'search-index.log',
    version: 1,
    why: "every file of the search index under its text hash, and each record's story number: a drop-in files only the records it changed (store/search-terms.ts keptSearchIndex)",
  },
  searchDf: {
    file: 'search-df.log',
    version: 1,
    why: 'how many articles carry each body word (the search records\' idf), with the stamps of search-terms/ and search-records.log it agrees with: a drop-in updates the counts of its articles\' words instead of unpacking every article\'s counts',
  },
} as const satisfies Record<string, StoreSpec>;

/**
 * Parted stores: one store (log-store.ts) per month of the grouping state,
 * each a file of its own, so a run opens only the parts it needs. `<part>` in
 * the name stands for the part (`partFile`). A part retains its entries
 * until they are deleted (a run reads a few of them, not all).
 */
export const PARTED_STORES = {
  grouping: {
    file: 'grouping/<part>.log',
    version: 1,
    why: "the windowed grouping's state by month of the articles' days (each article's placement record, each day's document frequencies), and by undated folder (ingest/stories/state.ts): a drop-in regroups from the days before it and rewrites the months it changed",
  },
  searchTerms: {
    file: 'search-terms/<part>.log',
    version: 1,
    why: "each article's search keyword counts, under its content file's hash, by the month of its id (store/search-term-parts.ts): a partial build's search index tokenises only the changed bodies, and a drop-in opens only the months it reaches",
  },
} as const satisfies Record<string, StoreSpec>;

/** Files written whole. */
export const FILES = {
  corpusMemo: {
    file: 'corpus-memo.json',
    why: "the key of the last run's inputs (files, code, options, story state), its output hash, counts and record keys: a no-change run skips clustering and digests; committed with the collections",
  },
  outputStamp: {
    file: 'output-stamp.json',
    why: 'the stat of every collection file (and of records.log) as the last run left them: tells, without reading them, that the collections are untouched',
  },
  distManifest: {
    file: 'dist-manifest.json',
    why: "every page's dependency hash (the hash of its spec, src/lib/site/plan.ts) for the current dist/, and the fingerprint it was built from: a build renders only the pages whose hash changed",
  },
  siteRelated: {
    file: 'site-related.json',
    why: "every story's related stories as the last build chose them, under the output hash of the content they were chosen from: a drop-in makes again only the lists its changed stories can reach (site/related.ts)",
  },
  siteRelatedDelta: {
    file: 'site-related.delta.json',
    why: "the related lists drop-ins changed since `site-related.json` was written whole, naming its generation, and the content they now agree with: a drop-in writes this, not every story's lists",
  },
  distManifestNext: {
    file: 'dist-manifest.json.next',
    why: "a partial build's new manifest, written before its dist journal's commit and renamed into place once its files are in dist/",
  },
  distManifestDelta: {
    file: 'dist-manifest.delta.json',
    why: "what a run of partial builds changed in the manifest since `dist-manifest.json` was written whole (pages added, changed, removed), naming that file's generation: a drop-in writes this, not the 16 MB manifest (build/partial.ts)",
  },
  distManifestDeltaNext: {
    file: 'dist-manifest.delta.json.next',
    why: "a partial build's new manifest delta, written before its dist journal's commit and renamed into place once its files are in dist/",
  },
  distJournal: {
    file: 'dist-journal.json',
    why: "exists only while a partial build lays its files into dist/ (build/dist-fs.ts): the moves and deletions, rolled forward by the next build after a crash",
  },
  distStamp: {
    file: 'dist-stamp.json',
    why: 'the fingerprint of what dist/ was built from (content, site code, settings): a no-change build skips Astro; `next <fingerprint>` while a swap is under way',
  },
  lock: {
    file: 'build.lock',
    why: 'pid and host of the running build or ingest, created exclusively: one writer at a time',
  },
  journal: {
    file: 'journal.json',
    why: 'exists only while a content write commits: its moves and deletions, rolled forward by the next run after a crash',
  },
} as const satisfies Record<string, FileSpec>;

/** Folders. */
export const DIRS = {
  siteEntries: {
    file: 'site-entries',
    why: "each content file's compact site-index entry (what the listings show, its hash), under its stat, in parts (`a-<month>.json`, `s-<letter>.json`; store/site-entries.ts): the build's site index and page hashes parse only the files the ingest rewrote, and a drop-in rewrites only the parts it changed",
  },
  staging: { file: 'staging', why: 'changed collection files before their commit (the journal moves them into place)' },
  trash: { file: 'trash', why: 'the dist/ a full build replaced, removed by an `rm` beside the next build' },
  astroCache: {
    file: 'astro-cache',
    why: "Astro's cache unless --cache or NEWSFOLD_CACHE names another (pages read their content files; there is no content-layer store)",
  },
} as const satisfies Record<string, FileSpec>;

/**
 * Names earlier versions used, removed by the next ingest: caches of older
 * formats (whole-JSON files, about 75 MB at 10,000 articles) would otherwise
 * linger next to their replacements.
 */
export const OBSOLETE = [
  'file-cache.json',
  'doc-cache.json',
  'parsed-content.json',
  'digest-cache.json',
  'render-cache.json',
  'raw-index.json',
  'parsed-content.log',
  // The story state of cluster.ts, before the windowed grouping (#15): its ids are a function of the articles.
  'stories.json',
  // The site index written for the astro children (#15): none read it; it stays in the build process.
  'site-index.json',
  // The site entries as a log store of one line per file (#15): kept in parts read whole now (site-entries/).
  'site-entries.log',
  'site-entries.log.keys',
  // The search keyword counts as one store (#15): kept by month now (search-terms/).
  'search-terms.log',
  'search-terms.log.keys',
];

export type StoreName = keyof typeof STORES;
export type PartedStoreName = keyof typeof PARTED_STORES;
export type FileName = keyof typeof FILES;
export type DirName = keyof typeof DIRS;

export function stateDir(content: string): string {
  return path.join(content, STATE_DIR);
}

/** Where a store, file or folder of the inventory lives under `content`. */
export function statePath(content: string, name: StoreName | FileName | DirName): string {
  return path.join(stateDir(content), specOf(name).file);
}

/**
 * A part's name as a file name: a month (`2025-07`) or an undated folder's
 * key (`u:2025-07` -> `u-2025-07`; the top of the drop folder `u:` -> `u-`).
 * Anything else becomes a slug and a hash of it (`~`-marked, so it never
 * meets a plain one).
 */
export function partFile(part: string): string {
  const plain = part.replace(/^u:/, 'u-');
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/.test(plain)) return plain;
  let h = 0x811c9dc5;
  for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193);
  const slug = part.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 40);
  return `${slug}~${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/** Where a part of a parted store lives under `content`. */
export function partPath(content: string, name: PartedStoreName, part: string): string {
  return path.join(stateDir(content), PARTED_STORES[name].file.replace(/<[a-z]+>/, partFile(part)));
}

/** The folder of a parted store's parts (`grouping`). */
export function partsDir(content: string, name: PartedStoreName): string {
  return path.join(stateDir(content), PARTED_STORES[name].file.split('/')[0]);
}

/** The same, relative to the content folder and `/`-separated (for the content journal, which takes relative paths). */
export function stateRel(name: StoreName | FileName | DirName): string {
  return `${STATE_DIR}/${specOf(name).file}`;
}

function specOf(name: StoreName | FileName | DirName): FileSpec {
  return (STORES as Record<string, FileSpec>)[name] ?? (FILES as Record<string, FileSpec>)[name] ?? (DIRS as Record<string, FileSpec>)[name];
}
