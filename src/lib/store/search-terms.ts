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
import {
  bodyTermStats,
  byArticleId,
  loneArticleRecord,
  packTermStats,
  stableIdf,
  storyRecord,
  unpackTermStats,
  type SearchArticleInput,
  type SearchStoryInput,
  type StoryRecord,
  type TermStat,
} from '../search/build.ts';
import { sha256, sourceFingerprint } from './fingerprint.ts';
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

/** The code the records come from: the counts' code, the record maker, this module. */
const RECORDS_CODE = [...TERMS_CODE, 'src/lib/store/search-terms.ts'];
/** searchDf keys that are not words (a word is letters, marks and digits: no space). */
const DF_TOKEN = ' agrees-with';
const DF_ARTICLES = ' articles';

/** The words of packed counts (packTermStats): every third field. */
function packedTerms(packed: string): string[] {
  const parts = packed ? packed.split(' ') : [];
  const out: string[] = [];
  for (let i = 0; i + 2 < parts.length; i += 3) out.push(parts[i]);
  return out;
}

/** True when packed counts hold `term` as a word (a count equal to it only costs a record made again). */
const holds = (packed: string, term: string): boolean => packed.startsWith(`${term} `) || packed.includes(` ${term} `);

/** The power of two the idf rounds the article count up to (stableIdf): a change re-weighs every word. */
const articleScale = (n: number) => Math.ceil(Math.log2(Math.max(2, n)));

export interface RecordsRun {
  /** Every record, as buildSearchRecords makes them from the same input and bodies. */
  records: StoryRecord[];
  /** Bodies tokenised (new or changed articles). */
  computed: number;
  /** Story records made (the rest came from the store). */
  made: number;
  /** Why every record was made, if they were: no agreeing state, or the archive doubled. */
  full: string | null;
}

/**
 * The search records of the whole site, as buildSearchRecords makes them, from
 * what the last build kept, so a drop-in costs what it changed:
 *  - keyword counts per article (searchTerms): only new or changed bodies are read;
 *  - the number of articles carrying each word (searchDf), updated by the
 *    words of the articles that came, changed or went;
 *  - each story's record (searchRecords), under a hash of its own inputs
 *    (its fields, its articles' file hashes and fields, the archive's scale),
 *    made again when that hash changed or when one of its articles holds a
 *    word whose weight (stableIdf's octave of its count) changed.
 * A record is a pure function of those inputs and weights, so the result is
 * the cold build's. The counts agree with the two other stores only if both
 * files are exactly what they were when the counts were saved (their stamps,
 * kept in searchDf and saved last); else, or after a crash between the saves,
 * every count and record is made again.
 */
