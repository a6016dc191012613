/**
 * The site's settings, one source of truth for the build process (which plans
 * pages and hashes them) and the pages (which render them):
 *
 *  - what pages show (title, description, language, time zone, site and base,
 *    home days and stories, page sizes, feed size, outlet home pages): the
 *    config, newsfold.config.yaml (src/lib/config.ts), with NEWSFOLD_SITE and
 *    NEWSFOLD_BASE over its `site` and `base`. The build validates it and
 *    hands the result on in NEWSFOLD_SETTINGS (to its astro children too);
 *    astro.config.mjs sets it from the file itself for a bare `astro build` or
 *    `astro dev`. Without it (a unit test) the defaults, with NEWSFOLD_SITE and
 *    NEWSFOLD_BASE over them, as the build would resolve them. These are part
 *    of the site's fingerprint: a change re-renders every page.
 *  - how the build splits the work (`buildSettings`: shard size, a child's
 *    heap): machine settings, not the site's, so environment variables
 *    (NEWSFOLD_SHARD_PAGES, NEWSFOLD_ASTRO_HEAP_MB); they change no page.
 *
 * Plain data, no `astro:*` imports.
 */
import { DEFAULT_CONFIG, SETTINGS_ENV, siteSettings, type SiteSettings } from '../config';

export type { SiteSettings };

let cached: { text: string | undefined; settings: SiteSettings } | null = null;

/** The site's settings as resolved by the build (NEWSFOLD_SETTINGS in `env`), else the defaults. */
export function settings(env: Record<string, string | undefined> = process.env): SiteSettings {
  const text = env[SETTINGS_ENV];
  if (!text) return siteSettings(DEFAULT_CONFIG, env);
  if (!cached || cached.text !== text) cached = { text, settings: JSON.parse(text) as SiteSettings };
  return cached.settings;
}

export interface BuildSettings {
  /**
   * Pages one astro child renders at most (a shard). Bounds a child's memory:
   * no child holds the whole site. NEWSFOLD_SHARD_PAGES.
   */
  shardPages: number;
  /** Heap limit of each astro child in MB (node's --max-old-space-size); 0: node's default. NEWSFOLD_ASTRO_HEAP_MB. */
  astroHeapMB: number;
  /**
   * Astro children rendering shards at once (src/lib/build/render.ts); 0: one per core of this
   * machine, at most four (render.ts childrenAtOnce). NEWSFOLD_ASTRO_CHILDREN. Each child holds
   * only its own shard (under 1 GB at 20,000 pages), so memory grows with this, not with the site.
   */
  astroChildren: number;
}

/**
 * 20,000 pages per child: measured on the year of news (docs/performance.md),
 * a child peaks at about 0.5 GB for 12,600 pages and under 1 GB for 20,000;
 * the fixed cost of a child (loading Astro, bundling the site: about 5 s of
 * CPU) is then paid once per 20,000 pages.
 */
export const BUILD_DEFAULTS: BuildSettings = {
  shardPages: 20_000,
  astroHeapMB: 0,
  astroChildren: 0,
};

const ENV: Record<keyof BuildSettings, string> = {
  shardPages: 'NEWSFOLD_SHARD_PAGES',
  astroHeapMB: 'NEWSFOLD_ASTRO_HEAP_MB',
  astroChildren: 'NEWSFOLD_ASTRO_CHILDREN',
};

/** The environment variable each build setting is read from (for messages and docs). */
export const settingEnv = (key: keyof BuildSettings): string => ENV[key];

function whole(env: Record<string, string | undefined>, key: keyof BuildSettings, fallback: number, min: number): number {
  const raw = env[ENV[key]];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${ENV[key]} must be a whole number of at least ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

export function buildSettings(env: Record<string, string | undefined> = process.env): BuildSettings {
  const d = BUILD_DEFAULTS;
  return {
    shardPages: whole(env, 'shardPages', d.shardPages, 1),
    astroHeapMB: whole(env, 'astroHeapMB', d.astroHeapMB, 0),
    astroChildren: whole(env, 'astroChildren', d.astroChildren, 0),
  };
}

/** Formatters by zone: making one costs far more than formatting with it. */
const offsets = new Map<string, Intl.DateTimeFormat>();

/**
 * The instant a day (YYYY-MM-DD) starts in `timeZone`: what feeds give as a
 * story's date. From ICU's zone data, never the machine's zone, so every
 * build machine gives the same instant.
 */
export function dayStart(day: string, timeZone: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  let format = offsets.get(timeZone);
  if (!format) offsets.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  // The zone's offset at that moment, read off the wall clock it shows; applied twice for days a change of offset starts.
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(format!.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  let t = utc - offsetAt(utc);
  t = utc - offsetAt(t);
  return new Date(t);
}
