/**
 * `franc(value, { minLength })` of franc-min 6, computed the same way with less
 * work per call (issue #17, speed): the language whose trigram profile is
 * nearest the text's, among the languages of the script the text mostly uses.
 *
 * franc counts the text's trigrams in a plain object and then, for each of the
 * script's languages (44 for Latin), looks every trigram up in that language's
 * profile, another plain object: tens of thousands of property lookups by
 * freshly sliced strings per call (about 0.9 ms a call on the bench's samples;
 * the cleaner asks on pages its English test does not settle, the metadata
 * stage on pages the cleaner did not measure). Here the trigrams are counted in
 * a scratch hash table, and each distinct trigram is looked up once in a table
 * holding its rank in every language's profile at once (10-17x less per call).
 *
 * The same answer by construction, step by step as franc-min's index.js:
 *  - too short (or empty): "und";
 *  - the top script: franc's own expressions, counted as franc counts them
 *    (matches over the first 2,048 characters, the first script with the most);
 *    no match at all is "und", a script with one language is that language;
 *  - the text cleaned as trigram-utils does (punctuation, symbols and digits
 *    U+0021-U+0040 to spaces, whitespace runs to one space, trimmed, lower
 *    case), padded with a space at each end, cut into trigrams of code units;
 *  - a language's distance: over the distinct trigrams, |count - rank - 1| when
 *    the profile has it (its rank: the first place it appears in the profile, as
 *    franc's profile objects keep the last write of a descending loop), else
 *    300. franc sums the same integers in another order; integer sums are exact;
 *  - the nearest language, the first in the profile file's order among equals
 *    (franc's stable sort by distance, then its first entry).
 * test/trigram-language.test.ts checks it against franc itself.
 */
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

/** franc's longest sample and its penalty for a trigram a profile lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

/**
 * A trigram as one number: its three UTF-16 code units in base 65,536 (below 2^48, so exact in a
 * double). franc's trigrams are slices of three code units; a profile entry of another length
 * (none in franc-min 6) could never equal one, and is left out.
 */
function trigramKey(text: string, at: number): number {
  return (text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1)) * 65536 + text.charCodeAt(at + 2);
}

/** A slot for a trigram's three code units in an open-addressing table of `mask + 1` slots. */
function slotOf(text: string, at: number, mask: number): number {
  return (Math.imul(text.charCodeAt(at), 0x9e3779b1) ^ Math.imul(text.charCodeAt(at + 1), 0x85ebca6b) ^ Math.imul(text.charCodeAt(at + 2), 0xc2b2ae35)) & mask;
}

interface ScriptProfiles {
  languages: string[];
  /**
   * The profiles' trigrams as an open-addressing table (keys -1 where empty): a trigram's row,
   * entries start[row] .. start[row + 1] of `language` and `rank`.
   */
  keys: Float64Array;
  rows: Int32Array;
  start: Int32Array;
  /** The languages (index in `languages`) whose profile has the trigram, and its rank there. */
  language: Uint8Array;
  rank: Int16Array;
}

const profiles = new Map<string, ScriptProfiles>();

/** The profiles of one script's languages as one table, built the first time a text of that script is seen. */
function profilesOf(script: string): ScriptProfiles | undefined {
  let p = profiles.get(script);
  if (p) return p;
  const byLanguage = (data as Record<string, Record<string, string>>)[script];
  if (!byLanguage) return undefined;
  const languages = Object.keys(byLanguage);
  // Per trigram, its rank in each language (a trigram listed twice keeps its first, lowest rank, as
  // franc's descending loop leaves it), in language order.
  const entries = new Map<number, Array<[number, number]>>();
  languages.forEach((name, l) => {
    const model = byLanguage[name].split('|');
    const seen = new Set<string>();
    for (let weight = 0; weight < model.length; weight++) {
      const t = model[weight];
      if (t.length !== 3 || seen.has(t)) continue;
      seen.add(t);
      const key = trigramKey(t, 0);
      let list = entries.get(key);
      if (!list) entries.set(key, (list = []));
      list.push([l, weight]);
    }
  });
  let size = 1024;
  while (size < 2 * entries.size) size *= 2;
  const keys = new Float64Array(size).fill(-1);
  const rows = new Int32Array(size);
  const start = new Int32Array(entries.size + 1);
  let total = 0;
  for (const list of entries.values()) total += list.length;
  const language = new Uint8Array(total);
  const rank = new Int16Array(total);
  let row = 0;
  let at = 0;
  for (const [key, list] of entries) {
    const t = String.fromCharCode(Math.floor(key / 2 ** 32), Math.floor(key / 65536) % 65536, key % 65536);
    let slot = slotOf(t, 0, size - 1);
    while (keys[slot] !== -1) slot = (slot + 1) & (size - 1);
    keys[slot] = key;
    rows[slot] = row;
    start[row] = at;
    for (const [l, weight] of list) {
      language[at] = l;
      rank[at] = weight;
      at++;
    }
    row++;
  }
  start[row] = at;
  profiles.set(script, (p = { languages, keys, rows, start, language, rank }));
  return p;
}

const scriptNames = Object.keys(expressions);

