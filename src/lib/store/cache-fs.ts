/**
 * Reads and writes the per-file cache, `<out>/.newsfold/file-cache.json`, and
 * computes the pipeline fingerprint that guards it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './file-cache.ts';
import { parseDigestCache, serializeDigestCache, type DigestCache } from './digest-cache.ts';
import { parseRenderCache, serializeRenderCache, type RenderCache } from './render-cache.ts';
import { stateDir, writeFileAtomic } from '../build/write-fs.ts';
import { LogStore } from './log-store.ts';

export function cachePath(out: string): string {
  return path.join(stateDir(out), 'file-cache.log');
}

/** The per-file cache as an append-only store (log-store.ts); entries `<sha256>\t<FileResult JSON>`. */
export function openFileStore(out: string, pipeline: string): LogStore {
  return LogStore.read(cachePath(out), FILE_STORE_VERSION, pipeline);
}

/** What clustering reads of each article (doc-cache.ts), as an append-only store. */
export function openDocStore(out: string, pipeline: string): LogStore {
  return LogStore.read(docCachePath(out), DOC_STORE_VERSION, pipeline);
}

const FILE_STORE_VERSION = 2;
const DOC_STORE_VERSION = 2;

const here = path.dirname(fileURLToPath(import.meta.url));
/** src/lib: the roots below are relative to it. */
const lib = path.resolve(here, '..');

/**
 * The code a cached result depends on, relative to src/lib: every pure stage
 * (ingest/, recursively), the caches' own formats (store/), the build edges
 * that read files and assemble results (read-fs, ingest-fs, write-fs, the
 * worker threads), the shared modules the stages import (text.ts, schema.ts),
 * and the installed dependency versions (package-lock.json).
 */
const CODE_ROOTS = ['ingest', 'store', 'build/ingest-fs.ts', 'build/read-fs.ts', 'build/write-fs.ts', 'build/workers', 'text.ts', 'schema.ts', '../../package-lock.json'];

/** The files CODE_ROOTS names, recursively, sorted; tests excluded. Throws when a root folder cannot be read. */
export function fingerprintSources(): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|js|mjs|json)$/.test(entry.name) && !/\.test\./.test(entry.name)) out.push(child);
    }
  };
  for (const root of CODE_ROOTS) {
    const abs = path.join(lib, root);
    if (/\.[a-z]+$/.test(root)) out.push(abs);
    else walk(abs);
  }
  return out.sort();
}

/**
 * Fingerprint of the ingest's code (CODE_ROOTS). Hashing the source is cheap
 * (about seventy small files) and means no one has to remember to bump a
 * version when they change a rule. Each file is named by its path, so a file
 * moved or added counts as a change too. Taken once, when this module loads,
 * so it describes the code this process runs: a long-running `npm run watch`
 * whose files are edited underneath it must not store results of its old code
 * under the new code's fingerprint.
 */
const CODE_FINGERPRINT: string = (() => {
  const parts: string[] = [];
  let sources: string[];
  try {
    sources = fingerprintSources();
  } catch {
    // Not running from source (bundled): no cache reuse across processes.
    return `uncached-${process.pid}-${Date.now()}`;
  }
  for (const file of sources) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      /* a missing optional file hashes as empty */
    }
    parts.push(`${path.relative(lib, file).split(path.sep).join('/')}\0${sha256(text)}`);
  }
  return sha256(parts.join('\n'));
})();

/** Fingerprint of everything a per-file result depends on besides the file: the code and the options. */
export async function pipelineFingerprint(options: unknown): Promise<string> {
  return sha256(`${CODE_FINGERPRINT}\n${JSON.stringify(options ?? null)}`);
}

export function digestCachePath(out: string): string {
  return path.join(stateDir(out), 'digest-cache.json');
}

export async function readDigestCache(out: string, pipeline: string): Promise<DigestCache> {
  const text = await readFile(digestCachePath(out), 'utf8').catch(() => null);
  return parseDigestCache(text, pipeline);
}

export async function writeDigestCache(out: string, cache: DigestCache): Promise<void> {
  await writeFileAtomic(digestCachePath(out), serializeDigestCache(cache));
}

export function renderCachePath(out: string): string {
  return path.join(stateDir(out), 'render-cache.json');
}

export async function readRenderCache(out: string, pipeline: string): Promise<RenderCache> {
  const text = await readFile(renderCachePath(out), 'utf8').catch(() => null);
  return parseRenderCache(text, pipeline);
}

export async function writeRenderCache(out: string, cache: RenderCache): Promise<void> {
  await writeFileAtomic(renderCachePath(out), serializeRenderCache(cache));
}

export function docCachePath(out: string): string {
  return path.join(stateDir(out), 'doc-cache.log');
}
