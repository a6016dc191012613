/**
 * A fixed word list (a stop list, the block model's boilerplate lexicon) as an
 * open-addressing table of FNV-1a hashes: a scan hashes each token while it
 * reads it and finds it here without making a string of it (a slice per token
 * was most of the scans' cost). Built once per list; the scans in classify.ts
 * and block-features.ts probe it with their own tokenisers.
 */

/** FNV-1a's 32-bit offset basis (2166136261) as a signed 32-bit integer. */
export const FNV_SEED = -2128831035;
/** FNV-1a's 32-bit prime: hash = Math.imul(hash ^ charCode, FNV_PRIME). */
export const FNV_PRIME = 16777619;

export interface WordTable {
  /** Index in `words` + 1 per slot; 0 is an empty slot. The length is a power of two. */
  slots: Int32Array;
  words: string[];
  /** FNV-1a hash of each word, by index in `words`. */
  hashes: Int32Array;
  /** The longest word's length: a longer token is never looked up. */
  longest: number;
}

/** The table of `words` (lowercase), at most a quarter full so probes stay short. */
export function wordTable(words: string[]): WordTable {
  let size = 16;
  while (size < words.length * 4) size *= 2;
  const slots = new Int32Array(size);
  const hashes = new Int32Array(words.length);
  let longest = 0;
  words.forEach((w, i) => {
    let h = FNV_SEED;
    for (let k = 0; k < w.length; k++) h = Math.imul(h ^ w.charCodeAt(k), FNV_PRIME);
    hashes[i] = h;
    longest = Math.max(longest, w.length);
    let slot = h & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = i + 1;
  });
  return { slots, words, hashes, longest };
}
