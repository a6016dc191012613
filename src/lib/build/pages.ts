/**
 * The build's view of the site's pages: the site index and page plan made
 * from the content files' entries (kept between builds: store/site-entries.ts),
 * every page's dependency hash, what changed since the dist/ on disk was
 * built, and how the pages to render are cut into shards (a batch of pages
 * one astro child renders).
 *
 * A page's hash is the hash of its spec (src/lib/site/plan.ts): exactly what
 * the page shows, with the hashes of the content files it reads. So a page
 * is rendered again exactly when something it shows changed; the site's
 * code and settings are covered by the site fingerprint (index.ts), whose
 * change re-renders everything.
 *
 * A drop-in hashes only the pages that can have changed: an article's page
 * shows its own file and its story's headline and day, so when neither file
 * changed since the dist/ on disk was built its hash is that dist/'s (100,000
 * of the 120,000 pages of a year of news: 0.1-0.7 s of CPU per drop-in at
 * 100,000 articles, measured). Every other page is hashed from its spec.
 */
import { articlePath, isKept, outputFile, planSite, staticInputs, storyDay, type KeptPage, type KeptPlan, type PageSpec, type PlanReuse } from '../site/plan.ts';
import { outletSlug } from '../site/links.ts';
import {
  contentHash,
  relatedAll,
  relatedInputOf,
  siteIndexOf,
  type ArticleIndexEntry,
  type IndexRelated,
  type SiteEntries,
  type SiteIndex,
  type StoryIndexEntry,
} from '../site/site-index.ts';
import { updateRelated } from '../site/related.ts';
import { settings } from '../site/settings.ts';
import type { PageCounts } from './partial.ts';

export interface SitePages {
  index: SiteIndex;
  /**
   * Every page: a drop-in's plan lists the pages it leaves as they were without their spec (plan.ts
   * KeptPage), in the plan's order; else in shard order.
   */
  plan: KeptPlan;
  /** Page path -> hash of its spec (a drop-in's: `HashReuse.before`, brought up to date in place). */
  hashes: Record<string, string>;
  /** A drop-in's: the pages to render and those gone since `HashReuse.before` (pagesToRender's answer). */
  toRender?: RenderPlan;
  /** The same site with every page's spec made (a full build after a failed partial one): this, when none is kept. */
  whole(): SitePages;
}

export const pageHash = (spec: PageSpec): string => contentHash(JSON.stringify(spec));

/** What a drop-in's page hashes can start from. */
export interface HashReuse {
  /**
   * The page hashes of the dist/ on disk (its manifest). Taken over: it becomes the new hashes
   * (`SitePages.hashes`), brought up to date in place, so the 100,000 hashes a drop-in keeps are
   * not copied into a new object of 120,000 keys (0.1 s at 100,000 articles).
   */
  before: Record<string, string>;
  /** Every content file (`articles/<file>`, `stories/<file>`) written or removed since that dist/ was built. */
  changed: ReadonlySet<string>;
  /**
   * How many keys `before` has, and how many are article pages, as its manifest records them
   * (partial.ts Manifest.counts); none: counted here (Object.keys of 120,000 keys, 0.2 s of CPU at
   * 100,000 articles).
   */
  counts?: PageCounts | null;
}

/**
 * What the last build kept of the content a drop-in's changes start from (store/site-entries.ts):
 * every story's related lists, and the entries the changed files had.
 */
export interface KeptLists {
  /** relatedAll of that content (readKeptRelated). */
  related: ReadonlyMap<string, IndexRelated[]>;
  /** Every content file written or removed since (`articles/<file>`, `stories/<file>`). */
  changed: ReadonlySet<string>;
  /** Their entries in that content, by the same key (a new file has none). */
  was: ReadonlyMap<string, ArticleIndexEntry | StoryIndexEntry>;
}

