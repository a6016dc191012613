/**
 * Eval section "summary": our story summaries and headlines against the
 * AllSides editors' own (ROUGE-1/2 F1), beside LexRank, centroid, lead,
 * round-robin lead and an extractive oracle at the same length per story,
 * computed by the shared scorer ../shared/tools/summary_rouge.py on the whole
 * dev set and on each half (gold stories split by a hash of their id, as the
 * clustering section splits them).
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
import { loadAllSides } from '../train/allsides.ts';
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
      // What the scorer reads: the report (articles' raw file, story, title; stories' headline) and stories/<id>.json.
      mkdirSync(path.join(work, 'stories'));
      const report = {
        articles: set.result.articles.map((a) => ({ raw: a.raw, story: a.story, title: a.title })),
        stories: set.result.stories.map((s) => ({ id: s.id, headline: s.headline, articles: s.articles })),
      };
      writeFileSync(path.join(work, 'report.json'), JSON.stringify(report));
      for (const s of set.result.stories) writeFileSync(path.join(work, 'stories', `${s.id}.json`), JSON.stringify({ summary: s.summary }));
      const parts: Array<[string, Record<string, string>]> = [['all', set.labels]];
      for (const half of ['a', 'b'] as const) {
        const keep = new Set(set.stories.filter((s) => s.half === half).map((s) => s.gold));
        parts.push([`half ${half}`, Object.fromEntries(Object.entries(set.labels).filter(([, g]) => keep.has(g)))]);
      }
      const scored = parts.map(([name, labels]) => {
        const file = path.join(work, `labels-${name.replace(' ', '-')}.json`);
        writeFileSync(file, JSON.stringify(labels));
        const run = spawnSync('python3', [scorer, path.join(work, 'report.json'), work, path.join(dir, 'ingest', 'raw'), file, path.join(dir, 'roundups.json')], { encoding: 'utf8', maxBuffer: 1 << 24 });
        if (run.status !== 0) throw new Error(`summary_rouge.py failed on ${name}: ${run.stderr}`);
        return { name, line: parseScorer(run.stdout) };
      });
      const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(2));
      const rows: EvalTable['rows'] = [];
      for (const system of SYSTEMS) rows.push([system, ...scored.flatMap(({ line }) => [f(line.summary[system]?.r1), f(line.summary[system]?.r2)])]);
      for (const h of HEADLINES) rows.push([`headline: ${h}`, ...scored.flatMap(({ line }) => [f(line.headline[h]), ''])]);
      const ours = scored[0].line;
      const lex = ours.summary.lexrank;
      const notes = [
        `AllSides dev stories (${scored.map(({ name, line }) => `${name} ${line.stories}`).join(', ')}); ours ${ours.words} words a summary on average, every baseline budgeted at our length per story`,
        lex && ours.summary.ours ? `ours - LexRank: R1 ${(ours.summary.ours.r1 - lex.r1).toFixed(2)}, R2 ${(ours.summary.ours.r2 - lex.r2).toFixed(2)} (targets on unseen stories: +3.0, +2.0); headline target >= 48` : '',
        'ROUGE F1 x100 by ../shared/tools/summary_rouge.py; headline rows: ROUGE-1 of the chosen title against the editors\' headline',
      ].filter(Boolean);
      return { columns: ['system', ...scored.flatMap(({ name }) => [`${name} R1`, `${name} R2`])], rows, notes };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default section;
