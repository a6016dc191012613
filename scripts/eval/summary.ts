/**
 * Eval section "summary": our story summaries and headlines against the
 * AllSides editors' own (ROUGE-1/2 F1), beside LexRank, centroid, lead,
 * round-robin lead and an extractive oracle at the same length per story,
 * computed by the shared scorer ../shared/tools/summary_rouge.py on the whole
 * dev set and on each half (gold stories split by a hash of their id, as the
 * clustering section splits them).
 *
 * Twice: with our grouping (the ingest as it runs), and with the gold grouping
 * handed to the same digest (each gold story's files as one story), which
 * separates the summariser's quality from the grouping's. The baselines
 * always read the gold stories; only their length follows ours.
 *
 * The ingest runs in-process on the AllSides raw files; its report and story
 * files are written to a temporary folder for the scorer, which is Python
 * (python3 is on every machine). Skips loudly without ../shared or python3.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { announceSkip } from '../lib/corpus.ts';
import { loadAllSides, membersOf, type DevSet } from '../train/allsides.ts';
import { digest, type IngestResult } from '../../src/lib/ingest/index.ts';
import type { EvalSection, EvalTable } from './types.ts';

const SYSTEMS = ['ours', 'lexrank', 'centroid', 'lead-round-robin', 'lead', 'oracle'] as const;
const HEADLINES = ['ours', 'first-title', 'oracle-title'] as const;

export interface ScorerLine {
  summary: Record<string, { r1: number; r2: number }>;
  headline: Record<string, number>;
  stories: number;
  words: number;
}

/** Parses the scorer's last line ("summary: ours R1 .. R2 .. | ... | headline ours R1 ..") and its count line. */
export function parseScorer(out: string): ScorerLine {
  const line: ScorerLine = { summary: {}, headline: {}, stories: 0, words: 0 };
  const count = out.match(/(\d+) stories, ours (\d+) words/);
  if (count) [line.stories, line.words] = [Number(count[1]), Number(count[2])];
  const last = out.split('\n').find((l) => l.startsWith('summary: '));
  for (const part of (last ?? '').slice('summary: '.length).split(' | ')) {
    let m = part.match(/^headline (\S+) R1 ([\d.]+)$/);
    if (m) {
      line.headline[m[1]] = Number(m[2]);
      continue;
    }
    m = part.match(/^(\S+) R1 ([\d.]+) R2 ([\d.]+)$/);
    if (m) line.summary[m[1]] = { r1: Number(m[2]), r2: Number(m[3]) };
  }
  return line;
}

/** What the scorer reads: the report (articles' raw file, story, title; stories' headline) and stories/<id>.json. */
function writeReport(dir: string, result: Pick<IngestResult, 'articles' | 'stories'>): void {
  mkdirSync(path.join(dir, 'stories'), { recursive: true });
  const report = {
    articles: result.articles.map((a) => ({ raw: a.raw, story: a.story, title: a.title })),
    stories: result.stories.map((s) => ({ id: s.id, headline: s.headline, articles: s.articles })),
  };
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
  for (const s of result.stories) writeFileSync(path.join(dir, 'stories', `${s.id}.json`), JSON.stringify({ summary: s.summary }));
}

/** The dev stories digested under the gold grouping: each gold story's files, one story, the same digest. */
export function goldResult(set: DevSet): Pick<IngestResult, 'articles' | 'stories'> {
  const groups = membersOf(set, 'gold');
  const storyOfRaw = new Map<string, string>();
  const stories = set.stories.map((dev) => {
    const { members, assignments } = groups.get(dev.gold)!;
    for (const a of members) storyOfRaw.set(a.raw, dev.gold);
    return digest(dev.gold, members, assignments);
  });
  const articles = set.result.articles.map((a) => ({ ...a, story: storyOfRaw.get(a.raw) ?? a.story }));
  return { articles, stories };
}

