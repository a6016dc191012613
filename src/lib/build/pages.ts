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
import { outputFile, planSite, staticInputs, storyDay, type PageSpec, type SitePlan, type StorySpec } from '../site/plan.ts';
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

export interface SitePages {
  index: SiteIndex;
  plan: SitePlan;
  /** Page path -> hash of its spec. */
  hashes: Record<string, string>;
}

export const pageHash = (spec: PageSpec): string => contentHash(JSON.stringify(spec));

/** What a drop-in's page hashes can start from. */
export interface HashReuse {
  /** The page hashes of the dist/ on disk (its manifest). */
  before: Record<string, string>;
  /** Every content file (`articles/<file>`, `stories/<file>`) written or removed since that dist/ was built. */
  changed: ReadonlySet<string>;
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
  for (const s of entries.stories) if (kept.changed.has(`stories/${s.file}`)) stories.add(s.id);
  for (const a of entries.articles) if (kept.changed.has(`articles/${a.file}`)) articles.add(a.id);
  return { stories, articles };
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
  const plan = planSite(index, entries, settings(env), staticInputs(entries));
  // Shard order: pages of one month together (a drop-in's pages fall in one shard), site-wide pages apart.
  plan.pages.sort((a, b) => (a.group !== b.group ? (a.group < b.group ? -1 : 1) : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const storyFile = reuse ? new Map(entries.stories.map((s) => [s.id, s.file])) : null;
  // An article page whose own file and story file are as they were: its spec is as it was (see above).
  const unchanged = (p: PageSpec): boolean => {
    if (!reuse || p.route !== 'article' || !p.story || reuse.changed.has(`articles/${p.file}`)) return false;
    const file = storyFile!.get(p.story.id);
    return file !== undefined && !reuse.changed.has(`stories/${file}`);
  };
  // A story page shows its own file, the files it reads, its related lists (and those stories'
  // headlines and dates) and the headlines of the stories its notes link: when none of them changed,
  // its spec is as it was.
  const storyEntries = reuse && kept && related ? new Map(entries.stories.map((s) => [s.id, s])) : null;
  const storyUnchanged = (p: StorySpec): boolean => {
    if (!storyEntries || ids!.stories.has(p.id)) return false;
    const was = kept!.related.get(p.id);
    const now = related!.get(p.id);
    if (!was || !now || (was !== now && JSON.stringify(was) !== JSON.stringify(now))) return false;
    const e = storyEntries.get(p.id)!;
    return !now.some((r) => ids!.stories.has(r.id)) && !e.editLinks.some((id) => ids!.stories.has(id)) && !e.reads.some((id) => ids!.articles.has(id));
  };
  const listings = storyEntries ? touchedListings(index, kept!, ids!) : null;
  // A day page lists its day's story cards (each from its story's file) and links the days next to
  // it; an outlet's pages and feed list its articles (their files) with their stories' headlines and
  // dates. So when no changed story was or is on that day, and no day came or went, or no changed
  // article was or is the outlet's and none of its articles' stories changed, they are as they were.
  const listingUnchanged = (p: PageSpec): boolean => {
    if (!listings) return false;
    if (p.route === 'day') return listings.daysKept && !listings.days.has(p.ref.day ?? UNDATED_DAY);
    if (p.route === 'outlet') return !listings.outlets.has(p.slug);
    if (p.route === 'feed' && p.home.startsWith(OUTLETS)) return !listings.outlets.has(p.home.slice(OUTLETS.length, -1));
    return false;
  };
  const hashes: Record<string, string> = {};
  for (const p of plan.pages) {
    if (p.path in hashes) throw new Error(`two pages at one path: ${p.path}`);
    const reused = unchanged(p) || (p.route === 'story' && storyUnchanged(p)) || listingUnchanged(p) ? reuse!.before[p.path] : undefined;
    hashes[p.path] = reused ?? pageHash(p);
  }
  return { index, plan, hashes };
}

/** The key of the undated stories' day in `touchedListings(...).days` (a day is YYYY-MM-DD). */
const UNDATED_DAY = 'undated';
const OUTLETS = 'outlets/';

/**
 * The days and outlets whose listing pages a change can reach: the days of the changed stories
 * (before and after), whether the list of days itself stays (no day gained its first story or lost
 * its last), and the outlets of the changed articles (before and after) and of every article of a
 * changed story.
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
  const outlets = new Set<string>();
  for (const [key, e] of kept.was) if (key.startsWith('articles/')) outlets.add(outletSlug((e as ArticleIndexEntry).article.source));
  for (const a of index.articles) if (ids.articles.has(a.id) || ids.stories.has(a.story)) outlets.add(outletSlug(a.source));
  return { days, daysKept, outlets };
}

export interface RenderPlan {
  /** Pages to render, in shard order. */
  render: PageSpec[];
  /** Page paths of the previous dist/ that no longer exist. */
  removed: string[];
}

/** What a build renders: every page with no previous hash, or a different one. */
export function pagesToRender(plan: SitePlan, hashes: Record<string, string>, before: Record<string, string> | null): RenderPlan {
  if (!before) return { render: plan.pages, removed: [] };
  return {
    render: plan.pages.filter((p) => before[p.path] !== hashes[p.path]),
    removed: Object.keys(before).filter((p) => !(p in hashes)),
  };
}

/** Cuts the pages to render into shards of at most `max` pages, in order. */
export function shardsOf(pages: PageSpec[], max: number): PageSpec[][] {
  const out: PageSpec[][] = [];
  for (let i = 0; i < pages.length; i += max) out.push(pages.slice(i, i + max));
  return out;
}

/**
 * Part `k` of `n` (1-based) of the whole site, for a CI matrix
 * (`npm run build -- --shard k/n`): n contiguous parts of the plan's pages,
 * equal in count to within one page. Every machine computes the same parts
 * from the same content.
 */
export function ciPart(pages: PageSpec[], k: number, n: number): PageSpec[] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 1 || k < 1 || k > n) throw new Error(`--shard must be k/n with 1 <= k <= n (got ${k}/${n})`);
  const size = Math.ceil(pages.length / n);
  return pages.slice((k - 1) * size, k * size);
}

/** Every page's output file (relative to dist/): the files a shard keeps only if it rendered that page. */
export const pageOutputs = (plan: SitePlan): Set<string> => new Set(plan.pages.map((p) => outputFile(p.path)));
