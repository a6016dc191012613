/**
 * The compact site index: exactly the fields the listings show (home, days,
 * outlets, feeds, search index, related stories, an article's story link),
 * made from one compact entry per content file (`ArticleIndexEntry`,
 * `StoryIndexEntry`), which the build keeps between builds under each file's
 * stat (src/lib/store/site-entries.ts) and a plain `astro build` makes from
 * the files (`entriesOf`): the same function either way, so the same pages.
 * The page plan (plan.ts) is made from it; the build writes it to
 * `<content>/.newsfold/site-index.json` for the search index and search page.
 *
 * No `astro:*` imports: plain Node, usable from the build process too.
 */
import crypto from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { lineDigest } from '../content-digest';
import { articleSchema, storySchema, type ArticleMeta, type Story } from '../schema';
import { byText } from './links';
import { relatedChooser, type RelatedInput } from './related';

export interface IndexStory {
  id: string;
  headline: string;
  dek: string | null;
  /** Summary sentences' text, in order. */
  summary: string[];
  sources: string[];
  articles: string[];
  firstDate: string | null;
  lastDate: string | null;
  /** Entity names, in the story's order. */
  entities: string[];
  /** Related stories, strongest first (at most 3), as `relatedStories` in links.ts picks them, with the names they share. */
  related: IndexRelated[];
}

export interface IndexRelated {
  id: string;
  /** People, organisations and places both stories name. */
  shared: string[];
}

export interface IndexArticle {
  id: string;
  title: string;
  source: string;
  date: string | null;
  excerpt: string;
  story: string;
}

/** A story an editor merged away (overrides.yaml): its URL leads to the story it is part of now. */
export interface IndexRedirect {
  from: string;
  to: string;
}

export interface SiteIndex {
  /** Newest first (see byRecency). */
  stories: IndexStory[];
  /** In file-name order: the order a cold content layer lists them in. */
  articles: IndexArticle[];
  /** By `from`: the pages src/pages/stories/[...merged].astro renders, and the sitemap leaves out. */
  redirects: IndexRedirect[];
}

export interface ContentFile<T> {
  id: string;
  /** File name inside its collection folder. */
  file: string;
  /** The file's bytes as text. */
  text: string;
  data: T;
}

export interface ParsedContent {
  articles: Array<ContentFile<ArticleMeta> & { body: string }>;
  stories: Array<ContentFile<Story>>;
}

/** Front matter is data only: refuse gray-matter's executable engines, as the ingest and loader do. */
const refuseCode = (): never => {
  throw new Error('executable front matter is not allowed');
};
export const MATTER_OPTIONS = { engines: { js: refuseCode, javascript: refuseCode, coffee: refuseCode, coffeescript: refuseCode } };

export async function listFiles(dir: string, ext: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(ext) && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Reads files with bounded concurrency: fast on a warm page cache, gentle on file handles. */
export async function readAll(dir: string, names: string[], limit = 64): Promise<string[]> {
  const out = new Array<string>(names.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, names.length) }, async () => {
      while (next < names.length) {
        const i = next++;
        out[i] = await readFile(path.join(dir, names[i]), 'utf8');
      }
    }),
  );
  return out;
}

/** Parses an article file the way the content loader does: id from front matter, else the file name. */
export function parseArticle(file: string, text: string): ContentFile<ArticleMeta> & { body: string } {
  // gray-matter caches by input string; copy the data so callers never share it.
  const { data, content } = matter(text, MATTER_OPTIONS as never);
  const id = typeof data.id === 'string' ? data.id : file.slice(0, -3);
  return { id, file, text, data: articleSchema.parse({ ...data }), body: content };
}

export function parseStory(file: string, text: string): ContentFile<Story> {
  const data = JSON.parse(text) as Record<string, unknown>;
  const id = typeof data.id === 'string' ? data.id : file.slice(0, -5);
  return { id, file, text, data: storySchema.parse(data) };
}

