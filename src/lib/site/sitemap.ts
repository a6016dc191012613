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

/** True for a plain path (PLAIN_PATH): its URL is the site root's followed by it. */
export const plainPath = (p: string): boolean => PLAIN_PATH.test(p);

/** A plain path's whole URL element as sitemapFiles writes it (`<url><loc>...</loc></url>`). */
export const sitemapUrl = (p: string, site: string, base: string): string => `<url><loc>${escapeXml(siteUrl(site, base, ''))}${p}</loc></url>`;

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
  for (let i = 0; i === 0 || i * perFile < locs.length; i++) {
    let body = '';
    for (let k = i * perFile; k < Math.min(locs.length, (i + 1) * perFile); k++) body += `${LOC}${locs[k]}${END}`;
    files.set(`sitemap-${i}.xml`, URLSET_HEAD + body + URLSET_TAIL);
  }
  return sitemapIndexed(files, site, base);
}

const URLSET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">';
const URLSET_TAIL = '</urlset>\n';
const LOC = '<url><loc>';
const END = '</loc></url>';

/** `files` (the sitemap's, in order: `sitemap-0.xml`...) and the sitemap index naming them, added to it. */
export function sitemapIndexed<T extends Map<string, string>>(files: T, site: string, base: string): T {
  files.set(SITEMAP_INDEX, sitemapIndex([...files.keys()], site, base));
  return files;
}

/** The text of the sitemap index naming these sitemap files (in order). */
export function sitemapIndex(names: string[], site: string, base: string): string {
  const index = names.map((n) => `<sitemap><loc>${escapeXml(siteUrl(site, base, n))}</loc></sitemap>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${index}</sitemapindex>\n`;
}

/**
 * The sitemap of a plan that differs from the one the old files were made of (sitemapFiles) by a few
 * pages: `edits` says, of each path that may differ, whether the sitemap lists it now. `old`: the old
 * files from `sitemap-<first>.xml` on, to the last (those before it stay as they are: no edit falls
 * in them). The same files from `sitemap-<first>.xml` on as sitemapFiles of the whole new list
 * (without the index: sitemapIndexed), made by patching the old text where the edits fall (found by
 * binary search), not by sorting and writing 120,000 URLs again (0.15 s of a drop-in at 100,000
 * articles). Null when the old files are not all of plain paths under this site's root, cut as
 * sitemapFiles cuts them, or a path to list is not plain: then sitemapFiles of the whole list.
 */
export function patchSitemap(old: string[], edits: ReadonlyMap<string, boolean>, site: string, base: string, perFile = SITEMAP_URLS, first = 0): Map<string, string> | null {
  if (!old.length) return null;
  const rootXml = escapeXml(siteUrl(site, base, ''));
  let body = '';
  for (const text of old) {
    if (!text.startsWith(URLSET_HEAD) || !text.endsWith(URLSET_TAIL)) return null;
    body += text.slice(URLSET_HEAD.length, text.length - URLSET_TAIL.length);
  }
  // Every URL of the old files exactly as sitemapFiles writes a plain path's (nothing else left when
  // they are taken out), so a URL's path is its text past the root, and the URLs are in its order.
  const url = new RegExp(`${LOC}${rootXml.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[A-Za-z0-9_-][A-Za-z0-9_/-]*)?${END}`, 'g');
  if (body.replace(url, '') !== '') return null;
  // The old files are cut as sitemapFiles cuts them: every file but the last full, the last not empty.
  const lastFile = body.length - (old[old.length - 1].length - URLSET_HEAD.length - URLSET_TAIL.length);
  const inLast = urlsIn(body, lastFile);
  if (inLast === 0 || inLast > perFile || (old.length > 1 && urlsIn(body, 0, lastFile) !== (old.length - 1) * perFile)) return null;
  let count = (old.length - 1) * perFile + inLast;
  const skip = LOC.length + rootXml.length;
  // The start of the first URL at or after `at` (the end of the text when none).
  const urlFrom = (at: number) => {
    const i = body.indexOf(LOC, at);
    return i === -1 ? body.length : i;
  };
  const pathAt = (start: number) => body.slice(start + skip, body.indexOf(END, start));
  // The start of the first URL whose path is not before `p` (the URLs are sorted as sitemapFiles
  // sorts them: by `<`), found by halving the text: a URL's start is the first `<url>` at or after a point.
  const find = (p: string) => {
    let lo = 0;
    let hi = body.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = urlFrom(mid);
      if (start < body.length && pathAt(start) < p) lo = start + 1;
      else hi = mid;
    }
    return urlFrom(lo);
  };
  // Where each edit falls: a URL added before the URL starting at `at`, or that URL removed.
  const changes: Array<{ at: number; path: string; add: boolean }> = [];
  for (const [p, listed] of edits) {
    if (!PLAIN_PATH.test(p)) {
      // Not in the old files (every URL there is a plain path's), and not to be listed: no change.
      if (!listed) continue;
      return null;
    }
    const at = find(p);
    const there = at < body.length && pathAt(at) === p;
    if (listed !== there) changes.push({ at, path: p, add: listed });
  }
  changes.sort((a, b) => a.at - b.at || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const pieces: string[] = [];
  let from = 0;
  for (const c of changes) {
    pieces.push(body.slice(from, c.at));
    if (c.add) {
      pieces.push(LOC + rootXml + c.path + END);
      from = c.at;
      count++;
    } else {
      from = body.indexOf(END, c.at) + END.length;
      count--;
    }
  }
  pieces.push(body.slice(from));
  const next = changes.length ? pieces.join('') : body;
  // Cut into files of `perFile` URLs, each cut found by counting URLs from the last.
  const files = new Map<string, string>();
  let at = 0;
  for (let i = 0; first + i === 0 || i * perFile < count; i++) {
    let end = at;
    const last = Math.min(count, (i + 1) * perFile);
    if (last === count) end = next.length;
    else for (let k = i * perFile; k < last; k++) end = next.indexOf(END, end) + END.length;
    files.set(`sitemap-${first + i}.xml`, URLSET_HEAD + next.slice(at, end) + URLSET_TAIL);
    at = end;
  }
  return files;
}

/**
 * The path of the first URL of a sitemap file's text (or of its start: `head`), when it is a plain
 * path's URL under this site's root as sitemapFiles writes one; else null.
 */
export function firstPath(head: string, site: string, base: string): string | null {
  const rootXml = escapeXml(siteUrl(site, base, ''));
  const from = URLSET_HEAD.length + LOC.length;
  if (!head.startsWith(URLSET_HEAD + LOC) || !head.startsWith(rootXml, from)) return null;
  const end = head.indexOf(END, from);
  const p = end === -1 ? null : head.slice(from + rootXml.length, end);
  return p !== null && PLAIN_PATH.test(p) ? p : null;
}

/** How many URLs `text` has between `from` and `to`. */
function urlsIn(text: string, from: number, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf(END, from); i !== -1 && i < to; i = text.indexOf(END, i + END.length)) n++;
  return n;
}

/** True for a file name the sitemap writes (so a build can remove a previous build's extra files). */
export const isSitemapFile = (name: string): boolean => name === SITEMAP_INDEX || /^sitemap-\d+\.xml$/.test(name);
