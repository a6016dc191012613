/**
 * The interactive search, loaded on demand by search-box.ts. On /search/ the
 * results fill the page (with outlet and date filters, kept in the URL); on
 * other pages they drop down under the header box.
 *
 * Keyboard: ↑/↓ move through results, Enter opens the chosen one (or, with
 * none chosen, searches), Esc clears. Every string from the index or the
 * query is written with text nodes; highlights are <mark> elements around
 * text nodes. Nothing is ever parsed as HTML.
 */
import { openSearcher, type Range, type SearchHit, type SearchOptions, type Searcher } from '../lib/search/search';
import { fetchSource } from '../lib/search/source';

const PAGE_LIMIT = 30;
const DROPDOWN_LIMIT = 8;
/**
 * On /search/, a first screenful comes first (its stories' fragments are few
 * to fetch: one round of a browser's six connections), the rest of the page
 * once the reader stops typing for TYPING_PAUSE ms (at once for a deep link).
 */
const FIRST_SCREEN = 6;
const TYPING_PAUSE = 250;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatDate(iso: string): string {
  if (!iso) return 'undated';
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** `text` with the given ranges wrapped in <mark>, as DOM nodes. */
export function highlighted(text: string, ranges: Range[]): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (s < at) continue;
    if (s > at) nodes.push(document.createTextNode(text.slice(at, s)));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(s, e);
    nodes.push(mark);
    at = e;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderHit(hit: SearchHit, base: string, id: string, testid: string): HTMLLIElement {
  const li = el('li', 'search-hit');
  li.id = id;
  li.dataset.testid = testid;
  li.dataset.path = hit.path;
  const a = el('a');
  a.href = base + hit.path;
  a.tabIndex = -1;
  a.append(el('span', 'search-kind', hit.kind === 'story' ? 'Story' : 'Article'), ' ', ...highlighted(hit.title, hit.highlights.title));
  li.append(a);
  const meta = [formatDate(hit.date), hit.outlets.join(', ')].filter(Boolean).join(' · ');
  li.append(el('p', 'meta', meta));
  if (hit.kind === 'article' && hit.storyTitle && hit.storyTitle !== hit.title) {
    const p = el('p', 'meta search-story', 'In the story: ');
    p.append(el('span', 'search-story-title', hit.storyTitle));
    li.append(p);
  }
  if (hit.snippet) {
    const p = el('p', 'search-snippet');
    p.append(...highlighted(hit.snippet, hit.highlights.snippet));
    li.append(p);
  }
  if (hit.alsoMentions.length) {
    const p = el('p', 'meta search-also', 'Also mentions: ');
    hit.alsoMentions.forEach((w, i) => p.append(i ? ', ' : '', el('mark', undefined, w)));
    li.append(p);
  }
  return li;
}

/** Runs `fn` once the next frame is out (or soon, where no frames come: a hidden tab). */
function afterPaint(fn: () => void): void {
  let done = false;
  const run = () => {
    if (!done) {
      done = true;
      fn();
    }
  };
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 250);
}

let loading: Promise<Searcher> | null = null;
/** The index folder at `url`; `manifest` is its manifest's download if search-box.ts already started it. */
function loadSearcher(url: string, manifest?: Promise<unknown>): Promise<Searcher> {
  loading ??= openSearcher(fetchSource(url, manifest ? { 'manifest.json': manifest } : {})).then((s) => {
    performance.mark('search:ready');
    return s;
  });
  return loading;
}

