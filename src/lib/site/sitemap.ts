/**
 * The sitemap, from the site's full page list (plan.ts): `sitemap-index.xml`
 * naming `sitemap-0.xml`, `sitemap-1.xml`... of at most 50,000 URLs each (the
 * protocol's limit per file; sitemaps.org). Written by the build process from
 * the plan, whichever pages its astro children rendered (a full, partial or
 * sharded build), and by the site's integration in a plain `astro build`
 * (integration.ts): the same function, so the same bytes.
 *
 * Hand-written rather than @astrojs/sitemap (which lists the pages its own
 * astro process built, so a shard or a drop-in would need the whole list
 * passed in) or the `sitemap` package (a stream API whose defaults add
 * namespaces and gzip we would have to pin): the format is two elements.
 */
import { settings } from './settings';

/** The origin and base the site is built for: the config's (NEWSFOLD_SITE and NEWSFOLD_BASE over it), as astro.config.mjs reads them. */
export function siteOrigin(env: Record<string, string | undefined> = process.env): { site: string; base: string } {
  const { site, base } = settings(env);
  return { site, base };
}

/** URLs per sitemap file: the protocol's maximum. */
export const SITEMAP_URLS = 50_000;

export const SITEMAP_INDEX = 'sitemap-index.xml';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The absolute URL of a site path under the base: `https://example.org/news/` + `days/`. */
export function siteUrl(site: string, base: string, pagePath: string): string {
  const root = new URL(base.startsWith('/') ? base : `/${base}`, site);
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  return new URL(root.pathname + pagePath, root).href;
}

/**
 * Letters, digits, `-`, `_` and `/`, not starting with `/` (which after a root of `/` would read as
 * `//host`): a site path a URL keeps as it is.
 */
const PLAIN_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9_/-]*)?$/;

/**
 * The sitemap files (name -> text) for these page paths (site paths without
 * the base, e.g. `stories/x/`), sorted so the order of `paths` does not matter.
 */
export function sitemapFiles(paths: string[], site: string, base: string, perFile = SITEMAP_URLS): Map<string, string> {
  // A path of plain slug characters is the site root's URL followed by it, as siteUrl gives it (no
  // dot segment to resolve, nothing to percent-encode): 120,000 pages' URLs without two URL parses
  // each (a third of the sitemap's time at 100,000 articles). Anything else goes through siteUrl.
  // Such a path needs no escaping either: its <loc> is the root's, escaped once, followed by it.
  const root = siteUrl(site, base, '');
  const rootXml = escapeXml(root);
  // Sorted by the default order, UTF-16 code units as `<` compares them, without a comparator
  // called from JavaScript, and a path listed twice dropped beside its twin, not through a set of
  // 120,000 paths (the two were half the sitemap's time at 100,000 articles).
  const sorted = paths.slice().sort();
  const locs: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    if (i > 0 && p === sorted[i - 1]) continue;
    locs.push(PLAIN_PATH.test(p) ? rootXml + p : escapeXml(siteUrl(site, base, p)));
  }
  const files = new Map<string, string>();
  const names: string[] = [];
  for (let i = 0; i === 0 || i * perFile < locs.length; i++) {
    const name = `sitemap-${i}.xml`;
    names.push(name);
    let body = '';
    for (let k = i * perFile; k < Math.min(locs.length, (i + 1) * perFile); k++) body += `<url><loc>${locs[k]}</loc></url>`;
    files.set(name, `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${body}</urlset>\n`);
  }
  const index = names.map((n) => `<sitemap><loc>${escapeXml(siteUrl(site, base, n))}</loc></sitemap>`).join('');
  files.set(SITEMAP_INDEX, `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${index}</sitemapindex>\n`);
  return files;
}

/** True for a file name the sitemap writes (so a build can remove a previous build's extra files). */
export const isSitemapFile = (name: string): boolean => name === SITEMAP_INDEX || /^sitemap-\d+\.xml$/.test(name);
