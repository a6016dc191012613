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
 * the same text and word count under the same rule lists, and a rule list is
 * never changed once made (they are module constants, or a caller's own arrays,
 * each triple with a memo of its own, held weakly: RuleAnswers below).
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
 * The three rule lists a cleaning pass asks about each line (line rules and
 * paragraph rules in step 1, the late rules for the lines the stretch kept),
 * remembered together: one lookup by a line's text answers all three, where a
 * memo per list looked the same text up two or three times (issue #17, speed:
 * those lookups, a hash-table probe by a long string each, cost as much as
 * the rules they spared). A list not yet asked about for a text is asked then.
 *
 * An answer packs the word count and, per list, 0 (not yet asked), 1 (no rule)
 * or 2 + the first matching rule's index: words x SLOT^3 + line + paragraph x SLOT + late x SLOT^2.
 * Each part is what firstMatch gives for that list, text and word count, so the
 * answers are firstMatch's; the same three lists (module constants, or a
 * caller's own arrays) share a memo, held weakly.
 */
const SLOT = 64;
const LATE = SLOT * SLOT;
const WORDS = SLOT * SLOT * SLOT;

export class RuleAnswers {
  private readonly memo: TextMemo<number> | null;

  constructor(
    readonly lineRules: LineRule[],
    readonly paragraphRules: LineRule[],
    readonly lateRules: LineRule[],
  ) {
    // Lists of up to SLOT - 2 rules fit a part (the module's have 14, 2 and 8); longer ones are not remembered.
    const fits = lineRules.length <= SLOT - 2 && paragraphRules.length <= SLOT - 2 && lateRules.length <= SLOT - 2;
    this.memo = fits ? new TextMemo<number>(MEMO_LINES) : null;
  }

  /** The packed answer known for a line (0 when none is, or the line is not remembered). */
  known(text: string, words: number): number {
    if (!this.memo || words > MEMO_MAX_WORDS) return 0;
    const packed = this.memo.get(text);
    return packed !== undefined && Math.floor(packed / WORDS) === words ? packed : 0;
  }

  /**
   * The first rule of a list (0 line, 1 paragraph, 2 late) matching a line, from `packed` (known()'s
   * answer for it) when that holds it; returns the packed answer with this one added, for the next question.
   */
  answer(list: 0 | 1 | 2, text: string, words: number, packed: number): number {
    if (packed !== 0 && partOf(list, packed) !== 0) return packed;
    const at = firstMatchIndex(this.rulesOf(list), text, words);
    const next = (packed !== 0 ? packed : words * WORDS) + (at + 2) * SCALES[list];
    if (this.memo && words <= MEMO_MAX_WORDS) this.memo.set(text, next);
    return next;
  }

  /** The rule a packed answer names for a list (answer() must have been asked for it), or undefined for none. */
  rule(list: 0 | 1 | 2, packed: number): LineRule | undefined {
    const at = partOf(list, packed) - 2;
    return at < 0 ? undefined : this.rulesOf(list)[at];
  }

  private rulesOf(list: 0 | 1 | 2): LineRule[] {
    return list === 0 ? this.lineRules : list === 1 ? this.paragraphRules : this.lateRules;
  }
}

/** Where each list's part sits in a packed answer (line, paragraph, late). */
const SCALES = [1, SLOT, LATE] as const;

/** A list's part of a packed answer: 0 not asked, 1 no rule, 2 + the rule's index. */
const partOf = (list: 0 | 1 | 2, packed: number): number => Math.floor(packed / SCALES[list]) % SLOT;

const answerSets = new WeakMap<LineRule[], WeakMap<LineRule[], WeakMap<LineRule[], RuleAnswers>>>();

/** The remembered answers for these three lists (one per distinct triple of arrays). */
export function ruleAnswersFor(lineRules: LineRule[], paragraphRules: LineRule[], lateRules: LineRule[]): RuleAnswers {
  let byParagraph = answerSets.get(lineRules);
  if (!byParagraph) answerSets.set(lineRules, (byParagraph = new WeakMap()));
  let byLate = byParagraph.get(paragraphRules);
  if (!byLate) byParagraph.set(paragraphRules, (byLate = new WeakMap()));
  let answers = byLate.get(lateRules);
  if (!answers) byLate.set(lateRules, (answers = new RuleAnswers(lineRules, paragraphRules, lateRules)));
  return answers;
}
