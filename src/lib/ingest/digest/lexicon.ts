/**
 * compromise's lexicon (lower-case word -> tags), which digest-entities.ts
 * types names with. Pure: the table is handed in with the other libraries
 * (../libraries.ts); the build edges, the scripts and the test setup hand in
 * compromise's own table read through its cache (src/lib/store/lexicon-fs.ts).
 * The table (600 KB) is read only when a story is first digested, so a run
 * that digests nothing never loads it.
 */
import { library } from '../libraries.ts';

/** The tags of `word` (any case); [] for a word the lexicon does not know. */
export function lexiconTags(word: string): string[] {
  const tags = library('lexicon')[word.toLowerCase()];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}
