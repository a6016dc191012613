/**
 * Runs before every test file (vitest.config.ts `setupFiles`): what the build
 * edge sets up before it runs the pure stages, so tests that call them
 * directly get the same results. The digest types names through
 * compromise's lexicon, handed in from its cache (src/lib/store/lexicon-fs.ts).
 */
// The two modules themselves, not the entry points: this runs before every test file,
// which should not all load the whole pipeline and store.
import { setLexiconProvider } from '../../src/lib/ingest/digest/lexicon';
import { compromiseLexicon } from '../../src/lib/store/lexicon-fs';

setLexiconProvider(compromiseLexicon);
