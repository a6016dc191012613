/**
 * On every page: `/` focuses the header search box, and the first focus (or a
 * `?q=` on /search/) loads the search code and the index's manifest. Nothing else runs until
 * a reader reaches for search, so content pages stay light.
 */
const input = document.getElementById('site-search') as HTMLInputElement | null;

function editable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

if (input) {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    // Fetch the index's manifest while the search code loads, not after. (On /search/ the
    // page has preloaded it: this fetch gets that download. The search:* marks are for the
    // benchmark.) The rest of the index comes in chunks, as queries need them.
    const url = input.form?.dataset.index;
    performance.mark('search:fetch');
    const manifest = url
      ? fetch(`${url}manifest.json`).then((r) => {
          performance.mark('search:response');
          return r.ok ? r.json().then((d) => (performance.mark('search:parsed'), d)) : Promise.reject(new Error(`HTTP ${r.status}`));
        })
      : undefined;
    manifest?.catch(() => {}); // reported by search-ui
    void import('./search-ui').then((ui) => ui.attach(input, manifest));
  };
  input.addEventListener('focus', start);
  input.addEventListener('input', start);
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || editable(e.target)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  // The search page runs a deep-linked query at once.
  if (document.getElementById('search-app')) start();
}
