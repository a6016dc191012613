/**
 * Diagnostics of the summary against the editors (not part of the build):
 *
 *   node --import tsx scripts/train/diagnose.ts rules      which reader rule bans the scorer's oracle sentences
 *   node --import tsx scripts/train/diagnose.ts grouping   what grouping errors cost the summary and headline
 *   node --import tsx scripts/train/diagnose.ts concepts   the selection given the editors' own concepts
 *
 * "rules": for each dev story (gold grouping: the summariser alone), the
 * scorer's greedy oracle at our summary's length is mapped onto our sentences;
 * each oracle sentence is counted under the first thing that keeps it from
 * our candidates (not in the cleaned body, past the sentences read per card,
 * a reader rule, too short, a follower whose antecedent the oracle did not
 * take). Then a greedy oracle over our candidates, as the scorer's but obeying
 * every rule (followers after antecedents, no two saying the same thing, the
 * summary's word and sentence limits), with each rule relaxed in turn: what a
 * rule costs at best.
 *
 * "grouping": the same digest on three groupings of the dev stories (ours;
 * ours less the articles of other gold stories, i.e. no merges; gold), scored
 * beside LexRank as the scorer does (compare.ts), overall and by how our
 * grouping holds each gold story (as gold, split, merged).
 *
 * "concepts": the shipped selection (pickByWeights) with perfect concept
 * weights, 1 for each word and pair of the editors' summary and 0 otherwise,
 * beside the learned weights: what the selection could do if the model knew
 * what the editor keeps.
 */
import { parseArgs } from 'node:util';
import { corpusDir, announceSkip } from '../lib/corpus.ts';
import { groupingKind, loadAllSides, membersOf, type DevSet, type Grouping } from './allsides.ts';
import { goldStories, halves, line, scoreStory, table, type StoryScore } from './compare.ts';
import { oracle, rougeRef, type Reference } from './baselines.ts';
import { rougeTokens as tok } from './rouge.ts';
import {
  StoryText,
  cardsOf,
  chronological,
  conceptsOf,
  defaultSummaryOptions,
  digest,
  pickByWeights,
  pickSummary,
  sameThing,
  sentenceFit,
  sentenceModel,
  summaryCandidates,
  summaryText,
  type Candidate,
  type SummaryOptions,
} from '../../src/lib/ingest/index.ts';
import { foldForCompare, wordCount } from '../../src/lib/text.ts';

/** Every sentence of every card, with what keeps it out of the summary (null: a candidate alone). */
interface Labelled {
  c: Candidate;
  ban: string | null;
}

function labelled(text: StoryText, cards: number[], opts: SummaryOptions): Labelled[] {
  const out: Labelled[] = [];
  const seen = new Set<string>();
  for (const card of new Set(cards)) {
    for (const s of text.sentences[card]) {
      const shown = summaryText(s.text);
      const fit = sentenceFit(shown, opts.maxSentenceWords);
      const words = wordCount(shown);
      const folded = foldForCompare(shown);
      let ban: string | null = null;
      if (s.index >= opts.sentencesPerCard) ban = 'past the sentences read per card';
      else if (fit.fit === 'never') ban = fit.reason;
      else if (words < opts.minSentenceWords) ban = 'under 8 words';
      else if (seen.has(folded)) ban = 'repeat';
      else if (fit.fit === 'after-previous') ban = `follower: ${fit.reason}`;
      seen.add(folded);
      out.push({ c: { s, text: shown, folded, shingles: s.shingles, words, concepts: conceptsOf(folded), afterPrevious: fit.fit === 'after-previous' }, ban });
    }
  }
  return out;
}

/** Share of `a`'s tokens, in order as bigrams, that `b` holds (how much of a scorer sentence one of ours is). */
function containment(a: string[], b: Set<string>): number {
  if (a.length < 2) return 0;
  let hit = 0;
  for (let i = 0; i + 1 < a.length; i++) if (b.has(`${a[i]} ${a[i + 1]}`)) hit++;
  return hit / (a.length - 1);
}
const bigrams = (t: string[]) => new Set(t.slice(1).map((w, i) => `${t[i]} ${w}`));

/**
 * Greedy oracle over our sentences (the scorer's: the pick that most raises
 * R1 + R2, while it helps), obeying the summary's limits and the reader rules
 * except those named in `relax`.
 */
