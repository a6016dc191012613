/**
 * A `few` store's key index read in place (store/key-table.ts): over random
 * rows and random runs it answers exactly what the index parsed row by row
 * answers (later rows supersede, a removal removes, a key back after its
 * removal is listed from there), and a store opened so writes the same bytes
 * as one opened the usual way.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LogStore } from '../src/lib/store/log-store';
import { indexLine, keyImagePath, keyIndexPath, type Held } from '../src/lib/store/key-index';
import { KeyTable } from '../src/lib/store/key-table';
import { scratch } from './helpers/tree';

/** A small seeded generator (the same runs every time); its high bits (an LCG's low bits repeat with a short period). */
const seeded = (seed: number) => (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor((seed / 2147483648) * n));

/** Keys of three prefixes, some needing JSON escapes (a quote, a tab, a backslash, a lone surrogate), some non-ASCII (a surrogate pair too). */
const KEYS = ['a:1', 'a:2', 'a:10', 'b/x.md', 'b/y.md', 'b/ü日.md', 'b/\u{1f600}.md', 's:q"x', 's:t\tk', 's:back\\slash', 's:\ud800', 's:\udc00x', 'c', ''];

/** Adds the index row of `key` (`''`: its removal) to `rows`, and what it makes the key hold to `model`. */
function addRow(rows: string[], model: Map<string, Held>, key: string, held: Held | ''): void {
  rows.push(indexLine(key, held));
  if (held === '') model.delete(key);
  else model.set(key, held);
}

const heldOf = (rand: (n: number) => number): Held | '' => {
  const kind = rand(4);
  if (kind === 0) return '';
  if (kind === 1) return `h${rand(3)}\tshort ${rand(100)}`;
  if (kind === 2) return `no hash ${rand(100)}`;
  return { pos: rand(10_000), len: 200 + rand(300), skip: rand(2) ? 65 : 0, hash: rand(2) ? `h${rand(3)}` : undefined };
};

describe('key table', () => {
  it('answers as the index parsed row by row does, over random rows', () => {
    const rand = seeded(11);
    for (let round = 0; round < 200; round++) {
      const rows: string[] = [];
      const model = new Map<string, Held>();
      for (let i = rand(40); i > 0; i--) {
        if (rand(10) === 0) rows.push(`${JSON.stringify({ header: 'h', stamp: 'old', lines: i })}\n`); // an earlier stamp
        addRow(rows, model, KEYS[rand(KEYS.length)], heldOf(rand));
      }
      const text = rows.join('');
      const table = KeyTable.read(`${text}{"stamp":1}\n`, text.length)!;
      expect(table).not.toBeNull();
      expect(table.size).toBe(model.size);
      expect([...table.keys()].sort()).toEqual([...model.keys()].sort());
      // In Map order, apart from the escaped keys (listed last).
      const plain = (k: string) => JSON.stringify(k) === `"${k}"`;
      expect([...table.keys()].filter(plain)).toEqual([...model.keys()].filter(plain));
      for (const prefix of ['a:', 'b/', 's:', 'c', 'z', 'b/\u{1f600}', 's:q"']) {
        expect(table.countUnder(prefix)).toBe([...model.keys()].filter((k) => k.startsWith(prefix)).length);
        expect([...table.keys(prefix)].sort()).toEqual([...model.keys()].filter((k) => k.startsWith(prefix)).sort());
      }
      for (const key of [...KEYS, 'a:', 'nope']) {
        const want = model.get(key);
        expect(table.has(key), `${JSON.stringify(key)} in ${text}`).toBe(want !== undefined);
        expect(table.get(key)).toEqual(want);
        const hash = want === undefined ? null : typeof want === 'string' ? (want.includes('\t') ? want.slice(0, want.indexOf('\t')) : undefined) : want.hash;
        expect(table.hashOf(key)).toBe(hash);
      }
    }
  });

  it('answers a sweep in key order over a compacted index with appended rows as it answers any other lookup', () => {
    const rand = seeded(23);
    for (let round = 0; round < 100; round++) {
      const model = new Map<string, Held>();
      const keys = [...new Set(Array.from({ length: 5 + rand(60) }, () => `${['a:', 'b/', 's:'][rand(3)]}${rand(80)}`))].sort();
      const rows: string[] = [];
      for (const key of keys) {
        const held = heldOf(rand) || `h0\tkept`;
        rows.push(indexLine(key, held));
        model.set(key, held);
      }
      // Appended runs: some keys put again, some removed, some new (after a stamp each; a stamp line is never a row).
      for (let run = rand(4); run > 0; run--) {
        rows.push(`${JSON.stringify({ header: 'h', stamp: `s${run}`, lines: rows.length })}\n`);
        for (let i = rand(8); i > 0; i--) {
          addRow(rows, model, rand(4) ? keys[rand(keys.length)] : `a:${100 + rand(10)}`, heldOf(rand));
        }
      }
      const text = rows.join('');
      const table = KeyTable.read(`${text}{"stamp":1}\n`, text.length)!;
      const asked = [...keys, 'a:100', 'a:105', 'zz', 'header', 'stamp'].sort();
      // Twice: hashes first (the drop-in's sweep), then the entries.
      for (const key of asked) {
        const want = model.get(key);
        const hash = want === undefined ? null : typeof want === 'string' ? (want.includes('\t') ? want.slice(0, want.indexOf('\t')) : undefined) : want.hash;
        expect(table.hashOf(key)).toBe(hash);
      }
      for (const key of asked) expect([table.has(key), table.get(key)]).toEqual([model.has(key), model.get(key)]);
    }
  });

  it('sets aside a row not of the format; a row damaged past its key is a miss when asked for', () => {
    expect(KeyTable.read('["a",1,2,0,null]\n["b\\q]\n{}\n', 24)).toBeNull();
    expect(KeyTable.read('{"x":1}\n["a",1,2,0,null]\n{}\n', 26)).not.toBeNull();
    const text = '["a",1,2,0,null]\n["b",9xxxx]\n';
    const table = KeyTable.read(`${text}{}\n`, text.length)!;
    expect(table.has('b')).toBe(true);
    expect(table.get('b')).toBeNull();
    expect(table.hashOf('b')).toBeNull();
    expect(table.get('a')).toEqual({ pos: 1, len: 2, skip: 0, hash: undefined });
    // The line after a row found is a stamp: never taken for a row, whatever key is asked next.
    const stamped = '["a","h\\tx"]\n{"header":"h","stamp":"s","lines":1}\n["b","y"]\n';
    const after = KeyTable.read(`${stamped}{}\n`, stamped.length)!;
    expect([after.hashOf('a'), after.has('header'), after.hashOf('a'), after.hashOf('header'), after.get('b')]).toEqual(['h', false, 'h', null, 'y']);
  });
});

