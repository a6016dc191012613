/**
 * Drives the windowed grouping (src/lib/ingest/stories) directly, without
 * Astro, on a drop folder with gold labels (a generated year, year.ts):
 *
 *   node --import tsx scripts/bench/group-year.ts --raw bench/work/10000/raw --labels bench/work/10000/labels.json
 *        [--items bench/work/10000/items.v8] [--drop-ins 5] [--check]
 *
 *  - reads and parses the files through the real pure stages (articlesFromFile,
 *    repeated-line removal), or loads them from --items (written on first use:
 *    parsing 100,000 files takes minutes);
 *  - times the cold grouping (CPU and wall), with heap and peak RSS, and scores
 *    it against the labels (B-cubed: all, dated only, undated only);
 *  - --drop-ins K: K one-article drop-ins on the latest day and K late-news
 *    drop-ins (an article dated months back), each placed by regroup() from the
 *    kept state, timed, and (--check) compared with a cold run of the new set;
 *  - --set key=value: StoryOptions overrides (as scripts/eval/stories-window.ts);
 *  - --months: only the articles of those months (dated by their day, undated
 *    by their folder), for quick comparisons on a slice of a big year;
 *  - --errors K: where precision is lost (grouping-errors.ts): each article
 *    placed in a story whose main gold story is not its own, by how it got
 *    there, and K examples. With the generator's seeds file beside the labels
 *    (labels.seeds.json) it also says whether the two stories share a seed.
 */
import { readdirSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { articlesFromFile } from '../../src/lib/ingest/pipeline.ts';
import { dropRepeatedLines } from '../../src/lib/ingest/clean/repeated-lines.ts';
import { clusterDocs } from '../../src/lib/ingest/stories/cluster-docs.ts';
import type { Article } from '../../src/lib/ingest/types.ts';
import { bcubed } from '../eval/clustering.ts';
import { groupCold, resultOf } from '../../src/lib/ingest/stories/group.ts';
import { applyRegroup, keptStateOf, regroup, type CurrentSet } from '../../src/lib/ingest/stories/regroup.ts';
import { bucketOf, itemOf, monthOf, type StoryItem } from '../../src/lib/ingest/stories/items.ts';
import { normaliseState, type GroupingState } from '../../src/lib/ingest/stories/state.ts';
import { defaultStoryOptions, type StoryOptions } from '../../src/lib/ingest/stories/options.ts';
import { precisionErrors } from '../eval/grouping-errors.ts';
import { setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), loaded when first needed.
setLibraries(nodeLibraries);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const abs = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(abs).isDirectory()) out.push(...walk(abs, r));
    else out.push(r);
  }
  return out;
}

export function loadArticles(raw: string): Article[] {
  const articles: Article[] = [];
  for (const rel of walk(raw)) articles.push(...articlesFromFile({ raw: rel, bytes: new Uint8Array(readFileSync(path.join(raw, rel))) }).articles);
  return dropRepeatedLines(articles);
}

interface Cached {
  items: StoryItem[];
  articles: Array<Pick<Article, 'id' | 'raw' | 'date'>>;
}

function loadItems(raw: string, cache: string | undefined, log: (s: string) => void): { items: StoryItem[]; full: Article[] | null } {
  if (cache && existsSync(cache)) {
    const c = deserialize(readFileSync(cache)) as Cached;
    return { items: c.items, full: null };
  }
  const t = cpu();
  const articles = loadArticles(raw);
  log(`parsed ${articles.length} articles in ${((cpu() - t) / 1000).toFixed(1)} s CPU`);
  const docOf = clusterDocs(defaultStoryOptions);
  const items = articles.map((a) => itemOf(a, docOf(a)));
  if (cache) writeFileSync(cache, serialize({ items, articles: [] }));
  return { items, full: articles };
}

function score(assign: Map<string, string>, items: StoryItem[], labels: Record<string, string>) {
  const gold = new Map<string, string>();
  for (const it of items) if (labels[it.raw]) gold.set(it.id, labels[it.raw]);
  const only = (pred: (it: StoryItem) => boolean) => {
    const g = new Map([...gold].filter(([id]) => pred(byId.get(id)!)));
    return bcubed(assign, g);
  };
  const byId = new Map(items.map((it) => [it.id, it]));
  const fmt = (b: { precision: number; recall: number; f1: number }) => `F1 ${b.f1.toFixed(4)} (P ${b.precision.toFixed(4)}, R ${b.recall.toFixed(4)})`;
  return `all ${fmt(bcubed(assign, gold))}; dated ${fmt(only((it) => it.day !== null))}; undated ${fmt(only((it) => it.day === null))}`;
}

