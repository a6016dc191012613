import { describe, expect, it } from 'vitest';
import { digest } from '../src/lib/ingest/digest/digest';
import { findQuotes } from '../src/lib/ingest/digest/quotes';
import { findFigures } from '../src/lib/ingest/digest/figures';
import { sentenceFit, trimDateline } from '../src/lib/ingest/digest/sentence-rules';
import { relatedByName } from '../src/lib/ingest/digest/related';
import { trimOutlet } from '../src/lib/ingest/digest/headline';
import { relatedStories } from '../src/lib/site/links';
import type { Article, Assignment } from '../src/lib/ingest/types';

function article(id: string, source: string, paragraphs: string[], title = `Title of ${id}`, date = '2024-03-01'): Article {
  const text = paragraphs.join(' ');
  return {
    id, raw: `${id}.txt`, part: 0, format: 'txt', title, titleDerived: false, dek: null, source, byline: null, date,
    url: null, lang: 'en', body: paragraphs.map((p) => ({ kind: 'p' as const, text: p })), removed: [],
    words: text.split(/\s+/).length, excerpt: paragraphs[0],
  };
}
const assign = (arts: Article[], copyOf: Record<string, string> = {}) =>
  new Map<string, Assignment>(arts.map((a) => [a.id, { story: 's', copyOf: copyOf[a.id] ?? null, score: 0.5, shared: [] }]));

const lead = 'The city council approved a new budget for the harbour bridge repairs on Tuesday after a long debate.';
const a = article('a', 'Daily One', [
  lead,
  '“We cannot wait another winter for this bridge to be fixed,” Mayor Ana Lopez said after the vote.',
  'The repairs will cost 40 million dollars and take two years, officials said in a statement to reporters.',
  'The harbour ferry will run extra services while the bridge is closed to traffic during the works.',
]);
// Near-verbatim copy of the lead (one word changed) plus its own reporting.
const b = article('b', 'Evening Two', [
  lead.replace('Tuesday', 'Tuesday evening'),
  'Council members argued for hours about whether the harbour bridge budget should include new cycle lanes.',
  'The repairs will cost 55 million dollars according to documents seen by this newspaper on Monday.',
]);
// Same topic, paraphrased: must not be cited for the lead.
const c = article('c', 'Weekly Three', [
  'Harbour bridge repairs got the green light from councillors, who approved the budget after hours of debate.',
  'Residents near the bridge said they worried about months of noise and dust from the construction works.',
]);

describe('digest', () => {
  const story = digest('s', [a, b, c], assign([a, b, c]));

  it('cites only the articles that carry a sentence verbatim or near-verbatim', () => {
    // Either outlet's wording of the lead may be picked; both articles carry it.
    const s = story.summary.find((x) => x.text === lead || x.text === lead.replace('Tuesday', 'Tuesday evening'));
    expect(s).toBeDefined();
    expect(s!.citations.sort()).toEqual(['a', 'b']);
  });

  it('takes every summary sentence verbatim from a cited article', () => {
    expect(story.summary.length).toBeGreaterThanOrEqual(2);
    for (const s of story.summary) {
      const bodies = s.citations.map((id) => [a, b, c].find((x) => x.id === id)!.body.map((p) => p.text).join(' '));
      expect(bodies.some((t) => t.includes(s.text))).toBe(true);
    }
  });

  it('finds the quote with its speaker and the figures that differ', () => {
    expect(story.quotes[0]).toMatchObject({ text: 'We cannot wait another winter for this bridge to be fixed', speaker: 'Ana Lopez', articles: ['a'] });
    const dollars = story.conflicts.find((k) => k.kind === 'dollars' || k.kind === 'million');
    expect(dollars?.values.map((v) => v.articles[0]).sort()).toEqual(['a', 'b']);
  });

  it('keeps per card what no other card says', () => {
    expect(story.onlyHere.c?.some((t) => t.includes('noise and dust'))).toBe(true);
    expect(Object.values(story.onlyHere).flat()).not.toContain(lead);
  });

  it('folds a republication into its original for coverage and counts it', () => {
    const copy = article('d', 'Wire Four', a.body.map((p) => p.text), a.title, '2024-03-02');
    const s = digest('s', [a, c, copy], assign([a, c, copy], { d: 'a' }));
    expect(s.republications).toBe(1);
    expect(s.independent).toBe(2);
    // The copy carries every sentence of its original, so it is cited with it.
    const fromA = s.summary.filter((x) => a.body.some((p) => p.text.includes(x.text)));
    expect(fromA.length).toBeGreaterThan(0);
    for (const x of fromA) expect(x.citations).toEqual(expect.arrayContaining(['a', 'd']));
    expect(s.onlyHere.d).toBeUndefined();
  });
});

