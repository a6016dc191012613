/**
 * The three libraries the pure stages call but do not load: linkedom with
 * Mozilla Readability (read/html.ts, HTML pages), chrono-node (describe/
 * metadata.ts, dates written out in words) and compromise's lexicon
 * (digest/lexicon.ts, typing names). Whoever runs the stages hands them in as
 * providers, `setLibraries(nodeLibraries)`: the build edges
 * (build/load-stages.ts, the worker threads), the test setup and the scripts.
 * The Node-side providers are src/lib/store/libraries-fs.ts.
 *
 * Why providers, each called on first use: loading the three costs a
 * process 300-400 ms, and most runs need few of them. A drop-in of Markdown
 * articles with ISO dates parses no HTML and calls no chrono-node, so it loads
 * neither (the pipeline's import fell from about 550 to 220 ms). Why not loaded
 * here: src/lib/ingest does no I/O and loads no module at run time
 * (test/architecture.test.ts); where a library comes from is the edge's business.
 */
import type { Readability } from '@mozilla/readability';
import type { parse as parseDates } from 'chrono-node';
import type { parseHTML } from 'linkedom';

/** Lower-case word -> one tag or several (compromise's `model().one.lexicon`). */
export type Lexicon = Record<string, string | string[]>;

export interface Libraries {
  /** A DOM for HTML pages and Readability to find the article in it. */
  html: { parseHTML: typeof parseHTML; Readability: typeof Readability };
  /** chrono-node's `parse`. */
  dates: { parse: typeof parseDates };
  /** compromise's lexicon; any table with the same entries gives the same digests. */
  lexicon: Lexicon;
}

/** How to get each library, called once, when a stage first needs it. */
export type LibraryProviders = { readonly [K in keyof Libraries]: () => Libraries[K] };

let providers: LibraryProviders | null = null;
let loaded: Partial<Libraries> = {};

/** Sets where the libraries come from. Setting the same providers again keeps what was loaded. */
export function setLibraries(next: LibraryProviders): void {
  if (next === providers) return;
  providers = next;
  loaded = {};
}

/** The library `name`, from its provider on first use. */
export function library<K extends keyof Libraries>(name: K): Libraries[K] {
  const lib = loaded[name];
  if (lib !== undefined) return lib;
  if (!providers) {
    throw new Error(
      `no ${name} library for the stages: call setLibraries(nodeLibraries) first ` +
        '(setLibraries from src/lib/ingest/index.ts, nodeLibraries from src/lib/store/index.ts)',
    );
  }
  return (loaded[name] = providers[name]());
}