const section: EvalSection = {
  name: 'summary',
  async run(corpus: string): Promise<EvalTable> {
    const scorer = path.resolve(corpus, '../tools/summary_rouge.py');
    const dir = path.join(corpus, 'clustering-allsides');
    const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    if (!existsSync(scorer) || !existsSync(path.join(dir, 'roundups.json')) || python.status !== 0) {
      announceSkip(`eval summary (needs ${scorer}, ${dir}/roundups.json and python3)`);
      return { columns: ['system'], rows: [], notes: ['skipped: scorer, roundups or python3 missing'] };
    }
    const set = loadAllSides(corpus);
    const work = mkdtempSync(path.join(tmpdir(), 'newsfold-summary-'));
    try {
      const parts: Array<[string, Record<string, string>]> = [['all', set.labels]];
      for (const half of ['a', 'b'] as const) {
        const keep = new Set(set.stories.filter((s) => s.half === half).map((s) => s.gold));
        parts.push([`half ${half}`, Object.fromEntries(Object.entries(set.labels).filter(([, g]) => keep.has(g)))]);
      }
      const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(2));
      const rows: EvalTable['rows'] = [];
      const notes: string[] = [];
      let columns: string[] = [];
      for (const grouping of ['ours', 'gold'] as const) {
        const dir = path.join(work, grouping);
        writeReport(dir, grouping === 'ours' ? set.result : goldResult(set));
        const scored = parts.map(([name, labels]) => {
          const file = path.join(work, `labels-${name.replace(' ', '-')}.json`);
          writeFileSync(file, JSON.stringify(labels));
          const run = spawnSync('python3', [scorer, path.join(dir, 'report.json'), dir, path.join(set.dir, 'ingest', 'raw'), file, path.join(set.dir, 'roundups.json')], { encoding: 'utf8', maxBuffer: 1 << 24 });
          if (run.status !== 0) throw new Error(`summary_rouge.py failed on ${name} (${grouping} grouping): ${run.stderr}`);
          return { name, line: parseScorer(run.stdout) };
        });
        columns = ['system', ...scored.flatMap(({ name }) => [`${name} R1`, `${name} R2`])];
        const tag = grouping === 'ours' ? '' : ' (gold grouping)';
        for (const system of SYSTEMS) rows.push([`${system}${tag}`, ...scored.flatMap(({ line }) => [f(line.summary[system]?.r1), f(line.summary[system]?.r2)])]);
        for (const h of HEADLINES) rows.push([`headline: ${h}${tag}`, ...scored.flatMap(({ line }) => [f(line.headline[h]), ''])]);
        const ours = scored[0].line;
        const lex = ours.summary.lexrank;
        if (grouping === 'ours') notes.push(`AllSides dev stories (${scored.map(({ name, line }) => `${name} ${line.stories}`).join(', ')}); every baseline budgeted at our length per story`);
        if (lex && ours.summary.ours) {
          notes.push(
            `${grouping} grouping: ours ${ours.words} words on average; ours - LexRank: R1 ${(ours.summary.ours.r1 - lex.r1).toFixed(2)}, R2 ${(ours.summary.ours.r2 - lex.r2).toFixed(2)}` +
              ` (half a ${(scored[1].line.summary.ours.r1 - scored[1].line.summary.lexrank.r1).toFixed(2)} / ${(scored[1].line.summary.ours.r2 - scored[1].line.summary.lexrank.r2).toFixed(2)},` +
              ` half b ${(scored[2].line.summary.ours.r1 - scored[2].line.summary.lexrank.r1).toFixed(2)} / ${(scored[2].line.summary.ours.r2 - scored[2].line.summary.lexrank.r2).toFixed(2)})`,
          );
        }
      }
      notes.push('targets on unseen stories: ours - LexRank R1 +3.0, R2 +2.0; headline >= 48');
      notes.push('gold grouping: each gold story\'s files handed to the same digest as one story (the summariser without grouping errors)');
      notes.push('ROUGE F1 x100 by ../shared/tools/summary_rouge.py; headline rows: ROUGE-1 of the chosen title against the editors\' headline');
      return { columns, rows, notes };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default section;
