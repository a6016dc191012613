/**
 * The site's config, `newsfold.config.yaml`: one documented zod schema, in
 * the manner of Starlight's config schema. Every setting has its one typed
 * place here, with its default; the build validates the file against it
 * before anything is written (src/lib/config-fs.ts reads and parses it), and
 * hands the parts on:
 *
 *  - to the ingest: `outlets` (naming outlets from URLs, unifying spellings)
 *    and `timezone` (which day an article belongs to), through its options,
 *    which the pipeline fingerprint hashes;
 *  - to the site: `siteSettings()` below, what the pages read (title,
 *    description, language, timezone, site, base, homeDays, homeStories,
 *    storiesPerPage, outletPageSize, feedSize, outlet homepages), passed to Astro as NEWSFOLD_SETTINGS and
 *    part of the site's fingerprint (a change rebuilds every page).
 *
 * Unknown keys are errors (`.strict()`): a misspelt key must not be silently
 * ignored. Pure data and zod: no file system, usable from the ingest's edge,
 * astro.config.mjs and the pages alike.
 */
import { z } from 'astro/zod';
import { foldOutletName } from './text.ts';

/** A web domain as an outlet's pages are served from it: `reuters.com`, `bbc.co.uk`. */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .refine((d) => !/^[a-z]+:\/\//.test(d), { message: 'expected a domain such as reuters.com, not a URL' })
  .transform((d) => d.replace(/^www\./, '').replace(/\.$/, ''))
  .refine((d) => /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(d), { message: 'expected a domain such as reuters.com' });

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol) && /^https?:\/\//i.test(text);
  } catch {
    return false;
  }
}

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine(isHttpUrl, { message: `expected ${what}, an absolute http(s) URL` });

/** One outlet the newsroom knows: its name, the domains its pages come from, other spellings of its name. */
export const outletSchema = z
  .object({
    /** The name the site shows, e.g. `Associated Press`. */
    name: z.string().trim().min(1, { message: 'expected the outlet name' }).max(60, { message: 'expected at most 60 characters' }),
    /**
     * Domains the outlet publishes from (`apnews.com`); subdomains count too.
     * An article whose URL is on one of them is this outlet's, whatever its
     * page says, and a scrape carrying only a URL gets the name.
     */
    domains: z.array(domain).default([]),
    /**
     * Other spellings of the name found in scrapes (`AP`, `The Associated Press`):
     * an article credited to one of them is shown under `name`. Case, accents,
     * punctuation and a leading "The" are ignored when comparing.
     */
    aliases: z.array(z.string().trim().min(1)).default([]),
    /** The outlet's home page, linked from its page on the site. */
    homepage: httpUrl('the home page').optional(),
  })
  .strict();
export type OutletConfig = z.infer<typeof outletSchema>;

export const DEFAULT_DESCRIPTION = 'Every source on each story, side by side, with cited extractive summaries.';

