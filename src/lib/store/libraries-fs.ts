/**
 * The libraries the pure stages call (src/lib/ingest/libraries.ts), loaded
 * from node_modules when a stage first needs one: `setLibraries(nodeLibraries)`.
 * `require` rather than `import`: a stage asks for its library in the middle
 * of synchronous work, and only require can load a module there. All three
 * packages ship a CommonJS build beside their ES one.
 */
import { createRequire } from 'node:module';
import type { Libraries, LibraryProviders } from '../ingest/index.ts';
import { compromiseLexicon } from './lexicon-fs.ts';

const require = createRequire(import.meta.url);

export const nodeLibraries: LibraryProviders = {
  html: () => ({
    parseHTML: (require('linkedom') as typeof import('linkedom')).parseHTML,
    Readability: (require('@mozilla/readability') as typeof import('@mozilla/readability')).Readability,
  }),
  dates: (): Libraries['dates'] => ({ parse: (require('chrono-node') as typeof import('chrono-node')).parse }),
  lexicon: () => compromiseLexicon(),
};
