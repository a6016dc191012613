/**
 * The one store format (store/log-store.ts): a run appends only its new
 * entries, later lines win, a torn or foreign file is never trusted,
 * compaction keeps exactly the entries used, and an entry made from a content
 * hash answers only for that hash.
 */
import { describe, expect, it } from 'vitest';
import { appendFile, copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LogStore, openStore } from '../src/lib/store/log-store';
import { STORES, statePath } from '../src/lib/store/layout';
import { readKeyIndex } from '../src/lib/store/key-index';
import { fileStamp } from '../src/lib/store/fingerprint';
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
    const s = openStore(content, 'searchRecords', 'code');
    s.put('story', 'record', { hash: 'inputs-hash' });
    await s.save();
    expect((await lines(statePath(content, 'searchRecords')))[0]).toBe(`{"store":"search-records.log","version":${STORES.searchRecords.version},"code":"code"}`);
    expect(openStore(content, 'searchRecords', 'code').get('story', 'inputs-hash')).toBe('record');
    expect(openStore(content, 'docCache', 'code').size).toBe(0);
  });
});

/**
 * Texts over 128 bytes are not read when the store opens: they stay in the
 * file and are read on `get`. These cases hold such texts: read after other
 * appends, past a torn line, removed, compacted, and spread over the blocks
 * the file is scanned in (4 MB), multi-byte characters included.
 */
describe('log store: texts read on demand', () => {
  /** A text of about `n` characters, different for each `seed`, with multi-byte characters in it. */
  const long = (seed: string, n = 300) => `{"seed":${JSON.stringify(seed)},"body":"${`é日本😀 ${seed} `.repeat(Math.ceil(n / (seed.length + 8))).slice(0, n)}"}`;
  const bytes = (file: string) => readFile(file);

  it('reads each key its latest text after other runs appended', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    a.put('x', long('x1'));
    a.put('y', long('y1'), { hash: 'hy' });
    await a.save();
    const b = LogStore.open(file, header(), { retain: true });
    b.put('x', long('x2'));
    b.put('z', long('z1'));
    await b.save();
    // Read after its own append: the texts still in the file are still there.
    expect(b.get('y', 'hy')).toBe(long('y1'));
    expect(b.get('x')).toBe(long('x2'));
    const c = open(file);
    expect(c.hashOf('y')).toBe('hy');
    expect(c.get('y', 'hx')).toBeUndefined();
    expect(c.get('y')).toBe(`hy\t${long('y1')}`);
    expect(c.get('y', 'hy')).toBe(long('y1'));
    expect(c.get('x')).toBe(long('x2'));
    expect(c.get('z')).toBe(long('z1'));
    // Putting the text it holds changes nothing, with a hash or without.
    c.put('x', long('x2'));
    c.put('y', long('y1'), { hash: 'hy' });
    c.put('z', long('z1'));
    expect(c.changed).toBe(false);
    expect(await c.save()).toBe(false);
  });

  it('skips a torn last line and rewrites to the bytes of a fresh write', async () => {
    const dir = await scratch('newsfold-log-store-');
    const file = path.join(dir, 'store.log');
    const a = open(file);
    for (const k of ['a', 'b', 'c']) a.put(k, long(k), { hash: `h${k}` });
    await a.save();
    await appendFile(file, `"d"\thd\t${long('d')}`.slice(0, 200));
    const b = open(file);
    expect([...b.keys()].sort()).toEqual(['a', 'b', 'c']);
    for (const k of ['a', 'b', 'c']) expect(b.get(k, `h${k}`)).toBe(long(k));
    expect(b.changed).toBe(true);
    await b.save();
    expect((await bytes(file)).equals(await bytes(path.join(dir, 'store.log')))).toBe(true);
    const fresh = path.join(dir, 'fresh.log');
    const f = open(fresh);
    for (const k of ['c', 'a', 'b']) f.put(k, long(k), { hash: `h${k}` });
    await f.save();
    expect((await bytes(file)).equals(await bytes(fresh))).toBe(true);
    // Read again, from the file the compaction wrote.
    expect(b.get('b', 'hb')).toBe(long('b'));
  });

  it('forgets removed entries, unused or deleted, and takes them back when put again', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    for (const k of ['a', 'b', 'c']) a.put(k, long(k));
    await a.save();
    const b = open(file);
    b.get('a');
    b.get('c');
    await b.save();
    const r = LogStore.open(file, header(), { retain: true });
    expect([...r.keys()]).toEqual(['a', 'c']);
    r.delete('c');
    await r.save();
    const s = LogStore.open(file, header(), { retain: true });
    expect([...s.keys()]).toEqual(['a']);
    expect(s.get('a')).toBe(long('a'));
    s.put('c', long('c2'));
    await s.save();
    expect(open(file).get('c')).toBe(long('c2'));
  });

  it('compacts many superseded texts to the bytes a fresh write of the live ones gives', async () => {
    const dir = await scratch('newsfold-log-store-');
    const file = path.join(dir, 'store.log');
    const live = new Map<string, string>();
    for (let run = 0; run < 6; run++) {
      const s = LogStore.open(file, header(), { retain: true });
      for (let i = 0; i < 40; i++) {
        const key = `k${(i * 7 + run) % 50}`;
        const text = long(`${key}-${run}`, 150 + ((i * 37) % 400));
        s.put(key, text, { hash: `h${run}` });
        live.set(key, `h${run}\t${text}`);
      }
      if (run === 3) {
        s.delete('k1');
        live.delete('k1');
      }
      await s.save();
      for (const [key, line] of live) expect(s.get(key)).toBe(line);
    }
    const fresh = path.join(dir, 'fresh.log');
    const f = open(fresh);
    for (const [key, line] of [...live].reverse()) {
      const tab = line.indexOf('\t');
      f.put(key, line.slice(tab + 1), { hash: line.slice(0, tab) });
    }
    await f.save();
    // A run that uses every entry and dead lines make most of the file: compacted.
    const c = open(file);
    for (const key of live.keys()) c.get(key);
    c.put('k0', live.get('k0')!.slice(3), { hash: 'h9' });
    c.put('k0', live.get('k0')!.slice(3), { hash: live.get('k0')!.slice(0, 2) });
    for (let i = 0; i < 300; i++) c.put('k2', i % 2 === 0 ? long('k2x') : live.get('k2')!.slice(3), { hash: live.get('k2')!.slice(0, 2) });
    await c.save();
    expect((await bytes(file)).equals(await bytes(fresh))).toBe(true);
    for (const [key, line] of live) expect(open(file).get(key)).toBe(line);
  });

  it('reads multi-byte texts across the blocks the file is scanned in, a line longer than a block too', async () => {
    const dir = await scratch('newsfold-log-store-');
    const file = path.join(dir, 'store.log');
    const a = open(file);
    const texts = new Map<string, string>();
    // About 9 MB: lines cross the 4 MB block ends, one line alone is longer than a block.
    for (let i = 0; i < 2000; i++) texts.set(`ключ-${i}-日`, long(`v${i}`, 1000 + ((i * 131) % 3000)));
    texts.set('big', long('big', 5_000_000));
    for (const [key, text] of texts) a.put(key, text, { hash: `h😀${key.length}` });
    await a.save();
    const b = open(file);
    expect(b.size).toBe(texts.size);
    // In the store's order (reads ahead), then some at random.
    for (const key of b.keys()) expect(b.get(key, `h😀${key.length}`)).toBe(texts.get(key));
    for (const i of [1999, 3, 1500, 7, 1000]) expect(b.get(`ключ-${i}-日`)).toBe(`h😀${`ключ-${i}-日`.length}\t${texts.get(`ключ-${i}-日`)}`);
    expect(b.get('big', 'h😀3')).toBe(texts.get('big'));
    expect(b.changed).toBe(false);
  });

  it('keeps reading the file it opened when another store rewrites it', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    for (const k of ['a', 'b']) a.put(k, long(k));
    await a.save();
    const reader = open(file);
    const writer = open(file);
    writer.get('b');
    // Dead lines make most of the file: rewritten (renamed over the one `reader` opened).
    for (let i = 0; i < 100; i++) writer.put('c', long(`c${i}`));
    await writer.save();
    expect(await lines(file)).toHaveLength(3);
    expect(reader.get('a')).toBe(long('a'));
    expect(reader.get('b')).toBe(long('b'));
    reader.close();
    expect(reader.get('a')).toBeUndefined();
  });
});

