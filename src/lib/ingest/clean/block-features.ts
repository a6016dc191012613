/**
 * Features of each block (line) of a page for the learned block model
 * (block-model.ts). Every feature is a number the model can threshold: the
 * block's own shape (length, sentences, stop words, punctuation, capitals,
 * digits), what the rules said of it, words typical of boilerplate (a lexicon
 * learned from labelled pages, never typed in), how often the page repeats it,
 * where it sits on the page, and the same few measures of its neighbours.
 *
 * Pure and deterministic: the same lines give the same numbers. The training
 * script (scripts/train/cleaner.ts) calls this very function, so what the model
 * learned from is what it sees at run time.
 */
import type { BlockMeasures } from './classify.ts';
import { isNewsPunctuation } from '../../text.ts';
import { FNV_PRIME, FNV_SEED, wordTable, type WordTable } from './word-table.ts';

/** One block as the cleaner sees it after its rules ran. */
export interface BlockInput {
  text: string;
  /** wordCount(text). */
  words: number;
  /** The parser marked it a heading (Markdown `#`, HTML `<h2>`). */
  heading: boolean;
  /** A rule (rules.ts) or the parser already removed it. */
  ruleBad: boolean;
  /** HTML only: share of its characters inside links (0 for text). */
  linkShare?: number;
  /**
   * What the jusText-style classifier (classify.ts) made of it: its class from the
   * block alone (0 bad, 1 short, 2 near-good, 3 good), after context (0/1), and
   * whether it falls in that classifier's article stretch (0/1).
   */
  jusText?: [number, number, number];
}

/** Names of the per-block measures; neighbours repeat a subset of them. */
export const BASE_FEATURES = [
  'log_chars', 'log_words', 'stop_density', 'punct_ratio', 'capitalised_ratio', 'digit_ratio', 'ends_sentence',
  'sentences', 'bullet', 'upper_ratio', 'has_year', 'has_url', 'lex_mean', 'lex_max', 'lex_min', 'lex_known',
  'page_repeats', 'rule_bad', 'heading', 'mean_word_len', 'headline_shape', 'glued_teaser', 'ends_colon',
  'separators', 'starts_lower', 'has_quote', 'comma_ratio', 'link_share', 'prose', 'jt_initial', 'jt_final', 'jt_stretch',
] as const;

/** Base measures repeated for each neighbour (offsets NEIGHBOURS). */
const NEIGHBOUR_BASE = ['log_chars', 'stop_density', 'ends_sentence', 'lex_mean', 'rule_bad', 'prose', 'headline_shape', 'jt_final'] as const;
const NEIGHBOURS = [-2, -1, 1, 2];

const CONTEXT_FEATURES = [
  'prose_frac_3', 'prose_frac_8', 'mean_log_chars_3', 'rule_bad_frac_3', 'dist_prev_prose', 'dist_next_prose',
  'prose_chars_before', 'prose_chars_after', 'rel_pos', 'page_log_lines', 'page_has_stoplist', 'lex_mean_3',
] as const;

export const FEATURE_NAMES: string[] = [
  ...BASE_FEATURES,
  ...NEIGHBOURS.flatMap((o) => NEIGHBOUR_BASE.map((f) => `${f}@${o > 0 ? '+' : ''}${o}`)),
  ...CONTEXT_FEATURES,
];

const B = Object.fromEntries(BASE_FEATURES.map((f, i) => [f, i])) as Record<(typeof BASE_FEATURES)[number], number>;
const NB = BASE_FEATURES.length;
const NEIGHBOUR_INDEX = NEIGHBOUR_BASE.map((f) => B[f]);

/** Words and their learned boilerplate weight (log-odds of boilerplate over body; positive = boilerplate). */
export type Lexicon = ReadonlyMap<string, number>;

