/**
 * The page plan (src/lib/site/plan.ts), its pagination (pager.ts) and the
 * sitemap (sitemap.ts), on synthetic sites: where each story is listed, what
 * a drop-in changes, page sizes bounded by the settings, sitemaps split at
 * the protocol's 50,000 URLs.
 */
import { describe, expect, it } from 'vitest';
import { paginate } from '../src/lib/site/pager';
import { planSite, staticInputs, type DaySpec, type MonthSpec, type OutletSpec, type PageSpec } from '../src/lib/site/plan';
import { sitemapFiles, siteUrl, SITEMAP_URLS } from '../src/lib/site/sitemap';
import { buildSettings, settings as siteSettingsOf, type SiteSettings } from '../src/lib/site/settings';
import { DEFAULT_CONFIG, SETTINGS_ENV, siteSettings } from '../src/lib/config';

const SITE_DEFAULTS = siteSettings(DEFAULT_CONFIG);
import { articleEntry, siteIndexOf, storyEntry, type SiteEntries } from '../src/lib/site/site-index';
import { articleSchema, storySchema } from '../src/lib/schema';
import { sha256 } from '../src/lib/store/fingerprint';

describe('paginate', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => n - i); // newest (largest) first

  it('anchors numbered pages at the oldest item and keeps the first page between size and 2 x size - 1', () => {
    for (let n = 0; n <= 60; n++) {
      const pages = paginate(items(n), 10, 'x/', (list) => `${list[list.length - 1]}-${list[0]}`);
      expect(pages.flatMap((p) => p.items), `n=${n}`).toEqual(items(n));
      const [first, ...numbered] = pages;
      if (n >= 10) expect(first.items.length).toBeGreaterThanOrEqual(10);
      expect(first.items.length).toBeLessThanOrEqual(19);
      for (const p of numbered) {
        expect(p.items).toHaveLength(10);
        // Page k holds items (k-1)*10+1 .. k*10 counted from the oldest, whatever n is.
        expect(p.items[p.items.length - 1]).toBe((p.number - 1) * 10 + 1);
        expect(p.path).toBe(`x/page/${p.number}/`);
      }
      expect(first.nav.pages?.map((r) => r.path) ?? []).toEqual(numbered.map((p) => p.path));
    }
  });

  it('changes only the first page when a newest item arrives, and at a boundary the new page and its older neighbour', () => {
    for (let n = 20; n <= 60; n++) {
      const key = (p: ReturnType<typeof paginate<number>>[number]) => JSON.stringify([p.items, p.nav]);
      const before = new Map(paginate(items(n), 10, 'x/', (l) => `${l[l.length - 1]}`).map((p) => [p.path, key(p)]));
      const after = paginate(items(n + 1), 10, 'x/', (l) => `${l[l.length - 1]}`);
      const changed = after.filter((p) => before.get(p.path) !== key(p)).map((p) => p.number);
      const boundary = after.length > before.size;
      // The first page; at a boundary also the new numbered page and the one before it (its "newer" link).
      expect(changed.sort(), `n=${n}`).toEqual(boundary ? [0, after.length - 2, after.length - 1].filter((k, i, a) => a.indexOf(k) === i).sort() : [0]);
      // Numbered pages link only to the first page and their neighbours: never to a page count.
      for (const p of after.slice(1)) expect(p.nav.pages).toBeNull();
    }
  });
});

