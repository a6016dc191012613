/**
 * Dedupe stage: drops exact and near-duplicate paragraphs within an article,
 * keeping the first copy. Scrapers often capture a body twice (a print view
 * and a screen view, or an AMP copy stacked under the page).
 */
import type { CleanDoc } from './types.ts';
import { foldForCompare, truncate } from '../text.ts';

export interface DedupeOptions {
  /** Jaccard similarity of 3-word shingles above which two paragraphs are the same. */
  nearDuplicate: number;
  /** Paragraphs shorter than this (in words) must match exactly: short lines repeat innocently. */
  nearMinWords: number;
}

export const defaultDedupeOptions: DedupeOptions = { nearDuplicate: 0.85, nearMinWords: 10 };

/**
 * 3-word shingles as numbers: each distinct word gets a small id (per article),
 * and a shingle packs three ids into one safe integer. Number keys hash and
 * compare much faster than joined strings; ids wrap at 2^17 words, where a rare
 * collision could only make two paragraphs look a little more alike.
 */
function shingles(words: string[], ids: Map<string, number>): Set<number> {
  const out = new Set<number>();
  const id = (w: string) => {
    let n = ids.get(w);
    if (n === undefined) {
      n = ids.size % 131072;
      ids.set(w, n);
    }
    return n;
  };
  if (words.length < 3) return out;
  let a = id(words[0]);
  let b = id(words[1]);
  for (let i = 2; i < words.length; i++) {
    const c = id(words[i]);
    out.add(a * 17179869184 + b * 131072 + c);
    a = b;
    b = c;
  }
  return out;
}

/** Jaccard similarity of `a` and `b` is at least `threshold`. */
function similarAtLeast(a: Set<number>, b: Set<number>, threshold: number): boolean {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  // The overlap is at most the smaller set: skip the count when even that falls short.
  if (small.size < large.size * threshold) return false;
  let inter = 0;
  for (const s of small) if (large.has(s)) inter++;
  return inter / (a.size + b.size - inter || 1) >= threshold;
}

export function dedupe(doc: CleanDoc, options: Partial<DedupeOptions> = {}): CleanDoc {
  const opts = { ...defaultDedupeOptions, ...options };
  const seen = new Set<string>();
  const kept: Array<{ shingles: Set<number>; words: number }> = [];
  const ids = new Map<string, number>();
  const body = [];
  const removed = [...doc.removed];
  for (const block of doc.body) {
    const folded = foldForCompare(block.text);
    const words = folded.split(' ');
    // Shingles only matter for paragraphs long enough to be compared.
    const comparable = block.kind === 'p' && words.length >= opts.nearMinWords;
    const sh = comparable ? shingles(words, ids) : new Set<number>();
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
