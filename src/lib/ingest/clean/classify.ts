/**
 * Paragraph classifier in the spirit of jusText (Pomikálek 2011): every block of
 * a page is judged by its length and its stop-word density (prose is full of
 * "the", "of", "que", "der"; menus, teasers and footers are not), then short and
 * borderline blocks take the class of their neighbours, and a short heading is
 * kept when good text follows it closely.
 *
 * On top of jusText, the article is taken to be one contiguous stretch of the
 * page: the stretch with the largest balance of good over bad text (a maximum
 * sub-array, as in Finn et al.'s Body Text Extraction). Good-looking blocks far
 * from it (teasers, "related" summaries, footers) are not the article.
 *
 * Stop lists come from the `stopword` package (maintained lists for ~60
 * languages, keyed by ISO 639-3 like franc's answers); the language comes from
 * `franc-min`'s trigram profiles (trigram-language.ts: franc's answer, computed
 * with less work) on the page's longer lines. Languages without a list, and scripts
 * written without spaces, are judged by length alone.
 *
 * Size: about 530 lines: the classifier, the stretch finder and the block
 * measures they share with the block model (measureBlocks: one tokenising pass
 * per page for both), which must stay next to the tokeniser they reuse.
 */
import * as stopwords from 'stopword';
import { trigramLanguage } from './trigram-language.ts';
import { FOLDS_BY_SCAN, isNewsPunctuation } from '../../text.ts';
import { FNV_PRIME, FNV_SEED, wordTable, type WordTable } from './word-table.ts';

export type ParagraphClass = 'good' | 'neargood' | 'short' | 'bad';

export interface ClassifyOptions {
  /** Shorter blocks (in characters) are `short`: too little to judge alone. */
  lengthLow: number;
  /** Longer blocks with enough stop words are `good` on their own. */
  lengthHigh: number;
  /** Stop-word density at or above which a block is at least `neargood`. */
  stopwordsLow: number;
  /** Stop-word density at or above which a long block is `good`. */
  stopwordsHigh: number;
  /** A short heading is kept when good text starts within this many characters after it. */
  maxHeadingDistance: number;
  /** Weight of a bad block's length against a good one's when choosing the article's stretch. */
  badWeight: number;
  /** Every block costs at least this much when bad: a long menu of one-word items adds up. */
  minBadCost: number;
  /**
   * A short block only takes its class from neighbours this close (characters of
   * short blocks in between, each counted as at least `minBadCost`). Plain text has
   * no link density to unmask a menu, but a menu is a long run of short lines.
   */
  maxContextDistance: number;
  /**
   * What a block a rule already removed costs the stretch, whatever its length:
   * a "related" list inside an article should not split it in two, while a
   * long run of them (menus, footers) still adds up.
   */
  knownBadCost: number;
  /** At least this many consecutive near-good blocks … */
  runBlocks: number;
  /** … this long together (characters) are good, like one long paragraph. 0 turns it off. */
  runLength: number;
  /** A headline glued to its summary ("…Steakhouse Bill UnpaidA party of six…") is a teaser. */
  gluedTeasers: boolean;
  /** A short block that occurs twice on the page (menus, carousels, tickers) is not article text. */
  repeatedShort: boolean;
}

export const defaultClassifyOptions: ClassifyOptions = {
  lengthLow: 70,
  lengthHigh: 200,
  // jusText uses 0.30/0.32 with longer stop lists; the `stopword` lists are
  // shorter (about 100 words for English), which lowers densities.
  stopwordsLow: 0.22,
  stopwordsHigh: 0.28,
  maxHeadingDistance: 200,
  badWeight: 1,
  minBadCost: 40,
  maxContextDistance: 200,
  knownBadCost: 40,
  gluedTeasers: true,
  repeatedShort: true,
  runBlocks: 3,
  runLength: 400,
};

export interface Classified {
  /** ISO 639-3 code of the stop list used, or `none`. */
  lang: string;
  /** Class from the block alone. */
  initial: ParagraphClass[];
  /** Class after looking at the neighbours: only `good` or `bad`. */
  final: Array<'good' | 'bad'>;
  /** Stop-word density of each block (NaN when not measured). */
  density: number[];
  /** Blocks a rule had already removed (see `classify`). */
  knownBad?: boolean[];
}

