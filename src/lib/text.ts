/** Small text helpers shared by the ingest stages and the site. Pure, no I/O. */

/**
 * Word count, as a reader would count: runs of letters or digits, where an
 * apostrophe, dot or hyphen between two runs joins them ("U.S.-backed" is one).
 * Same answer as counting the matches of `[\p{L}\p{N}]+(?:['’.-]+[\p{L}\p{N}]+)*` (flags gu), but a
 * hand-written scan: this runs on every line of every page, and the regex's
 * match array was the ingest's single largest cost. One pass with three states,
 * ASCII tested inline, rather than a call per character.
 */
export function wordCount(text: string): number {
  const n = text.length;
  let count = 0;
  // 0: not in a word; 1: in a run of letters or digits; 2: in joiners right after a run,
  // where a letter continues the word and anything else ends it.
  let state = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) {
      if (state === 0) count++;
      state = 1;
    } else if (c === 39 || c === 46 || c === 45 || c === 0x2019) {
      if (state !== 0) state = 2;
    } else if (c < 128) {
      state = 0;
    } else {
      const cp = text.codePointAt(i)!;
      if (isNonAsciiWordChar(cp)) {
        if (state === 0) count++;
        state = 1;
        if (cp > 0xffff) i++;
      } else state = 0;
    }
  }
  return count;
}

/**
 * wordCount(text), and whether `text` has whitespace other than single spaces
 * (two spaces in a row, a tab, a no-break space, …), from one scan: a line
 * needs its whitespace collapsed only then, and collapsing it (or trimming)
 * never changes the count, since every kind of whitespace separates words.
 */
export function countWordsAndSpacing(text: string): { words: number; unevenSpace: boolean } {
  const n = text.length;
  let words = 0;
  let unevenSpace = false;
  let space = false;
  // The same three states as wordCount.
  let state = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) {
      if (state === 0) words++;
      state = 1;
      space = false;
      continue;
    }
    if (c === 39 || c === 46 || c === 45 || c === 0x2019) {
      if (state !== 0) state = 2;
    } else if (c < 128) {
      state = 0;
      if (c === 32) {
        if (space) unevenSpace = true;
        space = true;
        continue;
      }
      if (c >= 9 && c <= 13) unevenSpace = true;
    } else {
      const cp = text.codePointAt(i)!;
      if (isNonAsciiWordChar(cp)) {
        if (state === 0) words++;
        state = 1;
        if (cp > 0xffff) i++;
      } else {
        state = 0;
        if (isNonAsciiSpace(c)) unevenSpace = true;
      }
    }
    space = false;
  }
  return { words, unevenSpace };
}

/** Whitespace, as \s matches it. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && isNonAsciiSpace(c));
}

/** Whitespace (as \s matches it) outside ASCII. */
function isNonAsciiSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const NON_ASCII_WORD = new Map<number, boolean>();

/** A letter or digit outside ASCII (answers cached per code point). */
function isNonAsciiWordChar(cp: number): boolean {
  let is = NON_ASCII_WORD.get(cp);
  if (is === undefined) {
    is = LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
    if (NON_ASCII_WORD.size < 65536) NON_ASCII_WORD.set(cp, is);
  }
  return is;
}

/**
 * Text that folds without Unicode normalisation: ASCII, plus the punctuation of
 * English news text (no-break space, £, ·, dashes, curly quotes, …). NFKD leaves
 * these alone or turns them into spaces and dots, none is a letter or digit and
 * none has a case, so folding them is a scan: ’ and ‘ become an apostrophe like
 * `, the rest separate words. ´ and ʼ are not here: NFKD splits ´ into a space
 * and an accent, which makes it a separator, not an apostrophe.
 */
