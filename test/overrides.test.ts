/**
 * The overrides stage (src/lib/ingest/stories/overrides.ts) alone, on
 * hand-made groupings, then in the pipeline on the newsroom's articles: the
 * digest of a corrected story (summary, quotes, only-here, timeline, related)
 * follows the editor, and the machine grouping's own state is untouched.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOverrides, type Grouping } from '../src/lib/ingest/stories/overrides';
import { ingest, type IngestResult } from '../src/lib/ingest/pipeline';
import type { Assignment, RawFile } from '../src/lib/ingest/types';
import type { Overrides } from '../src/lib/schema';
import { NEWSROOM, SECRET_SENTENCE, writeNewsroom } from './helpers/newsroom';
import { scratch } from './helpers/tree';

/** Stories by id with their members (in order), each article's assignment made from them. */
function grouping(stories: Record<string, string[]>, related: Record<string, Array<{ id: string; score: number; shared: string[] }>> = {}, copyOf: Record<string, string> = {}): Grouping {
  const assignments = new Map<string, Assignment>();
  for (const [id, members] of Object.entries(stories)) {
    members.forEach((a, i) => assignments.set(a, { story: id, copyOf: copyOf[a] ?? null, score: i === 0 ? 1 : 0.5, shared: i === 0 ? [] : ['bridge'] }));
  }
  return { assignments, stories: Object.entries(stories).map(([id, articles]) => ({ id, founder: articles[0], articles, related: related[id] ?? [] })) };
}
const o = (x: Partial<Overrides>): Overrides => ({ stories: {}, articles: {}, ...x });
const members = (r: { stories: Array<{ id: string; articles: string[] }> }) => Object.fromEntries(r.stories.map((s) => [s.id, s.articles]));

