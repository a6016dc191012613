/**
 * The windowed grouping (src/lib/ingest/stories) on the dev corpora with
 * options overridden, for tuning by halves: B-cubed on BASIL and AllSides,
 * each half of their stories, and with synthetic wire copies (how many name
 * their original and sit in its story). With no `--set`, the figures of
 * `npm run eval -- --only clustering`. (cluster.ts, the whole-drop clustering
 * it replaced, scored BASIL 0.988 and AllSides 0.939: docs/stories-window.md.)
 *
 *   node --import tsx scripts/eval/stories-window.ts [--set key=value ...]
 *
 * `--set joinWindowDays=5` etc. override StoryOptions, for tuning by halves.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { bcubed, groupArticles, half, loadLabelled, withCopies, type Labelled } from './clustering.ts';
import type { StoryOptions } from '../../src/lib/ingest/stories/options.ts';

export function windowed(set: Labelled, options: Partial<StoryOptions> = {}) {
  const started = performance.now();
  const result = groupArticles(set.articles, options);
  const ms = performance.now() - started;
  const predicted = new Map([...result.assignments].map(([id, a]) => [id, a.story]));
  return { ...bcubed(predicted, set.gold), ms, stories: result.stories.length, result };
}

function main(): void {
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('windowed grouping eval');
    return;
  }
  const { values } = parseArgs({ options: { set: { type: 'string', multiple: true, default: [] } } });
  const options: Partial<StoryOptions> = {};
  for (const kv of values.set ?? []) {
    const [k, v] = kv.split('=');
    (options as Record<string, number>)[k] = Number(v);
  }
  const f = (x: number) => x.toFixed(3);
  console.log(`options: ${JSON.stringify(options)}`);
  console.log('set              | articles | windowed P / R / F1');
  for (const name of ['clustering-basil', 'clustering-allsides']) {
    const set = loadLabelled(path.join(corpus, name, 'ingest'));
    const rows: Array<[string, Labelled]> = [[name.replace('clustering-', ''), set], ['  half a', half(set, 0)], ['  half b', half(set, 1)]];
    for (const [label, s] of rows) {
      const w = windowed(s, options);
      console.log(`${label.padEnd(16)} | ${String(s.articles.length).padStart(8)} | ${f(w.precision)} / ${f(w.recall)} / ${f(w.f1)}`);
    }
    const { set: copies, expected } = withCopies(set);
    const w = windowed(copies, options);
    let found = 0;
    let sameStory = 0;
    let falseCopies = 0;
    for (const [id, a] of w.result.assignments) {
      const want = expected.get(id);
      if (want === undefined) {
        if (a.copyOf) falseCopies++;
        continue;
      }
      if (a.copyOf === want) found++;
      if (a.story === w.result.assignments.get(want)?.story) sameStory++;
    }
    console.log(`  + wire copies   | ${String(copies.articles.length).padStart(8)} | ${f(w.precision)} / ${f(w.recall)} / ${f(w.f1)} | copies: ${found}/${expected.size} name their original, ${sameStory}/${expected.size} in its story, ${falseCopies} false`);
  }
}

main();
