/**
 * The client's inverted index (word -> records, with the fields each record
 * has the word in), built when a reader starts searching. It is the one step
 * whose cost grows with the whole corpus and it sits between the index
 * download and the first result, so it is written for speed:
 *
 * - each column (all records' values, one a line) is read in one pass over
 *   its characters; words are found in an open-addressing hash table by
 *   those characters (the table holds id and hash side by side, the words'
 *   characters are packed in one array), so a string is allocated only for a
 *   word not seen before (~16,000 words for ~100,000 read at 10,000 articles);
 * - an article whose title line is empty has its story's title (the index
 *   stores it once) and takes the story's words without reading them again;
 * - postings go into flat typed arrays sized up front, grouped by word with
 *   one counting sort: a word's postings are a range of two arrays;
 * - the hot path is a few small functions (scan, intern, post), which V8
 *   optimises early and separately, and a rare case (a line to fold, an
 *   inherited title, a new word) is a call of its own that cannot deoptimise
 *   them.
 *
 * Words are exactly those `terms()` gives (a test checks this): a line is
 * read as it is while its only non-ASCII characters are plain separators
 * (’ “ — … · £, which split words alike folded or not); any other non-ASCII
 * character (a letter with a diacritic, a mark, ™) sends the line through
 * `fold` first. Stop words have ids in the table but no postings, and are
 * not vocabulary: queries drop them.
 *
 * Size: about 550 lines, one builder whose hot path and its typed-array
 * layout only make sense together; splitting the table from the scan would
 * put a call between them on the step the first search waits for.
 */
import { fold, STOPWORDS } from './text';

/** ASCII code units as word characters: the lowercase unit, or 0 for a separator (newline included). */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) ASCII_WORD[c] = c;
  else if (c >= 65 && c <= 90) ASCII_WORD[c] = c + 32;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const MARK = /\p{M}/u;
const HAS_WORD = /[\p{L}\p{N}]/u;
const LETTER = 1;
const PLAIN = 2;
/** Per non-ASCII code point: LETTER (a letter or digit), PLAIN (a separator folded or not), or 3 (a mark, ™, ½: needs folding). */
const bmpKinds = new Uint8Array(0x10000);
const astralKinds = new Map<number, number>();
function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (LETTER_OR_DIGIT.test(ch)) return LETTER;
  const folded = fold(ch);
  return !MARK.test(ch) && folded !== '' && !HAS_WORD.test(folded) ? PLAIN : 3;
}
function wideKind(cp: number): number {
  if (cp < 0x10000) {
    let k = bmpKinds[cp];
    if (k === 0) k = bmpKinds[cp] = classify(cp);
    return k;
  }
  let k = astralKinds.get(cp);
  if (k === undefined) astralKinds.set(cp, (k = classify(cp)));
  return k;
}

/** Text columns to read: every record's value, one a line (`\n`), posted with `bits[k]`. */
export interface InvertedColumns {
  columns: readonly string[];
  bits: readonly number[];
  /** Per record: the earlier record whose words in the first of these columns it has when its own line there is empty, or -1. */
  inherit?: Int32Array;
  /** Only the records marked 1 (the others' lines are skipped); all when not given. */
  records?: Uint8Array;
}

/** Outlet names and a record's outlets (indices into them), posted with `bit`. */
export interface InvertedOutlets {
  names: readonly string[];
  of(record: number): number | readonly number[];
  bit: number;
}

export interface InvertedIndex {
  /** The vocabulary id of a word, or -1 (an unknown word or a stop word). */
  lookup(word: string): number;
  /** Word by id. Stop words have ids but `lookup` and the buckets never give them. */
  words: readonly string[];
  /** Postings of word `t`: `docs[start[t]..start[t+1])`, ascending, with their field bits in `masks`. */
  start: Int32Array;
  docs: Int32Array;
  masks: Uint8Array;
  /** Vocabulary ids whose first code unit is `c`, ascending. */
  byFirst(c: number): readonly number[];
}

