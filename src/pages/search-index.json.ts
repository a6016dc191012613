/**
 * The search index, built at build time (see src/lib/search/build.ts) and
 * fetched by the client only when a reader starts searching.
 */
import type { APIRoute } from 'astro';
import { loadContent } from '../lib/data';
import { buildSearchIndex } from '../lib/search/build';
import { outletLabel } from '../lib/site';

export const GET: APIRoute = async () => {
  const { stories, articles } = await loadContent();
  const index = buildSearchIndex({
    stories: stories.map((s) => ({
      id: s.id,
      headline: s.data.headline,
      dek: s.data.dek,
      lead: s.data.summary[0]?.text ?? null,
      sources: s.data.sources.map(outletLabel),
      lastDate: s.data.lastDate,
      articles: s.data.articles,
      entities: s.data.entities.map((e) => e.name),
    })),
    articles: [...articles.values()].map((a) => ({
      id: a.id,
      title: a.data.title,
      source: outletLabel(a.data.source),
      date: a.data.date,
      excerpt: a.data.excerpt,
      body: a.body ?? '',
      story: a.data.story,
    })),
  });
  return new Response(JSON.stringify(index), { headers: { 'Content-Type': 'application/json' } });
};
