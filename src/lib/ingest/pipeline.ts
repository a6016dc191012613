/**
 * The ingest driver: runs the pure stages in order over files already read.
 *   decode -> parse -> clean -> dedupe -> metadata -> (per shard) ids, repeated lines
 *   -> group (stories/) -> digest
 * No I/O here (the build's edges are src/lib/build/ingest-fs.ts); a bad file becomes a rejection with its
 * reason and never stops the others.
 */
import { decode, type DecodeOptions } from './read/decode.ts';
import { formatOf, parse } from './read/parse.ts';
import { clean, type CleanOptions } from './clean/clean.ts';
import { dedupe, type DedupeOptions } from './clean/dedupe.ts';
import { describe, type MetadataOptions } from './describe/metadata.ts';
import { clusterDocs, type ClusterDocOf } from './stories/cluster-docs.ts';
import { groupCold, resultOf } from './stories/group.ts';
import { itemOf } from './stories/items.ts';
import type { StoryOptions } from './stories/options.ts';
import { settleIds, shardOf } from './describe/ids.ts';
import { digest, type DigestOptions, type StoryContext } from './digest/digest.ts';
import { dropRepeatedLines, type RepeatedLinesOptions } from './clean/repeated-lines.ts';
import type { Article, Assignment, RawFile, Rejection, Warning } from './types.ts';
import type { Story } from '../schema.ts';


export interface IngestOptions {
  decode: Partial<DecodeOptions>;
  clean: Partial<CleanOptions>;
  dedupe: Partial<DedupeOptions>;
  metadata: Partial<MetadataOptions>;
  /** Repeated lines (clean/repeated-lines.ts): how often a line must recur in an outlet's articles of a shard. */
  repeatedLines: Partial<RepeatedLinesOptions>;
  /** Grouping (stories/options.ts). */
  stories: Partial<StoryOptions>;
  digest: Partial<DigestOptions>;
  /** An article needs at least this many words of body to be kept. */
  minArticleWords: number;
}

export const defaultIngestOptions: IngestOptions = {
  decode: {},
  clean: {},
  dedupe: {},
  metadata: {},
  repeatedLines: {},
  stories: {},
  digest: {},
  minArticleWords: 15,
};

export interface IngestedArticle extends Article {
  story: string;
  copyOf: string | null;
}

export interface IngestResult {
  articles: IngestedArticle[];
  stories: Story[];
  rejected: Rejection[];
  warnings: Warning[];
}

/** Turns one file into articles, or a rejection. Never throws. */
export function articlesFromFile(file: RawFile, options: IngestOptions = defaultIngestOptions): { articles: Article[]; rejected: Rejection[]; warnings: Warning[] } {
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  const articles: Article[] = [];
  const format = formatOf(file.raw);
  if (!format) return { articles, rejected: [{ raw: file.raw, reason: 'unsupported file type (expected .txt, .md, .html or .json)' }], warnings };
  try {
    const decoded = decode(file.bytes, options.decode);
    if (!decoded.ok) return { articles, rejected: [{ raw: file.raw, reason: decoded.reason }], warnings };
    for (const message of decoded.warnings) warnings.push({ raw: file.raw, message });
    const parsed = parse(file.raw, format, decoded.text);
    if (!parsed.ok) return { articles, rejected: [{ raw: file.raw, reason: parsed.reason }], warnings };
    for (const doc of parsed.docs) {
      for (const message of doc.warnings) warnings.push({ raw: file.raw, message });
      const cleaned = dedupe(clean(doc, options.clean), options.dedupe);
      for (const message of cleaned.notes) warnings.push({ raw: file.raw, message });
      const article = describe(cleaned, options.metadata);
      const where = parsed.docs.length > 1 ? `item ${doc.part}: ` : '';
      if (article.words < options.minArticleWords) {
        const kinds = [...new Set(cleaned.removed.map((r) => r.kind))];
        rejected.push({
          raw: file.raw,
          reason: `${where}no article text left after cleaning (${article.words} words kept${kinds.length ? `; removed ${cleaned.removed.length} block(s): ${kinds.join(', ')}` : ''})`,
        });
        continue;
      }
      articles.push(article);
    }
  } catch (err) {
    // A stage bug must not take the build down with it: report it against the file.
    rejected.push({ raw: file.raw, reason: `internal error while processing: ${(err as Error).message}` });
  }
  return { articles, rejected, warnings };
}

export type FileStage = (file: RawFile, options: IngestOptions) => ReturnType<typeof articlesFromFile>;

