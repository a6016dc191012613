/**
 * A drop-in's site index from what the last build kept (site/related.ts,
 * build/pages.ts `KeptLists`): after random changes, additions and removals of
 * stories and articles, the related lists updated from the kept ones, and the
 * page hashes kept from the previous manifest, equal a computation from
 * scratch, every time, however many drop-ins in a row.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSiteEntries } from '../src/lib/store/site-entries';
import { withIngestedSample } from './helpers/tree';
import { hashedOutputs, pageOutputs, pagesToRender, sitePages, type KeptLists } from '../src/lib/build/pages';
import { isKept } from '../src/lib/site/plan';
import { pageCounts } from '../src/lib/build/partial';
import { updateRelated, wholeNameIndexes, type RelatedInput } from '../src/lib/site/related';
import { settings } from '../src/lib/site/settings';
import { relatedAll, type ArticleIndexEntry, type SiteEntries, type StoryIndexEntry } from '../src/lib/site/site-index';

/** A small deterministic generator (mulberry32), so a failure replays. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: T[]): T => list[Math.floor(next() * list.length)] };
}

type Rand = ReturnType<typeof random>;

// Names drawn with skewed weights: a few names are on many stories, as in the news ("Reuters", a country).
const NAMES = Array.from({ length: 30 }, (_, i) => `Name ${i}`);
const name = (r: Rand) => NAMES[Math.floor(NAMES.length * r.next() ** 2.5)];

function entities(r: Rand): string[] {
  const out = Array.from({ length: r.int(7) }, () => name(r));
  // Now and then a name twice (it counts twice, as in links.ts).
  if (out.length && r.next() < 0.1) out.push(out[0]);
  return out;
}

function nearMisses(r: Rand, ids: string[]): RelatedInput['nearMisses'] {
  if (r.next() < 0.7) return [];
  return Array.from({ length: 1 + r.int(2) }, () => ({ id: r.next() < 0.15 ? `gone-${r.int(5)}` : r.pick(ids), shared: r.next() < 0.5 ? [] : [name(r)] }));
}

describe('related lists updated from the kept ones', () => {
  it('equal relatedAll after random changes, additions and removals, drop-in after drop-in', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = random(seed);
      let next = 0;
      const newId = () => `s${String(next++).padStart(4, '0')}`;
      let stories: RelatedInput[] = [];
      for (let i = 0; i < 150; i++) stories.push({ id: newId(), nearMisses: [], entities: entities(r) });
      const ids = () => stories.map((s) => s.id);
      for (const s of stories) s.nearMisses = nearMisses(r, ids());
      let kept = relatedAll(stories);
      for (let round = 0; round < 15; round++) {
        const was = new Map(stories.map((s) => [s.id, s]));
        const changed = new Set<string>();
        const after = stories.map((s) => ({ ...s }));
        for (let k = r.int(4); k >= 0; k--) {
          const what = r.next();
          if (what < 0.5 && after.length) {
            const i = r.int(after.length);
            after[i] = { ...after[i], entities: r.next() < 0.7 ? entities(r) : after[i].entities, nearMisses: r.next() < 0.4 ? nearMisses(r, ids()) : after[i].nearMisses };
            changed.add(after[i].id);
          } else if (what < 0.75 && after.length > 10) {
            changed.add(after.splice(r.int(after.length), 1)[0].id);
          } else {
            const s = { id: newId(), entities: entities(r), nearMisses: nearMisses(r, ids()) };
            after.push(s);
            changed.add(s.id);
          }
        }
        // The order stories come in does not matter to either.
        after.sort(() => r.next() - 0.5);
        const change = { ids: changed, was: [...changed].flatMap((id) => (was.has(id) ? [was.get(id)!] : [])) };
        const wholes = wholeNameIndexes();
        const updated = updateRelated(after, kept, change);
        // Every name it looks up was indexed first: the whole name index of the archive is not made.
        expect(wholeNameIndexes(), `seed ${seed} round ${round}`).toBe(wholes);
        const fresh = relatedAll(after);
        expect(updated, `seed ${seed} round ${round}`).toEqual(fresh);
        stories = after;
        kept = updated!;
      }
    }
  });

  it('declines when the kept lists cannot stand for the stories (one missing, two stories with one id)', () => {
    const stories: RelatedInput[] = [
      { id: 'a', nearMisses: [], entities: ['X', 'Y'] },
      { id: 'b', nearMisses: [], entities: ['X', 'Y'] },
    ];
    const kept = relatedAll(stories);
    expect(updateRelated([...stories, { id: 'c', nearMisses: [], entities: ['X'] }], kept, { ids: new Set(), was: [] })).toBeNull();
    expect(updateRelated([...stories, { ...stories[0] }], kept, { ids: new Set(['a']), was: [stories[0]] })).toBeNull();
  });
});

/** A content folder's entries, as store/site-entries.ts keeps them; a file's `hash` changes whenever it does. */
function makeEntries(r: Rand, stories: number, articles: number): SiteEntries {
  const days = ['2025-01-03', '2025-01-04', '2025-02-10', '2025-02-11', null];
  const out: SiteEntries = { articles: [], stories: [] };
  for (let i = 0; i < stories; i++) out.stories.push(storyEntry(r, `st${i}`, []));
  for (let i = 0; i < articles; i++) out.articles.push(articleEntry(r, `ar${i}`, r.pick(out.stories).id, r.pick(days)));
  const ids = out.stories.map((s) => s.id);
  for (const s of out.stories) {
    s.nearMisses = nearMisses(r, ids);
    // An editor's notes link other stories (articles moved to or from them), now and then one since gone.
    if (r.next() < 0.6) s.editLinks = [r.next() < 0.2 ? 'new1005' : r.pick(ids)];
    const members = out.articles.filter((a) => a.article.story === s.id).map((a) => a.id);
    setStory(s, members, out.articles);
  }
  return out;
}