/** Every article and story file of a content folder, parsed and validated. */
export async function readContent(contentDir: string): Promise<ParsedContent> {
  const aDir = path.join(contentDir, 'articles');
  const sDir = path.join(contentDir, 'stories');
  const [aNames, sNames] = await Promise.all([listFiles(aDir, '.md'), listFiles(sDir, '.json')]);
  const [aTexts, sTexts] = await Promise.all([readAll(aDir, aNames), readAll(sDir, sNames)]);
  return {
    articles: aNames.map((n, i) => parseArticle(n, aTexts[i])),
    stories: sNames.map((n, i) => parseStory(n, sTexts[i])),
  };
}

/**
 * `localeCompare(b, 'en')` as one collator: the same order (ECMA-402 defines localeCompare as a
 * collator made for its locale), without making one per call (20,000 stories sort with about
 * 100,000 same-day headline comparisons at 100,000 articles).
 */
const headlineOrder = new Intl.Collator('en').compare;

/** Newest first by last date, then by headline, then id: a stable order for every build. */
export function byRecency(
  a: { id: string; data: { lastDate: string | null; headline: string } },
  b: { id: string; data: { lastDate: string | null; headline: string } },
): number {
  return recency(a.id, a.data, b.id, b.data);
}

/** byRecency of two stories' ids and fields: no wrapper objects made per comparison (20,000 stories sort with 300,000). */
function recency(ia: string, a: { lastDate: string | null; headline: string }, ib: string, b: { lastDate: string | null; headline: string }): number {
  const da = a.lastDate ?? '';
  const db = b.lastDate ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return headlineOrder(a.headline, b.headline) || (ia < ib ? -1 : 1);
}

/**
 * What the site index and the page plan need of one content file, and no
 * more: compact, so the build keeps one per file between builds under the
 * file's stat (src/lib/store/site-entries.ts) and a drop-in re-reads only the
 * files the ingest rewrote. `hash` is the SHA-256 of the file's bytes (a
 * page that reads the file depends on it through that hash).
 */
export interface ArticleIndexEntry {
  id: string;
  file: string;
  hash: string;
  article: IndexArticle;
}

export interface StoryIndexEntry {
  id: string;
  file: string;
  hash: string;
  /** The story's index fields; `related` is chosen across all stories (relatedAll). */
  story: Omit<IndexStory, 'related'>;
  /** Clustering's near misses, strongest first (the first choice of related stories), with the names the digest found both name. */
  nearMisses: Array<{ id: string; shared: string[] }>;
  /** Articles the story page reads: its members and those its grouping reasons name. */
  reads: string[];
  /** Stories an editor merged into this one (overrides.yaml): their URLs lead here. */
  mergedFrom: string[];
  /** Stories the editor's notes on this page link (articles moved to or from them). */
  editLinks: string[];
}

/** Every article and story file's entry, in file-name order. */
export interface SiteEntries {
  articles: ArticleIndexEntry[];
  stories: StoryIndexEntry[];
  /**
   * True when every entry's id is known to be its file's name (the kept entries say so as they are
   * read: store/site-entries.ts); else unknown, and checked where it matters (build/pages.ts).
   */
  named?: boolean;
}

/**
 * SHA-256 of a text, hex. Node's one-shot `crypto.hash` (20.12+) is several times quicker than a
 * Hash object for the 100,000 small strings a large site hashes per build; the same digest either way.
 */
export const contentHash: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(alg: string, data: string): string }).hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * A hash of every content file's name and bytes, from the entries: the same value as the ingest's
 * `outputHash` for the folder it wrote (ingest-fs.ts), so builds that do not run the ingest
 * (`--no-ingest`, `--shard`, `--merge`) stamp dist/ as a normal build would.
 */
export function contentKey(entries: SiteEntries): string {
  const lines = [...entries.articles.map((a) => `articles/${a.file}\0${a.hash}`), ...entries.stories.map((s) => `stories/${s.file}\0${s.hash}`)];
  return lineDigest(lines);
}

export function articleEntry(file: string, hash: string, id: string, a: ArticleMeta): ArticleIndexEntry {
  return { id, file, hash, article: { id, title: a.title, source: a.source, date: a.date, excerpt: a.excerpt, story: a.story } };
}

