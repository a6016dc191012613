/**
 * Text handling for search, shared by the build-time index builder and the
 * client: folding (case and diacritics off), word tokens with their offsets in
 * the original text, and a short stop-word list. Pure, no I/O, no Node APIs,
 * so it runs in the browser and in Node alike.
 */

/** Lowercase with diacritics removed: "Zelenskyy’s" and "ZELENSKYY'S" fold alike, "Café" to "cafe". */
export function fold(text: string): string {
  // Plain ASCII needs no decomposition: the common case, and much faster.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
const ASCII = /^[\x00-\x7f]*$/;

/** A word of the original text: its folded form and where it sits. */
export interface Token {
  /** Folded form, what is compared. */
  term: string;
  /** Offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

// Letters (with their combining marks) and digits; apostrophes split words,
// so "Zelenskyy’s" gives "zelenskyy" and "s".
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** Every word of `text` with offsets into the original (unfolded) string. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) {
    const term = fold(m[0]);
    if (term) out.push({ term, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const NON_WORD = /[^\p{L}\p{N}]+/u;
const NON_WORD_ASCII = /[^a-z0-9]+/;

/** Folded words only, without offsets: the same words as `tokenize`, faster (the whole text is folded at once). */
export function terms(text: string): string[] {
  const out = ASCII.test(text) ? text.toLowerCase().split(NON_WORD_ASCII) : fold(text).split(NON_WORD);
  if (out.length && out[0] === '') out.shift();
  if (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * Function words that say nothing about what a story is about. Kept short and
 * English (the corpus language); a query made only of these still searches them.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him himself ' +
    'his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves said says say new one two s t mr mrs ms told its it\'s'
  ).split(' '),
);

/** True for a word worth indexing as a keyword: not a stop word, not a bare number, at least three characters. */
export function isKeyword(term: string): boolean {
  return term.length >= 3 && !STOPWORDS.has(term) && !/^\d+$/.test(term);
}

/**
 * Damerau-Levenshtein distance (optimal string alignment) between `a` and `b`,
 * or `max + 1` as soon as it must exceed `max`. With `prefix`, the distance from
 * `a` to the closest prefix of `b`: what a reader typing `a` may be heading for.
 */
export function editDistance(a: string, b: string, max: number, prefix = false): number {
  const n = a.length;
  const m = prefix ? Math.min(b.length, n + max) : b.length;
  if (!prefix && Math.abs(n - m) > max) return max + 1;
  // Three rolling rows (i-2, i-1, i), reused across calls: the typo scan calls
  // this for thousands of vocabulary words per query word.
  if (rows[0].length <= m) for (let r = 0; r < 3; r++) rows[r] = new Int32Array(2 * (m + 1));
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = prev[j - 1] + (ai === bj ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  if (!prefix) return Math.min(prev[m], max + 1);
  let best = max + 1;
  for (let j = 0; j <= m; j++) if (prev[j] < best) best = prev[j];
  return best;
}
const rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * `editDistance(a, b, 1, prefix)` without the table: 0, 1, or 2 for more.
 * One edit is a substitution, an insertion, a deletion or a swap of two
 * neighbours; with `prefix`, to the closest prefix of `b`. The typo scan
 * calls this for every vocabulary word sharing a first letter with a query
 * word of 4 to 7 letters, so it is a straight comparison, not a table.
 */
export function withinOneEdit(a: string, b: string, prefix = false): number {
  const n = a.length;
  if (!prefix) return oneEdit(a, b, b.length);
  // The closest prefix is within one edit only if its length is within one of a's.
  let best = 2;
  for (let m = Math.max(0, n - 1); m <= Math.min(b.length, n + 1) && best > 0; m++) {
    const d = oneEdit(a, b, m);
    if (d < best) best = d;
  }
  return best;
}

/** Optimal-string-alignment distance between `a` and `b`'s first `m` units, when at most 1; 2 otherwise. */
function oneEdit(a: string, b: string, m: number): number {
  const n = a.length;
  if (n - m > 1 || m - n > 1) return 2;
  let i = 0;
  const short = n < m ? n : m;
  while (i < short && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n && i === m) return 0;
  // The rest must match after one edit at i.
  const rest = (ai: number, bi: number) => {
    if (n - ai !== m - bi) return false;
    for (; ai < n; ai++, bi++) if (a.charCodeAt(ai) !== b.charCodeAt(bi)) return false;
    return true;
  };
  if (n === m) {
    if (rest(i + 1, i + 1)) return 1;
    return i + 1 < n && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && rest(i + 2, i + 2) ? 1 : 2;
  }
  return n > m ? (rest(i + 1, i) ? 1 : 2) : rest(i, i + 1) ? 1 : 2;
}
