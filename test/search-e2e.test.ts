/**
 * Search in Chromium on a built site whose index is in many chunks: the
 * bundled sample plus AllSides' 1,000 articles (../shared/corpus), built into
 * a temporary folder. The deep link, words in different term chunks, a typo, a
 * prefix while typing, the keyboard, filters in the URL, going offline after a
 * query (what was fetched still answers), what a query downloads, the
 * injection case, the page without JavaScript, and axe-core on /search/.
 *
 * Without ../shared the site is the sample alone (one chunk of each kind):
 * the checks that need many chunks skip, loudly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildSite, type BuiltSite } from './helpers/site';
import { serveDir, type Served } from './helpers/serve';
import { hasChromium, launchBrowser } from './helpers/browser';
import { axeViolations } from './helpers/digest-checks';
import { announceSkip, corpusDir, repoRoot } from '../scripts/lib/corpus';
import { chunkIndex, type SearchManifest } from '../src/lib/search/format';
import { tokenize } from '../src/lib/search/text';

const corpus = corpusDir();
const allsides = corpus ? path.join(corpus, 'clustering-allsides/ingest/raw') : null;
if (!hasChromium()) console.warn('\nSKIPPED search browser checks: /usr/bin/chromium not installed (apt-get install -y chromium)\n');
else if (!allsides) announceSkip('search in the browser on an index of many chunks (the sample alone is checked)');

describe.runIf(hasChromium())('search in the browser', () => {
  let drop: string;
  let site: BuiltSite;
  let served: Served;
  let browser: Browser;
  let manifest: SearchManifest;
  let story: { id: string; headline: string; articles: string[] };
  const problems: string[] = [];

  beforeAll(async () => {
    drop = await mkdtemp(path.join(os.tmpdir(), 'newsfold-search-drop-'));
    await cp(path.join(repoRoot, 'content/raw'), drop, { recursive: true });
    if (allsides) for (const f of await readdir(allsides)) if (f.endsWith('.md')) await cp(path.join(allsides, f), path.join(drop, f));
    site = await buildSite(drop);
    served = await serveDir(site.dist);
    browser = await launchBrowser();
    manifest = JSON.parse(await readFile(path.join(site.dist, 'search-index/manifest.json'), 'utf8'));
    // The sample's story: the one its five articles (content/raw) are in.
    const report = JSON.parse(await readFile(site.report, 'utf8'));
    const sample = new Set(await readdir(path.join(repoRoot, 'content/raw')));
    const sampleArticle = report.articles.find((a: { raw: string }) => sample.has(a.raw));
    story = report.stories.find((s: { id: string }) => s.id === sampleArticle.story);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await site?.cleanup();
    if (drop) await rm(drop, { recursive: true, force: true });
  });

  async function open(url: string, page?: Page): Promise<Page> {
    page ??= await browser.newPage();
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
  const firstHref = async (page: Page) => results(page).first().locator('a').getAttribute('href');
  const storyPath = () => new RegExp(`/stories/${story.id}/$`);
  /** The index files a page has asked for, by path under search-index/. */
  const indexRequests = (page: Page): string[] => {
    const got: string[] = [];
    page.on('request', (r) => {
      const at = r.url().indexOf('/search-index/');
      if (at >= 0) got.push(r.url().slice(at + 14));
    });
    return got;
  };
  /** Two keywords of the story's headline, as written. */
  const headlineWords = (n = 2) =>
    tokenize(story.headline)
      .filter((t) => t.term.length > 3)
      .slice(0, n)
      .map((t) => story.headline.slice(t.start, t.end));

  it('keeps every script external under the page CSP', async () => {
    for (const file of ['index.html', 'search/index.html']) {
      const html = await readFile(path.join(site.dist, file), 'utf8');
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)[^>]*>/g)];
      expect(inline, file).toEqual([]);
    }
  });

  it('answers a deep link with the story first, highlighted, fetching only the files the query needs', async () => {
    const words = headlineWords().join(' ');
    const page = await browser.newPage();
    const requested = indexRequests(page);
    await open(`search/?q=${encodeURIComponent(words)}`, page);
    await results(page).first().waitFor();
    expect(await page.locator('#site-search').inputValue()).toBe(words);
    expect(await firstHref(page)).toMatch(storyPath());
    expect(await results(page).first().locator('a mark').count()).toBeGreaterThan(0);
    await expect(page.locator('#search-status').textContent()).resolves.toContain(words);
    // The manifest once (the page's preload is what the script's fetch gets), then a few chunks and fragments.
    expect(requested.filter((r) => r === 'manifest.json')).toHaveLength(1);
    expect(await page.locator('link[rel="preload"][as="fetch"]').getAttribute('href')).toMatch(/search-index\/manifest\.json$/);
    for (const r of requested) expect(r).toMatch(/^(manifest\.json|[dtor]\/[0-9a-z]+\.json)$/);
    const total = (await readdir(path.join(site.dist, 'search-index/r'))).length + manifest.chunks.length + manifest.buckets;
    expect(requested.length).toBeLessThan(Math.max(40, total / 4));
    await page.close();
  });

  it.skipIf(!allsides)('finds a story whose query words live in different term chunks', async () => {
    // Two headline words the manifest puts in different chunks.
    const terms = tokenize(story.headline).filter((t) => t.term.length > 3);
    const pair = terms.flatMap((a, i) => terms.slice(i + 1).map((b) => [a, b] as const)).find(([a, b]) => chunkIndex(manifest.chunks, a.term) !== chunkIndex(manifest.chunks, b.term));
    expect(pair, 'two headline words in different chunks').toBeTruthy();
    expect(manifest.chunks.length).toBeGreaterThan(10);
    const page = await browser.newPage();
    const requested = indexRequests(page);
    const query = pair!.map((t) => story.headline.slice(t.start, t.end)).join(' ');
    await open(`search/?q=${encodeURIComponent(query)}`, page);
    await results(page).first().waitFor();
    expect(await firstHref(page)).toMatch(storyPath());
    const chunks = new Set(requested.filter((r) => r.startsWith('t/')));
    expect(chunks.size).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('finds the story despite a typo and keeps the query in the URL as it changes', async () => {
    const page = await open('search/');
    const box = page.locator('#site-search');
    await box.pressSequentially('Zelenksy Umerov');
    await page.waitForURL(/[?&]q=Zelenksy(\+|%20)Umerov/);
    await expect.poll(() => firstHref(page), { timeout: 15_000 }).toMatch(storyPath());
    await box.fill('');
    await page.waitForURL((u) => !u.searchParams.has('q'));
    await expect.poll(() => results(page).count()).toBe(0);
    await page.close();
  });

  it('matches a word while it is being typed', async () => {
    const page = await open('search/');
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === '1');
    const [first, second] = headlineWords();
    // The second word cut short: a prefix, completed from the dictionary.
    const partial = `${first} ${second.slice(0, Math.max(3, Math.ceil(second.length * 0.6)))}`;
    await page.locator('#site-search').pressSequentially(partial, { delay: 30 });
    // The list answers the whole partial query, not a shorter prefix's results still showing.
    await page.waitForFunction((q) => document.getElementById('search-results')?.dataset.query === q, partial, { timeout: 15_000 });
    await expect.poll(() => firstHref(page), { timeout: 15_000 }).toMatch(storyPath());
    const marks = await results(page).first().locator('a mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toContain(second.slice(0, partial.length - first.length - 1).toLowerCase());
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
    // The list answers the whole word, not a prefix's results still arriving.
    await page.locator('#site-search-suggestions[data-query="peace"] li').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await suggestions.first().getAttribute('aria-current')).toBe('true');
    const target = await suggestions.first().locator('a').getAttribute('href');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === target);
    await page.close();
  });

  it('filters by outlet and date, kept in the URL, and applies a deep-linked outlet and dates at once', async () => {
    const page = await open(`search/?q=peace`);
    await results(page).first().waitFor();
    // The outlet choices are filled in once the first results are up.
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === '1');
    const all = await results(page).count();
    expect(all).toBeGreaterThan(0);
    const metas = async () => results(page).evaluateAll((els) => els.map((e) => e.querySelector('p.meta')?.textContent ?? ''));
    // An outlet of the first result, so the filtered list is not empty.
    const outlet = (await metas())[0].split(' · ')[1].split(', ')[0];
    expect(await page.locator('#search-outlet option').allTextContents()).toContain(outlet);
    await page.locator('#search-outlet').selectOption(outlet);
    await page.waitForURL((u) => u.searchParams.get('outlet') === outlet);
    await expect.poll(async () => (await metas()).every((m) => m.includes(outlet))).toBe(true);
    expect((await metas()).length).toBeGreaterThan(0);
    await page.locator('#search-from').fill('2100-01-01');
    await page.waitForURL((u) => u.searchParams.get('from') === '2100-01-01');
    await expect.poll(() => results(page).count()).toBe(0);

    // The same filters as a deep link: the controls show them, the results obey them.
    const dated = await open(`search/?q=peace&outlet=${encodeURIComponent(outlet)}&from=2000-01-01&to=2099-12-31`);
    await results(dated).first().waitFor();
    expect(await dated.locator('#search-outlet').inputValue()).toBe(outlet);
    expect(await dated.locator('#search-from').inputValue()).toBe('2000-01-01');
    expect(await dated.locator('#search-to').inputValue()).toBe('2099-12-31');
    for (const m of await dated.getByTestId('search-result').evaluateAll((els) => els.map((e) => e.querySelector('p.meta')?.textContent ?? ''))) expect(m).toContain(outlet);
    await page.close();
    await dated.close();
  });

  it('answers from what it has fetched once offline, and says when it cannot fetch more', async () => {
    const context = await browser.newContext();
    const page = await open('search/', await context.newPage());
    const box = page.locator('#site-search');
    const [first, second] = headlineWords();
    await box.pressSequentially(`${first} ${second}`);
    await expect.poll(() => firstHref(page), { timeout: 15_000 }).toMatch(storyPath());
    // One of the words alone, asked once online: a single word can match stories the two-word query
    // never needed, so it fetches their fragments now.
    const alone = new RegExp(`^\\d+\\+? results? for “${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`, 'i');
    await box.fill(`${first} `);
    await expect.poll(() => page.locator('#search-status').textContent(), { timeout: 15_000 }).toMatch(alone);
    await context.setOffline(true);
    // The same words in the other order, and the one word alone: every file they need is here already.
    await box.fill(`${second} ${first}`);
    await expect.poll(() => firstHref(page)).toMatch(storyPath());
    await box.fill(`${first} `);
    await expect.poll(() => page.locator('#search-status').textContent()).toMatch(alone);
    expect(await page.locator('#search-status').textContent()).not.toMatch(/offline/);
    // A word never asked for: its files cannot be fetched, and the page says so. (The sample
    // alone has one file of each kind, all fetched by now.)
    if (allsides) {
      await box.fill('volcanologist');
      await expect.poll(() => page.locator('#search-status').textContent()).toMatch(/offline/);
    }
    await context.setOffline(false);
    await box.fill(`${first} ${second}`);
    await expect.poll(() => firstHref(page)).toMatch(storyPath());
    await context.close();
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

  it('points a reader without JavaScript to the archive by day and by outlet, not a list of every story', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${served.url}search/?q=anything`);
    const links = await page.locator('#browse a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['/days/', '/outlets/']));
    expect(await page.locator('main a[href*="/stories/"]').count()).toBe(0);
    // A fixed, small page, however many stories there are.
    expect((await readFile(path.join(site.dist, 'search/index.html'))).length).toBeLessThan(20_000);
    await context.close();
  });

  it('has no serious or critical axe-core violations on /search/, with results and without', async () => {
    const words = headlineWords().join(' ');
    const found = [
      ...(await axeViolations(browser, `${served.url}search/?q=${encodeURIComponent(words)}`, `document.documentElement.dataset.searchReady === '1'`)),
      ...(await axeViolations(browser, `${served.url}search/`)),
    ];
    expect(found).toEqual([]);
  });

  it('logged no script errors, CSP violations or dialogs', () => {
    expect(problems).toEqual([]);
  });
});
