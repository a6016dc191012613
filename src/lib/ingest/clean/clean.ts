/**
 * Clean stage: ParsedDoc -> CleanDoc. Separates the article's body from the
 * page around it, recording every removal with its kind.
 *
 * Order of work:
 *  1. line rules and paragraph rules (rules.ts) remove known boilerplate families;
 *  2. section rules remove a boilerplate heading with the list or paragraph under it;
 *  3. the header zone (lines above the first real paragraph) yields title, dek,
 *     byline and tag lines;
 *  4. what is left is the body: short title-like lines between paragraphs become
 *     subheadings, a dateline marker names the outlet.
 * If that leaves too little text, it retries with gentler rules (only the line
 * rules) and says so in `notes`, rather than losing an article.
 *
 * Size: about 820 lines, one stage with one entry (`clean`), plus the views its
 * models are fitted on (pageBlocks, pageHeader: the same pass stopped early, so
 * training sees what the build sees). The seam to split at is the header reader
 * (readHeader, leadOf, bylineOf: about 200 lines); the outlet parsers already
 * moved to outlet-evidence.ts and the title picker lives in title.ts.
 */
import {
  BYLINE_PREFIX,
  COMMENT_SECTION,
  DATELINE_MARKER,
  OUTLET_DATELINE,
  OUTLET_WORD,
  LATE_LINE_RULES,
  LINE_RULES,
  PARAGRAPH_RULES,
  PERSON_NAME,
  SECTION_RULES,
  type LineRule,
  type SectionRule,
} from './rules.ts';
import { bestScoringRun, classify, mainStretch, measureBlocks, pageLanguage, stopListForLanguage, visibleLength, type BlockMeasures, type ClassifyOptions } from './classify.ts';
import { blockFeatures, type BlockInput, type Lexicon } from './block-features.ts';
import { blockProbabilities, defaultBlockModel, type BlockModel } from './block-model.ts';
import { bylineShaped, certainTitle, CERTAIN_MAX_LEX, defaultTitleModel, lexiconMean, isSectionList, pickTitle, type TitleContext, type TitleModel } from './title.ts';
import { isOutletMarker, outletFromCopyright, outletFromNotice } from './outlet-evidence.ts';
import type { Block, CleanDoc, HeaderFields, ParsedDoc, Removal } from '../types.ts';
import type { MarkedDoc } from '../read/html.ts';
import { countWordsAndSpacing, endsLikeSentence, foldForCompare, truncate, wordCount } from '../../text.ts';
import { capitalisedRatio } from './capitals.ts';
import { ruleAnswersFor, type RuleAnswers } from './rule-memo.ts';

export interface CleanOptions {
  lineRules: LineRule[];
  paragraphRules: LineRule[];
  /** Rules applied to page dumps' kept lines after the article is chosen (rules.ts LATE_LINE_RULES). */
  lateRules: LineRule[];
  sectionRules: SectionRule[];
  /** A line with at least this many words and a sentence ending is a body paragraph. */
  paragraphMinWords: number;
  /** A line this long is a paragraph even without a sentence ending (truncated scrapes). */
  longLineWords: number;
  /** Subheadings and titles are at most this long. */
  headingMaxWords: number;
  /** Below this many body words the strict pass is retried with gentler rules. */
  minBodyWords: number;
  /** Removed text longer than this is abbreviated in the record. */
  maxRecordedChars: number;
  /** Run the block classifier and keep only the article's stretch. */
  classify: boolean;
  /**
   * The learned block model (clean/block-model.ts) that judges each block, or
   * undefined for the committed one; null uses the jusText-style classifier
   * (classify.ts) with `classifier`'s thresholds. On by default: across the five
   * site-grouped folds its page-text mean rises (0.923 -> 0.930; folds 0, 2, 4 up,
   * fold 1 level, fold 3 -0.002, one page's worth on its 20 pages), and on the
   * held-out seed-like wordings it is what keeps error banners out of titles
   * (10 -> 0) and leaves fewer boilerplate lines (4.3% -> 1.7%); see
   * docs/eval-boilerplate.md. It runs only where plainArticle's cheap steps cannot
   * decide the page (the cascade of speed round six).
   */
  model?: BlockModel | null;
  classifier: Partial<ClassifyOptions>;
  /**
   * The learned title picker (clean/title.ts) that chooses the headline among
   * the header zone's lines; null uses the older rule (the headline-shaped line
   * nearest the body).
   */
  titleModel?: TitleModel | null;
  /**
   * Skip the classifier (and the block model) on a page that is plainly one
   * article: every line the rules left after its first paragraph is itself a
   * paragraph, and no comment section follows (see plainArticle). Nothing is
   * left for a classifier to remove there, and it is most of what a build
   * cleans (bodies scraped as articles), so this keeps cleaning fast.
   */
  skipPlainArticles: boolean;
  /** A comment section's heading ends the article's stretch (see rules.ts COMMENT_SECTION). */
  commentsEndArticle: boolean;
  /** Remove the lines the parser marked as not article text (captions, link lists in HTML). */
  parserMarks: boolean;
  /**
   * HTML lists are `<li>` lists inside the container Readability chose, and the
   * parser already marks link-dense ones: a run of headline-like items after the
   * last paragraph is not taken for a promo list there ("Qualified teams" and its
   * twenty entries), and a body ending in three or more list items keeps them
   * rather than shedding them as stray fragments.
   */
  trustHtmlLists: boolean;
}