let version = 0;
const hashOf = () => `h${version++}`;

function articleEntry(r: Rand, id: string, story: string, date: string | null): ArticleIndexEntry {
  return { id, file: `${id}.md`, hash: hashOf(), article: { id, title: `Title ${r.int(1000)}`, source: r.pick(['Daily One', 'Two Times', 'Third Post']), date, excerpt: 'x', story } };
}

function storyEntry(r: Rand, id: string, members: string[]): StoryIndexEntry {
  return {
    id,
    file: `${id}.json`,
    hash: hashOf(),
    story: { id, headline: `Headline ${r.int(1000)}`, dek: null, summary: ['A sentence.'], sources: ['Daily One'], articles: members, firstDate: null, lastDate: null, entities: entities(r) },
    nearMisses: [],
    reads: members,
    mergedFrom: [],
    editLinks: [],
  };
}

/** A story's members and dates from its articles (a new hash: the file changed). */
function setStory(s: StoryIndexEntry, members: string[], articles: ArticleIndexEntry[]): void {
  const dates = articles.filter((a) => members.includes(a.id)).map((a) => a.article.date).filter((d): d is string => !!d).sort();
  s.story = { ...s.story, articles: members, firstDate: dates[0] ?? null, lastDate: dates[dates.length - 1] ?? null };
  s.reads = members;
  s.hash = hashOf();
}

const clone = (e: SiteEntries): SiteEntries => JSON.parse(JSON.stringify(e)) as SiteEntries;

