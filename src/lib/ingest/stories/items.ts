/**
 * What the windowed grouping reads of one article, and where in time it sits:
 * its own date (a day number), or for an undated article the folder it was
 * dropped in (content/raw/2025-07/ or 2025-07-20/), never a file's mtime.
 */
import type { Article } from '../types.ts';
import type { ClusterDoc } from './cluster-docs.ts';

export const DAY_MS = 86_400_000;

export interface StoryItem {
  id: string;
  raw: string;
  part: number;
  title: string;
  source: string;
  /** Days since 1970-01-01 of the article's own date, or null when it states none. */
  day: number | null;
  /** Terms, entities and copy sketch (cluster.ts clusterDocs). */
  doc: ClusterDoc;
}

export function dayOf(date: string | null): number | null {
  if (!date) return null;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.floor(ms / DAY_MS) : null;
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** State is kept per calendar month of the article's day: 'YYYY-MM'. */
export function monthOf(day: number): string {
  return dayString(day).slice(0, 7);
}

export function itemOf(article: Article, doc: ClusterDoc): StoryItem {
  return { id: article.id, raw: article.raw, part: article.part, title: article.title, source: article.source, day: dayOf(article.date), doc };
}

/**
 * The days an undated article's folder names: the deepest folder of its path
 * that is a day (2025-07-20) or a month (2025-07). `key` names its bucket in
 * the state: 'u:2025-07'; 'u:' when no folder names a date (then every story
 * is a candidate: fine for a small flat drop, costly in a big archive).
 */
export interface Bucket {
  key: string;
  /** First and last day the folder names; null for 'u:'. */
  from: number | null;
  to: number | null;
}

export function bucketOf(raw: string): Bucket {
  const folders = raw.split('/').slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const m = folders[i].match(/^(\d{4})-(\d{2})(?:-(\d{2}))?$/);
    if (!m) continue;
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) continue;
    if (m[3]) {
      const day = dayOf(`${m[1]}-${m[2]}-${m[3]}`);
      if (day === null || dayString(day) !== `${m[1]}-${m[2]}-${m[3]}`) continue;
      return { key: `u:${m[1]}-${m[2]}-${m[3]}`, from: day, to: day };
    }
    const from = Math.floor(Date.UTC(y, mo - 1, 1) / DAY_MS);
    const to = Math.floor(Date.UTC(y, mo, 0) / DAY_MS);
    return { key: `u:${m[1]}-${m[2]}`, from, to };
  }
  return { key: 'u:', from: null, to: null };
}

/**
 * Articles in date order (their date strings), undated last, ties by raw path
 * and part: the order a story lists its articles in (digest/digest.ts).
 */
export function chronologicalArticles(a: Article, b: Article): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? -1 : 1;
  }
  return a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part;
}

/** Date order, then raw path, then part: the order dated articles are placed in. */
export function chronological(a: { day: number | null; raw: string; part: number }, b: { day: number | null; raw: string; part: number }): number {
  if (a.day !== b.day) {
    if (a.day === null) return 1;
    if (b.day === null) return -1;
    return a.day - b.day;
  }
  return a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part;
}