export const defaultCleanOptions: CleanOptions = {
  lineRules: LINE_RULES,
  paragraphRules: PARAGRAPH_RULES,
  lateRules: LATE_LINE_RULES,
  sectionRules: SECTION_RULES,
  paragraphMinWords: 12,
  longLineWords: 25,
  headingMaxWords: 16,
  minBodyWords: 25,
  maxRecordedChars: 280,
  classify: true,
  // The committed block model (see `model` above; null falls back to the jusText-style classifier).
  model: undefined,
  classifier: {},
  skipPlainArticles: true,
  commentsEndArticle: true,
  parserMarks: true,
  trustHtmlLists: true,
};

interface Entry {
  text: string;
  /** The parser marked it a heading (Markdown `#`, HTML `<h2>`). */
  heading: boolean;
  /** wordCount(text), counted once. */
  words: number;
  /** Position among all non-empty lines of the page (the classifier's view). */
  at: number;
  /** What the rule lists answered for the line so far (rule-memo.ts RuleAnswers, packed): the late rules read it. */
  rules: number;
}

/**
 * The word count of each body block clean() returned for the last few pages, in
 * body order, so the metadata stage (which runs right after, on the same page)
 * does not count them again. A WeakMap entry per block, or even per page, cost
 * more than the counting it saved; a page not found here is simply counted.
 */
const RECENT_PAGES = 8;
const recentPages: Array<{ doc: ParsedDoc; body: Block[]; words: number[] }> = [];
let nextRecent = 0;

/**
 * wordCount(b.text) for each block of doc.body: the cleaner's counts for its own
 * blocks (dedupe keeps them, in order, dropping some), a fresh count for others.
 */
export function bodyWordCounts(doc: CleanDoc): number[] {
  let known: (typeof recentPages)[number] | undefined;
  // Newest first: a page cleaned twice (a retry by a caller) is known by its last result.
  for (let k = 1; k <= recentPages.length && !known; k++) {
    const page = recentPages[(nextRecent - k + RECENT_PAGES) % RECENT_PAGES];
    if (page?.doc === doc.doc) known = page;
  }
  const out: number[] = [];
  let from = 0;
  for (const block of doc.body) {
    let j = from;
    if (known) while (j < known.body.length && known.body[j] !== block) j++;
    if (known && j < known.body.length) {
      out.push(known.words[j]);
      from = j + 1;
    } else {
      // Not the cleaner's body after all (or not in its order): count the rest, in linear time.
      known = undefined;
      out.push(wordCount(block.text));
    }
  }
  return out;
}

/** What cleanWith made: the cleaned page and the word count of each body block. */
interface Cleaned {
  doc: CleanDoc;
  words: number[];
}

/**
 * The language the classifier found for a page (ISO 639-3), so the metadata
 * stage need not detect it again on the same text. Keyed by the parsed document.
 */
export const pageLanguageOf = new WeakMap<ParsedDoc, string>();

/** Words kept in a cleaned body. (Helpers here are module functions, not closures made per page: tsx's keepNames names every closure it creates, a measurable cost per page.) */
function count(c: Cleaned): number {
  return c.words.reduce((n, w) => n + w, 0);
}

/** Keeps a cleaned page among the recent ones and returns its document. */
function remember(doc: ParsedDoc, c: Cleaned): CleanDoc {
  recentPages[nextRecent] = { doc, body: c.doc.body, words: c.words };
  nextRecent = (nextRecent + 1) % RECENT_PAGES;
  return c.doc;
}

/**
 * The options of a pass: `base` with `change` laid over, as `{ ...base, ...change }`
 * gives them, but built by Object.assign onto a fresh object: its copies all share
 * one V8 map, where a spread's copies change map after its first few dozen calls,
 * and every pass's code that reads an option (most of cleanWith) was optimised
 * for the first map and thrown away for the next (issue #17, speed).
 */
function optionsFor(base: CleanOptions, change: Partial<CleanOptions>): CleanOptions {
  return Object.assign({}, base, change);
}

export function clean(doc: ParsedDoc, options: Partial<CleanOptions> = {}): CleanDoc {
  const opts = optionsFor(defaultCleanOptions, options);
  let best = cleanWith(doc, opts);
  let words = count(best);
  if (words >= opts.minBodyWords) return remember(doc, best);
  const original = doc.lines.reduce((n, l) => n + wordCount(l), 0);
  if (original <= words) return remember(doc, best);
  // Too little survived: the classifier, then the section and paragraph rules,
  // may have eaten the article. Retry gentler, and keep whichever kept more.
  const gentler: Array<[string, Partial<CleanOptions>]> = [
    ['rules without the paragraph classifier', { classify: false }],
    ['line rules only', { classify: false, sectionRules: [], paragraphRules: [] }],
  ];
  for (const [what, change] of gentler) {
    const retry = cleanWith(doc, optionsFor(opts, change));
    const retryWords = count(retry);
    if (retryWords > words) {
      retry.doc.notes.push(`strict cleaning left ${words} words; used gentler rules (${what})`);
      best = retry;
      words = retryWords;
      if (words >= opts.minBodyWords) break;
    }
  }
  return remember(doc, best);
}

/**
 * The per-page callbacks of cleanWith come from these factories, as anonymous
 * arrows, instead of being written inside it as named closures: under tsx (how
 * the build, its workers and the bench run) esbuild keeps every named function's
 * name with an Object.defineProperty call each time the closure is made, per page,
 * which cost about as much as the line rules it wraps (issue #17, speed). The
 * callbacks are the same code.
 */
function recorderFor(removed: Removal[], maxChars: number): (kind: string, text: string) => void {
  return (kind, text) => {
    removed.push({ kind, text: truncate(text, maxChars) });
  };
}

/** A line of `n` words is a paragraph: long, or long enough and ending like a sentence. */
function paragraphTestFor(opts: CleanOptions): (text: string, n?: number) => boolean {
  return (text, n = wordCount(text)) => n >= opts.longLineWords || (n >= opts.paragraphMinWords && endsLikeSentence(text));
}

