/**
 * Search in Chromium, on the bundled sample built into a temporary folder:
 * the deep link, a typo, the keyboard, filters, the injection case, and the
 * page without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { buildSite, type BuiltSite } from './helpers/site';
import { serveDir, type Served } from './helpers/serve';
import { hasChromium, launchBrowser } from './helpers/browser';
import { repoRoot } from '../scripts/lib/corpus';

if (!hasChromium()) console.warn('\nSKIPPED search browser checks: /usr/bin/chromium not installed (apt-get install -y chromium)\n');

describe.runIf(hasChromium())('search in the browser', () => {
  let site: BuiltSite;
  let served: Served;
  let browser: Browser;
  let story: { id: string; headline: string; articles: string[] };
  const problems: string[] = [];

  beforeAll(async () => {
    site = await buildSite(path.join(repoRoot, 'content/raw'));
    served = await serveDir(site.dist);
    browser = await launchBrowser();
    const report = JSON.parse(await readFile(site.report, 'utf8'));
    story = [...report.stories].sort((a, b) => b.articles.length - a.articles.length)[0];
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await site?.cleanup();
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (m) => {
      // Failed loads are checked by URL below (the browser asks for a favicon the site does not ship).
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(served.url + url);
    return page;
  }
  const results = (page: Page) => page.getByTestId('search-result');

  it('keeps every script external under the page CSP', async () => {
    for (const file of ['index.html', 'search/index.html']) {
      const html = await readFile(path.join(site.dist, file), 'utf8');
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)[^>]*>/g)];
      expect(inline, file).toEqual([]);
    }
  });

  it('answers a deep link with the story first, highlighted, and fills the box', async () => {
    const words = story.headline.split(/\s+/).filter((w) => w.length > 3).slice(0, 2).join(' ');
    const page = await open(`search/?q=${encodeURIComponent(words)}`);
    await results(page).first().waitFor();
    expect(await page.locator('#site-search').inputValue()).toBe(words);
    const first = results(page).first();
    expect(await first.locator('a').getAttribute('href')).toMatch(new RegExp(`/stories/${story.id}/$`));
    expect(await first.locator('a mark').count()).toBeGreaterThan(0);
    await expect(page.locator('#search-status').textContent()).resolves.toContain(words);
    await page.close();
  });

  it('finds the story despite a typo and keeps the query in the URL as it changes', async () => {
    const page = await open('search/');
    const box = page.locator('#site-search');
    await box.pressSequentially('Zelenksy Umerov');
    await page.waitForURL(/[?&]q=Zelenksy(\+|%20)Umerov/);
    const first = results(page).first();
    await first.waitFor();
    expect(await first.locator('a').getAttribute('href')).toMatch(new RegExp(`/stories/${story.id}/$`));
    await box.fill('');
    await page.waitForURL((u) => !u.searchParams.has('q'));
    expect(await results(page).count()).toBe(0);
    await page.close();
  });

  it('works from the keyboard on any page: / focuses, arrows choose, Enter opens, Esc clears', async () => {
    const page = await open('');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search');
    await page.keyboard.type('kyiv');
    const suggestions = page.getByTestId('search-suggestion');
    await suggestions.first().waitFor();
    expect(await suggestions.first().locator('mark').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    expect(await page.locator('#site-search').inputValue()).toBe('');
    await expect(page.locator('#site-search-suggestions').isHidden()).resolves.toBe(true);
    await page.keyboard.type('peace');
    await suggestions.first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await suggestions.first().getAttribute('aria-current')).toBe('true');
    const target = await suggestions.first().locator('a').getAttribute('href');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === target);
    await page.close();
  });

  it('filters by outlet and date, kept in the URL', async () => {
    const page = await open(`search/?q=peace`);
    await results(page).first().waitFor();
    // The outlet choices are filled in once the first results are up.
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === '1');
    const all = await results(page).count();
    const outlets = await page.locator('#search-outlet option').allTextContents();
    const outlet = outlets.find((o) => o !== 'All outlets')!;
    await page.locator('#search-outlet').selectOption(outlet);
    await page.waitForURL((u) => u.searchParams.get('outlet') === outlet);
    const metas = await results(page).locator('p.meta').first().allTextContents();
    for (const m of await results(page).evaluateAll((els) => els.map((e) => e.querySelector('p.meta')?.textContent ?? ''))) expect(m).toContain(outlet);
    expect(metas.length).toBeGreaterThan(0);
    await page.locator('#search-from').fill('2100-01-01');
    await page.waitForURL((u) => u.searchParams.get('from') === '2100-01-01');
    expect(await results(page).count()).toBe(0);
    expect(all).toBeGreaterThan(0);
    await page.close();
  });

  it('downloads the index once on /search/, preloaded with the page, and applies a deep-linked outlet at once', async () => {
    const requests: string[] = [];
    const page = await browser.newPage();
    page.on('request', (r) => {
      if (r.url().endsWith('search-index.json')) requests.push(r.url());
    });
    await page.goto(served.url + 'search/?q=peace');
    await results(page).first().waitFor();
    const outlet = (await page.locator('#search-outlet option').nth(1).textContent())!;
    expect(requests).toHaveLength(1);
    expect(await page.locator('link[rel="preload"][as="fetch"]').getAttribute('href')).toMatch(/search-index\.json$/);
    await page.goto(`${served.url}search/?q=peace&outlet=${encodeURIComponent(outlet)}`);
    await results(page).first().waitFor();
    for (const m of await results(page).evaluateAll((els) => els.map((e) => e.querySelector('p.meta')?.textContent ?? ''))) expect(m).toContain(outlet);
    expect(await page.locator('#search-outlet').inputValue()).toBe(outlet);
    await page.close();
  });

  it('never runs or renders query text as HTML', async () => {
    const evil = '<img src=x onerror="document.title=`pwned`"><script>document.title="pwned"</script>';
    const page = await open(`search/?q=${encodeURIComponent(evil)}`);
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === '1');
    await page.locator('#site-search').pressSequentially(' peace');
    await page.waitForTimeout(200);
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('#search-app img, #search-app script, header img').count()).toBe(0);
    await expect(page.locator('#search-status').textContent()).resolves.toContain('<img src=x');
    await page.close();
  });

  it('lets a reader browse stories without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${served.url}search/?q=anything`);
    const links = page.locator('#browse a');
    expect(await links.count()).toBeGreaterThan(0);
    expect(await links.first().getAttribute('href')).toMatch(/\/stories\/[^/]+\/$/);
    await context.close();
  });

  it('logged no script errors, CSP violations or dialogs', () => {
    expect(problems).toEqual([]);
  });
});
