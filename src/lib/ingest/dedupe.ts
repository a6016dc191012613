/**
 * Dedupe stage: drops exact and near-duplicate paragraphs within an article,
 * keeping the first copy. Scrapers often capture a body twice (a print view
 * and a screen view, or an AMP copy stacked under the page).
 */
import type { CleanDoc } from './types.ts';
import { foldedWords, truncate } from '../text.ts';

export interface DedupeOptions {
  /** Jaccard similarity of 3-word shingles above which two paragraphs are the same. */
  nearDuplicate: number;
  /** Paragraphs shorter than this (in words) must match exactly: short lines repeat innocently. */
  nearMinWords: number;
}

export const defaultDedupeOptions: DedupeOptions = { nearDuplicate: 0.85, nearMinWords: 10 };

const NO_SHINGLES = new Float64Array(0);

/**
 * 3-word shingles as numbers: each distinct word gets a small id (per article),
 * and a shingle packs three ids into one safe integer. Number keys compare much
 * faster than joined strings; ids wrap at 2^17 words, where a rare collision
 * could only make two paragraphs look a little more alike.
 *
 * The set is a sorted Float64Array without repeats rather than a Set: one native
 * sort instead of a hashed insert per word, and two sets meet in one merge.
 */
function shingles(words: string[], ids: Map<string, number>): Float64Array {
  if (words.length < 3) return NO_SHINGLES;
  const id = (w: string) => {
    let n = ids.get(w);
    if (n === undefined) {
      n = ids.size % 131072;
      ids.set(w, n);
    }
    return n;
  };
  const out = new Float64Array(words.length - 2);
  let a = id(words[0]);
  let b = id(words[1]);
  for (let i = 2; i < words.length; i++) {
    const c = id(words[i]);
    out[i - 2] = a * 17179869184 + b * 131072 + c;
    a = b;
    b = c;
  }
  out.sort();
  let size = out.length > 0 ? 1 : 0;
  for (let i = 1; i < out.length; i++) if (out[i] !== out[size - 1]) out[size++] = out[i];
  return out.subarray(0, size);
}

/** Jaccard similarity of the sorted sets `a` and `b` is at least `threshold`. */
function similarAtLeast(a: Float64Array, b: Float64Array, threshold: number): boolean {
  const [small, large] = a.length < b.length ? [a, b] : [b, a];
  // The overlap is at most the smaller set: skip the count when even that falls short.
  if (small.length < large.length * threshold) return false;
  let inter = 0;
  for (let i = 0, j = 0; i < small.length && j < large.length; ) {
    if (small[i] === large[j]) {
      inter++;
      i++;
      j++;
    } else if (small[i] < large[j]) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter || 1) >= threshold;
}

export function dedupe(doc: CleanDoc, options: Partial<DedupeOptions> = {}): CleanDoc {
  const opts = { ...defaultDedupeOptions, ...options };
  const seen = new Set<string>();
  const kept: Array<{ shingles: Float64Array; words: number }> = [];
  const ids = new Map<string, number>();
  const body = [];
  const removed = [...doc.removed];
  for (const block of doc.body) {
    const words = foldedWords(block.text);
    const folded = words.join(' ');
    // Shingles only matter for paragraphs long enough to be compared.
    const comparable = block.kind === 'p' && words.length >= opts.nearMinWords;
    const sh = comparable ? shingles(words, ids) : NO_SHINGLES;
    const duplicate =
      seen.has(folded) ||
      (comparable && kept.some((k) => k.words >= opts.nearMinWords && similarAtLeast(k.shingles, sh, opts.nearDuplicate)));
    if (duplicate) {
      removed.push({ kind: 'duplicate-paragraph', text: truncate(block.text, 280) });
      continue;
    }
    seen.add(folded);
    if (comparable) kept.push({ shingles: sh, words: words.length });
    body.push(block);
  }
  return { ...doc, body, removed };
}
