/**
 * Headline lever of the third round of #18 (docs/eval-digest.md): the shipped
 * headline pick (expected F1 + support) plus mu x the share of the title's
 * content words that our own summary uses, on halves a/b, with the summary
 * model cross-fitted (each half's summary from the model fitted on the other).
 *
 *   node --import tsx scripts/train/headline-summary.ts [--grouping ours|gold]
 */
import { parseArgs } from 'node:util';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { loadAllSides, type Grouping } from './allsides.ts';
import { devCases, fitSummaryModel } from './digest.ts';
import { rougeF, rougeTokens } from './rouge.ts';
import { defaultSummaryOptions, expectedF1, headlineModel, headlineWords, pickSummary, titleSupport, trimOutlet } from '../../src/lib/ingest/index.ts';
import { foldPlural } from '../../src/lib/text.ts';

function main(): number {
  const { values } = parseArgs({ options: { grouping: { type: 'string', default: 'ours' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('scripts/train/headline-summary.ts');
    return 0;
  }
  const cases = devCases(loadAllSides(corpus), values.grouping as Grouping);
  const half = { a: cases.filter((c) => c.dev.half === 'a'), b: cases.filter((c) => c.dev.half === 'b') };
  const onA = fitSummaryModel(half.a);
  const onB = fitSummaryModel(half.b);
  const m = headlineModel;
  const rows = cases.map((c) => {
    const summary = pickSummary(c.text, c.cards, defaultSummaryOptions, c.dev.half === 'a' ? onB : onA).map((s) => s.text).join(' ');
    const said = new Set(headlineWords(summary).map(foldPlural));
    const idx = [...new Set(c.cards)];
    const sources = [...new Set(c.articles.map((a) => a.source))];
    const leads = c.text.sentences.map((l) => l.slice(0, 2).map((s) => s.text).join(' '));
    const input = idx.map((i) => ({ title: trimOutlet(c.articles[i].title, c.articles[i].source, sources), lead: leads[i], body: c.text.foldedBodies[i] }));
    const [f1, sup] = [expectedF1(input, m), titleSupport(input)];
    const ref = rougeTokens(c.dev.ref.headline);
    return {
      c,
      titles: input.map((t, k) => {
        const words = headlineWords(t.title).filter((w) => w.length > 2).map(foldPlural);
        const inSummary = words.length ? words.filter((w) => said.has(w)).length / words.length : 0;
        return { base: f1[k] + m.supportWeight * sup[k] - (c.articles[idx[k]].titleDerived ? 10 : 0), inSummary, y: rougeF(rougeTokens(t.title), ref, 1) };
      }),
    };
  });
  for (const mu of [0, 0.1, 0.2, 0.4, 0.8]) {
    const score = (h: 'a' | 'b') => {
      const part = rows.filter((r) => r.c.dev.half === h);
      return (100 * part.reduce((s, r) => {
        let best = 0;
        r.titles.forEach((t, k) => {
          if (t.base + mu * t.inSummary > r.titles[best].base + mu * r.titles[best].inSummary + 1e-12) best = k;
        });
        return s + r.titles[best].y;
      }, 0)) / part.length;
    };
    console.log(`headline + ${mu} x share of its words in our summary: half a ${score('a').toFixed(2)} | half b ${score('b').toFixed(2)}`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