describe('applyOverrides', () => {
  const base = () =>
    grouping(
      { s1: ['a1', 'a2', 'a3'], s2: ['b1', 'b2'], s3: ['c1'], s4: ['d1', 'd2'] },
      { s1: [{ id: 's2', score: 0.4, shared: ['Harborton'] }], s2: [{ id: 's3', score: 0.3, shared: ['Tamber'] }, { id: 's1', score: 0.4, shared: [] }], s4: [{ id: 's3', score: 0.2, shared: [] }] },
      { a3: 'a2' },
    );

  it('gives the grouping back as it came when there is nothing to do', () => {
    const g = base();
    const r = applyOverrides(g, o({}));
    expect(r.stories).toBe(g.stories);
    expect(r.assignments).toBe(g.assignments);
    expect([r.hidden, r.applied, r.skipped]).toEqual([[], [], []]);
  });

  it('hides an article from its story; its copies become originals; a story of hidden articles disappears', () => {
    const r = applyOverrides(base(), o({ articles: { a2: { hidden: true }, c1: { hidden: true }, b1: { hidden: false } } }));
    expect(r.hidden).toEqual(['a2', 'c1']);
    expect(members(r)).toEqual({ s1: ['a1', 'a3'], s2: ['b1', 'b2'], s4: ['d1', 'd2'] });
    expect(r.assignments.has('a2')).toBe(false);
    expect(r.assignments.get('a3')!.copyOf).toBeNull();
    expect(r.stories.find((s) => s.id === 's1')!.editor).toEqual({ mergedFrom: [], edits: [{ kind: 'hidden', count: 1 }] });
    // s3 had only c1: gone, and no page leads anywhere from it; s4's related story s3 is dropped.
    expect(r.stories.find((s) => s.id === 's4')!.related).toEqual([]);
    expect(r.stories.find((s) => s.id === 's2')!.editor).toBeUndefined();
    expect(r.applied).toEqual(['articles.a2.hidden', 'articles.c1.hidden']);
  });

  it('merges stories into a survivor: members in order, related stories combined, pages leading to it', () => {
    const order = (a: string, b: string) => (a < b ? -1 : 1);
    const r = applyOverrides(base(), o({ stories: { s1: { merge: ['s2'] } } }), order);
    expect(members(r)).toEqual({ s1: ['a1', 'a2', 'a3', 'b1', 'b2'], s3: ['c1'], s4: ['d1', 'd2'] });
    expect(r.assignments.get('b2')).toEqual({ story: 's1', copyOf: null, score: 0.5, shared: ['bridge'] });
    const s1 = r.stories.find((s) => s.id === 's1')!;
    expect(s1.related).toEqual([{ id: 's3', score: 0.3, shared: ['Tamber'] }]);
    expect(s1.editor).toEqual({ mergedFrom: ['s2'], edits: [{ kind: 'merged', stories: ['s2'] }] });
    expect(s1.founder).toBe('a1');
  });

  it('chains merges, and refuses a merge into itself or a second survivor', () => {
    const r = applyOverrides(base(), o({ stories: { s1: { merge: ['s2', 's1'] }, s2: { merge: ['s3'] }, s4: { merge: ['s2'] } } }));
    expect(Object.keys(members(r))).toEqual(['s1', 's4']);
    expect(members(r).s1).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
    expect(r.stories[0].editor!.mergedFrom).toEqual(['s2', 's3']);
    expect(r.skipped).toEqual([
      { override: 'stories.s1.merge.s1', reason: 'a story cannot be merged into itself' },
      { override: 'stories.s4.merge.s2', reason: 's2 is already merged into s1' },
    ]);
    // No cycle: s3 merged into s2 after s2 went into s1 ends in s1 too.
    expect(r.applied).toEqual(['stories.s1.merge.s2', 'stories.s2.merge.s3']);
  });

  it('moves an article; into a merged story means into its survivor; a story emptied leads where its founder went', () => {
    const r = applyOverrides(base(), o({ stories: { s4: { merge: ['s3'] } }, articles: { b1: { story: 's3' }, b2: { story: 's1' }, a1: { story: 's1' } } }));
    expect(members(r)).toEqual({ s1: ['a1', 'a2', 'a3', 'b2'], s4: ['d1', 'd2', 'c1', 'b1'] });
    expect(r.assignments.get('b1')).toEqual({ story: 's4', copyOf: null, score: 0, shared: [] });
    const s4 = r.stories.find((s) => s.id === 's4')!;
    // s2 lost both its articles; its founder b1 went to s4, so s2's page leads there.
    expect(s4.editor!.mergedFrom).toEqual(['s2', 's3']);
    expect(s4.editor!.edits).toContainEqual({ kind: 'moved-in', article: 'b1', from: 's2' });
    expect(r.stories.find((s) => s.id === 's1')!.editor!.edits).toEqual([{ kind: 'moved-in', article: 'b2', from: 's2' }]);
    expect(r.skipped).toEqual([{ override: 'articles.a1.story', reason: 'a1 is already in s1' }]);
  });

  it('pins a headline on a live story only, and names every id it cannot find', () => {
    const r = applyOverrides(
      base(),
      o({
        stories: { s1: { headline: 'Pinned' }, s2: { headline: 'Lost', merge: ['nope'] }, s3: { headline: 'Gone' }, ghost: { headline: 'x' } },
        articles: { c1: { hidden: true }, zz: { story: 's1' }, a1: { story: 'nowhere', hidden: false }, b1: { story: 's1', hidden: true }, missing: { hidden: true } },
      }),
    );
    expect(r.stories.find((s) => s.id === 's1')!.editor!.headline).toBe('Pinned');
    expect(r.stories.find((s) => s.id === 's1')!.editor!.edits[0]).toEqual({ kind: 'headline' });
    expect(r.skipped).toEqual([
      { override: 'articles.missing.hidden', reason: 'no article missing' },
      { override: 'stories.s2.merge.nope', reason: 'no story nope' },
      { override: 'articles.a1.story', reason: 'no story nowhere' },
      { override: 'articles.b1.story', reason: 'b1 is hidden' },
      { override: 'articles.zz.story', reason: 'no article zz' },
      { override: 'stories.ghost.headline', reason: 'no story ghost' },
      { override: 'stories.s3.headline', reason: 's3 has no published articles' },
    ]);
    expect(r.stories.find((s) => s.id === 's2')!.editor!.headline).toBe('Lost');
  });

  it('does not depend on the order of the file', () => {
    const entries = {
      stories: { s1: { merge: ['s3'] }, s4: { headline: 'H' } } as Overrides['stories'],
      articles: { b2: { story: 's4' }, a2: { hidden: true }, d1: { story: 's1' } } as Overrides['articles'],
    };
    const reversed = (x: Record<string, unknown>) => Object.fromEntries(Object.entries(x).reverse());
    const a = applyOverrides(base(), o(entries));
    const b = applyOverrides(base(), o({ stories: reversed(entries.stories) as Overrides['stories'], articles: reversed(entries.articles) as Overrides['articles'] }));
    expect(JSON.stringify([a.stories, [...a.assignments], a.applied, a.skipped])).toBe(JSON.stringify([b.stories, [...b.assignments], b.applied, b.skipped]));
  });
});

