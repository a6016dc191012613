/**
 * The site's page plan: every page the site has, each with exactly what it
 * shows (its "spec"). Pure: from the site index and the content files'
 * entries (site-index.ts) and the settings (settings.ts).
 *
 * Why one plan: the pages render from their spec, so
 *  - a page's dependency hash is the hash of its spec (plus the hashes of the
 *    content files it reads, which the spec carries): a drop-in re-renders
 *    exactly the pages whose spec changed (src/lib/build/render.ts);
 *  - a page needs nothing but its spec and its own files: an astro child
 *    rendering a shard of the site holds that shard's specs, never the whole
 *    site (src/lib/site/data.ts);
 *  - the sitemap is the plan's list of HTML pages, whichever way the site was
 *    built (sitemap.ts).
 *
 * URL scheme (docs/site.md):
 *   /                          the latest stories (homeDays days, at most homeStories)
 *   /days/                     the archive: every month, and the undated stories
 *   /days/YYYY-MM/             a month: its days, their pages and top headlines
 *   /days/YYYY-MM-DD/          a day's stories (page/N/ past storiesPerPage)
 *   /days/undated/             stories with no date at all (page/N/ likewise)
 *   /outlets/                  every outlet
 *   /outlets/<slug>/           an outlet's articles, newest first (page/N/ past outletPageSize)
 *   /outlets/<slug>/rss.xml    an outlet's latest articles
 *   /stories/<id>/  /articles/<id>/  /rss.xml  /search/
 *   /stories/<merged-id>/      a story an editor merged into another: leads there (not in the sitemap)
 * A story belongs to the day of its last article (its `lastDate`: the day it
 * was last reported, as the home page groups them); a story with no dated
 * article is listed under /days/undated/.
 *
 * Size: about 550 lines: every page kind's spec and the one function that
 * plans them (with what a drop-in may leave unmade, `PlanReuse`), together, so
 * what a page shows and what its hash covers have one source.
 */
import { pagePaths, paginate, type ListPage, type PagerNav, type PageRef } from './pager';
import { byText, formatDate, outletLabel, outletSlug } from './links';
import type { SiteSettings } from './settings';
import { storyLead, type IndexArticle, type IndexStory, type SiteEntries, type SiteIndex } from './site-index';

/** A story in a list (home, day pages). */
export interface StoryCard {
  id: string;
  headline: string;
  firstDate: string | null;
  lastDate: string | null;
  /** The first outlets (CARD_SOURCES); `sourceCount` counts them all. */
  sources: string[];
  sourceCount: number;
  articles: number;
  /** The summary's first sentence. */
  lead: string | null;
}

export interface StoryLink {
  id: string;
  headline: string;
  firstDate: string | null;
  lastDate: string | null;
  /** The names this story shares with the one whose page links it. */
  shared: string[];
}

export interface DayRef {
  /** YYYY-MM-DD, or null for the undated stories. */
  day: string | null;
  path: string;
  label: string;
}

export interface OutletItem {
  id: string;
  title: string;
  date: string | null;
  story: { id: string; headline: string } | null;
}

export interface FeedItem {
  title: string;
  /** Site path of the item's page. */
  path: string;
  date: string | null;
  description: string | null;
}

interface Base<R extends string> {
  route: R;
  /** Site path without the base: `` (home), `days/2025-07-20/`, `rss.xml`... */
  path: string;
  /** Shard grouping: the month a page belongs to (`2025-07`, `undated`) or `site` for site-wide pages. */
  group: string;
}

export interface ArticleSpec extends Base<'article'> {
  id: string;
  file: string;
  hash: string;
  story: { id: string; headline: string; day: string | null } | null;
}

export interface StorySpec extends Base<'story'> {
  id: string;
  file: string;
  hash: string;
  /** The article files the page reads (members and those its grouping reasons name). */
  reads: Array<{ id: string; file: string; hash: string }>;
  related: StoryLink[];
  /** The day page the story is listed on. */
  day: DayRef;
  /** Stories the editor's notes link (overrides.yaml), with their headline, or null when gone. */
  editLinks: Array<{ id: string; headline: string | null }>;
}

