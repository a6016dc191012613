/**
 * Updates a chunked index (chunks.ts) for the records that changed, from the
 * files of the index as it was, so a drop-in does not re-file every record:
 * at 100,000 articles chunkSearchIndex tokenises ~20,000 records and 120,000
 * article titles and writes ~20,000 fragments to change three files.
 *
 * What it reads of the old index: the manifest, the fragments of the changed
 * records (a fragment holds everything its record posts: `fragmentRecord`),
 * the outlet chunks of their outlets, and every term chunk (~3 MB at 100,000
 * articles: the term chunks' cuts and the dictionary are made again over the
 * whole vocabulary, with the very functions a cold build uses, from the
 * words' encoded postings; only the changed words' postings are decoded).
 * The result is byte for byte what chunkSearchIndex makes from the new
 * records (test/search-update.test.ts checks it over random edits).
 *
 * Pure: the caller says where the old files come from and keeps the new ones.
 */
import type { StoryRecord } from './build';
import {
  byPath,
  defaultChunkOptions,
  encodePostings,
  fragmentRecord,
  fragmentText,
  manifestText,
  outletFiles,
  recordPostings,
  vocabularyFiles,
  type ChunkOptions,
  type WordPostings,
} from './chunks';
import {
  bucketPath,
  chunkPath,
  decodeAscending,
  frequencyClass,
  decodeMask,
  fragmentPath,
  INDEX_VERSION,
  manifestPath,
  outletPath,
  type OutletChunk,
  type SearchManifest,
  type StoryFragment,
  type TermChunk,
} from './format';

/** One record that came, went, changed or was renumbered. */
export interface RecordChange {
  /** Its number in the old index, if it was in it. */
  before: number | null;
  /** Its number and record in the new index, if it is in it. */
  after: { num: number; record: StoryRecord } | null;
}

export interface IndexUpdate {
  /** Files new or changed, by path. */
  written: Map<string, string>;
  /** Paths of the old index no longer in it. */
  removed: string[];
}

/** Thrown when the old index cannot be read as it should be: the caller makes the index from scratch. */
export class IndexStateError extends Error {}

/** Story numbers of a posting list, and their field bits. */
function decodePostings(e: WordPostings): Map<number, number> {
  const nums = new Array<number>(e.m.length);
  const n = decodeAscending(e.p, nums);
  if (n !== e.m.length) throw new IndexStateError(`search index: postings of "${e.w}" do not match their fields`);
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) out.set(nums[i], decodeMask(e.m, i));
  return out;
}

function encodeMap(w: string, postings: Map<number, number>): WordPostings {
  const nums = [...postings.keys()].sort((a, b) => a - b);
  return encodePostings(
    w,
    nums,
    nums.map((n) => postings.get(n)!),
  );
}

const parse = <T>(old: (path: string) => string | undefined, path: string): T => {
  const text = old(path);
  if (text === undefined) throw new IndexStateError(`search index: no ${path} in the kept index`);
  return JSON.parse(text) as T;
};

/**
 * The files that differ between the old index (`old`: path -> text) and the
 * index of the new records, given the records that changed (`changes`; every
 * other record is as it was, under the same number) and the new record count.
 */
