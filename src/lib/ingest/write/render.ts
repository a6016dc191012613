/**
 * Serialises articles and stories to the files of the content collections.
 * Pure: the same records always give the same bytes (stable key order, no
 * timestamps), which keeps rebuilds deterministic and caches warm.
 */
import matter from 'gray-matter';
import { articleSchema, storySchema, type ArticleMeta, type Story } from '../../schema.ts';
import type { IngestedArticle } from '../pipeline.ts';

/**
 * Escapes text so Markdown shows it literally: raw text is untrusted, and
 * Markdown passes raw HTML through. `<` and `&` become entities (so no tag or
 * entity survives), and Markdown's own syntax characters are backslashed.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]{}|~])/g, '\\$1')
    .replace(/^(\s*)([#+=-]|\d+[.)])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)!(?=\[)/, '$1\\!');
}

export function articleMeta(a: IngestedArticle): ArticleMeta {
  return articleSchema.parse({
    id: a.id,
    title: a.title,
    titleDerived: a.titleDerived,
    dek: a.dek,
    source: a.source,
    byline: a.byline,
    date: a.date,
    url: a.url,
    lang: a.lang,
    raw: a.raw,
    story: a.story,
    copyOf: a.copyOf,
    words: a.words,
    excerpt: a.excerpt,
    removed: a.removed,
  });
}

/** gray-matter's own YAML engine (js-yaml's safeDump), as `matter.stringify` calls it. */
const yamlEngine = (matter as unknown as { engines: { yaml: { stringify(data: object, options: object): string } } }).engines.yaml;

export function renderArticle(a: IngestedArticle): string {
  const body = a.body.map((b) => (b.kind === 'h2' ? `## ${escapeMarkdown(b.text)}` : escapeMarkdown(b.text))).join('\n\n');
  // js-yaml folds long strings at 80 columns by default; one line per value diffs better.
  const front = yamlEngine.stringify(articleMeta(a), { lineWidth: -1 }).trim();
  // What matter.stringify(`\n${body}\n`, meta, options) returns, without it first parsing the
  // body as a file of its own (a copy to a Buffer and a front-matter scan per article).
  return `---\n${front}\n---\n\n${body}\n`;
}

export function renderStory(story: Story): string {
  return `${JSON.stringify(storySchema.parse(story), null, 2)}\n`;
}
