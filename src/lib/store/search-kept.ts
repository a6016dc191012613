/**
 * The site's search index kept between builds (store/search-terms.ts holds
 * the stores and their keys): a drop-in whose changes the search state can
 * follow files only them (store/search-follow.ts); any other build checks
 * every article and story against the kept records (the full path below).
 */
import { chunkSearchIndex, fragmentText } from '../search/chunks.ts';
import { fragmentPath, storyNumbers } from '../search/format.ts';
import { IndexStateError, updateSearchIndex, type RecordChange } from '../search/update.ts';
import { textHash } from '../search/write-fs.ts';
import { sourceFingerprint } from './fingerprint.ts';
import { heldText, openStore } from './log-store.ts';
import { followChanges, type SearchChanges } from './search-follow.ts';
import {
  DF_INDEX,
  FILE,
  INDEX_CODE,
  keptFiles,
  NUMBER,
  NUMBERS,
  NUMBERS_KEPT,
  recordsState,
  type ArticleTexts,
  type RecordsInput,
  type SearchIndexRun,
} from './search-terms.ts';

/** What the full path reads: every story and article (the caller makes them only if asked). */
export interface WholeSearchInput {
  input: RecordsInput;
  texts: ArticleTexts;
}

/**
 * The search index of the content: from the drop-in's changes alone when
 * `follow` is given and the kept state agrees with the content they start
 * from (search-follow.ts says when), else from `whole()`.
 */
export async function keptSearchIndex(content: string, whole: () => WholeSearchInput, follow?: SearchChanges | null): Promise<SearchIndexRun> {
  let unfollowed = 'no changes given';
  if (follow) {
    const run = await followChanges(content, follow);
    if (typeof run !== 'string') return run;
    unfollowed = run;
  }
  const { input, texts } = whole();
  return wholeSearchIndex(content, input, texts, unfollowed);
}

/**
 * The site's search index (chunks.ts), as chunkSearchIndex makes it from every
 * record (searchRecords), kept between builds (search-index.log: every file
 * under its text hash, and each record's story number) so a drop-in files only
 * the records that changed (update.ts): their fragments, their words' postings,
 * their outlets. The kept index agrees with the records store when both files
 * are what they were when the counts store noted them (saved last, as for the
 * records); else, or when the records were all made again, or on any surprise
 * in the kept files, the index is made whole from every record.
 */
async function wholeSearchIndex(content: string, input: RecordsInput, texts: ArticleTexts, unfollowed: string | null): Promise<SearchIndexRun> {
  const state = recordsState(content, input, texts);
  const index = openStore(content, 'searchIndex', sourceFingerprint(INDEX_CODE), { retain: true });
  const numbers = storyNumbers(state.keys.map((k) => ({ id: k.key, date: k.date })));
  const keyed = new Map<string, number>();
  for (let i = 0; i < state.keys.length; i++) keyed.set(state.keys[i].key, i);

  let whole: string | null = null;
  if (!index.fromFile || !state.keptStamp || state.indexAgrees !== `${state.keptStamp}|${index.stamp()}`) whole = 'no kept index agreeing with the records';
  else if (state.full) whole = 'every record was made again';
  else if (keyed.size !== state.keys.length) whole = 'two records of one story';

  const fileText = (path: string): string | undefined => heldText(index, FILE + path);
  /** The story number of every record of the kept index, by record key. */
  const keptNumbers = (): Map<string, number> => {
    const out = new Map<string, number>();
    for (const key of index.keys()) {
      if (!key.startsWith(NUMBER)) continue;
      const num = Number(index.get(key));
      if (!Number.isInteger(num)) throw new IndexStateError(`search index: the story number of ${key.slice(NUMBER.length)} cannot be read`);
      out.set(key.slice(NUMBER.length), num);
    }
    return out;
  };
  let written: Map<string, string> | null = null;
  /** The kept index's numbers, when it was updated (not made whole). */
  let numbersBefore: Map<string, number> | null = null;
  if (!whole) {
    try {
      if (index.get(NUMBERS) !== NUMBERS_KEPT) throw new IndexStateError('search index: no story numbers kept');
      const before = keptNumbers();
      numbersBefore = before;
      const changes: RecordChange[] = [];
      for (let i = 0; i < state.keys.length; i++) {
        const was = before.get(state.keys[i].key);
        if (was !== undefined && was === numbers[i] && !state.fresh.has(i)) continue;
        const record = state.record(i);
        // A record whose fragment is as kept posts what it posted (a fragment holds all of it): nothing to file.
        if (was === numbers[i] && fileText(fragmentPath(was)) === fragmentText(record)) continue;
        changes.push({ before: was ?? null, after: { num: numbers[i], record } });
      }
      for (const [key, was] of before) if (!keyed.has(key)) changes.push({ before: was, after: null });
      const update = updateSearchIndex(fileText, changes, state.keys.length);
      for (const path of update.removed) index.delete(FILE + path);
      for (const [path, text] of update.written) index.put(FILE + path, text, { hash: textHash(text) });
      written = update.written;
    } catch (err) {
      if (!(err instanceof IndexStateError || err instanceof SyntaxError)) throw err;
      whole = `the kept index could not be read (${err.message})`;
    }
  }
  if (whole) {
    const files = chunkSearchIndex(state.keys.map((_, i) => state.record(i)));
    for (const key of [...index.keys()]) if (key.startsWith(FILE) && !files.has(key.slice(FILE.length))) index.delete(key);
    for (const [path, text] of files) index.put(FILE + path, text, { hash: textHash(text) });
    written = files;
  }
  // The numbers: those that changed put, those of records gone deleted (a whole index puts every
  // one, each compared with the kept one by the store).
  for (const [key] of numbersBefore ?? [...index.keys()].filter((k) => k.startsWith(NUMBER)).map((k) => [k.slice(NUMBER.length)])) {
    if (!keyed.has(key)) index.delete(NUMBER + key);
  }
  for (let i = 0; i < state.keys.length; i++) {
    if (numbersBefore?.get(state.keys[i].key) !== numbers[i]) index.put(NUMBER + state.keys[i].key, String(numbers[i]));
  }
  index.put(NUMBERS, NUMBERS_KEPT);

  await state.save(async (keptNow) => {
    if (index.changed) await index.save();
    return [[DF_INDEX, `${keptNow}|${index.stamp()}`]];
  });

  return {
    computed: state.computed,
    made: state.made,
    full: state.full,
    reweighed: state.reweighed,
    whole,
    unfollowed,
    stamp: index.stamp(),
    delta: null,
    written: written!.size,
    files: keptFiles(index, written!),
  };
}
