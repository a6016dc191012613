/**
 * Pagination of a list shown newest first (a day's stories, an outlet's
 * articles), with page boundaries anchored at the OLDEST end.
 *
 * A list that grows at its newest end (the usual drop-in) then changes only
 * its first page: numbered pages hold exactly `size` items counted from the
 * oldest item, so `/page/1/` is always the oldest `size` items, `/page/2/` the
 * next, and so on; they keep their URL and their bytes as news arrives. The
 * first page (the list's own URL) holds the rest, between `size` and
 * `2 × size − 1` items, so it is never nearly empty. When it would reach
 * `2 × size`, its oldest `size` items become a new numbered page: the first
 * page, the new page and the previous newest numbered page (whose "newer"
 * link now points to the new one) change; no other.
 *
 * Numbered pages link to the first page, the next newer and next older page
 * only: a link to every page, or a "page 3 of 40", would change every page
 * each time a page is added. The first page links to every numbered page.
 * An insertion in the middle (a late arrival, an edit that moves an item)
 * shifts the pages from there to the newest: those change.
 */

export interface PageRef {
  path: string;
  label: string;
}

export interface PagerNav {
  /** The list's first page (its own URL). */
  first: string;
  /** The next page towards the newest items (rel="prev"), if any. */
  newer: PageRef | null;
  /** The next page towards the oldest items (rel="next"), if any. */
  older: PageRef | null;
  /** On the first page only: every numbered page, newest first. */
  pages: PageRef[] | null;
  /** This page's label ("" on the first page). */
  label: string;
}

export interface ListPage<T> {
  /** Site path of the page (with its trailing slash), e.g. `days/2025-07-20/page/2/`. */
  path: string;
  /** 0 for the first page, else its number counted from the oldest page (1). */
  number: number;
  items: T[];
  nav: PagerNav;
}

/** Numbered pages of a list of `n` items: as many full pages of `size` as leave the first page at least `size` items. */
function numberedPages(n: number, size: number): number {
  if (size < 1) throw new Error(`page size must be at least 1 (got ${size})`);
  return n < 2 * size ? 0 : Math.floor(n / size) - 1;
}

/** The paths `paginate` gives a list of `n` items, in its order (the first page, then the newest numbered page down to 1). */
export function pagePaths(n: number, size: number, base: string): string[] {
  const numbered = numberedPages(n, size);
  const out = [base];
  for (let k = numbered; k >= 1; k--) out.push(`${base}page/${k}/`);
  return out;
}

/**
 * Splits `items` (newest first) into pages under `base` (a site path ending in
 * `/`): `base` itself and `base + 'page/N/'`. `label` names a numbered page
 * from its items (a date range, "page 3"...); it must depend on those items only.
 */
export function paginate<T>(items: T[], size: number, base: string, label: (items: T[], number: number) => string): Array<ListPage<T>> {
  const n = items.length;
  const numbered = numberedPages(n, size);
  const firstCount = n - numbered * size;
  const pathOf = (k: number) => (k === 0 ? base : `${base}page/${k}/`);
  const itemsOf = (k: number) => (k === 0 ? items.slice(0, firstCount) : items.slice(n - k * size, n - (k - 1) * size));
  const refs = new Map<number, PageRef>();
  const ref = (k: number): PageRef => {
    let r = refs.get(k);
    if (!r) refs.set(k, (r = { path: pathOf(k), label: k === 0 ? 'Latest' : label(itemsOf(k), k) }));
    return r;
  };
  const pages: Array<ListPage<T>> = [
    {
      path: base,
      number: 0,
      items: itemsOf(0),
      nav: {
        first: base,
        newer: null,
        older: numbered ? ref(numbered) : null,
        pages: numbered ? Array.from({ length: numbered }, (_, i) => ref(numbered - i)) : null,
        label: '',
      },
    },
  ];
  for (let k = numbered; k >= 1; k--) {
    pages.push({
      path: pathOf(k),
      number: k,
      items: itemsOf(k),
      nav: { first: base, newer: ref(k === numbered ? 0 : k + 1), older: k > 1 ? ref(k - 1) : null, pages: null, label: ref(k).label },
    });
  }
  return pages;
}
