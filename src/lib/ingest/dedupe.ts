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

function shingles(words: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

export function dedupe(doc: CleanDoc, options: Partial<DedupeOptions> = {}): CleanDoc {
  const opts = { ...defaultDedupeOptions, ...options };
  const seen = new Set<string>();
  const kept: Array<{ shingles: Set<string>; words: number }> = [];
  const body = [];
  const removed = [...doc.removed];
  for (const block of doc.body) {
    const folded = foldForCompare(block.text);
    const words = folded.split(' ');
    const sh = shingles(words);
    const duplicate =
      seen.has(folded) ||
      (block.kind === 'p' &&
        words.length >= opts.nearMinWords &&
        kept.some((k) => k.words >= opts.nearMinWords && jaccard(k.shingles, sh) >= opts.nearDuplicate));
    if (duplicate) {
      removed.push({ kind: 'duplicate-paragraph', text: truncate(block.text, 280) });
      continue;
    }
    seen.add(folded);
    if (block.kind === 'p') kept.push({ shingles: sh, words: words.length });
    body.push(block);
  }
  return { ...doc, body, removed };
}
