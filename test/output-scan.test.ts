/**
 * The collections' stat scan (src/lib/store/output-scan.mjs), taken on a
 * worker thread beside the drop folder's listing (corpus-memo.ts startScan):
 * its stamp must be the stamp a run records from the files it wrote
 * (collectionsStamp of fingerprint.ts stampOf lines), on the worker and on
 * this thread alike, and any change to a collection file (edited in place,
 * added, removed) must change it. dropin.test.ts runs a damaged output
 * through a drop-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import { collectionsStamp, startScan } from '../src/lib/store/index';
import { stampOf } from '../src/lib/store/fingerprint';
import { scanCollections } from '../src/lib/store/output-scan.mjs';
import { scratch } from './helpers/tree';

let dir: string;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The stamp a run records for these files (drop-in-fs.ts, ingest-fs.ts: stampOf of each file as written). */
const recorded = (content: string, rels: string[]) => collectionsStamp(rels.map((rel) => `${rel}\0${stampOf(statSync(path.join(content, rel)))}`));

describe('collections stat scan', () => {
  it('gives the stamp a run records, on a worker thread and on this one, and changes with any file', async () => {
    const content = path.join(dir, 'content');
    const rels = ['articles/a.md', 'articles/b.md', 'stories/s.json'];
    await mkdir(path.join(content, 'articles'), { recursive: true });
    await mkdir(path.join(content, 'stories'), { recursive: true });
    for (const rel of rels) await writeFile(path.join(content, rel), `bytes of ${rel}\n`);

    // This thread's lines, and the worker's stamp and paths.
    const here = scanCollections(content);
    expect(collectionsStamp(here!.split('\n'))).toBe(recorded(content, rels));
    const there = await startScan(content).result;
    expect(there.stamp).toBe(recorded(content, rels));
    expect([...there.names].sort()).toEqual(rels);

    // Edited in place (same size), added, removed: each is another stamp.
    const before = there.stamp;
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(path.join(content, 'articles/a.md'), 'BYTES OF articles/a.md\n');
    const edited = (await startScan(content).result).stamp;
    expect(edited).not.toBe(before);
    await writeFile(path.join(content, 'stories/t.json'), '{}\n');
    const added = (await startScan(content).result).stamp;
    expect(added).not.toBe(edited);
    await rm(path.join(content, 'stories/t.json'));
    await rm(path.join(content, 'articles/b.md'));
    expect((await startScan(content).result).stamp).not.toBe(added);

    // No collections (a first run): no stamp, on either thread.
    expect((await startScan(path.join(dir, 'none')).result).stamp).toBeNull();
    expect(scanCollections(path.join(dir, 'none'))).toBeNull();
  });
});