describe('site pages from the kept lists and hashes', () => {
  it('equal the site index, plan and page hashes made from scratch, drop-in after drop-in', () => {
    // Short pages, so day and outlet pages paginate.
    const env = { NEWSFOLD_SETTINGS: JSON.stringify({ ...settings({}), storiesPerPage: 4, outletPageSize: 15 }) } as NodeJS.ProcessEnv;
    // Pages a drop-in listed without making them, and of those an outlet's: the reuse is exercised.
    let keptPages = 0;
    const keptRoutes = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const r = random(100 + seed);
      let entries = makeEntries(r, 60, 200);
      let last = sitePages(entries, env);
      let articleNo = 1000;
      for (let round = 0; round < 20; round++) {
        const next = clone(entries);
        const touched = new Set<string>();
        const storyOf = (id: string) => next.stories.find((s) => s.id === id);
        for (let k = r.int(3); k >= 0; k--) {
          const what = r.next();
          if (what < 0.4) {
            // A new article joins a story (the latest day, or months back).
            const s = r.pick(next.stories);
            const a = articleEntry(r, `ar${articleNo++}`, s.id, r.pick(['2025-02-11', '2025-02-12', '2025-01-03']));
            next.articles.push(a);
            setStory(s, [...s.story.articles, a.id], next.articles);
            touched.add(`articles/${a.file}`).add(`stories/${s.file}`);
          } else if (what < 0.55) {
            // A story's names or headline change (its digest was made again).
            const s = r.pick(next.stories);
            s.story = { ...s.story, entities: r.next() < 0.6 ? entities(r) : s.story.entities, headline: r.next() < 0.5 ? `Headline ${r.int(1000)}` : s.story.headline };
            s.nearMisses = r.next() < 0.3 ? nearMisses(r, next.stories.map((x) => x.id)) : s.nearMisses;
            s.hash = hashOf();
            touched.add(`stories/${s.file}`);
          } else if (what < 0.7 && next.articles.length > 20) {
            // An article removed, its story rewritten (or removed with its last article).
            const a = next.articles.splice(r.int(next.articles.length), 1)[0];
            touched.add(`articles/${a.file}`);
            const s = storyOf(a.article.story);
            if (s) {
              const members = s.story.articles.filter((id) => id !== a.id);
              if (members.length) setStory(s, members, next.articles);
              else next.stories.splice(next.stories.indexOf(s), 1);
              touched.add(`stories/${s.file}`);
            }
          } else if (what < 0.85) {
            // An article's title changes (a correction).
            const a = r.pick(next.articles);
            a.article = { ...a.article, title: `Title ${r.int(1000)}` };
            a.hash = hashOf();
            touched.add(`articles/${a.file}`);
          } else {
            // A new story with a new article; sometimes another story's notes link it.
            const s = storyEntry(r, `new${articleNo}`, []);
            s.nearMisses = nearMisses(r, next.stories.map((x) => x.id));
            const a = articleEntry(r, `ar${articleNo++}`, s.id, r.pick(['2025-02-12', null]));
            next.articles.push(a);
            next.stories.push(s);
            setStory(s, [a.id], next.articles);
            touched.add(`articles/${a.file}`).add(`stories/${s.file}`);
            if (r.next() < 0.5) {
              const other = r.pick(next.stories);
              if (other !== s) {
                other.editLinks = [s.id];
                other.hash = hashOf();
                touched.add(`stories/${other.file}`);
              }
            }
          }
        }
        next.articles.sort((a, b) => (a.file < b.file ? -1 : 1));
        next.stories.sort((a, b) => (a.file < b.file ? -1 : 1));
        const byKey = new Map<string, ArticleIndexEntry | StoryIndexEntry>([...entries.articles.map((a) => [`articles/${a.file}`, a] as const), ...entries.stories.map((s) => [`stories/${s.file}`, s] as const)]);
        const kept: KeptLists = {
          related: new Map(last.index.stories.map((s) => [s.id, s.related])),
          changed: touched,
          was: new Map([...touched].flatMap((key) => (byKey.has(key) ? [[key, byKey.get(key)!] as const] : []))),
        };
        const fresh = sitePages(next, env);
        // The drop-in takes the hashes it starts from over (pages.ts HashReuse): a copy is kept to compare.
        const lastHashes = { ...last.hashes };
        // Every other round with the counts a manifest records (partial.ts pageCounts), else counted.
        const counts = round % 2 ? pageCounts(last.plan.pages) : null;
        const updated = sitePages(next, env, { before: last.hashes, changed: touched, counts }, kept);
        expect(updated.index, `seed ${seed} round ${round}`).toEqual(fresh.index);
        // The same pages (a drop-in's plan in the plan's order, not sorted: its pages to render are);
        // every page the drop-in made is the page made from scratch, and every page it only listed
        // (kept: its spec is as it was) has the hash of the one from scratch.
        const shape = (pages: Array<{ path: string; route: string; group: string }>) => pages.map((p) => `${p.group} ${p.route} ${p.path}`).sort();
        expect(shape(updated.plan.pages), `seed ${seed} round ${round}`).toEqual(shape(fresh.plan.pages));
        const freshByPath = new Map(fresh.plan.pages.map((p) => [p.path, p]));
        for (const p of updated.plan.pages) {
          if (isKept(p)) {
            keptPages++;
            keptRoutes.add(p.route);
          } else expect(p, `seed ${seed} round ${round}`).toEqual(freshByPath.get(p.path));
        }
        expect(updated.hashes, `seed ${seed} round ${round}`).toEqual(fresh.hashes);
        // What it renders and removes: what a full plan's hashes say against the hashes it started from, in shard order.
        expect(updated.toRender, `seed ${seed} round ${round}`).toEqual(pagesToRender(fresh.plan, fresh.hashes, lastHashes));
        expect(updated.whole().plan, `seed ${seed} round ${round}`).toEqual(fresh.plan);
        // The pages' output files, asked of the hashes, are the plan's.
        const outputs = hashedOutputs(updated.hashes);
        const files = pageOutputs(fresh.plan);
        for (const f of files) expect(outputs.has(f), f).toBe(true);
        for (const p of Object.keys(fresh.hashes)) if (!files.has(p)) expect(outputs.has(p), p).toBe(false);
        expect(outputs.has('articles/index.html') || outputs.has('nowhere/index.html') || outputs.has('')).toBe(false);
        entries = next;
        last = updated;
      }
    }
    expect(keptPages).toBeGreaterThan(1000);
    expect([...keptRoutes].sort()).toEqual(['article', 'feed', 'outlet', 'story']);
  });
});

