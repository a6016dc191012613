/**
 * compromise's lexicon (lower-case word -> tags), which digest-entities.ts
 * types names with, as the digest sees it: a table handed in by whoever runs
 * the stages. Pure: where the table comes from is the caller's business. The
 * build edges (src/lib/build/ingest-fs.ts, the worker threads) and the test
 * setup hand in compromise's own table read through its cache
 * (src/lib/store/lexicon-fs.ts, `compromiseLexicon`); any table with the same
 * entries gives the same digests.
 *
 * A provider rather than the table itself: the table (600 KB) is read only
 * when a story is first digested, so a run that digests nothing never loads it.
 */

/** Lower-case word -> one tag or several (compromise's `model().one.lexicon`). */
export type Lexicon = Record<string, string | string[]>;

let provider: (() => Lexicon) | null = null;
let table: Lexicon | null = null;

/** Sets where the lexicon comes from; read on first use. Setting the same provider again keeps the table read. */
export function setLexiconProvider(next: () => Lexicon): void {
  if (next === provider) return;
  provider = next;
  table = null;
}

/** The tags of `word` (any case); [] for a word the lexicon does not know. */
export function lexiconTags(word: string): string[] {
  if (!table) {
    if (!provider) {
      throw new Error(
        'no lexicon for the digest: call setLexiconProvider(compromiseLexicon) first ' +
          '(setLexiconProvider from src/lib/ingest/index.ts, compromiseLexicon from src/lib/store/index.ts)',
      );
    }
    table = provider();
  }
  const tags = table[word.toLowerCase()];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}