describe('key table image', () => {
  /** Everything a table answers, over the keys asked. */
  const answers = (table: KeyTable, asked: string[]) => ({
    size: table.size,
    keys: [...table.keys()],
    under: ['a:', 'b/', 's:', 'c'].map((p) => [table.countUnder(p), [...table.keys(p)]]),
    each: asked.map((key) => [table.has(key), table.get(key), table.hashOf(key)]),
  });
  const stampOf = (n: number) => `${JSON.stringify({ header: 'h', stamp: `s${n}`, lines: n })}\n`;

  it('starts from an image and the rows appended since, answering what a walk of the whole index answers', () => {
    const rand = seeded(41);
    const plainKeys = KEYS.filter((k) => JSON.stringify(k) === `"${k}"`);
    let [reads, fromImages] = [0, 0];
    for (let round = 0; round < 150; round++) {
      const model = new Map<string, Held>();
      const rows: string[] = [];
      const keyOf = () => (rand(3) ? `${['a:', 'b/', 's:'][rand(3)]}${rand(30)}` : plainKeys[rand(plainKeys.length)]);
      for (let i = rand(50); i > 0; i--) addRow(rows, model, keyOf(), heldOf(rand));
      // The index as an image saw it: its rows, then its stamp line.
      let text = rows.join('') + stampOf(0);
      let end = text.length - stampOf(0).length;
      let image = KeyTable.read(text, end)!.image()!;
      expect(image).not.toBeNull();
      let sinceImage = 0;
      let totalRows = rows.length;
      // Appended runs, each closed by a stamp; an image taken now and then.
      for (let run = 1; run <= 1 + rand(4); run++) {
        const appended: string[] = [];
        for (let i = rand(12); i > 0; i--) addRow(appended, model, keyOf(), heldOf(rand));
        end = text.length + appended.join('').length;
        text = text + appended.join('') + stampOf(run);
        const fromImage = KeyTable.read(text, end, image)!;
        const walked = KeyTable.read(text, end)!;
        sinceImage += appended.length;
        totalRows += appended.length;
        // From the image, or (its slots too full for the rows since) the whole index walked.
        expect([sinceImage, totalRows]).toContain(fromImage.walked);
        if (fromImage.walked === sinceImage) fromImages++;
        reads++;
        const asked = [...new Set([...model.keys(), 'a:1', 'zz', 'header'])];
        expect(answers(fromImage, asked)).toEqual(answers(walked, asked));
        expect(fromImage.size).toBe(model.size);
        if (rand(2)) [image, sinceImage] = [fromImage.image()!, 0];
      }
    }
    expect(fromImages).toBeGreaterThan(reads / 2);
  });

  it('is ignored when it does not describe the index, and not made when a key needs an escape', () => {
    const rows = Array.from({ length: 40 }, (_, i) => indexLine(`a:${i}`, `h${i % 3}\tx${i}`)).join('');
    const text = rows + stampOf(1);
    const image = KeyTable.read(text, rows.length)!.image()!;
    const whole = (t: string, end: number, img: Uint8Array) => KeyTable.read(t, end, img)!.walked;
    // Written afresh (a compaction): the stamp at the image's place is another.
    const rewritten = rows + stampOf(2);
    expect(whole(rewritten, rows.length, image)).toBe(40);
    // The same stamp after other rows of the same length.
    const other = rows.replace('a:7', 'a:8') + stampOf(1);
    expect(whole(other, rows.length, image)).toBe(40);
    // Shorter than the image's rows; a damaged image.
    expect(whole(rows.slice(0, 170) + stampOf(1), 170, image)).toBeGreaterThan(0);
    const damaged = image.slice();
    damaged[0] ^= 1;
    expect(whole(text, rows.length, damaged)).toBe(40);
    expect(whole(text, rows.length, image.subarray(0, image.length - 4))).toBe(40);
    // Too many rows appended since to fit its slots: walked whole, still right.
    const more = Array.from({ length: 100 }, (_, i) => indexLine(`b/${i}`, `y${i}`)).join('');
    const grown = text + more + stampOf(3);
    const table = KeyTable.read(grown, text.length + more.length, image)!;
    expect([table.walked, table.size, table.get('b/99'), table.hashOf('a:5')]).toEqual([140, 140, 'y99', 'h2']);
    // Unaligned bytes (a pooled Buffer's view) read as well.
    const shifted = new Uint8Array(image.length + 1);
    shifted.set(image, 1);
    expect(whole(text, rows.length, shifted.subarray(1))).toBe(0);
    const escaped = `${indexLine('s:q"x', 'v')}${rows}`;
    expect(KeyTable.read(escaped + stampOf(1), escaped.length)!.image()).toBeNull();
  });

  it('is written by a store opened for few entries once it walks many rows, and read by the next open', async () => {
    const dir = await scratch('newsfold-key-image-');
    const file = path.join(dir, 'big.log');
    const header = { store: 't.log', version: 1, code: 'p' };
    const first = LogStore.open(file, header, { retain: true });
    for (let i = 0; i < 4200; i++) first.put(`k:${i}`, `text ${i}`, { hash: `h${i % 7}` });
    await first.save();
    first.close();
    await expect(readFile(keyImagePath(file))).rejects.toThrow();
    const walked = LogStore.open(file, header, { retain: true, few: true });
    expect(walked.get('k:12', 'h5')).toBe('text 12');
    walked.put('k:new', 'new text');
    walked.delete('k:3');
    await walked.save();
    walked.close();
    expect((await readFile(keyImagePath(file))).length).toBeGreaterThan(0);
    const image = await readFile(keyImagePath(file));
    const reopened = LogStore.open(file, header, { retain: true, few: true });
    const usual = LogStore.open(file, header, { retain: true });
    for (const key of ['k:0', 'k:3', 'k:12', 'k:4100', 'k:new', 'nope']) expect(reopened.get(key)).toBe(usual.get(key));
    expect([reopened.size, reopened.hashOf('k:13')]).toEqual([usual.size, 'h6']);
    // Two rows appended since the image: not written again.
    expect(await readFile(keyImagePath(file))).toEqual(image);
    for (const s of [reopened, usual]) s.close();
  });
});

