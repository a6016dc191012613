/**
 * A drop-in's search records and index from its changes alone: the articles
 * and stories whose files the ingest wrote or removed, and lookups of the few
 * others they reach (a changed article's story, a remade story's members).
 * The full path (search-kept.ts) reads every story and article and checks
 * each against the kept state: at 100,000 articles that decoded every site
 * entry and read 20 MB of the stores' key indexes for a drop-in of one file.
 *
 * Followed only when the kept state is the full path's for exactly the
 * content the changes start from (searchDf's DF_CONTENT, saved with the
 * stamps of the other stores), that content was tidy (DF_TIDY: files named
 * by ids, every article in a story listing exactly its own articles) and so
 * is what the changes touch, and the archive's scale stands. Then the records
 * that can differ are those of the changed stories, of the stories a changed
 * article left or joined, and of the stories holding a word whose weight
 * changed; their numbers and their neighbours' come from renumber.ts; the
 * index is updated as the full path updates it (update.ts). Anything else,
 * or any surprise in the kept state, gives the reason and leaves the stores
 * unsaved: the caller takes the full path.
 */
import { articleBody, type ArticleIndexEntry, type StoryIndexEntry } from '../site/site-index.ts';
import { bodyTermStats, packTermStats, storyRecord, unpackTermStats, type StoryRecord } from '../search/build.ts';
import { fragmentRecord, fragmentText } from '../search/chunks.ts';
import { fragmentPath, type StoryFragment } from '../search/format.ts';
import { renumber, type Numbered } from '../search/renumber.ts';
import { articleMemberInput, storySearchInput } from '../search/site-index.ts';
import { IndexStateError, updateSearchIndex, type RecordChange } from '../search/update.ts';
import { textHash } from '../search/write-fs.ts';
import { sourceFingerprint } from './fingerprint.ts';
import { heldText, openStore } from './log-store.ts';
import { TermParts } from './search-term-parts.ts';
import {
  applyDfDelta,
  articleScale,
  DF_ARTICLES,
  DF_CONTENT,
  DF_INDEX,
  DF_TIDY,
  DF_TOKEN,
  FILE,
  holds,
  idfOf,
  INDEX_CODE,
  keptFiles,
  NUMBER,
  NUMBERS,
  NUMBERS_KEPT,
  packedTerms,
  RECORDS_CODE,
  TERMS_CODE,
  type SearchIndexRun,
} from './search-terms.ts';

/** What a drop-in changed, as the site half knows it (store/site-entries.ts ContentChanges and its entries). */
export interface SearchChanges {
  /** The content the changes start from (ContentChanges.from), when the ingest checked it. */
  from: string | null;
  /** The content now (ContentChanges.to). */
  to: string;
  /** Files written or removed, `articles/<file>` and `stories/<file>`. */
  files: readonly string[];
  /** A file's entry in the content the changes start from (undefined: it is new). */
  before(key: string): ArticleIndexEntry | StoryIndexEntry | undefined;
  /** A file's entry now (undefined: there is no such file). */
  now(key: string): ArticleIndexEntry | StoryIndexEntry | undefined;
  /** Articles and stories now. */
  articles: number;
  stories: number;
  /** An article file's text now (`<content>/articles/<file>`). */
  text(file: string): string;
}

/** Thrown when the kept state or the content is not what following needs: the full path then. */
class Unfollowable extends Error {}

/** The index after the drop-in's changes, or why they cannot be followed (nothing saved then). */
export async function followChanges(content: string, ch: SearchChanges): Promise<SearchIndexRun | string> {
  // Lazy rows: a drop-in asks for a few hundred of 100,000 counts, 20,000 records and numbers.
  const terms = new TermParts(content, sourceFingerprint(TERMS_CODE));
  const kept = openStore(content, 'searchRecords', sourceFingerprint(RECORDS_CODE), { retain: true, few: true });
  const dfs = openStore(content, 'searchDf', sourceFingerprint(RECORDS_CODE), { retain: true, few: true });
  const index = openStore(content, 'searchIndex', sourceFingerprint(INDEX_CODE), { retain: true, few: true });
  try {
    return await follow(ch, terms, kept, dfs, index);
  } catch (err) {
    if (!(err instanceof Unfollowable || err instanceof IndexStateError || err instanceof SyntaxError)) throw err;
    for (const store of [terms, kept, dfs, index]) store.close();
    return err.message;
  }
}