/** `Europe/London`, `America/New_York`, `UTC`: whatever this Node's ICU knows as an IANA zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    /** The site's name: the end of every page's `<title>`, the header, OpenGraph's site name, JSON-LD and the RSS channel. */
    title: z.string().trim().min(1, { message: 'expected a non-empty title' }).max(100, { message: 'expected at most 100 characters' }).default('Newsfold'),
    /** One sentence about the site: the home page's description, OpenGraph, every page's JSON-LD and the RSS channel. */
    description: z.string().trim().min(1, { message: 'expected a non-empty description' }).max(300, { message: 'expected at most 300 characters' }).default(DEFAULT_DESCRIPTION),
    /** The pages' language, a BCP 47 tag (`en`, `en-GB`, `fr`): `<html lang>` and the RSS channel's `<language>`. */
    language: z
      .string()
      .trim()
      .refine(isLanguageTag, { message: 'expected a language tag such as en, en-GB or fr' })
      .transform((tag) => Intl.getCanonicalLocales(tag)[0])
      .default('en'),
    /**
     * The newsroom's IANA time zone (`Europe/London`). An article's date that
     * names an instant (a time with an offset, `2025-07-20T23:30:00-04:00`)
     * belongs to that instant's day in this zone; a date without a time, or a
     * time without an offset, is the day as written. Feeds give each story's day
     * as midnight in this zone. Never the build machine's own zone.
     */
    timezone: z.string().trim().refine(isTimeZone, { message: 'expected an IANA time zone such as UTC or Europe/London' }).default('UTC'),
    /** The origin the site is served from (canonical URLs, RSS, sitemap). `NEWSFOLD_SITE` overrides it. */
    site: httpUrl('the origin the site is served from').default('https://newsfold.example.org'),
    /** A sub-path, when the site is served below the root (`/news/`). `NEWSFOLD_BASE` overrides it. */
    base: z
      .string()
      .trim()
      .refine((b) => /^\/?(?:[A-Za-z0-9._~-]+\/?)*$/.test(b), { message: 'expected a path such as / or /news/' })
      .transform(normaliseBase)
      .default('/'),
    /** Days of stories the home page shows, newest first (a day with stories counts); older days are in the archive (/days/). */
    homeDays: z.number({ invalid_type_error: 'expected a whole number' }).int({ message: 'expected a whole number' }).min(1, { message: 'expected at least 1' }).max(366, { message: 'expected at most 366' }).default(3),
    /** At most this many stories on the home page, whatever homeDays allows. */
    homeStories: z.number({ invalid_type_error: 'expected a whole number' }).int({ message: 'expected a whole number' }).min(1, { message: 'expected at least 1' }).max(1000, { message: 'expected at most 1000' }).default(50),
    /**
     * Stories per day page (and per page of undated stories); a page holds
     * between this and twice this less one (src/lib/site/pager.ts). 50 stories
     * are about 45 KB of HTML, so even a page of twice that stays well under
     * the 150 KB ceiling (#16).
     */
    storiesPerPage: z.number({ invalid_type_error: 'expected a whole number' }).int({ message: 'expected a whole number' }).min(1, { message: 'expected at least 1' }).max(1000, { message: 'expected at most 1000' }).default(50),
    /** Article lines per outlet page, likewise (100 lines: about 35 KB). */
    outletPageSize: z.number({ invalid_type_error: 'expected a whole number' }).int({ message: 'expected a whole number' }).min(1, { message: 'expected at least 1' }).max(2000, { message: 'expected at most 2000' }).default(100),
    /** Items in the site's RSS feed and in each outlet's feed, newest first. */
    feedSize: z.number({ invalid_type_error: 'expected a whole number' }).int({ message: 'expected a whole number' }).min(1, { message: 'expected at least 1' }).max(1000, { message: 'expected at most 1000' }).default(50),
    /** The outlets the newsroom knows (see `outletSchema`). */
    outlets: z.array(outletSchema).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    // A domain or a spelling names one outlet only: otherwise the result would depend on list order.
    const claimed = new Map<string, number>();
    config.outlets.forEach((o, i) => {
      const claim = (key: string, path: Array<string | number>, what: string) => {
        const owner = claimed.get(key);
        if (owner !== undefined && owner !== i) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['outlets', i, ...path],
            message: `${what} is already outlets[${owner}]'s (${config.outlets[owner].name})`,
            params: { named: true },
          });
        }
        claimed.set(key, i);
      };
      o.domains.forEach((d, j) => claim(`domain:${d}`, ['domains', j], d));
      [o.name, ...o.aliases].forEach((n, j) => claim(`name:${foldOutletName(n)}`, j === 0 ? ['name'] : ['aliases', j - 1], `the name ${JSON.stringify(n)}`));
    });
  });

export type Config = z.infer<typeof configSchema>;

/** "/news" -> "/news/": Astro's `base` and the pages' links want one trailing slash. */
export function normaliseBase(base: string): string {
  return `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
}

/** What the pages read: the config's site-facing settings, resolved (env over file over defaults). */
export interface SiteSettings {
  title: string;
  description: string;
  language: string;
  timezone: string;
  site: string;
  base: string;
  homeDays: number;
  homeStories: number;
  storiesPerPage: number;
  outletPageSize: number;
  feedSize: number;
  /** Outlets with a home page, by the name the site shows. */
  outlets: Array<{ name: string; homepage: string }>;
}

/** The settings with no config file. */
export const DEFAULT_CONFIG: Config = configSchema.parse({});

/**
 * The site's settings from a validated config; `NEWSFOLD_SITE` and
 * `NEWSFOLD_BASE` in `env` override the file's `site` and `base` (one build
 * command can serve several hosts). Throws a plain Error naming the variable
 * when one of them is malformed.
 */
export function siteSettings(config: Config, env: Record<string, string | undefined> = {}): SiteSettings {
  const fromEnv = (name: string, key: 'site' | 'base'): string | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const parsed = configSchema.innerType().shape[key].safeParse(raw);
    if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues[0].message} (got ${JSON.stringify(raw)})`);
    return parsed.data;
  };
  return {
    title: config.title,
    description: config.description,
    language: config.language,
    timezone: config.timezone,
    site: fromEnv('NEWSFOLD_SITE', 'site') ?? config.site,
    base: fromEnv('NEWSFOLD_BASE', 'base') ?? config.base,
    homeDays: config.homeDays,
    homeStories: config.homeStories,
    storiesPerPage: config.storiesPerPage,
    outletPageSize: config.outletPageSize,
    feedSize: config.feedSize,
    outlets: config.outlets.filter((o) => o.homepage).map((o) => ({ name: o.name, homepage: o.homepage! })),
  };
}

/** The environment variable the build hands the resolved settings to Astro in (JSON). */
export const SETTINGS_ENV = 'NEWSFOLD_SETTINGS';

/**
 * What the ingest takes from the config, as options of src/lib/ingest
 * (`outlets`, `metadata.timeZone`): only what differs from the ingest's own
 * defaults, so a build with no config has the same pipeline fingerprint (and
 * warm caches) as an ingest run with no options.
 */
export function ingestOptionsOf(config: Config): { outlets?: Array<{ name: string; domains: string[]; aliases: string[] }>; metadata?: { timeZone: string } } {
  const out: ReturnType<typeof ingestOptionsOf> = {};
  if (config.outlets.length) out.outlets = config.outlets.map((o) => ({ name: o.name, domains: o.domains, aliases: o.aliases }));
  if (config.timezone !== 'UTC') out.metadata = { timeZone: config.timezone };
  return out;
}
