/**
 * Cheap pre-filters for the line rules' regexes, derived mechanically from each
 * regex's source (never a phrase list): the literal strings of which a matching
 * text must contain at least one. "\b(?:we use cookies|accept (?:all )?cookies)\b"
 * can only match a line containing "we use cookies" or "accept "; a line with
 * neither skips the regex. Most lines of a page match no rule, and a substring
 * search costs far less than running a long case-insensitive alternation (the
 * rules are tried on every short line: issue #17's speed target).
 *
 * The filter is a necessary condition only, so cleaning is unchanged: whatever
 * the derivation cannot read (a construct it does not know, a character class,
 * a back-reference) it treats as "no requirement", and a regex with no
 * requirement left is always run. Case-insensitive regexes compare lower-cased
 * ASCII literals with the lower-cased text (outside the `u` flag, no non-ASCII
 * character matches an ASCII one case-insensitively; with it, U+017F and U+212A
 * do, so a text holding either is always run); a non-ASCII literal there stands
 * for "the text has some non-ASCII character". Regexes with the `g` or `y` flag
 * keep state between calls and are never filtered.
 */

/** Requirement: the text contains one of these strings (NON_ASCII: any non-ASCII character); null: none known. */
type Req = string[] | null;

/** Stands for "some non-ASCII character" in a requirement. */
const NON_ASCII = '\u0000non-ascii';

/** A compiled filter: `pass(text, lower)` is false only when the regex cannot match. */
export interface Prefilter {
  /** The literals, lower-cased when the regex ignores case. */
  literals: string[];
  /** One regex for "any of the literals" (with `i` when the regex ignores case: ASCII literals only there). */
  any: RegExp;
  ignoreCase: boolean;
  /** The requirement includes "some non-ASCII character". */
  nonAscii: boolean;
  /** The `u` flag with `i`: U+017F and U+212A fold to ASCII letters. */
  unicodeFold: boolean;
}

const ANY_NON_ASCII = /[^\x00-\x7f]/;
const FOLDS_TO_ASCII = /[\u017f\u212a]/;

/** Whether `text` may match the filter's regex. */
export function mayMatch(f: Prefilter, text: string): boolean {
  if (f.any.test(text)) return true;
  if (f.nonAscii || f.unicodeFold) {
    if (f.nonAscii && ANY_NON_ASCII.test(text)) return true;
    if (f.unicodeFold && FOLDS_TO_ASCII.test(text)) return true;
  }
  return false;
}

/** Filters with more literals than this are not used (see derive). */
const MAX_LITERALS = 12;
/** Nor with a literal shorter than this: it is in too many lines to filter any out. */
const MIN_LITERAL_CHARS = 4;

const cache = new WeakMap<RegExp, Prefilter | null>();

/** The regex's pre-filter, or null when none can be derived (then always run the regex). */
export function prefilterOf(re: RegExp): Prefilter | null {
  let f = cache.get(re);
  if (f === undefined) {
    f = derive(re);
    cache.set(re, f);
  }
  return f;
}

function derive(re: RegExp): Prefilter | null {
  if (re.global || re.sticky || re.unicodeSets) return null;
  let req: Req;
  const reader = new Reader(re.source, re.ignoreCase, re.unicode);
  try {
    req = reader.alternation();
  } catch {
    return null;
  }
  if (!req || req.length === 0) return null;
  // A regex anchored at the start fails at once on most lines: a filter scanning the whole line costs more.
  if (reader.anchored) return null;
  const literals = [...new Set(req.filter((s) => s !== NON_ASCII))];
  // Many or short literals scan slower than the regex itself (measured per rule on the bench mix:
  // 10 literals of 5+ characters run the cookie rule 3x faster, 17 or a 2-character one slower).
  if (literals.length > MAX_LITERALS || literals.some((s) => s.length < MIN_LITERAL_CHARS)) return null;
  // Literals are code units matched as they are (no `u` flag needed); ignoring case, they are ASCII.
  const any = new RegExp(literals.map((l) => l.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), re.ignoreCase ? 'i' : '');
  return { literals, any, ignoreCase: re.ignoreCase, nonAscii: req.includes(NON_ASCII), unicodeFold: re.ignoreCase && re.unicode };
}

/** How selective a requirement is: its shortest literal (NON_ASCII counts as one character). */
function strength(r: Req): number {
  if (!r) return -1;
  let min = Infinity;
  for (const s of r) min = Math.min(min, s === NON_ASCII ? 1 : s.length);
  // Fewer alternatives break ties.
  return min - r.length / 1000;
}

class UnknownSyntax extends Error {}