/**
 * Postings grouped by word, records ascending within a word. One pass over
 * the records gives each word's postings in record order already, so one
 * counting sort by word does; after several passes (columns read later) a
 * record may come twice for a word, so the postings are first sorted by
 * record (a stable counting sort), then by word, and repeats merged.
 */
function groupByWord(pTerm: Int32Array, pDoc: Int32Array, pMask: Uint8Array, np: number, v: number, size: number, passes: number) {
  let term = pTerm;
  let doc = pDoc;
  let msk = pMask;
  if (passes > 1) {
    const at = new Int32Array(size + 1);
    for (let k = 0; k < np; k++) at[pDoc[k] + 1]++;
    for (let d = 0; d < size; d++) at[d + 1] += at[d];
    term = new Int32Array(np);
    doc = new Int32Array(np);
    msk = new Uint8Array(np);
    for (let k = 0; k < np; k++) {
      const to = at[pDoc[k]]++;
      term[to] = pTerm[k];
      doc[to] = pDoc[k];
      msk[to] = pMask[k];
    }
  }
  const start = new Int32Array(v + 1);
  for (let k = 0; k < np; k++) start[term[k] + 1]++;
  for (let t = 0; t < v; t++) start[t + 1] += start[t];
  const docs = new Int32Array(np);
  const masks = new Uint8Array(np);
  const fill = start.slice(0, v);
  for (let k = 0; k < np; k++) {
    const to = fill[term[k]]++;
    docs[to] = doc[k];
    masks[to] = msk[k];
  }
  if (passes === 1) return { start, docs, masks };
  // Merge a word's repeated record (its field bits or-ed together).
  let w = 0;
  const merged = new Int32Array(v + 1);
  for (let t = 0; t < v; t++) {
    merged[t] = w;
    for (let k = start[t], end = start[t + 1]; k < end; k++) {
      if (w > merged[t] && docs[w - 1] === docs[k]) masks[w - 1] |= masks[k];
      else {
        docs[w] = docs[k];
        masks[w] = masks[k];
        w++;
      }
    }
  }
  merged[v] = w;
  return { start: merged, docs: docs.subarray(0, w), masks: masks.subarray(0, w) };
}

const FNV = -2128831035;
const PRIME = 16777619;

/**
 * Reads columns of text into an inverted index, in one pass or several:
 * `read` the columns needed first, `finish` for an index of them, `read` the
 * rest later and `finish` again for the whole (the same postings as one pass).
 */
export interface InvertedBuilder {
  /** Reads these columns for every record (and the outlets, if given) and posts their words. Returns where each record's line starts, per column; entry `size` is one past the column's end. */
  read(input: InvertedColumns & { outlets?: InvertedOutlets }): Int32Array[];
  /** An index of everything read so far. */
  finish(): InvertedIndex;
}

