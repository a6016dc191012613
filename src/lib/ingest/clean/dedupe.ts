/**
 * Dedupe stage: drops exact and near-duplicate paragraphs within an article,
 * keeping the first copy. Scrapers often capture a body twice (a print view
 * and a screen view, or an AMP copy stacked under the page).
 *
 * Two paragraphs are the same when their folded text (foldForCompare) is, and
 * near-duplicates when the Jaccard similarity of their 3-word shingles reaches
 * `nearDuplicate`. Both only need to tell words apart, so words are numbers
 * here: a table keyed by a hash taken while scanning gives each distinct folded
 * word a number, without a string per word or a Map lookup hashing it again.
 */
import type { CleanDoc } from '../types.ts';
import { foldForCompare, isNewsPunctuation, truncate } from '../../text.ts';

export interface DedupeOptions {
  /** Jaccard similarity of 3-word shingles above which two paragraphs are the same. */
  nearDuplicate: number;
  /** Paragraphs shorter than this (in words) must match exactly: short lines repeat innocently. */
  nearMinWords: number;
}

export const defaultDedupeOptions: DedupeOptions = { nearDuplicate: 0.85, nearMinWords: 10 };

/**
 * The word table of the article being read: each distinct folded word, as where
 * it was first met (a range of one of the call's scanned strings), found through
 * an open-addressing index of its hash. It holds one article's words (a few
 * hundred), so probes stay in cache; slots of earlier calls are told apart by
 * the call they were filled in, so starting a call clears nothing. dedupe is
 * synchronous, so module-level buffers are safe.
 */
let slots = new Int32Array(1 << 10); // word number + 1, valid when slotCall holds this call
let slotCall = new Int32Array(1 << 10);
let call = 0;
let wordHash = new Int32Array(1 << 10);
let wordSource = new Int32Array(1 << 10); // index in `sources`
let wordStart = new Int32Array(1 << 10);
let wordLength = new Int32Array(1 << 10);
/** The strings this call scanned (paragraphs as written, or folded), which the table's words point into. */
const sources: string[] = [];
let wordCount = 0;

/**
 * Article-local word ids for shingles, as the first version of this stage gave
 * them: in order of first use in a compared paragraph (-1 before), wrapping at 2^17.
 */
let localId = new Int32Array(1 << 10);

/**
 * A code unit as foldForCompare folds it in a word of plain text: A-Z to a-z, ` ‘ ’ to an
 * apostrophe; every other is itself. Folded text (foldForCompare's) has no A-Z left, so the
 * same fold reads the words of either kind of source.
 */
const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c === 96 || c === 0x2018 || c === 0x2019 ? 39 : c);

/** Empties the word table for a new article. */
function startTable(): void {
  // One huge article should not leave every later one probing a sparse table.
  if (slots.length > 1 << 14) {
    slots = new Int32Array(1 << 10);
    slotCall = new Int32Array(1 << 10);
  }
  if (++call === 0x7fffffff) {
    slotCall.fill(0);
    call = 1;
  }
  wordCount = 0;
  sources.length = 0;
}

/**
 * The number of the word sources[source][start, end) (folded by `fold`), whose
 * hash is `hash`; added if new.
 */
function wordNumber(source: number, start: number, end: number, hash: number): number {
  const length = end - start;
  const src = sources[source];
  const mask = slots.length - 1;
  let slot = hash & mask;
  for (; slotCall[slot] === call; slot = (slot + 1) & mask) {
    const n = slots[slot] - 1;
    if (wordHash[n] === hash && wordLength[n] === length) {
      const other = sources[wordSource[n]];
      const at = wordStart[n];
      let k = 0;
      while (k < length && fold(other.charCodeAt(at + k)) === fold(src.charCodeAt(start + k))) k++;
      if (k === length) return n;
    }
  }
  const n = wordCount++;
  if (n >= wordHash.length) {
    wordHash = grow(wordHash, n + 1);
    wordSource = grow(wordSource, n + 1);
    wordStart = grow(wordStart, n + 1);
    wordLength = grow(wordLength, n + 1);
    localId = grow(localId, n + 1);
  }
  wordHash[n] = hash;
  wordSource[n] = source;
  wordStart[n] = start;
  wordLength[n] = length;
  localId[n] = -1;
  slots[slot] = n + 1;
  slotCall[slot] = call;
  // Keep the index at most half full, so probes stay short.
  if (wordCount * 2 > slots.length) {
    slots = new Int32Array(slots.length * 2);
    slotCall = new Int32Array(slots.length);
    const bigger = slots.length - 1;
    for (let m = 0; m < wordCount; m++) {
      let i = wordHash[m] & bigger;
      while (slotCall[i] === call) i = (i + 1) & bigger;
      slots[i] = m + 1;
      slotCall[i] = call;
    }
  }
  return n;
}

