/**
 * The index builder's input from an in-process ingest result (tests and the
 * benchmark; the site reads the same fields from its content collections).
 */
import type { IngestResult } from '../ingest/index';
import type { SearchArticleInput, SearchStoryInput } from './build';

export function searchInputFromIngest(result: Pick<IngestResult, 'articles' | 'stories'>): {
  stories: SearchStoryInput[];
  articles: SearchArticleInput[];
} {
  return {
    stories: result.stories.map((s) => ({
      id: s.id,
      headline: s.headline,
      dek: s.dek,
      lead: s.summary[0]?.text ?? null,
      sources: s.sources,
      lastDate: s.lastDate,
      articles: s.articles,
      entities: s.entities.map((e) => e.name),
    })),
    articles: result.articles.map((a) => ({
      id: a.id,
      title: a.title,
      source: a.source,
      date: a.date,
      excerpt: a.excerpt,
      body: a.body.map((b) => b.text).join('\n\n'),
      story: a.story,
    })),
  };
}