const STOP_LISTS = new Map<string, Set<string>>();
export function stopListOf(lang: string): Set<string> | null {
  const list = (stopwords as unknown as Record<string, unknown>)[lang];
  if (!Array.isArray(list)) return null;
  let set = STOP_LISTS.get(lang);
  if (!set) {
    set = new Set((list as string[]).map((w) => w.toLowerCase()));
    STOP_LISTS.set(lang, set);
  }
  return set;
}

/** franc names Mandarin `cmn`; `stopword` files it as `zho`. Scripts without spaces get no list. */
export const NO_SPACES = new Set(['cmn', 'zho', 'jpn', 'tha', 'mya', 'khm', 'lao']);

/**
 * The language of a page, from a sample of its longer blocks: the longest first
 * (ties in page order), each with a line break, as a stable sort by length
 * would list them. detectLanguage reads only the sample's first
 * LANGUAGE_SAMPLE_CHARS, so blocks are picked one at a time until that much is
 * written, usually one or two of them, rather than by copying and sorting the
 * whole page (issue #17, speed: once per page, on every page the cleaner reads).
 */
export function pageLanguage(texts: string[]): string {
  let sample = '';
  const taken = new Uint8Array(texts.length);
  while (sample.length < LANGUAGE_SAMPLE_CHARS) {
    let longest = -1;
    for (let i = 0; i < texts.length; i++) if (!taken[i] && (longest < 0 || texts[i].length > texts[longest].length)) longest = i;
    if (longest < 0) break;
    taken[longest] = 1;
    sample += `${texts[longest]}\n`;
  }
  return detectLanguage(sample);
}

/** How much of a text detectLanguage reads by default (the metadata stage hands it no more). */
export const LANGUAGE_SAMPLE_CHARS = 600;

/**
 * ISO 639-3 code of a text. English prose is recognised by its stop words
 * alone (a quarter or more of its words), which costs microseconds; anything
 * else goes to franc's trigram profiles of ~80 languages (trigram-language.ts)
 * on a sample of a few hundred characters, where its answer has settled.
 */
export function detectLanguage(text: string, sampleChars = LANGUAGE_SAMPLE_CHARS): string {
  const sample = text.slice(0, sampleChars);
  const english = stopListOf('eng');
  if (english) {
    const { words, stops } = countWords(sample, english);
    if (words >= 20 && densityOf(words, stops) >= 0.25) return 'eng';
  }
  return trigramLanguage(sample, 20);
}

