/**
 * Deployed under a sub-path: builds the bundled sample with NEWSFOLD_BASE=/news/,
 * serves dist/ only below /news/ and follows what a reader would: links,
 * stylesheets, RSS and canonical URLs must all stay under the base.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { parseHTML } from 'linkedom';
import type { Browser } from 'playwright-core';
import { buildSite, type BuiltSite } from './helpers/site';
import { serveDir, type Served } from './helpers/serve';
import { hasChromium, launchBrowser } from './helpers/browser';
import { repoRoot } from '../scripts/lib/corpus';

describe('a site deployed under /news/', () => {
  let site: BuiltSite;
  let served: Served;
  let browser: Browser | undefined;

  beforeAll(async () => {
    site = await buildSite(path.join(repoRoot, 'content/raw'), { NEWSFOLD_BASE: '/news/', NEWSFOLD_SITE: 'https://example.net' });
    served = await serveDir(site.dist, '/news/');
    if (hasChromium()) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await site?.cleanup();
  });

  it('links every page, asset, feed and canonical URL under the base', async () => {
    const report = JSON.parse(await readFile(site.report, 'utf8'));
    const story = report.stories[0].id;
    const day = (await readdir(path.join(site.dist, 'days'))).find((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))!;
    const archive = ['days/index.html', `days/${day.slice(0, 7)}/index.html`, `days/${day}/index.html`, 'outlets/index.html'];
    for (const rel of ['index.html', `stories/${story}/index.html`, `articles/${report.articles[0].id}/index.html`, ...archive]) {
      const { document } = parseHTML(await readFile(path.join(site.dist, rel), 'utf8'));
      const urls = [...document.querySelectorAll('a[href], link[href], script[src]')]
        .map((el) => el.getAttribute('href') ?? el.getAttribute('src')!)
        .filter((u) => !u.startsWith('#') && !/^https?:\/\/(?!example\.net)/.test(u));
      expect(urls.length).toBeGreaterThan(0);
      for (const u of urls) {
        const pathname = new URL(u, `${served.url}${rel}`).pathname;
        expect(pathname, `${rel}: ${u}`).toMatch(/^\/news\//);
        const res = await fetch(new URL(pathname, served.url));
        expect(res.status, `${rel}: ${u}`).toBe(200);
      }
      expect(document.querySelector('link[rel="canonical"]')!.getAttribute('href')).toMatch(/^https:\/\/example\.net\/news\//);
    }
    const rss = await readFile(path.join(site.dist, 'rss.xml'), 'utf8');
    expect(rss).toContain(`https://example.net/news/stories/${story}/`);
    // The sitemap lists the archive's pages under the base, from its index.
    expect(await readFile(path.join(site.dist, 'sitemap-index.xml'), 'utf8')).toContain('<loc>https://example.net/news/sitemap-0.xml</loc>');
    expect(await readFile(path.join(site.dist, 'sitemap-0.xml'), 'utf8')).toContain(`<loc>https://example.net/news/days/${day}/</loc>`);
  });

  it.runIf(hasChromium())('navigates from home to a story with styles applied', async () => {
    const page = await browser!.newPage();
    await page.goto(served.url);
    await page.locator('.story-list a').first().click();
    await page.getByTestId('story-headline').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/news\/stories\//);
    // The headline can be in the DOM before the stylesheet is applied (a loaded machine): the load event waits for it.
    await page.waitForLoadState('load');
    // The stylesheet reached the page: cards are laid out as a grid.
    expect(await page.locator('.cards').evaluate((el) => getComputedStyle(el).display)).toBe('grid');
    await page.close();
  });

  it.runIf(hasChromium())('searches from the index under the base', async () => {
    const page = await browser!.newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('search-index')) asked.push(new URL(r.url()).pathname);
    });
    await page.goto(`${served.url}search/?q=zelensky`);
    await page.getByTestId('search-result').first().waitFor();
    for (const href of await page.getByTestId('search-result').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      expect(href).toMatch(/^\/news\/(stories|articles)\//);
    }
    expect(asked.length).toBeGreaterThan(1);
    for (const p of asked) expect(p).toMatch(/^\/news\/search-index\//);
    await page.close();
  });
});
