/**
 * Each article's search keyword counts (`bodyTermStats`, src/lib/search/build.ts),
 * kept between builds so a drop-in's search index tokenises only the bodies
 * that changed: tokenising all 10,000 bodies (and reading them) was most of the
 * index's cost, on the critical path of a partial build.
 *
 * An entry is keyed by article id and holds the SHA-256 of the article's
 * content file with the counts: a file whose hash differs is read again. The
 * store is keyed by the code that makes the counts too (a change to the
 * tokeniser starts it afresh). A store (log-store.ts, layout.ts
 * `searchTerms`), like the other per-article caches: key the article id, hash
 * its content file's SHA-256, text the packed counts.
 */
import { articleBody } from '../site/site-index.ts';
import {
  articleRecord,
  bodyTermStats,
  byArticleId,
  loneArticleRecord,
  packTermStats,
  stableIdf,
  storyRecord,
  unpackTermStats,
  type SearchArticleInput,
  type SearchStoryInput,
  type StoryRecord,
  type TermStat,
} from '../search/build.ts';
import { recordKey } from '../search/chunks.ts';
import type { IndexFiles } from '../search/write-fs.ts';
import { sha256, sourceFingerprint } from './fingerprint.ts';
import { partsDir } from './layout.ts';
import { TermParts } from './search-term-parts.ts';
import { heldText, openStore, type Store } from './log-store.ts';

/** The folder of the counts' parts (search-term-parts.ts). */
export const searchTermsPath = (content: string) => partsDir(content, 'searchTerms');

/** The code the counts come from: the tokeniser, the index builder, the body split. */
export const TERMS_CODE = ['src/lib/search/text.ts', 'src/lib/search/build.ts', 'src/lib/site/site-index.ts'];

/**
 * The keyword counts of every article, from the store where its file is
 * unchanged, else from its body (and stored); the store is saved. `computed`
 * counts the bodies read. With `keep` false only the store is brought up to
 * date (a full build, whose astro child makes the index itself, fills it for
 * the next drop-in) and nothing is held in memory.
 */
export async function searchTerms(
  content: string,
  articles: Array<{ id: string; hash: string; readonly text: string }>,
  keep = true,
): Promise<{ statsOf: (id: string) => TermStat; computed: number }> {
  const store = new TermParts(content, sourceFingerprint(TERMS_CODE));
  const stats = new Map<string, TermStat>();
  let computed = 0;
  for (const a of articles) {
    const stored = store.get(a.id, a.hash);
    if (stored !== undefined) {
      if (keep) stats.set(a.id, unpackTermStats(stored));
      continue;
    }
    const stat = bodyTermStats(articleBody(a.text));
    computed++;
    if (keep) stats.set(a.id, stat);
    store.put(a.id, packTermStats(stat), { hash: a.hash });
  }
  // Articles gone are dropped from the store here.
  const now = new Set(articles.map((a) => a.id));
  for (const id of [...store.keys()]) if (!now.has(id)) store.delete(id);
  if (store.changed) await store.save();
  return { statsOf: (id) => stats.get(id) ?? { tf: new Map(), caps: new Map() }, computed };
}

/** The code the records come from: the counts' code, the record maker, the outlets' labels (search/site-index.ts searchInputs), this module. */
export const RECORDS_CODE = [...TERMS_CODE, 'src/lib/site/links.ts', 'src/lib/store/search-terms.ts', 'src/lib/store/search-follow.ts'];
/** searchDf keys that are not words (a word is letters, marks and digits: no space). */
export const DF_TOKEN = ' agrees-with';
export const DF_ARTICLES = ' articles';
/** searchDf key: the stamps of search-records.log and search-index.log the kept search index agrees with. */
export const DF_INDEX = ' index-agrees-with';
/**
 * searchDf key: the content (ContentChanges.to, the ingest's output hash) the three stores were last
 * made for, so a drop-in that starts from it may follow its changes alone (store/search-follow.ts).
 */
export const DF_CONTENT = ' content';
/**
 * searchDf key, present when that content is tidy, as the ingest writes it: every file named by its
 * id, ids unique, every article in a story that lists exactly its own articles (so no record is
 * an article's own). Only then does a drop-in follow its changes; anything else is the full path.
 */
export const DF_TIDY = ' tidy';

