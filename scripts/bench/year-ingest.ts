/**
 * The ingest alone on a generated year of news (#15): cold, a no-change run, a
 * drop-in on the latest day and a late-news drop-in (dated months back), each
 * `npm run ingest` in its own process under `/usr/bin/time -v` (wall time and
 * the largest process's peak memory), and the grouping scored against the
 * generator's labels. Cheaper than `npm run bench -- --corpus year`, which
 * builds the site too.
 *
 *   node --import tsx scripts/bench/year-ingest.ts --articles 10000 [--seed 1] [--work bench/work/year-ingest]
 *
 * The year is generated once per size and seed and kept under --work; a
 * second call reuses it (the drop-ins are removed first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeYear } from './year.ts';
import { dropInLate, dropInLatest, joinedItsStory, scoreContent } from './year-bench.ts';
import { buildNodeFlags } from '../node-flags.mjs';

const { values } = parseArgs({
  options: { articles: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, work: { type: 'string', default: 'bench/work/year-ingest' } },
});
const n = Number(values.articles);
const seed = Number(values.seed);
const dir = path.resolve(values.work!, `${n}-s${seed}`);
const raw = path.join(dir, 'raw');
const content = path.join(dir, 'content');
const labels = path.join(dir, 'labels.json');

interface Run {
  label: string;
  seconds: number;
  peakMB: number;
  line: string;
}

function ingest(label: string): Run {
  const child = spawnSync('/usr/bin/time', ['-v', 'node', ...buildNodeFlags(), '--import', 'tsx', 'scripts/ingest.ts', '--raw', raw, '--out', content], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, NEWSFOLD_TIMING: '1' },
  });
  const err = child.stderr ?? '';
  const wall = err.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = err.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const out = `${child.stdout}\n${err}`;
  // Every run's output, its phase timings (NEWSFOLD_TIMING) included, beside the year.
  writeFileSync(path.join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.log`), out);
  if (child.status !== 0) {
    console.error(out.slice(-4000));
    throw new Error(`${label}: ingest exited ${child.status}`);
  }
  const grouping = out.match(/timing: grouping \(([^)]*)\)/)?.[1] ?? '';
  const run = { label, seconds, peakMB: rss ? Math.round(Number(rss[1]) / 1024) : NaN, line: grouping };
  console.log(`${label}: ${seconds.toFixed(1)} s, peak ${run.peakMB} MB${grouping ? `; grouping ${grouping}` : ''}`);
  return run;
}

mkdirSync(dir, { recursive: true });
if (!existsSync(labels)) {
  const t = performance.now();
  const year = await makeYear({ articles: n, seed, outDir: raw, labelsFile: labels });
  console.log(`generated ${year.files} files, ${year.stories} stories, ${year.undated} undated (${((performance.now() - t) / 1000).toFixed(0)} s)`);
}
for (const month of readdirSync(raw)) for (const name of readdirSync(path.join(raw, month))) if (name.startsWith('zz-')) rmSync(path.join(raw, month, name));
rmSync(content, { recursive: true, force: true });
// The latest day any article of the last month folder is dated.
const lastMonth = readdirSync(raw).sort().at(-1)!;
let last = `${lastMonth}-01`;
for (const name of readdirSync(path.join(raw, lastMonth))) {
  const date = readFileSync(path.join(raw, lastMonth, name), 'utf8').match(/^date: "(\d{4}-\d{2}-\d{2})"$/m)?.[1];
  if (date && date > last && date.startsWith(lastMonth)) last = date;
}
console.log(`year ${n} (seed ${seed}): ${dir}`);
ingest('cold');
const b = scoreContent(content, labels);
console.log(`B-cubed vs the generator's stories: ${JSON.stringify(b)}`);
ingest('no change');
const latest = dropInLatest(raw, last);
ingest('drop-in, latest day');
console.log(`  joined its story: ${joinedItsStory(content, latest)}`);
const late = dropInLate(raw, last);
ingest(`drop-in, late news (${late.date})`);
console.log(`  joined its story: ${joinedItsStory(content, late)}`);