/** A recursive reader of a regex source, returning what every match must contain. */
class Reader {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
    private readonly unicode: boolean,
  ) {}

  /** Every top-level branch starts with "^" (set by alternation at depth 0). */
  anchored = false;
  private depth = 0;

  /** branch ('|' branch)*: a match contains one branch's requirement. */
  alternation(): Req {
    const top = this.depth++ === 0;
    let anchored = true;
    const branch = () => {
      anchored &&= this.src[this.i] === '^';
      return this.sequence();
    };
    const branches: Req[] = [branch()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(branch());
    }
    this.depth--;
    if (top) this.anchored = anchored;
    if (branches.some((b) => b === null)) return null;
    return branches.flat() as string[];
  }

  /** A run of atoms: adjacent literal characters join into one string; the most selective requirement stands for the run. */
  private sequence(): Req {
    let best: Req = null;
    let run = '';
    const consider = (r: Req) => {
      if (strength(r) > strength(best)) best = r;
    };
    const endRun = () => {
      if (run) consider([run]);
      run = '';
    };
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      const q = this.quantifier();
      if (atom.zeroWidth) {
        // An assertion consumes nothing: literals either side are still adjacent in the text.
        if (q && q.min === 0) continue;
        continue;
      }
      if (q) {
        endRun();
        if (q.min >= 1) consider(atom.lit !== null ? [atom.lit] : atom.req);
        continue;
      }
      if (atom.lit !== null) run += atom.lit;
      else {
        endRun();
        consider(atom.req);
      }
    }
    endRun();
    return best;
  }

  private quantifier(): { min: number } | null {
    const c = this.src[this.i];
    let min: number;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) {
        if (this.unicode) throw new UnknownSyntax();
        return null;
      }
      this.i += m[0].length - 1;
      min = Number(m[1]);
    } else return null;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    return { min };
  }

  /**
   * One atom: a literal character (`lit`, folded for case-insensitive regexes;
   * null when it is not one), or a group with its requirement, or a zero-width assertion.
   */
  private atom(): { lit: string | null; req: Req; zeroWidth?: boolean } {
    const s = this.src;
    const c = s[this.i];
    if (c === '^' || c === '$') {
      this.i++;
      return { lit: null, req: null, zeroWidth: true };
    }
    if (c === '.') {
      this.i++;
      return { lit: null, req: null };
    }
    if (c === '[') {
      this.skipClass();
      return { lit: null, req: null };
    }
    if (c === '(') {
      this.i++;
      let lookaround = false;
      if (s[this.i] === '?') {
        if (s.startsWith('?:', this.i)) this.i += 2;
        else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) {
          this.i += 2;
          lookaround = true;
        } else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) {
          this.i += 3;
          lookaround = true;
        } else if (s[this.i + 1] === '<') {
          const end = s.indexOf('>', this.i);
          if (end < 0) throw new UnknownSyntax();
          this.i = end + 1;
        } else throw new UnknownSyntax();
      }
      const inner = this.alternation();
      if (s[this.i] !== ')') throw new UnknownSyntax();
      this.i++;
      return lookaround ? { lit: null, req: null, zeroWidth: true } : { lit: null, req: inner };
    }
    if (c === '\\') {
      const e = s[this.i + 1];
      if (e === undefined) throw new UnknownSyntax();
      if (e === 'b' || e === 'B') {
        this.i += 2;
        return { lit: null, req: null, zeroWidth: true };
      }
      // Punctuation escaped for itself ("\.", "\/", "\-"); any other escape is a class or a code: no literal.
      if (/[\^$\\.*+?()[\]{}|/\-]/.test(e)) {
        this.i += 2;
        return this.literal(e);
      }
      if ((e === 'p' || e === 'P') && s[this.i + 2] === '{') {
        const end = s.indexOf('}', this.i);
        if (end < 0) throw new UnknownSyntax();
        this.i = end + 1;
        return { lit: null, req: null };
      }
      if (e === 'u' || e === 'x' || e === 'c' || e === 'k' || /\d/.test(e)) throw new UnknownSyntax();
      this.i += 2;
      return { lit: null, req: null };
    }
    if (c === '*' || c === '+' || c === '?' || c === ')' || c === '|') throw new UnknownSyntax();
    // One code point (a surrogate pair is two code units of one character).
    const cp = s.codePointAt(this.i)!;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return this.literal(ch);
  }

  private literal(ch: string): { lit: string | null; req: Req } {
    if (!this.ignoreCase) return { lit: ch, req: [ch] };
    if (ch.charCodeAt(0) < 0x80) {
      // With the `u` flag, "k" and "s" also match U+212A and U+017F (mayMatch runs the regex for those).
      return { lit: ch.toLowerCase(), req: [ch.toLowerCase()] };
    }
    // A non-ASCII character ignoring case matches only non-ASCII characters.
    return { lit: null, req: [NON_ASCII] };
  }

  /** Past a character class "[...]". */
  private skipClass(): void {
    const s = this.src;
    this.i++;
    if (s[this.i] === '^') this.i++;
    // In JavaScript "]" right after "[" closes the class ("[]", "[^]"); a "[" inside is itself (no `v` flag).
    while (this.i < s.length && s[this.i] !== ']') {
      if (s[this.i] === '\\') this.i += 2;
      else this.i++;
    }
    if (s[this.i] !== ']') throw new UnknownSyntax();
    this.i++;
  }
}
