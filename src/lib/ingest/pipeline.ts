/**
 * The ingest driver: runs the pure stages in order over files already read.
 *   decode -> parse -> clean -> dedupe -> metadata (-> outlets) -> (per shard) ids, repeated lines
 *   -> group (stories/) -> overrides -> digest
 * No I/O here (the build's edges are src/lib/build/ingest-fs.ts); a bad file becomes a rejection with its
 * reason and never stops the others.
 */
import { decode, type DecodeOptions } from './read/decode.ts';
import { formatOf, parse } from './read/parse.ts';
import { clean, type CleanOptions } from './clean/clean.ts';
import { dedupe, type DedupeOptions } from './clean/dedupe.ts';
import { describe, type MetadataOptions } from './describe/metadata.ts';
import { clusterDocs, type ClusterDocOf } from './stories/cluster-docs.ts';
import { groupCold, resultOf, type GroupingResult } from './stories/group.ts';
import { itemOf } from './stories/items.ts';
import type { StoryOptions } from './stories/options.ts';
import { settleIds, shardOf } from './describe/ids.ts';
import { nameOutlet, type OutletRule } from './describe/outlets.ts';
import { applyOverrides, NO_OVERRIDES, type EditorNotes } from './stories/overrides.ts';
import { digest, type DigestOptions, type StoryContext } from './digest/digest.ts';
import { countLines, outletKey, repeatedLines, withoutRepeated, type RepeatedLines, type RepeatedLinesOptions } from './clean/repeated-lines.ts';
import type { Article, Assignment, CleanDoc, RawFile, Rejection, Warning } from './types.ts';
import { isErrorLine } from './clean/rules.ts';
import type { Overrides, Story } from '../schema.ts';
import { endsLikeSentence, truncate, wordCount } from '../text.ts';


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
  /**
   * The outlets the site's config names (newsfold.config.yaml `outlets`):
   * describe/outlets.ts names articles by them. Part of the options, so the
   * pipeline fingerprint covers them: a changed list re-describes the articles.
   */
  outlets: OutletRule[];
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
  outlets: [],
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
  /** Articles the overrides hide: in no output. */
  hidden: Array<{ id: string; raw: string }>;
  /** What the overrides did (stories/overrides.ts), by key. */
  overrides: { applied: string[]; skipped: Array<{ override: string; reason: string }> };
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
      const article = nameOutlet(describe(cleaned, options.metadata), options.outlets ?? []);
      const where = parsed.docs.length > 1 ? `item ${doc.part}: ` : '';
      const error = errorPage(cleaned);
      if (error) {
        rejected.push({ raw: file.raw, reason: `${where}error page: "${truncate(error, 100)}" and no article text under it` });
        continue;
      }
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

/**
 * The error banner of a page that is only an error (a 404 or "nothing found"
 * page, perhaps with a search box and links): an error banner was removed and
 * no paragraph of prose is left. A real article under a banner (a widget's 404
 * above it) has paragraphs and is kept.
 */
function errorPage(cleaned: CleanDoc): string | undefined {
  const banner = cleaned.removed.find((r) => r.kind === 'error-banner' && isErrorLine(r.text.replace(/…$/, '')));
  if (!banner) return undefined;
  const prose = cleaned.body.some((b) => b.kind === 'p' && wordCount(b.text) >= ERROR_PAGE_PROSE_WORDS && endsLikeSentence(b.text));
  return prose ? undefined : banner.text;
}

/** A paragraph this long (ending like a sentence) is article text, so the page is not only an error. */
const ERROR_PAGE_PROSE_WORDS = 15;

export type FileStage = (file: RawFile, options: IngestOptions) => ReturnType<typeof articlesFromFile>;

/** What the digest of one story is given: its id and related stories, and what an editor changed (overrides). */
export interface StoryInput extends StoryContext {
  editor?: EditorNotes;
}

/** One story's digest; `digestStory` itself, or a cache in front of it (src/lib/store/digest-cache.ts). */
export type StoryStage = (story: StoryInput, members: Article[], assignments: Map<string, Assignment>, options: Partial<DigestOptions>) => Story;

/**
 * The digest, with the editor's notes on the record: a pinned headline
 * replaces the chosen one (and then comes from no article), and the stories
 * merged in and the edits are recorded for the page. For callers that put a
 * cache in front of it (src/lib/build/ingest-fs.ts) and the worker threads.
 */
export const digestStory: StoryStage = (story, members, assignments, options) => {
  const record = digest(story, members, assignments, options);
  const editor = story.editor;
  if (!editor) return record;
  if (editor.headline !== undefined) {
    record.headline = editor.headline;
    record.headlineFrom = null;
  }
  if (editor.mergedFrom.length) record.mergedFrom = [...editor.mergedFrom];
  if (editor.edits.length) record.edits = editor.edits.map((e) => ({ ...e }));
  return record;
};

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
  perStory: StoryStage = digestStory,
  docOf?: ClusterDocOf,
  overrides: Overrides = NO_OVERRIDES,
): IngestResult {
  const opts: IngestOptions = { ...defaultIngestOptions, ...options };
  const { articles, rejected, warnings } = prepareArticles(files, opts, perFile);
  return group(articles, rejected, warnings, opts, perStory, docOf, overrides);
}

