/** Helpers the pages share: links under the configured base, dates, receipts. */
import type { Removal } from './schema';

/** A site-internal link that works at the root and under a sub-path (`base`). */
export function href(path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  return base + path.replace(/^\//, '');
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