/** The per-call trigram table: more slots than twice the most trigrams a sample can have (MAX_LENGTH + 2). */
const SCRATCH_SLOTS = 8192;
const seenKey = new Float64Array(SCRATCH_SLOTS);
const seenCount = new Int32Array(SCRATCH_SLOTS);
const seenStamp = new Int32Array(SCRATCH_SLOTS);
const seenAt = new Int32Array(SCRATCH_SLOTS);
const seenSlots = new Int32Array(SCRATCH_SLOTS);
let generation = 0;

/**
 * Which scripts' expressions match each code unit, as bits in script order (bit 30: worked out),
 * filled in as code units are first met. Every alternative of franc-min's expressions is a class
 * of code units outside the surrogate range, or a sequence starting with a high surrogate
 * (checked in test/trigram-language.test.ts): in text without surrogates every match is one code
 * unit that a class holds, so a script's match count is the number of such code units.
 */
const scriptBits = new Int32Array(65536);
const KNOWN = 1 << 30;
const singleUnit = scriptNames.map((name) => new RegExp(`^(?:${expressions[name].source})$`));

function bitsOf(c: number): number {
  let bits = scriptBits[c];
  if (bits === 0) {
    bits = KNOWN;
    const ch = String.fromCharCode(c);
    for (let s = 0; s < singleUnit.length; s++) if (singleUnit[s].test(ch)) bits |= 1 << s;
    scriptBits[c] = bits;
  }
  return bits & ~KNOWN;
}

const scriptCounts = new Int32Array(scriptNames.length);
/** One bit per script below KNOWN (franc-min 6 has 20 scripts); more would be counted by the expressions. */
const BITS_FIT = scriptNames.length < 30;

/** franc's top script: the first with the largest share of matches (value.match(expression)), and that share. */
function topScript(value: string): [string | undefined, number] {
  scriptCounts.fill(0);
  let surrogates = false;
  for (let i = 0; i < value.length && BITS_FIT; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      surrogates = true;
      break;
    }
    for (let bits = bitsOf(c), s = 0; bits !== 0; bits >>>= 1, s++) if (bits & 1) scriptCounts[s]++;
  }
  // Text with surrogates (emoji, astral scripts) is counted by the expressions themselves, as franc does.
  if (surrogates || !BITS_FIT) for (let s = 0; s < scriptNames.length; s++) scriptCounts[s] = value.match(expressions[scriptNames[s]])?.length ?? 0;
  let topCount = -1;
  let top: string | undefined;
  for (let s = 0; s < scriptNames.length; s++) {
    const count = scriptCounts[s] / value.length || 0;
    if (count > topCount) {
      topCount = count;
      top = scriptNames[s];
    }
  }
  return [top, topCount];
}

/** The language franc(value, { minLength }) names (ISO 639-3, or "und"). */
export function trigramLanguage(value: string, minLength = 10): string {
  if (!value || value.length < minLength) return 'und';
  const text = value.slice(0, MAX_LENGTH);
  const [script, share] = topScript(text);
  const p = script === undefined ? undefined : profilesOf(script);
  if (!p) return !script || share === 0 ? 'und' : script;
  const cleaned = ` ${text.replace(/[\u0021-\u0040]+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase()} `;
  // Each distinct trigram and its count, in a scratch table (a generation stamp marks this call's
  // slots, so it is never cleared), in the order first seen.
  const n = cleaned.length - 2;
  if (++generation === 0x7fffffff) {
    generation = 1;
    seenStamp.fill(0);
  }
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const key = trigramKey(cleaned, i);
    let slot = slotOf(cleaned, i, SCRATCH_SLOTS - 1);
    while (seenStamp[slot] === generation && seenKey[slot] !== key) slot = (slot + 1) & (SCRATCH_SLOTS - 1);
    if (seenStamp[slot] === generation) seenCount[slot]++;
    else {
      seenStamp[slot] = generation;
      seenKey[slot] = key;
      seenCount[slot] = 1;
      seenSlots[distinct++] = slot;
      seenAt[slot] = i;
    }
  }
  // franc's distance to a language sums, over the distinct trigrams, |count - rank - 1| where the
  // profile has the trigram and 300 where it does not. Written as 300 per trigram any profile has
  // (the same for every language; one no profile has adds 300 to every language alike) less the
  // `score` of the trigrams this language's profile has, 300 - |count - rank - 1|: the nearest
  // language is the one with the highest score, and only the profiles holding a trigram are read.
  const score = new Int32Array(p.languages.length);
  const mask = p.keys.length - 1;
  for (let k = 0; k < distinct; k++) {
    const s = seenSlots[k];
    const key = seenKey[s];
    const count = seenCount[s];
    let slot = slotOf(cleaned, seenAt[s], mask);
    while (p.keys[slot] !== -1 && p.keys[slot] !== key) slot = (slot + 1) & mask;
    if (p.keys[slot] === -1) continue;
    const row = p.rows[slot];
    for (let e = p.start[row]; e < p.start[row + 1]; e++) score[p.language[e]] += MAX_DIFFERENCE - Math.abs(count - p.rank[e] - 1);
  }
  // The first language with the highest score (franc's stable sort by distance, then its first entry).
  let best = 0;
  for (let l = 1; l < score.length; l++) if (score[l] > score[best]) best = l;
  return p.languages[best];
}
