/**
 * The reader's site settings: how much the home page, day pages, outlet pages
 * and feeds show, and how the build splits the site into shards. One module,
 * named options with defaults, so the coming newsfold.config.yaml (#19) can
 * feed them: for now each is read from its NEWSFOLD_* variable.
 *
 * Plain data, no `astro:*` imports: the build process (which plans pages and
 * hashes them) and the pages (which render them) read the same values.
 * Settings that change what pages show are part of the site's fingerprint
 * (`pageSettingsKey`): a change re-renders every page.
 */

export interface SiteSettings {
  /** Site name in titles, the header and feeds. NEWSFOLD_TITLE. */
  title: string;
  /** Days of stories the home page shows, newest first (a day with stories counts). NEWSFOLD_HOME_DAYS. */
  homeDays: number;
  /** At most this many stories on the home page, whatever homeDays allows. NEWSFOLD_HOME_STORIES. */
  homeStories: number;
  /**
   * Stories per day page (and per page of undated stories). A page holds
   * between this and twice this less one (see pager.ts). NEWSFOLD_STORIES_PER_PAGE.
   */
  storiesPerPage: number;
  /** Article lines per outlet page, likewise. NEWSFOLD_OUTLET_PAGE_SIZE. */
  outletPageSize: number;
  /** Items in /rss.xml and in each outlet's feed. NEWSFOLD_FEED_SIZE. */
  feedSize: number;
}

export interface BuildSettings {
  /**
   * Pages one astro child renders at most (a shard). Bounds a child's memory:
   * no child holds the whole site. NEWSFOLD_SHARD_PAGES.
   */
  shardPages: number;
  /** Heap limit of each astro child in MB (node's --max-old-space-size); 0: node's default. NEWSFOLD_ASTRO_HEAP_MB. */
  astroHeapMB: number;
}

/**
 * Defaults. A day page of 50 stories is about 45 KB of HTML and an outlet page
 * of 100 article lines about 35 KB, so even a page at twice its size (the
 * newest page of a list, pager.ts) stays well under the 150 KB ceiling (#16).
 */
export const SITE_DEFAULTS: SiteSettings = {
  title: 'Newsfold',
  homeDays: 3,
  homeStories: 50,
  storiesPerPage: 50,
  outletPageSize: 100,
  feedSize: 50,
};

/**
 * 20,000 pages per child: measured on the year of news (docs/performance.md),
 * a child peaks at about 0.5 GB for 12,600 pages and under 1 GB for 20,000;
 * the fixed cost of a child (loading Astro, bundling the site: about 5 s of
 * CPU) is then paid once per 20,000 pages.
 */
export const BUILD_DEFAULTS: BuildSettings = {
  shardPages: 20_000,
  astroHeapMB: 0,
};

const ENV: Record<keyof SiteSettings | keyof BuildSettings, string> = {
  title: 'NEWSFOLD_TITLE',
  homeDays: 'NEWSFOLD_HOME_DAYS',
  homeStories: 'NEWSFOLD_HOME_STORIES',
  storiesPerPage: 'NEWSFOLD_STORIES_PER_PAGE',
  outletPageSize: 'NEWSFOLD_OUTLET_PAGE_SIZE',
  feedSize: 'NEWSFOLD_FEED_SIZE',
  shardPages: 'NEWSFOLD_SHARD_PAGES',
  astroHeapMB: 'NEWSFOLD_ASTRO_HEAP_MB',
};

/** The environment variable each setting is read from (for messages and docs). */
export const settingEnv = (key: keyof SiteSettings | keyof BuildSettings): string => ENV[key];

function whole(env: NodeJS.ProcessEnv, key: keyof SiteSettings | keyof BuildSettings, fallback: number, min: number): number {
  const raw = env[ENV[key]];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${ENV[key]} must be a whole number of at least ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

export function siteSettings(env: NodeJS.ProcessEnv = process.env): SiteSettings {
  const d = SITE_DEFAULTS;
  return {
    title: env[ENV.title]?.trim() || d.title,
    homeDays: whole(env, 'homeDays', d.homeDays, 1),
    homeStories: whole(env, 'homeStories', d.homeStories, 1),
    storiesPerPage: whole(env, 'storiesPerPage', d.storiesPerPage, 1),
    outletPageSize: whole(env, 'outletPageSize', d.outletPageSize, 1),
    feedSize: whole(env, 'feedSize', d.feedSize, 1),
  };
}

export function buildSettings(env: NodeJS.ProcessEnv = process.env): BuildSettings {
  const d = BUILD_DEFAULTS;
  return {
    shardPages: whole(env, 'shardPages', d.shardPages, 1),
    astroHeapMB: whole(env, 'astroHeapMB', d.astroHeapMB, 0),
  };
}

/** Everything in the settings that changes what a page shows, as one string for the site fingerprint. */
export function pageSettingsKey(env: NodeJS.ProcessEnv = process.env): string {
  return JSON.stringify(siteSettings(env));
}