describe('log store opened for few entries', () => {
  const header = { store: 't.log', version: 1, code: 'p' };
  const long = (seed: string, n: number) => `{"seed":${JSON.stringify(seed)},"text":"${`ü日 ${seed} `.repeat(n)}"}`;

  it('answers and writes exactly what a store opened the usual way does, over random runs', async () => {
    const dir = await scratch('newsfold-key-table-');
    const files = [path.join(dir, 'few.log'), path.join(dir, 'all.log')];
    const rand = seeded(5);
    for (let run = 0; run < 60; run++) {
      const [few, all] = [LogStore.open(files[0], header, { retain: true, few: true }), LogStore.open(files[1], header, { retain: true })];
      const same = <T>(ask: (store: LogStore) => T) => {
        const want = ask(all);
        expect(ask(few)).toEqual(want);
        return want;
      };
      for (let op = 20 + rand(30); op > 0; op--) {
        const key = rand(5) === 0 ? KEYS[rand(KEYS.length)] : `${['a:', 'b/', 's:'][rand(3)]}${rand(60)}`;
        const hash = `h${rand(3)}`;
        switch (rand(10)) {
          case 0:
            same((s) => s.get(key));
            break;
          case 1:
            same((s) => s.get(key, hash));
            break;
          case 2:
            same((s) => [s.hashOf(key), s.has(key)]);
            break;
          case 3:
          case 4:
          case 5: {
            const text = rand(2) ? long(`${key}-${run}`, 1 + rand(40)) : `short ${rand(5)}`;
            const options = rand(2) ? { hash } : {};
            for (const s of [few, all]) s.put(key, text, options);
            break;
          }
          case 6:
          case 7:
            for (const s of [few, all]) s.delete(key);
            break;
          case 8:
            same((s) => [s.size, s.changed]);
            break;
          default: {
            const prefix = ['a:', 'b/', 's:', 'a:1'][rand(4)];
            same((s) => [s.countUnder(prefix), [...s.keysUnder(prefix)].sort()]);
          }
        }
      }
      same((s) => [s.size, [...s.keys()].sort()]);
      // Every few runs every key is listed (the table moved into the store) before the save.
      if (run % 7 === 3) same((s) => [...s.keys()]);
      await Promise.all([few.save(), all.save()]);
      for (const s of [few, all]) s.close();
      const bytes = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => null)));
      expect(bytes[0]).toBe(bytes[1]);
      const index = await Promise.all(files.map((f) => readFile(keyIndexPath(f), 'utf8').catch(() => null)));
      // (The stamps name each file's own inode and time: compared without them.)
      const rowsOf = (text: string | null) => text?.split('\n').filter((l) => l.startsWith('['));
      expect(rowsOf(index[0])).toEqual(rowsOf(index[1]));
    }
  });
});