const LEX_WORD = /\p{L}{2,}/gu;
const SENTENCE_END = /[.!?…。！？]["”’')\]」』]*$/u;
const INNER_SENTENCE = /[.!?…。！？]["”’')\]]*\s+(?=["“‘(]?\p{Lu})/gu;
const YEAR = /\b(?:19|20)\d\d\b/;
/** A web address, an e-mail address or a handle: "www.", "http", ".com", "@". */
const hasUrl = (t: string) => t.includes('@') || t.includes('http') || t.includes('www.') || t.includes('.com');
const BULLET = /^(?:[-•*·▪►]|\d{1,2}[.)])\s+/;
const SEPARATORS = /[|›»•·/]|\s[-–—]\s/g;
const QUOTES = /["“”«»]/;

/**
 * The features of every block of a page, as one row per block (views on one
 * buffer). `measures` are the classifier's measures of the same blocks
 * (classify.ts measureBlocks: lengths, stop words, glued teasers), taken as
 * they are rather than measured again.
 */
export function blockFeatures(blocks: BlockInput[], measures: BlockMeasures, lexicon: Lexicon): Float64Array[] {
  const n = blocks.length;
  const { stop } = measures;
  const baseBuffer = new Float64Array(n * NB);
  const base = Array.from({ length: n }, (_, i) => baseBuffer.subarray(i * NB, (i + 1) * NB));
  const table = lexiconTable(lexicon);
  // Short lines repeated on the page (menu items shown twice, tickers).
  const counts = new Map<string, number>();
  // Plain loops and typed arrays here and below, not map/reduce: V8 then optimises this hot
  // function once, rather than again whenever an array of another kind reaches it (issue #17, speed).
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(blocks[i].text.length <= 120 ? blocks[i].text.toLowerCase() : '');
  for (let i = 0; i < n; i++) if (keys[i]) counts.set(keys[i], (counts.get(keys[i]) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    const { text, words } = blocks[i];
    const f = base[i];
    const chars = measures.lengths[i];
    const stops = stop ? measures.stops[i] : 0;
    // One pass over the characters (charShape): letters, capitals, digits, punctuation, and
    // per word whether it starts with a capital (after an opening quote or bracket).
    charShape(text);
    const letters = SHAPE[S_LETTERS];
    const uppers = SHAPE[S_UPPERS];
    const digits = SHAPE[S_DIGITS];
    const punct = SHAPE[S_PUNCT];
    const commas = SHAPE[S_COMMAS];
    const wordCountHere = SHAPE[S_WORDS];
    const capitalised = SHAPE[S_CAPITALISED];
    const wordChars = SHAPE[S_WORD_CHARS];
    let lexSum = 0;
    let lexMax = 0;
    let lexMin = 0;
    let lexKnown = 0;
    if (lexicon.size) {
      // Each word's weight, in order: scanned on SCANNABLE text (the scan finds out), by regex otherwise.
      const weights = scanLexicon(table, text) ?? regexLexicon(lexicon, text);
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k];
        lexKnown++;
        lexSum += w;
        if (w > lexMax) lexMax = w;
        if (w < lexMin) lexMin = w;
      }
    }
    const ends = SENTENCE_END.test(text);
    f[B.log_chars] = Math.log1p(chars);
    f[B.log_words] = Math.log1p(words);
    f[B.stop_density] = stop ? (words ? stops / words : 0) : -0.1;
    f[B.punct_ratio] = punct / Math.max(1, text.length);
    f[B.capitalised_ratio] = wordCountHere ? capitalised / wordCountHere : 0;
    f[B.digit_ratio] = digits / Math.max(1, text.length);
    f[B.ends_sentence] = ends ? 1 : 0;
    INNER_SENTENCE.lastIndex = 0;
    f[B.sentences] = Math.min(10, (text.match(INNER_SENTENCE)?.length ?? 0) + (ends ? 1 : 0));
    f[B.bullet] = BULLET.test(text) ? 1 : 0;
    f[B.upper_ratio] = letters ? uppers / letters : 0;
    f[B.has_year] = YEAR.test(text) ? 1 : 0;
    f[B.has_url] = hasUrl(text) ? 1 : 0;
    f[B.lex_mean] = lexKnown ? lexSum / lexKnown : 0;
    f[B.lex_max] = lexMax;
    f[B.lex_min] = lexMin;
    f[B.lex_known] = words ? lexKnown / words : 0;
    f[B.page_repeats] = keys[i] ? Math.log((counts.get(keys[i]) ?? 1)) : 0;
    f[B.rule_bad] = blocks[i].ruleBad ? 1 : 0;
    f[B.heading] = blocks[i].heading ? 1 : 0;
    f[B.mean_word_len] = wordCountHere ? wordChars / wordCountHere : 0;
    f[B.headline_shape] = words >= 3 && words <= 20 && !/[.,;:]["”’)\]]*$/.test(text) && wordCountHere > 0 && capitalised / wordCountHere >= 0.6 ? 1 : 0;
    f[B.glued_teaser] = measures.glued[i];
    f[B.ends_colon] = /:\s*$/.test(text) ? 1 : 0;
    SEPARATORS.lastIndex = 0;
    f[B.separators] = Math.min(8, text.match(SEPARATORS)?.length ?? 0);
    f[B.starts_lower] = /^\p{Ll}/u.test(text) ? 1 : 0;
    f[B.has_quote] = QUOTES.test(text) ? 1 : 0;
    f[B.comma_ratio] = words ? commas / words : 0;
    f[B.link_share] = blocks[i].linkShare ?? 0;
    f[B.prose] = words >= 25 || (words >= 12 && ends) ? 1 : 0;
    const jt = blocks[i].jusText;
    f[B.jt_initial] = jt ? jt[0] : -1;
    f[B.jt_final] = jt ? jt[1] : -1;
    f[B.jt_stretch] = jt ? jt[2] : -1;
  }

  // Page-level running sums for the context measures.
  const proseChars = new Float64Array(n);
  let proseTotal = 0;
  for (let i = 0; i < n; i++) {
    proseChars[i] = base[i][B.prose] ? Math.expm1(base[i][B.log_chars]) : 0;
    proseTotal += proseChars[i];
  }
  const totalProse = proseTotal || 1;
  const prevProse = new Int32Array(n).fill(-1);
  const nextProse = new Int32Array(n).fill(-1);
  for (let i = 0, last = -1; i < n; i++) {
    prevProse[i] = last;
    if (base[i][B.prose] && !blocks[i].ruleBad) last = i;
  }
  for (let i = n - 1, next = -1; i >= 0; i--) {
    nextProse[i] = next;
    if (base[i][B.prose] && !blocks[i].ruleBad) next = i;
  }
  // Prefix sums, so a window's mean (the block itself left out) costs two lookups.
  const prefix = (k: number) => {
    const out = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) out[i + 1] = out[i] + base[i][k];
    return out;
  };
  const proseSum = prefix(B.prose);
  const charsSum = prefix(B.log_chars);
  const badSum = prefix(B.rule_bad);
  const lexSum = prefix(B.lex_mean);
  const window = (sum: Float64Array, i: number, r: number, own: number) => {
    const a = Math.max(0, i - r);
    const b = Math.min(n - 1, i + r);
    const count = b - a;
    return count > 0 ? (sum[b + 1] - sum[a] - own) / count : 0;
  };
  const width = FEATURE_NAMES.length;
  const buffer = new Float64Array(n * width);
  const rows: Float64Array[] = [];
  let before = 0;
  for (let i = 0; i < n; i++) {
    const row = buffer.subarray(i * width, (i + 1) * width);
    row.set(base[i], 0);
    let at = NB;
    for (const o of NEIGHBOURS) {
      const j = i + o;
      for (const k of NEIGHBOUR_INDEX) row[at++] = j >= 0 && j < n ? base[j][k] : k === B.rule_bad ? 1 : -1;
    }
    const own = base[i];
    row[at++] = window(proseSum, i, 3, own[B.prose]);
    row[at++] = window(proseSum, i, 8, own[B.prose]);
    row[at++] = window(charsSum, i, 3, own[B.log_chars]);
    row[at++] = window(badSum, i, 3, own[B.rule_bad]);
    row[at++] = prevProse[i] < 0 ? 5 : Math.log1p(i - prevProse[i]);
    row[at++] = nextProse[i] < 0 ? 5 : Math.log1p(nextProse[i] - i);
    row[at++] = before / totalProse;
    before += proseChars[i];
    row[at++] = 1 - before / totalProse;
    row[at++] = n > 1 ? i / (n - 1) : 0;
    row[at++] = Math.log1p(n);
    row[at++] = stop ? 1 : 0;
    row[at++] = window(lexSum, i, 3, own[B.lex_mean]);
    rows.push(row);
  }
  return rows;
}

