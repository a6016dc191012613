/**
 * Reads and writes the per-file cache, `<out>/.newsfold/file-cache.json`, and
 * computes the pipeline fingerprint that guards it.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCache, serializeCache, sha256, type FileCache } from './cache.ts';
import { stateDir, writeFileAtomic } from './write-fs.ts';

export function cachePath(out: string): string {
  return path.join(stateDir(out), 'file-cache.json');
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Fingerprint of everything a per-file result depends on besides the file:
 * the options, the ingest's own source (this folder and the shared modules it
 * imports), and the installed dependency versions (package-lock.json).
 * Hashing the source is cheap (a few dozen small files) and means no one has to
 * remember to bump a version when they change a rule.
 */
export async function pipelineFingerprint(options: unknown): Promise<string> {
  const parts: string[] = [JSON.stringify(options ?? null)];
  const sources = (await readdir(here)).filter((n) => /\.(ts|js|json)$/.test(n) && !/\.test\./.test(n)).sort();
  const extra = [path.join(here, '../text.ts'), path.join(here, '../schema.ts'), path.join(here, '../../../package-lock.json')];
  for (const file of [...sources.map((n) => path.join(here, n)), ...extra]) {
    const text = await readFile(file, 'utf8').catch(() => '');
    parts.push(`${path.basename(file)}\0${sha256(text)}`);
  }
  return sha256(parts.join('\n'));
}

export async function readFileCache(out: string, pipeline: string): Promise<FileCache> {
  const text = await readFile(cachePath(out), 'utf8').catch(() => null);
  return parseCache(text, pipeline);
}

export async function writeFileCache(out: string, cache: FileCache): Promise<void> {
  await writeFileAtomic(cachePath(out), serializeCache(cache));
}
