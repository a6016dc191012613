/**
 * Named-entity candidates for grouping: people, places, organisations, found as
 * capitalised phrases ("Joe Biden", "Supreme Court", "Kabul").
 *
 * Why not `compromise` (a dependency already)? Measured on BASIL (186 full
 * articles, 122k words): 51 ms per article for people()/places()/organizations()
 * over the whole text, 9 ms over a 600-character lead. 10,000 articles would take
 * 90 s even on leads, against a 5 s budget for the whole grouping. The grouping
 * only needs a good overlap signal, not typed entities, so this extractor takes
 * runs of capitalised words that are not sentence starts, minus function words:
 * about 1 ms per 100 articles. Typed entities for display are another stage's job.
 */
import { foldForCompare } from '../../text.ts';

/** Capitalised words that start phrases without naming anything. */
const NOT_NAMES = new Set(
  (
    'a an the this that these those there here it its he she they we i you his her their our my your ' +
    'and or but if when while after before as at by for from in into of on to with without over under ' +
    'mr mrs ms dr sen rep gov gen pres president senator representative governor secretary minister judge justice chief ' +
    'monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow ' +
    'january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'according also however meanwhile still yet so but more most some many no not one two three new ' +
    'read related watch click photo video image advertisement'
  ).split(' '),
);

/** Lower-case joiners allowed inside a name: "Bank of America", "Osama bin Laden". */
const JOINERS = new Set(['of', 'de', 'la', 'du', 'van', 'von', 'bin', 'al', 'el']);

export interface Entity {
  /** Folded form, for matching. */
  key: string;
  /** As first written, for explanations. */
  name: string;
}

/**
 * Entities of a text, each once, in order of first appearance. `titleCase`
 * texts (headlines in Title Case) give no signal from capitals, so only
 * multi-word runs are taken from them.
 *
 * One pass over whitespace-separated words (no per-sentence regex): this runs
 * on every article's lead, so it is kept cheap.
 */
export function extractEntities(text: string, titleCase = false): Entity[] {
  const out = new Map<string, string>();
  const words = text.split(/\s+/);
  let run: string[] = [];
  let runAtStart = false;
  let sentenceStart = true;
  const flush = () => {
    while (run.length && JOINERS.has(run[run.length - 1])) run.pop();
    // Drop leading function words ("The White House" -> "White House").
    while (run.length && NOT_NAMES.has(run[0].toLowerCase())) run.shift();
    // A lone capitalised word at a sentence start is just a sentence start.
    if (run.length > 1 || (run.length === 1 && !runAtStart && !titleCase)) {
      const name = run.join(' ');
      // ASCII names fold cheaply; others go through the full fold (accents, quotes).
      const key = /^[\x20-\x7e]*$/.test(name) ? name.toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim() : foldForCompare(name);
      if (key.length > 2 && !NOT_NAMES.has(key) && !out.has(key)) out.set(key, name);
    }
    run = [];
  };
  for (let i = 0; i < words.length; i++) {
    const raw = words[i];
    let a = 0;
    let b = raw.length;
    while (a < b && !isWordChar(raw.charCodeAt(a))) a++;
    while (b > a && !isWordChar(raw.charCodeAt(b - 1))) b--;
    const word = raw.slice(a, b);
    const trail = raw.slice(b);
    const atStart = sentenceStart || a > 0 && /[(\[]/.test(raw.slice(0, a));
    sentenceStart = /[.!?…]/.test(trail) || raw === '';
    if (!word) {
      if (run.length) flush();
      continue;
    }
    if (isCapitalised(word)) {
      if (run.length === 0) runAtStart = atStart;
      run.push(word);
    } else if (run.length && JOINERS.has(word) && i + 1 < words.length && isCapitalised(words[i + 1].replace(/^\W+/, ''))) {
      run.push(word);
    } else if (run.length) flush();
    // Punctuation after a word ends a name: "Paris, France" is two.
    if (trail && run.length) flush();
  }
  if (run.length) flush();
  return [...out].map(([key, name]) => ({ key, name }));
}

function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
}

function isCapitalised(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return /^\p{Lu}/u.test(word);
}
