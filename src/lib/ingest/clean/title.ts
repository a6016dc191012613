/**
 * The learned title picker (issue #17): which line of a page's header zone (the
 * lines above the article's first paragraph, bylines taken out) is its
 * headline, or none. The hand rule it replaces took the headline-shaped line
 * nearest the body, so any unseen chrome right above the body (a time stamp,
 * "Listen to this article", a photo credit, a dek) became the title.
 *
 * Each candidate line is described by numbers (title-features below): where it
 * sits in the zone, its length and shape, punctuation, digits and clock times,
 * words typical of boilerplate (the block model's learned lexicon), stop words,
 * and how much of its vocabulary the article's first paragraphs repeat (a
 * headline announces what the lead then tells; chrome shares nothing with it),
 * with the same few measures of the lines either side; and, among the lines
 * that may be chosen, how long the line is and how many share more of the lead
 * (a short headline is short for a headline, yet long beside the chrome around
 * it), and whether the page repeats it as its <title> with a site name
 * (siteTitleMarks). Boosted trees
 * (title-model.json, fitted by scripts/train/title.ts) score every candidate;
 * the best one is the title when its probability reaches the model's threshold,
 * else the page has none and the metadata stage derives one from the lead. The
 * older rule's choice stands unless the picker's is clearly better (by
 * `ruleMargin` in log-odds): the rule is right on well-formed pages, and the
 * picker's gains come where the rule took chrome, which it scores far lower.
 *
 * Pure and deterministic; the training script calls these same functions.
 *
 * Size: about 620 lines, one model's features, decision, its cascade's cheap step and loading, kept in one
 * file so the cleaner and scripts/train/title.ts cannot compute different rows.
 */
import modelJson from './title-model.json' with { type: 'json' };
import { compileTrees, treesLogit, type Trees } from '../trees.ts';
import type { Lexicon } from './block-features.ts';
import { PERSON_NAME } from './rules.ts';
import { FNV_PRIME, FNV_SEED } from './word-table.ts';
import { FOLDS_BY_SCAN, foldForCompare, wordCount } from '../../text.ts';
import { capitalisedRatio } from './capitals.ts';

export const TITLE_FEATURES = [
  'from_body', 'from_top', 'rel_pos', 'zone_lines', 'log_words', 'log_chars', 'capitalised', 'upper_ratio',
  'ends_period', 'ends_q_or_excl', 'ends_colon', 'digit_ratio', 'has_year', 'has_clock', 'separators', 'stop_density',
  'lex_mean', 'lex_max', 'lead_overlap', 'lead_shared', 'overlap_rel', 'person_name', 'section_list', 'heading',
  'has_bracket', 'starts_digit', 'longest_rel', 'choices_above', 'choices_below',
  'title_like', 'title_like_above', 'title_like_below', 'rule_pick', 'lead_common',
  'prev_words', 'prev_capitalised', 'prev_overlap', 'next_words', 'next_capitalised', 'next_overlap', 'next_ends_period',
  'site_title', 'words_rel_eligible', 'overlap_rank',
] as const;

/** What the picker knows of the page besides the candidates. */
export interface TitleContext {
  /** The article's first paragraphs (its lead), as the cleaner kept them. */
  lead: string[];
  /** The page's stop list (null: none for its language). */
  stop: Set<string> | null;
  /** Learned boilerplate weights of words (the block model's lexicon). */
  lexicon: Lexicon;
  /** Which lines the parser marked as headings. */
  headings?: boolean[];
  /**
   * Which lines may be the title (the cleaner's rules did not remove them, nor
   * are they bylines); all when absent. The others still count as context.
   */
  eligible?: boolean[];
}

export interface TitleModelJson {
  version: 1;
  trainedOn: { script: string; seed: number; dataHash: string; pages: number; candidates: number; sets: Record<string, number> };
  features: string[];
  depth: number;
  base: number;
  trees: Array<{ f: number[]; t: number[]; v: number[] }>;
  /** The best candidate is the title when its probability reaches this; else the page has none. */
  threshold: number;
  /** How much higher (log-odds) the best candidate must score than the older rule's choice to replace it. */
  ruleMargin: number;
}

