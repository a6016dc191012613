/**
 * The content commit (build/write-fs.ts) with its carried files given as
 * "every listed path but these" (`ListedBut`, a drop-in's way, #15): the same
 * folders, deletions and counts as the files named one by one.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeCollections, type OutputFile } from '../src/lib/build/write-fs';
import { scratch } from './helpers/tree';

/** A content folder holding `names` (under articles/ and stories/), each file its own name. */
async function folderWith(names: string[]): Promise<string> {
  const dir = await scratch('write-collections-');
  for (const folder of ['articles', 'stories']) await mkdir(path.join(dir, folder), { recursive: true });
  for (const rel of names) await writeFile(path.join(dir, rel), rel);
  return dir;
}

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const folder of ['articles', 'stories']) {
    for (const name of (await readdir(path.join(dir, folder))).sort()) out[`${folder}/${name}`] = await readFile(path.join(dir, folder, name), 'utf8');
  }
  return out;
}

const listing = ['articles/a.md', 'articles/b.md', 'articles/c.md', 'stories/s1.json', 'stories/s2.json'];

describe('writeCollections with the listed files kept', () => {
  it('keeps, writes and deletes as the files named one by one do', async () => {
    const files: OutputFile[] = [
      { rel: 'articles/b.md', content: 'b changed' },
      { rel: 'articles/d.md', content: 'd new' },
      { rel: 'stories/s2.json', content: 'stories/s2.json' }, // rendered again, the same bytes
    ];
    const gone = ['articles/c.md', 'stories/s1.json'];
    const named = await folderWith(listing);
    const byList = await folderWith(listing);
    const one = await writeCollections(named, ['articles', 'stories'], files, ['articles/a.md'], listing);
    const two = await writeCollections(byList, ['articles', 'stories'], files, { allListedBut: new Set([...files.map((f) => f.rel), ...gone]) }, listing);
    expect(two).toEqual(one);
    expect(two).toEqual({ added: ['articles/d.md'], updated: ['articles/b.md'], removed: ['articles/c.md', 'stories/s1.json'], unchanged: 2 });
    expect(await tree(byList)).toEqual(await tree(named));
    expect(await tree(byList)).toEqual({ 'articles/a.md': 'articles/a.md', 'articles/b.md': 'b changed', 'articles/d.md': 'd new', 'stories/s2.json': 'stories/s2.json' });
  });

  it('refuses a file for a path it keeps as listed, before anything is written', async () => {
    const dir = await folderWith(listing);
    const files: OutputFile[] = [{ rel: 'articles/a.md', content: 'a twice' }];
    await expect(writeCollections(dir, ['articles', 'stories'], files, { allListedBut: new Set<string>() }, listing)).rejects.toThrow(/two outputs for articles\/a\.md/);
    expect((await tree(dir))['articles/a.md']).toBe('articles/a.md');
  });

  it('needs the listing', async () => {
    const dir = await folderWith(listing);
    await expect(writeCollections(dir, ['articles', 'stories'], [], { allListedBut: new Set<string>() })).rejects.toThrow(/listing/);
  });
});
