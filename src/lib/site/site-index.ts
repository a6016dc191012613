/**
 * The compact site index: exactly the fields the aggregate pages show (home,
 * outlets, search page, RSS, search index, related stories, an article's story
 * link), read from the content folder the ingest wrote.
 *
 * Aggregate pages read this instead of `getCollection` over everything, so a
 * partial build (src/lib/build/index.ts), whose content layer holds only the
 * entries of the pages it rebuilds, renders them exactly as a full build does.
 * src/lib/build/index.ts writes it to `<content>/.newsfold/site-index.json`; an
 * `astro build` run without it (tests, by hand) computes the same object here.
 *
 * No `astro:*` imports: plain Node, usable from the build script too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { articleSchema, storySchema, type ArticleMeta, type Story } from '../schema';
import { byText, sharedNames } from './links';
import { stateRel } from '../store/layout';

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
  /** Related stories, strongest first (at most 3), as `relatedStories` in site.ts picks them, with the names they share. */
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

/** Where the build writes the site index, relative to the content folder (store/layout.ts). */
export const SITE_INDEX_REL = stateRel('siteIndex');

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

/** Newest first by last date, then by headline, then id: a stable order for every build. */
export function byRecency(
  a: { id: string; data: { lastDate: string | null; headline: string } },
  b: { id: string; data: { lastDate: string | null; headline: string } },
): number {
  const da = a.data.lastDate ?? '';
  const db = b.data.lastDate ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return a.data.headline.localeCompare(b.data.headline, 'en') || (a.id < b.id ? -1 : 1);
}

/**
 * Related stories for every story, the same choice as `relatedStories` in
 * site.ts (clustering's near misses that share a name, else at least two
 * shared entity chips, most first, then id), with the names they share, with
 * an inverted index instead of a scan per story.
 */
export function relatedAll(stories: Array<{ id: string; data: Pick<Story, 'related' | 'entities'> }>, limit = 3): Map<string, IndexRelated[]> {
  const ids = new Set(stories.map((s) => s.id));
  const indexOf = new Map(stories.map((s, i) => [s.id, i]));
  // entity name -> index of the story, once per entity entry (a repeated name counts twice, as in site.ts).
  const byName = new Map<string, number[]>();
  stories.forEach((s, i) => {
    for (const e of s.data.entities) {
      const list = byName.get(e.name);
      if (list) list.push(i);
      else byName.set(e.name, [i]);
    }
  });
  const out = new Map<string, IndexRelated[]>();
  stories.forEach((story, self) => {
    const mine = new Set(story.data.entities.map((e) => e.name));
    const fromCluster = story.data.related
      .filter((r) => ids.has(r.id) && r.id !== story.id)
      .map((r) => ({ id: r.id, shared: sharedNames(r.shared, stories[indexOf.get(r.id)!].data.entities, mine) }))
      .filter((r) => r.shared.length > 0);
    if (fromCluster.length) return out.set(story.id, fromCluster.slice(0, limit));
    const shared = new Map<number, number>();
    for (const name of mine) for (const i of byName.get(name) ?? []) if (i !== self) shared.set(i, (shared.get(i) ?? 0) + 1);
    const picked = [...shared]
      .filter(([i, n]) => n >= 2 && stories[i].id !== story.id)
      .map(([i, n]) => ({ i, n }))
      .sort((a, b) => b.n - a.n || byText(stories[a.i].id, stories[b.i].id))
      .slice(0, limit)
      .map(({ i }) => ({ id: stories[i].id, shared: sharedNames([], stories[i].data.entities, mine) }));
    out.set(story.id, picked);
  });
  return out;
}

export function buildSiteIndex(content: ParsedContent): SiteIndex {
  const sorted = [...content.stories].sort(byRecency);
  const related = relatedAll(sorted);
  return {
    stories: sorted.map(({ id, data: s }) => ({
      id,
      headline: s.headline,
      dek: s.dek,
      summary: s.summary.map((x) => x.text),
      sources: s.sources,
      articles: s.articles,
      firstDate: s.firstDate,
      lastDate: s.lastDate,
      entities: s.entities.map((e) => e.name),
      related: related.get(id) ?? [],
    })),
    articles: content.articles.map(({ id, data: a }) => ({
      id,
      title: a.title,
      source: a.source,
      date: a.date,
      excerpt: a.excerpt,
      story: a.story,
    })),
    redirects: redirectsOf(content.stories),
  };
}

/**
 * The redirects of the site being built, synchronously (for the sitemap's
 * filter, astro.config.mjs): from the site index the build wrote
 * (NEWSFOLD_SITE_CONTENT), else from the story files of NEWSFOLD_CONTENT (a
 * bare `astro build`), reading only those that name a merged story.
 */
export function readRedirectsSync(env: Record<string, string | undefined> = process.env): IndexRedirect[] {
  if (env.NEWSFOLD_SITE_CONTENT) {
    const index = JSON.parse(readFileSync(path.join(env.NEWSFOLD_SITE_CONTENT, SITE_INDEX_REL), 'utf8')) as Partial<SiteIndex>;
    return index.redirects ?? [];
  }
  const dir = path.join(path.resolve(env.NEWSFOLD_CONTENT || './content'), 'stories');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch {
    return [];
  }
  const stories = names.map((n) => {
    const text = readFileSync(path.join(dir, n), 'utf8');
    const data = text.includes('"mergedFrom"') ? (JSON.parse(text) as { id?: string; mergedFrom?: string[] }) : {};
    return { id: typeof data.id === 'string' ? data.id : n.slice(0, -5), data: { mergedFrom: data.mergedFrom } };
  });
  return redirectsOf(stories);
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
