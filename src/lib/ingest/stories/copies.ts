/**
 * Wire copies: articles whose bodies are near-identical (one outlet republishing
 * another's text, often with a dateline tag added, a disclaimer appended or a
 * paragraph dropped).
 *
 * Method: word 5-shingles, hashed (FNV-1a), value-sampled (keep a hash when
 * hash % sample == 0; Broder's "mod-m" sketch). Unlike a fixed-size MinHash,
 * a mod-m sample estimates *containment* (|A ∩ B| / |A|), which is what a copy
 * with a dropped paragraph or an added disclaimer preserves. This module makes
 * the sketch (what grouping reads of each article, cluster-docs.ts); the
 * search for an article's original among the sketches of the days before it
 * is the grouping's (dated.ts, undated.ts, with score.ts `CopyHits`).
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
