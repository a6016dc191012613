// @ts-check
/**
 * Preloaded (`node --import`) into a partial build's astro child started ahead
 * of its content (src/lib/build/index.ts): reads the child's stdin from its first
 * moment. A `go` line opens the gate the pages wait at (build-gate.ts,
 * `waitForGo`); the end of stdin before it (the build called the child off, or
 * died, however it died) ends the child at once, whatever it is doing, rather
 * than when it next reaches the gate. Plain JavaScript: it runs before any
 * TypeScript loader.
 */

/** Set (to `stdin`) in the environment of a child started ahead of its content. */
export const WAIT_FOR_GO_ENV = 'NEWSFOLD_WAIT_FOR_GO';
/** The line that lets the pages read their content. */
export const GO_LINE = 'go';
/** The child's exit code when it was called off (or its parent is gone) before the go line. */
export const CALLED_OFF_EXIT_CODE = 3;
/** Where the gate's promise is kept for build-gate.ts (a global: the pages' code is bundled apart from this file). */
export const GATE_KEY = Symbol.for('newsfold.build-gate');

/**
 * Starts reading stdin; returns the promise of the go line (one reader and one
 * promise per process, however often it is asked for).
 * @returns {Promise<void>}
 */
export function installGate() {
  const slot = /** @type {Record<symbol, Promise<void> | undefined>} */ (/** @type {unknown} */ (globalThis));
  const existing = slot[GATE_KEY];
  if (existing) return existing;
  /** @type {Promise<void>} */
  const gate = new Promise((resolve) => {
    const stdin = process.stdin;
    let text = '';
    /** @param {boolean} go */
    const settle = (go) => {
      stdin.removeAllListeners('data');
      stdin.removeAllListeners('end');
      // The process must be free to exit once its work is done.
      stdin.destroy();
      if (go) return resolve();
      process.stderr.write('newsfold: astro build called off before reading its content (no go line on stdin)\n');
      process.exit(CALLED_OFF_EXIT_CODE);
    };
    stdin.setEncoding('utf8');
    stdin.on('data', (/** @type {string} */ chunk) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) settle(text.slice(0, end).trim() === GO_LINE);
    });
    stdin.on('end', () => settle(false));
    stdin.on('error', () => settle(false));
  });
  slot[GATE_KEY] = gate;
  return gate;
}

// Preloaded with `node --import`: start at once.
if (process.env[WAIT_FOR_GO_ENV] === 'stdin') installGate();