describe('quotes', () => {
  it('reads attribution before or after, straight or curly, and resolves pronouns to the last named person', () => {
    const q = findQuotes([
      'Officials met on Friday. Dmitry Peskov said: "The talks will continue in Istanbul next week as planned."',
      '“Nobody should expect an agreement before the summer is over,” he added.',
      '"This is simply a negotiating position and nothing more than that," said Maria Zakharova.',
    ], 6);
    expect(q.map((x) => x.speaker)).toEqual(['Dmitry Peskov', 'Dmitry Peskov', 'Maria Zakharova']);
  });

  it('leaves the speaker out rather than guess', () => {
    const q = findQuotes(['“There is no reason to delay this any further at all,” he said.'], 6);
    expect(q).toHaveLength(1);
    expect(q[0].speaker).toBeNull();
  });
});

describe('figures', () => {
  it('reads counts, money and percentages, not years or dates', () => {
    const f = findFigures('In 2019, at least 12 people died on June 2 and prices rose 5 percent to $1.2 billion.');
    expect(f.map((x) => [x.kind, x.value])).toEqual([
      ['people', '12'],
      ['percent', '5'],
      ['dollars', '1200000000'],
    ]);
  });
});

describe('what a reader never sees in the summary', () => {
  // Three outlets on one event. The sentences a reader must not see are packed with the
  // story's most shared words, so only the rules keep them out, not their scores.
  const event = 'The harbour bridge in Porto Azul collapsed on Sunday night, injuring twelve people, officials said.';
  const x = article('x', 'Coast Daily', [
    `PORTO AZUL — ${event}`,
    'Will the harbour bridge collapse in Porto Azul on Sunday lead to new inspections of every bridge?',
    'He said the collapse of the harbour bridge in Porto Azul was the worst disaster in the region since 1990.',
    '“The harbour bridge collapse in Porto Azul on Sunday night injured twelve people and shocked the city.”',
    `Engineers ${'had warned for years that the harbour bridge in Porto Azul, which carried ferry passengers, freight trucks, schoolchildren and tourists across the bay every day, '.repeat(2)}was unsafe.`,
  ]);
  const y = article('y', 'Bay Herald', [
    'Twelve people were injured when the harbour bridge in Porto Azul collapsed on Sunday night, officials said.',
    'Mayor Rosa Lima ordered an inspection of every bridge in Porto Azul after the collapse on Sunday night.',
    'She said the city would pay for the repairs and set up a fund for the families of those hurt in the collapse.',
  ]);
  const z = article('z', 'Island Post', [
    '(Wire) - Officials in Porto Azul said twelve people were injured as the harbour bridge collapsed on Sunday night.',
    'Ferry services across the bay will double while the harbour bridge in Porto Azul is closed, the port authority said.',
  ]);
  const story = digest('s', [x, y, z], assign([x, y, z]));
  const texts = story.summary.map((s) => s.text);
  const bodies = new Map([x, y, z].map((a) => [a.id, a.body.map((p) => p.text)]));

  it('picks sentences at all', () => {
    expect(story.summary.length).toBeGreaterThanOrEqual(2);
  });

  it('asks no question, quotes no one without naming them, and runs no sentence past 60 words', () => {
    for (const t of texts) {
      expect(t).not.toMatch(/\?["”’]?$/);
      expect(t).not.toMatch(/^“/);
      expect(t.split(/\s+/).length).toBeLessThanOrEqual(60);
    }
  });

  it('opens with a pronoun or connective only right after the sentence it refers to', () => {
    // "He said…" follows a question, which is never shown, so it never is either.
    expect(texts.some((t) => t.startsWith('He said'))).toBe(false);
    texts.forEach((t, i) => {
      if (!/^(?:He|She|They|It|This|But|However|Meanwhile)\b/.test(t)) return;
      const [id, paragraphs] = [...bodies].find(([, ps]) => ps.includes(t))!;
      const at = paragraphs.indexOf(t);
      expect(i, `"${t}" opens the summary`).toBeGreaterThan(0);
      expect(bodies.get(id)![at - 1], `"${t}" follows its antecedent`).toContain(texts[i - 1].replace(/^PORTO AZUL — /, ''));
    });
  });

  it('with room for every sentence, shows a follower right after the sentence it leans on, and none whose antecedent cannot be shown', () => {
    const all = digest('s', [x, y, z], assign([x, y, z]), { summary: { budgetWords: 1000, maxSentences: 20 } }).summary.map((s) => s.text);
    const mayor = all.findIndex((t) => t.startsWith('Mayor Rosa Lima'));
    expect(mayor).toBeGreaterThanOrEqual(0);
    expect(all[mayor + 1]).toMatch(/^She said/);
    expect(all.some((t) => t.startsWith('He said'))).toBe(false);
    expect(all.some((t) => t.endsWith('?'))).toBe(false);
  });

  it('never says the same thing twice: one of the three leads, not two', () => {
    const leads = texts.filter((t) => /twelve/i.test(t) && /collapse/i.test(t) && !/^(?:Mayor|She)\b/.test(t));
    expect(leads).toHaveLength(1);
  });

  it('trims a leading dateline, keeps every sentence verbatim otherwise, and cites only articles that carry it', () => {
    for (const s of story.summary) {
      expect(s.text).not.toMatch(/^(?:PORTO AZUL —|\(Wire\) -)/);
      for (const id of s.citations) expect(bodies.get(id)!.join(' ')).toContain(s.text);
    }
  });
});

describe('sentence rules', () => {
  it('trims datelines only', () => {
    expect(trimDateline('WASHINGTON — The Senate voted on Tuesday to pass the bill.')).toBe('The Senate voted on Tuesday to pass the bill.');
    expect(trimDateline('(Reuters) - The Senate voted on Tuesday to pass the bill.')).toBe('The Senate voted on Tuesday to pass the bill.');
    expect(trimDateline('CHARLESTON, S.C. — A gunman opened fire at a church on Wednesday.')).toBe('A gunman opened fire at a church on Wednesday.');
    expect(trimDateline('KYIV, Ukraine (AP) — Talks resumed in Istanbul on Tuesday morning.')).toBe('Talks resumed in Istanbul on Tuesday morning.');
    expect(trimDateline('NASA said - after a delay - that the launch would go ahead.')).toBe('NASA said - after a delay - that the launch would go ahead.');
  });

  it('says why a sentence cannot stand alone', () => {
    expect(sentenceFit('Is this the end of the road for the talks in Istanbul?', 60).reason).toBe('question');
    expect(sentenceFit('In the other case, two officers were sued by the estate of a man after...', 60).reason).toBe('cut off');
    expect(sentenceFit('“We will rebuild the bridge before the winter comes,” the mayor said on Monday.', 60).fit).toBe('alone');
    expect(sentenceFit('“We will rebuild the bridge before the winter comes and nobody will stop us.”', 60).reason).toBe('quote with no speaker');
    expect(sentenceFit('However, the council did not say when the work would start.', 60).fit).toBe('after-previous');
    expect(sentenceFit('This week the council approved the plan for the new bridge.', 60).fit).toBe('alone');
    expect(sentenceFit('The plan, he said, would cost 40 million dollars over two years.', 60).fit).toBe('after-previous');
  });
});

describe('headline', () => {
  it('is a source title, trimmed of an outlet suffix naming one of the story\'s outlets only', () => {
    expect(trimOutlet('Senate passes the infrastructure bill | CNN Politics', 'CNN')).toBe('Senate passes the infrastructure bill');
    expect(trimOutlet('Talks resume in Istanbul - live updates - Fox News', 'Fox News (Online News)')).toBe('Talks resume in Istanbul - live updates');
    expect(trimOutlet('Biden signs the bill — The Hill', 'unknown', ['The Hill', 'Reuters'])).toBe('Biden signs the bill');
    expect(trimOutlet('Dr. Fauci says no end to pandemic — at the earliest', 'CNBC')).toBe('Dr. Fauci says no end to pandemic — at the earliest');
  });

  it('prefers the title the other sources agree with over a question or a shout', () => {
    const body = (t: string) => [t, 'The council voted on Tuesday to repair the harbour bridge in Porto Azul after it collapsed.'];
    const p = article('p', 'One', body('Officials said repairs begin next month.'), 'Porto Azul council votes to repair collapsed harbour bridge');
    const q = article('q', 'Two', body('Residents were relieved.'), 'Will Porto Azul ever get its bridge back?');
    const r = article('r', 'Three', body('Ferries will run meanwhile.'), 'BRIDGE VOTE: WHAT HAPPENS NOW!');
    const s = digest('s', [q, r, p], assign([q, r, p]));
    expect(s.headline).toBe('Porto Azul council votes to repair collapsed harbour bridge');
    expect(s.headlineFrom).toBe('p');
  });
});

describe('related stories', () => {
  const base = { score: 0.1 };
  it('keeps a near miss with the people, places and organisations it shares, typed; drops common words', () => {
    const related = relatedByName(
      [
        { id: 'mueller-report', ...base, shared: ['Officials', 'Report'] },
        { id: 'kremlin-talks', ...base, shared: ['Istanbul', 'Vladimir Putin’s', 'Reuters'] },
      ],
      ['Talks in Istanbul resumed as Vladimir Putin sent a delegation, Reuters reported. Officials said a report was due.'],
      [],
      ['Reuters'],
      6,
    );
    expect(related).toEqual([
      { id: 'mueller-report', score: 0.1, shared: [] },
      { id: 'kremlin-talks', score: 0.1, shared: ['Istanbul', 'Vladimir Putin'] },
    ]);
  });

  it('shows only related stories that share a name, and which', () => {
    const s = (id: string, related: Array<{ id: string; score: number; shared: string[] }>, entities: string[]) => ({
      id,
      data: { headline: id, related, entities: entities.map((name) => ({ name })) },
    });
    const talks = s('talks', [{ id: 'mueller', score: 0.2, shared: [] }, { id: 'putin', score: 0.1, shared: ['Istanbul'] }], ['Istanbul', 'Vladimir Putin', 'Ukraine']);
    const mueller = s('mueller', [], ['Robert Mueller', 'Justice Department']);
    const putin = s('putin', [], ['Putin', 'Kremlin', 'Vladimir Putin']);
    const picked = relatedStories(talks, [talks, mueller, putin]);
    expect(picked.map((r) => [r.story.id, r.shared])).toEqual([['putin', ['Istanbul', 'Vladimir Putin']]]);
  });
});

describe('summary model, second stage', () => {
  it('was fitted to the features the code computes, in the same order', async () => {
    const { sentenceModel, REFINED_FEATURES } = await import('../src/lib/ingest/digest/sentence-model');
    const { SENTENCE_FEATURES } = await import('../src/lib/ingest/digest/sentence-scorer');
    const refine = sentenceModel.refine!;
    expect(refine.features).toEqual([...REFINED_FEATURES]);
    expect(refine.scorer.features).toEqual([...SENTENCE_FEATURES]);
    expect(refine.scorer.weights).toHaveLength(SENTENCE_FEATURES.length);
    for (const trees of [refine.unigram, refine.bigram]) {
      for (const t of trees.trees) {
        expect(t.f.every((f) => f >= -1 && f < REFINED_FEATURES.length)).toBe(true);
        expect(t.v).toHaveLength(1 << trees.depth);
      }
    }
  });

  it('walks each tree as gbdt.ts lays it out (feature -1: always left)', async () => {
    const { treesLogit } = await import('../src/lib/ingest/digest/sentence-model');
    const m = { base: 0.1, depth: 2, trees: [{ f: [0, -1, 1], t: [0.5, 0, 3], v: [1, 2, 3, 4] }, { f: [1, 0, 0], t: [10, 0.2, 0.9], v: [-1, -2, -3, -4] }] };
    // Tree 1: x0 <= 0.5 -> node 1 (f -1: left) -> leaf 0 (1); tree 2: x1 <= 10 -> node 1, x0 <= 0.2 -> leaf 0 (-1).
    expect(treesLogit(m, [0.2, 5])).toBeCloseTo(0.1 + 1 - 1);
    // Tree 1: x0 > 0.5 -> node 2, x1 > 3 -> leaf 3 (4); tree 2: x1 > 10 -> node 2, x0 <= 0.9 -> leaf 2 (-3).
    expect(treesLogit(m, [0.7, 11])).toBeCloseTo(0.1 + 4 - 3);
  });
});
