/**
 * Dictionary keys: which keys a vocabulary word is filed under (build time)
 * and which keys a query word looks up (the searcher), so that one download of
 * a few small buckets finds the word itself, its completions and its typos.
 *
 * A word of three or more letters is filed under
 *  - its first three letters (`KEY_LENGTH`): every completion of a typed
 *    prefix of 3+ letters, and every typo after the third letter, is under the
 *    prefix's own key;
 *  - the first three letters of the word with its 1st, 2nd or 3rd letter
 *    deleted: a query word within one edit of the word in its first letters
 *    (a substitution, insertion, deletion or swap there) has one of these
 *    "deletion keys" in common with it (the symmetric-deletion idea of
 *    SymSpell, applied to the key only);
 *  - its two-letter prefix, if it is one of the `SHORT_COMPLETIONS` most
 *    frequent words starting with those letters (a reader who has typed two
 *    letters sees the likeliest words, not all of them).
 * A word of one or two letters is filed under itself.
 *
 * So a query word needs at most four buckets (fewer when keys share one):
 * its own key and its three deletion keys. What is not found: two edits both
 * within the first three letters, and a first letter changed other than by a
 * swap with the second or an inserted letter before it (the searcher's rule:
 * a typo keeps the first letter).
 */

export const KEY_LENGTH = 3;
/** Completions listed under a two-letter prefix, most frequent first. */
export const SHORT_COMPLETIONS = 8;

const key = (s: string): string => s.slice(0, KEY_LENGTH);
const deleted = (s: string, i: number): string => s.slice(0, i) + s.slice(i + 1);

/** The keys a vocabulary word is filed under, apart from its two-letter prefix (see `SHORT_COMPLETIONS`). */
export function wordKeys(word: string): string[] {
  if (word.length < KEY_LENGTH) return [word];
  const keys = new Set([key(word)]);
  // Deletion keys only for words of 4+ letters: a 3-letter word is within one
  // edit of a 4-letter query only as the query with a letter deleted, which is
  // the query's own deletion key and this word's own key.
  if (word.length > KEY_LENGTH) for (let i = 0; i < KEY_LENGTH; i++) keys.add(key(deleted(word, i)));
  return [...keys];
}

/** The two-letter prefix a word is a candidate completion for, or null. */
export const shortPrefix = (word: string): string | null => (word.length > 2 ? word.slice(0, 2) : null);

/**
 * The keys a query word looks up: its own key (or, for a word being typed of
 * two letters, the two letters), and for a word long enough to be a typo
 * (`typos`), its deletion keys.
 */
export function lookupKeys(word: string, typos: boolean): string[] {
  const keys = new Set([word.length < KEY_LENGTH ? word : key(word)]);
  if (typos && word.length > KEY_LENGTH) for (let i = 0; i < KEY_LENGTH; i++) keys.add(key(deleted(word, i)));
  return [...keys];
}
