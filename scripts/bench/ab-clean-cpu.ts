/**
 * Paired CPU A/B of the clean stage: this checkout's clean() against another
 * checkout's (say main's), in one process, on the same files, rounds
 * interleaved (A B, then B A, ...), so load on a shared machine falls on both
 * sides alike. Each side parses the files with its own parser, then each round
 * times clean() alone and clean -> dedupe -> metadata (the per-article part of
 * the bench's ingest stage) over every document, in CPU time.
 *
 *   git archive main src | tar -x -C /tmp/ab-main     # a copy of main's code
 *   ln -s "$PWD/node_modules" /tmp/ab-main/node_modules; cp package.json /tmp/ab-main/
 *   node --import tsx scripts/bench/ab-clean-cpu.ts --base /tmp/ab-main [--rounds 9] <dir> [<dir> ...]
 *
 * Prints, per folder, CPU microseconds per document for each side (median of the
 * rounds) and the median of the per-round ratios this/base (below 1: faster).
 * Write the load (`uptime`) beside the figures. Not run in CI (it times).
 *
 * The ratio is biased against "this" (the working directory's side) on some
 * folders: main against a byte-identical copy of main read 1.12-1.30 on the
 * bench mix (docs/eval-boilerplate.md, "Speed, round three"; the cause is not
 * known: not the load order). Run it both ways (from the other checkout, with
 * --base pointing here) and take the geometric mean of this/base and
 * 1/(base/this).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

interface Side {
  name: string;
  decode: (bytes: Uint8Array) => { ok: boolean; text?: string };
  formatOf: (name: string) => string | null;
  parse: (name: string, format: string, text: string) => { ok: boolean; docs?: unknown[] };
  clean: (doc: unknown) => unknown;
  dedupe: (doc: unknown) => unknown;
  describe: (doc: unknown) => unknown;
}

async function load(name: string, root: string): Promise<Side> {
  const at = (p: string) => import(pathToFileURL(path.join(root, 'src/lib/ingest', p)).href);
  const [decode, parse, clean, dedupe, metadata] = await Promise.all([at('read/decode.ts'), at('read/parse.ts'), at('clean/clean.ts'), at('clean/dedupe.ts'), at('describe/metadata.ts')]);
  return { name, decode: decode.decode, formatOf: parse.formatOf, parse: parse.parse, clean: (d) => clean.clean(d), dedupe: (d) => dedupe.dedupe(d), describe: (d) => metadata.describe(d) };
}

async function docsOf(side: Side, dir: string): Promise<unknown[]> {
  const docs: unknown[] = [];
  // Month folders too (the 10,000-article bench corpus is filed by month).
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const format = side.formatOf(name);
    if (!format) continue;
    const decoded = side.decode(new Uint8Array(await readFile(path.join(dir, name))));
    if (!decoded.ok) continue;
    const parsed = side.parse(name, format, decoded.text!);
    if (parsed.ok) docs.push(...parsed.docs!);
  }
  return docs;
}

/** CPU milliseconds of this process (user + system). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(side: Side, docs: unknown[], stage: boolean): number {
  const t = cpu();
  for (const doc of docs) {
    if (stage) side.describe(side.dedupe(side.clean(doc)));
    else side.clean(doc);
  }
  return ((cpu() - t) * 1000) / docs.length;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { base: { type: 'string' }, rounds: { type: 'string', default: '9' } },
});
if (!values.base || positionals.length === 0) {
  console.error('usage: ab-clean-cpu.ts --base <checkout> [--rounds N] <dir> [<dir> ...]');
  process.exit(2);
}
const rounds = Number(values.rounds);
const sides = [await load('this', process.cwd()), await load('base', path.resolve(values.base))];

console.log('| folder | docs | what | base us/doc | this us/doc | this/base (median of rounds) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const dir of positionals) {
  const docs = await Promise.all(sides.map((s) => docsOf(s, dir)));
  // Warm both sides up (JIT, lazily built tables) before timing.
  sides.forEach((s, k) => time(s, docs[k], true));
  for (const stage of [false, true]) {
    const us: number[][] = [[], []];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [1, 0] : [0, 1];
      for (const k of order) us[k].push(time(sides[k], docs[k], stage));
      ratios.push(us[0][r] / us[1][r]);
    }
    const what = stage ? 'clean+dedupe+metadata' : 'clean';
    console.log(`| ${path.basename(dir)} | ${docs[0].length} | ${what} | ${median(us[1]).toFixed(0)} | ${median(us[0]).toFixed(0)} | ${median(ratios).toFixed(2)} |`);
  }
}