describe('sitemapFiles', () => {
  it('splits past 50,000 URLs into several files named by an index, whatever the order of the pages', () => {
    const paths = Array.from({ length: SITEMAP_URLS + 1 }, (_, i) => `articles/a${String(i).padStart(6, '0')}/`);
    const files = sitemapFiles(paths, 'https://example.net', '/news/');
    expect([...files.keys()].sort()).toEqual(['sitemap-0.xml', 'sitemap-1.xml', 'sitemap-index.xml']);
    expect(files.get('sitemap-0.xml')!.match(/<url>/g)).toHaveLength(SITEMAP_URLS);
    expect(files.get('sitemap-1.xml')!.match(/<url>/g)).toHaveLength(1);
    expect(files.get('sitemap-index.xml')).toContain('<loc>https://example.net/news/sitemap-1.xml</loc>');
    expect(files.get('sitemap-0.xml')).toContain('<loc>https://example.net/news/articles/a000000/</loc>');
    const shuffled = sitemapFiles([...paths].reverse(), 'https://example.net', '/news/');
    expect([...shuffled]).toEqual([...files]);
    // A path listed twice is one URL.
    expect([...sitemapFiles([...paths.slice(0, 7), ...paths, paths[3]], 'https://example.net', '/news/')]).toEqual([...files]);
    expect([...sitemapFiles(paths.slice(0, SITEMAP_URLS), 'https://example.net', '/').keys()].sort()).toEqual(['sitemap-0.xml', 'sitemap-index.xml']);
  });

  it('gives every path the URL siteUrl gives it, plain or not, under any base', () => {
    const paths = ['', 'days/', 'articles/a-b_c9/', 'x&y/', 'a/./b/', 'a/../b/', 'caf\u00e9/', 'a b/', 'q?x/', 'h#x/', '%41/', 'A//B/', '/lead/', 'back\\slash/'];
    for (const [site, base] of [['https://example.net', '/'], ['https://example.net', '/news'], ['https://example.net/', 'news/'], ['http://localhost:4321', '/a b/']]) {
      const text = sitemapFiles(paths, site, base, 1000).get('sitemap-0.xml')!;
      const locs = [...text.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
      const escape = (u: string) => u.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
      expect(locs).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((p) => escape(siteUrl(site, base, p))));
    }
  });

  it('escapes URLs and lists the root page', () => {
    const files = sitemapFiles(['', 'x&y/'], 'https://example.net', '/');
    expect(files.get('sitemap-0.xml')).toContain('<url><loc>https://example.net/</loc></url><url><loc>https://example.net/x&amp;y/</loc></url>');
  });
});

/** A synthetic site: `stories` stories, spread over days, each with `per` articles from a few outlets. */
function site(stories: Array<{ day: string | null; outlets: string[] }>): SiteEntries {
  const entries: SiteEntries = { articles: [], stories: [] };
  stories.forEach((s, i) => {
    const id = `s${String(i).padStart(4, '0')}`;
    const ids = s.outlets.map((_, j) => `${id}-a${j}`);
    s.outlets.forEach((outlet, j) => {
      const a = articleSchema.parse({ id: ids[j], title: `Title ${ids[j]}`, source: outlet, date: s.day, raw: `${ids[j]}.txt`, story: id, words: 100, excerpt: `Excerpt ${ids[j]}.` });
      entries.articles.push(articleEntry(`${ids[j]}.md`, sha256(ids[j]), ids[j], a));
    });
    const story = storySchema.parse({ id, headline: `Headline ${i}`, articles: ids, sources: s.outlets, firstDate: s.day, lastDate: s.day, independent: ids.length, summary: [{ text: `Lead ${i}.`, citations: [ids[0]] }] });
    entries.stories.push(storyEntry(`${id}.json`, sha256(id), id, story));
  });
  entries.articles.sort((a, b) => (a.file < b.file ? -1 : 1));
  return entries;
}

const plan = (entries: SiteEntries, settings: Partial<SiteSettings> = {}) => {
  const index = siteIndexOf(entries);
  return planSite(index, entries, { ...SITE_DEFAULTS, ...settings }, staticInputs(entries)).pages;
};
const byPath = (pages: PageSpec[]) => new Map(pages.map((p) => [p.path, p]));
const day = (n: number) => `2025-0${1 + Math.floor(n / 28)}-${String(1 + (n % 28)).padStart(2, '0')}`;

