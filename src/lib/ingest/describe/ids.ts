/**
 * Ids are derived from content, never from run order, so the same drop folder
 * always gives the same ids and URLs.
 */
import { shortHash, slugify } from '../../text.ts';

/**
 * An article's id is its path in the drop folder (folders joined by `-`), which
 * stays stable as other files come and go. When the slug had to change the name
 * (case, spaces, non-ASCII letters), a hash of the exact path keeps two files
 * that fold to the same slug apart.
 */
export function articleId(raw: string, part = 0): string {
  const stem = raw.replace(/\.[^./]+$/, '');
  let slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 80);
  // Folder separators and case changes are lossy too: `a/b` and `a-b` must not meet.
  const lossless = slug === stem && slug === slug.toLowerCase();
  slug = slug.toLowerCase() || 'article';
  if (!lossless) slug = `${slug}-${shortHash(raw, 6)}`;
  return part > 0 ? `${slug}-${part}` : slug;
}

/** A story's id: readable words of its headline plus a hash of the article that founded it. */
export function storyId(headline: string, founder: string): string {
  const words = slugify(headline, 48) || 'story';
  return `${words}-${shortHash(founder, 6)}`;
}

/**
 * The shard of a raw file: its top-level folder in the drop folder ('' for a
 * file at the top). A newsroom files a month to a folder (`2025-07/`), so a
 * shard is a month of the archive: the build keeps its per-file state by
 * shard and a drop-in reads only the shards it changed; an outlet's repeated
 * lines (clean/repeated-lines.ts) and article id clashes are settled within
 * a shard. Ids of files in a folder carry a hash of their whole path
 * (`articleId`), so two shards never give the same id.
 */
export function shardOf(raw: string): string {
  const slash = raw.indexOf('/');
  return slash < 0 ? '' : raw.slice(0, slash);
}

/** An article's place in its shard, before its id is settled. */
export interface IdClaim {
  raw: string;
  part: number;
  /** The id `articleId` gave it. */
  id: string;
}

/**
 * Settles clashing ids within one shard, files in path order: the first
 * claim keeps its id, a later one is told apart by a hash of its exact path
 * and part (`story.md` beside `story.json`), and one whose distinct id is
 * taken too is refused. Returns, per claim in order, its id or null.
 */
export function settleIds(claims: readonly IdClaim[]): Array<string | null> {
  const order = claims.map((_, i) => i).sort((a, b) => (claims[a].raw < claims[b].raw ? -1 : claims[a].raw > claims[b].raw ? 1 : claims[a].part - claims[b].part));
  const taken = new Set<string>();
  const out: Array<string | null> = new Array(claims.length).fill(null);
  for (const i of order) {
    const c = claims[i];
    let id = c.id;
    if (taken.has(id)) {
      id = `${c.id}-${shortHash(`${c.raw}#${c.part}`, 6)}`;
      if (taken.has(id)) continue;
    }
    taken.add(id);
    out[i] = id;
  }
  return out;
}
