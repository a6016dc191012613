/** Checks shared by the story-page tests: article text as written, carrying, axe, page weight. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';

/** Whitespace and quote marks unified: the page and the Markdown differ only there. */
export function normalise(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

/** The cleaned body of `content/articles/<id>.md`, unescaped back to plain text. */
export function articleText(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  return body
    .split(/\n{2,}/)
    .map((p) => p.replace(/^## /, ''))
    .map((p) => p.replace(/\\([\\`*_[\]{}|~#+=.!)(-])/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
    .join('\n\n');
}

function shingles(text: string): Set<string> {
  const words = text.toLowerCase().replace(/[‘’]/g, "'").replace(/[^\p{L}\p{N}']+/gu, ' ').trim().split(' ');
  const out = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) out.add(words.slice(i, i + 3).join(' '));
  return out;
}

/** The body says the sentence verbatim, or near-verbatim (most of its word 3-shingles). */
export function carries(body: string, sentence: string): boolean {
  if (normalise(body).includes(normalise(sentence))) return true;
  const s = shingles(sentence);
  const b = shingles(body);
  let hit = 0;
  for (const x of s) if (b.has(x)) hit++;
  return s.size > 0 && hit / s.size >= 0.8;
}

/** Bytes a first visit loads: the HTML plus the stylesheets and scripts it links. */
export async function pageWeight(dist: string, rel: string): Promise<number> {
  const html = await readFile(path.join(dist, rel), 'utf8');
  let bytes = Buffer.byteLength(html);
  for (const m of html.matchAll(/<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"/g)) {
    const file = path.join(dist, m[1].replace(/^\/+/, ''));
    bytes += (await readFile(file).catch(() => Buffer.alloc(0))).length;
  }
  return bytes;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Serious and critical axe-core violations of a page, as "rule-id (n nodes)". CSP is bypassed only to inject axe.
 * `ready`: a script expression to wait for before checking (content the page's scripts add).
 */
export async function axeViolations(browser: Browser, url: string, ready?: string): Promise<string[]> {
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    if (ready) await page.waitForFunction(ready);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes} nodes)`);
  } finally {
    await context.close();
  }
}