describe('log store: the key index beside the file', () => {
  const long = (seed: string, n = 200) => `{"seed":${JSON.stringify(seed)},"text":"${`ü日 ${seed} `.repeat(Math.ceil(n / (seed.length + 5))).slice(0, n)}"}`;
  /** What a store holds, read through every key: the same whether it was opened by the index or by a scan. */
  const contents = (store: LogStore) => {
    const out: Record<string, [string | undefined, string | undefined]> = {};
    for (const key of [...store.keys()].sort()) out[key] = [store.hashOf(key), store.get(key)];
    return out;
  };
  const scanned = async (file: string, retain: boolean) => {
    const index = `${file}.keys`;
    const kept = await readFile(index).catch(() => null);
    await rm(index, { force: true });
    const store = LogStore.open(file, header(), { retain });
    const out = contents(store);
    store.close();
    if (kept) await writeFile(index, kept);
    return out;
  };

  it('opens from the index what a scan of the file gives, over a random sequence of runs', async () => {
    const dir = await scratch('newsfold-log-store-');
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (const retain of [false, true]) {
      const file = path.join(dir, `store-${retain}.log`);
      for (let run = 0; run < 40; run++) {
        // Every other run parses the index rows on demand (`few`), as a drop-in's caches do.
        const store = LogStore.open(file, header(), { retain, few: run % 2 === 1 });
        if (run > 0) {
          // Opened by the index (its stamp is the file's), and equal to a scan of the file.
          const stamp = fileStamp(file)!;
          expect(readKeyIndex(file, JSON.stringify(header()), stamp)).not.toBeNull();
          expect(contents(store)).toEqual(await scanned(file, retain));
        }
        for (const key of [...store.keys()]) if (rand(4) > 0) store.get(key);
        for (let i = rand(6); i > 0; i--) {
          // Some keys not ASCII (the index is then read as UTF-8; an index of ASCII keys, as one-byte text).
          const n = rand(30);
          const key = n % 7 === 0 ? `ké日${n}` : `k${n}`;
          const text = rand(2) ? long(`${key}-${run}-${i}`, 20 + rand(400)) : `short ${run}`;
          store.put(key, text, rand(2) ? { hash: `h${rand(3)}` } : {});
        }
        if (retain && rand(3) === 0) for (const key of [...store.keys()].slice(0, 2)) store.delete(key);
        await store.save();
        store.close();
      }
    }
  });

  it('is not trusted when the file changed behind it, torn, or rewritten by another store', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    for (const k of ['a', 'b', 'c']) a.put(k, long(k));
    await a.save();
    // A line added by hand: the index's stamp no longer matches; the scan sees it.
    await appendFile(file, `${JSON.stringify('d')}\t${long('d')}\n`);
    const b = open(file);
    expect(b.get('d')).toBe(long('d'));
    for (const k of ['a', 'b', 'c']) b.get(k);
    b.put('e', long('e'));
    await b.save();
    // That save wrote the index afresh: trusted again, and equal to a scan.
    expect(readKeyIndex(file, JSON.stringify(header()), fileStamp(file)!)).not.toBeNull();
    expect(contents(open(file))).toEqual(await scanned(file, false));
    // A torn index: a scan.
    const index = `${file}.keys`;
    const text = await readFile(index, 'utf8');
    await writeFile(index, text.slice(0, -5));
    expect(contents(open(file))).toEqual(await scanned(file, false));
    // Another store compacts the file while this one holds it open; this one's append leaves no index.
    const reader = LogStore.open(file, header(), { retain: true });
    const writer = open(file);
    writer.get('a');
    for (let i = 0; i < 100; i++) writer.put('x', long(`x${i}`));
    await writer.save();
    reader.put('y', long('y'));
    await reader.save();
    expect(await readFile(index).catch(() => null)).toBeNull();
    expect(open(file).get('y')).toBe(long('y'));
  });

  it('is written afresh by a store that scanned its log, so a copied state is scanned once, not in every run', async () => {
    const dir = await scratch('newsfold-log-store-');
    const file = path.join(dir, 'store.log');
    const a = open(file);
    for (const k of ['a', 'b', 'c']) a.put(k, long(k));
    await a.save();
    // A copy of the state (cp): new inodes, so the copied index names another file and is not trusted.
    const copy = path.join(dir, 'copy.log');
    await copyFile(file, copy);
    await copyFile(`${file}.keys`, `${copy}.keys`);
    expect(readKeyIndex(copy, JSON.stringify(header()), fileStamp(copy)!)).toBeNull();
    // Opened and only read (never saved): the scan's entries are its new index.
    const read = open(copy);
    expect(read.get('b')).toBe(long('b'));
    read.close();
    expect(readKeyIndex(copy, JSON.stringify(header()), fileStamp(copy)!)).not.toBeNull();
    expect(contents(open(copy))).toEqual(await scanned(copy, false));
    // And a store that then appends keeps it up to date.
    const more = open(copy);
    for (const k of ['a', 'b', 'c']) more.get(k);
    more.put('d', long('d'));
    await more.save();
    expect(readKeyIndex(copy, JSON.stringify(header()), fileStamp(copy)!)).not.toBeNull();
    expect(contents(open(copy))).toEqual(await scanned(copy, false));
  });

  it('parses an index row only when its entry is asked for; a damaged row is a miss, never another entry', async () => {
    const file = path.join(await scratch('newsfold-log-store-'), 'store.log');
    const a = open(file);
    for (const k of ['a', 'b', 'c']) a.put(k, long(k), { hash: `h-${k}` });
    a.put('s', 'short', { hash: 'h-s' });
    await a.save();
    // Row b damaged past its key (the stamp line untouched): the index is still trusted, and the row
    // is found damaged only when b is asked for.
    const index = `${file}.keys`;
    const text = await readFile(index, 'utf8');
    const row = text.split('\n').find((l) => l.startsWith('["b",'))!;
    await writeFile(index, text.replace(row, `["b",9${'x'.repeat(row.length - 7)}]`));
    const b = LogStore.open(file, header(), { few: true });
    expect([...b.keys()].sort()).toEqual(['a', 'b', 'c', 's']);
    expect(b.get('a', 'h-a')).toBe(long('a'));
    expect(b.hashOf('c')).toBe('h-c');
    expect(b.get('s', 'h-s')).toBe('short');
    expect(b.get('b', 'h-b')).toBeUndefined();
    expect(b.hashOf('b')).toBeUndefined();
    // A row damaged in its key: the whole index is set aside and the log scanned (its b is whole).
    await writeFile(index, text.replace(row, `["b\\q${row.slice(4)}`));
    expect(LogStore.open(file, header(), { few: true }).get('b', 'h-b')).toBe(long('b'));
  });
});