/**
 * A story an editor merged into another (overrides.yaml): its URL leads to
 * the story it is part of now (src/pages/stories/[...merged].astro). Not in
 * the sitemap.
 */
export interface RedirectSpec extends Base<'redirect'> {
  from: string;
  to: string;
  headline: string;
}

export interface HomeSpec extends Base<'home'> {
  title: string;
  stories: number;
  articles: number;
  days: Array<{ ref: DayRef; total: number; stories: StoryCard[] }>;
  /** Earlier days with stories (after those shown), newest first. */
  earlier: Array<{ ref: DayRef; count: number }>;
  months: Array<{ path: string; label: string; count: number }>;
  undated: { path: string; count: number } | null;
  outlets: Array<{ path: string; label: string; count: number }>;
  outletCount: number;
}

export interface ArchiveSpec extends Base<'archive'> {
  years: Array<{ year: string; months: Array<{ path: string; label: string; stories: number; days: number }> }>;
  undated: { path: string; count: number } | null;
  stories: number;
}

export interface MonthSpec extends Base<'month'> {
  month: string;
  label: string;
  days: Array<{ ref: DayRef; count: number; pages: PageRef[]; top: Array<{ id: string; headline: string }> }>;
  newer: { path: string; label: string } | null;
  older: { path: string; label: string } | null;
}

export interface DaySpec extends Base<'day'> {
  ref: DayRef;
  month: { path: string; label: string } | null;
  total: number;
  stories: StoryCard[];
  pager: PagerNav;
  newer: DayRef | null;
  older: DayRef | null;
}

export interface OutletsSpec extends Base<'outlets'> {
  outlets: Array<{ path: string; label: string; articles: number; stories: number }>;
  stories: number;
}

export interface OutletSpec extends Base<'outlet'> {
  slug: string;
  label: string;
  /** On the first page only: a numbered page shows nothing that changes as news arrives (pager.ts). */
  totals: { articles: number; stories: number } | null;
  items: OutletItem[];
  pager: PagerNav;
  feed: string;
}

export interface FeedSpec extends Base<'feed'> {
  title: string;
  description: string;
  /** Site path of the page the feed is about. */
  home: string;
  items: FeedItem[];
}

/**
 * A page this plan does not make but the site has (search.astro): listed so
 * it is in the sitemap and rendered once. `inputs` names what it reads.
 */
export interface StaticSpec extends Base<'static'> {
  inputs: string;
}

export type PageSpec = ArticleSpec | StorySpec | RedirectSpec | HomeSpec | ArchiveSpec | MonthSpec | DaySpec | OutletsSpec | OutletSpec | FeedSpec | StaticSpec;
export type PageRoute = PageSpec['route'];

/**
 * A page a drop-in's plan lists without making its spec (`PlanReuse`): its path, route and shard
 * group only. Its spec is as the dist/ on disk has it, so its hash is that dist/'s and it is never
 * rendered (build/pages.ts checks both).
 */
export interface KeptPage {
  route: 'article' | 'story' | 'outlet' | 'feed';
  path: string;
  group: string;
  kept: true;
}

export interface SitePlan {
  pages: PageSpec[];
}

/** A plan made with `PlanReuse`: some pages only listed (KeptPage). */
export interface KeptPlan {
  pages: Array<PageSpec | KeptPage>;
}

export const articlePath = (id: string) => `articles/${id}/`;

/** A kept article's page (KeptPage): its path made on first use, not for each of 100,000 kept pages. */
class KeptArticlePage implements KeptPage {
  readonly route = 'article' as const;
  readonly kept = true as const;
  constructor(
    private readonly id: string,
    readonly group: string,
  ) {}
  get path(): string {
    return articlePath(this.id);
  }
}

/** True for a page whose spec the plan did not make (see KeptPage). */
export const isKept = (p: PageSpec | KeptPage): p is KeptPage => (p as KeptPage).kept === true;

/**
 * What a drop-in's plan may list without making (build/pages.ts decides, from what changed): the
 * pages whose spec it can tell is as it was. A year of news has 100,000 article pages, 20,000 story
 * pages and an outlet's pages list up to thousands of articles; a drop-in changes a handful.
 */
