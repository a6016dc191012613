/**
 * Runs before every test file (vitest.config.ts `setupFiles`): what the build
 * edge sets up before it runs the pure stages, so tests that call them
 * directly get the same results. The digest types names through
 * compromise's lexicon, handed in from its cache (src/lib/store/lexicon-fs.ts).
 */
import { setLexiconProvider } from '../../src/lib/ingest/digest/lexicon';
import { compromiseLexicon } from '../../src/lib/store/lexicon-fs';

setLexiconProvider(compromiseLexicon);