describe('a drop-in with two pages at one path', () => {
  it('fails as a plan made from scratch does, whether the second page is kept or made', () => {
    const env = { NEWSFOLD_SETTINGS: JSON.stringify({ ...settings({}), storiesPerPage: 4, outletPageSize: 15 }) } as NodeJS.ProcessEnv;
    const r = random(7);
    const entries = makeEntries(r, 20, 60);
    const last = sitePages(entries, env);
    for (const changeOld of [false, true]) {
      // A new file whose front matter names an existing article's id (a hand-written file).
      const next = clone(entries);
      const other = next.articles[5];
      const dup: ArticleIndexEntry = { ...other, file: 'zz-hand-written.md', hash: hashOf(), article: { ...other.article } };
      next.articles.push(dup);
      const touched = new Set([`articles/${dup.file}`]);
      // Or the existing one changed too, so both pages are made.
      if (changeOld) {
        other.hash = hashOf();
        touched.add(`articles/${other.file}`);
      }
      const kept: KeptLists = { related: new Map(last.index.stories.map((s) => [s.id, s.related])), changed: touched, was: new Map() };
      expect(() => sitePages(next, env)).toThrow(/two pages at one path/);
      expect(() => sitePages(next, env, { before: { ...last.hashes }, changed: touched }, kept)).toThrow(/two pages at one path/);
    }
  });
});