/** charShape's counts, written into one buffer (indices S_*), read right after each call. */
const SHAPE = new Int32Array(8);
const S_LETTERS = 0;
const S_UPPERS = 1;
const S_DIGITS = 2;
const S_PUNCT = 3;
const S_COMMAS = 4;
const S_WORDS = 5;
const S_CAPITALISED = 6;
const S_WORD_CHARS = 7;

/**
 * The character counts of one block, into SHAPE. A function of its own (it
 * was inline in blockFeatures): this loop is what gets hot, and V8 then
 * compiles this small function rather than the whole of blockFeatures, a
 * compile that cost more CPU than a build's few hundred model pages saved.
 */
function charShape(text: string): void {
  let letters = 0;
  let uppers = 0;
  let digits = 0;
  let punct = 0;
  let commas = 0;
  let wordCountHere = 0;
  let capitalised = 0;
  let wordChars = 0;
  let atWordStart = true;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 9 || c === 0xa0) {
      atWordStart = true;
      continue;
    }
    wordChars++;
    let upper = false;
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) {
      letters++;
      uppers++;
      upper = true;
    } else if (c >= 97 && c <= 122) letters++;
    else if (c < 128) {
      punct++;
      if (c === 44) commas++;
    } else {
      const kind = charKind(text, k, c);
      if (kind !== NOT_A_LETTER) {
        letters++;
        if (kind === UPPER) {
          uppers++;
          upper = true;
        }
      }
    }
    if (atWordStart) {
      wordCountHere++;
      // An opening quote or bracket does not end the word's start.
      if (upper) capitalised++;
      atWordStart = c === 34 || c === 39 || c === 40 || c === 0x201c || c === 0x2018;
    }
  }
  SHAPE[S_LETTERS] = letters;
  SHAPE[S_UPPERS] = uppers;
  SHAPE[S_DIGITS] = digits;
  SHAPE[S_PUNCT] = punct;
  SHAPE[S_COMMAS] = commas;
  SHAPE[S_WORDS] = wordCountHere;
  SHAPE[S_CAPITALISED] = capitalised;
  SHAPE[S_WORD_CHARS] = wordChars;
}

