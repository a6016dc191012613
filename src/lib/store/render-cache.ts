/**
 * The render cache (layout.ts `renderCache`): for each collection file, the
 * hash of the record it was rendered from, the hash of its bytes, and its
 * stamp (size, mtime, inode; fingerprint.ts) as written. A file whose record
 * is unchanged and whose stamp is still the one recorded holds exactly the
 * bytes that record renders to, so a rebuild after a drop-in neither renders
 * it (gray-matter + js-yaml + schema validation, about 0.1 ms each) nor reads
 * it to compare: it renders, reads and writes only the few files whose record
 * changed. The rendered text itself is not kept (it was 36 MB to read and
 * rewrite at 10,000 articles).
 *
 * The stamp is trusted the way git's index and parsed-content's cache trust
 * it: every write goes through a rename (new inode), and an edit in place
 * changes the mtime or size; a file edited by hand is read, found different
 * and restored.
 *
 * Entries: key the collection path (`articles/<id>.md`), hash the record's
 * hash, text `<SHA-256 of the bytes>\t<stamp>`.
 */
import { sha256 } from './fingerprint.ts';
import type { Store } from './log-store.ts';

/** A record's hash: its kind and its JSON (the caller's, so a record is stringified once). */
export function recordKey(kind: string, json: string): string {
  return sha256(`${kind}\0${json}`);
}

/** What `rel` was when rendered from the record `record`; undefined when it was rendered from another record, or never. */
export function renderedFrom(store: Store, rel: string, record: string): { output: string; stamp: string } | undefined {
  const text = store.get(rel, record);
  if (text === undefined) return undefined;
  const tab = text.indexOf('\t');
  return { output: text.slice(0, tab), stamp: text.slice(tab + 1) };
}

/** Records that `rel` now holds `output` (its bytes' SHA-256), rendered from `record`, with this stamp. */
export function putRendered(store: Store, rel: string, record: string, output: string, stamp: string): void {
  store.put(rel, `${output}\t${stamp}`, { hash: record });
}