/**
 * The per-file stages over every file, then what is settled per shard (ids,
 * repeated lines): the articles the grouping takes, in path order.
 */
export function prepareArticles(files: readonly RawFile[], opts: IngestOptions, perFile: FileStage = articlesFromFile): { articles: Article[]; rejected: Rejection[]; warnings: Warning[] } {
  const shards = prepareShards(files, opts, perFile);
  return joinShards(shards.map((s) => s.result));
}

/** One shard (a raw sub-folder, describe/ids.ts `shardOf`) as prepared: what a build keeps to skip it next time. */
export interface PreparedShard {
  shard: string;
  /** Its articles after ids and repeated lines, in path order. */
  articles: Article[];
  /** The per-file stages' rejections and warnings, in path order. */
  fileRejected: Rejection[];
  fileWarnings: Warning[];
  /** What settling the ids refused and renamed. */
  settleRejected: Rejection[];
  settleWarnings: Warning[];
  /** The lines each outlet repeats in the shard (removed from its articles). */
  repeated: RepeatedLines;
}

/**
 * The per-file stages and the per-shard settling (ids, repeated lines) of
 * each shard, in shard order: a shard depends only on its own files, so a
 * build can keep a shard's result and skip it while none of its files
 * changed (build/drop-in-fs.ts).
 */
export function prepareShards(files: readonly RawFile[], opts: IngestOptions, perFile: FileStage = articlesFromFile): Array<{ shard: string; result: PreparedShard }> {
  const byShard = new Map<string, RawFile[]>();
  for (const file of files) {
    const shard = shardOf(file.raw);
    const list = byShard.get(shard);
    if (list) list.push(file);
    else byShard.set(shard, [file]);
  }
  return [...byShard.keys()].sort().map((shard) => ({ shard, result: prepareShard(shard, byShard.get(shard)!, opts, perFile) }));
}

/** One shard's files through the per-file stages, then its ids and repeated lines settled. */
export function prepareShard(shard: string, files: readonly RawFile[], opts: IngestOptions, perFile: FileStage = articlesFromFile): PreparedShard {
  const fileRejected: Rejection[] = [];
  const fileWarnings: Warning[] = [];
  const found: Article[] = [];
  for (const file of [...files].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))) {
    const result = perFile(file, opts);
    fileRejected.push(...result.rejected);
    fileWarnings.push(...result.warnings);
    found.push(...result.articles);
  }
  const settled = settleShard(found);
  // Lines an outlet repeats across its articles of the shard are its boilerplate (repeated-lines.ts).
  const repeated = repeatedLines(countLines(settled.articles), opts.repeatedLines);
  const articles = repeated.size ? settled.articles.map((a) => withoutRepeated(a, repeated)) : settled.articles;
  return { shard, articles, fileRejected, fileWarnings, settleRejected: settled.rejected, settleWarnings: settled.warnings, repeated };
}

/** What a shard kept of its last preparation, enough to add files to it (build/drop-in-fs.ts, store/shard-memo.ts). */
export interface ShardBefore {
  /** The settled ids of its articles. */
  ids: ReadonlySet<string>;
  /** The lines each outlet repeated in it. */
  repeated: RepeatedLines;
  /** An outlet's articles in it (outletKey), as the per-file stages gave them: what its lines are counted over. */
  articlesOf: (outlet: string) => Article[];
}

/**
 * A shard with files added (none changed or gone), from its last preparation:
 * the new files through the per-file stages, their articles settled and
 * cleaned of their outlets' repeated lines. Exactly what `prepareShard` over
 * every file gives, while nothing else in the shard moves: no new article's
 * id meets another's (settling would rename one), and no outlet's repeated
 * lines change with its new articles (every article of that outlet would
 * change). Null when something would: the caller prepares the whole shard.
 * A drop-in of one file so reads one outlet's articles, not the month's.
 */
