/**
 * Client-side search on /search/: loads the index lazily and searches it with
 * fuse.js. Results are built with DOM text nodes only: query text and indexed
 * text are never parsed as HTML.
 */
import Fuse from 'fuse.js';

interface Doc {
  t: 's' | 'a';
  id: string;
  title: string;
  outlets: string;
  date: string;
  text: string;
}

export function startSearch(): void {
  const app = document.getElementById('search-app');
  const input = document.getElementById('site-search') as HTMLInputElement | null;
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  if (!app || !input || !list || !status) return;
  const base = app.dataset.base ?? '/';
  let fuse: Fuse<Doc> | null = null;
  const load = async () => {
    if (fuse) return fuse;
    const docs = (await (await fetch(app.dataset.index!)).json()) as Doc[];
    fuse = new Fuse(docs, {
      keys: [{ name: 'title', weight: 3 }, { name: 'outlets', weight: 1 }, { name: 'text', weight: 1 }],
      ignoreLocation: true,
      threshold: 0.35,
      // Extended search: white space is AND, each word matched fuzzily, in any order.
      useExtendedSearch: true,
    });
    return fuse;
  };
  const run = async () => {
    const q = input.value.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    list.replaceChildren();
    if (!q) {
      status.textContent = 'Type in the search box to search every story and article.';
      return;
    }
    const results = (await load()).search(q, { limit: 20 });
    status.textContent = `${results.length} result${results.length === 1 ? '' : 's'} for “${q}”`;
    for (const { item } of results) {
      const li = document.createElement('li');
      li.dataset.testid = 'search-result';
      const a = document.createElement('a');
      a.href = `${base}${item.t === 's' ? 'stories' : 'articles'}/${item.id}/`;
      a.textContent = item.title;
      const meta = document.createElement('p');
      meta.className = 'meta';
      meta.textContent = [item.t === 's' ? 'Story' : 'Article', item.date, item.outlets].filter(Boolean).join(' · ');
      li.append(a, meta);
      list.append(li);
    }
  };
  const initial = new URL(location.href).searchParams.get('q');
  if (initial) input.value = initial;
  input.addEventListener('input', () => void run());
  input.form?.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  if (initial) void run();
}
