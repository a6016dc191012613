/** Writing a file whole, so that readers see the old bytes or the new ones, never half. */
import { isAscii } from 'node:buffer';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';
import path from 'node:path';

/** Writes a file via a temporary file beside it and a rename (the rename is atomic on one file system). */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/**
 * writeFileAtomic, synchronously, for caches written where nothing may await (a store being opened,
 * a worker thread's first digest). The temporary file's name holds the thread as well as the process:
 * worker threads of one process may write the same file at once.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${threadId}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/**
 * JSON with every code unit past ASCII escaped (`\\u2019`): the same value when parsed, and a file
 * read back as one-byte text. A UTF-8 decode of 100 MB of parts, and a parse of the two-byte string
 * it makes of a curly quote anywhere, were half the parts' reading time at 100,000 articles.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A file written with asciiJson, as text: decoded as one-byte text when it is all ASCII (which
 * JSON.parse reads faster than the two-byte string a UTF-8 decode makes of any accent), else as
 * UTF-8 (a file of an earlier version, or written otherwise).
 */
export function asciiText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}