export function prepareAdded(
  before: ShardBefore,
  files: readonly RawFile[],
  opts: IngestOptions,
  perFile: FileStage = articlesFromFile,
): Pick<PreparedShard, 'articles' | 'fileRejected' | 'fileWarnings'> | null {
  const fileRejected: Rejection[] = [];
  const fileWarnings: Warning[] = [];
  const found: Article[] = [];
  const ids = new Set(before.ids);
  for (const file of [...files].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))) {
    const result = perFile(file, opts);
    fileRejected.push(...result.rejected);
    fileWarnings.push(...result.warnings);
    for (const a of result.articles) {
      if (ids.has(a.id)) return null;
      ids.add(a.id);
      found.push(a);
    }
  }
  const outlets = new Set<string>();
  for (const a of found) {
    const o = outletKey(a);
    if (o !== null) outlets.add(o);
  }
  for (const o of outlets) {
    const counts = countLines([...before.articlesOf(o), ...found.filter((a) => outletKey(a) === o)]);
    const now = [...(repeatedLines(counts, opts.repeatedLines).get(o) ?? [])].sort();
    const was = [...(before.repeated.get(o) ?? [])].sort();
    if (now.length !== was.length || now.some((line, i) => line !== was[i])) return null;
  }
  const articles = before.repeated.size ? found.map((a) => withoutRepeated(a, before.repeated)) : found;
  return { articles, fileRejected, fileWarnings };
}

/**
 * The shards' results as one corpus, exactly as prepared together: every
 * file's warnings in path order, then each shard's settling warnings; the
 * articles and the rejections in path order.
 */
export function joinShards(shards: ReadonlyArray<Pick<PreparedShard, 'articles' | 'fileRejected' | 'fileWarnings' | 'settleRejected' | 'settleWarnings'>>): {
  articles: Article[];
  rejected: Rejection[];
  warnings: Warning[];
} {
  const { rejected, warnings } = joinReports(shards);
  const articles: Article[] = [];
  for (const s of shards) for (const a of s.articles) articles.push(a);
  articles.sort(pathOrder);
  return { articles, rejected, warnings };
}

/** The rejections and warnings of shards, in the order `prepareArticles` gives them. */
export function joinReports(shards: ReadonlyArray<Pick<PreparedShard, 'fileRejected' | 'fileWarnings' | 'settleRejected' | 'settleWarnings'>>): { rejected: Rejection[]; warnings: Warning[] } {
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  for (const s of shards) {
    rejected.push(...s.fileRejected);
    warnings.push(...s.fileWarnings);
  }
  for (const s of shards) {
    rejected.push(...s.settleRejected);
    warnings.push(...s.settleWarnings);
  }
  rejected.sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
  return { rejected, warnings };
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

/**
 * Group, overrides and digest, over articles already settled (ids, repeated
 * lines): the corpus-level stages, in memory. The overrides apply to the
 * grouping's result and never to its state, so an override removed gives back
 * the machine grouping.
 */
export function group(
  articles: Article[],
  rejected: Rejection[],
  warnings: Warning[],
  opts: IngestOptions,
  perStory: StoryStage = digestStory,
  docOf: ClusterDocOf = clusterDocs(opts.stories),
  overrides: Overrides = NO_OVERRIDES,
): IngestResult {
  const state = groupCold(
    articles.map((a) => itemOf(a, docOf(a))),
    opts.stories,
  );
  const grouping = resultOf(state, opts.stories);
  return digestGrouping(articles, grouping, rejected, warnings, opts, perStory, overrides);
}

/**
 * Overrides and digest over a grouping's result (group.ts `resultOf`): the
 * in-memory ingest gives it every story; the build, the stories a drop-in touched.
 */
export function digestGrouping(
  articles: readonly Article[],
  grouping: GroupingResult,
  rejected: Rejection[],
  warnings: Warning[],
  opts: IngestOptions,
  perStory: StoryStage = digestStory,
  overrides: Overrides = NO_OVERRIDES,
): IngestResult {
  const placed = new Map<string, IngestedArticle>();
  for (const a of articles) {
    const asg = grouping.assignments.get(a.id);
    if (asg) placed.set(a.id, placeArticle(a, asg, grouping.dates.get(a.id) ?? null));
  }
  // Merged members in the grouping's own order: by date on the site, then path.
  const order = (x: string, y: string) => {
    const a = placed.get(x)!;
    const b = placed.get(y)!;
    const da = a.date ?? '\uffff';
    const db = b.date ?? '\uffff';
    return da < db ? -1 : da > db ? 1 : pathOrder(a, b);
  };
  const corrected = applyOverrides(grouping, overrides, order);
  const stories = corrected.stories.map((g) =>
    perStory({ id: g.id, related: g.related, ...(g.editor ? { editor: g.editor } : {}) }, g.articles.map((id) => placed.get(id)!), corrected.assignments, opts.digest),
  );
  const ingested: IngestedArticle[] = [];
  for (const a of articles) {
    const asg = corrected.assignments.get(a.id);
    const p = placed.get(a.id);
    if (asg && p) ingested.push(asg.story === p.story && asg.copyOf === p.copyOf ? p : { ...p, story: asg.story, copyOf: asg.copyOf });
  }
  const hidden = corrected.hidden.map((id) => ({ id, raw: placed.get(id)?.raw ?? id }));
  return { articles: ingested, stories, rejected, warnings, hidden, overrides: { applied: corrected.applied, skipped: corrected.skipped } };
}
