/**
 * The newsroom's own site, end to end (issue #19): a config file brands it
 * and names its outlets, and an editor's overrides correct the grouping
 * without touching a raw file.
 *
 *  - every config key where it shows: every page's <title>, the header,
 *    OpenGraph, JSON-LD, <html lang>, the RSS channel and its size, dates in
 *    the site's time zone, outlets named from URLs and spellings, homepages;
 *  - every override: a pinned headline, a merge (the merged story's URL is a
 *    small page leading to the survivor, left out of the sitemap), a move, a
 *    hidden article absent from every file of dist/ and content/ while its
 *    raw file is untouched and the report lists it; unknown ids reported and
 *    skipped;
 *  - an overrides-only change is a partial build of the affected pages, and
 *    gives what a cold build of the same files, config and overrides gives;
 *  - a bad config or overrides file stops the build (exit 4) before anything
 *    is written: dist/ and content/ byte-identical.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { repoRoot, runBuild, type BuildResult } from '../src/lib/build/index';
import { readMerged } from '../src/lib/build/partial';
import { ingest } from '../src/lib/ingest/index';
import { reportSchema } from '../src/lib/schema';
import { NEWSROOM, SECRET_SENTENCE, writeNewsroom } from './helpers/newsroom';
import { scratch, snapshot } from './helpers/tree';
import { hasChromium, launchBrowser } from './helpers/browser';
import { serveDir } from './helpers/serve';

const run = promisify(execFile);

const CONFIG = `# The Harbor Daily's site
title: Harbor Daily
description: The Harborton region's news, every source side by side.
language: en-GB
timezone: America/New_York
site: https://news.harbor.example
feedSize: 1
outlets:
  - name: Associated Press
    domains: [apnews.com]
    aliases: [AP]
    homepage: https://apnews.com/
  - name: Harbor Post
    domains: [harborpost.com]
`;

/** Every file under `dir`, relative, sorted. */
async function files(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await files(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

describe('a newsroom brands its site and corrects its stories', () => {
  let dir: string;
  let raw: string;
  let content: string;
  let dist: string;
  let configFile: string;
  let overridesFile: string;
  let rawBefore: Record<string, string>;
  let first: BuildResult;
  const ids = { bridge: '', budget: '', festival: '', library: '' };
  const html = new Map<string, string>();

  beforeAll(async () => {
    dir = await scratch('newsfold-newsroom-');
    raw = path.join(dir, 'raw');
    content = path.join(dir, 'content');
    dist = path.join(dir, 'dist');
    configFile = path.join(dir, 'newsfold.config.yaml');
    overridesFile = path.join(content, 'overrides.yaml');
    await writeNewsroom(raw);
    rawBefore = await snapshot(raw);
    await writeFile(configFile, CONFIG);
    // The machine grouping's story ids, as the editor reads them off the site's URLs.
    const rawFiles = await Promise.all(NEWSROOM.map(async (a) => ({ raw: a.file, bytes: new Uint8Array(await readFile(path.join(raw, a.file))) })));
    const machine = ingest(rawFiles);
    const storyOf = (article: string) => machine.stories.find((s) => s.articles.includes(article))!.id;
    ids.bridge = storyOf('bridge-ap');
    ids.budget = storyOf('budget-post');
    ids.festival = storyOf('festival-ap');
    ids.library = storyOf('library-post');
    expect(storyOf('library-ledger')).toBe(ids.library);
    await writeNewsroomOverrides([
      'stories:',
      `  ${ids.bridge}:`,
      '    headline: "Harborton bridge shut for inspection"',
      `  ${ids.budget}:`,
      `    merge: [${ids.festival}, no-such-story]`,
      'articles:',
      '  bridge-gazette:',
      '    hidden: true',
      '  ghost-article:',
      '    hidden: true',
    ]);
    first = await runBuild({ raw, content, dist, config: configFile, report: path.join(dir, 'report.json') });
    for (const f of await files(dist)) if (f.endsWith('.html')) html.set(f, await readFile(path.join(dist, f), 'utf8'));
  }, 600_000);
  afterAll(async () => {
    const { rm } = await import('node:fs/promises');
    await rm(dir, { recursive: true, force: true });
  });

  async function writeNewsroomOverrides(lines: string[]): Promise<void> {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(content, { recursive: true });
    await writeFile(overridesFile, `${lines.join('\n')}\n`);
  }

  it("puts the site's title and description on every page: <title>, header, OpenGraph, JSON-LD; its language on <html>", () => {
    expect(first.mode).toBe('full');
    const redirect = `stories/${ids.festival}/index.html`;
    expect(html.size).toBeGreaterThan(10);
    for (const [file, text] of html) {
      const { document } = parseHTML(text);
      expect(document.querySelector('html')?.getAttribute('lang'), file).toBe('en-GB');
      expect(document.querySelector('title')?.textContent, file).toMatch(/(^| · )Harbor Daily$/);
      if (file === redirect) continue;
      expect(document.querySelector('[data-testid="site-title"]')?.textContent, file).toBe('Harbor Daily');
      expect(document.querySelector('meta[property="og:site_name"]')?.getAttribute('content'), file).toBe('Harbor Daily');
      const ld = JSON.parse(document.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}');
      const site = ld['@type'] === 'WebSite' ? ld : ld.isPartOf;
      expect(site, file).toMatchObject({ '@type': 'WebSite', name: 'Harbor Daily', description: "The Harborton region's news, every source side by side.", url: 'https://news.harbor.example/' });
      expect(text, file).not.toMatch(/>Newsfold</);
    }
    const home = parseHTML(html.get('index.html')!).document;
    expect(home.querySelector('title')?.textContent).toBe('Harbor Daily');
    expect(home.querySelector('meta[name="description"]')?.getAttribute('content')).toBe("The Harborton region's news, every source side by side.");
    expect(home.querySelector('link[rel="canonical"]')?.getAttribute('href')).toBe('https://news.harbor.example/');
  });

  it("writes the RSS channel with the site's title, description and language, feedSize items dated in its time zone", async () => {
    const rss = parseHTML(await readFile(path.join(dist, 'rss.xml'), 'utf8'), 'text/xml').document;
    expect(rss.querySelector('channel > title')?.textContent).toBe('Harbor Daily');
    expect(rss.querySelector('channel > description')?.textContent).toBe("The Harborton region's news, every source side by side.");
    expect(rss.querySelector('channel > language')?.textContent).toBe('en-gb');
    const items = rss.querySelectorAll('item');
    expect(items.length).toBe(1);
    // The newest story's last day is 8 March; midnight in New York (EST) is 05:00 UTC.
    expect(items[0].querySelector('pubDate')?.textContent).toBe('Sat, 08 Mar 2025 05:00:00 GMT');
    expect(html.get('index.html')).toContain('Dates are days in America/New York.');
  });

  it('names outlets from URLs and unifies their spellings, and links their homepages', async () => {
    const report = reportSchema.parse(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')));
    const source = Object.fromEntries(report.articles.map((a) => [a.id, a.source]));
    expect(source).toMatchObject({ 'bridge-ap': 'Associated Press', 'festival-ap': 'Associated Press', 'budget-post': 'Harbor Post', 'bridge-ledger': 'Daily Ledger' });
    const outlets = (await readdir(path.join(dist, 'outlets'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(outlets).toEqual(['associated-press', 'daily-ledger', 'harbor-post']);
    const ap = parseHTML(html.get('outlets/associated-press/index.html')!).document;
    expect(ap.querySelector('[data-testid="outlet-homepage"]')?.getAttribute('href')).toBe('https://apnews.com/');
    expect(parseHTML(html.get('outlets/harbor-post/index.html')!).document.querySelector('[data-testid="outlet-homepage"]')).toBeNull();
  });

  it('pins the headline, and says in "why grouped" what the editor changed', () => {
    const page = parseHTML(html.get(`stories/${ids.bridge}/index.html`)!).document;
    expect(page.querySelector('[data-testid="story-headline"]')?.textContent).toBe('Harborton bridge shut for inspection');
    expect(page.querySelector('title')?.textContent).toBe('Harborton bridge shut for inspection · Harbor Daily');
    const edits = [...page.querySelectorAll('[data-testid="editor-edit"]')].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
    expect(edits).toEqual(["the headline is the editor's, not one of the sources' titles.", '1 article withheld from publication.']);
    const merged = parseHTML(html.get(`stories/${ids.budget}/index.html`)!).document;
    expect([...merged.querySelectorAll('[data-testid="editor-edit"]')].map((e) => e.textContent!.trim())).toEqual(['1 other story merged into this one; its page leads here.']);
    expect(merged.querySelectorAll('[data-testid="source-card"]').length).toBe(4);
  });

  it("leaves a merged story's URL as a small page leading to the survivor, out of the sitemap", async () => {
    const page = parseHTML(html.get(`stories/${ids.festival}/index.html`)!).document;
    const target = `/stories/${ids.budget}/`;
    expect(page.querySelector('link[rel="canonical"]')?.getAttribute('href')).toBe(`https://news.harbor.example${target}`);
    expect(page.querySelector('meta[http-equiv="refresh"]')?.getAttribute('content')).toBe(`0; url=${target}`);
    expect(page.querySelector('meta[name="robots"]')?.getAttribute('content')).toBe('noindex');
    expect(page.querySelector('body a')?.getAttribute('href')).toBe(target);
    expect(html.get(`stories/${ids.festival}/index.html`)!.length).toBeLessThan(1500);
    const sitemap = await readFile(path.join(dist, 'sitemap-0.xml'), 'utf8');
    expect(sitemap).not.toContain(`/stories/${ids.festival}/`);
    expect(sitemap).toContain(`https://news.harbor.example/stories/${ids.budget}/`);
    expect(sitemap).toContain(`https://news.harbor.example/stories/${ids.bridge}/`);
    const rss = await readFile(path.join(dist, 'rss.xml'), 'utf8');
    expect(rss).not.toContain(ids.festival);
  });

  it.runIf(hasChromium())('takes a reader from the merged URL to the survivor in a browser', async () => {
    const served = await serveDir(dist);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${served.url}stories/${ids.festival}/`);
      await page.waitForURL(`${served.url}stories/${ids.budget}/`, { timeout: 10_000 });
      expect(await page.textContent('[data-testid="story-headline"]')).toBeTruthy();
    } finally {
      await browser.close();
      await served.close();
    }
  });

  it('hides an article from every file of dist/ and content/, leaves its raw file untouched, and reports it', async () => {
    const needles = ['bridge-gazette', 'Quillby', SECRET_SENTENCE, 'Harbor Gazette', 'Harborton bridge shut as engineers inspect cracked pylon'];
    const found: string[] = [];
    for (const root of [dist, path.join(content, 'articles'), path.join(content, 'stories')]) {
      const list = root.endsWith('.json') ? [''] : await files(root);
      for (const f of list) {
        const text = await readFile(path.join(root, f), 'utf8');
        for (const n of needles) if (text.includes(n) || text.includes(n.replace(/'/g, '&#39;'))) found.push(`${root}/${f}: ${n}`);
      }
    }
    expect(found).toEqual([]);
    expect((await files(dist)).length).toBeGreaterThan(15);
    expect(await snapshot(raw)).toEqual(rawBefore);
    const report = reportSchema.parse(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')));
    expect(report.hidden).toEqual([{ id: 'bridge-gazette', raw: 'bridge-gazette.md' }]);
    expect(report.articles.map((a) => a.id)).not.toContain('bridge-gazette');
  });

  it('reports an override naming nothing by name and goes on', async () => {
    const report = reportSchema.parse(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')));
    expect(report.overrides.skipped).toEqual([
      { override: 'articles.ghost-article.hidden', reason: 'no article ghost-article' },
      { override: `stories.${ids.budget}.merge.no-such-story`, reason: 'no story no-such-story' },
    ]);
    expect(first.ingest.warnings.map((w) => w.message)).toContain('articles.ghost-article.hidden: no article ghost-article; skipped');
    expect(report.overrides.applied).toHaveLength(3);
  });

  it('rebuilds only the affected pages when only the overrides change, as a cold build of the same files would', async () => {
    await writeNewsroomOverrides([
      '# Night desk, 9 March: the ledger piece belongs with the council story; the bridge headline is the outlets\' again.',
      'stories:',
      `  ${ids.budget}:`,
      `    merge: [${ids.festival}, no-such-story]`,
      'articles:',
      '  bridge-gazette:',
      '    hidden: true',
      '  bridge-ledger:',
      `    story: ${ids.budget}`,
    ]);
    const library = path.join(dist, 'stories', ids.library, 'index.html');
    const libraryBefore = (await stat(library)).ino;
    const manifest = async () => (await readMerged(content))!.pages;
    const before = await manifest();
    const logs: string[] = [];
    const second = await runBuild({ raw, content, dist, config: configFile, log: (l) => logs.push(l) });
    expect(second.mode).toBe('partial');
    expect(second.ingest.cache.misses).toBe(0);
    expect(second.ingest.written.updated.sort()).toEqual(['articles/bridge-ledger.md', `stories/${ids.budget}.json`, `stories/${ids.bridge}.json`].sort());
    // Exactly the pages whose spec changed (src/lib/site/plan.ts): the two stories, the moved
    // article, the pages of the articles whose story's headline changed (each names it), the merged
    // story's page (now a redirect) and the listings that show them.
    const after = await manifest();
    const changed = Object.keys(after).filter((k) => before[k] !== after[k]);
    expect(changed).toEqual(expect.arrayContaining([`stories/${ids.budget}/`, `stories/${ids.bridge}/`, `stories/${ids.festival}/`, 'articles/bridge-ledger/']));
    expect(second.pagesRendered).toBe(changed.length);
    expect(second.pagesRendered).toBeLessThan(Object.keys(after).length);
    expect(logs.join('\n')).toMatch(new RegExp(`partial build: ${changed.length} page\\(s\\) rendered`));
    // A story the overrides do not touch keeps its page: the previous dist/'s file, not rendered again.
    expect((await stat(library)).ino).toBe(libraryBefore);
    const bridge = parseHTML(await readFile(path.join(dist, 'stories', ids.bridge, 'index.html'), 'utf8')).document;
    expect(bridge.querySelector('[data-testid="story-headline"]')?.textContent).not.toBe('Harborton bridge shut for inspection');
    const budget = await readFile(path.join(dist, 'stories', ids.budget, 'index.html'), 'utf8');
    expect(budget).toContain('placed here by an editor');

    // The same drop folder, config and overrides, built cold elsewhere: the same content and site.
    const cold = path.join(dir, 'cold');
    const { cp } = await import('node:fs/promises');
    await cp(overridesFile, path.join(cold, 'content', 'overrides.yaml'));
    const third = await runBuild({ raw, content: path.join(cold, 'content'), dist: path.join(cold, 'dist'), config: configFile });
    expect(third.mode).toBe('full');
    for (const folder of ['articles', 'stories']) expect(await snapshot(path.join(cold, 'content', folder))).toEqual(await snapshot(path.join(content, folder)));
    expect(await snapshot(path.join(cold, 'dist'))).toEqual(await snapshot(dist));
  }, 600_000);

  it('stops on a bad config or overrides file before writing anything (exit 4); dist/ and content/ stay byte-identical', async () => {
    const distBefore = await snapshot(dist);
    const contentBefore = await snapshot(content);
    const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
    const build = (args: string[]) =>
      run(tsx, ['scripts/build.ts', '--raw', raw, '--content', content, '--dist', dist, ...args], { cwd: repoRoot }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
    const bad = path.join(dir, 'bad.config.yaml');
    await writeFile(bad, `${CONFIG}feedSize: lots\n`);
    // (A duplicate key: YAML itself refuses it.)
    let failed = await build(['--config', bad]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toMatch(/bad\.config\.yaml:15:1: cannot read YAML: Map keys must be unique/);

    await writeFile(bad, CONFIG.replace('feedSize: 1', 'feedSize: lots').replace('timezone:', 'timezon:'));
    failed = await build(['--config', bad]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('bad.config.yaml:5:1: timezon: unknown key');
    expect(failed.stderr).toContain('bad.config.yaml:7:1: feedSize: expected a whole number, got the text "lots"');
    expect(failed.stderr).toContain('Nothing was built; the previous site still serves.');

    const goodOverrides = await readFile(overridesFile, 'utf8');
    await writeFile(overridesFile, goodOverrides.replace('hidden: true', 'hiden: true'));
    failed = await build(['--config', configFile]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toMatch(/overrides\.yaml:\d+:5: articles\.bridge-gazette\.hiden: unknown key; expected one of story, hidden; did you mean hidden\?/);
    await writeFile(overridesFile, goodOverrides);

    expect(await snapshot(dist)).toEqual(distBefore);
    expect(await snapshot(content)).toEqual(contentBefore);
  }, 120_000);
});