/**
 * The article counts of the words `delta` changes, brought up to date in `dfs` by difference (each
 * count read once), and the words whose weight (stableIdf) moved with them, `nBefore` articles then,
 * `n` now: the full path's update and a followed drop-in's (search-follow.ts) are this one rule.
 */
export function applyDfDelta(dfs: Store, delta: ReadonlyMap<string, number>, nBefore: number, n: number): { df: (term: string) => number; reweighed: string[] } {
  const memo = new Map<string, number>();
  const df = (t: string) => {
    let v = memo.get(t);
    if (v === undefined) memo.set(t, (v = Number(dfs.get(t) ?? 0)));
    return v;
  };
  const reweighed: string[] = [];
  for (const [t, d] of delta) {
    if (!d) continue;
    const before = df(t);
    const after = before + d;
    if (stableIdf(before || 1, nBefore) !== stableIdf(after || 1, n)) reweighed.push(t);
    memo.set(t, after);
    dfs.put(t, String(after));
  }
  return { df, reweighed };
}

/**
 * Each word's weight (stableIdf) from its article count `df`, `n` articles in all, taken once
 * per word: a story's record asks for the same words again and again. The full path's records
 * and a followed drop-in's (search-follow.ts) weigh with this one rule.
 */
export function idfOf(df: (term: string) => number, n: number): (term: string) => number {
  const idfs = new Map<string, number>();
  return (t) => {
    let v = idfs.get(t);
    if (v === undefined) idfs.set(t, (v = stableIdf(df(t) || 1, n)));
    return v;
  };
}

/** The words of packed counts (packTermStats): every third field. */
export function packedTerms(packed: string): string[] {
  const parts = packed ? packed.split(' ') : [];
  const out: string[] = [];
  for (let i = 0; i + 2 < parts.length; i += 3) out.push(parts[i]);
  return out;
}

/** True when packed counts hold `term` as a word (a count equal to it only costs a record made again). */
export const holds = (packed: string, term: string): boolean => packed.startsWith(`${term} `) || packed.includes(` ${term} `);

/** The power of two the idf rounds the article count up to (stableIdf): a change re-weighs every word. */
export const articleScale = (n: number) => Math.ceil(Math.log2(Math.max(2, n)));

export interface RecordsRun {
  /** Every record, as buildSearchRecords makes them from the same input and bodies. */
  records: StoryRecord[];
  /** Bodies tokenised (new or changed articles). */
  computed: number;
  /** Story records made (the rest came from the store). */
  made: number;
  /** Why every record was made, if they were: no agreeing state, or the archive doubled. */
  full: string | null;
}

/**
 * What the search records are made from: the site index's stories and articles (search/site-index.ts
 * searchInputs), and, when the caller knows them, each story's content file hash (the story's input
 * is a function of its file: a record is then keyed without stringifying every story).
 */
export type RecordsInput = {
  stories: SearchStoryInput[];
  articles: Array<Omit<SearchArticleInput, 'body' | 'terms'>>;
  storyHash?: (id: string) => string | undefined;
  /** Every article's file is `<id>.md` and every story's `<id>.json` (DF_TIDY needs it). */
  named?: boolean;
  /** The content these are (ContentChanges.to), when known: noted for the next drop-in (DF_CONTENT). */
  content?: string | null;
};
/**
 * Each article's content file text and its hash (the text is read only for an article whose hash changed).
 * The file holds the article's fields and its story, so a changed hash is how a record learns of them.
 */
export type ArticleTexts = Array<{ id: string; hash: string; readonly text: string }>;

/** The records of a run, without reading the kept ones until asked (see `recordsState`). */
export interface RecordsState {
  /** Each record's key (chunks.ts recordKey) and date, in buildSearchRecords' order. */
  keys: Array<{ key: string; date: string }>;
  /** The record at `i`: made this run, or read from the store. */
  record(i: number): StoryRecord;
  /**
   * Records that may differ from what the records store held when opened: made this run with
   * another text, or without a story (not kept). Every other record is the store's, unchanged.
   */
  fresh: Set<number>;
  computed: number;
  made: number;
  full: string | null;
  /** Body words whose weight changed (their articles' stories were looked at: every article's counts read). */
  reweighed: number;
  /** The records store's stamp when opened: what a search index kept with it agrees with. */
  keptStamp: string | null;
  /** What the counts store says the kept search index agrees with (keptSearchIndex). */
  indexAgrees: string | undefined;
  /**
   * Saves the three stores (the counts last, with the stamps they agree with); `more` runs
   * between the records and the counts, with the records store's new stamp, and gives counts-store entries to put.
   */
  save(more?: (keptStamp: string | null) => Promise<Array<[string, string]>>): Promise<void>;
}

