/**
 * Cache of what clustering reads of each article (`ClusterDoc`,
 * ingest/stories/cluster-docs.ts), across builds (layout.ts `docCache`).
 *
 * Reading the words of every body (folding, stemming, entities, the copy
 * sketch) is most of the cluster stage's cost, and it depends only on the
 * article's title and body text and on the options and code (the pipeline
 * fingerprint). So a drop-in reads the words of the new article only; the
 * grouping itself still runs over every article, exactly as in a fresh build
 * (test/doc-cache.test.ts checks the two give the same stories).
 */
import type { Article, ClusterDoc, ClusterDocOf } from '../ingest/index.ts';
import { sha256 } from './fingerprint.ts';
import type { Store } from './log-store.ts';

/** A `ClusterDoc` as stored: terms space-separated (a term never holds a space), the sketch as base64. */
export interface StoredDoc {
  t: string;
  f: number[];
  e: Array<[string, string]>;
  s: string;
}

/** Everything a `ClusterDoc` reads of an article, hashed: the entry's key. */
export function docKey(article: Article): string {
  return sha256(JSON.stringify([article.title, article.body.map((b) => b.text)]));
}

export function storeDoc(doc: ClusterDoc): StoredDoc {
  return { t: doc.terms.join(' '), f: doc.tf, e: doc.entities, s: sketchText(doc.sketch) };
}

export function loadDoc(stored: StoredDoc): ClusterDoc {
  return { terms: stored.t ? stored.t.split(' ') : [], tf: stored.f, entities: stored.e, sketch: sketchOfText(stored.s) };
}

/** A copy sketch as text (base64 of its bytes): how the doc cache and the grouping's month parts keep it. */
export function sketchText(sketch: Uint32Array): string {
  return Buffer.from(sketch.buffer, sketch.byteOffset, sketch.byteLength).toString('base64');
}

export function sketchOfText(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copied into a fresh, aligned buffer: a decoded Buffer may sit at any offset of a shared pool.
  const sketch = new Uint32Array(bytes.length >>> 2);
  new Uint8Array(sketch.buffer).set(bytes.subarray(0, sketch.length * 4));
  return sketch;
}

/**
 * Wraps a `ClusterDocOf` with the cache, a store whose entries are
 * `StoredDoc` JSON under `docKey`, parsed on use. Entries not asked for this
 * run are dropped when the store is saved.
 */
export function withStoredDocs(store: Store, docOf: ClusterDocOf): { docOf: ClusterDocOf; stats: { hits: number; misses: number }; finish: () => boolean } {
  const stats = { hits: 0, misses: 0 };
  const run: ClusterDocOf = (article) => {
    const key = docKey(article);
    const hit = store.get(key);
    if (hit !== undefined) {
      stats.hits++;
      return loadDoc(JSON.parse(hit) as StoredDoc);
    }
    stats.misses++;
    const doc = docOf(article);
    store.put(key, JSON.stringify(storeDoc(doc)));
    return doc;
  };
  return { docOf: run, stats, finish: () => store.changed };
}
