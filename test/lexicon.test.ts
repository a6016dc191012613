/**
 * compromise's lexicon from its cache (src/lib/store/lexicon-fs.ts): the same
 * table compromise builds, written once, read back, and rebuilt when damaged.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compromiseLexicon, defaultLexiconCacheDir } from '../src/lib/store/lexicon-fs';
import { repoRoot } from '../scripts/lib/corpus';

const require = createRequire(import.meta.url);
const direct = (require('compromise') as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;

describe('compromise lexicon cache', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is compromise\'s own table, cached by version, and rebuilt when the cache is damaged', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-lexicon-'));
    expect(Object.keys(direct).length).toBeGreaterThan(10_000);
    expect(compromiseLexicon(dir)).toEqual(direct);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^compromise-lexicon-\d+\.\d+\.\d+.*\.json$/);
    const file = path.join(dir, files[0]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(direct);
    // Read back from the file: a marker entry written into it comes back.
    await writeFile(file, JSON.stringify({ ...direct, zzmarker: 'Noun' }));
    expect(compromiseLexicon(dir).zzmarker).toBe('Noun');
    // Damaged: compromise's table again, and the file repaired.
    await writeFile(file, '{"cut short');
    expect(compromiseLexicon(dir)).toEqual(direct);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(direct);
    // Without a cache folder: compromise itself.
    expect(compromiseLexicon(null)).toEqual(direct);
  });

  it('lives beside the node_modules compromise is installed in', () => {
    expect(defaultLexiconCacheDir()).toBe(path.join(repoRoot, 'node_modules', '.cache', 'newsfold'));
  });
});
