/**
 * The windowed grouping on the dev corpora made denser with real distractors:
 * volume-bbc articles (real news on other events, each its own story) dated
 * on the days around the labelled articles, so an article meets many more
 * unrelated stories in its window, as in a newsroom's year. Scores B-cubed
 * over the labelled articles only (a distractor in a labelled article's story
 * costs its precision; distractors among themselves are not scored: volume-bbc
 * holds duplicates), for each set and half, with the density bar off
 * (densitySlope=0) and with the options given.
 *
 *   node --import tsx scripts/eval/stories-density.ts [--per-day 10] [--set key=value ...]
 *
 * This is the real-text check of score.ts thresholdFor: the dev sets alone
 * hold 15 stories or fewer in a 7-day view, so they never move it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Article } from '../../src/lib/ingest/types.ts';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { mulberry32, sharedStories } from '../bench/corpus.ts';
import { half, loadLabelled, type Labelled } from './clustering.ts';
import { clusterDocs } from '../../src/lib/ingest/stories/cluster-docs.ts';
import { groupCold, resultOf } from '../../src/lib/ingest/stories/group.ts';
import { itemOf } from '../../src/lib/ingest/stories/items.ts';
import { defaultStoryOptions, type StoryOptions } from '../../src/lib/ingest/stories/options.ts';

/** Distractors come from this many outlets (a second piece from one outlet is halved: sameSourceFactor). */
const OUTLETS = 40;
/** Days either side of a labelled article's day that get distractors. */
const REACH = 3;

type Distractor = { title: string; paragraphs: string[] };

function withDistractors(set: Labelled, pool: readonly Distractor[], perDay: number, seed: number): Article[] {
  const rng = mulberry32(seed);
  const dayMs = 86_400_000;
  const days = new Set<number>();
  for (const a of set.articles) {
    if (!a.date) continue;
    const d = Math.floor(Date.parse(a.date) / dayMs);
    for (let k = -REACH; k <= REACH; k++) days.add(d + k);
  }
  const order = [...days].sort((a, b) => a - b);
  const per = Math.min(perDay, Math.floor(pool.length / Math.max(1, order.length)));
  const template = set.articles[0];
  const out: Article[] = [...set.articles];
  let next = Math.floor(rng() * pool.length);
  order.forEach((day, i) => {
    for (let k = 0; k < per; k++) {
      const d = pool[next++ % pool.length];
      const id = `distractor-${i}-${k}`;
      out.push({
        ...template,
        id,
        raw: `distractors/${id}.md`,
        source: `Distractor Outlet ${Math.floor(rng() * OUTLETS)}`,
        title: d.title,
        dek: null,
        excerpt: '',
        url: null,
        byline: null,
        date: new Date(day * dayMs).toISOString().slice(0, 10),
        body: d.paragraphs.map((text) => ({ kind: 'p' as const, text })),
      } as Article);
    }
  });
  return out;
}

/** B-cubed over the labelled articles; a predicted story's distractors count against their precision. */
function labelledBcubed(predicted: Map<string, string>, gold: Map<string, string>) {
  const members = new Map<string, string[]>();
  for (const [id, s] of predicted) (members.get(s) ?? members.set(s, []).get(s)!).push(id);
  const goldSize = new Map<string, number>();
  for (const g of gold.values()) goldSize.set(g, (goldSize.get(g) ?? 0) + 1);
  let p = 0;
  let r = 0;
  for (const [id, g] of gold) {
    const mine = members.get(predicted.get(id)!)!;
    const both = mine.filter((x) => gold.get(x) === g).length;
    p += both / mine.length;
    r += both / goldSize.get(g)!;
  }
  const precision = p / gold.size;
  const recall = r / gold.size;
  // Labelled articles in a story with a distractor: what the distractors cost directly.
  let mixed = 0;
  for (const id of gold.keys()) if (members.get(predicted.get(id)!)!.some((x) => !gold.has(x))) mixed++;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), mixed };
}

async function main(): Promise<void> {
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('windowed grouping density eval');
    return;
  }
  const { values } = parseArgs({ options: { set: { type: 'string', multiple: true, default: [] }, 'per-day': { type: 'string', default: '10' } } });
  const options: Partial<StoryOptions> = {};
  for (const kv of values.set ?? []) {
    const [k, v] = kv.split('=');
    (options as Record<string, number>)[k] = Number(v);
  }
  const perDay = Number(values['per-day']);
  // One distractor per distinct headline (volume-bbc repeats some files).
  const seen = new Set<string>();
  const pool: Distractor[] = [];
  for (const s of await sharedStories(corpus)) {
    if (!s.key.startsWith('bbc:')) continue;
    const t = s.tellings[0];
    if (seen.has(t.title)) continue;
    seen.add(t.title);
    pool.push({ title: t.title, paragraphs: t.paragraphs });
  }
  const f = (x: number) => x.toFixed(3);
  const arms: Array<[string, Partial<StoryOptions>]> = [
    ['bar off', { ...options, densitySlope: 0 }],
    [`as given ${JSON.stringify(options)}`, options],
  ];
  console.log(`${pool.length} distractors available, up to ${perDay} a day within ${REACH} days of a labelled article`);
  console.log(`set              | articles | ${arms.map(([n]) => n).join(' | ')}   (P / R / F1 over the labelled articles; labelled articles in a story with a distractor)`);
  for (const name of ['clustering-basil', 'clustering-allsides']) {
    const set = loadLabelled(path.join(corpus, name, 'ingest'));
    const rows: Array<[string, Labelled]> = [[name.replace('clustering-', ''), set], ['  half a', half(set, 0)], ['  half b', half(set, 1)]];
    for (const [label, s] of rows) {
      const articles = withDistractors(s, pool, perDay, 1);
      const cells = arms.map(([, o]) => {
        const docOf = clusterDocs({ ...defaultStoryOptions, ...o });
        const result = resultOf(groupCold(articles.map((a) => itemOf(a, docOf(a))), o), o);
        const predicted = new Map([...result.assignments].map(([id, a]) => [id, a.story]));
        const b = labelledBcubed(predicted, s.gold);
        return `${f(b.precision)} / ${f(b.recall)} / ${f(b.f1)} (${b.mixed} mixed)`;
      });
      console.log(`${label.padEnd(16)} | ${String(articles.length).padStart(8)} | ${cells.join(' | ')}`);
    }
  }
}

void main();
