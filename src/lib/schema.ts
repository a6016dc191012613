/**
 * The content model, shared by the ingest (which writes it) and the Astro site
 * (which reads it through `astro:content`). One definition, so the two can never
 * drift: the ingest validates every record against these schemas before writing,
 * and Astro validates again when it loads the collections.
 *
 * `astro/zod` is plain zod re-exported by Astro, importable from Node scripts too.
 */
import { z } from 'astro/zod';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' });

/** What the cleaner took out of an article, kept so nothing disappears silently. */
export const removalSchema = z.object({
  /** Rule family, e.g. `error-banner`, `disclaimer`, `promo-list`, `duplicate-paragraph`. */
  kind: z.string().min(1),
  /** The removed text (long removals are abbreviated with an ellipsis). */
  text: z.string(),
});
export type Removal = z.infer<typeof removalSchema>;

/** Front matter of `content/articles/<id>.md`. The body is the cleaned article as Markdown. */
export const articleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'id must be a lowercase slug' }),
  title: z.string().min(1, { message: 'title must not be empty' }),
  /** True when the raw file had no headline and the title was derived from the lead. */
  titleDerived: z.boolean().default(false),
  dek: z.string().nullable().default(null),
  /** Outlet name; `unknown` when nothing named it. */
  source: z.string().min(1),
  byline: z.string().nullable().default(null),
  date: isoDay.nullable().default(null),
  /** Only http(s) URLs are kept. */
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), { message: 'url must be http(s)' })
    .nullable()
    .default(null),
  lang: z.string().default('en'),
  /** Path of the raw file relative to the drop folder, with `/` separators. */
  raw: z.string(),
  story: z.string(),
  /** Id of the article this one republishes (a wire copy), or null. */
  copyOf: z.string().nullable().default(null),
  words: z.number().int().nonnegative(),
  /** First sentences of the body, plain text, for cards and search. */
  excerpt: z.string(),
  removed: z.array(removalSchema).default([]),
});
export type ArticleMeta = z.infer<typeof articleSchema>;

/** A sentence of the extractive summary, verbatim from the cited articles. */
export const summarySentenceSchema = z.object({
  text: z.string(),
  /** Article ids whose cleaned body carries this sentence (or a near-identical one). */
  citations: z.array(z.string()).min(1),
});

export const quoteSchema = z.object({
  text: z.string(),
  speaker: z.string().nullable(),
  articles: z.array(z.string()).min(1),
});

/** One change an editor made to a story through `overrides.yaml` (src/lib/ingest/stories/overrides.ts). */
export const storyEditSchema = z.discriminatedUnion('kind', [
  /** The headline is the editor's, not one of the sources' titles. */
  z.object({ kind: z.literal('headline') }),
  /** These stories were merged into this one; their pages lead here. */
  z.object({ kind: z.literal('merged'), stories: z.array(z.string()).min(1) }),
  /** This article was moved here from another story (null: it had none). */
  z.object({ kind: z.literal('moved-in'), article: z.string(), from: z.string().nullable() }),
  /** This many of the story's articles were moved to other stories. */
  z.object({ kind: z.literal('moved-out'), count: z.number().int().positive(), to: z.array(z.string()) }),
  /** This many of the story's articles are withheld from publication (never named). */
  z.object({ kind: z.literal('hidden'), count: z.number().int().positive() }),
]);
export type StoryEdit = z.infer<typeof storyEditSchema>;