/** The ids of the stories and articles whose files changed: before the change and after it. */
function changedIds(entries: SiteEntries, kept: KeptLists): { stories: Set<string>; articles: Set<string> } {
  const stories = new Set<string>();
  const articles = new Set<string>();
  for (const [key, e] of kept.was) (key.startsWith('stories/') ? stories : articles).add(e.id);
  // Looked up by file name in the entries (in file-name order: SiteEntries), not a scan of 120,000.
  const names = changedNames(kept.changed);
  for (const file of names.stories) for (const s of entriesNamed(entries.stories, file)) stories.add(s.id);
  for (const file of names.articles) for (const a of entriesNamed(entries.articles, file)) articles.add(a.id);
  return { stories, articles };
}

/**
 * The entry of `file` in `list` (a folder's: one per name), by binary search when the list is in
 * file-name order (SiteEntries, as store/site-entries.ts gives them), else or when not found that way
 * (a file removed, a list made otherwise) by a scan.
 */
function entriesNamed<E extends { file: string }>(list: E[], file: string): E[] {
  const found = entryNamed(list, file);
  return found ? [found] : list.filter((e) => e.file === file);
}

/** The entry of `file` in `list` when the list is in file-name order (SiteEntries): a binary search; undefined when not there. */
export function entryNamed<E extends { file: string }>(list: readonly E[], file: string): E | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].file < file) lo = mid + 1;
    else hi = mid;
  }
  return list[lo]?.file === file ? list[lo] : undefined;
}

/**
 * The site index, the page plan and every page's hash, from the content files' entries. `kept`: what
 * the last build kept of the content the changes start from, so only the related lists the changes
 * can reach are chosen again (site/related.ts), and a story page whose own file, articles, related
 * lists and the files of the stories it links are as they were keeps its hash (with `reuse`).
 */
