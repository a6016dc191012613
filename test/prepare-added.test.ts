/**
 * pipeline.ts `prepareAdded`: a shard with files added, from its last
 * preparation, is what preparing the whole shard gives, or null when adding
 * the files moves anything else in the shard (a drop-in then prepares it whole:
 * build/drop-in-fs.ts). Synthetic files: one outlet repeats a line in
 * every article (its boilerplate), others do not.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestOptions, outletKey, prepareAdded, prepareShard, type Article, type RawFile } from '../src/lib/ingest/index';

const enc = new TextEncoder();
const SENTENCES = [
  'The council voted on Tuesday to close the old harbour bridge for repairs after engineers found cracks in two of its supports.',
  'Residents of the eastern district said the closure would add half an hour to their daily journeys into the city centre.',
  'The mayor promised a temporary ferry service and said the work should be finished before the winter storms arrive.',
  'Shop owners near the bridge warned that fewer visitors would reach the market street during the busy summer months.',
  'Engineers estimated the cost of the repairs at four million and asked the regional government to share the bill.',
  'A spokesman for the transport authority said buses would be rerouted over the northern crossing from next week.',
];

function file(raw: string, title: string, source: string, promo: boolean, seed: number): RawFile {
  // Each article's own lines (its title in each), so only the promo line recurs across an outlet's articles.
  const body = SENTENCES.map((_, i) => `${title}: ${SENTENCES[(i + seed) % SENTENCES.length]}`).slice(0, 4);
  if (promo) body.push('Our correspondent writes from the harbour office on the western quay of the old town every week.');
  const text = `---\ntitle: ${JSON.stringify(title)}\nsource: ${JSON.stringify(source)}\ndate: "2025-07-0${(seed % 8) + 1}"\n---\n\n${body.join('\n\n')}\n`;
  return { raw, bytes: enc.encode(text) };
}

const opts = defaultIngestOptions;

function beforeOf(files: RawFile[]) {
  const prepared = prepareShard('2025-07', files, opts);
  const found = new Map<string, Article[]>();
  // What the per-file stages gave each outlet's articles (before the shard removed repeated lines).
  for (const f of files) {
    const whole = prepareShard('2025-07', [f], { ...opts, repeatedLines: { minArticles: 1e9 } });
    for (const a of whole.articles) {
      const o = outletKey(a);
      if (o === null) continue;
      const list = found.get(o);
      if (list) list.push(a);
      else found.set(o, [a]);
    }
  }
  return {
    prepared,
    before: { ids: new Set(prepared.articles.map((a) => a.id)), repeated: prepared.repeated, articlesOf: (o: string) => found.get(o) ?? [] },
  };
}

const base = [
  file('2025-07/a1.md', 'Harbour bridge to close for repairs', 'Harbour Times', true, 0),
  file('2025-07/a2.md', 'Ferry promised as bridge shuts', 'Harbour Times', true, 1),
  file('2025-07/a3.md', 'Market fears fewer visitors', 'Harbour Times', true, 2),
  file('2025-07/a4.md', 'Repairs to cost four million', 'Harbour Times', true, 3),
  file('2025-07/b1.md', 'Buses rerouted over northern crossing', 'Coast Wire', false, 4),
  file('2025-07/b2.md', 'Eastern district faces longer journeys', 'Coast Wire', false, 5),
];

describe('prepareAdded', () => {
  it('gives what preparing the whole shard gives when a new outlet or a settled outlet adds an article', () => {
    const { prepared, before } = beforeOf(base);
    expect(prepared.repeated.get('harbour times')?.size).toBe(1);
    for (const added of [
      file('2025-07/c1.md', 'Drop-in desk on the bridge closure', 'Drop-in Desk', false, 2),
      // The outlet's repeated line again: still in every one of its articles, the same repeated lines.
      file('2025-07/a5.md', 'Winter storms threaten the work', 'Harbour Times', true, 4),
    ]) {
      const got = prepareAdded(before, [added], opts);
      const whole = prepareShard('2025-07', [...base, added], opts);
      expect(got).not.toBeNull();
      const fresh = whole.articles.filter((a) => a.raw === added.raw);
      expect(got!.articles).toEqual(fresh);
      expect(got!.fileRejected).toEqual(whole.fileRejected.filter((r) => r.raw === added.raw));
      // Every other article of the shard is as the last preparation left it.
      expect(whole.articles.filter((a) => a.raw !== added.raw)).toEqual(prepared.articles);
    }
  });

  it("declines when an outlet's repeated lines would change, or a new id meets one the shard has", () => {
    const { before } = beforeOf(base);
    // The line is in 4 of the outlet's 4 articles; with five more without it, in 4 of 9, under half:
    // no longer repeated, and every article of the outlet changes.
    const plain = [5, 6, 7, 8, 9].map((i) => file(`2025-07/a${i + 1}.md`, `Harbour follow-up number ${i}`, 'Harbour Times', false, i));
    const whole = prepareShard('2025-07', [...base, ...plain], opts);
    expect(whole.repeated.get('harbour times')).toBeUndefined();
    expect(prepareAdded(before, plain, opts)).toBeNull();
    // A new article whose id the shard already has (ids come from paths, so a clash is rare: settling
    // would rename one of them, by path order).
    const extra = file('2025-07/c1.md', 'Drop-in desk on the bridge closure', 'Drop-in Desk', false, 2);
    const id = prepareShard('2025-07', [extra], opts).articles[0].id;
    expect(prepareAdded({ ...before, ids: new Set([...before.ids, id]) }, [extra], opts)).toBeNull();
  });
});