export interface PlanReuse {
  /**
   * Whether the pages of this story's articles may be as they were (their story's headline and day
   * are): asked once per story an article names, not per article (100,000 of them).
   */
  articleStory(id: string): boolean;
  /** The page of this article (its entry; at articlePath(e.id)), whose story's articles' pages may be as they were: its spec is as it was. */
  article(e: SiteEntries['articles'][number]): boolean;
  /** The page of this story, at `path`. */
  story(e: SiteEntries['stories'][number], path: string): boolean;
  /** This outlet's pages and feed, at these paths. */
  outlet(slug: string, paths: string[]): boolean;
}

export const UNDATED = 'undated';

export const dayPath = (day: string | null) => `days/${day ?? UNDATED}/`;
export const monthPath = (month: string) => `days/${month}/`;
export const outletPath = (slug: string) => `outlets/${slug}/`;
export const storyPath = (id: string) => `stories/${id}/`;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "July 2025". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

export const dayRef = (day: string | null): DayRef => ({ day, path: dayPath(day), label: day ? formatDate(day) : 'Undated' });

/** The day a story is listed under: the day of its last article (null: undated). */
export const storyDay = (s: { lastDate: string | null }): string | null => s.lastDate;

/** The shard group of a day: its month, or `undated`. */
const groupOf = (day: string | null) => (day ? day.slice(0, 7) : UNDATED);

/** Outlets named on a story's card; a story told by 120 outlets names the first ones and counts the rest. */
const CARD_SOURCES = 8;

const card = (s: IndexStory): StoryCard => ({
  id: s.id,
  headline: s.headline,
  firstDate: s.firstDate,
  lastDate: s.lastDate,
  sources: s.sources.slice(0, CARD_SOURCES),
  sourceCount: s.sources.length,
  articles: s.articles.length,
  lead: storyLead(s),
});

/** Top headlines per day on a month page. */
const MONTH_TOP = 3;
/** Earlier days listed on the home page, after the days it shows. */
const HOME_EARLIER_DAYS = 14;
/** Outlets named on the home page (the rest: /outlets/). */
const HOME_OUTLETS = 12;

/**
 * The whole plan. `index` is siteIndexOf(entries); `staticInputs` names what
 * the pages outside the plan read (staticInputs(entries)).
 */