export function sitePages(entries: SiteEntries, env: NodeJS.ProcessEnv = process.env, reuse: HashReuse | null = null, kept: KeptLists | null = null): SitePages {
  let index: SiteIndex;
  let ids: { stories: Set<string>; articles: Set<string> } | null = null;
  let related: Map<string, IndexRelated[]> | null = null;
  if (kept) {
    const changed = changedIds(entries, kept);
    ids = changed;
    const was = [...kept.was].filter(([key]) => key.startsWith('stories/')).map(([, e]) => relatedInputOf(e as StoryIndexEntry));
    index = siteIndexOf(entries, (stories) => {
      related = updateRelated(stories, kept.related, { ids: changed.stories, was });
      return related ?? relatedAll(stories);
    });
  } else index = siteIndexOf(entries);
  // What changed since the dist/ on disk was built, by file name (no key made per page: 120,000 pages).
  const changedFiles = reuse ? changedNames(reuse.changed) : null;
  // Every story's entry by id (one map for both uses below: 20,000 stories at 100,000 articles).
  const storyEntries = reuse ? new Map(entries.stories.map((s) => [s.id, s])) : null;
  // An article page whose own file and story file are as they were: its spec is as it was (see above).
  // Its story's file, asked once per story (PlanReuse.articleStory); its own file, by its entry: the
  // entries of the changed files, found by name (a drop-in's few), not a name looked up per article.
  const storyFileKept = (story: string): boolean => {
    const sFile = storyEntries!.get(story)?.file;
    return sFile !== undefined && !changedFiles!.stories.has(sFile);
  };
  let changedArticles: Set<ArticleIndexEntry> | null = null;
  if (changedFiles) {
    changedArticles = new Set();
    for (const file of changedFiles.articles) for (const a of entriesNamed(entries.articles, file)) changedArticles.add(a);
  }
  const articleFileKept = (e: ArticleIndexEntry): boolean => !changedArticles!.has(e);
  // A story page shows its own file, the files it reads, its related lists (and those stories'
  // headlines and dates) and the headlines of the stories its notes link: when none of them changed,
  // its spec is as it was.
  const storyReuse = !!(reuse && kept && related);
  const storyUnchanged = (id: string): boolean => {
    if (!storyReuse || ids!.stories.has(id)) return false;
    const was = kept!.related.get(id);
    const now = related!.get(id);
    if (!was || !now || (was !== now && JSON.stringify(was) !== JSON.stringify(now))) return false;
    const e = storyEntries!.get(id)!;
    return !now.some((r) => ids!.stories.has(r.id)) && !e.editLinks.some((id) => ids!.stories.has(id)) && !e.reads.some((id) => ids!.articles.has(id));
  };
  const listings = storyReuse ? touchedListings(index, kept!, ids!) : null;
  // A day page lists its day's story cards (each from its story's file) and links the days next to
  // it; an outlet's pages and feed list its articles (their files) with their stories' headlines and
  // dates. So when no changed story was or is on that day, and no day came or went, or no changed
  // article was or is the outlet's and none of its articles' stories changed, they are as they were.
  const listingUnchanged = (p: PageSpec): boolean => {
    if (!listings) return false;
    if (p.route === 'day') return listings.daysKept && !listings.days.has(p.ref.day ?? UNDATED_DAY);
    return false;
  };
  // The pages that are as they were, and have a hash in that dist/'s manifest, are listed and not made (plan.ts KeptPage).
  const before = reuse?.before;
  const has = (path: string) => before !== undefined && Object.hasOwn(before, path);
  const idsUnique = reuse ? uniqueIds(entries) : false;
  // The article pages that dist/ had but this plan has not, when that can be told from the changed
  // files' entries before the change (`kept.was`, ids unique): then a kept article page's place in
  // the manifest is checked by count once the plan is made (keptArticlesListed), not looked up per
  // page (100,000 paths made into property keys per drop-in at 100,000 articles, 0.1 s of CPU).
  const goneArticles = reuse && kept && idsUnique ? goneArticlePages(entries, kept) : null;
  // A kept article page, looked up in the manifest (when the count below cannot be made, or fails).
  const articleListed: PlanReuse['article'] = (e) => articleFileKept(e) && has(articlePath(e.id));
  const planReuse: PlanReuse | null = reuse
    ? {
        articleStory: storyFileKept,
        article: goneArticles !== null ? articleFileKept : articleListed,
        story: (e, path) => storyUnchanged(e.id) && has(path),
        outlet: (slug, paths) => !!listings && !listings.outlets.has(slug) && paths.every(has),
      }
    : null;
  let plan = planSite(index, entries, settings(env), staticInputs(entries), planReuse);
  // Its page and article page counts, before updateHashes brings it up to date in place.
  const counts = before ? (reuse.counts ?? countKeys(before)) : null;
  if (planReuse && goneArticles !== null && !keptArticlesListed(plan, before!, counts!.articles, goneArticles)) {
    // The manifest is not the whole plan of the content the changes start from: every kept article
    // page looked up in it, as when the count cannot be made.
    plan = planSite(index, entries, settings(env), staticInputs(entries), { ...planReuse, article: articleListed });
  }
  const whole = () => (planReuse ? sitePages(entries, env) : result);
  let result: SitePages;
  if (reuse) {
    const { hashes, toRender } = updateHashes(plan, reuse.before, counts!.pages, listingUnchanged, idsUnique);
    result = { index, plan, hashes, toRender, whole };
    return result;
  }
  // Shard order: pages of one month together (a drop-in's pages fall in one shard), site-wide pages apart.
  plan.pages.sort(shardOrder);
  const hashes: Record<string, string> = {};
  for (const p of plan.pages) {
    if (p.path in hashes) throw new Error(`two pages at one path: ${p.path}`);
    hashes[p.path] = pageHash(p as PageSpec);
  }
  result = { index, plan, hashes, whole };
  return result;
}

/**
 * True when every entry's id is its file's name (the ingest names files by id): then no two
 * articles or stories share an id, since no two files share a name. Checked without making a string.
 */
function uniqueIds(entries: SiteEntries): boolean {
  if (entries.named) return true;
  const named = (id: string, file: string, ext: string) => file.length === id.length + ext.length && file.startsWith(id) && file.endsWith(ext);
  return entries.articles.every((a) => named(a.id, a.file, '.md')) && entries.stories.every((s) => named(s.id, s.file, '.json'));
}

