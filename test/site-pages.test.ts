/**
 * The reader's archive (#16) on a site of 60 stories over 12 days, built with
 * small page sizes so that every listing is paginated: day pages, month
 * pages, the archive, outlet pages with rel="prev"/"next", per-outlet feeds;
 * every story page within 4 clicks of the home page through plain links; no
 * page over 150 KB; no serious or critical axe violation on the new pages;
 * and in Chromium, day navigation and pagination by links alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import type { Browser } from 'playwright-core';
import { runBuild } from '../src/lib/build/index';
import { makeArchive } from './helpers/archive';
import { scratch } from './helpers/tree';
import { serveDir, type Served } from './helpers/serve';
import { hasChromium, launchBrowser } from './helpers/browser';
import { axeViolations } from './helpers/digest-checks';
import { pageWeights, reachability } from '../scripts/bench/site-pages';

// Small pages, so a small archive has many of them (newsfold.config.yaml keys).
const CONFIG = 'storiesPerPage: 5\noutletPageSize: 8\nhomeDays: 2\nhomeStories: 6\nfeedSize: 10\n';
const LAST_DAY = '2025-03-10';

describe('the archive of a paginated site', () => {
  let dir: string;
  let dist: string;
  let served: Served;
  let browser: Browser | undefined;
  const html = async (rel: string) => parseHTML(await readFile(path.join(dist, rel), 'utf8')).document;

  beforeAll(async () => {
    dir = await scratch('newsfold-archive-');
    await makeArchive(path.join(dir, 'raw'), { stories: 60, days: 12, lastDay: LAST_DAY, undatedEvery: 20 });
    dist = path.join(dir, 'dist');
    const config = path.join(dir, 'newsfold.config.yaml');
    await writeFile(config, CONFIG);
    await runBuild({ raw: path.join(dir, 'raw'), content: path.join(dir, 'content'), dist, config });
    served = await serveDir(dist);
    if (hasChromium()) browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reaches every story page from the home page within 4 clicks of plain links', async () => {
    const r = await reachability(dist);
    console.log(`must-show: ${r.reached}/${r.storyPages} story pages within 4 clicks; deepest ${r.maxDepth}; by depth ${JSON.stringify(r.depthCounts)}`);
    expect(r.storyPages).toBe(60);
    expect(r.missing).toEqual([]);
    expect(r.maxDepth).toBeLessThanOrEqual(4);
  });

  it('keeps every HTML page under 150 KB and the home page to the latest days', async () => {
    const w = await pageWeights(dist);
    expect(w.largest.bytes, w.largest.page).toBeLessThan(150 * 1024);
    const home = await html('index.html');
    // Two days shown, at most six stories, the busy last day first and cut short with a link to its page.
    expect(home.querySelectorAll('[data-testid="story-item"]').length).toBe(6);
    expect([...home.querySelectorAll('h2.day a')].map((a) => a.getAttribute('href'))).toEqual([`/days/${LAST_DAY}/`]);
    expect(home.querySelector(`a[href="/days/${LAST_DAY}/"]`)).not.toBeNull();
    expect(home.querySelector('a[href="/days/2025-03/"]')).not.toBeNull();
  });

  it('lists a busy day in pages anchored at its oldest story, each linked from the month page', async () => {
    const first = await html(`days/${LAST_DAY}/index.html`);
    const numbered = (await readdir(path.join(dist, 'days', LAST_DAY, 'page'))).map(Number).sort((a, b) => a - b);
    expect(numbered.length).toBeGreaterThan(1);
    // The first page links to its older neighbour with rel="next" (head and pager).
    const older = `/days/${LAST_DAY}/page/${numbered[numbered.length - 1]}/`;
    expect(first.querySelector('link[rel="next"]')!.getAttribute('href')).toBe(older);
    expect(first.querySelector('[data-testid="pager"] a[rel="next"]')!.getAttribute('href')).toBe(older);
    expect(first.querySelector('link[rel="prev"]')).toBeNull();
    const oldest = await html(`days/${LAST_DAY}/page/1/index.html`);
    expect(oldest.querySelectorAll('[data-testid="story-item"]').length).toBe(5);
    expect(oldest.querySelector('link[rel="next"]')).toBeNull();
    const month = await html('days/2025-03/index.html');
    for (const k of numbered) expect(month.querySelector(`a[href="/days/${LAST_DAY}/page/${k}/"]`), `page ${k}`).not.toBeNull();
    // Undated stories have their own listing, linked from the archive.
    const archive = await html('days/index.html');
    expect(archive.querySelector('a[href="/days/undated/"]')).not.toBeNull();
    expect((await html('days/undated/index.html')).querySelectorAll('[data-testid="story-item"]').length).toBe(3);
  });

  it('gives every page a canonical URL, every story a link to its day, and every outlet a feed', async () => {
    for (const rel of ['index.html', 'days/index.html', 'days/2025-03/index.html', `days/${LAST_DAY}/page/1/index.html`, 'outlets/index.html']) {
      expect((await html(rel)).querySelector('link[rel="canonical"]')!.getAttribute('href'), rel).toBe(`https://newsfold.example.org/${rel.replace(/index\.html$/, '')}`);
    }
    const story = (await readdir(path.join(dist, 'stories')))[0];
    const day = (await html(`stories/${story}/index.html`)).querySelector('[data-testid="story-day"]')!.getAttribute('href')!;
    expect(day).toMatch(/^\/days\/(\d{4}-\d{2}-\d{2}|undated)\/$/);
    const numbered = (await readdir(path.join(dist, day, 'page')).catch(() => [] as string[])).map((k) => path.join(day, 'page', k));
    const listings = await Promise.all([day, ...numbered].map((rel) => readFile(path.join(dist, rel, 'index.html'), 'utf8')));
    expect(listings.filter((text) => text.includes(`href="/stories/${story}/"`))).toHaveLength(1);
    for (const slug of await readdir(path.join(dist, 'outlets'))) {
      if (slug === 'index.html') continue;
      const feed = await readFile(path.join(dist, 'outlets', slug, 'rss.xml'), 'utf8');
      expect(feed).toMatch(/<rss version="2.0"/);
      expect(feed.match(/<item>/g)!.length).toBeLessThanOrEqual(10);
    }
    const sitemap = await readFile(path.join(dist, 'sitemap-0.xml'), 'utf8');
    for (const p of ['days/', `days/${LAST_DAY}/page/1/`, 'days/2025-03/', 'outlets/']) expect(sitemap).toContain(`<loc>https://newsfold.example.org/${p}</loc>`);
  });

  it.runIf(hasChromium())('goes from the home page to a day, to the previous day and back, by links', async () => {
    const page = await browser!.newPage({ javaScriptEnabled: false });
    await page.goto(served.url);
    await page.locator('h2.day a').first().click();
    await page.waitForURL(`**/days/${LAST_DAY}/`);
    await page.getByTestId('previous-day').click();
    await page.waitForURL(/\/days\/2025-\d{2}-\d{2}\/$/);
    const previous = new URL(page.url()).pathname;
    expect(previous < `/days/${LAST_DAY}/`).toBe(true);
    expect(await page.getByTestId('story-item').count()).toBeGreaterThan(0);
    await page.getByTestId('next-day').click();
    await page.waitForURL(`**/days/${LAST_DAY}/`);
    // A story's date leads to the day it is listed on.
    await page.getByTestId('story-day').first().click();
    await page.waitForURL(`**/days/${LAST_DAY}/`);
    await page.close();
  });

  it.runIf(hasChromium())('pages through an outlet, newest first, and back', async () => {
    const page = await browser!.newPage({ javaScriptEnabled: false });
    const outlets = (await readdir(path.join(dist, 'outlets'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    let slug = '';
    for (const o of outlets) if ((await readdir(path.join(dist, 'outlets', o))).includes('page')) slug = o;
    expect(slug).not.toBe('');
    await page.goto(`${served.url}outlets/${slug}/`);
    const dates = async () => (await page.getByTestId('outlet-item').locator('.meta').first().textContent())!;
    const firstDate = await dates();
    await page.getByTestId('pager-older').click();
    await page.waitForURL(/\/page\/\d+\/$/);
    const olderUrl = page.url();
    const olderDate = await dates();
    if (olderDate !== 'undated') expect(Date.parse(olderDate)).toBeLessThanOrEqual(Date.parse(firstDate));
    await page.getByTestId('pager-newer').click();
    await page.waitForURL((u) => u.href !== olderUrl);
    expect(await dates()).toBe(firstDate);
    await page.close();
  });

  it.runIf(hasChromium())('has no serious or critical axe violations on the archive pages', async () => {
    const slug = (await readdir(path.join(dist, 'outlets'), { withFileTypes: true })).find((e) => e.isDirectory())!.name;
    const sample = ['', 'days/', 'days/2025-03/', `days/${LAST_DAY}/`, `days/${LAST_DAY}/page/1/`, 'days/undated/', 'outlets/', `outlets/${slug}/`];
    const found: string[] = [];
    for (const p of sample) for (const v of await axeViolations(browser!, `${served.url}${p}`)) found.push(`${p}: ${v}`);
    console.log(`must-show: axe on ${sample.length} archive pages: ${found.length} serious/critical violations`);
    expect(found).toEqual([]);
  });
});
