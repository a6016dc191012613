/**
 * End to end: builds the bundled sample into a temporary folder, serves dist/
 * on 127.0.0.1 and checks what a reader sees in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { buildSite, type BuiltSite } from './helpers/site';
import { serveDir, type Served } from './helpers/serve';
import { hasChromium, launchBrowser } from './helpers/browser';
import { repoRoot } from '../scripts/lib/corpus';

if (!hasChromium()) console.warn('\nSKIPPED browser checks: /usr/bin/chromium not installed (apt-get install -y chromium)\n');

describe('the sample site', () => {
  let site: BuiltSite;
  let served: Served;
  let browser: Browser | undefined;

  beforeAll(async () => {
    site = await buildSite(path.join(repoRoot, 'content/raw'));
    served = await serveDir(site.dist);
    if (hasChromium()) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await site?.cleanup();
  });

  it('builds one story page with a card for each of the five sources', async () => {
    const report = JSON.parse(await readFile(site.report, 'utf8'));
    expect(report.stories).toHaveLength(1);
    const html = await readFile(path.join(site.dist, 'stories', report.stories[0].id, 'index.html'), 'utf8');
    expect(html.match(/data-testid="source-card"/g)).toHaveLength(5);
  });

  it.runIf(hasChromium())('shows the story page in a browser', async () => {
    const page = await browser!.newPage();
    await page.goto(served.url);
    await page.locator('.story-list a').first().click();
    await expect(page.getByTestId('story-headline').textContent()).resolves.toMatch(/\w/);
    expect(await page.getByTestId('source-card').count()).toBe(5);
    const outlets = await page.getByTestId('source-name').allTextContents();
    expect(outlets.filter((o) => o.includes('MENAFN'))).toHaveLength(2);
    await page.close();
  });

  it.runIf(hasChromium())('finds the story by searching from the header', async () => {
    const page = await browser!.newPage();
    await page.goto(served.url);
    await page.locator('input[type="search"]').fill('peace talks');
    await page.locator('input[type="search"]').press('Enter');
    await page.waitForURL(/\/search\/\?q=/);
    await page.getByTestId('search-result').first().waitFor();
    expect(await page.getByTestId('search-result').count()).toBeGreaterThan(0);
    await page.close();
  });
});
