/**
 * The search index, built at build time (see src/lib/search/build.ts) and
 * fetched by the client only when a reader starts searching.
 */
import type { APIRoute } from 'astro';
import { loadBodies, loadSiteIndex } from '../lib/site/data';
import { SEARCH_INDEX_PLACEHOLDER, searchIndexDeferred, siteSearchIndexJson } from '../lib/search/site-index';

export const GET: APIRoute = async () => {
  const headers = { 'Content-Type': 'application/json' };
  if (searchIndexDeferred()) return new Response(SEARCH_INDEX_PLACEHOLDER, { headers });
  // The site index and the bodies straight from the content files: no entry.body in
  // Astro's store (the loader drops it), and the same input in full and partial builds.
  const [site, bodies] = await Promise.all([loadSiteIndex(), loadBodies()]);
  return new Response(siteSearchIndexJson(site, bodies), { headers });
};