function ruledOracle(pool: Labelled[], ref: Reference, opts: SummaryOptions, relax: Set<string>): Candidate[] {
  // Followers stay in the pool: they are usable right after their antecedent (or anywhere, with 'follower' relaxed).
  const usable = pool.filter((l) => l.ban === null || relax.has(l.ban) || l.ban.startsWith('follower'));
  const picked: Labelled[] = [];
  let tokens: string[] = [];
  let best = 0;
  let used = 0;
  while (picked.length < opts.maxSentences) {
    let cand: Labelled | null = null;
    let score = -Infinity;
    let candTokens: string[] = [];
    for (const l of usable) {
      if (picked.includes(l) || used + l.c.words > opts.budgetWords) continue;
      const follower = l.ban?.startsWith('follower') && !relax.has('follower');
      if (follower && !picked.some((p) => p.c.s.article === l.c.s.article && p.c.s.index === l.c.s.index - 1)) continue;
      if (!relax.has('same thing') && picked.some((p) => sameThing(l.c, p.c, opts))) continue;
      const t = [...tokens, ...tok(l.c.text)];
      const sc = rougeRef(t, ref, 1) + rougeRef(t, ref, 2);
      if (sc > score) [cand, score, candTokens] = [l, sc, t];
    }
    if (!cand || score <= best) break;
    picked.push(cand);
    tokens = candTokens;
    best = score;
    used += cand.c.words;
  }
  return picked.map((l) => l.c);
}

function rules(set: DevSet, grouping: Grouping): void {
  const opts = defaultSummaryOptions;
  const groups = membersOf(set, grouping);
  const gold = goldStories(set);
  const banned = new Map<string, number>();
  let oracleSentences = 0;
  const relaxes = ['none', 'follower', 'same thing', 'quote with no speaker', 'part of a longer quote', 'cut off', 'no sentence end', 'too long', 'question', 'under 8 words', 'all'];
  const scores = new Map<string, { r1: number; r2: number; words: number }>(relaxes.map((r) => [r, { r1: 0, r2: 0, words: 0 }]));
  let n = 0;
  for (const dev of set.stories) {
    const { members, assignments } = groups.get(dev.gold)!;
    const articles = [...members].sort(chronological);
    const cards = cardsOf(articles, assignments);
    const text = new StoryText(articles);
    const ours = digest(dev.gold, members, assignments).summary.map((s) => s.text);
    const g = gold.get(dev.gold)!;
    const budget = Math.max(tok(ours.join(' ')).length, 30);
    const pool = labelled(text, cards, opts);
    const poolTokens = pool.map((l) => bigrams(tok(l.c.text)));
    // Which of ours each oracle sentence is, and what bans it.
    const orc = oracle(g.sents, g.ref, budget);
    for (const o of orc) {
      oracleSentences++;
      const ot = tok(o);
      let bestK = -1;
      let bestC = 0;
      poolTokens.forEach((b, k) => {
        const c = containment(ot, b);
        if (c > bestC) [bestK, bestC] = [k, c];
      });
      let why: string;
      if (bestC < 0.6) why = 'not a sentence of the cleaned body (or split otherwise)';
      else {
        const l = pool[bestK];
        why = l.ban ?? 'a candidate';
        if (l.ban?.startsWith('follower')) {
          const prevTaken = orc.some((p) => {
            const prev = pool.find((q) => q.c.s.article === l.c.s.article && q.c.s.index === l.c.s.index - 1);
            return prev ? containment(tok(p), bigrams(tok(prev.c.text))) >= 0.6 : false;
          });
          why = `${l.ban} (${prevTaken ? 'antecedent also in the oracle' : 'antecedent not in the oracle'})`;
        }
      }
      banned.set(why, (banned.get(why) ?? 0) + 1);
    }
    for (const r of relaxes) {
      const relax = new Set(r === 'all' ? relaxes : r === 'none' ? [] : [r]);
      const picked = ruledOracle(pool, g.ref, opts, relax);
      const t = tok(picked.map((c) => c.text).join(' '));
      const s = scores.get(r)!;
      s.r1 += rougeRef(t, g.ref, 1);
      s.r2 += rougeRef(t, g.ref, 2);
      s.words += t.length;
    }
    n++;
  }
  console.log(`\n${grouping} grouping, ${n} stories, ${oracleSentences} sentences in the scorer's oracle at our length:`);
  for (const [why, k] of [...banned].sort((a, b) => b[1] - a[1])) console.log(`  ${String(k).padStart(4)}  ${(100 * k / oracleSentences).toFixed(1).padStart(5)}%  ${why}`);
  console.log(`greedy oracle over our sentences, ≤ ${opts.budgetWords} words, ≤ ${opts.maxSentences} sentences (R1 / R2, words):`);
  for (const [r, s] of scores) console.log(`  relax ${r.padEnd(24)} ${(100 * s.r1 / n).toFixed(2)} / ${(100 * s.r2 / n).toFixed(2)}  (${(s.words / n).toFixed(0)} words)`);
}