/** Word tokens of lowercased text: runs of letters or digits, with an apostrophe suffix. */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Text whose lowercase WORD tokens a scan finds: ASCII plus the punctuation of
 * English news text, none of it a letter or digit (so lowercasing changes only
 * A-Z), ’ being WORD's apostrophe. There WORD is `[a-z0-9]+(?:['’][a-z]+)?`, and
 * a scan counts tokens and stop words without a match array or a string per word.
 */
const SCANNABLE = FOLDS_BY_SCAN;

/**
 * A stop list as an open-addressing table of FNV-1a hashes: the scan hashes a
 * token while reading it and finds it without making a string of it (most
 * tokens are short enough to be stop words, and a slice per token was most of
 * the scan's cost). Tokens longer than the list's longest word are not looked up.
 */
type StopTable = WordTable;
const STOP_TABLES = new WeakMap<Set<string>, StopTable>();

function stopTableOf(stop: Set<string>): StopTable {
  let table = STOP_TABLES.get(stop);
  if (!table) STOP_TABLES.set(stop, (table = wordTable([...stop])));
  return table;
}

/** ASCII capitals to lowercase; every other code unit is itself. */
const lowerAscii = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** src[start, end), lowercased, whose hash is `hash`, is a word of the table. */
function inStopTable(table: StopTable, src: string, start: number, end: number, hash: number): boolean {
  const length = end - start;
  if (length > table.longest) return false;
  const mask = table.slots.length - 1;
  for (let slot = hash & mask, s = table.slots[slot]; s !== 0; slot = (slot + 1) & mask, s = table.slots[slot]) {
    const word = table.words[s - 1];
    if (table.hashes[s - 1] !== hash || word.length !== length) continue;
    let k = 0;
    while (k < length && word.charCodeAt(k) === lowerAscii(src.charCodeAt(start + k))) k++;
    if (k === length) return true;
  }
  return false;
}

/** How many WORD tokens the lowercased text has, and how many of them are in `stop`. */
export function countWords(text: string, stop: Set<string> | null): { words: number; stops: number } {
  // Text that is SCANNABLE lowercases only its ASCII capitals (nothing else in
  // it has a case), so the scan lowercases those as it reads, without a copy.
  // The scan itself tells whether the text is: it gives up at the first code
  // unit SCANNABLE text has none of, where a SCANNABLE pass over every text
  // came first (issue #17, speed: one pass instead of two on nearly all text).
  const table = stop ? stopTableOf(stop) : null;
  let words = scanWords(text, table);
  if (words >= 0) return { words, stops: scannedStops };
  const src = text.toLowerCase();
  if (SCANNABLE.test(src)) {
    words = scanWords(src, table);
    if (words >= 0) return { words, stops: scannedStops };
  }
  const tokens = src.match(WORD) ?? [];
  let stops = 0;
  if (stop) for (const w of tokens) if (stop.has(w)) stops++;
  return { words: tokens.length, stops };
}

/** The stop words scanWords counted in its last text (a second answer without an object per call). */
let scannedStops = 0;

/**
 * countWords' scan of SCANNABLE text: its WORD tokens, `[a-z0-9]+(?:['’][a-z]+)?`
 * after lowercasing, and in scannedStops how many are in `table`; -1 as soon as a
 * code unit shows the text is not SCANNABLE.
 */
function scanWords(src: string, table: StopTable | null): number {
  const n = src.length;
  let words = 0;
  let stops = 0;
  let i = 0;
  while (i < n) {
    let c = lowerAscii(src.charCodeAt(i));
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
      // Every code unit that is not part of a token passes here (an apostrophe a token took is ’ or ').
      if (c > 0x7f && !isNewsPunctuation(c)) return -1;
      i++;
      continue;
    }
    const start = i;
    let hash = FNV_SEED;
    for (; i < n && (((c = lowerAscii(src.charCodeAt(i))) >= 97 && c <= 122) || (c >= 48 && c <= 57)); i++) hash = Math.imul(hash ^ c, FNV_PRIME);
    // The apostrophe suffix, when a letter follows it: "don't", "o’neill".
    if (i + 1 < n && (c === 39 || c === 0x2019) && (c = lowerAscii(src.charCodeAt(i + 1))) >= 97 && c <= 122) {
      hash = Math.imul(hash ^ src.charCodeAt(i), FNV_PRIME);
      for (i++; i < n && (c = lowerAscii(src.charCodeAt(i))) >= 97 && c <= 122; i++) hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    words++;
    if (table !== null && inStopTable(table, src, start, i, hash)) stops++;
  }
  scannedStops = stops;
  return words;
}

function densityOf(words: number, stops: number): number {
  return words === 0 ? 0 : stops / words;
}

/** The stop list for a page language: none for scripts written without spaces; English when franc could not tell. */
export function stopListForLanguage(lang: string): Set<string> | null {
  return NO_SPACES.has(lang) ? null : stopListOf(lang) ?? (lang === 'und' ? stopListOf('eng') : null);
}

/**
 * What the classifier measures of each block, measured once: the cleaner hands
 * the same numbers to the block model's features (block-features.ts), so a page
 * is tokenised once, not once per consumer.
 */
export interface BlockMeasures {
  /** The page's language (pageLanguage of the blocks not known bad) and its stop list. */
  lang: string;
  stop: Set<string> | null;
  /** visibleLength of each block. */
  lengths: Int32Array;
  /** countWords of each block: WORD tokens, and how many are stop words. */
  words: Int32Array;
  stops: Int32Array;
  /** 1 when the block is a glued teaser (isGluedTeaser against the page's repeated mixed-case names). */
  glued: Uint8Array;
}

export function measureBlocks(texts: string[], knownBad?: boolean[], lang = pageLanguage(knownBad ? texts.filter((_, i) => !knownBad[i]) : texts)): BlockMeasures {
  const stop = stopListForLanguage(lang);
  const n = texts.length;
  const m: BlockMeasures = { lang, stop, lengths: new Int32Array(n), words: new Int32Array(n), stops: new Int32Array(n), glued: new Uint8Array(n) };
  // The page's repeated mixed-case words, wanted only once a block could be a glued teaser (few pages have one).
  let names: Set<string> | undefined;
  for (let i = 0; i < n; i++) {
    const text = texts[i];
    m.lengths[i] = visibleLength(text);
    const { words, stops } = countWords(text, stop);
    m.words[i] = words;
    m.stops[i] = stops;
    if (mayBeGlued(text) && isGluedTeaser(text, (names ??= repeatedMixedCase(texts)))) m.glued[i] = 1;
  }
  return m;
}

/**
 * `knownBad` marks blocks a rule already recognised as boilerplate: they are
 * `bad` whatever their stop words, and still count as context for their neighbours.
 * `measures` are the blocks' measures when the caller has them (measureBlocks).
 */
export function classify(texts: string[], headings: boolean[], options: Partial<ClassifyOptions> = {}, knownBad?: boolean[], measures?: BlockMeasures): Classified {
  // Object.assign, not a spread: its copies share one V8 map (see clean.ts optionsFor).
  const opts: ClassifyOptions = Object.assign({}, defaultClassifyOptions, options);
  const m = measures ?? measureBlocks(texts, knownBad);
  const { lang, stop } = m;
  const density: number[] = [];
  const lengths = m.lengths;
  let repeats: Map<string, number> | null = null;
  if (opts.repeatedShort) {
    repeats = new Map();
    for (let i = 0; i < texts.length; i++) {
      if (lengths[i] >= opts.lengthLow || knownBad?.[i]) continue;
      const key = texts[i].toLowerCase();
      repeats.set(key, (repeats.get(key) ?? 0) + 1);
    }
  }
  const initial: ParagraphClass[] = texts.map((text, i) => {
    const length = lengths[i];
    const words = m.words[i];
    const d = stop ? densityOf(words, m.stops[i]) : Number.NaN;
    density.push(d);
    if (knownBad?.[i] || /©|&copy;/.test(text)) return 'bad';
    if (opts.gluedTeasers && m.glued[i]) return 'bad';
    const sentence = /[.!?…]["”’')\]]*$/.test(text);
    if (length < opts.lengthLow) {
      // Plain text has no markup to tell a menu item from a short sentence; a
      // short line that reads as a sentence (stop words, an ending) is near-good.
      return sentence && words >= 5 && (!stop || d >= opts.stopwordsLow) ? 'neargood' : 'short';
    }
    if (!stop) return length >= opts.lengthHigh ? 'good' : 'neargood';
    if (d >= opts.stopwordsHigh) return length > opts.lengthHigh ? 'good' : 'neargood';
    // A full sentence dense with names and numbers has few stop words (short
    // stop lists make that worse): it is borderline, for its neighbours to decide.
    if (d >= opts.stopwordsLow || ((sentence || /:$/.test(text)) && words >= 10)) return 'neargood';
    return 'bad';
  });

  // A run of consecutive near-good blocks is prose cut into lines (page dumps
  // often give every sentence or short paragraph its own line): long enough
  // together, they are good, as one long paragraph would be.
  const working: ParagraphClass[] = [...initial];
  if (opts.runLength > 0) {
    for (let i = 0; i < texts.length; ) {
      if (initial[i] !== 'neargood' && initial[i] !== 'good') {
        i++;
        continue;
      }
      let j = i;
      let total = 0;
      while (j < texts.length && (initial[j] === 'neargood' || initial[j] === 'good')) total += lengths[j++];
      if (j - i >= opts.runBlocks && total >= opts.runLength) for (let k = i; k < j; k++) working[k] = 'good';
      i = j;
    }
  }

  // Short headings followed closely by good text count as near-good.
  for (let i = 0; i < texts.length; i++) {
    if (!headings[i] || working[i] !== 'short') continue;
    let distance = 0;
    for (let j = i + 1; j < texts.length && distance <= opts.maxHeadingDistance; j++) {
      if (working[j] === 'good') {
        working[i] = 'neargood';
        break;
      }
      distance += lengths[j];
    }
  }

  // Context: short blocks between two good ones are good, between two bad ones bad;
  // near-good blocks are good unless bad text surrounds them. The page's edges count as bad.
  const neighbour = (i: number, step: 1 | -1, ignoreNeargood: boolean): 'good' | 'bad' | 'neargood' => {
    let distance = 0;
    for (let j = i + step; j >= 0 && j < working.length; j += step) {
      const c = working[j];
      if (c === 'good' || c === 'bad') return c;
      if (c === 'neargood' && !ignoreNeargood) return 'neargood';
      distance += Math.max(opts.minBadCost, lengths[j]);
      if (distance > opts.maxContextDistance) return 'bad';
    }
    return 'bad';
  };
  const afterShort: ParagraphClass[] = working.map((c, i) => {
    if (c !== 'short') return c;
    const prev = neighbour(i, -1, true);
    const next = neighbour(i, 1, true);
    if (prev === 'good' && next === 'good') return 'good';
    if (prev === 'bad' && next === 'bad') return 'bad';
    // One of each: a near-good neighbour tips it to good.
    return neighbour(i, -1, false) === 'neargood' || neighbour(i, 1, false) === 'neargood' ? 'good' : 'bad';
  });
  const final = afterShort.map((c, i): 'good' | 'bad' => {
    if (c === 'good' || c === 'bad') return c;
    // neargood (and any short left): bad only between two bad blocks.
    let prev: ParagraphClass = 'bad';
    for (let j = i - 1; j >= 0; j--) if (afterShort[j] === 'good' || afterShort[j] === 'bad') { prev = afterShort[j]; break; }
    let next: ParagraphClass = 'bad';
    for (let j = i + 1; j < afterShort.length; j++) if (afterShort[j] === 'good' || afterShort[j] === 'bad') { next = afterShort[j]; break; }
    return prev === 'bad' && next === 'bad' ? 'bad' : 'good';
  });

  // A short block that occurs twice on the page (a menu or ticker item, a
  // carousel shown twice) is never kept, but it says nothing about its neighbours.
  // A short line repeated together with the long text around it is not one: the
  // whole body was captured twice (dedupe keeps one copy).
  if (repeats) {
    const sameAt = (a: number, b: number) => a >= 0 && b >= 0 && a < texts.length && b < texts.length && lengths[a] >= opts.lengthLow && texts[a] === texts[b];
    // Every block lowercased once, not once per repeated line it is compared with.
    let lower: string[] | undefined;
    const inRepeatedProse = (i: number, key: string) => {
      lower ??= texts.map((t) => t.toLowerCase());
      for (let j = 0; j < texts.length; j++) {
        if (j === i || lower[j] !== key) continue;
        if (sameAt(i - 1, j - 1) || sameAt(i + 1, j + 1)) return true;
      }
      return false;
    };
    for (let i = 0; i < texts.length; i++) {
      if (lengths[i] >= opts.lengthLow || knownBad?.[i]) continue;
      const key = texts[i].toLowerCase();
      if ((repeats.get(key) ?? 0) > 1 && !inRepeatedProse(i, key)) final[i] = 'bad';
    }
  }

  // A heading that lost its class but opens good text is kept.
  for (let i = 0; i < texts.length; i++) {
    if (!headings[i] || final[i] === 'good' || initial[i] !== 'short') continue;
    let distance = 0;
    for (let j = i + 1; j < texts.length && distance <= opts.maxHeadingDistance; j++) {
      if (final[j] === 'good') {
        final[i] = 'good';
        break;
      }
      distance += lengths[j];
    }
  }
  return { lang: stop ? lang : 'none', initial, final, density, knownBad };
}

/** Characters, counting a CJK character as three (a CJK sentence is short in characters). */
export function visibleLength(text: string): number {
  if (ASCII_ONLY.test(text)) return text.length;
  const cjk = text.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g)?.length ?? 0;
  return text.length + 2 * cjk;
}

/**
 * The contiguous stretch [start, end] with the largest score, where good blocks
 * score their length and bad blocks cost theirs (at least `minBadCost`).
 * Returns null when nothing scores above zero.
 */
export function mainStretch(texts: string[], c: Classified, options: Partial<ClassifyOptions> = {}): [number, number] | null {
  // Object.assign, not a spread: its copies share one V8 map (see clean.ts optionsFor).
  const opts: ClassifyOptions = Object.assign({}, defaultClassifyOptions, options);
  return bestScoringRun(texts.length, (i) => {
    const length = visibleLength(texts[i]);
    return c.final[i] === 'good'
      ? length
      : c.knownBad?.[i]
        ? -opts.knownBadCost
        : -Math.max(opts.minBadCost, length * opts.badWeight);
  });
}

/**
 * The contiguous run [start, end] of 0..n-1 whose scores sum highest (a maximum
 * sub-array, Kadane's scan; the earliest run wins a tie); null when no run sums
 * above zero. What both ways of finding the article's stretch share: the
 * classifier's verdicts (mainStretch) and the block model's probabilities
 * (clean.ts bestStretch) differ only in how a block scores.
 */
export function bestScoringRun(n: number, scoreOf: (i: number) => number): [number, number] | null {
  let best = 0;
  let bestRange: [number, number] | null = null;
  let sum = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const score = scoreOf(i);
    if (sum <= 0) {
      sum = score;
      start = i;
    } else sum += score;
    if (sum > best) {
      best = sum;
      bestRange = [start, i];
    }
  }
  return bestRange;
}

/**
 * A teaser card flattened to text: a headline in title case run into its
 * summary without a space ("Council Backs New Bridge PlanThe city council voted…").
 * The glue is a lowercase run of three or more letters (or a closing bracket)
 * straight before a capital that starts a lowercase word or a one-letter word,
 * after at least four mostly capitalised words (a headline; "According to FooBar" is
 * three); names like "McCarthy" or
 * "YouTube" have shorter runs before their inner capital.
 */
const GLUE = /(?:\p{Ll}{3,}|\))(\p{Lu}(?:\p{Ll}+|\s))/gu;

