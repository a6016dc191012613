/**
 * The record log written as a stream (store/record-log.ts openRecordSink, #15): a cold run writes it
 * afresh with every record once, a run over a log it trusts appends only the records the log lacks,
 * a log left mostly dead is compacted to this run's records, and a failed run leaves no half file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { openRecordSink, readRecords, recordsPath, recordsStamp } from '../src/lib/store/record-log';
import { stateDir } from '../src/lib/store/layout';
import { scratch } from './helpers/tree';

let dir: string;
beforeEach(async () => {
  dir = await scratch();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (i: number, pad = 0) => [`k${i}`, JSON.stringify({ i, text: 'x'.repeat(pad) })] as [string, string];

async function write(records: Array<[string, string]>, known: Set<string>, trusted: string | null) {
  const sink = openRecordSink(dir, known, trusted);
  sink.guard(() => records.forEach(([k, j]) => sink.add(k, j)));
  return sink.close();
}

describe('record sink', () => {
  it('writes every record once afresh, then appends only what a trusted log lacks', async () => {
    const first = [record(1), record(2), record(1), record(3)];
    const stamp = await write(first, new Set(), null);
    expect(stamp).toBe(recordsStamp(dir));
    expect(readRecords(dir, ['k3', 'k1', 'k2'])).toEqual([first[3][1], first[0][1], first[1][1]]);
    const size = (await stat(recordsPath(dir))).size;
    // k1..k3 known (the render cache names them), k4 new: only k4 is appended.
    await write([record(1), record(4)], new Set(['k1', 'k2', 'k3']), stamp);
    expect((await stat(recordsPath(dir))).size).toBe(size + `"k4"\t${record(4)[1]}\n`.length);
    expect(readRecords(dir, ['k4', 'k2'])).toEqual([record(4)[1], record(2)[1]]);
  });

  it('rewrites a log it does not trust, and compacts one left mostly dead', async () => {
    const old = Array.from({ length: 50 }, (_, i) => record(i, 40_000));
    await write(old, new Set(), null);
    // Not trusted (another stamp): written afresh with this run's records only.
    await write([record(7, 40_000)], new Set(), 'another stamp');
    expect(readRecords(dir, ['k8'])).toBeNull();
    expect(readRecords(dir, ['k7'])).toEqual([record(7, 40_000)[1]]);
    // Trusted, and this run keeps 2 of 50 large records and adds one: appended, then compacted.
    const again = await write(old, new Set(), null);
    await write([record(3, 40_000), record(9, 40_000), record(60)], new Set(old.map(([k]) => k)), again);
    const text = await readFile(recordsPath(dir), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    expect(readRecords(dir, ['k3', 'k9', 'k60'])).toEqual([record(3, 40_000)[1], record(9, 40_000)[1], record(60)[1]]);
  });

  it('leaves no temporary file and the old log when the run fails', async () => {
    const stamp = await write([record(1)], new Set(), null);
    const sink = openRecordSink(dir, new Set(), 'untrusted');
    expect(() =>
      sink.guard(() => {
        sink.add(...record(2));
        throw new Error('render failed');
      }),
    ).toThrow('render failed');
    expect((await readdir(stateDir(dir))).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(recordsStamp(dir)).toBe(stamp);
  });
});
