/**
 * The append-only store behind the per-file and doc caches (log-store.ts): a
 * run appends only its new entries, later lines win, a torn or foreign file
 * is never trusted, and compaction keeps exactly the entries used.
 */
import { describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LogStore } from '../src/lib/store/log-store';
import { scratch } from './helpers/tree';

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').slice(0, -1);

describe('log store', () => {
  it('appends new entries, reads the latest, compacts to the used ones', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = LogStore.read(file, 1, 'p');
    a.set('x', '{"n":1}');
    a.set('y\tweird\nkey', '"tab in the key"');
    expect(await a.save()).toBe(true);
    const first = await lines(file);
    expect(first).toHaveLength(3);

    const b = LogStore.read(file, 1, 'p');
    expect(b.get('x')).toBe('{"n":1}');
    expect(b.get('y\tweird\nkey')).toBe('"tab in the key"');
    b.set('x', '{"n":2}');
    expect(b.changed).toBe(true);
    await b.save();
    // Appended, not rewritten.
    expect((await lines(file)).slice(0, 3)).toEqual(first);
    expect(LogStore.read(file, 1, 'p').peek('x')).toBe('{"n":2}');

    // Nothing new and nothing dropped: the file is left alone.
    const c = LogStore.read(file, 1, 'p');
    c.get('x');
    c.get('y\tweird\nkey');
    expect(c.changed).toBe(false);
    expect(await c.save()).toBe(false);

    // An entry a run does not use is removed (a line with no text), and stays removed.
    const r = LogStore.read(file, 1, 'p');
    r.get('x');
    expect(r.changed).toBe(true);
    await r.save();
    expect((await lines(file)).at(-1)).toBe('"y\\tweird\\nkey"\t');
    expect([...LogStore.read(file, 1, 'p').keys()]).toEqual(['x']);

    // Many dead lines: rewritten with the used entries only, sorted.
    const d = LogStore.read(file, 1, 'p');
    for (let i = 0; i < 100; i++) d.set('x', `{"n":${i + 10}}`);
    await d.save();
    const e = LogStore.read(file, 1, 'p');
    e.get('x');
    for (let i = 0; i < 80; i++) e.set(`k${i}`, '0', false);
    await e.save();
    expect(await lines(file)).toEqual(['{"version":1,"pipeline":"p"}', '"x"\t{"n":109}']);
  });

  it('ignores another pipeline, a damaged line and a torn append', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = LogStore.read(file, 1, 'p');
    a.set('x', '1');
    a.set('y', '2');
    await a.save();
    expect(LogStore.read(file, 1, 'other').size).toBe(0);
    expect(LogStore.read(file, 2, 'p').size).toBe(0);
    await appendFile(file, 'not a key\tvalue\n"z"\t3');
    const b = LogStore.read(file, 1, 'p');
    expect([...b.keys()].sort()).toEqual(['x', 'y']);
    b.get('x');
    b.get('y');
    // The torn tail makes the next save rewrite rather than append after it.
    expect(b.changed).toBe(true);
    await b.save();
    expect(await lines(file)).toEqual(['{"version":1,"pipeline":"p"}', '"x"\t1', '"y"\t2']);
    await writeFile(file, '{not json');
    expect(LogStore.read(file, 1, 'p').size).toBe(0);
  });
});