export function planSite(index: SiteIndex, entries: SiteEntries, settings: SiteSettings, staticInputs: string): SitePlan;
export function planSite(index: SiteIndex, entries: SiteEntries, settings: SiteSettings, staticInputs: string, reuse: PlanReuse | null): KeptPlan;
export function planSite(index: SiteIndex, entries: SiteEntries, settings: SiteSettings, staticInputs: string, reuse: PlanReuse | null = null): KeptPlan {
  const pages: Array<PageSpec | KeptPage> = [];
  const storyById = new Map(index.stories.map((s) => [s.id, s]));

  // --- days: every story under the day of its last article, newest day first (index order).
  const days: Array<{ day: string | null; stories: IndexStory[] }> = [];
  for (const s of index.stories) {
    const day = storyDay(s);
    const last = days[days.length - 1];
    if (last && last.day === day) last.stories.push(s);
    else days.push({ day, stories: [s] });
  }
  const dated = days.filter((d) => d.day !== null);
  const undated = days.find((d) => d.day === null) ?? null;
  const dayPages = new Map<string | null, Array<ListPage<IndexStory>>>();
  for (const d of days) {
    dayPages.set(
      d.day,
      paginate(d.stories, settings.storiesPerPage, dayPath(d.day), (items, k) => `Page ${k}`),
    );
  }
  dated.forEach((d, i) => {
    const month = d.day!.slice(0, 7);
    for (const p of dayPages.get(d.day)!) {
      pages.push({
        route: 'day',
        path: p.path,
        group: groupOf(d.day),
        ref: dayRef(d.day),
        month: { path: monthPath(month), label: monthLabel(month) },
        total: d.stories.length,
        stories: p.items.map(card),
        pager: p.nav,
        newer: i > 0 ? dayRef(dated[i - 1].day) : null,
        older: i + 1 < dated.length ? dayRef(dated[i + 1].day) : null,
      });
    }
  });
  if (undated) {
    for (const p of dayPages.get(null)!) {
      pages.push({ route: 'day', path: p.path, group: UNDATED, ref: dayRef(null), month: null, total: undated.stories.length, stories: p.items.map(card), pager: p.nav, newer: null, older: null });
    }
  }

  // --- months, newest first, each listing its days with their pages.
  const months: Array<{ month: string; days: typeof dated }> = [];
  for (const d of dated) {
    const month = d.day!.slice(0, 7);
    const last = months[months.length - 1];
    if (last && last.month === month) last.days.push(d);
    else months.push({ month, days: [d] });
  }
  const monthRef = (m: { month: string }) => ({ path: monthPath(m.month), label: monthLabel(m.month) });
  months.forEach((m, i) => {
    pages.push({
      route: 'month',
      path: monthPath(m.month),
      group: m.month,
      month: m.month,
      label: monthLabel(m.month),
      days: m.days.map((d) => ({
        ref: dayRef(d.day),
        count: d.stories.length,
        pages: dayPages.get(d.day)!.slice(1).map((p) => ({ path: p.path, label: p.nav.label })),
        top: d.stories.slice(0, MONTH_TOP).map((s) => ({ id: s.id, headline: s.headline })),
      })),
      newer: i > 0 ? monthRef(months[i - 1]) : null,
      older: i + 1 < months.length ? monthRef(months[i + 1]) : null,
    });
  });
  const monthList = months.map((m) => ({ ...monthRef(m), count: m.days.reduce((n, d) => n + d.stories.length, 0) }));
  const undatedRef = undated ? { path: dayPath(null), count: undated.stories.length } : null;

  // --- the archive index.
  const years: ArchiveSpec['years'] = [];
  for (const m of months) {
    const year = m.month.slice(0, 4);
    const entry = { path: monthPath(m.month), label: monthLabel(m.month), stories: m.days.reduce((n, d) => n + d.stories.length, 0), days: m.days.length };
    const last = years[years.length - 1];
    if (last && last.year === year) last.months.push(entry);
    else years.push({ year, months: [entry] });
  }
  pages.push({ route: 'archive', path: 'days/', group: 'site', years, undated: undatedRef, stories: index.stories.length });

  // --- outlets: each outlet's articles, newest first by their date (else their story's first date).
  const bySlug = new Map<string, { label: string; articles: IndexArticle[] }>();
  for (const a of index.articles) {
    const slug = outletSlug(a.source);
    const o = bySlug.get(slug);
    // Two names folding to one slug share a page: the first name (in file order) labels it.
    if (o) o.articles.push(a);
    else bySlug.set(slug, { label: outletLabel(a.source), articles: [a] });
  }
  const sortKey = (a: IndexArticle) => a.date ?? storyById.get(a.story)?.firstDate ?? '';
  // An outlet item's story link, made once per story (100,000 items in a year of news).
  const storyLinks = new Map<string, OutletItem['story']>();
  const itemStory = (id: string): OutletItem['story'] => {
    let link = storyLinks.get(id);
    if (link === undefined) {
      const s = storyById.get(id);
      storyLinks.set(id, (link = s ? { id: s.id, headline: s.headline } : null));
    }
    return link;
  };
  const outlets: OutletsSpec['outlets'] = [];
  for (const slug of [...bySlug.keys()].sort(byText)) {
    const o = bySlug.get(slug)!;
    const base = outletPath(slug);
    const feed = `${base}rss.xml`;
    if (reuse) {
      // Listed, not made, when the drop-in leaves them as they were: no sort of its articles.
      const paths = [...pagePaths(o.articles.length, settings.outletPageSize, base), feed];
      if (reuse.outlet(slug, paths)) {
        paths.forEach((path, i) => pages.push({ route: i < paths.length - 1 ? 'outlet' : 'feed', path, group: 'site', kept: true }));
        outlets.push({ path: base, label: o.label, articles: o.articles.length, stories: storyCountOf(o.articles) });
        continue;
      }
    }
    const keyed = o.articles.map((a) => ({ a, key: sortKey(a) }));
    // Newest first; undated (no date, nor its story) last, i.e. at the oldest end; then by id, newest id first.
    keyed.sort((x, y) => (x.key !== y.key ? (x.key < y.key ? 1 : -1) : byText(y.a.id, x.a.id)));
    const items: OutletItem[] = keyed.map(({ a }) => ({ id: a.id, title: a.title, date: a.date, story: itemStory(a.story) }));
    const storyCount = storyCountOf(o.articles);
    for (const p of paginate(items, settings.outletPageSize, base, (list) => dateSpan(list))) {
      const totals = p.number === 0 ? { articles: items.length, stories: storyCount } : null;
      pages.push({ route: 'outlet', path: p.path, group: 'site', slug, label: o.label, totals, items: p.items, pager: p.nav, feed });
    }
    pages.push({
      route: 'feed',
      path: feed,
      group: 'site',
      title: `${settings.title}: ${o.label}`,
      description: `The latest articles from ${o.label}, each beside every other source on its story.`,
      home: base,
      items: keyed.slice(0, settings.feedSize).map(({ a }) => ({ title: a.title, path: `articles/${a.id}/`, date: a.date, description: a.excerpt || null })),
    });
    outlets.push({ path: base, label: o.label, articles: items.length, stories: storyCount });
  }
  // Most articles first, then by name: the same order as before pagination.
  outlets.sort((a, b) => b.articles - a.articles || byText(a.label, b.label));
  pages.push({ route: 'outlets', path: 'outlets/', group: 'site', outlets, stories: index.stories.length });

  // --- home: the latest days' stories, then the way into the archive.
  const homeDays: HomeSpec['days'] = [];
  let shown = 0;
  for (const d of dated.slice(0, settings.homeDays)) {
    if (shown >= settings.homeStories) break;
    const take = d.stories.slice(0, settings.homeStories - shown);
    shown += take.length;
    homeDays.push({ ref: dayRef(d.day), total: d.stories.length, stories: take.map(card) });
  }
  // No dated story at all: the undated ones are the latest there is.
  if (!homeDays.length && undated) homeDays.push({ ref: dayRef(null), total: undated.stories.length, stories: undated.stories.slice(0, settings.homeStories).map(card) });
  pages.push({
    route: 'home',
    path: '',
    group: 'site',
    title: settings.title,
    stories: index.stories.length,
    articles: index.articles.length,
    days: homeDays,
    earlier: dated.slice(homeDays.length, homeDays.length + HOME_EARLIER_DAYS).map((d) => ({ ref: dayRef(d.day), count: d.stories.length })),
    months: monthList,
    undated: undatedRef,
    outlets: outlets.slice(0, HOME_OUTLETS).map((o) => ({ path: o.path, label: o.label, count: o.articles })),
    outletCount: outlets.length,
  });

  // --- the site's feed: the latest stories.
  pages.push({
    route: 'feed',
    path: 'rss.xml',
    group: 'site',
    title: settings.title,
    description: settings.description,
    home: '',
    items: index.stories.slice(0, settings.feedSize).map((s) => ({ title: s.headline, path: storyPath(s.id), date: s.lastDate, description: s.summary.join(' ') || null })),
  });

  // --- story and article pages. (A year of news has 120,000 of them: the parts many pages show
  // alike, a day's ref and an article's story, are made once and shared, not made per page.)
  // Story pages made (not kept), and the article files they read (only those looked up: 100,000 in a year).
  const made = reuse ? entries.stories.filter((e) => !reuse.story(e, storyPath(e.id))) : entries.stories;
  const madeIds = reuse ? new Set(made.map((e) => e.id)) : null;
  let wanted: Set<string> | null = null;
  if (reuse) {
    wanted = new Set();
    for (const e of made) for (const id of e.reads) wanted.add(id);
  }
  const articleFile = new Map<string, SiteEntries['articles'][number]>();
  for (const a of entries.articles) if (!wanted || wanted.has(a.id)) articleFile.set(a.id, a);
  const dayRefs = new Map<string | null, DayRef>();
  const sharedDayRef = (day: string | null): DayRef => {
    let ref = dayRefs.get(day);
    if (!ref) dayRefs.set(day, (ref = dayRef(day)));
    return ref;
  };
  for (const e of entries.stories) {
    const s = storyById.get(e.id)!;
    if (madeIds && !madeIds.has(e.id)) {
      pages.push({ route: 'story', path: storyPath(e.id), group: groupOf(storyDay(s)), kept: true });
      continue;
    }
    const reads: StorySpec['reads'] = [];
    for (const id of e.reads) {
      const a = articleFile.get(id);
      if (a) reads.push({ id, file: a.file, hash: a.hash });
    }
    pages.push({
      route: 'story',
      path: storyPath(e.id),
      group: groupOf(storyDay(s)),
      id: e.id,
      file: e.file,
      hash: e.hash,
      reads,
      related: s.related.map(({ id, shared }) => {
        const r = storyById.get(id)!;
        return { id, headline: r.headline, firstDate: r.firstDate, lastDate: r.lastDate, shared };
      }),
      day: sharedDayRef(storyDay(s)),
      editLinks: e.editLinks.map((id) => ({ id, headline: storyById.get(id)?.headline ?? null })),
    });
  }
  for (const r of index.redirects) {
    const s = storyById.get(r.to);
    pages.push({ route: 'redirect', path: storyPath(r.from), group: s ? groupOf(storyDay(s)) : UNDATED, from: r.from, to: r.to, headline: s?.headline ?? 'the story' });
  }
  const articleStory = new Map<string, { group: string; story: ArticleSpec['story']; keep: boolean }>();
  for (const e of entries.articles) {
    let of = articleStory.get(e.article.story);
    if (!of) {
      const s = storyById.get(e.article.story);
      of = { group: s ? groupOf(storyDay(s)) : UNDATED, story: s ? { id: s.id, headline: s.headline, day: storyDay(s) } : null, keep: !!reuse?.articleStory(e.article.story) };
      articleStory.set(e.article.story, of);
    }
    // A kept page's path is made when asked for (a drop-in's sitemap is patched: nothing asks for 100,000 of them).
    if (of.keep && reuse!.article(e)) pages.push(new KeptArticlePage(e.id, of.group));
    else pages.push({ route: 'article', path: articlePath(e.id), group: of.group, id: e.id, file: e.file, hash: e.hash, story: of.story });
  }

  pages.push({ route: 'static', path: 'search/', group: 'site', inputs: staticInputs });
  return { pages };
}

