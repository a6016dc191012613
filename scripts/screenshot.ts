/**
 * npx tsx scripts/screenshot.ts <dist> [out.png] [story-id]
 *
 * Screenshots a story page of a built site with Debian's Chromium (nothing is
 * downloaded). Without a story id it takes the story with the most sources,
 * ties broken by id, so the same build always gives the same picture.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDir } from '../test/helpers/serve.ts';
import { launchBrowser } from '../test/helpers/browser.ts';

async function main(): Promise<void> {
  const [dist, out = 'docs/story.png', wanted] = process.argv.slice(2);
  if (!dist) throw new Error('usage: npx tsx scripts/screenshot.ts <dist> [out.png] [story-id]');
  let id = wanted;
  if (!id) {
    const ids = (await readdir(path.join(dist, 'stories'))).sort();
    let best = -1;
    for (const candidate of ids) {
      const html = await readFile(path.join(dist, 'stories', candidate, 'index.html'), 'utf8');
      const cards = html.match(/data-testid="source-card"/g)?.length ?? 0;
      if (cards > best) [best, id] = [cards, candidate];
    }
  }
  const served = await serveDir(dist);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 }, colorScheme: 'light' });
    await page.goto(`${served.url}stories/${id}/`);
    await page.screenshot({ path: out, fullPage: false });
    console.log(`wrote ${out} from stories/${id}/`);
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
