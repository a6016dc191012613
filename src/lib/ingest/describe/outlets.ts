/**
 * Outlet names from the site's config (`outlets:` in newsfold.config.yaml,
 * src/lib/config.ts): a per-article step right after the metadata stage.
 *
 *  1. An article whose URL is on an outlet's domain (or a subdomain of it) is
 *     that outlet's, whatever its page says: a scrape carrying only a URL no
 *     longer shows as "Unknown outlet" or as a bare domain.
 *  2. Otherwise an outlet credited under one of its spellings (its name,
 *     an alias such as "AP", or a domain, as the metadata stage names an
 *     outlet from its URL) is shown under its name.
 * Names compare folded (case, accents, punctuation and a leading "The" do not
 * count). With no outlets configured this is the identity.
 *
 * The same domain map is what the metadata stage's `outletDomains` option
 * takes (#17): `outletDomains(outlets)`.
 */
import type { Article } from '../types.ts';
import { foldOutletName as fold } from '../../text.ts';

/** One configured outlet, as the ingest's options carry it. */
export interface OutletRule {
  name: string;
  /** Lower-case domains without `www.` (config.ts validates them). */
  domains: string[];
  aliases: string[];
}

/** Domain -> outlet name, for the metadata stage's `outletDomains`. */
export function outletDomains(outlets: readonly OutletRule[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const o of outlets) for (const d of o.domains) map[d] = o.name;
  return map;
}

/** A lookup built once per rule list: workers and the driver call `nameOutlet` per article. */
const lookups = new WeakMap<readonly OutletRule[], { byDomain: Map<string, string>; bySpelling: Map<string, string> }>();

function lookupOf(outlets: readonly OutletRule[]) {
  let l = lookups.get(outlets);
  if (!l) {
    const byDomain = new Map<string, string>();
    const bySpelling = new Map<string, string>();
    for (const o of outlets) {
      for (const d of o.domains) {
        byDomain.set(d, o.name);
        bySpelling.set(fold(d), o.name);
      }
      for (const n of [o.name, ...o.aliases]) bySpelling.set(fold(n), o.name);
    }
    lookups.set(outlets, (l = { byDomain, bySpelling }));
  }
  return l;
}

/** The outlet name the config gives `url`'s host, or undefined. */
function byHost(url: string | null, byDomain: Map<string, string>): string | undefined {
  if (!url || byDomain.size === 0) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
  // reuters.com, then www.reuters.com's parents: the longest configured suffix wins.
  for (let at = host; at.includes('.'); at = at.slice(at.indexOf('.') + 1)) {
    const name = byDomain.get(at);
    if (name !== undefined) return name;
  }
  return undefined;
}

/** The article with its outlet named as the config names it (the same object when nothing changes). */
export function nameOutlet(article: Article, outlets: readonly OutletRule[]): Article {
  if (outlets.length === 0) return article;
  const { byDomain, bySpelling } = lookupOf(outlets);
  const name = byHost(article.url, byDomain) ?? bySpelling.get(fold(article.source));
  return name === undefined || name === article.source ? article : { ...article, source: name };
}
