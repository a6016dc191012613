/**
 * The site's settings as the pages read them: the config (newsfold.config.yaml,
 * src/lib/config.ts) resolved and validated by the build, handed to Astro in
 * NEWSFOLD_SETTINGS (astro.config.mjs sets it from the file itself for a bare
 * `astro build` or `astro dev`). Without it (a unit test) the defaults, with
 * NEWSFOLD_SITE and NEWSFOLD_BASE over them, as the build would resolve them.
 */
import { DEFAULT_CONFIG, SETTINGS_ENV, siteSettings, type SiteSettings } from '../config';

export type { SiteSettings };

let cached: { text: string | undefined; settings: SiteSettings } | null = null;

export function settings(): SiteSettings {
  const text = process.env[SETTINGS_ENV];
  if (!cached || cached.text !== text) cached = { text, settings: text ? (JSON.parse(text) as SiteSettings) : siteSettings(DEFAULT_CONFIG, process.env) };
  return cached.settings;
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