const shardOrder = (a: { group: string; path: string }, b: { group: string; path: string }) =>
  a.group !== b.group ? (a.group < b.group ? -1 : 1) : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/**
 * A drop-in's page hashes, `before` (of `count` pages) brought up to date in place: a kept page's hash is `before`'s by
 * construction (sitePages), so only the pages made are hashed (or given `before`'s when `same` says
 * their spec is as it was) and compared; the pages to render are those whose hash is new or
 * changed, in shard order. Pages gone are found only when the counts say some are (a drop-in
 * mostly adds). Two pages at one path fail as they do in a full plan: two made pages here; a kept
 * page and another can only share a path through two entries of one id (every other path is one
 * per day, outlet, slug or merged id), which `uniqueIds` rules out or the paths are all compared.
 */
function updateHashes(plan: KeptPlan, before: Record<string, string>, count: number, same: (p: PageSpec) => boolean, idsUnique: boolean): { hashes: Record<string, string>; toRender: RenderPlan } {
  const render: PageSpec[] = [];
  const made = new Set<string>();
  let added = 0;
  for (const p of plan.pages) {
    if (isKept(p)) continue;
    if (made.has(p.path)) throw new Error(`two pages at one path: ${p.path}`);
    made.add(p.path);
    const old = Object.hasOwn(before, p.path) ? before[p.path] : undefined;
    const hash = (old !== undefined && same(p) ? old : undefined) ?? pageHash(p);
    if (hash === old) continue;
    if (old === undefined) added++;
    before[p.path] = hash;
    render.push(p);
  }
  let removed: string[] = [];
  // Every page is in `before` or was added (a kept page is there by construction): with no two at
  // one path, the pages gone are as many as the counts differ by.
  if (!idsUnique || count + added !== plan.pages.length) {
    const paths = new Set(plan.pages.map((p) => p.path));
    if (paths.size !== plan.pages.length) {
      const seen = new Set<string>();
      for (const p of plan.pages) if (seen.has(p.path)) throw new Error(`two pages at one path: ${p.path}`);
      else seen.add(p.path);
    }
    removed = Object.keys(before).filter((p) => !paths.has(p));
    for (const p of removed) delete before[p];
  }
  return { hashes: before, toRender: { render: render.sort(shardOrder), removed } };
}

/** The path of an article's page (plan.ts): the one route whose paths start `articles/`. */
const ARTICLE_PAGES = 'articles/';

/**
 * How many article pages of the dist/ the changes start from this plan no longer has: when every
 * entry's id is its file's name (`uniqueIds`), the page of a changed article as it was is gone
 * exactly when no file of its old id's name is there now (an article whose file did not change is
 * there, with its id, by the definition of `changed`).
 */
function goneArticlePages(entries: SiteEntries, kept: KeptLists): number {
  let gone = 0;
  for (const [key, e] of kept.was) if (key.startsWith('articles/') && !entryNamed(entries.articles, `${e.id}.md`)) gone++;
  return gone;
}

/**
 * True when the article pages a drop-in's plan lists as kept (plan.ts KeptPage, not looked up in
 * `before`, which has `listed` article pages) are all in `before`, told by count. `before`'s article pages are
 * those of the content the changes start from (its manifest, stamped with that content:
 * build/index.ts): the kept ones, the made ones that were there (looked up: a drop-in makes a few)
 * and the `gone` ones. A manifest that lacks a kept article's page counts short, unless it also holds
 * as many article pages of no article of that content (no build writes such a manifest: each is the
 * whole plan of its content, and the hashes of the kept pages are taken from it as they are).
 */
function keptArticlesListed(plan: KeptPlan, before: Record<string, string>, listed: number, gone: number): boolean {
  let kept = 0;
  let made = 0;
  for (const p of plan.pages) {
    if (p.route !== 'article') continue;
    if (isKept(p)) kept++;
    else if (Object.hasOwn(before, p.path)) made++;
  }
  return listed === kept + made + gone;
}