/**
 * Page dumps: the late rules take chrome out of what the stretch kept (see LATE_LINE_RULES).
 * A short sentence right under an error banner is the banner's advice ("Try going back to the
 * homepage."), not the article: a headline does not end with a period, a lead is longer.
 * True for an entry that stays.
 */
function lateFilterFor(pageLike: boolean, errorBanners: ReadonlySet<number>, answers: RuleAnswers, record: (kind: string, text: string) => void): (e: Entry) => boolean {
  return (e) => {
    if (!pageLike) return true;
    const rule = errorAdvice(e, errorBanners) ? { kind: 'error-banner' } : answers.rule(2, answers.answer(2, e.text, e.words, e.rules));
    if (rule) record(rule.kind, e.text);
    return !rule;
  };
}

/**
 * The title picker for readHeader (title.ts), or the training script's tap on what it is shown.
 * A factory, not a closure written in cleanWith: see recorderFor.
 */
function titlePickerFor(
  all: Array<{ text: string; heading: boolean; removed: boolean }>,
  bodyAt: number,
  rest: Entry[],
  pageStop: Set<string> | null | undefined,
  opts: CleanOptions,
  titleModel: TitleModel | null,
  headerTap: HeaderTap | undefined,
): (at: number[]) => number {
  return (at) => {
    // The picker sees every line above the body, rules' removals included (they are what
    // boilerplate looks like, and context for their neighbours); it may choose only the
    // lines readHeader still holds (`at`, positions on the page).
    // Built by plain loops (not map): arrays of one kind keep V8's code for the picker optimised once (issue #17, speed).
    const lines: string[] = [];
    const headings: boolean[] = [];
    const eligible: boolean[] = [];
    for (let i = 0; i < bodyAt; i++) {
      lines.push(all[i].text);
      headings.push(all[i].heading);
      eligible.push(false);
    }
    // A byline of a shape bylineOf does not know ("Published by …") is no headline either.
    for (const i of at) eligible[i] = !bylineShaped(lines[i]);
    const lexicon = (opts.model ?? defaultBlockModel()).lexicon;
    if (!headerTap) {
      // The cascade's cheap step: a choice the picker would keep needs no picker (title.ts certainTitle).
      const choosable = new Uint8Array(eligible.length);
      for (let i = 0; i < eligible.length; i++) choosable[i] = eligible[i] ? 1 : 0;
      const sure = certainTitle(lines, choosable, lexicon);
      if (sure >= 0) return at.indexOf(sure);
    }
    const context: TitleContext = {
      lead: leadOf(rest),
      stop: pageStop !== undefined ? pageStop : stopListFor(all).stop,
      lexicon,
      headings,
      eligible,
    };
    if (headerTap) {
      headerTap(lines, context);
      return -1;
    }
    return at.indexOf(pickTitle(titleModel!, lines, context));
  };
}

/** What step 2b (judgeBlocks) made of a page. */
interface Judged {
  /** Per kept entry, whether the classifier judged it good; null when it found no stretch. */
  good: boolean[] | null;
  /** The article's stretch, in kept entries. */
  stretch: [number, number];
  /** The page's stop list, when the step measured the page (undefined: it did not). */
  stop: Set<string> | null | undefined;
  /** The training tap was handed the blocks: cleanWith stops there. */
  tapped: boolean;
}

/**
 * Step 2b of cleanWith, the classifier: which blocks read as prose, and which
 * stretch of the page is the article. A function of its own, not inline in
 * cleanWith: it runs on a minority of pages, so V8 meets its rarer paths (a
 * comment heading inside the stretch, another shape of the classifier's answer)
 * only after optimising, and each such deoptimisation recompiled the whole of
 * cleanWith (three optimising compiles of it on the 10,000 bench); here only
 * this part is compiled again (issue #17, speed).
 */
function judgeBlocks(doc: ParsedDoc, opts: CleanOptions, kept: Entry[], all: Array<{ text: string; words: number; heading: boolean; removed: boolean }>, tap: Tap | undefined): Judged {
  let good: boolean[] | null = null;
  let stretch: [number, number] = [0, kept.length - 1];
  let pageStop: Set<string> | null | undefined;
  const texts: string[] = [];
  const knownBad: boolean[] = [];
  const allHeadingish: boolean[] = [];
  for (const e of all) {
    texts.push(e.text);
    knownBad.push(e.removed);
    allHeadingish.push(headingishLine(e, opts));
  }
  let c: { final: Array<'good' | 'bad'> };
  let found: [number, number] | null;
  const model = tap ? null : opts.model === undefined ? defaultBlockModel() : opts.model;
  if (model || tap) {
    // Measured once, for the jusText-style classifier and the model's features alike.
    const measures = measureBlocks(texts, knownBad);
    if (measures.lang !== 'und') pageLanguageOf.set(doc, measures.lang);
    pageStop = measures.stop;
    // The jusText-style classifier's verdicts are features too: the model learns when to trust them.
    const jt = classify(texts, allHeadingish, opts.classifier, knownBad, measures);
    const jtStretch = mainStretch(texts, jt, opts.classifier) ?? [0, -1];
    const INITIAL = { bad: 0, short: 1, neargood: 2, good: 3 } as const;
    const blocks: BlockInput[] = [];
    for (let i = 0; i < all.length; i++) {
      const e = all[i];
      blocks.push({
        text: e.text,
        words: e.words,
        heading: e.heading,
        ruleBad: e.removed,
        jusText: [INITIAL[jt.initial[i]], jt.final[i] === 'good' ? 1 : 0, i >= jtStretch[0] && i <= jtStretch[1] ? 1 : 0],
      });
    }
    if (tap) {
      tap(blocks, measures);
      return { good, stretch, stop: pageStop, tapped: true };
    }
    const p = blockProbabilities(model!, blockFeatures(blocks, measures, model!.lexicon));
    const final: Array<'good' | 'bad'> = [];
    for (let i = 0; i < all.length; i++) final.push(p[i] >= model!.decode.threshold ? 'good' : 'bad');
    c = { final };
    found = bestStretch(texts, p, model!);
  } else {
    const jt = classify(texts, allHeadingish, opts.classifier, knownBad);
    if (jt.lang !== 'none' && jt.lang !== 'und') pageLanguageOf.set(doc, jt.lang);
    c = jt;
    found = mainStretch(texts, jt, opts.classifier);
  }
  if (found) {
    // A comment section's heading inside the stretch, after some article text, ends it.
    if (opts.commentsEndArticle) {
      let seenGood = false;
      for (let i = found[0]; i <= found[1]; i++) {
        if (c.final[i] === 'good' && !all[i].removed && all[i].words >= opts.paragraphMinWords) seenGood = true;
        else if (seenGood && all[i].removed && COMMENT_SECTION.test(all[i].text)) {
          found[1] = i - 1;
          break;
        }
      }
    }
    good = [];
    for (const e of kept) good.push(c.final[e.at] === 'good');
    // The stretch in kept entries: those whose page position falls inside it.
    let first = kept.findIndex((e) => e.at >= found[0]);
    let last = -1;
    for (let k = kept.length - 1; k >= 0; k--) if (kept[k].at <= found[1]) { last = k; break; }
    if (first < 0 || last < first) { first = 0; last = -1; }
    stretch = [first, last];
  }
  return { good, stretch, stop: pageStop, tapped: false };
}