export function storyEntry(file: string, hash: string, id: string, s: Story): StoryIndexEntry {
  return {
    id,
    file,
    hash,
    story: {
      id,
      headline: s.headline,
      dek: s.dek,
      summary: s.summary.map((x) => x.text),
      sources: s.sources,
      articles: s.articles,
      firstDate: s.firstDate,
      lastDate: s.lastDate,
      entities: s.entities.map((e) => e.name),
    },
    nearMisses: s.related.map((r) => ({ id: r.id, shared: r.shared })),
    reads: [...new Set([...s.articles, ...s.why.map((w) => w.article)])],
    mergedFrom: s.mergedFrom ?? [],
    editLinks: editLinksOf(s),
  };
}

/** The entries of parsed content files (a plain `astro build`, which reads them all). */
export function entriesOf(content: ParsedContent): SiteEntries {
  return {
    articles: content.articles.map((a) => articleEntry(a.file, contentHash(a.text), a.id, a.data)),
    stories: content.stories.map((s) => storyEntry(s.file, contentHash(s.text), s.id, s.data)),
  };
}

/**
 * Related stories for every story, the same choice as `relatedStories` in
 * links.ts (clustering's near misses that share a name, else at least two
 * shared entity chips, most first, then id), with the names they share, and
 * an inverted index instead of a scan per story.
 */
export function relatedAll(stories: RelatedInput[], limit = 3): Map<string, IndexRelated[]> {
  const { remake } = relatedChooser(stories, limit);
  const out = new Map<string, IndexRelated[]>();
  stories.forEach((story, self) => out.set(story.id, remake(self)));
  return out;
}

/** The site index of a content folder's entries. */
export function siteIndexOf(
  entries: SiteEntries,
  /** Chooses every story's related lists (default relatedAll); a drop-in updates the last build's (build/pages.ts). */
  chooseRelated: (stories: RelatedInput[]) => Map<string, IndexRelated[]> = relatedAll,
): SiteIndex {
  const sorted = byRecencyOf(entries);
  const related = chooseRelated(sorted.map(relatedInputOf));
  return {
    stories: sorted.map((s) => indexStory(s.story, related.get(s.id) ?? [])),
    articles: entries.articles.map((a) => a.article),
    redirects: redirectsOf(entries.stories.map((s) => ({ id: s.id, data: { mergedFrom: s.mergedFrom } }))),
  };
}

/**
 * The entries' stories in `recency` order. With every id its file's name (no two stories share an
 * id: `SiteEntries.named`), the order is total, so any sort gives it: the stories are put in buckets
 * by their last date (365 in a year) and only a bucket's stories are compared, by headline and id,
 * rather than 20,000 stories sorted with a comparator that checks their dates first (at 100,000
 * articles the same-day headline comparisons were most of the site index's sort, and the sort about
 * a tenth of the index's time). Else as `recency` sorts them.
 */
