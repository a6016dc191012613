/**
 * npm run eval [-- --only <section>]: runs the ingest on ../shared/corpus and
 * prints quality figures. Each section is a module under scripts/eval/ that
 * exports `run(corpus) => Promise<Table>`; they run in the order listed here.
 */
import { parseArgs } from 'node:util';
import { announceSkip, corpusDir } from './lib/corpus.ts';
import type { EvalSection } from './eval/types.ts';

const sections: Array<() => Promise<{ default: EvalSection }>> = [
  () => import('./eval/boilerplate.ts'),
  () => import('./eval/seedlike.ts'),
  () => import('./eval/clustering.ts'),
  () => import('./eval/summary.ts'),
];

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('npm run eval');
    return 0;
  }
  for (const load of sections) {
    const section = (await load()).default;
    if (values.only && section.name !== values.only) continue;
    const started = performance.now();
    const table = await section.run(corpus);
    console.log(`\n## ${section.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    printTable(table.columns, table.rows);
    for (const note of table.notes ?? []) console.log(`  ${note}`);
  }
  return 0;
}

function printTable(columns: string[], rows: Array<Array<string | number>>): void {
  const cells = [columns, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  for (const [n, row] of cells.entries()) {
    console.log(`| ${row.map((c, i) => String(c ?? '').padEnd(widths[i])).join(' | ')} |`);
    if (n === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  }
}

main().then((code) => process.exit(code));
