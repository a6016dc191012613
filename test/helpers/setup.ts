/**
 * Runs before every test file (vitest.config.ts `setupFiles`): what the build
 * edge sets up before it runs the pure stages, so tests that call them
 * directly get the same results. The stages call linkedom, Readability,
 * chrono-node and compromise's lexicon, handed in from node_modules
 * (src/lib/store/libraries-fs.ts) and loaded when first needed.
 */
// The two modules themselves, not the entry points: this runs before every test file,
// which should not all load the whole pipeline and store.
import { setLibraries } from '../../src/lib/ingest/libraries';
import { nodeLibraries } from '../../src/lib/store/libraries-fs';

setLibraries(nodeLibraries);

// One astro child per build in the tests (test/shards.test.ts sets two): two test files build at
// once (vitest.config.ts maxWorkers), and builds no longer queue for the checkout (each child has a
// project root of its own, build/astro-child.ts), so children per build would only multiply the
// processes fighting over the cores and push end-to-end tests past their time limits.
process.env.NEWSFOLD_ASTRO_CHILDREN ??= '1';