/** The lexicon as an open-addressing table of FNV-1a hashes of its words (as classify.ts does for stop lists). */
interface LexiconTable extends WordTable {
  weights: Float64Array; // by index in `words`
}
const LEXICON_TABLES = new WeakMap<Lexicon, LexiconTable>();

function lexiconTable(lexicon: Lexicon): LexiconTable {
  let table = LEXICON_TABLES.get(lexicon);
  if (table) return table;
  const words = wordTable([...lexicon.keys()]);
  table = { ...words, weights: Float64Array.from(words.words, (w) => lexicon.get(w)!) };
  LEXICON_TABLES.set(lexicon, table);
  return table;
}

/** The weight of each lexicon word among LEX_WORD's tokens of `text`, in order. */
function regexLexicon(lexicon: Lexicon, text: string): number[] {
  const out: number[] = [];
  const lower = text.toLowerCase();
  LEX_WORD.lastIndex = 0;
  for (let m = LEX_WORD.exec(lower); m; m = LEX_WORD.exec(lower)) {
    const w = lexicon.get(m[0]);
    if (w !== undefined) out.push(w);
  }
  return out;
}

/**
 * The same for SCANNABLE text (text.ts FOLDS_BY_SCAN: ASCII plus the punctuation of
 * English news text, none of it a letter), where LEX_WORD's tokens are runs of two or
 * more ASCII letters, found by a scan without a regex, a lowercased copy or a string
 * per token; null as soon as a code unit shows the text is not SCANNABLE. The scan is
 * the test: a FOLDS_BY_SCAN pass over every block came first (issue #17, speed: one
 * pass instead of two on nearly all text).
 */
function scanLexicon(table: LexiconTable, text: string): number[] | null {
  const out: number[] = [];
  const n = text.length;
  const mask = table.slots.length - 1;
  let i = 0;
  while (i < n) {
    const unit = text.charCodeAt(i);
    let c = unit | 32;
    if (c < 97 || c > 122) {
      // Every code unit outside a letter run passes here.
      if (unit > 0x7f && !isNewsPunctuation(unit)) return null;
      i++;
      continue;
    }
    const start = i;
    let hash = FNV_SEED;
    for (; i < n && (c = text.charCodeAt(i) | 32) >= 97 && c <= 122; i++) hash = Math.imul(hash ^ c, FNV_PRIME);
    const length = i - start;
    if (length < 2 || length > table.longest) continue;
    for (let slot = hash & mask, s = table.slots[slot]; s !== 0; slot = (slot + 1) & mask, s = table.slots[slot]) {
      const word = table.words[s - 1];
      if (table.hashes[s - 1] !== hash || word.length !== length) continue;
      let k = 0;
      while (k < length && word.charCodeAt(k) === (text.charCodeAt(start + k) | 32)) k++;
      if (k === length) {
        out.push(table.weights[s - 1]);
        break;
      }
    }
  }
  return out;
}