export async function searchRecords(
  content: string,
  input: { stories: SearchStoryInput[]; articles: Array<Omit<SearchArticleInput, 'body' | 'terms'>> },
  texts: Array<{ id: string; hash: string; readonly text: string }>,
): Promise<RecordsRun> {
  const code = sourceFingerprint(RECORDS_CODE);
  // Retained: an unchanged article's counts are read only if a record needs them (below); the
  // articles gone are deleted by hand.
  const terms = openStore(content, 'searchTerms', sourceFingerprint(TERMS_CODE), { retain: true });
  const kept = openStore(content, 'searchRecords', code);
  const dfs = openStore(content, 'searchDf', code, { retain: true });
  const agrees = terms.fromFile && kept.fromFile && dfs.fromFile && dfs.get(DF_TOKEN) === `${terms.stamp()}|${kept.stamp()}`;
  const n = input.articles.length;
  const scaleChanged = agrees && articleScale(Number(dfs.get(DF_ARTICLES) ?? 0)) !== articleScale(n);

  // 1. The words whose article count changed, by how much: from the counts of the new or changed
  // articles (made now) and of those changed or gone (as stored). An unchanged article's counts stay
  // in the store until a record needs them (`countsOf`): a drop-in reads a few of 100,000.
  const packed = new Map<string, string>();
  const byId = new Map(texts.map((a) => [a.id, a]));
  const delta = new Map<string, number>();
  const count = (text: string, by: number) => {
    for (const t of packedTerms(text)) delta.set(t, (delta.get(t) ?? 0) + by);
  };
  let computed = 0;
  const make = (a: (typeof texts)[number]): string => {
    const text = packTermStats(bodyTermStats(articleBody(a.text)));
    computed++;
    terms.put(a.id, text, { hash: a.hash });
    packed.set(a.id, text);
    return text;
  };
  for (const a of texts) {
    if (terms.hashOf(a.id) === a.hash) continue;
    const before = terms.get(a.id);
    if (before !== undefined) count(before.slice(before.indexOf('\t') + 1), -1);
    count(make(a), 1);
  }
  // Articles gone: their words lose them.
  for (const id of [...terms.keys()].filter((key) => !byId.has(key))) {
    const before = terms.get(id);
    if (before !== undefined) count(before.slice(before.indexOf('\t') + 1), -1);
    terms.delete(id);
  }
  /** An article's packed counts: made this run, else stored (an entry that cannot be read is made again). */
  const countsOf = (id: string): string | undefined => {
    const known = packed.get(id);
    if (known !== undefined) return known;
    const a = byId.get(id);
    if (!a) return undefined;
    const stored = terms.get(id, a.hash);
    if (stored === undefined) return make(a);
    packed.set(id, stored);
    return stored;
  };

  // 2. The article count of every word: updated, or counted afresh.
  let df: (term: string) => number;
  const reweighed = new Set<string>();
  if (agrees) {
    const memo = new Map<string, number>();
    df = (t) => {
      let v = memo.get(t);
      if (v === undefined) memo.set(t, (v = Number(dfs.get(t) ?? 0)));
      return v;
    };
    const nBefore = Number(dfs.get(DF_ARTICLES) ?? 0);
    for (const [t, d] of delta) {
      if (!d) continue;
      const before = df(t);
      const after = before + d;
      if (stableIdf(before || 1, nBefore) !== stableIdf(after || 1, n)) reweighed.add(t);
      memo.set(t, after);
      dfs.put(t, String(after));
    }
  } else {
    const all = new Map<string, number>();
    for (const a of texts) for (const t of packedTerms(countsOf(a.id)!)) all.set(t, (all.get(t) ?? 0) + 1);
    for (const key of [...dfs.keys()]) if (!all.has(key)) dfs.delete(key);
    for (const [t, c] of all) dfs.put(t, String(c));
    df = (t) => all.get(t) ?? 0;
  }
  const idfs = new Map<string, number>();
  const idf = (t: string) => {
    let v = idfs.get(t);
    if (v === undefined) idfs.set(t, (v = stableIdf(df(t) || 1, n)));
    return v;
  };

  // 3. The stories one of whose articles holds a reweighed word.
  const hit = new Set<string>();
  if (reweighed.size) {
    const words = [...reweighed];
    for (const a of texts) {
      const text = countsOf(a.id)!;
      if (words.some((w) => holds(text, w))) hit.add(a.id);
    }
  }

  // 4. The records: kept, or made again.
  const full = !agrees ? 'no search state agreeing with the stored counts' : scaleChanged ? 'the archive passed a power of two' : null;
  const statsOf = (id: string) => {
    const text = countsOf(id);
    return text === undefined ? undefined : unpackTermStats(text);
  };
  const articles = [...input.articles].sort(byArticleId);
  const byStory = new Map<string, typeof articles>();
  for (const a of articles) {
    const list = byStory.get(a.story);
    if (list) list.push(a);
    else byStory.set(a.story, [a]);
  }
  const scale = articleScale(n);
  const records: StoryRecord[] = [];
  const placed = new Set<string>();
  let made = 0;
  for (const s of input.stories) {
    const members = placed.has(s.id) ? [] : (byStory.get(s.id) ?? []);
    const first = !placed.has(s.id);
    placed.add(s.id);
    const key = sha256(
      JSON.stringify([scale, s, s.articles.map((id) => byId.get(id)?.hash ?? ''), members.map((a) => [a.id, a.title, a.source, a.date ?? null])]),
    );
    const stale = !!full || s.articles.some((id) => hit.has(id));
    const stored = first && !stale ? kept.get(s.id, key) : undefined;
    if (stored !== undefined) {
      records.push(JSON.parse(stored) as StoryRecord);
      continue;
    }
    const record = storyRecord(s, members, statsOf, idf);
    made++;
    if (first) kept.put(s.id, JSON.stringify(record), { hash: key });
    records.push(record);
  }
  for (const a of articles) if (!placed.has(a.story)) records.push(loneArticleRecord(a));

  // 5. Saved in this order, the counts last with the stamps they agree with (see above).
  if (terms.changed) await terms.save();
  if (kept.changed) await kept.save();
  dfs.put(DF_ARTICLES, String(n));
  dfs.put(DF_TOKEN, `${terms.stamp()}|${kept.stamp()}`);
  if (dfs.changed) await dfs.save();
  return { records, computed, made, full };
}
