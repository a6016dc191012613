/**
 * The build starts Astro's start-up when the ingest tells it the corpus stages
 * will run (ingest-fs.ts `onCorpusChange`, build/index.ts `startAhead`). The
 * ingest tells it once per run, as soon as the corpus memo misses, before the
 * drop-in reads the last run and the shard memo (which grow with the archive),
 * and never on a run the memo answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { runIngest } from '../src/lib/build/ingest-fs';
import { copySample, scratch } from './helpers/tree';

let dir: string;
const timing = process.env.NEWSFOLD_TIMING;
beforeAll(async () => {
  dir = await scratch();
  // The phase lines say how far the run had gone when it told the build.
  process.env.NEWSFOLD_TIMING = '1';
});
afterAll(async () => {
  if (timing === undefined) delete process.env.NEWSFOLD_TIMING;
  else process.env.NEWSFOLD_TIMING = timing;
  await rm(dir, { recursive: true, force: true });
});

/** One run; the phases logged before each time it told the build. */
async function run(raw: string, out: string) {
  const lines: string[] = [];
  const told: string[][] = [];
  const result = await runIngest({
    raw,
    out,
    log: (line) => lines.push(line),
    onCorpusChange: () => {
      told.push(lines.filter((l) => l.startsWith('timing: ')).map((l) => l.slice(8).replace(/ \d+ ms \(.*$/, '')));
    },
  });
  return { result, told };
}

describe('telling the build the corpus stages will run', () => {
  it('once, right after the memo misses, on the full path and the drop-in; never when the memo answers', async () => {
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'content');
    const names = await copySample(raw);

    const cold = await run(raw, out);
    expect(cold.result.route).toBe('full');
    expect(cold.told).toEqual([['list and read raw', 'corpus key and memo']]);

    const same = await run(raw, out);
    expect(same.result.route).toBe('no-change');
    expect(same.told).toEqual([]);

    // A new file: the drop-in, told before it reads the last run (its first phase).
    await copyFile(path.join(raw, names[0]), path.join(raw, `zz-copy-${names[0]}`));
    const drop = await run(raw, out);
    expect(drop.result.route).toBe('drop-in');
    expect(drop.told).toEqual([['list and read raw', 'corpus key and memo']]);
  });
});