/** The keys of a manifest's `pages`, and its article pages among them, counted (one without Manifest.counts). */
function countKeys(pages: Record<string, string>): PageCounts {
  let n = 0;
  let articles = 0;
  for (const path of Object.keys(pages)) {
    n++;
    if (path.startsWith(ARTICLE_PAGES)) articles++;
  }
  return { pages: n, articles };
}

/** The file names (in their folders) among changed content keys (`articles/<file>`, `stories/<file>`). */
function changedNames(changed: ReadonlySet<string>): { articles: Set<string>; stories: Set<string> } {
  const out = { articles: new Set<string>(), stories: new Set<string>() };
  for (const key of changed) {
    if (key.startsWith('articles/')) out.articles.add(key.slice('articles/'.length));
    else if (key.startsWith('stories/')) out.stories.add(key.slice('stories/'.length));
  }
  return out;
}

/** The key of the undated stories' day in `touchedListings(...).days` (a day is YYYY-MM-DD). */
const UNDATED_DAY = 'undated';

/**
 * The days and outlets whose listing pages a change can reach: the days of the changed stories
 * (before and after), whether the list of days itself stays (no day gained its first story or lost
 * its last), and the outlets of the changed articles (before and after) and of every article of a
 * changed story whose link on an outlet's page (headline, first date) changed.
 */
function touchedListings(index: SiteIndex, kept: KeptLists, ids: { stories: Set<string>; articles: Set<string> }): { days: Set<string>; daysKept: boolean; outlets: Set<string> } {
  const days = new Set<string>();
  // Stories per touched day: now, and the changed ones before and after (so the count before follows).
  const shift = new Map<string, number>();
  for (const [key, e] of kept.was) {
    if (!key.startsWith('stories/')) continue;
    const day = storyDay((e as StoryIndexEntry).story) ?? UNDATED_DAY;
    days.add(day);
    shift.set(day, (shift.get(day) ?? 0) + 1);
  }
  for (const s of index.stories) {
    if (!ids.stories.has(s.id)) continue;
    const day = storyDay(s) ?? UNDATED_DAY;
    days.add(day);
    shift.set(day, (shift.get(day) ?? 0) - 1);
  }
  const count = new Map<string, number>();
  for (const s of index.stories) {
    const day = storyDay(s) ?? UNDATED_DAY;
    if (days.has(day)) count.set(day, (count.get(day) ?? 0) + 1);
  }
  let daysKept = true;
  for (const day of days) {
    const now = count.get(day) ?? 0;
    if (now > 0 !== now + (shift.get(day) ?? 0) > 0) daysKept = false;
  }
  // A changed story reaches an outlet's pages only through its articles' items: their story link
  // (the story's id and headline) and, for an undated article, its sort key (the story's first date).
  // A story that was and is, with the same headline and first date, reaches none (a drop-in adding an
  // article to a story of many outlets then rehashes the new article's outlet, not all of theirs).
  const linkOf = (s: { headline: string; firstDate: string | null }) => `${s.firstDate}\0${s.headline}`;
  const wasLink = new Map<string, string | null>();
  for (const [key, e] of kept.was) {
    if (!key.startsWith('stories/')) continue;
    const s = e as StoryIndexEntry;
    // Two entries of one id: which one a link showed is unclear, so it counts as changed.
    wasLink.set(s.id, wasLink.has(s.id) ? null : linkOf(s.story));
  }
  const nowLink = new Map<string, string | null>();
  for (const s of index.stories) if (ids.stories.has(s.id)) nowLink.set(s.id, nowLink.has(s.id) ? null : linkOf(s));
  const relinked = new Set<string>();
  for (const id of ids.stories) {
    const was = wasLink.get(id);
    const now = nowLink.get(id);
    if (was === undefined || was === null || now === undefined || now === null || was !== now) relinked.add(id);
  }
  const outlets = new Set<string>();
  for (const [key, e] of kept.was) if (key.startsWith('articles/')) outlets.add(outletSlug((e as ArticleIndexEntry).article.source));
  for (const a of index.articles) if (ids.articles.has(a.id) || relinked.has(a.story)) outlets.add(outletSlug(a.source));
  return { days, daysKept, outlets };
}