function byRecencyOf(entries: SiteEntries): StoryIndexEntry[] {
  if (!entries.named) return [...entries.stories].sort((a, b) => recency(a.id, a.story, b.id, b.story));
  const byDay = new Map<string, StoryIndexEntry[]>();
  for (const s of entries.stories) {
    const day = s.story.lastDate ?? '';
    const list = byDay.get(day);
    if (list) list.push(s);
    else byDay.set(day, [s]);
  }
  // Newest day first; no date ('') last, as recency puts it.
  const days = [...byDay.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const out: StoryIndexEntry[] = [];
  for (const day of days) {
    const list = byDay.get(day)!;
    if (list.length > 1) list.sort((a, b) => headlineOrder(a.story.headline, b.story.headline) || (a.id < b.id ? -1 : 1));
    for (const s of list) out.push(s);
  }
  return out;
}

/** Where a kept story (store/site-entry-tails.ts) holds its first summary sentence: see storyLead. */
export const FIRST_SENTENCE: unique symbol = Symbol('first summary sentence');

/**
 * A story's first summary sentence (a card's lead, a search record's), without making its whole
 * summary: a kept story holds it, and reads the rest of its summary on first use.
 */
export function storyLead(s: Pick<IndexStory, 'summary'>): string | null {
  const first = (s as { [FIRST_SENTENCE]?: string | null })[FIRST_SENTENCE];
  return first !== undefined ? first : (s.summary[0] ?? null);
}

/**
 * A story's index fields with its related lists. A plain object (an entry made from its file) is
 * copied, with them. A kept story (store/site-entry-tails.ts: its summary past its first sentence
 * read on first use, through a getter a spread would not copy) is given them itself: it declares the
 * field, and an index made again from the same entries sets it again (20,000 copies of 13 fields
 * each were made per drop-in at 100,000 articles, and their garbage).
 */
function indexStory(story: Omit<IndexStory, 'related'>, related: IndexRelated[]): IndexStory {
  const proto = Object.getPrototypeOf(story) as object | null;
  if (proto === Object.prototype) return { ...story, related };
  (story as IndexStory).related = related;
  return story as IndexStory;
}

/** What a story's related lists are chosen from (related.ts). */
export const relatedInputOf = (s: StoryIndexEntry): RelatedInput => ({ id: s.id, nearMisses: s.nearMisses, entities: s.story.entities });

/** The site index of parsed content files. */
export function buildSiteIndex(content: ParsedContent): SiteIndex {
  return siteIndexOf(entriesOf(content));
}

/** The stories an editor's notes on a story link (overrides.yaml): where its articles moved to, and from. */
function editLinksOf(s: Story): string[] {
  const ids = new Set<string>();
  for (const e of s.edits ?? []) {
    if (e.kind === 'moved-out') for (const id of e.to) ids.add(id);
    if (e.kind === 'moved-in' && e.from) ids.add(e.from);
  }
  return [...ids].sort(byText);
}

/** Every merged-away story id and the story it leads to, by id; a live story's id never redirects. */
export function redirectsOf(stories: Array<{ id: string; data: Pick<Story, 'mergedFrom'> }>): IndexRedirect[] {
  const live = new Set(stories.map((s) => s.id));
  const out: IndexRedirect[] = [];
  for (const s of stories) for (const from of s.data.mergedFrom ?? []) if (!live.has(from)) out.push({ from, to: s.id });
  return out.sort((a, b) => byText(a.from, b.from));
}

/** The site index as written to disk: deterministic JSON. */
export const serializeSiteIndex = (index: SiteIndex): string => `${JSON.stringify(index)}\n`;

/** Article bodies by id, as the content loader stores them (the Markdown after the front matter). */
export async function readBodies(contentDir: string): Promise<Map<string, string>> {
  const dir = path.join(contentDir, 'articles');
  const names = await listFiles(dir, '.md');
  const texts = await readAll(dir, names);
  const out = new Map<string, string>();
  names.forEach((n, i) => {
    const quick = splitFrontMatter(texts[i]);
    if (quick) return out.set(quick.id, quick.body);
    const { data, content } = matter(texts[i], MATTER_OPTIONS as never);
    out.set(typeof data.id === 'string' ? data.id : n.slice(0, -3), content);
  });
  return out;
}

/** The Markdown body of an article file (what follows its front matter). */
export function articleBody(text: string): string {
  return splitFrontMatter(text)?.body ?? matter(text, MATTER_OPTIONS as never).content;
}

/**
 * The id and body of a file as the ingest writes it (a `---` block whose
 * `id:` is a plain slug, then the body) without a YAML parser: the search
 * index reads 10,000 bodies per build, and gray-matter was most of that.
 * Anything else (hand-written files, quoted ids) returns null, for gray-matter.
 * Gives exactly gray-matter's `content` for the ingest's files.
 */
function splitFrontMatter(text: string): { id: string; body: string } | null {
  const block = /^---\n([\s\S]*?)\n---\n/.exec(text);
  // The ingest writes `id` first: only the block's first line is trusted to be it.
  const id = block && /^id: ([a-z0-9][a-z0-9_-]*)(?:\n|$)/.exec(block[1]);
  return block && id ? { id: id[1], body: text.slice(block[0].length) } : null;
}