/** What the block model is shown of a page (for the training script: pageBlocks). */
type Tap = (blocks: BlockInput[], measures: BlockMeasures) => void;
/** What the title picker is shown of a page (for the training script: pageHeader). */
type HeaderTap = (lines: string[], context: TitleContext) => void;

function cleanWith(doc: ParsedDoc, opts: CleanOptions, tap?: Tap, headerTap?: HeaderTap): Cleaned {
  const removed: Removal[] = [];
  const header: HeaderFields = {};
  const notes: string[] = [];
  // Made by module-level factories, not written here as named closures: see recorderFor.
  const record = recorderFor(removed, opts.maxRecordedChars);
  const isParagraph = paragraphTestFor(opts);

  // 1. Line and paragraph rules. Every non-empty line is remembered with whether
  // a rule removed it: the classifier still sees removed lines, as known-bad
  // blocks, because a share bar or a comment gate is evidence about its neighbours.
  const entries: Entry[] = [];
  // Time stamps with a written year: the first one above the body dates the article.
  const stamps: Array<{ at: number; text: string }> = [];
  // Lines the parser already marked (HTML figure captions, link lists: html.ts).
  const marked = (doc as MarkedDoc).marked;
  const all: Array<{ text: string; words: number; heading: boolean; removed: boolean }> = [];
  // Lines that are error banners (positions in `all`): the short sentence under one goes with it (see `late`).
  const errorBanners = new Set<number>();
  // The line, paragraph and late rules' answers, remembered together by a line's text (rule-memo.ts).
  const answers = ruleAnswersFor(opts.lineRules, opts.paragraphRules, opts.lateRules);
  doc.lines.forEach((line, i) => {
    // Most lines have no whitespace to collapse (the replacement would swap each
    // space for itself, a regex match per word); the count is the same either way.
    const { words, unevenSpace } = countWordsAndSpacing(line);
    const text = (unevenSpace ? line.replace(/[\s\u00a0]+/g, ' ') : line).trim();
    if (!text) return;
    const heading = doc.headingLines?.has(i) ?? false;
    all.push({ text, words, heading, removed: true });
    const markedKind = marked?.get(i);
    if (markedKind && opts.parserMarks) {
      record(markedKind, text);
      return;
    }
    let rules = answers.answer(0, text, words, answers.known(text, words));
    const lineRule = answers.rule(0, rules);
    if (lineRule) {
      if (lineRule.kind === 'error-banner') errorBanners.add(all.length - 1);
      record(lineRule.kind, text);
      if (lineRule.kind === 'timestamp' && /\b(?:19|20)\d\d\b/.test(text)) stamps.push({ at: all.length - 1, text });
      if (lineRule.kind === 'status-header') header.date ??= text.match(/\d{4}-\d{2}-\d{2}/)?.[0];
      if (lineRule.kind === 'copyright') header.source ??= outletFromCopyright(text);
      return;
    }
    rules = answers.answer(1, text, words, rules);
    const paragraphRule = answers.rule(1, rules);
    if (paragraphRule) {
      record(paragraphRule.kind, text);
      header.source ??= outletFromNotice(text);
      return;
    }
    all[all.length - 1].removed = false;
    entries.push({ text, heading, words, at: all.length - 1, rules });
  });

  // 2. Section rules: a boilerplate heading takes what it heads with it.
  const kept: Entry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const { text } = entries[i];
    const rule = entries[i].words <= 8 ? opts.sectionRules.find((r) => r.heading.test(text)) : undefined;
    if (!rule) {
      kept.push(entries[i]);
      continue;
    }
    record(rule.kind, text);
    all[entries[i].at].removed = true;
    if (rule.follow === 'paragraph') {
      // Its paragraph is the next line of the page; when a paragraph rule already
      // took that line, the heading goes alone (the next entry is something else).
      const next = entries[i + 1];
      if (next && !next.heading && next.at === entries[i].at + 1) {
        record(rule.kind, next.text);
        all[next.at].removed = true;
        header.source ??= outletFromNotice(next.text);
        i++;
      }
      continue;
    }
    // Items: list lines, or short lines that do not read as sentences.
    while (i + 1 < entries.length) {
      const next = entries[i + 1].text;
      const nextWords = entries[i + 1].words;
      const item = /^(?:[-•*·▪►]|\d{1,2}[.)])\s+/.test(next) || (!isParagraph(next, nextWords) && nextWords <= 24);
      // The next boilerplate heading starts its own section.
      const heading = nextWords <= 8 && (opts.sectionRules.some((r) => r.heading.test(next)) || COMMENT_SECTION.test(next));
      if (!item || heading) break;
      record(rule.kind, next);
      all[entries[i + 1].at].removed = true;
      i++;
    }
  }

  // 2a. A list of headline-like items after the last paragraph, under any short
  // heading (or none), is a promo list whatever its heading says: "Top picks for
  // you", "What others are reading". Real lists inside an article are followed by
  // more text, and their items read as sentences or fragments, not headlines.
  const htmlLists = opts.trustHtmlLists && doc.format === 'html';
  if (!htmlLists) dropTrailingHeadlineLists(kept, all, record, opts);

  // 2b. The classifier: which blocks read as prose, and which stretch of the
  // page is the article. Blocks after that stretch, and bad blocks inside it, go.
  let good: boolean[] | null = null;
  let stretch: [number, number] = [0, kept.length - 1];
  // The page's stop list, once some step has found its language (the title picker reads it too).
  let pageStop: Set<string> | null | undefined;
  // Arrays here are built by plain loops, not map: arrays of one kind (map's results differ once V8
  // inlines it) keep this large function optimised once instead of recompiled (issue #17, speed).
  const headingish: boolean[] = [];
  for (const e of kept) headingish.push(headingishLine(e, opts));
  // HTML went through Readability, which already chose the article's container;
  // front matter or JSON fields mean the body was scraped as an article already.
  const pageLike = doc.format === 'txt' || (doc.format === 'md' && !doc.hints.title);
  const plain = opts.skipPlainArticles && !tap && pageLike && plainArticle(kept, all, isParagraph, (opts.model ?? defaultBlockModel()).lexicon);
  if (plain) {
    // The metadata stage reads the page's language from here, as it would from the classifier.
    const { lang, stop } = stopListFor(all);
    if (lang !== 'und') pageLanguageOf.set(doc, lang);
    pageStop = stop;
  }
  if (opts.classify && pageLike && !plain && kept.length > 0) {
    const judged = judgeBlocks(doc, opts, kept, all, tap);
    if (judged.tapped) return { doc: { doc, header, body: [], removed, notes }, words: [] };
    good = judged.good;
    stretch = judged.stretch;
    pageStop = judged.stop;
  }

  // 3. Header zone: everything above the first real paragraph (of the article's stretch).
  let bodyStart = -1;
  // A headline ending in "!" or "?" can read as a good block; a paragraph is not title-cased.
  // A line short of a long paragraph that does not end like a sentence is a headline too.
  for (let i = stretch[0]; i <= stretch[1] && bodyStart < 0; i++) {
    if (good ? good[i] && !headingish[i] && !headlineLike(kept[i], opts) : !kept[i].heading && isParagraph(kept[i].text, kept[i].words)) bodyStart = i;
  }
  if (bodyStart < 0) bodyStart = good ? stretch[0] : 0;
  // Page dumps: the late rules take chrome out of what the stretch kept (see LATE_LINE_RULES).
  // A short sentence right under an error banner is the banner's advice ("Try going back to the
  // homepage."), not the article: a headline does not end with a period, a lead is longer.
  const late = lateFilterFor(pageLike, errorBanners, answers, record);
  const head = kept.slice(0, bodyStart).filter(late);
  const bodyAt = kept[bodyStart]?.at ?? all.length;
  const stamp = stamps.find((t) => t.at < bodyAt);
  if (stamp) header.date ??= stamp.text;
  let rest: Entry[] = [];
  for (let i = bodyStart; i < kept.length; i++) {
    if (!good) rest.push(kept[i]);
    else if (i > stretch[1]) record('after-article', kept[i].text);
    else if (!good[i]) record('low-content', kept[i].text);
    else rest.push(kept[i]);
  }
  rest = rest.filter(late);

  if (doc.hints.title) {
    // The format named its title: header lines that repeat title, dek or byline
    // are dropped (they are in the front matter); other header lines stay.
    const stay: Entry[] = [];
    for (const e of head) {
      if (same(e.text, doc.hints.title) || same(e.text, doc.hints.dek)) continue;
      const byline = bylineOf(e.text);
      if (byline && (!doc.hints.byline || same(byline, doc.hints.byline))) {
        header.byline ??= byline;
        record('byline', e.text);
        continue;
      }
      stay.push(e);
    }
    rest = [...stay, ...rest];
  } else {
    // The title picker's view of the page: its lead, stop list and the block model's boilerplate words.
    const titleModel = headerTap ? null : opts.titleModel === undefined ? defaultTitleModel() : opts.titleModel;
    let pick: ((at: number[]) => number) | null = null;
    if (titleModel || headerTap) {
      pick = titlePickerFor(all, bodyAt, rest, pageStop, opts, titleModel, headerTap);
    }
    readHeader(head, header, record, opts, pick);
  }

  // 4. Body blocks.
  const body: Block[] = [];
  const bodyCounts: number[] = [];
  // A dateline opens the first paragraph (short lines the stretch kept above it, say a credit, are skipped).
  let datelineOpen = true;
  rest.forEach((e, i) => {
    let text = e.text;
    if (datelineOpen && !e.heading) {
      if (isParagraph(e.text, e.words)) datelineOpen = false;
      const marker = text.match(DATELINE_MARKER);
      if (marker?.groups?.outlet && isOutletMarker(marker.groups.outlet)) {
        header.source ??= marker.groups.outlet.trim();
        record('dateline', marker[0].trim());
        text = text.slice(marker[0].length);
      } else {
        const caps = text.match(OUTLET_DATELINE);
        const name = caps?.groups?.outlet.trim();
        if (caps && name && (OUTLET_WORD.test(name) || (header.source && foldForCompare(header.source) === foldForCompare(name)))) {
          header.source ??= name;
          record('dateline', caps[0].trim());
          text = text.slice(caps[0].length);
        }
      }
      if (text !== e.text) datelineOpen = false;
    }
    const next = rest[i + 1];
    const words = text === e.text ? e.words : wordCount(text);
    const headingLike =
      e.heading ||
      (words <= opts.headingMaxWords &&
        !/[.,;:!?…"”]$/.test(text) &&
        !/^[-•*]/.test(text) &&
        capitalisedRatio(text) >= 0.5 &&
        !!next &&
        isParagraph(next.text, next.words) &&
        body.length > 0);
    body.push({ kind: headingLike ? 'h2' : 'p', text });
    bodyCounts.push(words);
  });

  // A body that ends in stray short fragments (leftover widget labels) sheds them;
  // a trailing heading with nothing under it is not a heading either. In HTML, a
  // body ending in a run of list items ends in a list (see trustHtmlLists).
  while (body.length > 1) {
    const last = body[body.length - 1];
    const list = htmlLists && body.length >= 3 && body.slice(-3).every((b) => LIST_BULLET.test(b.text));
    if (!list && (last.kind === 'h2' || strayFragment(last.text, bodyCounts[body.length - 1]))) {
      record('trailer', last.text);
      body.pop();
      bodyCounts.pop();
    } else break;
  }

  return { doc: { doc, header, body, removed, notes }, words: bodyCounts };
}