describe('log store: the entries a run did not use', () => {
  const header = { store: 't.log', version: 1, code: 'p' };

  it('drops exactly the entries a run neither read nor put, and says so through `changed`, over random runs', async () => {
    const file = path.join(await scratch('newsfold-key-table-'), 'stat.log');
    const rand = seeded(31);
    /** What the file holds after each save: key -> [hash, text]. */
    let kept = new Map<string, [string | undefined, string]>();
    for (let run = 0; run < 60; run++) {
      const store = LogStore.open(file, header, { few: rand(2) === 1 });
      const held = new Map(kept);
      const used = new Set<string>();
      let edited = false;
      for (let op = rand(40); op > 0; op--) {
        const key = `k${rand(25)}`;
        const hash = rand(3) ? `h${rand(2)}` : undefined;
        switch (rand(5)) {
          case 0:
          case 1: {
            const want = held.get(key);
            const hit = want !== undefined && (hash === undefined ? want[0] === undefined : want[0] === hash);
            expect(store.get(key, hash)).toBe(hit ? want[1] : hash === undefined && want ? `${want[0]}\t${want[1]}` : undefined);
            if (want !== undefined && (hit || hash === undefined)) used.add(key);
            break;
          }
          case 2:
          case 3: {
            const text = rand(3) ? `text ${rand(4)}` : `{"long":"${'x'.repeat(200 + rand(50))}"}`;
            const tentative = rand(4) === 0;
            store.put(key, text, { hash, tentative });
            if (!tentative) used.add(key);
            const was = held.get(key);
            if (!was || was[0] !== hash || was[1] !== text) edited = true;
            held.set(key, [hash, text]);
            break;
          }
          default:
            store.delete(key);
            if (held.delete(key)) edited = true;
            used.delete(key);
        }
      }
      const unused = [...held.keys()].filter((k) => !used.has(k)).length;
      expect(store.size).toBe(held.size);
      if (run > 0) expect(store.changed).toBe(edited || unused > 0);
      await store.save();
      store.close();
      kept = new Map([...held].filter(([k]) => used.has(k)));
      const back = LogStore.open(file, header);
      expect(back.size).toBe(kept.size);
      for (const [key, [hash, text]] of kept) expect(back.get(key, hash)).toBe(text);
      back.close();
    }
  });
});