function grow<T extends Int32Array | Uint16Array | Float64Array>(array: T, atLeast: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}

/** FNV-1a step: the hash of a word is taken character by character as it is scanned. */
const hashStep = (h: number, c: number) => Math.imul(h ^ c, 16777619);
const HASH_SEED = -2128831035; // 2166136261, FNV's offset basis, as a 32-bit integer

/** Word numbers of the block being read (`words` of them). */
let blockWords = new Int32Array(1024);

/**
 * Reads the folded words of `text` into blockWords, as foldForCompare(text)
 * would split them, and returns how many there are. Plain text (FOLDS_BY_SCAN's:
 * ASCII and NEWS_PUNCTUATION) is read as written, its capitals folded as the scan
 * meets them; other text is folded first. One pass tells the two apart: the scan
 * stops at the first code unit plain text cannot have, where it used to take a
 * FOLDS_BY_SCAN pass and a lowercase copy of every paragraph first (issue #17, speed).
 */
function readWords(text: string): number {
  const words = scanPlain(text);
  return words >= 0 ? words : scanFolded(foldForCompare(text));
}

/**
 * The words of plain `text` (runs of [A-Za-z0-9'`‘’]) into blockWords, or -1 at the
 * first code unit plain text has none of. Words read before that stay in the table,
 * numbered but unused: numbers only tell words apart, so that is harmless.
 */
function scanPlain(text: string): number {
  const source = sources.push(text) - 1;
  const n = text.length;
  if (blockWords.length < n) blockWords = grow(blockWords, n);
  let words = 0;
  let start = -1;
  let hash = HASH_SEED;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 39 || c === 96 || c === 0x2018 || c === 0x2019) {
      if (start < 0) {
        start = i;
        hash = HASH_SEED;
      }
      hash = hashStep(hash, fold(c));
      continue;
    }
    if (c > 0x7f && !isNewsPunctuation(c)) return -1;
    if (start >= 0) {
      blockWords[words++] = wordNumber(source, start, i, hash);
      start = -1;
    }
  }
  return words;
}

/** The words of folded text (foldForCompare's: words between single spaces) into blockWords. */
function scanFolded(src: string): number {
  const source = sources.push(src) - 1;
  const n = src.length;
  if (blockWords.length < n) blockWords = grow(blockWords, n);
  let words = 0;
  let start = -1;
  let hash = HASH_SEED;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? src.charCodeAt(i) : 32;
    if (c !== 32) {
      if (start < 0) {
        start = i;
        hash = HASH_SEED;
      }
      hash = hashStep(hash, fold(c));
    } else if (start >= 0) {
      blockWords[words++] = wordNumber(source, start, i, hash);
      start = -1;
    }
  }
  return words;
}

/**
 * Shingle sets of one article, each a run without repeats in one shared buffer:
 * a typed array per paragraph costs an allocation (and, past 64 bytes, an
 * off-heap backing store the collector has to track) for a few dozen numbers.
 */
let shingleBuffer = new Float64Array(4096);

/**
 * A paragraph's shingle set: shingleBuffer[start, end), in the order first met
 * until a comparison sorts it. Most pairs of paragraphs differ too much in size
 * to be compared at all, so most sets are never sorted.
 */
interface Shingles {
  start: number;
  end: number;
  sorted: boolean;
}

/**
 * The repeats filter: an open-addressing set of the paragraph's shingles so far,
 * valid where filterRound holds the current round (one round per paragraph).
 */
let filterKeys = new Float64Array(1 << 10);
let filterRound = new Int32Array(1 << 10);
let round = 0;

/**
 * The article-local id of word number `word` (given as first met; ids.size counts them).
 * A module function, not a closure made per paragraph: under tsx (how the build and the
 * bench run) every named closure costs an Object.defineProperty call for its name (issue #17, speed).
 */
function localIdOf(word: number, ids: { size: number }): number {
  if (localId[word] < 0) localId[word] = ids.size++ % 131072;
  return localId[word];
}

/**
 * 3-word shingles of blockWords[0, words) as numbers: a shingle packs three
 * article-local word ids into one safe integer; ids wrap at 2^17 words, where a
 * rare collision could only make two paragraphs look a little more alike.
 * Written at `at` in shingleBuffer, each once.
 */
