/**
 * Related stories a reader can trust: clustering's near misses (stories that
 * came close to taking one of this story's articles), each with the named
 * people, organisations and places it shares with this story. The site shows
 * a near miss only when it shares at least one (site.ts `relatedStories` also
 * counts entity chips both stories have, which read whole bodies, not only
 * titles and leads), and says which. Sharing common words is not enough: a story about peace talks in
 * Istanbul and one about the Mueller report may score alike on "talks",
 * "report", "officials", but share no one.
 *
 * The names come from clustering (the entity phrases an article shared with
 * the other story); here they are typed with the chips' rules
 * (digest-entities.ts `kindOf`), so a phrase no rule calls a person, place or
 * organisation ("Covid", "Democrats") does not count, nor does an outlet that
 * reported the story ("Reuters" in a dateline).
 */
import { kindOf } from './digest-entities.ts';
import { foldForCompare } from '../../text.ts';

export interface RelatedInput {
  id: string;
  score: number;
  shared?: string[];
}

export interface RelatedStory {
  id: string;
  score: number;
  /** People, organisations and places both stories' titles and leads name, as written (may be empty). */
  shared: string[];
}

/**
 * `texts`: this story's cards' titles and bodies (the contexts `kindOf` reads);
 * `speakers`: its quote speakers; `sources`: its outlets. The `limit` strongest.
 */
export function relatedByName(related: RelatedInput[], texts: string[], speakers: string[], sources: string[], limit: number): RelatedStory[] {
  const speakerSet = new Set(speakers);
  const outlets = new Set(sources.flatMap((s) => [s, s.replace(/\s*\([^)]*\)\s*$/, '')]).map(foldForCompare));
  const out: RelatedStory[] = [];
  for (const r of related.slice(0, limit)) {
    const seen = new Set<string>();
    const shared: string[] = [];
    for (const raw of r.shared ?? []) {
      // "Anthony Fauci’s" is "Anthony Fauci".
      const name = raw.replace(/['’]s$/, '');
      const key = foldForCompare(name);
      if (name.length < 3 || seen.has(key) || outlets.has(key)) continue;
      seen.add(key);
      if (kindOf(name, texts, speakerSet)) shared.push(name);
    }
    out.push({ id: r.id, score: r.score, shared });
  }
  return out;
}