/** `content/stories/<id>.json`: one event and the articles that report it. */
export const storySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  headline: z.string().min(1),
  /** Article whose title became the headline. */
  headlineFrom: z.string().nullable().default(null),
  dek: z.string().nullable().default(null),
  articles: z.array(z.string()).min(1),
  /** Distinct outlets, in order of first report. */
  sources: z.array(z.string()),
  firstDate: isoDay.nullable().default(null),
  lastDate: isoDay.nullable().default(null),
  /** Number of articles that are not republications of another. */
  independent: z.number().int().nonnegative(),
  republications: z.number().int().nonnegative().default(0),
  summary: z.array(summarySentenceSchema).default([]),
  quotes: z.array(quoteSchema).default([]),
  /** Per article: sentences no other source in the story carries. */
  onlyHere: z.record(z.string(), z.array(z.string())).default({}),
  /** Per article: figures ("40 people", "$2 million") whose value no other source in the story gives. */
  onlyHereFigures: z.record(z.string(), z.array(z.string())).default({}),
  conflicts: z
    .array(
      z.object({
        kind: z.string(),
        values: z.array(z.object({ value: z.string(), articles: z.array(z.string()) })),
      }),
    )
    .default([]),
  entities: z
    .array(z.object({ name: z.string(), kind: z.enum(['person', 'place', 'organization']), count: z.number() }))
    .default([]),
  /** Why each article belongs here: similarity score and what it shared with the story. */
  why: z
    .array(z.object({ article: z.string(), score: z.number(), shared: z.array(z.string()) }))
    .default([]),
  /**
   * Stories that nearly took one of this story's articles (clustering's near
   * misses), strongest first, with the people, organisations and places both
   * stories' titles and leads name (`shared`, as written; may be empty). The
   * site shows one only when it shares a name (site.ts `relatedStories`).
   */
  related: z
    .array(z.object({ id: z.string(), score: z.number(), shared: z.array(z.string()).default([]) }))
    .default([]),
  /**
   * Stories an editor folded into this one (`overrides.yaml`: a merge, or every
   * article moved out): their URLs lead here. Absent when there are none.
   */
  mergedFrom: z.array(z.string()).optional(),
  /** What an editor changed in this story (`overrides.yaml`), for its "why grouped" section. Absent when nothing. */
  edits: z.array(storyEditSchema).optional(),
});
export type Story = z.infer<typeof storySchema>;

const contentId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'expected an id: lowercase letters, digits, - and _' });

/**
 * `overrides.yaml`: editors' corrections of the machine grouping, applied
 * after grouping and before the digest (src/lib/ingest/stories/overrides.ts).
 * Validated strictly: a misspelt key or a `hidden: yes` is an error that stops
 * the build, so a typo never publishes an article an editor meant to hide. An
 * id that names no article or story is not an error: it is reported and skipped.
 */
export const overridesSchema = z
  .object({
    /** By story id (the last part of its URL, `/stories/<id>/`). */
    stories: z
      .record(
        contentId,
        z
          .object({
            /** Shown instead of the headline the digest chose. */
            headline: z.string().trim().min(1, { message: 'expected a non-empty headline' }).max(300, { message: 'expected at most 300 characters' }).optional(),
            /** These stories become part of this one; their URLs lead here. */
            merge: z.array(contentId).min(1, { message: 'expected at least one story id' }).optional(),
          })
          .strict()
          .refine((o) => o.headline !== undefined || o.merge !== undefined, { message: 'expected headline or merge' }),
      )
      .nullable()
      .transform((r) => r ?? {})
      .default({}),
    /** By article id (the last part of its URL, `/articles/<id>/`). */
    articles: z
      .record(
        contentId,
        z
          .object({
            /** Moves the article into this story. */
            story: contentId.optional(),
            /** `true`: the article is published nowhere (its raw file stays as it is). */
            hidden: z.boolean({ invalid_type_error: 'expected true or false' }).optional(),
          })
          .strict()
          .refine((o) => o.story !== undefined || o.hidden !== undefined, { message: 'expected story or hidden' }),
      )
      .nullable()
      .transform((r) => r ?? {})
      .default({}),
  })
  .strict();
export type Overrides = z.infer<typeof overridesSchema>;

/** The `--report` file: a stable contract that acceptance checks read. */
export const reportSchema = z.object({
  articles: z.array(
    z.object({
      id: z.string(),
      raw: z.string(),
      path: z.string(),
      title: z.string(),
      source: z.string(),
      byline: z.string().nullable(),
      date: isoDay.nullable(),
      url: z.string().nullable(),
      story: z.string(),
      copyOf: z.string().nullable(),
      removed: z.array(removalSchema),
    }),
  ),
  stories: z.array(z.object({ id: z.string(), headline: z.string(), articles: z.array(z.string()) })),
  rejected: z.array(z.object({ raw: z.string(), reason: z.string() })),
  warnings: z.array(z.object({ raw: z.string(), message: z.string() })).default([]),
  /** Articles an editor hid (overrides.yaml): in no output, their raw files untouched. */
  hidden: z.array(z.object({ id: z.string(), raw: z.string() })).default([]),
  /** What overrides.yaml changed, and the overrides skipped (an id that names nothing), by key. */
  overrides: z
    .object({
      applied: z.array(z.string()),
      skipped: z.array(z.object({ override: z.string(), reason: z.string() })),
    })
    .default({ applied: [], skipped: [] }),
});
export type Report = z.infer<typeof reportSchema>;