/**
 * The header zone of a page as the title picker sees it (the lines left once
 * bylines are out, and the page's context), for the training script; null when
 * the page has no header zone to pick from (a format that named its title).
 */
export function pageHeader(doc: ParsedDoc, options: Partial<CleanOptions> = {}): { lines: string[]; context: TitleContext } | null {
  let out: { lines: string[]; context: TitleContext } | null = null;
  cleanWith(doc, optionsFor(defaultCleanOptions, options), undefined, (lines, context) => (out = { lines: [...lines], context }));
  return out;
}

/**
 * The blocks of a page as the block model sees them (after the rules), with the
 * stop list it used: the training script labels these and fits the model to them.
 * Null when the cleaner would not run its classifier on this page (HTML, front matter).
 */
export function pageBlocks(doc: ParsedDoc, options: Partial<CleanOptions> = {}): { blocks: BlockInput[]; measures: BlockMeasures } | null {
  let out: { blocks: BlockInput[]; measures: BlockMeasures } | null = null;
  const opts = optionsFor(defaultCleanOptions, options);
  cleanWith(doc, opts, (blocks, measures) => (out = { blocks, measures }));
  return out;
}

/**
 * A page that is plainly one article: it has a paragraph, and every line the
 * rules left after the first one is a paragraph too (no menu item, teaser
 * headline or widget label among them) or a short sentence with paragraphs
 * below it whose words the lexicon does not lean to boilerplate (a cheap,
 * certain decision the block model need not be asked for), and no comment section's heading was
 * removed after it (comments below an article read as paragraphs). The lines
 * above the first paragraph are its header zone; none of them may end like a
 * sentence, since a short lead sentence there ("X has resigned.") belongs to
 * the body, which only the classifier tells.
 */
