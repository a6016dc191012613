/**
 * A story's record from its members as a followed drop-in lists them (search/site-index.ts
 * articleMemberInput: no excerpt, so a kept article's part tail is not read) is the record made
 * from the whole article inputs (articleSearchInput), as the full path makes it.
 */
import { describe, expect, it } from 'vitest';
import { bodyTermStats, storyRecord } from '../src/lib/search/build';
import { articleMemberInput, articleSearchInput, storySearchInput } from '../src/lib/search/site-index';
import type { IndexArticle, IndexStory } from '../src/lib/site/site-index';

const article = (id: string, title: string, source: string, date: string | null): IndexArticle => ({ id, title, source, date, excerpt: `excerpt of ${id}`, story: 's1' });

describe('articleMemberInput', () => {
  it('makes the same record as articleSearchInput, without asking for the excerpt', () => {
    const members = [article('a1', 'Rates rise\nagain', 'The Daily Ledger', '2025-03-01'), article('a2', '  ', 'the-evening-post', null), article('a3', 'Markets fall', 'unknown', '2025-03-02')];
    const story = { id: 's1', headline: 'Rates rise', dek: null, summary: ['Rates rose again.', 'Markets fell.'], sources: members.map((m) => m.source), lastDate: '2025-03-02', articles: members.map((m) => m.id), entities: ['Central Bank'] } as unknown as IndexStory;
    const stats = new Map(members.map((m, i) => [m.id, bodyTermStats(`Rates rise ${'bank '.repeat(i + 1)} markets ${m.id} inflation`)]));
    const idf = (t: string) => 1 + (t.length % 3);
    const whole = storyRecord(storySearchInput(story), members.map(articleSearchInput), (id) => stats.get(id), idf);
    // An article whose excerpt cannot be had: a member input never asks for it.
    const guarded = members.map((m) => Object.defineProperty({ ...m }, 'excerpt', { get: () => { throw new Error('excerpt read'); } }) as IndexArticle);
    const lean = storyRecord(storySearchInput(story), guarded.map(articleMemberInput), (id) => stats.get(id), idf);
    expect(JSON.stringify(lean)).toBe(JSON.stringify(whole));
  });
});
