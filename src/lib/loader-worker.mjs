/**
 * Worker thread for src/lib/loader.ts: renders Markdown bodies with Astro's
 * own processor (the same `createMarkdownProcessor` and markdown config that
 * the loader context's `renderMarkdown` uses), so output is identical.
 * Plain JavaScript so it runs under Node without a TypeScript loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createMarkdownProcessor } from '@astrojs/markdown-remark';

const processor = await createMarkdownProcessor(workerData.markdown);
parentPort.on('message', async (batch) => {
  const out = [];
  for (const [key, body] of batch) out.push([key, (await processor.render(body)).code]);
  parentPort.postMessage(out);
});
