/**
 * The search index, built at build time: one small record per story and per
 * article, fetched by the search page only when a reader starts searching.
 */
import type { APIRoute } from 'astro';
import { loadContent } from '../lib/data';

export const GET: APIRoute = async () => {
  const { stories, articles } = await loadContent();
  const docs = [
    ...stories.map((s) => ({
      t: 's',
      id: s.id,
      title: s.data.headline,
      outlets: s.data.sources.join(' · '),
      date: s.data.lastDate ?? '',
      text: s.data.summary.map((x) => x.text).join(' ').slice(0, 300),
    })),
    ...[...articles.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((a) => ({
        t: 'a',
        id: a.id,
        title: a.data.title,
        outlets: a.data.source,
        date: a.data.date ?? '',
        text: a.data.excerpt.slice(0, 300),
      })),
  ];
  return new Response(JSON.stringify(docs), { headers: { 'Content-Type': 'application/json' } });
};