const NOT_A_LETTER = 1;
const LOWER = 2;
const UPPER = 3;
/**
 * What each BMP code unit is, learned on first sight: a letter is a character
 * whose lower and upper case differ, an upper-case one is not its own lower
 * case. Page text repeats the same few non-ASCII characters (curly quotes,
 * dashes, accented letters), so this saves two case conversions per character.
 */
const CHAR_KINDS = new Uint8Array(0x10000);
function charKind(text: string, k: number, c: number): number {
  let kind = CHAR_KINDS[c];
  if (kind === 0) {
    const ch = text[k];
    const lower = ch.toLowerCase();
    kind = lower === ch.toUpperCase() ? NOT_A_LETTER : ch !== lower ? UPPER : LOWER;
    CHAR_KINDS[c] = kind;
  }
  return kind;
}

/** Tokens the lexicon is keyed by: lowercase letter runs of two or more. */
export function lexiconTokens(text: string): string[] {
  return text.toLowerCase().match(LEX_WORD) ?? [];
}

/**
 * Second-stage features: the first stage's probabilities seen across the page.
 * The first stage judges a block by itself and a few neighbours; this stage
 * learns what jusText's context rules and the stretch encoded by hand (a short
 * block between good ones is good, a good-looking block far from the article is
 * not), and how a page's probabilities compare with each other (on a page that
 * is mostly menu, its best paragraphs score low and are still the article).
 */
export const STACK_FEATURES = [
  'p', 'p@-1', 'p@+1', 'p@-2', 'p@+2', 'p@-3', 'p@+3', 'p_mean_5', 'p_max_page', 'p_rel_max', 'p_rank', 'p_mean_page',
  'dist_prev_good', 'dist_next_good', 'good_chars_before', 'good_chars_after', 'log_chars', 'prose', 'rule_bad', 'headline_shape', 'stop_density', 'rel_pos',
] as const;

export function stackFeatures(rows: Float64Array[], p: Float64Array): Float64Array[] {
  const n = rows.length;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] > max) max = p[i];
    sum += p[i];
  }
  const sorted = Float64Array.from(p).sort();
  const rank = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return n > 1 ? lo / (n - 1) : 1;
  };
  const good = (i: number) => p[i] >= 0.5;
  const chars = (i: number) => Math.expm1(rows[i][B.log_chars]);
  let totalGood = 0;
  for (let i = 0; i < n; i++) if (good(i)) totalGood += chars(i);
  totalGood ||= 1;
  const prevGood = new Int32Array(n);
  const nextGood = new Int32Array(n);
  for (let i = 0, last = -1; i < n; i++) {
    prevGood[i] = last;
    if (good(i)) last = i;
  }
  for (let i = n - 1, next = -1; i >= 0; i--) {
    nextGood[i] = next;
    if (good(i)) next = i;
  }
  const pAt = (j: number) => (j >= 0 && j < n ? p[j] : 0);
  const width = STACK_FEATURES.length;
  const buffer = new Float64Array(n * width);
  const out: Float64Array[] = [];
  let before = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    let m = 0;
    let c = 0;
    for (let j = Math.max(0, i - 5); j <= Math.min(n - 1, i + 5); j++) {
      if (j === i) continue;
      m += p[j];
      c++;
    }
    const f = buffer.subarray(i * width, (i + 1) * width);
    let k = 0;
    f[k++] = p[i];
    for (const o of [-1, 1, -2, 2, -3, 3]) f[k++] = pAt(i + o);
    f[k++] = c ? m / c : 0;
    f[k++] = max;
    f[k++] = max > 0 ? p[i] / max : 0;
    f[k++] = rank(p[i]);
    f[k++] = n ? sum / n : 0;
    f[k++] = prevGood[i] < 0 ? 5 : Math.log1p(i - prevGood[i]);
    f[k++] = nextGood[i] < 0 ? 5 : Math.log1p(nextGood[i] - i);
    f[k++] = before / totalGood;
    if (good(i)) before += chars(i);
    f[k++] = 1 - before / totalGood;
    f[k++] = r[B.log_chars];
    f[k++] = r[B.prose];
    f[k++] = r[B.rule_bad];
    f[k++] = r[B.headline_shape];
    f[k++] = r[B.stop_density];
    f[k++] = n > 1 ? i / (n - 1) : 0;
    out.push(f);
  }
  return out;
}