describe('a drop-in whose manifest is not the whole plan it starts from', () => {
  // A kept article page is not looked up in the manifest one by one but counted (pages.ts
  // keptArticlesListed): a manifest that lacks one makes the drop-in look each up, so that page is
  // made and rendered as before, whatever else the drop-in changed.
  it('makes and renders an unchanged article page the manifest lacks, as a plan from scratch says', () => {
    const env = { NEWSFOLD_SETTINGS: JSON.stringify({ ...settings({}), storiesPerPage: 4, outletPageSize: 15 }) } as NodeJS.ProcessEnv;
    for (const change of ['title', 'removed', 'none'] as const) {
      const r = random(11);
      const entries = makeEntries(r, 20, 60);
      const last = sitePages(entries, env);
      const next = clone(entries);
      const touched = new Set<string>();
      if (change === 'title') {
        next.articles[3].article = { ...next.articles[3].article, title: 'A correction' };
        next.articles[3].hash = hashOf();
        touched.add(`articles/${next.articles[3].file}`);
      } else if (change === 'removed') {
        const [a] = next.articles.splice(7, 1);
        touched.add(`articles/${a.file}`);
        const s = next.stories.find((x) => x.id === a.article.story)!;
        setStory(s, s.story.articles.filter((id) => id !== a.id), next.articles);
        touched.add(`stories/${s.file}`);
      }
      const byKey = new Map<string, ArticleIndexEntry | StoryIndexEntry>([...entries.articles.map((a) => [`articles/${a.file}`, a] as const), ...entries.stories.map((s) => [`stories/${s.file}`, s] as const)]);
      const kept: KeptLists = {
        related: new Map(last.index.stories.map((s) => [s.id, s.related])),
        changed: touched,
        was: new Map([...touched].flatMap((key) => (byKey.has(key) ? [[key, byKey.get(key)!] as const] : []))),
      };
      // An article none of the changes reach, its page gone from the manifest.
      const lost = `articles/${next.articles[next.articles.length - 1].id}/`;
      const before = { ...last.hashes };
      expect(Object.hasOwn(before, lost)).toBe(true);
      delete before[lost];
      const lastHashes = { ...before };
      const fresh = sitePages(next, env);
      const updated = sitePages(next, env, { before, changed: touched }, kept);
      expect(updated.plan.pages.find((p) => p.path === lost), change).toEqual(fresh.plan.pages.find((p) => p.path === lost));
      expect(updated.hashes, change).toEqual(fresh.hashes);
      expect(updated.toRender, change).toEqual(pagesToRender(fresh.plan, fresh.hashes, lastHashes));
      expect(updated.toRender!.render.map((p) => p.path), change).toContain(lost);
    }
  });
});

describe('the entries a drop-in updates from (store/site-entries.ts)', () => {
  it("gives a changed file's entry before the change, and none for a file that was not there, even one removed earlier", async () => {
    await withIngestedSample(async ({ out }) => {
      // A build: every file looked at, the entries agree with content "A".
      const first = await readSiteEntries(out, { from: null, to: 'A', files: [] });
      expect(first.changed).toBeNull();
      const victim = first.entries.articles[0];
      const key = `articles/${victim.file}`;
      const file = path.join(out, key);
      const bytes = await readFile(file);
      // The ingest removes it (content "B"): what it was is given, and its entry leaves the store.
      await rm(file);
      const removed = await readSiteEntries(out, { from: 'A', to: 'B', files: [key] });
      expect(removed.changed).toEqual(new Set([key]));
      expect(JSON.parse(JSON.stringify(removed.was!.get(key)))).toEqual(JSON.parse(JSON.stringify(victim)));
      expect(removed.entries.articles.map((a) => a.file)).not.toContain(victim.file);
      // Written again (content "C"): it was not in "B", so there is nothing it was.
      await writeFile(file, bytes);
      const back = await readSiteEntries(out, { from: 'B', to: 'C', files: [key] });
      expect(back.changed).toEqual(new Set([key]));
      expect(back.was!.has(key)).toBe(false);
      expect(back.entries.articles.find((a) => a.file === victim.file)).toEqual(victim);
      // Changes that do not start from the content the entries agree with: every file looked at, nothing kept.
      const other = await readSiteEntries(out, { from: 'B', to: 'D', files: [key] });
      expect(other.changed).toBeNull();
      expect(other.was).toBeNull();
    });
  }, 120_000);
});
