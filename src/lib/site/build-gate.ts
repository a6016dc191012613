/**
 * The go-ahead a speculatively started `astro build` waits for before reading
 * its content (src/lib/build/index.ts).
 *
 * Why: a drop-in's partial build spends about 4 s in Astro (at 10,000
 * articles, on a busy core) before any content is read: loading its modules
 * and the config, setting up Vite, bundling the site. The build starts that child as soon as the ingest knows the drop
 * folder changed, so that work runs on the core the ingest leaves idle; the
 * pages' data loaders (src/lib/site/data.ts) then wait here until the build has
 * written the shard's page list.
 *
 * The signal is one line on stdin: `go` to go on, anything else (or the end of
 * stdin) to exit. Stdin rather than a file, because when the parent dies,
 * however it dies, the pipe closes and the child exits (build-gate-stdin.mjs,
 * preloaded into the child, reads it from the start) instead of working or
 * waiting on; no polling, no timeout to tune.
 *
 * Only when NEWSFOLD_WAIT_FOR_GO=stdin: a plain `astro build` never waits.
 */
import { CALLED_OFF_EXIT_CODE, GO_LINE, installGate, WAIT_FOR_GO_ENV } from './build-gate-stdin.mjs';

export { CALLED_OFF_EXIT_CODE, GO_LINE, WAIT_FOR_GO_ENV };

/**
 * Resolves once the go line came; every loader of the build shares the one
 * wait. The build preloads build-gate-stdin.mjs into the child, so stdin is
 * read from the child's start; without the preload it is read from here on.
 */
export function waitForGo(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return env[WAIT_FOR_GO_ENV] === 'stdin' ? installGate() : Promise.resolve();
}