function concepts(set: DevSet, grouping: Grouping): void {
  const opts = defaultSummaryOptions;
  const groups = membersOf(set, grouping);
  const gold = goldStories(set);
  const titleOf = new Map(set.result.articles.map((a) => [a.raw, a.title]));
  for (const weights of ['learned', 'the editors\' concepts'] as const) {
    const scores = set.stories.map((dev) => {
      const { members, assignments } = groups.get(dev.gold)!;
      const articles = [...members].sort(chronological);
      const cards = cardsOf(articles, assignments);
      const text = new StoryText(articles);
      let picked: string[];
      if (weights === 'learned') picked = pickSummary(text, cards, opts).map((s) => s.text);
      else {
        const ref = new Set(conceptsOf(foldForCompare(dev.ref.summary)));
        const w = new Map<string, number>();
        for (const c of summaryCandidates(text, cards, opts)) for (const k of c.concepts) w.set(k, ref.has(k) ? (k.startsWith('b:') ? sentenceModel.bigramShare : 1) : 0);
        picked = pickByWeights(text, cards, opts, w).map((s) => s.text);
      }
      const titles = dev.files.map((f) => titleOf.get(f)).filter((t): t is string => !!t);
      return scoreStory(dev, gold.get(dev.gold)!, picked, '', titles);
    });
    const h = halves(scores);
    console.log(`${grouping} grouping, ${weights} weights\n  all    ${line(h.all)}\n  half a ${line(h.a)}\n  half b ${line(h.b)}`);
  }
}

function groupings(set: DevSet): void {
  const gold = goldStories(set);
  const titleOf = new Map(set.result.articles.map((a) => [a.raw, a.title]));
  const kinds = new Map(set.stories.map((dev) => [dev.gold, groupingKind(set, dev)]));
  const counts = new Map<string, number>();
  for (const k of kinds.values()) counts.set(k, (counts.get(k) ?? 0) + 1);
  console.log(`how our grouping holds the ${set.stories.length} dev stories: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const grouping of ['ours', 'unmerged', 'gold'] as const) {
    const groups = membersOf(set, grouping);
    const scores: StoryScore[] = set.stories.map((dev) => {
      const { members, assignments } = groups.get(dev.gold)!;
      const s = digest(dev.gold, members, assignments);
      const titles = dev.files.map((f) => titleOf.get(f)).filter((t): t is string => !!t);
      return scoreStory(dev, gold.get(dev.gold)!, s.summary.map((x) => x.text), s.headline, titles);
    });
    const h = halves(scores);
    console.log(`\n${grouping} grouping\n  all    ${line(h.all)}\n  half a ${line(h.a)}\n  half b ${line(h.b)}`);
    for (const kind of ['as gold', 'split', 'merged', 'split and merged']) {
      const part = scores.filter((s) => kinds.get(s.dev.gold) === kind);
      if (part.length) console.log(`  ${kind.padEnd(16)} (${String(part.length).padStart(3)}) ${line(table(part))}`);
    }
  }
}

function main(): number {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { grouping: { type: 'string', default: 'gold' } } });
  const corpus = corpusDir();
  if (!corpus) {
    announceSkip('scripts/train/diagnose.ts');
    return 0;
  }
  const set = loadAllSides(corpus);
  const what = positionals[0] ?? 'rules';
  const grouping = values.grouping as Grouping;
  if (what === 'rules') rules(set, grouping);
  else if (what === 'grouping') groupings(set);
  else if (what === 'concepts') concepts(set, grouping);
  else throw new Error(`unknown diagnostic ${what} (rules, grouping, concepts)`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());

