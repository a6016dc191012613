/**
 * The search index, built at build time (see src/lib/search/build.ts) and
 * fetched by the client only when a reader starts searching.
 */
import type { APIRoute } from 'astro';
import { loadBodies, loadSiteIndex } from '../lib/data';
import { buildSearchIndex, serializeSearchIndex } from '../lib/search/build';
import { outletLabel } from '../lib/site';

export const GET: APIRoute = async () => {
  // The site index and the bodies straight from the content files: no entry.body in
  // Astro's store (the loader drops it), and the same input in full and partial builds.
  const [{ stories, articles }, bodies] = await Promise.all([loadSiteIndex(), loadBodies()]);
  const index = buildSearchIndex({
    stories: stories.map((s) => ({
      id: s.id,
      headline: s.headline,
      dek: s.dek,
      lead: s.summary[0] ?? null,
      sources: s.sources.map(outletLabel),
      lastDate: s.lastDate,
      articles: s.articles,
      entities: s.entities,
    })),
    articles: articles.map((a) => ({
      id: a.id,
      title: a.title,
      source: outletLabel(a.source),
      date: a.date,
      excerpt: a.excerpt,
      body: bodies.get(a.id) ?? '',
      story: a.story,
    })),
  });
  return new Response(serializeSearchIndex(index), { headers: { 'Content-Type': 'application/json' } });
};
