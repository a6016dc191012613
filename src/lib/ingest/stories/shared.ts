/**
 * The names a near miss shares: when an article is placed, every candidate
 * story it scored close to (but did not join) is kept as a near miss with
 * the entity names the article shares with that story's articles in view
 * (the people, places and organisations both tell of, as this article writes
 * them). The digest keeps a near miss as a related story only when one of
 * those names is a person, organisation or place (digest/related.ts).
 *
 * Kept on the article's own record, not worked out later from both whole
 * stories: a story's related list then depends only on its own articles'
 * records, so a drop-in that changes another story never has to revisit the
 * stories that once named it.
 */
import type { Member, View } from './score.ts';

/** A near miss as a record keeps it: [story id, rounded score, shared names as written]. */
export type NearMiss = [story: string, score: number, shared: string[]];

/** The names of `m`'s entities that the story in `view` has too, in `m`'s order (rarest first). */
export function sharedNames(m: Member, view: View): string[] {
  const out: string[] = [];
  const ids = m.e.ids;
  for (let k = 0; k < ids.length; k++) if (view.ents.has(ids[k])) out.push(m.rec.names[k]);
  return out;
}
