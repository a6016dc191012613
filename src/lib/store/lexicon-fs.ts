/**
 * compromise's lexicon (lower-case word -> tags), which the digest types names
 * with (ingest/digest/lexicon.ts): the build hands it in with the other
 * libraries, `setLibraries(nodeLibraries)` (libraries-fs.ts).
 *
 * Why a cache: importing compromise builds its whole NLP model, 150-300 ms in
 * every process that digests a story (each drop-in's build, each worker thread
 * of a cold one), for one 600 KB table. The table is kept as JSON under
 * `node_modules/.cache/newsfold/`, named by compromise's version, and reads in
 * about 15 ms. The JSON is the table itself: lookups give the same tags.
 * Anything wrong with the cache (unwritable, unreadable, damaged) falls back to
 * compromise itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Lexicon } from '../ingest/index.ts';
import { writeFileAtomicSync } from './write-file.ts';

const require = createRequire(import.meta.url);

let found: { dir: string; version: string } | null | undefined;

/** compromise's package folder and version, or null where it cannot be found (looked up once). */
function compromisePackage(): { dir: string; version: string } | null {
  if (found === undefined) found = findCompromise();
  return found;
}

function findCompromise(): { dir: string; version: string } | null {
  try {
    let dir = path.dirname(require.resolve('compromise'));
    for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'compromise' && pkg.version) return { dir, version: pkg.version };
      } catch {
        // not the package root yet
      }
    }
  } catch {
    // not resolvable from here
  }
  return null;
}

/** `node_modules/.cache/newsfold`, beside the node_modules compromise is installed in. */
export function defaultLexiconCacheDir(): string | null {
  const pkg = compromisePackage();
  return pkg ? path.join(path.dirname(pkg.dir), '.cache', 'newsfold') : null;
}

function fromCompromise(): Lexicon {
  const nlp = require('compromise') as { model(): { one: { lexicon: Lexicon } } };
  return nlp.model().one.lexicon;
}

/** The lexicon, from the cache in `cacheDir` when it holds this compromise version's, else from compromise (and cached). */
export function compromiseLexicon(cacheDir: string | null = defaultLexiconCacheDir()): Lexicon {
  const version = compromisePackage()?.version;
  if (!cacheDir || !version) return fromCompromise();
  const file = path.join(cacheDir, `compromise-lexicon-${version}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (cached && typeof cached === 'object' && !Array.isArray(cached)) return cached as Lexicon;
  } catch {
    // no cache yet, or a damaged one: rebuilt below
  }
  const lexicon = fromCompromise();
  try {
    // Written whole, then renamed: worker threads starting together may both write it.
    writeFileAtomicSync(file, JSON.stringify(lexicon));
  } catch {
    // A read-only install: compromise is loaded each time, as before.
  }
  return lexicon;
}