function plainArticle(kept: Entry[], all: Array<{ text: string; removed: boolean }>, isParagraph: (text: string, n: number) => boolean, lexicon: Lexicon): boolean {
  const first = kept.findIndex((e) => !e.heading && isParagraph(e.text, e.words));
  if (first < 0) return false;
  for (let k = 0; k < first; k++) if (endsLikeSentence(kept[k].text)) return false;
  let lastParagraph = first;
  for (let k = kept.length - 1; k > first; k--) {
    if (!kept[k].heading && isParagraph(kept[k].text, kept[k].words)) {
      lastParagraph = k;
      break;
    }
  }
  for (let k = first + 1; k < kept.length; k++) {
    const e = kept[k];
    if (e.heading) return false;
    if (isParagraph(e.text, e.words)) continue;
    // A short sentence between paragraphs ("Rosneft declined to comment.") reads as the prose around
    // it, unless the block model's lexicon leans its words to boilerplate (title.ts CERTAIN_MAX_LEX).
    if (k < lastParagraph && endsLikeSentence(e.text) && lexiconMean(e.text, lexicon) < CERTAIN_MAX_LEX) continue;
    // Stray fragments after the last paragraph ("Get our daily newsletter", "64 Responses"): the body's
    // trailer step sheds them whoever judged the page, so the block model need not be asked.
    if (k > lastParagraph && strayFragment(e.text, e.words)) continue;
    return false;
  }
  // A comment section's heading with a paragraph still below it (the comments).
  const lastAt = kept[kept.length - 1].at;
  for (let i = kept[first].at + 1; i < lastAt; i++) if (all[i].removed && COMMENT_SECTION.test(all[i].text)) return false;
  return true;
}

/** Longest stray fragment a body sheds from its end (a widget label: "Get our daily newsletter"). */
const TRAILER_MAX_WORDS = 6;

