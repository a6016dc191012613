/**
 * A delta over a whole keyed file: what a state file written as "the whole
 * file, named by a generation, plus the keys changed since" (dist/'s page
 * manifest, build/partial.ts; the related lists, site-related.ts) holds after
 * one more change. A reader applies `gone` first, then `set`: a key removed
 * once and there again is in both.
 */

/** The delta's entries (`set`, `gone`) after one more change: `changed` now as `now` gives them, `removed` gone. */
export function foldDelta<T>(
  set: Iterable<readonly [string, T]> | undefined,
  gone: Iterable<string> | undefined,
  changed: Iterable<string>,
  removed: Iterable<string>,
  now: (key: string) => T,
): { set: Map<string, T>; gone: string[] } {
  const setNow = new Map<string, T>(set ?? []);
  const goneNow = new Set(gone);
  for (const key of removed) {
    setNow.delete(key);
    goneNow.add(key);
  }
  for (const key of changed) setNow.set(key, now(key));
  return { set: setNow, gone: [...goneNow].sort() };
}
