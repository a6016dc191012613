/**
 * Each article's search keyword counts (`bodyTermStats`, src/lib/search/build.ts),
 * kept between builds so a drop-in's search index tokenises only the bodies
 * that changed: tokenising all 10,000 bodies (and reading them) was most of the
 * index's cost, on the critical path of a partial build.
 *
 * An entry is keyed by article id and holds the SHA-256 of the article's
 * content file with the counts: a file whose hash differs is read again. The
 * store is keyed by the code that makes the counts too (a change to the
 * tokeniser starts it afresh). A store (log-store.ts, layout.ts
 * `searchTerms`), like the other per-article caches: key the article id, hash
 * its content file's SHA-256, text the packed counts.
 */
import { articleBody } from '../site/site-index.ts';
import { bodyTermStats, packTermStats, unpackTermStats, type TermStat } from '../search/build.ts';
import { sourceFingerprint } from './fingerprint.ts';
import { statePath } from './layout.ts';
import { openStore } from './log-store.ts';

export const searchTermsPath = (content: string) => statePath(content, 'searchTerms');

/** The code the counts come from: the tokeniser, the index builder, the body split. */
const TERMS_CODE = ['src/lib/search/text.ts', 'src/lib/search/build.ts', 'src/lib/site/site-index.ts'];

/**
 * The keyword counts of every article, from the store where its file is
 * unchanged, else from its body (and stored); the store is saved. `computed`
 * counts the bodies read. With `keep` false only the store is brought up to
 * date (a full build, whose astro child makes the index itself, fills it for
 * the next drop-in) and nothing is held in memory.
 */
export async function searchTerms(
  content: string,
  articles: Array<{ id: string; hash: string; readonly text: string }>,
  keep = true,
): Promise<{ statsOf: (id: string) => TermStat; computed: number }> {
  const store = openStore(content, 'searchTerms', sourceFingerprint(TERMS_CODE));
  const stats = new Map<string, TermStat>();
  let computed = 0;
  for (const a of articles) {
    const stored = store.get(a.id, a.hash);
    if (stored !== undefined) {
      if (keep) stats.set(a.id, unpackTermStats(stored));
      continue;
    }
    const stat = bodyTermStats(articleBody(a.text));
    computed++;
    if (keep) stats.set(a.id, stat);
    store.put(a.id, packTermStats(stat), { hash: a.hash });
  }
  // Articles gone are dropped from the store here.
  if (store.changed) await store.save();
  return { statsOf: (id) => stats.get(id) ?? { tf: new Map(), caps: new Map() }, computed };
}