export const NEWS_PUNCTUATION = '\u00a0\u00a3\u00b7\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2026';
/** Text of ASCII and NEWS_PUNCTUATION alone: what the scans here and in the cleaner (title, classify, block features) read without a Unicode regex. */
export const FOLDS_BY_SCAN = new RegExp(`^[\\x00-\\x7f${NEWS_PUNCTUATION}]*$`);
const SCAN_APOSTROPHES = /[`‘’]/g;

/**
 * A code unit above 0x7f that FOLDS_BY_SCAN accepts (one of NEWS_PUNCTUATION): a
 * scan that checks each code unit as it reads tells plain text from other text
 * itself, instead of a pass of FOLDS_BY_SCAN over the text first (issue #17, speed).
 */
export function isNewsPunctuation(c: number): boolean {
  return c === 0x2019 || c === 0x201c || c === 0x201d || c === 0x2014 || c === 0x2013 || c === 0x2018 || c === 0xa0 || c === 0x2026 || c === 0xa3 || c === 0xb7 || c === 0x2015;
}

/** Lowercase, accents off, quotes and dashes unified, punctuation to spaces: for comparing text, never for showing it. */
export function foldForCompare(text: string): string {
  // A scan and a join cost a fraction of NFKD and three regex replacements, and most text qualifies.
  if (FOLDS_BY_SCAN.test(text)) return scanWords(text).join(' ');
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
}

/** The folded words of text that passed FOLDS_BY_SCAN: runs of [a-z0-9'] after lowercasing, [''] when none. */
function scanWords(text: string): string[] {
  const words: string[] = [];
  scanInto(text, words);
  // ''.split(' ') is ['']: the same answer for text without a word.
  return words.length ? words : [''];
}

/** Appends the folded words of text that passed FOLDS_BY_SCAN to `words`. */
function scanInto(text: string, words: string[]): void {
  const lower = text.toLowerCase();
  const first = words.length;
  let start = -1;
  let apostrophes = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39) {
      if (start < 0) start = i;
    } else if (c === 96 || c === 0x2018 || c === 0x2019) {
      if (start < 0) start = i;
      apostrophes = true;
    } else if (start >= 0) {
      words.push(lower.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) words.push(lower.slice(start));
  if (apostrophes) for (let k = first; k < words.length; k++) words[k] = words[k].replace(SCAN_APOSTROPHES, "'");
}

/**
 * Appends the words of foldForCompare(text) to `words` (no empty ones): what
 * `foldForCompare(text).split(' ').filter(Boolean)` gives, without building the
 * folded string only to split it again.
 */
export function pushFoldedWords(text: string, words: string[]): void {
  if (FOLDS_BY_SCAN.test(text)) scanInto(text, words);
  else for (const w of foldForCompare(text).split(' ')) if (w) words.push(w);
}

/** Tokens for similarity: folded words of two or more characters. */
export function tokens(text: string): string[] {
  return foldForCompare(text).split(' ').filter((t) => t.length > 1);
}

/** True when the line ends like a sentence (allowing a closing quote or bracket). */
export function endsLikeSentence(text: string): boolean {
  return /[.!?…]["”’')\]]*$/.test(text.trim());
}

/** Share of words that start with a capital letter, among words that have letters. */
export function capitalisedRatio(text: string): number {
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return 0;
  return words.filter((w) => /^["“'‘(]?\p{Lu}/u.test(w)).length / words.length;
}

const ABBREVIATIONS = new Set(
  'mr mrs ms messrs dr drs prof sen sens rep reps gov govs gen gens col lt sgt capt cmdr adm st jr sr inc ltd co corp no vs etc dept est fig jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m'.split(' '),
);

/**
 * Splits a paragraph into sentences, keeping each sentence verbatim (a substring
 * of the paragraph), so that summaries quote the source exactly.
 */
export function splitSentences(paragraph: string): string[] {
  return firstSentences(paragraph, Infinity);
}

/**
 * splitSentences's first sentences, up to the one that brings their length to at
 * least `enoughChars` characters: what an excerpt can use, without splitting the
 * rest of a long paragraph. (A name of its own, not an optional parameter, so
 * `paragraphs.map(splitSentences)` stays safe.)
 */
export function firstSentences(paragraph: string, enoughChars: number): string[] {
  const text = paragraph.trim();
  const out: string[] = [];
  // Characters in the sentences so far: a caller that needs only the first few (an excerpt) stops the scan there.
  let chars = 0;
  let start = 0;
  const re = /[.!?…]+["”’')\]]*(?=\s+["“‘(]?[\p{Lu}\p{N}])/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m.index + m[0].length;
    // The last word before the mark (what text.slice(start, m.index).split(/\s+/).pop() gives), found from the end.
    let from = m.index;
    while (from > start && !isSpace(text.charCodeAt(from - 1))) from--;
    const lastWord = text.slice(from, m.index).toLowerCase().replace(/^["“'‘(]/, '');
    // "Mr. Putin", "U.S. officials", "J. Smith": not sentence ends.
    if (m[0] === '.' && (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord) || /^(?:\p{L}\.)+\p{L}$/u.test(lastWord))) continue;
    const sentence = text.slice(start, end).trim();
    out.push(sentence);
    start = end;
    chars += sentence.length;
    if (chars >= enoughChars) return out;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** Cuts text at a word boundary and adds an ellipsis when it was longer than `max` characters. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

/** A URL-safe slug from any text: ASCII letters and digits, dashes between words. */
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  return slug.slice(0, maxLength).replace(/-[^-]*$/, '') || slug.slice(0, maxLength);
}

/** FNV-1a 32-bit, hex: a short stable id from content. Not for security. */
export function shortHash(text: string, length = 8): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).slice(0, length);
}

/**
 * Light plural folding ("talks" ~ "talk", "companies" ~ "company"): enough for
 * word overlap between articles, where a full stemmer would cost more than it gives.
 */
export function foldPlural(t: string): string {
  if (t.endsWith("'s")) t = t.slice(0, -2);
  t = t.replace(/'/g, '');
  if (t.length > 4 && t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  if (t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t)) return t.slice(0, -1);
  return t;
}

/**
 * How outlet names are compared (the config's `outlets`, src/lib/config.ts, and
 * the ingest's describe/outlets.ts): NFKD, no accents, lower case, a leading
 * "the" dropped, letters and digits only. "The Associated Press",
 * "associated press" and "Associated-Press" are one name.
 */
export function foldOutletName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
