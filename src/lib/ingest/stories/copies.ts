/**
 * Wire copies: articles whose bodies are near-identical (one outlet republishing
 * another's text, often with a dateline tag added, a disclaimer appended or a
 * paragraph dropped).
 *
 * Method: word 5-shingles, hashed (FNV-1a), value-sampled (keep a hash when
 * hash % sample == 0; Broder's "mod-m" sketch). Unlike a fixed-size MinHash,
 * a mod-m sample estimates *containment* (|A ∩ B| / |A|), which is what a copy
 * with a dropped paragraph or an added disclaimer preserves. Candidates come
 * from an inverted index over the sampled hashes, so each article is compared
 * only with the articles it shares shingles with: near-linear in articles.
 *
 * No npm package: `minhash` (0.0.9, unmaintained since 2018, no types) does
 * fixed-size Jaccard MinHash, the wrong estimator here; FNV-1a is ten lines.
 */
import type { Article } from '../types.ts';
import { foldForCompare } from '../../text.ts';

export interface CopyOptions {
  shingleWords: number;
  shingleSample: number;
  copyContainment: number;
  copyCoverage: number;
  copyMinShingles: number;
}

export interface CopyMatch {
  /** The earliest article of the copy family (by date, then raw name). */
  original: string;
  /** Share of the smaller article's shingles found in the other. */
  containment: number;
}

/** Longest posting list kept per shingle hash: keeps copy search near-linear on big drops. */
const MAX_POSTING = 64;

/** 32-bit FNV-1a over a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sampled shingle hashes of an article's body (title excluded: republishers retitle). */
export function shingleSketch(
  article: Article,
  opts: Pick<CopyOptions, 'shingleWords' | 'shingleSample'>,
  words: string[] = foldForCompare(article.body.map((b) => b.text).join(' ')).split(' ').filter(Boolean),
): Uint32Array {
  // Hash each word once, then combine k word hashes per shingle: no shingle strings are built.
  const wordHashes = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) wordHashes[i] = fnv1a(words[i]);
  const sampled = new Uint32Array(Math.max(0, words.length - opts.shingleWords + 1));
  let count = 0;
  for (let i = 0; i + opts.shingleWords <= words.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + opts.shingleWords; j++) h = Math.imul(h ^ wordHashes[j], 0x01000193);
    h = fmix32(h);
    if (h % opts.shingleSample === 0) sampled[count++] = h;
  }
  // Sorted and deduplicated in place (native numeric sort, no Set).
  const out = sampled.subarray(0, count).sort();
  let unique = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[unique++] = out[i];
  return out.slice(0, unique);
}

/** MurmurHash3's finaliser: spreads the bits so that `hash % sample` samples evenly. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Finds copies among articles given in chronological order (earliest first).
 * `bodyWords` (folded body words per article) saves folding the bodies again.
 * Returns copy id -> match; originals are not in the map. A copy of a copy
 * points at the family's original, so `copyOf` is always the earliest.
 */
export function findCopies(ordered: Article[], opts: CopyOptions, sketched?: Uint32Array[]): Map<string, CopyMatch> {
  const sketches = sketched ?? ordered.map((a) => shingleSketch(a, opts));
  const index = new PostingIndex(sketches.reduce((s, k) => s + k.length, 0));
  const root: number[] = ordered.map((_, i) => i);
  const copies = new Map<string, CopyMatch>();
  // Shared sampled shingles per earlier article, for the article being looked up (zeroed after each).
  const hits = new Int32Array(ordered.length);
  const touched: number[] = [];

  ordered.forEach((article, i) => {
    const sketch = sketches[i];
    if (sketch.length >= opts.copyMinShingles) {
      for (const h of sketch) {
        for (let e = index.first(h); e >= 0; e = index.next[e]) {
          const j = index.article[e];
          if (hits[j]++ === 0) touched.push(j);
        }
      }
      let best = -1;
      let bestScore = 0;
      for (const j of touched) {
        const shared = hits[j];
        hits[j] = 0;
        const small = Math.min(sketch.length, sketches[j].length);
        const large = Math.max(sketch.length, sketches[j].length);
        const containment = shared / small;
        if (containment < opts.copyContainment || shared / large < opts.copyCoverage) continue;
        // Best match wins; ties go to the earlier article.
        if (containment > bestScore || (containment === bestScore && j < best)) {
          bestScore = containment;
          best = j;
        }
      }
      touched.length = 0;
      if (best >= 0) {
        root[i] = root[best];
        copies.set(article.id, { original: ordered[root[i]].id, containment: Math.round(bestScore * 1000) / 1000 });
      }
    }
    // A shingle in MAX_POSTING articles is boilerplate or a stock phrase: it cannot tell copies apart.
    for (const h of sketch) index.add(h, i, MAX_POSTING);
  });
  return copies;
}

/**
 * Shingle hash -> articles holding it, in typed arrays: an open-addressing table
 * of hashes, each with a linked list of postings. A Map of arrays made a
 * million small arrays at 10,000 articles (most of the copy search's time was
 * allocation and garbage collection).
 */
class PostingIndex {
  private readonly keys: Uint32Array;
  private readonly heads: Int32Array;
  private readonly counts: Int32Array;
  private readonly mask: number;
  readonly next: Int32Array;
  readonly article: Int32Array;
  private size = 0;

  constructor(maxPostings: number) {
    let slots = 16;
    while (slots < maxPostings * 2) slots *= 2;
    this.mask = slots - 1;
    this.keys = new Uint32Array(slots);
    this.heads = new Int32Array(slots).fill(-1);
    this.counts = new Int32Array(slots);
    this.next = new Int32Array(Math.max(1, maxPostings));
    this.article = new Int32Array(Math.max(1, maxPostings));
  }

  private slot(h: number): number {
    let k = Math.imul(h, 0x9e3779b1) & this.mask;
    while (this.heads[k] >= 0 && this.keys[k] !== h) k = (k + 1) & this.mask;
    return k;
  }

  /** First posting of hash `h`, or -1; follow `next`. */
  first(h: number): number {
    return this.heads[this.slot(h)];
  }

  add(h: number, article: number, cap: number): void {
    const k = this.slot(h);
    if (this.counts[k] >= cap) return;
    this.keys[k] = h;
    this.counts[k]++;
    this.article[this.size] = article;
    this.next[this.size] = this.heads[k];
    this.heads[k] = this.size++;
  }
}
