/**
 * Story state: which articles each story had on the last build, so that story
 * ids (and URLs) survive rebuilds. Pure: the build reads the file and commits
 * it with the collections (src/lib/build/ingest-fs.ts); its place and purpose
 * are in src/lib/store/layout.ts (`storyState`).
 *
 * Rules the cluster stage applies with it:
 *  - an article listed in the state keeps its story;
 *  - a new article is matched against the existing stories first (and founds a
 *    new story only when none is close enough);
 *  - a story whose articles were partly deleted keeps its id while any remain.
 */

export const STATE_VERSION = 1;

export interface StoryStateEntry {
  id: string;
  /** Article that founded the story (its id is hashed into the story id). */
  founder: string;
  articles: string[];
}

export interface StoryState {
  version: number;
  stories: StoryStateEntry[];
}

/** Deterministic state from clustering output: stories and members sorted, no timestamps. */
export function makeState(stories: Array<{ id: string; founder: string; articles: string[] }>): StoryState {
  return {
    version: STATE_VERSION,
    stories: stories
      .map((s) => ({ id: s.id, founder: s.founder, articles: [...s.articles].sort() }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

export function serializeState(state: StoryState): string {
  return `${JSON.stringify(makeState(state.stories), null, 1)}\n`;
}

/**
 * Parses a state file; anything malformed gives null (the caller reclusters and
 * says so) rather than a half-trusted state.
 */
export function parseState(text: string): StoryState | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const { version, stories } = data as { version?: unknown; stories?: unknown };
  if (version !== STATE_VERSION || !Array.isArray(stories)) return null;
  const seen = new Set<string>();
  const out: StoryStateEntry[] = [];
  for (const s of stories) {
    if (!s || typeof s !== 'object') return null;
    const { id, founder, articles } = s as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(id) || typeof founder !== 'string') return null;
    if (!Array.isArray(articles) || !articles.every((a) => typeof a === 'string')) return null;
    if (seen.has(id)) return null;
    seen.add(id);
    out.push({ id, founder, articles: articles as string[] });
  }
  return { version: STATE_VERSION, stories: out };
}
