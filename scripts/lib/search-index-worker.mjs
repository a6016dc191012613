/**
 * Worker thread for scripts/lib/build.ts: builds the site's search index
 * (src/lib/search/site-index.ts) from the site index file the build wrote and
 * the content folder's article bodies, while the astro child builds the pages
 * on the other core. Replies with the file's text.
 *
 * Plain JavaScript, loading the TypeScript through tsx's programmatic API, as
 * src/lib/ingest/ingest-worker.mjs does: the same source files as the endpoint.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { readBodies } = await tsImport('../../src/lib/loader-index.ts', import.meta.url);
const { siteSearchIndexJson } = await tsImport('../../src/lib/search/site-index.ts', import.meta.url);

const [site, bodies] = await Promise.all([readFile(workerData.indexFile, 'utf8').then(JSON.parse), readBodies(workerData.content)]);
parentPort.postMessage(siteSearchIndexJson(site, bodies));