export interface RenderPlan {
  /** Pages to render, in shard order. */
  render: PageSpec[];
  /** Page paths of the previous dist/ that no longer exist. */
  removed: string[];
}

/** What a build renders: every page with no previous hash, or a different one. */
export function pagesToRender(plan: KeptPlan, hashes: Record<string, string>, before: Record<string, string> | null): RenderPlan {
  // A kept page has dist/'s hash by construction (sitePages): not looked up.
  const render = before ? plan.pages.filter((p) => !isKept(p) && before[p.path] !== hashes[p.path]) : plan.pages;
  return { render: specsOf(render), removed: before ? Object.keys(before).filter((p) => !(p in hashes)) : [] };
}

/** Pages to render: every one made (a kept page's hash is the dist/'s, so it never needs rendering; this says so loudly). */
function specsOf(pages: Array<PageSpec | KeptPage>): PageSpec[] {
  for (const p of pages) if (isKept(p)) throw new Error(`page ${p.path} to render was planned as kept (its spec is not made)`);
  return pages as PageSpec[];
}

/**
 * The fewest pages worth a shard of their own when pages are cut for children rendering at once:
 * a child's fixed cost (loading Astro and bundling the site, about 5 s of CPU) is then at most
 * about a third of its work. A drop-in's few pages stay one shard.
 */
export const MIN_SHARD_PAGES = 2_000;

/**
 * Cuts the pages to render into shards of at most `max` pages, in order, of equal size to within
 * one page. With `children` rendering at once, into a multiple of `children` shards (no child idle
 * in the last round), or as near it as shards of MIN_SHARD_PAGES allow (half of `max` when that
 * is smaller: shards set that small are the machine's choice).
 */
export function shardsOf(pages: PageSpec[], max: number, children = 1): PageSpec[][] {
  if (!pages.length) return [];
  let count = Math.ceil(pages.length / max);
  if (children > 1) {
    const even = Math.ceil(count / children) * children;
    count = Math.max(count, Math.min(even, Math.floor(pages.length / Math.min(MIN_SHARD_PAGES, max / 2))));
  }
  const at = (k: number) => Math.floor((pages.length * k) / count);
  return Array.from({ length: count }, (_, k) => pages.slice(at(k), at(k + 1)));
}

/**
 * Part `k` of `n` (1-based) of the whole site, for a CI matrix
 * (`npm run build -- --shard k/n`): n contiguous parts of the plan's pages,
 * equal in count to within one page. Every machine computes the same parts
 * from the same content.
 */
export function ciPart(pages: Array<PageSpec | KeptPage>, k: number, n: number): PageSpec[] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 1 || k < 1 || k > n) throw new Error(`--shard must be k/n with 1 <= k <= n (got ${k}/${n})`);
  const size = Math.ceil(pages.length / n);
  return specsOf(pages.slice((k - 1) * size, k * size));
}

/** Every page's output file (relative to dist/): the files a shard keeps only if it rendered that page. */
export const pageOutputs = (plan: KeptPlan): Set<string> => new Set(plan.pages.map((p) => outputFile(p.path)));

/**
 * The same files as pageOutputs, asked of the page hashes (keyed by every page's path) by inverting
 * outputFile: no set of 120,000 file names made per build.
 */
export function hashedOutputs(hashes: Record<string, string>): { has(rel: string): boolean } {
  const page = (path: string) => Object.hasOwn(hashes, path);
  const INDEX = 'index.html';
  return {
    has: (rel) =>
      (rel === INDEX && page('')) ||
      (rel.endsWith(`/${INDEX}`) && page(rel.slice(0, -INDEX.length))) ||
      (rel !== '' && !rel.endsWith('/') && page(rel) && outputFile(rel) === rel),
  };
}