export function createInvertedBuilder(size: number): InvertedBuilder {
  // The vocabulary: each word's characters packed in `chars` (from
  // `wordAt[id]` to `wordAt[id + 1]`), and an open-addressing table of
  // (id + 1, hash) pairs, so a probe and its check read one cache line.
  const words: string[] = [];
  let cap = 1 << 8;
  let chars = new Uint16Array(cap * 8);
  let wordAt = new Int32Array(cap + 1);
  let stop = new Uint8Array(cap);
  let lastDoc = new Int32Array(cap).fill(-1);
  let lastAt = new Int32Array(cap);
  let mask = cap * 2 - 1;
  let slots = new Int32Array((mask + 1) * 2);

  /** Vocabulary ids by first code unit, ascending. */
  const asciiBuckets: number[][] = Array.from({ length: 128 }, () => []);
  const wideBuckets = new Map<number, number[]>();

  /** Makes room for `c` words (before any is added). */
  function sizeVocabulary(c: number): void {
    cap = c;
    chars = new Uint16Array(cap * 8);
    wordAt = new Int32Array(cap + 1);
    stop = new Uint8Array(cap);
    lastDoc = new Int32Array(cap).fill(-1);
    lastAt = new Int32Array(cap);
    mask = cap * 2 - 1;
    slots = new Int32Array((mask + 1) * 2);
  }

  /** The id of the word `s[begin..end)` with hash `h` (ASCII capitals lowered when `upper`), added if new. */
  function intern(s: string, begin: number, end: number, h: number, upper: boolean): number {
    const length = end - begin;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const t = slots[2 * slot] - 1;
      if (t < 0) break;
      if (slots[2 * slot + 1] === h) {
        const at = wordAt[t];
        if (wordAt[t + 1] - at === length) {
          let j = 0;
          while (j < length) {
            const x = s.charCodeAt(begin + j);
            if (chars[at + j] !== (x < 128 ? ASCII_WORD[x] : x)) break;
            j++;
          }
          if (j === length) return t;
        }
      }
      slot = (slot + 1) & mask;
    }
    return add(s, begin, end, h, upper, slot);
  }

  /** Adds a new word at a free table slot. */
  function add(s: string, begin: number, end: number, h: number, upper: boolean, slot: number): number {
    const word = upper ? s.slice(begin, end).toLowerCase() : s.slice(begin, end);
    const id = words.length;
    words.push(word);
    if (id === cap) {
      cap *= 2;
      const w2 = new Int32Array(cap + 1);
      w2.set(wordAt);
      wordAt = w2;
      const s2 = new Uint8Array(cap);
      s2.set(stop);
      stop = s2;
      const d2 = new Int32Array(cap).fill(-1);
      d2.set(lastDoc);
      lastDoc = d2;
      const a2 = new Int32Array(cap);
      a2.set(lastAt);
      lastAt = a2;
    }
    const at = wordAt[id];
    if (at + word.length > chars.length) {
      const c2 = new Uint16Array(Math.max(chars.length * 2, at + word.length));
      c2.set(chars);
      chars = c2;
    }
    for (let j = 0; j < word.length; j++) chars[at + j] = word.charCodeAt(j);
    wordAt[id + 1] = at + word.length;
    stop[id] = STOPWORDS.has(word) ? 1 : 0;
    // Prefix and typo candidates are looked up by first letter.
    if (!stop[id]) {
      const c0 = word.charCodeAt(0);
      if (c0 < 128) asciiBuckets[c0].push(id);
      else {
        const list = wideBuckets.get(c0);
        if (list) list.push(id);
        else wideBuckets.set(c0, [id]);
      }
    }
    slots[2 * slot] = id + 1;
    slots[2 * slot + 1] = h;
    if (words.length * 2 > mask) {
      // Grow the table: re-insert every word by its stored hash.
      const old = slots;
      mask = mask * 2 + 1;
      slots = new Int32Array((mask + 1) * 2);
      for (let k = 0; k < old.length; k += 2) {
        if (old[k] === 0) continue;
        let to = (old[k + 1] ^ (old[k + 1] >>> 15)) & mask;
        while (slots[2 * to] !== 0) to = (to + 1) & mask;
        slots[2 * to] = old[k];
        slots[2 * to + 1] = old[k + 1];
      }
    }
    return id;
  }

  // Word ids of the line being read, how many, and where the line ended.
  let ids: Int32Array = new Int32Array(256);
  let count = 0;
  let lineEnd = 0;
  const grown = (n: number): Int32Array => {
    const bigger = new Int32Array(n * 2);
    bigger.set(ids);
    ids = bigger;
    return bigger;
  };

  /** Reads the line of `s` starting at `p` as it is; false when it needs folding first. */
  function scan(s: string, p: number): boolean {
    const len = s.length;
    let out = ids;
    let n = 0;
    while (p < len) {
      let c = s.charCodeAt(p);
      if (c === 10) break;
      if (c >= 128) {
        const cp = s.codePointAt(p)!;
        if (wideKind(cp) !== PLAIN) return false;
        p += cp > 0xffff ? 2 : 1;
        continue;
      }
      if (ASCII_WORD[c] === 0) {
        p++;
        continue;
      }
      const begin = p;
      let h = FNV;
      let upper = false;
      while (p < len) {
        c = s.charCodeAt(p);
        if (c >= 128) {
          if (wideKind(s.codePointAt(p)!) !== PLAIN) return false;
          break;
        }
        const u = ASCII_WORD[c];
        if (u === 0) break;
        if (u !== c) upper = true;
        h = Math.imul(h ^ u, PRIME);
        p++;
      }
      const id = intern(s, begin, p, h, upper);
      if (n === out.length) out = grown(n);
      out[n++] = id;
    }
    count = n;
    lineEnd = p;
    return true;
  }

  /** Reads an already folded text (no newline in it) into `ids`; returns how many words. */
  function readFolded(s: string): number {
    let n = 0;
    let i = 0;
    const len = s.length;
    while (i < len) {
      const begin = i;
      let h = FNV;
      while (i < len) {
        const c = s.charCodeAt(i);
        if (c < 128) {
          const u = ASCII_WORD[c];
          if (u === 0) break;
          h = Math.imul(h ^ u, PRIME);
          i++;
        } else {
          const cp = s.codePointAt(i)!;
          if (wideKind(cp) !== LETTER) break;
          h = Math.imul(h ^ c, PRIME);
          if (cp > 0xffff) {
            h = Math.imul(h ^ s.charCodeAt(i + 1), PRIME);
            i += 2;
          } else i++;
        }
      }
      if (i > begin) {
        const id = intern(s, begin, i, h, false);
        if (n === ids.length) grown(n);
        ids[n++] = id;
      } else i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    }
    return n;
  }

  /** Reads the line of `s` starting at `from`, folding it when it has to be; sets `count` and `lineEnd`. */
  function readLine(s: string, from: number): void {
    if (scan(s, from)) return;
    // Diacritics, marks or compatibility characters: fold the line and read it again.
    let end = s.indexOf('\n', from);
    if (end < 0) end = s.length;
    count = readFolded(fold(s.slice(from, end)));
    lineEnd = end;
  }

  // Postings, in record order within a pass.
  let pTerm = new Int32Array(0);
  let pDoc = new Int32Array(0);
  let pMask = new Uint8Array(0);
  let np = 0;
  let passes = 0;
  function reserve(extra: number): void {
    if (np + extra <= pTerm.length) return;
    const c = Math.max(np + extra, pTerm.length * 2);
    const t = new Int32Array(c);
    t.set(pTerm.subarray(0, np));
    pTerm = t;
    const d = new Int32Array(c);
    d.set(pDoc.subarray(0, np));
    pDoc = d;
    const m = new Uint8Array(c);
    m.set(pMask.subarray(0, np));
    pMask = m;
  }
  function post(list: Int32Array, n: number, doc: number, bit: number): void {
    for (let j = 0; j < n; j++) {
      const id = list[j];
      if (stop[id] === 1) continue;
      if (lastDoc[id] === doc) {
        pMask[lastAt[id]] |= bit;
        continue;
      }
      // More than reserved: folding can add words (½ -> 1⁄2), a story can have many outlets.
      if (np === pTerm.length) reserve(1);
      lastDoc[id] = doc;
      lastAt[id] = np;
      pTerm[np] = id;
      pDoc[np] = doc;
      pMask[np] = bit;
      np++;
    }
  }

  // The first column's words of the last record others may inherit them from.
  let heldFor = -1;
  let held: Int32Array = new Int32Array(64);
  let heldCount = 0;
  function hold(record: number, list: Int32Array, n: number): void {
    if (held.length < n) held = new Int32Array(n * 2);
    held.set(list.subarray(0, n));
    heldCount = n;
    heldFor = record;
  }

  function read(input: InvertedColumns & { outlets?: InvertedOutlets }): Int32Array[] {
    const { columns, bits, inherit, outlets, records } = input;
    const ncol = columns.length;
    passes++;
    lastDoc.fill(-1);
    heldFor = -1;
    // A text of n characters has at most (n + 1) / 2 words.
    let bound = 0;
    for (let k = 0; k < ncol; k++) bound += (columns[k].length + 2) >> 1;
    // Room for the vocabulary up front, about one new word per dozen
    // characters read first (growing costs a copy and a rehash).
    if (words.length === 0) {
      let c = 1 << 10;
      while (c < bound / 6 && c < 1 << 17) c <<= 1;
      if (c > cap) sizeVocabulary(c);
    }
    const outletIds: Int32Array[] = [];
    if (outlets) {
      for (const name of outlets.names) {
        const n = readFolded(fold(name));
        outletIds.push(ids.slice(0, n));
      }
      // Most records have one outlet of a word or two (more are posted as they come).
      bound += size * 2;
    }
    reserve(bound);
    const postOutlets = (i: number) => {
      const o = outlets!.of(i);
      if (typeof o === 'number') {
        const list = outletIds[o];
        if (list) post(list, list.length, i, outlets!.bit);
      } else {
        for (let j = 0; j < o.length; j++) {
          const list = outletIds[o[j]];
          if (list) post(list, list.length, i, outlets!.bit);
        }
      }
    };
    const lineStart = columns.map(() => new Int32Array(size + 1));
    /** Record `i` has an empty line in the first column: post the words of the record it inherits from. */
    const postInherited = (i: number, source: number, bit: number) => {
      if (source !== heldFor) {
        readLine(columns[0], lineStart[0][source]);
        hold(source, ids, count);
      }
      post(held, heldCount, i, bit);
    };
    const cursor = new Int32Array(ncol);
    for (let i = 0; i < size; i++) {
      if (records && !records[i]) {
        for (let k = 0; k < ncol; k++) {
          lineStart[k][i] = cursor[k];
          const nl = columns[k].indexOf('\n', cursor[k]);
          cursor[k] = nl < 0 ? columns[k].length + 1 : nl + 1;
        }
        continue;
      }
      for (let k = 0; k < ncol; k++) {
        const from = cursor[k];
        lineStart[k][i] = from;
        readLine(columns[k], from);
        cursor[k] = lineEnd + 1;
        if (k === 0 && inherit !== undefined) {
          const source = inherit[i];
          if (source >= 0 && lineEnd === from) {
            postInherited(i, source, bits[0]);
            continue;
          }
          if (source < 0 && count > 0) hold(i, ids, count);
        }
        post(ids, count, i, bits[k]);
      }
      if (outlets) postOutlets(i);
    }
    for (let k = 0; k < ncol && size > 0; k++) {
      if (cursor[k] !== columns[k].length + 1) throw new Error(`search index: column ${k} does not have one line per record`);
      lineStart[k][size] = cursor[k];
    }
    return lineStart;
  }

  function finish(): InvertedIndex {
    const v = words.length;
    const { start, docs, masks } = groupByWord(pTerm, pDoc, pMask, np, v, size, passes);
    const table = slots;
    const tableMask = mask;

    const lookup = (word: string): number => {
      let h = FNV;
      for (let j = 0; j < word.length; j++) h = Math.imul(h ^ word.charCodeAt(j), PRIME);
      let slot = (h ^ (h >>> 15)) & tableMask;
      for (;;) {
        const id = table[slot * 2] - 1;
        if (id < 0) return -1;
        // (A word read after this index was made is not in it.)
        if (table[slot * 2 + 1] === h && words[id] === word) return stop[id] || id >= v ? -1 : id;
        slot = (slot + 1) & tableMask;
      }
    };

    /** Ids of this index's words starting with `c`: the bucket's ids below `v` (later reads add to the end). */
    const bucket = (c: number): readonly number[] => {
      const list = (c < 128 ? asciiBuckets[c] : wideBuckets.get(c)) ?? [];
      let k = list.length;
      while (k > 0 && list[k - 1] >= v) k--;
      return k === list.length ? list : list.slice(0, k);
    };

    return {
      lookup,
      words: words.slice(0, v),
      start,
      docs,
      masks,
      byFirst: bucket,
    };
  }

  return { read, finish };
}

/** An inverted index of the given columns (and outlets) in one pass, with where each record's line starts per column. */
export function buildInverted(input: InvertedColumns & { size: number; outlets?: InvertedOutlets }): InvertedIndex & { lineStart: Int32Array[] } {
  const builder = createInvertedBuilder(input.size);
  const lineStart = builder.read(input);
  return { ...builder.finish(), lineStart };
}
