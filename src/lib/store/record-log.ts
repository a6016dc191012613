/**
 * The records of the last run (every article and story, as JSON), kept for a
 * no-change run that is asked for them (RunResult.articles/stories/report,
 * ingest-fs.ts): `<out>/.newsfold/records.log`, lines `<record key>\t<JSON>`
 * under the render cache's record keys (render-cache.ts). The corpus memo
 * lists the keys in order instead of holding the records themselves, so a
 * drop-in appends its few new records instead of writing 34 MB of JSON at
 * 10,000 articles.
 *
 * Appending is trusted only when the file is exactly as the last complete run
 * left it (its stat, recorded in the output stamp): then every key the render
 * cache names is in it. Otherwise, or when dead records make up half of it,
 * the file is rewritten with this run's records. Readers check the stat too
 * (the memo records it), so a damaged file is never read as records.
 */
import { readFileSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir, writeFileAtomic } from '../build/write-fs.ts';
import { stampOf, storeStamp } from './log-store.ts';

export const recordsPath = (out: string) => path.join(stateDir(out), 'records.log');

export function recordsStamp(out: string): string | null {
  return storeStamp(recordsPath(out));
}

/**
 * Makes the file hold every record of `records` ([key, JSON] pairs). `known`:
 * keys already in it, valid only if its stat is `trusted`. Returns the file's
 * stat afterwards.
 */
export async function saveRecords(out: string, records: Array<[string, string]>, known: Set<string>, trusted: string | null): Promise<string | null> {
  const file = recordsPath(out);
  const s = statSync(file, { throwIfNoEntry: false });
  let live = 0;
  for (const [key, json] of records) live += key.length + json.length + 2;
  if (s && trusted && stampOf(s) === trusted && s.size <= 2 * live + 1_000_000) {
    const fresh = new Set<string>();
    const lines: string[] = [];
    for (const [key, json] of records) {
      if (known.has(key) || fresh.has(key)) continue;
      fresh.add(key);
      lines.push(`${key}\t${json}\n`);
    }
    if (lines.length) await appendFile(file, lines.join(''));
  } else {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const [key, json] of [...records].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (seen.has(key)) continue;
      seen.add(key);
      parts.push(key, '\t', json, '\n');
    }
    await writeFileAtomic(file, parts.join(''));
  }
  return recordsStamp(out);
}

/** The JSON of each key, in order; null when one is missing. */
export function readRecords(out: string, keys: string[]): string[] | null {
  const text = readFileSync(recordsPath(out), 'utf8');
  const wanted = new Set(keys);
  const found = new Map<string, string>();
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const tab = text.indexOf('\t', start);
    if (tab > start && tab < end) {
      const key = text.slice(start, tab);
      if (wanted.has(key)) found.set(key, text.slice(tab + 1, end));
    }
    start = end + 1;
  }
  const texts: string[] = [];
  for (const key of keys) {
    const json = found.get(key);
    if (json === undefined) return null;
    texts.push(json);
  }
  return texts;
}