/** A short line that does not end like a sentence (in any script): a body ending in one sheds it. */
function strayFragment(text: string, words: number): boolean {
  return words <= TRAILER_MAX_WORDS && !endsLikeSentence(text) && !CJK_SENTENCE_END.test(text);
}

/** The page's language (from lines no rule removed) and its stop list; none for scripts written without spaces. */
function stopListFor(all: Array<{ text: string; removed: boolean }>): { lang: string; stop: Set<string> | null } {
  const texts: string[] = [];
  for (const e of all) if (!e.removed) texts.push(e.text);
  const lang = pageLanguage(texts);
  return { lang, stop: stopListForLanguage(lang) };
}

/**
 * The article's stretch from block probabilities: the contiguous run [start, end]
 * with the largest sum of (p - threshold) x length (a maximum sub-array, as in
 * Finn et al.'s Body Text Extraction); null when nothing scores above zero.
 */
export function bestStretch(texts: string[], p: Float64Array, model: BlockModel): [number, number] | null {
  const { threshold, minLength } = model.decode;
  return bestScoringRun(texts.length, (i) => (p[i] - threshold) * Math.max(minLength, visibleLength(texts[i])));
}

/** A headline ending in "!" or "?" can read as a good block; a paragraph is not title-cased. A line short of a long paragraph that does not end like a sentence is a headline too. */
function headlineLike(e: Entry, opts: CleanOptions): boolean {
  return e.words < opts.longLineWords && (!endsLikeSentence(e.text) || (capitalisedRatio(e.text) >= 0.5 && !/\.["”’)\]]*$/.test(e.text)));
}

/** A parser heading, or a short line not ending in punctuation (the header zone's and classifier's headings). */
function headingishLine(e: { text: string; words: number; heading: boolean }, opts: CleanOptions): boolean {
  return e.heading || (e.words <= opts.headingMaxWords && !/[.,;:!?…]$/.test(e.text));
}

/** A short sentence right under an error banner (`errorBanners`: their positions on the page). */
function errorAdvice(e: Entry, errorBanners: ReadonlySet<number>): boolean {
  return errorBanners.has(e.at - 1) && e.words <= ERROR_ADVICE_MAX_WORDS && !e.heading && /\.["”’)]*$/.test(e.text);
}

/** Two texts the same once folded (b absent: no). */
function same(a: string, b?: string): boolean {
  return !!b && foldForCompare(a) === foldForCompare(b);
}

/**
 * The start of the body the title picker compares header lines with (a
 * headline announces what these tell): its first paragraphs, up to this many
 * characters (more adds little, and it is read on every page).
 */
const LEAD_CHARS = 600;

/** The lead for the title picker, without a dateline ("(Outlet) —": an outlet's name there is no sign of a headline). */
function leadOf(rest: Entry[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const e of rest) {
    if (chars >= LEAD_CHARS) break;
    if (e.heading) continue;
    let text = out.length === 0 ? e.text.replace(DATELINE_MARKER, '').replace(OUTLET_DATELINE, '') : e.text;
    if (chars + text.length > LEAD_CHARS) text = text.slice(0, text.lastIndexOf(' ', LEAD_CHARS - chars) + 1 || LEAD_CHARS - chars);
    out.push(text);
    chars += text.length;
  }
  return out;
}

/** A headline-sized line (module functions, not closures per page: see recorderFor). */
function titleLike(line: string, opts: CleanOptions): boolean {
  const n = wordCount(line);
  return n >= 4 && n <= opts.headingMaxWords * 2 && !/[^.]\.["”’)\]]*$/.test(line) && !isSectionList(line);
}

/** A headline-sized line that is no byline somewhere below line `i`. */
function headlineBelow(lines: string[], i: number, opts: CleanOptions): boolean {
  return lines.slice(i + 1).some((l) => titleLike(l, opts) && !bylineOf(l));
}

/**
 * Reads title, dek, byline and tag lines from the lines above the first paragraph.
 * `pick` is the title picker (title.ts): the index of the headline among the
 * lines left once bylines are out, or -1 for none; without it, the older rule.
 */
function readHeader(
  head: Entry[],
  header: HeaderFields,
  record: (kind: string, text: string) => void,
  opts: CleanOptions,
  pick: ((at: number[]) => number) | null,
): void {
  // Plain loops, not map (see cleanWith's arrays).
  const lines: string[] = [];
  const at: number[] = [];
  for (const e of head) {
    lines.push(e.text);
    at.push(e.at);
  }
  // Byline (and a date line) sit closest to the body. A bare name ("Jane Doe",
  // no "By") above a headline-sized line is a tag line ("Politics World Europe"
  // reads like a name too); the byline is under the headline.
  for (let i = lines.length - 1; i >= 0; i--) {
    const byline = bylineOf(lines[i]);
    if (byline && !BYLINE_PREFIX.test(lines[i]) && headlineBelow(lines, i, opts)) continue;
    if (byline && !header.byline) {
      header.byline = byline;
      record('byline', lines[i]);
      lines.splice(i, 1);
      at.splice(i, 1);
    }
  }
  if (lines.length === 0) return;
  // The headline: the picker's choice, or (the older rule) the header line
  // nearest the body that reads as one: a few words, not a sentence ending in a
  // period, not a list of section names. Lines above it are tag lines; lines
  // between it and the body (other than a dek) are header chrome the rules did not name.
  let titleAt = -1;
  if (pick) titleAt = pick(at);
  else for (let i = lines.length - 1; i >= 0 && titleAt < 0; i--) if (titleLike(lines[i], opts)) titleAt = i;
  if (titleAt < 0) {
    for (const line of lines) record('tag-line', line);
    return;
  }
  titleAt = withoutSiteName(lines, titleAt);
  // Title then dek: the dek reads as a sentence (mostly lowercase words), the
  // title above it as a headline of some length.
  const next = lines[titleAt + 1];
  let dekAt = -1;
  if (next !== undefined && wordCount(next) >= 6 && capitalisedRatio(next) < 0.5) {
    header.dek = next;
    dekAt = titleAt + 1;
  } else if (!pick && titleAt > 0 && titleAt === lines.length - 1) {
    // The line nearest the body may itself be the dek, under a title above it.
    const prev = lines[titleAt - 1];
    if (wordCount(lines[titleAt]) >= 6 && capitalisedRatio(lines[titleAt]) < 0.5 && titleLike(prev, opts)) {
      header.dek = lines[titleAt];
      dekAt = titleAt;
      titleAt -= 1;
    }
  }
  header.title = lines[titleAt];
  for (let i = 0; i < titleAt; i++) record('tag-line', lines[i]);
  for (let i = titleAt + 1; i < lines.length; i++) if (i !== dekAt) record('header-line', lines[i]);
}

/** Longest line read as an error banner's advice under it ("Try going back to the homepage."); a lead runs longer. */
const ERROR_ADVICE_MAX_WORDS = 12;

/** The separators a page's <title> puts between headline and site name. */
const SITE_NAME_JOIN = /^\s*(?:[|–—-]|::|»|·)\s*/;

/**
 * A page dump often prints the HTML <title> ("Headline | Site") above the
 * headline itself: when the chosen line is another header line plus a
 * separator and a short site name, on either side, the headline is that other
 * line (the page shows it bare, so the suffix is not part of it).
 */
export function withoutSiteName(lines: string[], titleAt: number): number {
  const title = lines[titleAt];
  let best = titleAt;
  for (let j = 0; j < lines.length; j++) {
    const other = lines[j];
    if (j === titleAt || other.length >= title.length || wordCount(other) < 2) continue;
    const rest = title.startsWith(other) ? title.slice(other.length) : title.endsWith(other) ? title.slice(0, title.length - other.length) : null;
    if (rest === null) continue;
    const join = title.startsWith(other) ? rest.match(SITE_NAME_JOIN) : rest.match(/\s*(?:[|–—-]|::|»|·)\s*$/);
    if (!join) continue;
    const site = title.startsWith(other) ? rest.slice(join[0].length) : rest.slice(0, rest.length - join[0].length);
    // A site name: a few words, not a sentence.
    if (site && wordCount(site) <= 5 && !/[.!?]$/.test(site) && (best === titleAt || other.length > lines[best].length)) best = j;
  }
  return best;
}

const LIST_BULLET = /^(?:[-•*·▪►]|\d{1,2}[.)])\s+/;

/**
 * A sentence closed with CJK punctuation. Chinese and Japanese write a sentence
 * without spaces, so it counts as one or two words: without this a body's last
 * sentences were shed as "stray short fragments".
 */
const CJK_SENTENCE_END = /[。！？]["”’」』)）]*$/u;

/** An entry that reads as a paragraph (module functions, not closures per page: see recorderFor). */
function paragraphEntry(e: Entry, opts: CleanOptions): boolean {
  return e.words >= opts.longLineWords || (e.words >= opts.paragraphMinWords && endsLikeSentence(e.text));
}

/** A headline-like list item: title-cased, 3-20 words, no closing period, not a heading. */
function headlineEntry(e: Entry): boolean {
  const text = e.text.replace(LIST_BULLET, '');
  const n = wordCount(text);
  return n >= 3 && n <= 20 && !/[.;:,]["”’)\]]*$/.test(text) && capitalisedRatio(text) >= 0.6 && !e.heading;
}

/**
 * Removes, as `promo-list`, a run of three or more headline-like lines (title-cased,
 * 3-20 words, no closing period; bulleted or not) with an optional short heading
 * above, when no paragraph follows it: the related-stories block under an article.
 */
function dropTrailingHeadlineLists(
  kept: Entry[],
  all: Array<{ removed: boolean }>,
  record: (kind: string, text: string) => void,
  opts: CleanOptions,
): void {
  let last = -1;
  for (let i = kept.length - 1; i >= 0; i--) if (paragraphEntry(kept[i], opts)) { last = i; break; }
  if (last < 0) return;
  for (let i = last + 1; i < kept.length; i++) {
    let j = i;
    while (j < kept.length && headlineEntry(kept[j])) j++;
    if (j - i < 3) continue;
    let from = i;
    // A short heading right above the run ("Top picks for you") goes with it.
    const above = kept[i - 1];
    if (i - 1 > last && above.words <= 8 && !endsLikeSentence(above.text)) from = i - 1;
    for (let k = from; k < j; k++) {
      record('promo-list', kept[k].text);
      all[kept[k].at].removed = true;
    }
    kept.splice(from, j - from);
    i = from - 1;
  }
}

/** The name in a byline line, or null if the line is not a byline. */
export function bylineOf(line: string): string | null {
  const text = line.trim();
  if (wordCount(text) > 12) return null;
  const prefixed = BYLINE_PREFIX.test(text);
  let name = text.replace(BYLINE_PREFIX, '');
  // "Jane Doe | Reuters", "Jane Doe, Staff Writer", "Jane Doe - July 4, 2025"
  name = name.split(/\s*(?:[|•·]|\s[-–—]\s|,\s*(?:staff|senior|chief|special|contributing|correspondent|reporter|editor|writer)\b)/i)[0].trim();
  const people = name.split(/\s*(?:,| and | & )\s*/).filter(Boolean);
  if (people.length === 0 || people.length > 4) return null;
  if (!people.every((p) => PERSON_NAME.test(p))) return null;
  if (!prefixed && people.length === 1 && wordCount(name) > 4) return null;
  return name;
}
