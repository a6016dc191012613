/** Helpers the pages share: links under the configured base, dates, receipts. */
import type { Removal } from '../schema';

/** A site-internal link that works at the root and under a sub-path (`base`). */
export function href(path: string): string {
  return basePath() + path.replace(/^\//, '');
}

declare const __NEWSFOLD_BASE__: string | undefined;

/** The configured base ("/" or "/news/"), from astro.config.mjs, always with a trailing slash. */
export function basePath(): string {
  const base = typeof __NEWSFOLD_BASE__ === 'string' ? __NEWSFOLD_BASE__ : import.meta.env.BASE_URL;
  return base.replace(/\/?$/, '/');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "20 Jul 2025": fixed English format, no locale or time zone, so builds are deterministic. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'undated';
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

export function dateRange(first: string | null, last: string | null): string {
  if (!first) return 'undated';
  if (!last || last === first) return formatDate(first);
  return `${formatDate(first)} – ${formatDate(last)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Reader-facing names for removal kinds; unknown kinds show as written. */
const KIND_LABELS: Record<string, string> = {
  'status-header': 'scraper header',
  'error-banner': '404 banner',
  disclaimer: 'legal disclaimer',
  'promo-list': 'promo list',
  'tag-line': 'tag lines',
  widget: 'comment widget',
  navigation: 'navigation',
  byline: 'byline',
  'duplicate-paragraph': 'repeated paragraphs',
  dateline: 'dateline marker',
  trailer: 'trailing fragments',
  advertisement: 'ad labels',
  'share-bar': 'share bar',
  'cookie-notice': 'cookie notice',
  'subscribe-prompt': 'subscribe prompt',
  copyright: 'copyright line',
  'photo-credit': 'photo credits',
};

/** "404 banner, legal disclaimer, promo list (8 items), repeated paragraphs (8)". */
export function receipt(removed: Removal[]): string {
  const counts = new Map<string, number>();
  for (const r of removed) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts]
    .map(([kind, n]) => {
      const label = KIND_LABELS[kind] ?? kind.replace(/-/g, ' ');
      if (n === 1) return label;
      return kind === 'promo-list' ? `${label} (${n} items)` : `${label} (${n})`;
    })
    .join(', ');
}

export function outletLabel(source: string): string {
  return source === 'unknown' ? 'Unknown outlet' : source;
}

/** Absolute URL of a site path (canonical links, RSS, JSON-LD), under the configured base. */
export function absolute(path: string, site: URL | undefined): string {
  return new URL(href(path), site ?? 'https://newsfold.example.org').href;
}

/** Only http(s) URLs ever become links. */
export function safeUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/** A stable, URL-safe slug for an outlet's page ("New York Times" -> "new-york-times"). */
export function outletSlug(source: string): string {
  let slug = slugs.get(source);
  if (slug === undefined) {
    slug =
      source
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'outlet';
    slugs.set(source, slug);
  }
  return slug;
}
/** A site has a few hundred outlets and asks for their slugs once per article per page: computed once each. */
const slugs = new Map<string, string>();

/** Fixed-order string comparison, independent of the build machine's locale. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface CardArticle {
  id: string;
  data: { copyOf: string | null };
}

/**
 * Cards of a story: one per original, with the republications folded in. A
 * republication whose original is not in the story gets its own card.
 */
export function storyCards<A extends CardArticle>(members: A[]): Array<{ article: A; copies: A[] }> {
  const ids = new Set(members.map((a) => a.id));
  const rootOf = (a: A): string => {
    let id = a.id;
    let copyOf = a.data.copyOf;
    for (let hops = 0; copyOf && ids.has(copyOf) && copyOf !== id && hops < 5; hops++) {
      id = copyOf;
      copyOf = members.find((m) => m.id === id)?.data.copyOf ?? null;
    }
    return id;
  };
  const cards = new Map<string, { article: A; copies: A[] }>();
  for (const a of members) {
    const root = rootOf(a);
    if (root === a.id) cards.set(a.id, { article: a, copies: cards.get(a.id)?.copies ?? [] });
    else {
      const card = cards.get(root) ?? { article: members.find((m) => m.id === root)!, copies: [] };
      card.copies.push(a);
      cards.set(root, card);
    }
  }
  return [...cards.values()];
}

interface RelatedInput {
  id: string;
  data: { related: Array<{ id: string; score: number; shared: string[] }>; entities: Array<{ name: string }>; headline: string };
}

/**
 * The names two related stories share, for the page: the digest's (people,
 * organisations, places in both stories' titles and leads) then the entity
 * chips both stories have, each once ("Anthony Fauci" once, not also
 * "Fauci"), at most `limit`.
 */
export function sharedNames(fromDigest: string[], theirChips: Array<{ name: string }>, mine: Set<string>, limit = 4): string[] {
  const all = [...fromDigest, ...theirChips.map((e) => e.name).filter((n) => mine.has(n))];
  const out: string[] = [];
  const fold = (n: string) => n.toLowerCase();
  for (const name of all) {
    const f = fold(name);
    // A name inside one already kept (a surname in a full name), or holding one already kept, is the same.
    const same = out.findIndex((o) => fold(o) === f || ` ${fold(o)} `.includes(` ${f} `) || ` ${f} `.includes(` ${fold(o)} `));
    if (same < 0) out.push(name);
    else if (name.length > out[same].length) out[same] = name;
  }
  return out.slice(0, limit);
}

/**
 * Related stories, each with the names (people, organisations, places) it
 * shares with this one: clustering's near misses that share at least one
 * (by the digest's names or by entity chips both have); when none does, the
 * stories sharing the most entity chips (at least two). Strongest first.
 */
export function relatedStories<S extends RelatedInput>(story: S, all: S[], limit = 3): Array<{ story: S; shared: string[] }> {
  const byId = new Map(all.map((s) => [s.id, s]));
  const mine = new Set(story.data.entities.map((e) => e.name));
  const fromCluster = story.data.related
    .flatMap((r) => {
      const other = byId.get(r.id);
      return other && other.id !== story.id ? [{ story: other, shared: sharedNames(r.shared, other.data.entities, mine) }] : [];
    })
    .filter((x) => x.shared.length > 0);
  if (fromCluster.length) return fromCluster.slice(0, limit);
  if (mine.size === 0) return [];
  return all
    .filter((s) => s.id !== story.id)
    .map((s) => ({ story: s, n: s.data.entities.filter((e) => mine.has(e.name)).length }))
    .filter((x) => x.n >= 2)
    .sort((a, b) => b.n - a.n || byText(a.story.id, b.story.id))
    .slice(0, limit)
    .map((x) => ({ story: x.story, shared: sharedNames([], x.story.data.entities, mine) }));
}