/** One story's digest; `digest` itself, or a cache in front of it (src/lib/store/digest-cache.ts). */
export type StoryStage = (story: StoryContext, members: Article[], assignments: Map<string, Assignment>, options: Partial<DigestOptions>) => Story;

/** The plain digest, for callers that put a cache in front of it (src/lib/build/ingest-fs.ts). */
export const digestStory: StoryStage = digest;

/**
 * The ingest in memory, for a drop folder that fits in it (tests, evals, the
 * bundled sample): every stage over every file, in order. The build
 * (src/lib/build/ingest-fs.ts) runs the same stages shard by shard and keeps
 * their state between runs, and gives the same result.
 *
 * `perFile` lets a caller answer for unchanged files from a cache, and
 * `docOf` for what grouping reads of unchanged articles: each must depend
 * only on its file (article) and the options. `perStory` likewise for
 * digests.
 */
export function ingest(
  files: RawFile[],
  options: Partial<IngestOptions> = {},
  perFile: FileStage = articlesFromFile,
  perStory: StoryStage = digest,
  docOf?: ClusterDocOf,
): IngestResult {
  const opts: IngestOptions = { ...defaultIngestOptions, ...options };
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  const byShard = new Map<string, Article[]>();
  for (const file of [...files].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))) {
    const result = perFile(file, opts);
    rejected.push(...result.rejected);
    warnings.push(...result.warnings);
    const shard = shardOf(file.raw);
    const list = byShard.get(shard);
    if (list) list.push(...result.articles);
    else byShard.set(shard, [...result.articles]);
  }
  const articles: Article[] = [];
  for (const shard of [...byShard.keys()].sort()) {
    const settled = settleShard(byShard.get(shard)!);
    rejected.push(...settled.rejected);
    warnings.push(...settled.warnings);
    // Lines an outlet repeats across its articles of the shard are its boilerplate (repeated-lines.ts).
    articles.push(...dropRepeatedLines(settled.articles, opts.repeatedLines));
  }
  articles.sort(pathOrder);
  rejected.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
  return group(articles, rejected, warnings, opts, perStory, docOf);
}

/** Raw path, then part: the order of the drop folder. */
export function pathOrder(a: { raw: string; part: number }, b: { raw: string; part: number }): number {
  return a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : a.part - b.part;
}

/**
 * Settles the ids of one shard's articles (describe/ids.ts `settleIds`): an id
 * another file of the shard already has is told apart by a hash of the path
 * (with a warning), or the article is refused.
 */
export function settleShard(articles: readonly Article[]): { articles: Article[]; rejected: Rejection[]; warnings: Warning[] } {
  const ids = settleIds(articles);
  const out: Article[] = [];
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  articles.forEach((a, i) => {
    const id = ids[i];
    if (id === null) rejected.push({ raw: a.raw, reason: `id ${a.id} collides with another file's; rename the file` });
    else if (id !== a.id) {
      warnings.push({ raw: a.raw, message: `id ${a.id} is taken by another file; this article is ${id}` });
      // A copy: the per-file result may be a cached record shared with the cache.
      out.push({ ...a, id });
    } else out.push(a);
  });
  return { articles: out, rejected, warnings };
}

/**
 * An article as the site shows it, once grouped: its story, the article it
 * republishes, and its date (an undated article takes its story's date, else
 * its folder's: stories/undated.ts; never a file's mtime).
 */
export function placeArticle(article: Article, assignment: Assignment, date: string | null): IngestedArticle {
  return { ...article, date, story: assignment.story, copyOf: assignment.copyOf };
}

/** Groups and digests articles already settled (ids, repeated lines): the corpus-level stages, in memory. */
export function group(
  articles: Article[],
  rejected: Rejection[],
  warnings: Warning[],
  opts: IngestOptions,
  perStory: StoryStage = digest,
  docOf: ClusterDocOf = clusterDocs(opts.stories),
): IngestResult {
  const state = groupCold(
    articles.map((a) => itemOf(a, docOf(a))),
    opts.stories,
  );
  const { assignments, stories: groups, dates } = resultOf(state, opts.stories);
  const placed = new Map(articles.map((a) => [a.id, placeArticle(a, assignments.get(a.id)!, dates.get(a.id) ?? null)]));
  const stories = groups.map((g) => perStory({ id: g.id, related: g.related }, g.articles.map((id) => placed.get(id)!), assignments, opts.digest));
  return { articles: articles.map((a) => placed.get(a.id)!), stories, rejected, warnings };
}
