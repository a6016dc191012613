/**
 * What clustering reads of one article (`ClusterDoc`): its distinct terms
 * with their frequencies, its named entities and its copy sketch. The first
 * half of the cluster stage, and most of its cost; it depends only on the
 * article and the options, so the build keeps it between runs
 * (store/doc-cache.ts) and a drop-in reads the words of new articles only.
 * The grouping itself is group.ts (dated.ts, undated.ts), the vectors it scores, score.ts.
 */
import { eng as englishStopwords } from 'stopword';
import type { Article } from '../types.ts';
import { capitalisedRatio, foldPlural as stem, pushFoldedWords, tokens } from '../../text.ts';
import { defaultClusterOptions, type ClusterOptions } from './cluster-options.ts';
import { extractEntities } from './entities.ts';
import { shingleSketch } from './copies.ts';

// `stopword`'s English list (already a dependency) plus newsroom filler words.
const STOP = new Set([
  ...englishStopwords,
  ...'said says say told tells according also would could new one two year years day days week time people just like get got make made'.split(' '),
  ...'monday tuesday wednesday thursday friday saturday sunday mr mrs ms'.split(' '),
]);

/**
 * What clustering reads of one article: its distinct terms with their
 * frequencies, its named entities and its copy sketch. It depends only on the
 * article and the options, so a caller may cache it across builds (the build
 * does, keyed by the article's text: store/doc-cache.ts): reading the words of 10,000 bodies is most
 * of what clustering costs, and a drop-in changes one of them.
 */
export interface ClusterDoc {
  /** Distinct terms (folded, plural-folded, no stop words): the title's first, then the body's, each at its first occurrence. */
  terms: string[];
  /** Frequency of each term: one per body occurrence (within `maxBodyWords` terms), `titleWeight` per title occurrence. */
  tf: number[];
  /** Entities of the title, then of the lead, first occurrence: [key, name as written]. */
  entities: Array<[key: string, name: string]>;
  /** Sampled shingle hashes of the body, for copy detection (copies.ts). */
  sketch: Uint32Array;
}

export type ClusterDocOf = (article: Article) => ClusterDoc;

/**
 * A `ClusterDocOf` for these options. It keeps a memo of folded word -> term,
 * so stemming and stop lists run once per distinct word across every article it sees.
 */
export function clusterDocs(options: Partial<ClusterOptions> = {}): ClusterDocOf {
  const opts: ClusterOptions = { ...defaultClusterOptions, ...options };
  const termOf = new Map<string, string | null>();
  const term = (word: string): string | null => {
    let t = termOf.get(word);
    if (t === undefined) {
      const stemmed = stem(word);
      t = word.length > 1 && stemmed.length > 1 && !STOP.has(stemmed) && !STOP.has(word) ? stemmed : null;
      termOf.set(word, t);
    }
    return t;
  };
  return (a) => {
    // Each body is folded once: its words feed the term list and the copy sketch.
    const words: string[] = [];
    for (const b of a.body) pushFoldedWords(b.text, words);
    const sketch = shingleSketch(a, opts, words);
    const body: string[] = [];
    for (const w of words) {
      const t = term(w);
      if (t !== null && body.push(t) >= opts.maxBodyWords) break;
    }
    const tf = new Map<string, number>();
    for (const t of tokens(a.title)) {
      const id = term(t);
      if (id !== null) tf.set(id, (tf.get(id) ?? 0) + opts.titleWeight);
    }
    for (const t of body) tf.set(t, (tf.get(t) ?? 0) + 1);
    // Title Case headlines carry no capitalisation signal; sentence-case ones do.
    const entities = new Map<string, string>();
    for (const e of [...extractEntities(a.title, capitalisedRatio(a.title) > 0.6), ...extractEntities(leadText(a, opts.entityLeadWords))]) {
      if (!entities.has(e.key)) entities.set(e.key, e.name);
    }
    return { terms: [...tf.keys()], tf: [...tf.values()], entities: [...entities], sketch };
  };
}

/** The first paragraphs of the body, about `words` words: names that matter are in the lead. */
function leadText(a: Article, words: number): string {
  const out: string[] = [];
  let count = 0;
  for (const b of a.body) {
    if (count >= words) break;
    out.push(b.text);
    count++;
    for (let at = b.text.indexOf(' '); at >= 0; at = b.text.indexOf(' ', at + 1)) count++;
  }
  return out.join('\n');
}