describe('planSite', () => {
  // 300 stories over 60 days (5 a day, 40 on the busiest), some undated, 4 outlets.
  const stories = Array.from({ length: 300 }, (_, i) => ({
    day: i % 50 === 7 ? null : i < 40 ? day(59) : day(i % 60),
    outlets: ['Alpha', 'Beta', 'Gamma', 'Delta'].slice(0, 1 + (i % 4)),
  }));
  const settings = { storiesPerPage: 10, outletPageSize: 25, homeDays: 2, homeStories: 12 };
  const pages = plan(site(stories), settings);
  const paths = byPath(pages);

  it('lists every story on exactly one day page: the day of its last article, undated ones under days/undated/', () => {
    const listed = new Map<string, string[]>();
    for (const p of pages.filter((p): p is DaySpec => p.route === 'day')) for (const s of p.stories) listed.set(s.id, [...(listed.get(s.id) ?? []), p.path]);
    expect(listed.size).toBe(stories.length);
    for (const [id, where] of listed) {
      expect(where, id).toHaveLength(1);
      const story = stories[Number(id.slice(1))];
      expect(where[0].startsWith(`days/${story.day ?? 'undated'}/`), `${id} on ${where[0]}`).toBe(true);
    }
  });

  it('bounds every listing by the page size settings, and the home page by its own', () => {
    for (const p of pages) {
      if (p.route === 'day') expect(p.stories.length).toBeLessThan(2 * settings.storiesPerPage);
      if (p.route === 'outlet') expect(p.items.length).toBeLessThan(2 * settings.outletPageSize);
    }
    const home = paths.get('')!;
    if (home.route !== 'home') throw new Error('no home page');
    expect(home.days.reduce((n, d) => n + d.stories.length, 0)).toBe(settings.homeStories);
    // The busiest day is the latest: its stories do not all fit, the day page has the rest.
    const busiest = stories.filter((s) => s.day === day(59)).length;
    expect(busiest).toBeGreaterThan(40);
    expect(home.days[0]).toMatchObject({ total: busiest, ref: { path: `days/${day(59)}/` } });
  });

  it('links each month to every page of its days, and days to their neighbours', () => {
    const month = paths.get('days/2025-03/') as MonthSpec;
    const busiest = month.days.find((d) => d.ref.day === day(59))!;
    // 44 stories in pages of 10: the first page holds 14, then pages 3, 2, 1 (oldest).
    expect(busiest.count).toBe(44);
    expect(busiest.pages.map((p) => p.path)).toEqual([3, 2, 1].map((k) => `days/${day(59)}/page/${k}/`));
    for (const p of busiest.pages) expect(paths.has(p.path), p.path).toBe(true);
    const d = paths.get(`days/${day(30)}/`) as DaySpec;
    expect([d.newer?.day, d.older?.day]).toEqual([day(31), day(29)]);
    expect(paths.get(`days/${day(0)}/`)).toMatchObject({ older: null });
  });

  it('changes only the newest pages of an outlet, the day and the aggregates when a story is dropped in', () => {
    const more = [...stories, { day: day(59), outlets: ['Alpha'] }];
    const after = plan(site(more), settings);
    const hash = (p: PageSpec) => sha256(JSON.stringify(p));
    const before = new Map(pages.map((p) => [p.path, hash(p)]));
    const changed = after.filter((p) => before.get(p.path) !== hash(p)).map((p) => p.path).sort();
    // Alpha's first page (and feed), the new day's pages, its month, the home page, the new story's and article's pages,
    // the feed, the outlet list, the archive (counts) and the search page (it lists every story).
    const alpha = (after.filter((p) => p.route === 'outlet' && p.slug === 'alpha') as OutletSpec[]).map((p) => p.path);
    expect(alpha.length).toBeGreaterThan(3);
    expect(changed.filter((p) => p.startsWith('outlets/alpha/'))).toEqual(['outlets/alpha/', 'outlets/alpha/rss.xml']);
    expect(changed.filter((p) => p.startsWith('outlets/') && !p.startsWith('outlets/alpha/'))).toEqual(['outlets/']);
    expect(changed.filter((p) => p.startsWith('stories/') || p.startsWith('articles/'))).toEqual(['articles/s0300-a0/', 'stories/s0300/']);
    expect(changed.filter((p) => p.startsWith('days/')).every((p) => p === 'days/' || p === 'days/2025-03/' || p.startsWith(`days/${day(59)}/`))).toBe(true);
    expect(changed.length).toBeLessThan(20);
  });

  it("takes what pages show from the config the build resolved, and the shard size from NEWSFOLD_* variables", () => {
    const resolved = { ...SITE_DEFAULTS, homeDays: 5, feedSize: 20, title: 'Daily' };
    // The build hands the validated config on in NEWSFOLD_SETTINGS; without it, the defaults (with NEWSFOLD_SITE over them).
    expect(siteSettingsOf({ [SETTINGS_ENV]: JSON.stringify(resolved) })).toEqual(resolved);
    expect(siteSettingsOf({ NEWSFOLD_SITE: 'https://b.example' })).toEqual({ ...SITE_DEFAULTS, site: 'https://b.example' });
    // Page settings are not environment variables any more: the config file is their one source.
    expect(siteSettingsOf({ NEWSFOLD_HOME_DAYS: '5' } as Record<string, string>)).toEqual(SITE_DEFAULTS);
    expect(buildSettings({ NEWSFOLD_SHARD_PAGES: '500' }).shardPages).toBe(500);
    expect(() => buildSettings({ NEWSFOLD_SHARD_PAGES: '0' })).toThrow(/NEWSFOLD_SHARD_PAGES must be a whole number of at least 1/);
  });
});