export function updateSearchIndex(
  old: (path: string) => string | undefined,
  changes: readonly RecordChange[],
  stories: number,
  options: Partial<ChunkOptions> = {},
): IndexUpdate {
  const opts = { ...defaultChunkOptions, ...options };
  const manifest = parse<SearchManifest>(old, manifestPath);
  if (manifest.v !== INDEX_VERSION) throw new IndexStateError('search index: the kept index is of another version');
  const written = new Map<string, string>();
  const removed = new Set<string>();

  // 1. What the changed records take out and put in: per word and per outlet, story -> field bits (0: gone).
  const wordDelta = new Map<string, Map<number, number>>();
  const outletDelta = new Map<string, Map<number, boolean>>();
  const note = <V>(m: Map<string, Map<number, V>>, key: string, num: number, v: V) => {
    let d = m.get(key);
    if (!d) m.set(key, (d = new Map()));
    d.set(num, v);
  };
  // Removals first, so a record renumbered onto a number another one left is added, not lost.
  for (const c of changes) {
    if (c.before === null) continue;
    const path = fragmentPath(c.before);
    const { fields, outlets } = recordPostings(fragmentRecord(parse<StoryFragment>(old, path)));
    for (const w of fields.keys()) note(wordDelta, w, c.before, 0);
    for (const o of outlets) note(outletDelta, o, c.before, false);
    removed.add(path);
  }
  for (const c of changes) {
    if (!c.after) continue;
    const { num, record } = c.after;
    const { fields, outlets } = recordPostings(record);
    for (const [w, mask] of fields) note(wordDelta, w, num, mask);
    for (const o of outlets) note(outletDelta, o, num, true);
    const path = fragmentPath(num);
    removed.delete(path);
    const text = fragmentText(record);
    if (old(path) !== text) written.set(path, text);
  }

  // 2. The vocabulary, from the term chunks in order, the changed words' postings made again.
  const entries: WordPostings[] = [];
  const oldChunks = new Map<string, string>();
  for (const first of manifest.chunks) {
    const path = chunkPath(first);
    const text = old(path);
    if (text === undefined) throw new IndexStateError(`search index: no ${path} in the kept index`);
    oldChunks.set(path, text);
    const chunk = JSON.parse(text) as TermChunk;
    for (let i = 0; i < chunk.w.length; i++) entries.push({ w: chunk.w[i], p: chunk.p[i], m: chunk.m[i] });
  }
  const fresh = [...wordDelta.keys()].sort();
  const merged: WordPostings[] = [];
  // The changed words' story counts before and after (a word not in the old index has none before).
  const oldCount = new Map<string, number>();
  const newCount = new Map<string, number>();
  let j = 0;
  const apply = (w: string, postings: Map<number, number>) => {
    for (const [num, mask] of wordDelta.get(w)!) {
      if (mask) postings.set(num, mask);
      else postings.delete(num);
    }
    newCount.set(w, postings.size);
    if (postings.size) merged.push(encodeMap(w, postings));
  };
  for (const e of entries) {
    while (j < fresh.length && fresh[j] < e.w) apply(fresh[j++], new Map());
    if (j < fresh.length && fresh[j] === e.w) {
      j++;
      oldCount.set(e.w, e.m.length);
      apply(e.w, decodePostings(e));
    } else merged.push(e);
  }
  while (j < fresh.length) apply(fresh[j++], new Map());
  for (let i = 1; i < merged.length; i++) if (!(merged[i - 1].w < merged[i].w)) throw new IndexStateError('search index: the kept term chunks are out of order');

  // The dictionary is a function of the words and their frequency classes: when no word came, went
  // or changed class, its buckets are the old ones (and it is not made again: ~0.1 s at 100,000).
  let classChanged = false;
  for (const w of wordDelta.keys()) {
    const before = oldCount.get(w);
    const after = newCount.get(w) ?? 0;
    if (before === undefined ? after > 0 : after === 0 || frequencyClass(before) !== frequencyClass(after)) classChanged = true;
  }
  const made = vocabularyFiles(merged, opts, classChanged);
  for (const [path, text] of made.files) {
    if ((oldChunks.get(path) ?? old(path)) !== text) written.set(path, text);
  }
  for (const path of oldChunks.keys()) if (!made.files.has(path)) removed.add(path);
  const buckets = made.buckets ?? manifest.buckets;
  if (classChanged) {
    for (let b = 0; b < manifest.buckets; b++) {
      const path = bucketPath(b);
      if (!made.files.has(path) && old(path) !== undefined) removed.add(path);
    }
  }

  // 3. The outlet chunks of the changed outlets: each file holds every outlet whose name hashes to it.
  const outlets = new Set(manifest.outlets);
  const stories0 = new Map<string, number[]>();
  const touchedPaths = new Set([...outletDelta.keys()].map(outletPath));
  const oldOutletFiles = new Map<string, OutletChunk>();
  for (const path of touchedPaths) {
    const text = old(path);
    oldOutletFiles.set(path, text === undefined ? {} : (JSON.parse(text) as OutletChunk));
  }
  for (const o of [...outlets, ...outletDelta.keys()]) {
    if (stories0.has(o) || !touchedPaths.has(outletPath(o))) continue;
    const encoded = oldOutletFiles.get(outletPath(o))![o];
    const set = new Set<number>();
    if (encoded !== undefined) {
      const nums = new Array<number>(encoded.length);
      const n = decodeAscending(encoded, nums);
      for (let i = 0; i < n; i++) set.add(nums[i]);
    } else if (outlets.has(o)) throw new IndexStateError(`search index: outlet "${o}" missing from its chunk`);
    for (const [num, on] of outletDelta.get(o) ?? []) {
      if (on) set.add(num);
      else set.delete(num);
    }
    if (set.size) {
      outlets.add(o);
      stories0.set(o, [...set].sort((a, b) => a - b));
    } else {
      outlets.delete(o);
      stories0.set(o, []);
    }
  }
  const remade = outletFiles(
    [...stories0]
      .filter(([, s]) => s.length)
      .sort(byPath),
  );
  for (const path of touchedPaths) {
    const text = remade.get(path);
    if (text === undefined) {
      if (old(path) !== undefined) removed.add(path);
    } else if (old(path) !== text) written.set(path, text);
  }

  // 4. The manifest.
  const text = manifestText(stories, buckets, made.chunks, [...outlets].sort());
  if (old(manifestPath) !== text) written.set(manifestPath, text);
  for (const path of written.keys()) removed.delete(path);
  return { written: new Map([...written].sort(byPath)), removed: [...removed].sort() };
}
