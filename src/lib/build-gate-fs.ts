/**
 * The go-ahead a speculatively started `astro build` waits for before reading
 * its content (scripts/lib/build.ts).
 *
 * Why: a drop-in's partial build spends about 2 s in Astro before any content
 * is read (loading its modules and the config, setting up Vite, bundling the
 * site). The build starts that child as soon as the ingest knows the drop
 * folder changed, so that work runs on the core the ingest leaves idle; the
 * pages' data loaders (src/lib/data.ts) then wait here until the delta content
 * folder is written.
 *
 * The signal is one line on stdin: `go` to load, anything else (or the end of
 * stdin) to exit. Stdin rather than a file, because when the parent dies,
 * however it dies, the pipe closes and the child exits instead of waiting
 * forever; no polling, no timeout to tune.
 *
 * Only when NEWSFOLD_WAIT_FOR_GO=stdin: a plain `astro build` never waits.
 */
export const WAIT_FOR_GO_ENV = 'NEWSFOLD_WAIT_FOR_GO';
/** The line that lets the content load. */
export const GO_LINE = 'go';
/** The child's exit code when it was called off (or its parent is gone) before loading content. */
export const CALLED_OFF_EXIT_CODE = 3;

let waiting: Promise<void> | null = null;

/** Resolves once the go-ahead came; every loader of the build shares the one wait. */
export function waitForGo(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env[WAIT_FOR_GO_ENV] !== 'stdin') return Promise.resolve();
  waiting ??= new Promise<void>((resolve) => {
    const stdin = process.stdin;
    let text = '';
    const settle = (go: boolean) => {
      stdin.removeAllListeners('data');
      stdin.removeAllListeners('end');
      // Astro's process must be free to exit once the build is done.
      stdin.destroy();
      if (go) return resolve();
      process.stderr.write('newsfold: astro build called off before loading content (no go-ahead on stdin)\n');
      process.exit(CALLED_OFF_EXIT_CODE);
    };
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) settle(text.slice(0, end).trim() === GO_LINE);
    });
    stdin.on('end', () => settle(false));
    stdin.on('error', () => settle(false));
  });
  return waiting;
}

/**
 * Set for a partial build's astro child: the content layer loads nothing
 * (src/lib/loader.ts) and the pages read their entries from the files of
 * NEWSFOLD_CONTENT when they render (src/lib/data.ts). The content layer's
 * store is bundled into the site's server code, so with it empty the bundling
 * does not wait for the content: a child started ahead of its content does all
 * of it while the ingest runs, and waits for the go-ahead only when the first
 * page renders. The entries are parsed as the loader parses them (the same
 * schemas, src/lib/loader-index.ts), and test/partial.test.ts checks the pages
 * come out byte-identical to a full build's.
 */
export const CONTENT_FROM_FILES_ENV = 'NEWSFOLD_CONTENT_FROM_FILES';
export const contentFromFiles = (env: NodeJS.ProcessEnv = process.env): boolean => env[CONTENT_FROM_FILES_ENV] === '1';