/** The whitespace-delimited word containing position `at`, without surrounding punctuation. */
function wordAround(text: string, at: number): string {
  let a = at;
  let b = at;
  while (a > 0 && !/\s/.test(text[a - 1])) a--;
  while (b < text.length && !/\s/.test(text[b])) b++;
  return text.slice(a, b).replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').replace(/['’]s$/, '');
}

/**
 * Necessary conditions for GLUE and MIXED, cheap to test: GLUE needs a lowercase
 * letter or ")" right before a capital, MIXED a lowercase letter right before a
 * capital. Both backtrack through every lowercase run, while these scan once;
 * the ASCII forms are several times faster still, and any text with a non-ASCII
 * character goes on to the Unicode form.
 */
const GLUE_HINT_ASCII = /[a-z)][A-Z]|[^\x00-\x7f]/;
const GLUE_HINT = /(?:\p{Ll}|\))\p{Lu}/u;
const MIXED_HINT_ASCII = /[a-z][A-Z]|[^\x00-\x7f]/;
const MIXED_HINT = /\p{Ll}\p{Lu}/u;
const MIXED = /[\p{L}\p{N}]*\p{Ll}\p{Lu}[\p{L}\p{N}]*/gu;

/** False when GLUE cannot match `text`, so isGluedTeaser would say false. */
export function mayBeGlued(text: string): boolean {
  return GLUE_HINT_ASCII.test(text) && GLUE_HINT.test(text);
}

