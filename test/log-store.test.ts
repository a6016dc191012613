/**
 * The one store format (store/log-store.ts): a run appends only its new
 * entries, later lines win, a torn or foreign file is never trusted,
 * compaction keeps exactly the entries used, and an entry made from a content
 * hash answers only for that hash.
 */
import { describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LogStore, openStore } from '../src/lib/store/log-store';
import { STORES, statePath } from '../src/lib/store/layout';
import { scratch } from './helpers/tree';

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').slice(0, -1);
const header = (code = 'p', version = 1) => ({ store: 't.log', version, code });
const open = (file: string, code = 'p', version = 1) => LogStore.open(file, header(code, version));

describe('log store', () => {
  it('appends new entries, reads the latest, compacts to the used ones', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    a.put('x', '{"n":1}');
    a.put('y\tweird\nkey', '"tab in the key"');
    expect(await a.save()).toBe(true);
    const first = await lines(file);
    expect(first).toHaveLength(3);
    expect(first[0]).toBe('{"store":"t.log","version":1,"code":"p"}');

    const b = open(file);
    expect(b.get('x')).toBe('{"n":1}');
    expect(b.get('y\tweird\nkey')).toBe('"tab in the key"');
    b.put('x', '{"n":2}');
    expect(b.changed).toBe(true);
    await b.save();
    // Appended, not rewritten.
    expect((await lines(file)).slice(0, 3)).toEqual(first);
    expect(open(file).get('x')).toBe('{"n":2}');

    // Nothing new and nothing dropped: the file is left alone.
    const c = open(file);
    c.get('x');
    c.get('y\tweird\nkey');
    expect(c.changed).toBe(false);
    expect(await c.save()).toBe(false);

    // An entry a run does not use is removed (a line with no text), and stays removed.
    const r = open(file);
    r.get('x');
    expect(r.changed).toBe(true);
    await r.save();
    expect((await lines(file)).at(-1)).toBe('"y\\tweird\\nkey"\t');
    expect([...open(file).keys()]).toEqual(['x']);

    // Many dead lines: rewritten with the used entries only, sorted.
    const d = open(file);
    for (let i = 0; i < 100; i++) d.put('x', `{"n":${i + 10}}`);
    await d.save();
    const e = open(file);
    e.get('x');
    // Tentative entries nobody asked for go too.
    for (let i = 0; i < 80; i++) e.put(`k${i}`, '0', { tentative: true });
    await e.save();
    expect(await lines(file)).toEqual(['{"store":"t.log","version":1,"code":"p"}', '"x"\t{"n":109}']);
  });

  it('answers an entry made from a hash only for that hash', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    a.put('a.md', '{"parsed":true}', { hash: 'h1' });
    a.put('b.md', '', { hash: 'h2' });
    await a.save();
    const b = open(file);
    expect(b.hashOf('a.md')).toBe('h1');
    expect(b.get('a.md', 'h0')).toBeUndefined();
    expect(b.get('a.md', 'h')).toBeUndefined();
    expect(b.get('a.md', 'h1')).toBe('{"parsed":true}');
    expect(b.get('b.md', 'h2')).toBe('');
    // Asked for under another hash and not put again: not used, so dropped when saved.
    const c = open(file);
    expect(c.get('a.md', 'h9')).toBeUndefined();
    c.get('b.md', 'h2');
    await c.save();
    expect([...open(file).keys()]).toEqual(['b.md']);
  });

  it('ignores another store, version or code, a damaged line and a torn append', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    a.put('x', '1');
    a.put('y', '2');
    await a.save();
    expect(open(file, 'other').size).toBe(0);
    expect(open(file, 'p', 2).size).toBe(0);
    expect(LogStore.open(file, { ...header(), store: 'u.log' }).size).toBe(0);
    await appendFile(file, 'not a key\tvalue\n"z"\t3');
    const b = open(file);
    expect([...b.keys()].sort()).toEqual(['x', 'y']);
    b.get('x');
    b.get('y');
    // The torn tail makes the next save rewrite rather than append after it.
    expect(b.changed).toBe(true);
    await b.save();
    expect(await lines(file)).toEqual(['{"store":"t.log","version":1,"code":"p"}', '"x"\t1', '"y"\t2']);
    await writeFile(file, '{not json');
    expect(open(file).size).toBe(0);
  });

  it('opens the stores of the layout by name, each in its own file', async () => {
    const content = await scratch('newsfold-log-store-');
    const s = openStore(content, 'searchTerms', 'code');
    s.put('article', 'counts', { hash: 'file-hash' });
    await s.save();
    expect((await lines(statePath(content, 'searchTerms')))[0]).toBe(`{"store":"search-terms.log","version":${STORES.searchTerms.version},"code":"code"}`);
    expect(openStore(content, 'searchTerms', 'code').get('article', 'file-hash')).toBe('counts');
    expect(openStore(content, 'docCache', 'code').size).toBe(0);
  });
});