export interface TitleModel extends Trees {
  threshold: number;
  ruleMargin: number;
  trainedOn: TitleModelJson['trainedOn'];
}

const WORD = /[\p{L}\p{N}]+/gu;
const YEAR = /\b(?:19|20)\d\d\b/;
const CLOCK = /\b\d{1,2}[:.]\d{2}\b/;
const SEPARATORS = /[|›»•·/]|\s[-–—]\s|::/g;
const LETTER = /\p{L}/gu;

/** Letters and capitals in a line (a scan for ASCII, Unicode classes otherwise). */
function letterCounts(line: string): { letters: number; uppers: number } {
  if (ASCII.test(line)) {
    let letters = 0;
    let uppers = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c >= 65 && c <= 90) {
        letters++;
        uppers++;
      } else if (c >= 97 && c <= 122) letters++;
    }
    return { letters, uppers };
  }
  return { letters: line.match(LETTER)?.length ?? 0, uppers: line.match(UPPER)?.length ?? 0 };
}
const ASCII = /^[\x00-\x7f]*$/;
/** How many of a line's characters are 0-9 (what /\d/g counts without the u flag). */
function asciiDigits(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
/** A word written in lower case (three letters or more). */
const LOWER_WORD = /(?<![\p{L}\p{N}])\p{Ll}[\p{L}\p{N}]{2,}/gu;
const UPPER = /\p{Lu}/gu;

/**
 * ASCII plus the punctuation of English news text (as text.ts folds by a scan):
 * there a word is a run of [A-Za-z0-9], found by a scan rather than a Unicode
 * regex (the lead is read on every page, and that regex cost more than the rest).
 */
const SCANNABLE = FOLDS_BY_SCAN;

/**
 * The words of a text, folded (lower case, accents off: foldForCompare's
 * letter-and-digit runs), and the set of them the text writes in lower case
 * (three letters or more).
 */
function wordsOf(text: string, withLower = true): { words: string[]; lower: Set<string> } {
  const words: string[] = [];
  const lower = new Set<string>();
  if (SCANNABLE.test(text)) {
    const n = text.length;
    const low = text.toLowerCase();
    for (let i = 0; i < n; ) {
      const c = text.charCodeAt(i);
      const alnum = (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
      if (!alnum) {
        i++;
        continue;
      }
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (!((d >= 48 && d <= 57) || ((d | 32) >= 97 && (d | 32) <= 122))) break;
      }
      const word = low.slice(i, j);
      words.push(word);
      if (withLower && c >= 97 && c <= 122 && j - i >= 3) lower.add(word);
      i = j;
    }
    return { words, lower };
  }
  for (const w of foldForCompare(text).match(WORD) ?? []) words.push(w);
  if (withLower) for (const w of text.match(LOWER_WORD) ?? []) lower.add(foldForCompare(w));
  return { words, lower };
}

/**
 * Where each content word stands in the lead (a map; absent words are 0): 0 absent, 1 present (some word of
 * the lead folds to it), 2 present and written in lower case at least once:
 * what happened, not only who (names are capitalised everywhere; a headline
 * states an event, while a caption, a tag or a credit mostly names).
 *
 * Only the header's content words (`wanted`) are ever asked about. In a plain
 * lead (SCANNABLE) their forms (w, w+"s", w-"y"+"ies", all folding to w; stop
 * words not counted) are found by one scan that hashes each letter-and-digit
 * run in place and looks at the text only on a hash hit; other text is
 * tokenised through wordsOf's Unicode path. Both find the same words.
 */
function leadIndex(lead: string[], stop: Set<string> | null, wanted: Iterable<string>): Map<string, number> {
  const text = lead.join('\n');
  if (SCANNABLE.test(text)) {
    const wordOfForm = new Map<string, string>();
    const hashes = new Set<number>();
    for (const w of wanted) {
      const forms = w.endsWith('y') ? [w, `${w}s`, `${w.slice(0, -1)}ies`] : [w, `${w}s`];
      for (const form of forms) {
        if (singular(form) !== w || stop?.has(form) || wordOfForm.has(form)) continue;
        wordOfForm.set(form, w);
        hashes.add(fnv(form, 0, form.length));
      }
    }
    const seen = new Map<string, number>();
    const n = text.length;
    for (let i = 0; i < n; ) {
      let c = text.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122))) {
        i++;
        continue;
      }
      let hash = FNV_SEED;
      let j = i;
      for (; j < n; j++) {
        c = text.charCodeAt(j);
        if (c >= 65 && c <= 90) c |= 32;
        else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) break;
        hash = Math.imul(hash ^ c, FNV_PRIME);
      }
      if (j - i >= 3 && hashes.has(hash)) {
        const w = wordOfForm.get(text.slice(i, j).toLowerCase());
        if (w !== undefined) {
          const first = text.charCodeAt(i);
          const found = first >= 97 && first <= 122 ? 2 : 1;
          if ((seen.get(w) ?? 0) < found) seen.set(w, found);
        }
      }
      i = j;
    }
    return seen;
  }
  const words = new Set<string>();
  const common = new Set<string>();
  for (const p of lead) {
    const { words: folded, lower } = wordsOf(p);
    for (const w of contentWords(folded, stop)) words.add(w);
    for (const w of lower) common.add(singular(w));
  }
  // The same answers as a map, as the scan gives them (one kind of answer keeps the caller's code monomorphic).
  const seen = new Map<string, number>();
  for (const w of wanted) if (words.has(w)) seen.set(w, common.has(w) ? 2 : 1);
  return seen;
}