/**
 * The search records of the whole site, as buildSearchRecords makes them, from
 * what the last build kept, so a drop-in costs what it changed:
 *  - keyword counts per article (searchTerms): only new or changed bodies are read;
 *  - the number of articles carrying each word (searchDf), updated by the
 *    words of the articles that came, changed or went;
 *  - each story's record (searchRecords), under a hash of its own inputs
 *    (its fields, its articles' file hashes and fields, the archive's scale),
 *    made again when that hash changed or when one of its articles holds a
 *    word whose weight (stableIdf's octave of its count) changed.
 * A record is a pure function of those inputs and weights, so the result is
 * the cold build's. The counts agree with the two other stores only if both
 * files are exactly what they were when the counts were saved (their stamps,
 * kept in searchDf and saved last); else, or after a crash between the saves,
 * every count and record is made again.
 */
export async function searchRecords(
  content: string,
  input: RecordsInput,
  texts: ArticleTexts,
): Promise<RecordsRun> {
  const state = recordsState(content, input, texts);
  const records = state.keys.map((_, i) => state.record(i));
  await state.save();
  return { records, computed: state.computed, made: state.made, full: state.full };
}

export function recordsState(
  content: string,
  input: RecordsInput,
  texts: ArticleTexts,
): RecordsState {
  const code = sourceFingerprint(RECORDS_CODE);
  // Retained: an unchanged article's counts are read only if a record needs them (below); the
  // articles gone are deleted by hand. So are the records: a drop-in reads the few it changed.
  const terms = new TermParts(content, sourceFingerprint(TERMS_CODE));
  const kept = openStore(content, 'searchRecords', code, { retain: true });
  const keptStamp = kept.fromFile ? kept.stamp() : null;
  const dfs = openStore(content, 'searchDf', code, { retain: true });
  const indexAgrees = dfs.get(DF_INDEX);
  const agrees = terms.fromFile && kept.fromFile && dfs.fromFile && dfs.get(DF_TOKEN) === `${terms.stamp()}|${kept.stamp()}`;
  const n = input.articles.length;
  const scaleChanged = agrees && articleScale(Number(dfs.get(DF_ARTICLES) ?? 0)) !== articleScale(n);

  // 1. The words whose article count changed, by how much: from the counts of the new or changed
  // articles (made now) and of those changed or gone (as stored). An unchanged article's counts stay
  // in the store until a record needs them (`countsOf`): a drop-in reads a few of 100,000.
  const packed = new Map<string, string>();
  const byId = new Map<string, (typeof texts)[number]>();
  for (const a of texts) byId.set(a.id, a);
  const delta = new Map<string, number>();
  const count = (text: string, by: number) => {
    for (const t of packedTerms(text)) delta.set(t, (delta.get(t) ?? 0) + by);
  };
  let computed = 0;
  const make = (a: (typeof texts)[number]): string => {
    const text = packTermStats(bodyTermStats(articleBody(a.text)));
    computed++;
    terms.put(a.id, text, { hash: a.hash });
    packed.set(a.id, text);
    return text;
  };
  // Articles whose content file is not the one the counts were made from (new, changed, gone).
  const changed = new Set<string>();
  for (const a of texts) {
    if (terms.hashOf(a.id) === a.hash) continue;
    changed.add(a.id);
    const before = terms.get(a.id);
    if (before !== undefined) count(before.slice(before.indexOf('\t') + 1), -1);
    count(make(a), 1);
  }
  // Articles gone: their words lose them. (None when the store holds as many as there are now, each held.)
  const goneIds = terms.size === byId.size ? [] : [...terms.keys()].filter((key) => !byId.has(key));
  for (const id of goneIds) {
    changed.add(id);
    const before = terms.get(id);
    if (before !== undefined) count(before.slice(before.indexOf('\t') + 1), -1);
    terms.delete(id);
  }
  /** An article's packed counts: made this run, else stored (an entry that cannot be read is made again). */
  const countsOf = (id: string): string | undefined => {
    const known = packed.get(id);
    if (known !== undefined) return known;
    const a = byId.get(id);
    if (!a) return undefined;
    const stored = terms.get(id, a.hash);
    if (stored === undefined) return make(a);
    packed.set(id, stored);
    return stored;
  };

  // 2. The article count of every word: updated, or counted afresh.
  let df: (term: string) => number;
  const reweighed = new Set<string>();
  if (agrees) {
    const applied = applyDfDelta(dfs, delta, Number(dfs.get(DF_ARTICLES) ?? 0), n);
    df = applied.df;
    for (const t of applied.reweighed) reweighed.add(t);
  } else {
    const all = new Map<string, number>();
    for (const a of texts) for (const t of packedTerms(countsOf(a.id)!)) all.set(t, (all.get(t) ?? 0) + 1);
    for (const key of [...dfs.keys()]) if (!all.has(key)) dfs.delete(key);
    for (const [t, c] of all) dfs.put(t, String(c));
    df = (t) => all.get(t) ?? 0;
  }
  const idf = idfOf(df, n);

  // 3. The stories one of whose articles holds a reweighed word.
  const hit = new Set<string>();
  if (reweighed.size) {
    const words = [...reweighed];
    // Every article's counts read once and let go (not kept in `packed`: at 100,000 articles that
    // held about 150 MB of strings through the records' making, for the few a record reads again).
    for (const a of texts) {
      const text = packed.get(a.id) ?? terms.get(a.id, a.hash) ?? countsOf(a.id)!;
      if (words.some((w) => holds(text, w))) hit.add(a.id);
    }
  }

  // 4. The records: kept (read when asked for), or made again.
  const full = !agrees ? 'no search state agreeing with the stored counts' : scaleChanged ? 'the archive passed a power of two' : null;
  const statsOf = (id: string) => {
    const text = countsOf(id);
    return text === undefined ? undefined : unpackTermStats(text);
  };
  const articles = [...input.articles].sort(byArticleId);
  const byStory = new Map<string, typeof articles>();
  for (const a of articles) {
    const list = byStory.get(a.story);
    if (list) list.push(a);
    else byStory.set(a.story, [a]);
  }
  const scale = articleScale(n);
  const keys: RecordsState['keys'] = [];
  const made = new Map<number, StoryRecord>();
  /** Each kept record's key in the store, by its place (a story's id is its key in the store). */
  const stored = new Map<number, string>();
  const fresh = new Set<number>();
  const placed = new Set<string>();
  // Tidy (DF_TIDY): files named by ids, ids unique, each story listing exactly its members, once each.
  let tidy = !!input.named && byId.size === texts.length && articles.every((a, i) => i === 0 || articles[i - 1].id !== a.id);
  for (const s of input.stories) {
    const members = placed.has(s.id) ? [] : (byStory.get(s.id) ?? []);
    const first = !placed.has(s.id);
    if (tidy) {
      const listed = new Set(s.articles);
      tidy = first && s.articles.length === members.length && listed.size === members.length && members.every((a) => listed.has(a.id));
    }
    placed.add(s.id);
    const i = keys.length;
    keys.push({ key: s.id || recordKey({ id: '', articles: members.map(articleRecord) }), date: s.lastDate ?? '' });
    // What a record is made of: the story's input (its file), its articles' counts (their files),
    // its members' fields (their files, and which files name the story) and the archive's scale.
    // Keyed by the story's file and member count, the rest checked against the articles whose file
    // changed (`changed`): no story is stringified or hashed (that was most of a drop-in's cost at
    // 100,000 articles). A member gone shows in the count unless one came, and one that came changed.
    const key = `${scale}:${input.storyHash?.(s.id) ?? sha256(JSON.stringify(s))}:${members.length}`;
    const stale = !!full || s.articles.some((id) => hit.has(id) || changed.has(id)) || members.some((a) => changed.has(a.id));
    if (first && !stale && kept.hashOf(s.id) === key) {
      stored.set(i, key);
      continue;
    }
    const record = storyRecord(s, members, statsOf, idf);
    made.set(i, record);
    if (first) {
      const text = JSON.stringify(record);
      const before = kept.get(s.id);
      if (before === undefined || before.slice(before.indexOf('\t') + 1) !== text) fresh.add(i);
      kept.put(s.id, text, { hash: key });
    } else fresh.add(i);
  }
  for (const a of articles) {
    if (placed.has(a.story)) continue;
    tidy = false;
    const record = loneArticleRecord(a);
    fresh.add(keys.length);
    made.set(keys.length, record);
    keys.push({ key: recordKey(record), date: record.date });
  }
  // Stories gone.
  for (const id of [...kept.keys()].filter((key) => !placed.has(key))) kept.delete(id);
  const record = (i: number): StoryRecord => {
    const known = made.get(i);
    if (known) return known;
    const key = stored.get(i)!;
    const id = input.stories[i].id;
    const text = kept.get(id, key);
    if (text === undefined) throw new Error(`search records: the kept record of ${id} cannot be read`);
    return JSON.parse(text) as StoryRecord;
  };

  // 5. Saved in this order, the counts last with the stamps they agree with (see above).
  const save = async (more?: (keptStamp: string | null) => Promise<Array<[string, string]>>) => {
    if (terms.changed) await terms.save();
    if (kept.changed) await kept.save();
    for (const [key, text] of (await more?.(kept.stamp())) ?? []) dfs.put(key, text);
    dfs.put(DF_ARTICLES, String(n));
    dfs.put(DF_TOKEN, `${terms.stamp()}|${kept.stamp()}`);
    if (input.content) dfs.put(DF_CONTENT, input.content);
    else dfs.delete(DF_CONTENT);
    if (tidy) dfs.put(DF_TIDY, '1');
    else dfs.delete(DF_TIDY);
    if (dfs.changed) await dfs.save();
  };
  return { keys, record, fresh, computed, made: made.size - (keys.length - input.stories.length), full, reweighed: reweighed.size, keptStamp, indexAgrees, save };
}


