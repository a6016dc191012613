/**
 * People, places and organisations of a story, for the chips on its page.
 *
 * Candidates come from the fast capitalised-phrase extractor (entities.ts);
 * their type comes from compromise's lexicon (first names, countries, cities,
 * known organisations), looked up word by word, plus honorifics, speaker names
 * and organisation suffixes. Running compromise's tagger on the text would
 * be more thorough but measured 45 ms per 1,000 characters here (~3 ms even
 * per isolated name): too slow for a stage that runs on every story. A lookup
 * in its lexicon costs nothing. A candidate no rule types is left out: a chip
 * is never a guess.
 */
import { extractEntities } from '../stories/entities.ts';
import { lexiconTags } from './lexicon.ts';
import { foldForCompare } from '../../text.ts';

export type EntityKind = 'person' | 'place' | 'organization';
export interface StoryEntity {
  name: string;
  kind: EntityKind;
  /** Number of the story's cards that mention it. */
  count: number;
}

// The table is handed in by the caller (lexicon.ts): the build reads compromise's from a cache.
const lex = lexiconTags;

const PERSON_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific']);
const PLACE_TAGS = new Set(['Country', 'City', 'Region', 'Place', 'Address']);
const ORG_TAGS = new Set(['Organization', 'Company', 'SportsTeam', 'School']);
const ORG_SUFFIX = /\b(?:Council|Court|Party|Senate|House|Congress|Parliament|Ministry|Department|Agency|University|College|Committee|Commission|Bank|Inc|Corp|Company|Group|News|Times|Post|Journal|Office|Administration|Army|Navy|Police|Union|Association|Foundation|Institute|Board|Fund|Service|Bureau|Federation|Organization|Organisation|Network|Press|Reuters|Kremlin|Pentagon|Cabinet|Assembly|Force|Forces|Guard|Court|Church|Club|Airlines|Motors)$/;
const PLACE_SUFFIX = /\b(?:County|Province|State|Street|River|Island|Islands|Mountains|Valley|Bay|Sea|Ocean|Strait|Gulf|Region|District|City|Square)$/;
const HONORIFIC = /(?:Mr|Mrs|Ms|Dr|President|Sen|Senator|Rep|Representative|Gov|Governor|Secretary|Minister|Judge|Justice|spokesman|spokeswoman|spokesperson|Chancellor|Mayor)\.?\s+$/;
const ACRONYM = /^\p{Lu}{2,6}$/u;

export function kindOf(name: string, contexts: string[], speakers: Set<string>): EntityKind | null {
  const words = name.split(/\s+/);
  const full = lex(name);
  if (full.some((t) => PLACE_TAGS.has(t))) return 'place';
  if (full.some((t) => ORG_TAGS.has(t))) return 'organization';
  if (full.some((t) => PERSON_TAGS.has(t))) return 'person';
  if (speakers.has(name)) return 'person';
  if (ORG_SUFFIX.test(name)) return 'organization';
  if (PLACE_SUFFIX.test(name) && words.length > 1) return 'place';
  if (words.length >= 2 && words.length <= 4 && lex(words[0]).some((t) => PERSON_TAGS.has(t) && t !== 'Honorific')) return 'person';
  if (words.length === 1 && ACRONYM.test(name)) return 'organization';
  // "Mr. Sestak", "President Zelenskyy": an honorific right before the name.
  for (const c of contexts) {
    const at = c.indexOf(name);
    if (at > 0 && HONORIFIC.test(c.slice(Math.max(0, at - 24), at))) return 'person';
  }
  if (words.length === 1 && lex(name).some((t) => PLACE_TAGS.has(t))) return 'place';
  return null;
}

/**
 * Entities of a story. `texts[i]` is card i's title and body; `speakers` are
 * the quote speakers already found. Sorted by cards mentioning, then name.
 */
export function storyEntities(texts: string[], speakers: string[], limit = 12): StoryEntity[] {
  const speakerSet = new Set(speakers);
  const folded = texts.map((t) => ` ${foldForCompare(t)} `);
  const candidates = new Map<string, string>();
  for (const t of texts) for (const e of extractEntities(t)) if (!candidates.has(e.key)) candidates.set(e.key, e.name);
  for (const s of speakers) if (!candidates.has(foldForCompare(s))) candidates.set(foldForCompare(s), s);

  const typed: StoryEntity[] = [];
  for (const [key, name] of candidates) {
    if (name.length < 3) continue;
    const kind = kindOf(name, texts, speakerSet);
    if (!kind) continue;
    const count = folded.filter((f) => f.includes(` ${key} `)).length;
    if (count === 0) continue;
    typed.push({ name, kind, count });
  }
  // "Sestak" and "Mr. Sestak" are "Joe Sestak": fold a one-word person into the full name it ends.
  const people = typed.filter((e) => e.kind === 'person' && e.name.includes(' '));
  const merged = typed.filter((e) => {
    if (e.kind !== 'person' || e.name.includes(' ')) return true;
    const fulls = people.filter((p) => p.name.split(/\s+/).at(-1) === e.name);
    // Two people share the surname ("Bill Clinton", "Hillary Rodham Clinton"): keep it apart rather than guess.
    if (fulls.length !== 1) return true;
    fulls[0].count = Math.max(fulls[0].count, e.count);
    return false;
  });
  const minCount = texts.length > 1 ? 2 : 1;
  const strong = merged.filter((e) => e.count >= minCount);
  const pool = strong.length >= 3 ? strong : merged;
  return pool
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}
