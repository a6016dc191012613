/**
 * The line rules' decision for a line, remembered by the line's exact text
 * (issue #17, speed): which rule of a list (rules.ts) is the first to match.
 * That decision reads nothing but the text and its word count, yet it is the
 * costliest per-line step of the clean stage (a dozen regular expressions per
 * short line), and the same lines come back page after page: an outlet's
 * widget labels, share bars and error banners, and wire copy several outlets
 * print word for word (on the bench's 10,000 pages, 54% of non-empty lines had
 * been seen on an earlier page).
 *
 * Exact by construction: a remembered answer is the one `firstMatch` gave for
 * the same text and word count under the same rule list, and a rule list is
 * never changed once made (they are module constants, or a caller's own array,
 * each with a memo of its own, held weakly).
 */
import type { LineRule } from './rules.ts';
import { TextMemo } from './text-memo.ts';

/**
 * Lines remembered per generation and rule list (text-memo.ts keeps two).
 * Tuning constant: enough for the chrome of the outlets in a drop-in batch (the
 * 10,000 bench has 33,750 distinct lines in all, its chrome a few hundred),
 * few enough that the strings kept alive stay a few MB.
 */
export const MEMO_LINES = 8_192;

/**
 * Longest line (in words) remembered. Tuning constant: every early rule applies
 * to lines of up to 30 or 40 words, only three beyond, two of them behind a quick
 * `needs` test; a longer line costs about as much to hash and look up as to test.
 */
export const MEMO_MAX_WORDS = 40;

/** The first rule that matches a line of `words` words (a loop: this runs a dozen times per line); a rule's `needs` is tried before its pattern. */
export function firstMatch(rules: LineRule[], text: string, words: number): LineRule | undefined {
  const at = firstMatchIndex(rules, text, words);
  return at < 0 ? undefined : rules[at];
}

/** firstMatch's answer as the rule's index in `rules`, -1 for none. */
function firstMatchIndex(rules: LineRule[], text: string, words: number): number {
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k];
    if (words <= r.maxWords && (r.needs === undefined || r.needs.test(text)) && r.pattern.test(text)) return k;
  }
  return -1;
}

/**
 * Answers per rule list. An answer is one small integer (no object per line):
 * words x (rules + 1) + (index + 1); a remembered answer for another word count
 * (one text has one count, so it cannot happen; checked all the same) is tested afresh.
 */
const memos = new WeakMap<LineRule[], TextMemo<number>>();

/** firstMatch, remembered by text for lines of up to MEMO_MAX_WORDS words (see the module comment). */
export function firstMatchRemembered(rules: LineRule[], text: string, words: number): LineRule | undefined {
  if (words > MEMO_MAX_WORDS || rules.length === 0) return firstMatch(rules, text, words);
  let memo = memos.get(rules);
  if (!memo) memos.set(rules, (memo = new TextMemo<number>(MEMO_LINES)));
  const base = rules.length + 1;
  const known = memo.get(text);
  if (known !== undefined && Math.floor(known / base) === words) {
    const at = (known % base) - 1;
    return at < 0 ? undefined : rules[at];
  }
  const at = firstMatchIndex(rules, text, words);
  memo.set(text, words * base + at + 1);
  return at < 0 ? undefined : rules[at];
}