/** How many stories an outlet's articles belong to. */
function storyCountOf(articles: IndexArticle[]): number {
  // No array of every article's story made first (100,000 at 100,000 articles, per build).
  const stories = new Set<string>();
  for (const a of articles) stories.add(a.story);
  return stories.size;
}

/** "3 Jul – 19 Jul 2025": the dates an outlet page spans (newest first in `items`). */
function dateSpan(items: OutletItem[]): string {
  const dates = items.map((i) => i.date).filter((d): d is string => !!d);
  if (!dates.length) return 'Undated';
  const newest = dates[0];
  const oldest = dates[dates.length - 1];
  return oldest === newest ? formatDate(newest) : `${formatDate(oldest)} – ${formatDate(newest)}`;
}

/** The file a page is written to, relative to dist/: `days/x/` -> `days/x/index.html`; endpoints as named. */
export function outputFile(pagePath: string): string {
  if (pagePath === '') return 'index.html';
  return pagePath.endsWith('/') ? `${pagePath}index.html` : pagePath;
}

/**
 * What the pages outside the plan read. The one such page, /search/ (search.astro), reads no
 * content: its results come from the chunked search index and its no-JavaScript links point to the
 * archives, so no drop-in renders it again. A page outside the plan that read the site index would
 * be named by the content files' key here (contentKey(entries), site-index.ts).
 */
export const staticInputs = (_entries: SiteEntries): string => 'search.astro reads no content';

/** True for pages that are HTML. */
export const isHtmlPage = (p: { path: string }): boolean => p.path === '' || p.path.endsWith('/');

/** True for the pages the sitemap lists: HTML pages, but not a merged story's page, which only leads to its survivor. */
export const inSitemap = (p: { path: string; route: PageRoute }): boolean => isHtmlPage(p) && p.route !== 'redirect';
