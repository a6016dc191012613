/**
 * The ingest driver: runs the pure stages in order over files already read.
 *   decode -> parse -> clean -> dedupe -> metadata (-> outlets) -> cluster -> overrides -> digest
 * No I/O here (the build's edges are src/lib/build/ingest-fs.ts); a bad file becomes a rejection with its
 * reason and never stops the others.
 */
import { decode, type DecodeOptions } from './read/decode.ts';
import { formatOf, parse } from './read/parse.ts';
import { clean, type CleanOptions } from './clean/clean.ts';
import { dedupe, type DedupeOptions } from './clean/dedupe.ts';
import { describe, type MetadataOptions } from './describe/metadata.ts';
import { nameOutlet, type OutletRule } from './describe/outlets.ts';
import { applyOverrides, NO_OVERRIDES, type EditorNotes } from './stories/overrides.ts';
import { chronological, cluster, clusterDocs, type ClusterDocOf, type ClusterOptions } from './stories/cluster.ts';
import type { StoryState } from './stories/story-state.ts';
import { digest, type DigestOptions, type StoryContext } from './digest/digest.ts';
import { dropRepeatedLines } from './clean/repeated-lines.ts';
import type { Article, Assignment, CleanDoc, RawFile, Rejection, Warning } from './types.ts';
import { isErrorLine } from './clean/rules.ts';
import type { Overrides, Story } from '../schema.ts';
import { endsLikeSentence, shortHash, truncate, wordCount } from '../text.ts';


export interface IngestOptions {
  decode: Partial<DecodeOptions>;
  clean: Partial<CleanOptions>;
  dedupe: Partial<DedupeOptions>;
  metadata: Partial<MetadataOptions>;
  cluster: Partial<ClusterOptions>;
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
  cluster: {},
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
  /** Story membership to persist so story ids survive the next build (story-state.ts). */
  state?: StoryState;
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
 * `perFile` lets the incremental ingest (src/lib/store/file-cache.ts) answer for unchanged files
 * from its cache (and `docOf`, what clustering reads of unchanged articles: store/doc-cache.ts). Its result must depend only on the file and the options: a
 * step that looks across files belongs after it, in this function. `perStory`
 * likewise lets it answer unchanged stories' digests from store/digest-cache.ts.
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
  const articles: Article[] = [];
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  const ids = new Set<string>();
  for (const file of [...files].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))) {
    const result = perFile(file, opts);
    rejected.push(...result.rejected);
    warnings.push(...result.warnings);
    for (let a of result.articles) {
      if (ids.has(a.id)) {
        // `story.md` beside `story.json` (or names that fold alike): keep both,
        // telling the later one apart by a hash of its exact path.
        const distinct = `${a.id}-${shortHash(`${a.raw}#${a.part}`, 6)}`;
        if (ids.has(distinct)) {
          rejected.push({ raw: a.raw, reason: `id ${a.id} collides with another file's; rename the file` });
          continue;
        }
        warnings.push({ raw: a.raw, message: `id ${a.id} is taken by another file; this article is ${distinct}` });
        // A copy: the per-file result may be a cached record shared with the cache.
        a = { ...a, id: distinct };
      }
      ids.add(a.id);
      articles.push(a);
    }
  }
  // Lines an outlet repeats across its articles are its boilerplate (repeated-lines.ts).
  return group(dropRepeatedLines(articles), rejected, warnings, opts, perStory, docOf, overrides);
}

/**
 * Cluster, overrides and digest: the corpus-level stages. The overrides apply
 * to the grouping's result; the story state kept for the next build is the
 * grouping's own, so an override removed gives back the machine grouping.
 */
export function group(
  articles: Article[],
  rejected: Rejection[],
  warnings: Warning[],
  opts: IngestOptions,
  perStory: StoryStage = digestStory,
  docOf: ClusterDocOf = clusterDocs(opts.cluster),
  overrides: Overrides = NO_OVERRIDES,
): IngestResult {
  const grouping = cluster(articles, opts.cluster, docOf);
  const byId = new Map(articles.map((a) => [a.id, a]));
  const corrected = applyOverrides(grouping, overrides, (a, b) => chronological(byId.get(a)!, byId.get(b)!));
  const { assignments } = corrected;
  const stories = corrected.stories.map((g) =>
    perStory({ id: g.id, related: g.related, ...(g.editor ? { editor: g.editor } : {}) }, g.articles.map((id) => byId.get(id)!), assignments, opts.digest),
  );
  const ingested: IngestedArticle[] = [];
  for (const a of articles) {
    const asg = assignments.get(a.id);
    if (asg) ingested.push({ ...a, story: asg.story, copyOf: asg.copyOf });
  }
  const hidden = corrected.hidden.map((id) => ({ id, raw: byId.get(id)!.raw }));
  return { articles: ingested, stories, rejected, warnings, state: grouping.state, hidden, overrides: { applied: corrected.applied, skipped: corrected.skipped } };
}