/** The code the index's files come from: the records' code and the filing (chunks, format, keys, update, renumber). */
export const INDEX_CODE = [...RECORDS_CODE, 'src/lib/search/chunks.ts', 'src/lib/search/format.ts', 'src/lib/search/keys.ts', 'src/lib/search/update.ts', 'src/lib/search/renumber.ts'];
/**
 * searchIndex keys: a file of the index is `f:<path>`; a record's story number is `n:<record key>`
 * (one entry each, so a drop-in appends the few numbers it changed, not a list of every record's:
 * that list was about 1 MB appended to the log per drop-in at 100,000 articles); NUMBERS says the
 * numbers are kept so (an index of the earlier form, a list under NUMBERS, is made whole once).
 */
export const NUMBER = 'n:';
export const NUMBERS_KEPT = 'per-record';
export const FILE = 'f:';
export const NUMBERS = ' numbers';

export interface SearchIndexRun extends Omit<RecordsRun, 'records'> {
  /** Body words whose weight changed (every article's counts read to find their stories). */
  reweighed: number;
  files: IndexFiles;
  /** Files new or changed since the kept index (every file, when it was made whole). */
  written: number;
  /** Why the index was made whole from every record, if it was. */
  whole: string | null;
  /** Why the drop-in's changes alone were not followed (store/search-follow.ts), if they were not. */
  unfollowed: string | null;
  /** The stamp of search-index.log as this run left it (a manifest notes it: partial.ts Manifest.searchIndex). */
  stamp: string | null;
  /** A followed drop-in's files written and removed, over the kept index as it was at the stamp `from`. */
  delta: { from: string; written: ReadonlyMap<string, string>; removed: readonly string[] } | null;
}

/** The index's files as kept: every file's hash from the store, a file's text from this run's or the store. */
export function keptFiles(index: Store, written: ReadonlyMap<string, string>): IndexFiles {
  // Made when first asked for (20,000 rows parsed at 100,000 articles): a drop-in staging its delta does not.
  let hashes: Map<string, string> | null = null;
  return {
    get hashes() {
      if (!hashes) {
        hashes = new Map();
        for (const key of [...index.keys()].filter((k) => k.startsWith(FILE)).sort()) hashes.set(key.slice(FILE.length), index.hashOf(key)!);
      }
      return hashes;
    },
    text: (path) => {
      const text = written.get(path) ?? heldText(index, FILE + path);
      if (text === undefined) throw new Error(`search index: no file ${path} in search-index.log`);
      return text;
    },
  };
}
