/**
 * The records of the last run (every article and story, as JSON), kept for a
 * no-change run that is asked for them (RunResult.articles/stories/report,
 * build/ingest-fs.ts): layout.ts `records`, entries under the records' hashes
 * (render-cache.ts `recordKey`). The corpus memo lists the keys in order
 * instead of holding the records themselves, so a drop-in appends its few new
 * records instead of writing 34 MB of JSON at 10,000 articles.
 *
 * The one variant of the store (log-store.ts): the same file format, but a
 * run never reads it to save it. Opening it as a store reads and splits every
 * line, 150-200 ms of CPU at 10,000 articles (measured on the bench corpus),
 * on every drop-in, for entries the run already knows: the render cache names
 * the record of every file the last run wrote. So appending is trusted only
 * when the file is exactly as the last complete run left it (its stamp,
 * recorded in the output stamp): then every key the render cache names is in
 * it. Otherwise, or when dead records make up half of it, the file is
 * rewritten with this run's records. Readers check the stamp too (the memo
 * records it), so a damaged file is never read as records. A key is the hash
 * of its record, so entries never go stale and the header names no code.
 */
import { readFileSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { fileStamp, stampOf } from './fingerprint.ts';
import { STORES, statePath } from './layout.ts';
import { entryLine, headerLine, scanEntries } from './log-store.ts';
import { writeFileAtomic } from './write-file.ts';

const HEADER = headerLine({ store: STORES.records.file, version: STORES.records.version, code: '' });

export const recordsPath = (content: string) => statePath(content, 'records');

export function recordsStamp(content: string): string | null {
  return fileStamp(recordsPath(content));
}

/**
 * Makes the file hold every record of `records` ([key, JSON] pairs). `known`:
 * keys already in it, valid only if its stamp is `trusted`. Returns the file's
 * stamp afterwards.
 */
export async function saveRecords(content: string, records: Array<[string, string]>, known: Set<string>, trusted: string | null): Promise<string | null> {
  const file = recordsPath(content);
  const s = statSync(file, { throwIfNoEntry: false });
  let live = 0;
  for (const [key, json] of records) live += key.length + json.length + 4;
  if (s && trusted && stampOf(s) === trusted && s.size <= 2 * live + 1_000_000) {
    const fresh = new Set<string>();
    const lines: string[] = [];
    for (const [key, json] of records) {
      if (known.has(key) || fresh.has(key)) continue;
      fresh.add(key);
      lines.push(entryLine(key, json));
    }
    if (lines.length) await appendFile(file, lines.join(''));
  } else {
    const seen = new Set<string>();
    const parts: string[] = [HEADER, '\n'];
    for (const [key, json] of [...records].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (seen.has(key)) continue;
      seen.add(key);
      parts.push(entryLine(key, json));
    }
    await writeFileAtomic(file, parts.join(''));
  }
  return recordsStamp(content);
}

/**
 * Appends the records of `records` ([key, JSON] pairs) not in `known` (the
 * keys the file holds) to the file, which the caller has found as the last
 * complete run left it (its stamp). Returns the file's stamp afterwards. Dead
 * records stay until a run that saves every record (`saveRecords`) compacts.
 */
export async function appendRecords(content: string, records: Array<[string, string]>, known: Set<string>): Promise<string | null> {
  const lines: string[] = [];
  const fresh = new Set<string>();
  for (const [key, json] of records) {
    if (known.has(key) || fresh.has(key)) continue;
    fresh.add(key);
    lines.push(entryLine(key, json));
  }
  if (lines.length) await appendFile(recordsPath(content), lines.join(''));
  return recordsStamp(content);
}

/** The JSON of each key, in order; null when one is missing or the file is not this version's. */
export function readRecords(content: string, keys: string[]): string[] | null {
  // Synchronous: the memo's records are read on demand, from property getters.
  const text = readFileSync(recordsPath(content), 'utf8');
  const first = text.indexOf('\n');
  if (first < 0 || text.slice(0, first) !== HEADER) return null;
  const wanted = new Set(keys);
  const found = new Map<string, string>();
  scanEntries(text, first + 1, (key, json) => {
    if (wanted.has(key)) found.set(key, json);
  });
  const texts: string[] = [];
  for (const key of keys) {
    const json = found.get(key);
    if (json === undefined) return null;
    texts.push(json);
  }
  return texts;
}

/**
 * A run's article and story records, read back from the log on first use (the memo names them by
 * key): for a run's result that does not hold them (a drop-in, a year's cold build whose site half
 * needs the heap). Throws when one is missing: the log is written before the memo that names it.
 */
export function recordsOnDemand<A, S>(content: string, articleKeys: string[], storyKeys: string[]): () => { articles: A[]; stories: S[] } {
  let all: { articles: A[]; stories: S[] } | null = null;
  const read = <T>(keys: string[]): T[] => {
    const json = readRecords(content, keys);
    if (!json) throw new Error(`a record is missing from ${recordsPath(content)}`);
    return JSON.parse(`[${json.join(',')}]`) as T[];
  };
  return () => (all ??= { articles: read<A>(articleKeys), stories: read<S>(storyKeys) });
}