describe('overrides in the pipeline', () => {
  let files: RawFile[];
  let plain: IngestResult;
  const storyOf = (r: IngestResult, article: string) => r.stories.find((s) => s.articles.includes(article))!;

  beforeAll(async () => {
    const dir = await scratch('newsfold-overrides-');
    await writeNewsroom(dir);
    files = await Promise.all(NEWSROOM.map(async (a) => ({ raw: a.file, bytes: new Uint8Array(await readFile(path.join(dir, a.file))) })));
    plain = ingest(files);
    expect(plain.stories.map((s) => s.articles.length).sort()).toEqual([2, 2, 2, 3]);
  });

  it('digests the corrected stories: a hidden article is in no summary, quote, only-here or card', () => {
    const bridge = storyOf(plain, 'bridge-gazette');
    expect(JSON.stringify(bridge)).toContain('Quillby');
    const r = ingest(files, {}, undefined, undefined, undefined, { stories: {}, articles: { 'bridge-gazette': { hidden: true } } });
    expect(r.hidden).toEqual([{ id: 'bridge-gazette', raw: 'bridge-gazette.md' }]);
    expect(r.articles.map((a) => a.id)).not.toContain('bridge-gazette');
    const text = JSON.stringify([r.articles, r.stories]);
    for (const needle of ['bridge-gazette', 'Quillby', SECRET_SENTENCE, 'Harbor Gazette']) expect(text, needle).not.toContain(needle);
    const after = r.stories.find((s) => s.id === bridge.id)!;
    expect(after.articles).toEqual(bridge.articles.filter((id) => id !== 'bridge-gazette'));
    expect(after.edits).toEqual([{ kind: 'hidden', count: 1 }]);
    // The machine grouping is what it was: every other story keeps its articles.
    for (const s of plain.stories) if (s.id !== bridge.id) expect(r.stories.find((x) => x.id === s.id)?.articles).toEqual(s.articles);
  });

  it('merges, moves and pins: the survivor is digested over its new members, and says what the editor did', () => {
    const bridge = storyOf(plain, 'bridge-ap').id;
    const budget = storyOf(plain, 'budget-post').id;
    const festival = storyOf(plain, 'festival-ap').id;
    const r = ingest(files, {}, undefined, undefined, undefined, {
      stories: { [budget]: { merge: [festival], headline: 'Harborton week: school budget and lantern festival' } },
      articles: { 'bridge-ledger': { story: budget } },
    });
    expect(r.stories.map((s) => s.id)).not.toContain(festival);
    expect(r.stories).toHaveLength(3);
    const merged = r.stories.find((s) => s.id === budget)!;
    expect(merged.headline).toBe('Harborton week: school budget and lantern festival');
    expect(merged.headlineFrom).toBeNull();
    expect(merged.articles).toEqual(['bridge-ledger', 'budget-ledger', 'budget-post', 'festival-ap', 'festival-ledger']);
    expect(merged.mergedFrom).toEqual([festival]);
    expect(merged.edits).toEqual([
      { kind: 'headline' },
      { kind: 'merged', stories: [festival] },
      { kind: 'moved-in', article: 'bridge-ledger', from: bridge },
    ]);
    expect(merged.firstDate).toBe('2025-03-03');
    expect(merged.lastDate).toBe('2025-03-08');
    // The summary and the only-here blocks are the corrected story's.
    const cited = new Set(merged.summary.flatMap((s) => s.citations));
    for (const id of cited) expect(merged.articles).toContain(id);
    expect(Object.keys(merged.onlyHere).every((id) => merged.articles.includes(id))).toBe(true);
    expect(merged.why.find((w) => w.article === 'bridge-ledger')).toEqual({ article: 'bridge-ledger', score: 0, shared: [] });
    const left = r.stories.find((s) => s.id === bridge)!;
    expect(left.articles).toEqual(['bridge-ap', 'bridge-gazette']);
    expect(left.edits).toEqual([{ kind: 'moved-out', count: 1, to: [budget] }]);
    expect(r.articles.find((a) => a.id === 'bridge-ledger')!.story).toBe(budget);
    expect(r.overrides.skipped).toEqual([]);
  });
});