/** Wires the header box (and, on /search/, the page); `manifest` is the index's manifest if already being fetched. */
export function attach(input: HTMLInputElement, manifest?: Promise<unknown>): void {
  if (input.dataset.searchAttached) return;
  // User Timing marks (search:*) let the benchmark split the first result's time.
  performance.mark('search:attach');
  input.dataset.searchAttached = '1';
  const form = input.form!;
  const base = form.dataset.base ?? '/';
  const app = document.getElementById('search-app');
  const onPage = !!app;
  const status = document.getElementById('search-status');
  const filters = document.getElementById('search-filters') as HTMLFormElement | null;
  const outletSel = document.getElementById('search-outlet') as HTMLSelectElement | null;
  const fromInput = document.getElementById('search-from') as HTMLInputElement | null;
  const toInput = document.getElementById('search-to') as HTMLInputElement | null;

  let list: HTMLElement;
  if (onPage) {
    list = document.getElementById('search-results')!;
  } else {
    list = el('ul', 'search-dropdown');
    list.id = 'site-search-suggestions';
    list.hidden = true;
    form.append(list);
  }
  // A plain list of links, not an ARIA listbox: options may not contain links
  // (axe: nested-interactive), and each result must stay a real link. The
  // keyboard-chosen result is marked with aria-current.
  list.setAttribute('aria-label', 'Search results');
  input.setAttribute('aria-controls', list.id);

  let searcher: Searcher | null = null;
  let active = -1;
  const items = () => [...list.querySelectorAll<HTMLLIElement>('li.search-hit')];
  const setActive = (i: number) => {
    const all = items();
    active = all.length ? (i + all.length) % all.length : -1;
    all.forEach((li, k) => {
      if (k === active) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
      li.classList.toggle('active', k === active);
    });
    if (active >= 0) all[active].scrollIntoView({ block: 'nearest' });
  };

  const options = (): SearchOptions => ({
    limit: onPage ? PAGE_LIMIT : DROPDOWN_LIMIT,
    outlet: outletSel?.value || undefined,
    from: fromInput?.value || undefined,
    to: toInput?.value || undefined,
  });

  const syncUrl = () => {
    if (!onPage) return;
    const url = new URL(location.href);
    const o = options();
    const params: [string, string | undefined][] = [['q', input.value.trim() || undefined], ['outlet', o.outlet], ['from', o.from], ['to', o.to]];
    for (const [k, v] of params) {
      if (v) url.searchParams.set(k, v);
      else url.searchParams.delete(k);
    }
    if (url.href !== location.href) history.replaceState(null, '', url);
  };

  // What the list shows, to leave it alone when a search gives the same results again.
  let shown = '';
  // Searches run as the reader types; each waits for the files it needs. Only the latest is shown.
  let latest = 0;
  const render = async (typed = true) => {
    syncUrl();
    if (!searcher) return;
    const q = input.value;
    const o = options();
    const asked = ++latest;
    const stale = () => asked !== latest;
    const first = onPage ? FIRST_SCREEN : DROPDOWN_LIMIT;
    const result = await searcher.search(q, { ...o, limit: first, stale });
    if (stale()) return;
    show(q, o, result.hits, result.incomplete, first);
    if (!onPage || result.hits.length < first) return;
    if (typed) await new Promise((resolve) => setTimeout(resolve, TYPING_PAUSE));
    if (stale()) return;
    const rest = await searcher.search(q, { ...o, limit: PAGE_LIMIT, stale });
    if (!stale()) show(q, o, rest.hits, rest.incomplete, PAGE_LIMIT);
  };
  const show = (q: string, o: SearchOptions, hits: SearchHit[], incomplete: boolean, limit: number) => {
    const filtered = !!(o.outlet || o.from || o.to);
    const words = !!q.trim();
    const offline = incomplete ? ' Some of the index could not be loaded (offline?), so results may be missing.' : '';
    const count = `${hits.length}${hits.length === limit ? '+' : ''}`;
    const statusText = !words && !filtered
      ? 'Type in the search box to search every story and article.'
      : !words && !o.outlet
        ? 'Type a word to search these dates.'
        : hits.length
          ? `${count} result${hits.length === 1 ? '' : 's'}${words ? ` for “${q.trim()}”` : ''}.${offline}`
          : `No results${words ? ` for “${q.trim()}”` : ''}.${offline || ' Check the spelling, or try fewer words.'}`;
    const key = JSON.stringify([statusText, hits.map((h) => [h.path, h.title, h.snippet, h.highlights, h.alsoMentions, h.date, h.outlets, h.storyTitle])]);
    if (key !== shown) {
      shown = key;
      // The result chosen with the arrows stays chosen when the list grows or
      // later results arrive, as long as it is still listed.
      const chosen = active >= 0 ? items()[active]?.dataset.path : undefined;
      list.replaceChildren(...hits.map((h, i) => renderHit(h, base, `search-hit-${i}`, onPage ? 'search-result' : 'search-suggestion')));
      active = -1;
      const kept = chosen === undefined ? -1 : hits.findIndex((h) => h.path === chosen);
      if (kept >= 0) setActive(kept);
      if (onPage && status) status.textContent = statusText;
    }
    // Which query the list answers (tests and the bench wait on it).
    list.dataset.query = q.trim();
    const open = hits.length > 0 && (onPage || document.activeElement === input);
    if (!onPage) list.hidden = !open;
  };
  const update = () => void render();

  if (onPage) {
    const params = new URL(location.href).searchParams;
    const q = params.get('q');
    if (q !== null && !input.value) input.value = q;
    if (fromInput) fromInput.value = params.get('from') ?? '';
    if (toInput) toInput.value = params.get('to') ?? '';
    if (filters) filters.hidden = false;
    filters?.addEventListener('input', update);
    filters?.addEventListener('change', update);
    filters?.addEventListener('submit', (e) => {
      e.preventDefault();
      update();
    });
    if (status && input.value.trim()) status.textContent = 'Searching…';
  }

  input.addEventListener('input', update);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!items().length) return;
      e.preventDefault();
      if (!onPage) list.hidden = false;
      setActive(active < 0 && e.key === 'ArrowUp' ? -1 : active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter') {
      const chosen = active >= 0 ? items()[active]?.querySelector('a') : null;
      if (chosen) {
        e.preventDefault();
        location.assign(chosen.href);
      } else if (onPage) {
        e.preventDefault();
        update();
      }
      // Elsewhere, no choice: the form goes to /search/?q=… as without JavaScript.
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.value = '';
      update();
      list.replaceChildren();
      if (!onPage) list.hidden = true;
    }
  });
  if (!onPage) {
    input.addEventListener('blur', () => {
      // Let a click on a result land before the list goes.
      setTimeout(() => {
        if (!form.contains(document.activeElement)) list.hidden = true;
      }, 150);
    });
    input.addEventListener('focus', () => {
      if (items().length) list.hidden = false;
    });
  }

  // The outlet filter's choices: all of them, alphabetically, once the first
  // results are up (sorting them is not free); a deep-linked outlet is chosen
  // at once, if it is one.
  const fillOutlets = (s: Searcher, chosen: string) => {
    const first = outletSel!.options[0];
    outletSel!.replaceChildren(first);
    for (const name of s.outlets) {
      const opt = el('option', undefined, name);
      opt.value = name;
      outletSel!.append(opt);
    }
    outletSel!.value = chosen;
  };

  loadSearcher(form.dataset.index!, manifest)
    .then(async (s) => {
      searcher = s;
      if (outletSel) {
        const chosen = new URL(location.href).searchParams.get('outlet') ?? '';
        if (chosen && s.manifest.outlets.includes(chosen)) {
          const opt = el('option', undefined, chosen);
          opt.value = chosen;
          outletSel.append(opt);
          outletSel.value = chosen;
        }
      }
      await render(false);
      performance.mark('search:first-render');
      // Once that frame is out: the outlet choices (sorting them is not free). Ready then: every control filled in.
      afterPaint(() => {
        if (outletSel) fillOutlets(s, outletSel.value);
        performance.mark('search:complete');
        document.documentElement.dataset.searchReady = '1';
      });
    })
    .catch(() => {
      if (status) status.textContent = 'Search could not load its index. Browse the archive by day or by outlet instead.';
    });
}