type Stores = ReturnType<typeof openStore>;

async function follow(ch: SearchChanges, terms: TermParts, kept: Stores, dfs: Stores, index: Stores): Promise<SearchIndexRun> {
  const refuse = (why: string): never => {
    throw new Unfollowable(why);
  };
  if (!ch.from) refuse('the ingest did not check the content it started from');
  if (!(terms.fromFile && kept.fromFile && dfs.fromFile && dfs.get(DF_TOKEN) === `${terms.stamp()}|${kept.stamp()}`)) refuse('no search state agreeing with the stored counts');
  if (dfs.get(DF_CONTENT) !== ch.from) refuse('the search state is of other content');
  if (dfs.get(DF_TIDY) !== '1') refuse('the content was not tidy');
  if (!index.fromFile || dfs.get(DF_INDEX) !== `${kept.stamp()}|${index.stamp()}` || index.get(NUMBERS) !== NUMBERS_KEPT) refuse('no kept index agreeing with the records');
  const indexStamp = index.stamp()!;
  const nBefore = Number(dfs.get(DF_ARTICLES));
  const n = ch.articles;
  if (!Number.isInteger(nBefore) || articleScale(nBefore) !== articleScale(n)) refuse('the archive passed a power of two');

  // 1. The changed files, each named by its id (as every other file was: DF_TIDY).
  const arts = new Map<string, { before?: ArticleIndexEntry; now?: ArticleIndexEntry }>();
  const stos = new Map<string, { before?: StoryIndexEntry; now?: StoryIndexEntry }>();
  for (const key of new Set(ch.files)) {
    const slash = key.indexOf('/');
    const [folder, file] = [key.slice(0, slash), key.slice(slash + 1)];
    const ext = folder === 'articles' ? '.md' : folder === 'stories' ? '.json' : null;
    if (!ext || !file.endsWith(ext)) continue; // not a content file's entry
    const id = file.slice(0, -ext.length);
    const before = ch.before(key);
    const now = ch.now(key);
    for (const e of [before, now]) if (e && (e.id !== id || e.file !== file)) refuse(`${key} is not named by its id`);
    if (ext === '.md') arts.set(id, { before: before as ArticleIndexEntry, now: now as ArticleIndexEntry });
    else stos.set(id, { before: before as StoryIndexEntry, now: now as StoryIndexEntry });
  }
  const articleNow = (id: string): ArticleIndexEntry | undefined => {
    if (arts.has(id)) return arts.get(id)!.now;
    const e = ch.now(`articles/${id}.md`) as ArticleIndexEntry | undefined;
    return e?.id === id ? e : undefined;
  };
  const storyNow = (id: string): StoryIndexEntry | undefined => {
    if (stos.has(id)) return stos.get(id)!.now;
    const e = ch.now(`stories/${id}.json`) as StoryIndexEntry | undefined;
    return e?.id === id ? e : undefined;
  };

  // 2. The changed articles' counts, and how many more or fewer articles carry each of their words.
  const packed = new Map<string, string>();
  const delta = new Map<string, number>();
  const count = (text: string, by: number) => {
    for (const t of packedTerms(text)) delta.set(t, (delta.get(t) ?? 0) + by);
  };
  let computed = 0;
  for (const [id, { before, now }] of arts) {
    if (terms.hashOf(id) !== before?.hash) refuse(`the kept counts of ${id} are not of its file`);
    if (now && !storyNow(now.article.story)) refuse(`article ${id} is in no story`);
    if (now && now.hash === before?.hash) continue;
    if (before) {
      const old = terms.held(id);
      if (old === undefined) refuse(`the kept counts of ${id} cannot be read`);
      count(old!, -1);
    }
    if (now) {
      const text = packTermStats(bodyTermStats(articleBody(ch.text(now.file))));
      computed++;
      terms.put(id, text, { hash: now.hash });
      packed.set(id, text);
      count(text, 1);
    } else terms.delete(id);
  }

  // 3. The article count of their words (search-terms.ts recordsState, the same rule), and the words
  // whose weight changed.
  const { df, reweighed } = applyDfDelta(dfs, delta, nBefore, n);
  const idf = idfOf(df, n);

  // 4. The stories whose records can differ: changed, left or joined by a changed article, or holding a
  // reweighed word (the articles holding one found by a byte search of the counts' parts: their stories are the articles' own, DF_TIDY).
  const touched = new Set<string>(stos.keys());
  for (const { before, now } of arts.values()) {
    if (before) touched.add(before.article.story);
    if (now) touched.add(now.article.story);
  }
  // The counts read to check a candidate below, with the hash they are of: its story's record is made
  // from them again (statsOf), without reading them twice (a word reweighed reaches hundreds of articles).
  const heldRead = new Map<string, { hash: string; text: string }>();
  const heldCounts = (id: string): string | undefined => {
    const hash = terms.hashOf(id);
    const text = hash === undefined ? undefined : terms.get(id, hash);
    if (hash !== undefined && text !== undefined) heldRead.set(id, { hash, text });
    return text;
  };
  if (reweighed.length) {
    // The articles that may hold one (a byte search of the parts' files), each checked.
    const candidates = terms.mayHold(reweighed);
    for (const id of packed.keys()) candidates.add(id);
    for (const id of candidates) {
      const text = packed.get(id) ?? heldCounts(id);
      if (text === undefined || !reweighed.some((w) => holds(text, w))) continue;
      const a = articleNow(id);
      if (!a) refuse(`article ${id} has counts and no file`);
      touched.add(a!.article.story);
    }
  }

  // 5. Their records, made again as the full path makes them.
  const scale = articleScale(n);
  const statsOf = (id: string) => {
    let text = packed.get(id);
    if (text === undefined) {
      const a = articleNow(id);
      if (!a) return undefined;
      const read = heldRead.get(id);
      text = read && read.hash === a.hash ? read.text : terms.get(id, a.hash);
      if (text === undefined) refuse(`the kept counts of ${id} are not of its file`);
    }
    return unpackTermStats(text!);
  };
  const numberOf = (key: string): number | undefined => {
    const text = index.get(NUMBER + key);
    if (text === undefined) return undefined;
    const num = Number(text);
    if (!Number.isInteger(num)) throw new IndexStateError(`search index: the story number of ${key} cannot be read`);
    return num;
  };
  const remade: Array<{ key: string; was: number | undefined; record: StoryRecord; fresh: boolean }> = [];
  const gone: Array<{ key: string; num: number }> = [];
  let made = 0;
  for (const id of [...touched].sort()) {
    const story = storyNow(id);
    const oldText = heldText(kept, id);
    const was = numberOf(id);
    if ((oldText === undefined) !== (was === undefined)) refuse(`the kept record and number of ${id} disagree`);
    const oldMembers = oldText === undefined ? [] : (JSON.parse(oldText) as StoryRecord).articles.map((a) => a.id);
    if (!story) {
      // A story gone: every article it had went or moved with it (else they would be records of their own).
      for (const m of oldMembers) if (!arts.has(m) || arts.get(m)!.now?.article.story === id) refuse(`story ${id} went and its article ${m} stayed`);
      if (was !== undefined) {
        kept.delete(id);
        gone.push({ key: id, num: was });
      }
      continue;
    }
    const memberIds = new Set(oldMembers.filter((m) => !arts.has(m)));
    for (const [aid, { now }] of arts) if (now?.article.story === id) memberIds.add(aid);
    const members = [...memberIds].sort().map((m) => articleNow(m) ?? refuse(`article ${m} of story ${id} has no file`));
    const listed = new Set(story.story.articles);
    if (listed.size !== story.story.articles.length || listed.size !== members.length || !members.every((m) => listed.has(m.id))) refuse(`story ${id} does not list exactly its own articles`);
    const record = storyRecord(storySearchInput(story.story), members.map((m) => articleMemberInput(m.article)), statsOf, idf);
    const text = JSON.stringify(record);
    kept.put(id, text, { hash: `${scale}:${story.hash}:${members.length}` });
    made++;
    remade.push({ key: id, was, record, fresh: oldText !== text });
  }

  // 6. Numbers near the changes (renumber.ts), from the kept fragments: which number is whose.
  const fileText = (path: string): string | undefined => heldText(index, FILE + path);
  const fragments = new Map<number, (Numbered & { fragment: StoryFragment }) | null>();
  const occupant = (x: number) => {
    let o = fragments.get(x);
    if (o === undefined) {
      const text = fileText(fragmentPath(x));
      const f = text === undefined ? null : (JSON.parse(text) as StoryFragment);
      fragments.set(x, (o = f && { key: f.id || `article:${f.a[0]?.[0] ?? ''}`, date: f.d, fragment: f }));
    }
    return o ?? undefined;
  };
  const moved = [...gone, ...remade.filter((r) => r.was !== undefined).map((r) => ({ key: r.key, num: r.was! }))];
  for (const { key, num } of moved) if (occupant(num)?.key !== key) throw new IndexStateError(`search index: number ${num} is not ${key}'s`);
  const numbers = renumber(occupant, moved, remade.map((r) => ({ key: r.key, date: r.record.date })));

  // 7. The index updated for the records that changed or moved (update.ts).
  const changes: RecordChange[] = [];
  const renumbered = new Map<string, number | null>();
  const mine = new Set(remade.map((r) => r.key));
  for (const r of remade) {
    const num = numbers.get(r.key)!;
    if (r.was !== num) renumbered.set(r.key, num);
    if (r.was === num && (!r.fresh || fileText(fragmentPath(num)) === fragmentText(r.record))) continue;
    changes.push({ before: r.was ?? null, after: { num, record: r.record } });
  }
  for (const g of gone) {
    renumbered.set(g.key, null);
    changes.push({ before: g.num, after: null });
  }
  for (const [x, o] of fragments) {
    if (!o || mine.has(o.key) || gone.some((g) => g.key === o.key)) continue;
    const num = numbers.get(o.key);
    if (num === undefined || num === x) continue;
    renumbered.set(o.key, num);
    changes.push({ before: x, after: { num, record: fragmentRecord(o.fragment) } });
  }
  const update = updateSearchIndex(fileText, changes, ch.stories);
  for (const path of update.removed) index.delete(FILE + path);
  for (const [path, text] of update.written) index.put(FILE + path, text, { hash: textHash(text) });
  for (const [key, num] of renumbered) {
    if (num === null) index.delete(NUMBER + key);
    else index.put(NUMBER + key, String(num));
  }

  // 8. Saved as the full path saves: the counts store last, with the stamps it agrees with.
  if (terms.changed) await terms.save();
  if (kept.changed) await kept.save();
  if (index.changed) await index.save();
  dfs.put(DF_INDEX, `${kept.stamp()}|${index.stamp()}`);
  dfs.put(DF_ARTICLES, String(n));
  dfs.put(DF_TOKEN, `${terms.stamp()}|${kept.stamp()}`);
  dfs.put(DF_CONTENT, ch.to);
  dfs.put(DF_TIDY, '1');
  if (dfs.changed) await dfs.save();
  return {
    computed,
    made,
    full: null,
    reweighed: reweighed.length,
    whole: null,
    unfollowed: null,
    stamp: index.stamp(),
    delta: { from: indexStamp, written: update.written, removed: update.removed },
    written: update.written.size,
    files: keptFiles(index, update.written),
  };
}