/** The current set as regroup() reads it, over an array of items. */
export function currentSetOf(items: readonly StoryItem[]): CurrentSet {
  const byDay = new Map<number, StoryItem[]>();
  const byBucket = new Map<string, StoryItem[]>();
  for (const it of items) {
    if (it.day !== null) {
      if (!byDay.has(it.day)) byDay.set(it.day, []);
      byDay.get(it.day)!.push(it);
    } else {
      const k = bucketOf(it.raw).key;
      if (!byBucket.has(k)) byBucket.set(k, []);
      byBucket.get(k)!.push(it);
    }
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  return {
    dated: (from, to) => days.filter((d) => d >= from && d <= to).flatMap((d) => byDay.get(d)!),
    bucket: (k) => byBucket.get(k) ?? [],
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      raw: { type: 'string' },
      labels: { type: 'string' },
      items: { type: 'string' },
      old: { type: 'boolean', default: false },
      'drop-ins': { type: 'string', default: '0' },
      check: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
      months: { type: 'string' },
      errors: { type: 'string', default: '0' },
    },
  });
  const log = (s: string) => console.log(s);
  const options: Partial<StoryOptions> = {};
  for (const kv of values.set ?? []) {
    const [key, v] = kv.split('=');
    (options as Record<string, number>)[key] = Number(v);
  }
  if (Object.keys(options).length) log(`options: ${JSON.stringify(options)}`);
  let { items } = loadItems(values.raw!, values.items, log);
  if (values.months) {
    const months = new Set(values.months.split(','));
    items = items.filter((it) => months.has(it.day !== null ? monthOf(it.day) : bucketOf(it.raw).key.slice(2, 9)));
  }
  const labels = values.labels ? (JSON.parse(readFileSync(values.labels, 'utf8')) as Record<string, string>) : {};
  log(`${items.length} items (${items.filter((i) => i.day === null).length} undated); heap ${mb(process.memoryUsage().heapUsed)}`);

  let t = cpu();
  let w = performance.now();
  const state = groupCold(items, options);
  log(`cold grouping: ${((cpu() - t) / 1000).toFixed(2)} s CPU, ${((performance.now() - w) / 1000).toFixed(2)} s wall; heap ${mb(process.memoryUsage().heapUsed)}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
  t = cpu();
  const result = resultOf(state, options);
  log(`outputs of ${result.stories.length} stories: ${((cpu() - t) / 1000).toFixed(2)} s CPU`);
  const assign = new Map([...result.assignments].map(([id, a]) => [id, a.story]));
  log(`windowed: ${result.stories.length} stories; ${score(assign, items, labels)}`);
  const errors = Number(values.errors);
  if (errors > 0) {
    const seedsFile = values.labels!.replace(/(\.json)?$/, '.seeds.json');
    const seeds = existsSync(seedsFile) ? (JSON.parse(readFileSync(seedsFile, 'utf8')) as Record<string, string>) : null;
    for (const line of precisionErrors(state, labels, seeds, errors)) log(line);
  }

  const json = JSON.stringify(state);
  log(`state: ${mb(json.length)} as JSON, ${Object.keys(state.months).length} months, ${Object.keys(state.buckets).length} folders`);

  const k = Number(values['drop-ins']);
  if (k > 0) dropIns(items, state, k, Boolean(values.check), log);
}

function dropIns(items: StoryItem[], state: GroupingState, k: number, check: boolean, log: (s: string) => void): void {
  const dated = items.filter((it) => it.day !== null);
  const last = Math.max(...dated.map((it) => it.day!));
  const latest = dated.filter((it) => it.day === last);
  const lateDay = last - 120;
  const late = dated.filter((it) => it.day! >= lateDay && it.day! < lateDay + 3);
  for (const [kind, pool] of [['latest day', latest], ['late news (~4 months back)', late]] as const) {
    for (let i = 0; i < k && i < pool.length; i++) {
      const src = pool[Math.floor((i * pool.length) / k)];
      // Another outlet's take: the same words, its own name, filed in the latest month's folder.
      const item: StoryItem = { ...src, id: `zz-drop-${i}-${src.id}`, raw: `${monthOf(last)}/zz-drop-${i}-${src.raw.split('/').pop()}`, source: 'Drop-in Desk' };
      const next = [...items, item];
      const t = cpu();
      const w = performance.now();
      const r = regroup(keptStateOf(state), currentSetOf(next), { added: [item], removed: [] });
      const applied = applyRegroup(state, r);
      const ms = cpu() - t;
      const wall = performance.now() - w;
      const joined = resultOf(applied, {}, r.touched).assignments.get(item.id)?.story === resultOf(applied, {}, r.touched).assignments.get(src.id)?.story;
      let verdict = '';
      if (check) {
        const cold = groupCold(next);
        verdict = JSON.stringify(normaliseState(applied)) === JSON.stringify(normaliseState(cold)) ? ', identical to cold' : ', DIFFERS from cold';
      }
      log(`drop-in (${kind}): ${ms.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall; placed ${r.recomputed.placed}, days ${r.recomputed.days?.join('..')}, folders ${r.recomputed.buckets.join(' ')}; ${r.touched.length} stories touched; joined its story: ${joined}${verdict}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
