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
});
export type Story = z.infer<typeof storySchema>;

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
});
export type Report = z.infer<typeof reportSchema>;