/** Mixed-case words ("PlayStation", "iPhone") that occur at least twice on the page. */
export function repeatedMixedCase(texts: string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const t of texts) {
    if (!MIXED_HINT_ASCII.test(t) || !MIXED_HINT.test(t)) continue;
    // An exec loop finds what matchAll finds (MIXED never matches empty), without cloning the regex per text.
    MIXED.lastIndex = 0;
    for (let m = MIXED.exec(t); m; m = MIXED.exec(t)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 2).map(([w]) => w));
}
export function isGluedTeaser(text: string, names?: ReadonlySet<string>): boolean {
  GLUE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = GLUE.exec(text))) {
    const cut = m.index + m[0].length - m[1].length;
    // A mixed-case word the page uses more than once ("PlayStation", "FedEx") is a name, not glue.
    if (names && names.has(wordAround(text, cut))) continue;
    const head = text.slice(0, cut).trim().split(/\s+/);
    const tail = text.slice(cut);
    if (head.length < 4 || head.length > 20) continue;
    const capitals = head.filter((w) => /^["“'‘(]?[\p{Lu}\p{N}]/u.test(w)).length;
    if (capitals / head.length >= 0.6 && (tail.match(/\s+/g)?.length ?? 0) >= 4) return true;
  }
  return false;
}