function shingles(words: number, at: number, ids: { size: number }): Shingles {
  if (words < 3) return { start: at, end: at, sorted: true };
  const count = words - 2;
  if (at + count > shingleBuffer.length) shingleBuffer = grow(shingleBuffer, at + count);
  if (count * 2 > filterKeys.length) {
    let size = filterKeys.length;
    while (count * 2 > size) size *= 2;
    filterKeys = new Float64Array(size);
    filterRound = new Int32Array(size);
    round = 0;
  }
  if (++round === 0x7fffffff) {
    filterRound.fill(0);
    round = 1;
  }
  const buf = shingleBuffer;
  const mask = filterKeys.length - 1;
  let end = at;
  let a = localIdOf(blockWords[0], ids);
  let b = localIdOf(blockWords[1], ids);
  for (let i = 2; i < words; i++) {
    const c = localIdOf(blockWords[i], ids);
    const shingle = a * 17179869184 + b * 131072 + c;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) & mask;
    for (; filterRound[slot] === round && filterKeys[slot] !== shingle; slot = (slot + 1) & mask);
    if (filterRound[slot] !== round) {
      filterRound[slot] = round;
      filterKeys[slot] = shingle;
      buf[end++] = shingle;
    }
    a = b;
    b = c;
  }
  return { start: at, end, sorted: false };
}

function sortShingles(s: Shingles): void {
  if (!s.sorted) shingleBuffer.subarray(s.start, s.end).sort();
  s.sorted = true;
}

/** Jaccard similarity of the sets `a` and `b` is at least `threshold`. */
function similarAtLeast(a: Shingles, b: Shingles, threshold: number): boolean {
  const sizeA = a.end - a.start;
  const sizeB = b.end - b.start;
  const [small, large] = sizeA < sizeB ? [a, b] : [b, a];
  // The overlap is at most the smaller set: skip the count when even that falls short.
  if (small.end - small.start < (large.end - large.start) * threshold) return false;
  // Sorted, two sets meet in one merge.
  sortShingles(a);
  sortShingles(b);
  const buf = shingleBuffer;
  let inter = 0;
  for (let i = small.start, j = large.start; i < small.end && j < large.end; ) {
    if (buf[i] === buf[j]) {
      inter++;
      i++;
      j++;
    } else if (buf[i] < buf[j]) i++;
    else j++;
  }
  return inter / (sizeA + sizeB - inter || 1) >= threshold;
}

/** Word numbers of the article's distinct paragraphs so far, each paragraph a run. */
let seenWords = new Int32Array(4096);

export function dedupe(doc: CleanDoc, options: Partial<DedupeOptions> = {}): CleanDoc {
  // Object.assign, not a spread: its copies share one V8 map (see clean.ts optionsFor).
  const opts: DedupeOptions = Object.assign({}, defaultDedupeOptions, options);
  startTable();
  // Paragraphs kept so far, by a hash of their word sequence: [start, end) runs in seenWords.
  const seen = new Map<number, number[]>();
  let seenTop = 0;
  const kept: Array<{ shingles: Shingles; words: number }> = [];
  const ids = { size: 0 };
  // Where the next paragraph's shingles go: after the last kept paragraph's.
  let top = 0;
  const body = [];
  const removed = [...doc.removed];
  for (const block of doc.body) {
    const count = readWords(block.text);
    // foldForCompare(text).split(' ') has one (empty) word when the text has none.
    const words = count || 1;
    let key = count;
    for (let i = 0; i < count; i++) key = hashStep(key, blockWords[i]);
    // Shingles only matter for paragraphs long enough to be compared.
    const comparable = block.kind === 'p' && words >= opts.nearMinWords;
    const sh = comparable ? shingles(count, top, ids) : { start: top, end: top, sorted: true };
    const same = seen.get(key);
    const duplicate =
      (same !== undefined && same.some((start) => sameWords(start, count))) ||
      (comparable && kept.some((k) => k.words >= opts.nearMinWords && similarAtLeast(k.shingles, sh, opts.nearDuplicate)));
    if (duplicate) {
      removed.push({ kind: 'duplicate-paragraph', text: truncate(block.text, 280) });
      continue;
    }
    if (seenTop + count + 1 > seenWords.length) seenWords = grow(seenWords, seenTop + count + 1);
    seenWords[seenTop] = count;
    // A loop, not set(subarray): a view object per paragraph for a few dozen numbers.
    for (let i = 0; i < count; i++) seenWords[seenTop + 1 + i] = blockWords[i];
    if (same) same.push(seenTop);
    else seen.set(key, [seenTop]);
    seenTop += count + 1;
    if (comparable) {
      kept.push({ shingles: sh, words });
      top = sh.end;
    }
    body.push(block);
  }
  return { ...doc, body, removed };
}

/** The paragraph stored at `start` in seenWords (its length, then its words) is blockWords[0, count). */
function sameWords(start: number, count: number): boolean {
  if (seenWords[start] !== count) return false;
  for (let i = 0; i < count; i++) if (seenWords[start + 1 + i] !== blockWords[i]) return false;
  return true;
}