/** FNV-1a of text[from, to), lower-cased ASCII letters (as leadIndex's scan hashes a run). */
function fnv(text: string, from: number, to: number): number {
  let hash = FNV_SEED;
  for (let k = from; k < to; k++) {
    let c = text.charCodeAt(k);
    if (c >= 65 && c <= 90) c |= 32;
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  return hash;
}

/** "talks" is "talk", "policies" is "policy" (foldPlural, for words without an apostrophe). */
function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** Content words among folded words: three letters or more, not stop words, plurals folded ("talks" is "talk"). */
function contentWords(words: string[], stop: Set<string> | null): string[] {
  const out: string[] = [];
  for (const w of words) if (w.length >= 3 && !stop?.has(w)) out.push(singular(w));
  return out;
}

/**
 * The older hand rule's idea of a headline: four to 32 words, not a sentence
 * closed by a period, not a list of section names. The rule took the last such
 * line above the body; the picker weighs that, and whether such lines sit above
 * or below a candidate, among its features.
 */
export function titleLike(line: string): boolean {
  return titleShaped(line, wordCount(line), isSectionList(line));
}

/** titleLike with the line's word count and isSectionList already known. */
function titleShaped(line: string, words: number, sectionList: boolean): boolean {
  return words >= 4 && words <= 32 && !/[^.]\.["”’)\]]*$/.test(line) && !sectionList;
}

/** The separators isSectionList splits at: a line with none is one part, so no list. */
const SECTION_SEPARATOR = /[|›»>/·•,]|\s[-–—]\s/;

/** "Politics | World", "Home › News › Europe": section names, not a headline. */
export function isSectionList(line: string): boolean {
  if (!SECTION_SEPARATOR.test(line)) return false;
  const parts = line.split(/\s*[|›»>/·•,]\s*|\s+[-–—]\s+/).filter(Boolean);
  return parts.length >= 2 && parts.every((p) => wordCount(p) <= 3 && capitalisedRatio(p) === 1);
}

/**
 * The line the older hand rule took for the headline (clean.ts readHeader
 * without a picker), or -1: the last headline-like eligible line, or the one
 * above it when that last line is itself a dek (six words or more, mostly lower
 * case) under a headline-like line.
 */
export function ruleTitle(lines: string[], eligible: ArrayLike<number>, headlineLike: ArrayLike<number> = headlineShapes(lines, eligible)): number {
  const at: number[] = [];
  for (let i = 0; i < lines.length; i++) if (eligible[i]) at.push(i);
  let k = -1;
  for (let j = at.length - 1; j >= 0 && k < 0; j--) if (headlineLike[at[j]]) k = j;
  if (k < 0) return -1;
  const next = at[k + 1];
  if (!(next !== undefined && dekShaped(lines[next])) && k > 0 && k === at.length - 1 && dekShaped(lines[at[k]]) && headlineLike[at[k - 1]]) k -= 1;
  return at[k];
}

/**
 * titleLike of each eligible line, 1 or 0, and 0 for the others (a typed array, as
 * describeLines passes ruleTitle): ruleTitle reads no other line's shape, and the
 * zone above a page dump's body is mostly lines the rules removed (issue #17, speed).
 */
function headlineShapes(lines: string[], eligible: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) out[i] = eligible[i] && titleLike(lines[i]) ? 1 : 0;
  return out;
}

/** A dek: six words or more, mostly lower case. */
function dekShaped(line: string): boolean {
  return wordCount(line) >= 6 && capitalisedRatio(line) < 0.5;
}

/** The separators a page's <title> puts between headline and site name (as clean.ts withoutSiteName reads them). */
const SITE_JOIN_START = /^\s*(?:[|–—-]|::|»|·)\s*/;
const SITE_JOIN_END = /\s*(?:[|–—-]|::|»|·)\s*$/;
/** How many characters of a line's start and end key the look-up of the lines that repeat it. */
const SITE_KEY = 6;

/**
 * Which lines the page repeats as its <title>: a page dump often prints the
 * HTML title ("Headline | Site", "Site :: Headline") above the bare headline,
 * so a line that another line repeats with a separator and a short site name
 * (a few words, not a sentence) is very likely the headline: 1 for the bare
 * line, 0.5 for the line that adds the site name, 0 otherwise. Lines are
 * looked up by their first and last characters, so a long zone costs little.
 */
export function siteTitleMarks(lines: string[]): Float64Array {
  const out = new Float64Array(lines.length);
  const byStart = new Map<string, number[]>();
  const byEnd = new Map<string, number[]>();
  lines.forEach((line, j) => {
    if (line.length <= SITE_KEY) return;
    const a = line.slice(0, SITE_KEY);
    const b = line.slice(-SITE_KEY);
    (byStart.get(a) ?? byStart.set(a, []).get(a)!).push(j);
    (byEnd.get(b) ?? byEnd.set(b, []).get(b)!).push(j);
  });
  lines.forEach((bare, i) => {
    if (bare.length < SITE_KEY || wordCount(bare) < 2) return;
    for (const j of byStart.get(bare.slice(0, SITE_KEY)) ?? []) {
      const other = lines[j];
      if (j === i || other.length <= bare.length || !other.startsWith(bare)) continue;
      const join = other.slice(bare.length).match(SITE_JOIN_START);
      if (join && siteNameShaped(other.slice(bare.length + join[0].length))) {
        out[i] = 1;
        out[j] = Math.max(out[j], 0.5);
      }
    }
    for (const j of byEnd.get(bare.slice(-SITE_KEY)) ?? []) {
      const other = lines[j];
      if (j === i || other.length <= bare.length || !other.endsWith(bare)) continue;
      const rest = other.slice(0, other.length - bare.length);
      const join = rest.match(SITE_JOIN_END);
      if (join && siteNameShaped(rest.slice(0, rest.length - join[0].length))) {
        out[i] = 1;
        out[j] = Math.max(out[j], 0.5);
      }
    }
  });
  return out;
}

/**
 * A byline's shape, whatever its verb or case: "By Jane Doe", "Published by
 * Jane Doe", "BY JANE DOE AND JOHN ROE": at most one word, "by", then one to
 * four people's names. The cleaner's bylineOf knows the common prefixes and
 * takes those lines out; a line of this shape with a prefix it does not know is
 * no headline either, so the cleaner does not let the picker choose it (the
 * training pages' bylines are all of known prefixes, so the trees could not
 * learn this).
 */
export function bylineShaped(line: string): boolean {
  const m = BY_NAMES.exec(line);
  if (!m) return false;
  const people = m[1].split(/\s*(?:,|\s(?:and|&)\s)\s*/i).filter(Boolean);
  return people.length >= 1 && people.length <= 4 && people.every((p) => PERSON_NAME.test(p.replace(/\p{Lu}+/gu, (w) => w[0] + w.slice(1).toLowerCase())));
}
const BY_NAMES = /^(?:\p{L}+\s+)?by\s*:?\s+(.+?)\s*$/iu;

/** A site name: one to five words, not a sentence. */
function siteNameShaped(name: string): boolean {
  return name.trim() !== '' && wordCount(name) <= 5 && !/[.!?]$/.test(name);
}

/** The features of each candidate line (rows in TITLE_FEATURES order). */
export function titleFeatures(lines: string[], ctx: TitleContext): Float64Array[] {
  return describeLines(lines, ctx, false).rows as Float64Array[];
}

/**
 * The feature rows, and the line the older rule would take (computed on the way).
 * With `eligibleOnly`, rows of lines that may not be chosen are null: every line's
 * own measures still feed the others' rows (neighbours, maxima, counts above and
 * below), but only eligible lines are scored (decideTitle reads no other).
 */
function describeLines(lines: string[], ctx: TitleContext, eligibleOnly: boolean): { rows: Array<Float64Array | null>; rulePick: number } {
  const m = lines.length;
  // Per-line measures in typed arrays, filled by plain loops (not objects and arrays made by map):
  // V8 optimises this hot function once, instead of again each time an array or object of
  // another shape (empty, holey, integer or fractional numbers) reaches it (issue #17, speed).
  const words = new Int32Array(m);
  const shared = new Int32Array(m);
  const sectionList = new Uint8Array(m);
  const shaped = new Uint8Array(m);
  const endsPeriod = new Uint8Array(m);
  const capitalised = new Float64Array(m);
  const overlap = new Float64Array(m);
  const common = new Float64Array(m);
  /** Each line's own measures (OWN_WIDTH of them, TITLE_FEATURES from log_words to lex_max). */
  const ownRows = new Float64Array(m * OWN_WIDTH);
  // The lines' content words, and all of them (the lead is asked about these only).
  const contentOf: string[][] = [];
  const wanted = new Set<string>();
  for (let i = 0; i < m; i++) {
    const line = lines[i];
    // The line's folded words (the lower-case set wordsOf can also give is not read here).
    const folded = wordsOf(line, false).words;
    const content = contentWords(folded, ctx.stop);
    contentOf.push(content);
    for (let k = 0; k < content.length; k++) wanted.add(content[k]);
    const n = wordCount(line);
    const { letters, uppers } = letterCounts(line);
    const capitals = capitalisedRatio(line);
    let stops = 0;
    let tokens = 0;
    let lexSum = 0;
    let lexKnown = 0;
    let lexMax = 0;
    for (let k = 0; k < folded.length; k++) {
      const w = folded[k];
      tokens++;
      if (ctx.stop?.has(w)) stops++;
      const weight = ctx.lexicon.get(w);
      if (weight !== undefined) {
        lexKnown++;
        lexSum += weight;
        if (weight > lexMax) lexMax = weight;
      }
    }
    SEPARATORS.lastIndex = 0;
    const list = isSectionList(line);
    const period = /\.["”’')\]]*$/.test(line) ? 1 : 0;
    words[i] = n;
    sectionList[i] = list ? 1 : 0;
    shaped[i] = titleShaped(line, n, list) ? 1 : 0;
    endsPeriod[i] = period;
    capitalised[i] = capitals;
    let at = i * OWN_WIDTH;
    ownRows[at++] = Math.log1p(n);
    ownRows[at++] = Math.log1p(line.length);
    ownRows[at++] = capitals;
    ownRows[at++] = letters ? uppers / letters : 0;
    ownRows[at++] = period;
    ownRows[at++] = /[?!]["”’')\]]*$/.test(line) ? 1 : 0;
    ownRows[at++] = /:\s*$/.test(line) ? 1 : 0;
    ownRows[at++] = asciiDigits(line) / Math.max(1, line.length);
    ownRows[at++] = YEAR.test(line) ? 1 : 0;
    ownRows[at++] = CLOCK.test(line) ? 1 : 0;
    ownRows[at++] = Math.min(8, line.match(SEPARATORS)?.length ?? 0);
    ownRows[at++] = ctx.stop ? (tokens ? stops / tokens : 0) : -0.1;
    ownRows[at++] = lexKnown ? lexSum / lexKnown : 0;
    ownRows[at++] = lexMax;
  }
  // How much of each line's vocabulary the lead repeats (and writes in lower case).
  const lead = leadIndex(ctx.lead, ctx.stop, wanted);
  for (let i = 0; i < m; i++) {
    const content = contentOf[i];
    let sharedWords = 0;
    let commonWords = 0;
    for (let k = 0; k < content.length; k++) {
      const found = lead.get(content[k]) ?? 0;
      if (found > 0) sharedWords++;
      if (found > 1) commonWords++;
    }
    shared[i] = sharedWords;
    overlap[i] = content.length ? sharedWords / content.length : 0;
    common[i] = content.length ? commonWords / content.length : 0;
  }
  let maxOverlap = 0;
  let maxWords = 1;
  for (let i = 0; i < m; i++) {
    if (overlap[i] > maxOverlap) maxOverlap = overlap[i];
    if (words[i] > maxWords) maxWords = words[i];
  }
  // How many lines that may be chosen sit above and below each line, and how many of them read as headlines.
  const eligible = new Uint8Array(m);
  for (let i = 0; i < m; i++) eligible[i] = ctx.eligible?.[i] ?? true ? 1 : 0;
  const siteTitle = siteTitleMarks(lines);
  // Length and lead overlap among the lines that may be chosen: a short headline is short
  // for a headline, yet often the longest line of a zone of chrome, and the one the lead repeats most.
  let maxEligibleWords = 1;
  // sharedAtLeast[n]: how many choosable lines share n or more words with the lead.
  let mostShared = 0;
  for (let i = 0; i < m; i++) if (eligible[i] && shared[i] > mostShared) mostShared = shared[i];
  const sharedAtLeast = new Int32Array(mostShared + 2);
  let total = 0;
  const headlineish = new Uint8Array(m);
  let totalHeadlineish = 0;
  for (let i = 0; i < m; i++) {
    if (!eligible[i]) continue;
    total++;
    if (words[i] > maxEligibleWords) maxEligibleWords = words[i];
    sharedAtLeast[shared[i]]++;
    headlineish[i] = shaped[i];
    totalHeadlineish += shaped[i];
  }
  for (let n = mostShared - 1; n >= 0; n--) sharedAtLeast[n] += sharedAtLeast[n + 1];
  const rulePick = ruleTitle(lines, eligible, shaped);
  let above = 0;
  let headlineishAbove = 0;
  // One buffer for the page's rows (a typed array apiece cost an allocation each), in TITLE_FEATURES order.
  const width = TITLE_FEATURES.length;
  const buffer = new Float64Array((eligibleOnly ? total : m) * width);
  let filled = 0;
  const rows: Array<Float64Array | null> = [];
  for (let i = 0; i < m; i++) {
    const line = lines[i];
    const choicesAbove = above;
    above += eligible[i];
    const titleLikeAbove = headlineishAbove;
    headlineishAbove += headlineish[i];
    if (eligibleOnly && !eligible[i]) {
      rows.push(null);
      continue;
    }
    const row = buffer.subarray(filled * width, (filled + 1) * width);
    filled++;
    let at = 0;
    row[at++] = Math.log1p(m - 1 - i);
    row[at++] = Math.log1p(i);
    row[at++] = m > 1 ? i / (m - 1) : 0;
    row[at++] = Math.log1p(m);
    for (let k = i * OWN_WIDTH; k < (i + 1) * OWN_WIDTH; k++) row[at++] = ownRows[k];
    row[at++] = overlap[i];
    row[at++] = Math.log1p(shared[i]);
    row[at++] = maxOverlap > 0 ? overlap[i] / maxOverlap : 0;
    row[at++] = PERSON_NAME.test(line) ? 1 : 0;
    row[at++] = sectionList[i];
    row[at++] = ctx.headings?.[i] ? 1 : 0;
    row[at++] = /[()[\]]/.test(line) ? 1 : 0;
    row[at++] = /^\d/.test(line) ? 1 : 0;
    row[at++] = words[i] / maxWords;
    row[at++] = Math.log1p(choicesAbove);
    row[at++] = Math.log1p(total - choicesAbove - eligible[i]);
    row[at++] = headlineish[i];
    row[at++] = Math.log1p(titleLikeAbove);
    row[at++] = Math.log1p(totalHeadlineish - titleLikeAbove - headlineish[i]);
    row[at++] = i === rulePick ? 1 : 0;
    row[at++] = common[i];
    row[at++] = i > 0 ? Math.log1p(words[i - 1]) : -1;
    row[at++] = i > 0 ? capitalised[i - 1] : -1;
    row[at++] = i > 0 ? overlap[i - 1] : -1;
    row[at++] = i + 1 < m ? Math.log1p(words[i + 1]) : -1;
    row[at++] = i + 1 < m ? capitalised[i + 1] : -1;
    row[at++] = i + 1 < m ? overlap[i + 1] : -1;
    row[at++] = i + 1 < m ? endsPeriod[i + 1] : -1;
    row[at++] = siteTitle[i];
    row[at++] = words[i] / maxEligibleWords;
    row[at++] = Math.log1p(shared[i] >= mostShared ? 0 : sharedAtLeast[shared[i] + 1]);
    rows.push(row);
  }
  return { rows, rulePick };
}

/** How many of TITLE_FEATURES describe a line on its own (log_words to lex_max, in order). */
const OWN_WIDTH = 14;

/** Reads a title model's JSON; fails loudly when it was fitted to other features than this code computes. */
export function loadTitleModel(json: TitleModelJson): TitleModel {
  if (json.version !== 1) throw new Error(`title model: unknown version ${json.version}`);
  if (json.features.join(',') !== TITLE_FEATURES.join(',')) {
    throw new Error('title model: its features differ from title.ts; retrain with `npm run train:cleaner`');
  }
  return { ...compileTrees(json), threshold: json.threshold, ruleMargin: json.ruleMargin, trainedOn: json.trainedOn };
}

/** Each candidate's probability of being the headline. */
export function titleProbabilities(model: Trees, rows: Float64Array[]): Float64Array {
  return Float64Array.from(rows, (row) => 1 / (1 + Math.exp(-treesLogit(model, row))));
}

const logit = (p: number) => Math.log(Math.max(1e-12, p) / Math.max(1e-12, 1 - p));

/**
 * The choice among one page's candidates: the most likely eligible line if it
 * reaches `threshold`, unless the older rule's line (`rule`, -1 for none) also
 * reaches it and scores within `margin` log-odds of it; -1 for no title.
 */
export function decideTitle(p: ArrayLike<number>, eligible: ArrayLike<number | boolean>, rule: number, threshold: number, margin: number): number {
  let best = -1;
  for (let i = 0; i < p.length; i++) if (eligible[i] && p[i] >= threshold && (best < 0 || p[i] > p[best])) best = i;
  if (best >= 0 && rule >= 0 && rule !== best && p[rule] >= threshold && logit(p[best]) - logit(p[rule]) < margin) return rule;
  // No line is likely enough, yet the older rule's headline-shaped line is at even odds or better: two
  // independent readings agree, so it stands (short sentence-case headlines score below the threshold).
  if (best < 0 && rule >= 0 && eligible[rule] && p[rule] >= RULE_FALLBACK) return rule;
  return best;
}

/** Even odds: the picker does not call the rule's line chrome. Not tuned (0.5 by construction). */
const RULE_FALLBACK = 0.5;

/**
 * The cheap first step of a cascade (the picker costs more CPU per page than
 * the rest of the header reading): the line the older rule takes, when that
 * choice is one the picker keeps, so the picker need not run; -1 when it must.
 * The choice is settled when the rule's line is the only eligible line that
 * could be a headline: it names no year or clock time (status and archive
 * lines do, the chrome the picker was fitted to reject in a zone of one line),
 * the block model's lexicon does not lean it towards boilerplate (mean word
 * weight below CERTAIN_MAX_LEX: "Listen to this article" is 0.76), and
 * every other eligible line names a year or a clock time (date and outlet
 * lines: "Daily Mail · 2023-04-12"). On the dev pages (seed-like train, test
 * and heldout seeds 1-3, Zyte, Readability, the seeds, the 1,000 and 10,000
 * bench corpora) the picker chose this line on every such page but 50 of the
 * 10,000 bench's, where it rejected a real headline (the cascade keeps it).
 */
export function certainTitle(lines: string[], eligible: ArrayLike<number>, lexicon: Lexicon): number {
  const rule = ruleTitle(lines, eligible);
  if (rule < 0) return -1;
  const line = lines[rule];
  if (YEAR.test(line) || CLOCK.test(line)) return -1;
  for (let i = 0; i < lines.length; i++) if (eligible[i] && i !== rule && !YEAR.test(lines[i]) && !CLOCK.test(lines[i])) return -1;
  return lexiconMean(line, lexicon) >= CERTAIN_MAX_LEX ? -1 : rule;
}

/** The mean lexicon weight of a line's known words (the picker's lex_mean), 0 when it has none. */
export function lexiconMean(line: string, lexicon: Lexicon): number {
  let sum = 0;
  let known = 0;
  for (const w of wordsOf(line, false).words) {
    const weight = lexicon.get(w);
    if (weight !== undefined) {
      sum += weight;
      known++;
    }
  }
  return known > 0 ? sum / known : 0;
}

/**
 * The mean lexicon weight (log-odds of boilerplate) from which the cascade's
 * cheap steps (certainTitle here, clean.ts plainArticle) leave a line to the
 * models. Tuning constant: 0 left the picker half the pages (headlines share
 * words with chrome); 0.5 keeps a margin under the chrome lines seen on dev
 * pages (0.74-0.76).
 */
export const CERTAIN_MAX_LEX = 0.5;

/** The index of the headline among the eligible `lines`, or -1 when none is likely enough. */
export function pickTitle(model: TitleModel, lines: string[], ctx: TitleContext): number {
  const eligible = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) eligible[i] = ctx.eligible?.[i] ?? true ? 1 : 0;
  if (!eligible.includes(1)) return -1;
  const { rows, rulePick } = describeLines(lines, ctx, true);
  // Lines that may not be chosen have no row (describeLines) and are not scored: decideTitle reads only eligible lines.
  const p = Float64Array.from(rows, (row) => (row ? 1 / (1 + Math.exp(-treesLogit(model, row))) : 0));
  return decideTitle(p, eligible, rulePick, model.threshold, model.ruleMargin);
}

let committed: TitleModel | undefined;
/** The committed model (title-model.json), read on first use. */
export function defaultTitleModel(): TitleModel {
  return (committed ??= loadTitleModel(modelJson as TitleModelJson));
}
