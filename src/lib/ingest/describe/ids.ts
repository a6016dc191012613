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
