import { describe, expect, it } from 'vitest';
import { ingest } from '../src/lib/ingest/pipeline';

const body = (topic: string) =>
  `${topic} officials said on Monday that the new bridge across the river would open to traffic next spring, after two years of delays and cost overruns that drew criticism from residents.\n\nThe project, first announced in 2019, will connect the two halves of the city for the first time in decades, engineers said.`;
const file = (raw: string, text: string) => ({ raw, bytes: new TextEncoder().encode(text) });

describe('article ids', () => {
  it('keeps both articles when two files share a name but not a format', () => {
    const result = ingest([
      file('bridge.md', `---\ntitle: City bridge to open next spring\nsource: Daily One\n---\n\n${body('City')}\n`),
      file('bridge.json', JSON.stringify({ title: 'Bridge opening set for spring', source: 'Other Times', body: body('Town') })),
    ]);
    expect(result.rejected).toEqual([]);
    expect(result.articles).toHaveLength(2);
    const ids = result.articles.map((a) => a.id);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^bridge(-[0-9a-f]{6})?$/);
    expect(result.warnings.some((w) => /is taken by another file/.test(w.message))).toBe(true);
  });
});
