/**
 * Security (#7): raw text is untrusted. A site built from hostile files shows
 * every payload as text and never as markup, links only http(s) URLs, never
 * runs front matter as code, and every page carries a CSP that allows only the
 * site's own scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { buildSite, type BuiltSite } from './helpers/site';
import { exists, sampleRaw, scratch, snapshot } from './helpers/tree';

let dir: string;
let raw: string;
let marker: string;
let site: BuiltSite;
let pages: Array<{ file: string; html: string }>;
let rawBefore: Record<string, string>;

const tag = `nf${process.pid}`;
// Each payload carries a unique tag, so the test can find it in the output.
const payloads = {
  script: `<script>window.${tag}=1</script>`,
  iframe: `<iframe src="javascript:parent.${tag}()"></iframe>`,
  svg: `<svg onload="${tag}()"><circle r="1"/></svg>`,
  img: `<img src=x onerror="${tag}()">`,
  link: `<a href="javascript:${tag}()">click ${tag}</a>`,
  mdLink: `[read more ${tag}](javascript:${tag}())`,
};
const allPayloads = Object.values(payloads).join(' ');

beforeAll(async () => {
  dir = await scratch();
  raw = path.join(dir, 'raw');
  marker = path.join(dir, `pwned-${tag}`);
  await mkdir(raw, { recursive: true });
  const bodies = (await Promise.all((await readdir(sampleRaw)).sort().map((n) => readFile(path.join(sampleRaw, n), 'utf8')))).map((t) =>
    t.split('\n').filter((l) => l.trim().split(/\s+/).length > 12),
  );
  const para = (i: number) => bodies[i % bodies.length].slice(0, 4).join('\n\n');

  // Payloads in the title, the body, and every front matter field.
  await writeFile(
    path.join(raw, 'hostile-md.md'),
    [
      '---',
      `title: '${payloads.script} ${payloads.img} headline'`,
      `source: '${payloads.svg}'`,
      `byline: '${payloads.iframe}'`,
      `dek: '${payloads.link}'`,
      `url: 'javascript:${tag}()'`,
      'date: 2025-07-20',
      '---',
      '',
      para(0),
      '',
      `${allPayloads} ${para(0).split('\n')[0]}`,
      '',
      payloads.mdLink,
    ].join('\n'),
  );
  await writeFile(path.join(raw, 'hostile-title.txt'), `${payloads.svg} ${payloads.script} headline ${tag}\n\n${para(1)}\n\n${allPayloads}\n`);
  await writeFile(
    path.join(raw, 'hostile-html.html'),
    `<!doctype html><html><head><title>${payloads.img} page</title><link rel="canonical" href="javascript:${tag}()">` +
      `<meta property="og:url" content="javascript:${tag}()"></head><body><article><h1>${payloads.iframe} heading</h1>` +
      para(2).split('\n\n').map((p) => `<p>${p}</p>`).join('') +
      `<p onclick="${tag}()">${payloads.svg} ${payloads.link} ${para(2).split('\n')[0]}</p><script>${tag}()</script></article></body></html>`,
  );
  await writeFile(
    path.join(raw, 'hostile-json.json'),
    JSON.stringify({ title: `${payloads.script} json`, url: `javascript:${tag}()`, source: payloads.img, body: `${para(3)}\n\n${allPayloads}` }),
  );
  // Front matter as code: gray-matter would run this by default.
  const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { title: 'code' }`;
  for (const [name, lang] of [['code-js.md', 'js'], ['code-javascript.md', 'javascript'], ['code-spaced.md', ' js']]) {
    await writeFile(path.join(raw, name), `---${lang}\n${code}\n---\n\n${para(4)}\n`);
  }
  rawBefore = await snapshot(raw);
  site = await buildSite(raw);
  pages = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.html')) pages.push({ file: path.relative(site.dist, p), html: await readFile(p, 'utf8') });
    }
  };
  await walk(site.dist);
});
afterAll(async () => {
  await site?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('hostile input', () => {
  it('built the hostile articles', async () => {
    const report = JSON.parse(await readFile(site.report, 'utf8'));
    const built = report.articles.map((a: { raw: string }) => a.raw);
    expect(report.rejected.filter((r: { raw: string }) => r.raw.startsWith('hostile'))).toEqual([]);
    for (const name of ['hostile-md.md', 'hostile-title.txt', 'hostile-html.html', 'hostile-json.json']) expect(built).toContain(name);
    expect(pages.length).toBeGreaterThan(4);
  });

  it('never runs front matter as code', async () => {
    expect(await exists(marker)).toBe(false);
    const report = JSON.parse(await readFile(site.report, 'utf8'));
    for (const name of ['code-js.md', 'code-javascript.md']) {
      const r = report.rejected.find((x: { raw: string }) => x.raw === name);
      expect(r, name).toBeDefined();
      expect(r.reason).toMatch(/front matter/);
    }
  });

  it('renders no payload as markup on any page', () => {
    for (const { file, html } of pages) {
      const { document } = parseHTML(html);
      for (const el of document.querySelectorAll('*')) {
        const name = el.tagName.toLowerCase();
        expect(['iframe', 'object', 'embed', 'frame'], `${file}: <${name}>`).not.toContain(name);
        for (const attr of el.attributes) {
          expect(attr.name.toLowerCase().startsWith('on'), `${file}: <${name} ${attr.name}>`).toBe(false);
          expect(attr.value, `${file}: <${name} ${attr.name}>`).not.toMatch(/^\s*(javascript|data|vbscript):/i);
        }
        if (name === 'svg' || name === 'img') expect(el.outerHTML).not.toContain(tag);
        if (name === 'script') {
          const type = el.getAttribute('type') ?? '';
          if (type === 'application/ld+json') {
            expect(el.textContent ?? '', file).not.toMatch(/<\/?script/i);
            expect(() => JSON.parse(el.textContent ?? ''), file).not.toThrow();
          } else {
            // Only the site's own bundled scripts, by src.
            expect(el.getAttribute('src'), `${file}: inline script`).toMatch(/^\/(?!\/)/);
            expect(el.textContent?.trim() ?? '').toBe('');
          }
        }
      }
      for (const a of document.querySelectorAll('a[href]')) {
        const href = a.getAttribute('href')!;
        expect(/^(https?:\/\/|\/(?!\/)|#|\.{0,2}\/?[\w-])/i.test(href), `${file}: link ${href}`).toBe(true);
      }
    }
  });

  it('shows payloads as visible text', () => {
    const text = pages.map(({ html }) => parseHTML(html).document.body?.textContent ?? '').join('\n');
    expect(text).toContain(payloads.script);
    expect(text).toContain(`onload="${tag}()"`);
    expect(text).toContain(`onerror="${tag}()"`);
  });

  it('carries a CSP that allows only the site’s own scripts on every page', () => {
    for (const { file, html } of pages) {
      const { document } = parseHTML(html);
      const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
      const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('default-src'));
      expect(scriptSrc, file).toBeDefined();
      expect(scriptSrc!.split(/\s+/).slice(1), file).toEqual(["'self'"]);
      expect(csp).toMatch(/object-src 'none'/);
    }
  });

  it('escapes the RSS feed', async () => {
    const rss = await readFile(path.join(site.dist, 'rss.xml'), 'utf8');
    expect(rss).not.toMatch(/<(script|iframe|svg|img)\b/i);
  });

  it('wrote nothing outside its folders and nothing into the drop folder', async () => {
    expect(await snapshot(raw)).toEqual(rawBefore);
    const articles = await readdir(path.join(site.content, 'articles'));
    for (const f of articles) expect(f).toMatch(/^[a-z0-9][a-z0-9_-]*\.md$/);
  });
});
