/**
 * HTML -> ParsedDoc. Mozilla Readability (on linkedom, a light DOM) finds the
 * article container; the text cleaner then runs on its blocks like on any scrape.
 * Metadata comes from `<meta>` tags, which publishers fill for social cards.
 */
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import type { Hints, ParsedDoc } from './types.ts';

export interface HtmlOptions {
  /** Run Readability to find the article; off for fragments that are the article. */
  readability: boolean;
  /** Blocks inside `<figure>` (captions, credits) are marked for removal as `caption`. */
  dropCaptions: boolean;
  /**
   * Blocks whose text is at least this share link text are marked for removal as
   * `link-list` ("related" lists and teaser links Readability left in its container).
   */
  maxLinkDensity: number;
}

export const defaultHtmlOptions: HtmlOptions = { readability: true, dropCaptions: true, maxLinkDensity: 0.8 };

/**
 * A parsed HTML page may carry lines the parser already knows are not article
 * text; the cleaner removes them and records them with this kind.
 */
export interface MarkedDoc extends ParsedDoc {
  marked?: Map<number, string>;
}

const BLOCK_SELECTOR = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td, dd, dt';
const HEADING = /^H[1-6]$/;

export function parseHtml(raw: string, html: string, options: Partial<HtmlOptions> = {}): MarkedDoc {
  const opts = { ...defaultHtmlOptions, ...options };
  const { readability } = opts;
  const { document } = parseHTML(html);
  const hints = metaHints(document);
  const warnings: string[] = [];

  let container: Element | null = null;
  if (readability) {
    try {
      // Readability mutates the document it is given; metadata was read above.
      const article = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
      if (article?.content) {
        container = parseHTML(`<html><body>${article.content}</body></html>`).document.body as unknown as Element;
        if (!hints.title && article.title) hints.title = article.title.trim();
        if (!hints.byline && article.byline) hints.byline = article.byline.trim();
        if (!hints.source && article.siteName) hints.source = article.siteName.trim();
        if (!hints.lang && article.lang) hints.lang = article.lang;
      }
    } catch (err) {
      warnings.push(`readability failed (${(err as Error).message}); used the whole page`);
    }
  }
  if (!container) container = (document.body ?? document.documentElement) as unknown as Element;

  const { lines, headingLines, marked } = blocksOf(container, opts);
  return { raw, part: 0, format: 'html', hints, lines, headingLines, warnings, marked };
}

/** Flattens block elements in document order; nested blocks are read once, at the innermost. */
export function blocksOf(
  root: Element,
  options: Partial<Pick<HtmlOptions, 'dropCaptions' | 'maxLinkDensity'>> = {},
): { lines: string[]; headingLines: Set<number>; marked: Map<number, string> } {
  const { dropCaptions = false, maxLinkDensity = 1 } = options;
  const marked = new Map<number, string>();
  for (const el of Array.from(root.querySelectorAll('script, style, noscript, template, svg, iframe, form, button'))) el.remove();
  const lines: string[] = [];
  const headingLines = new Set<number>();
  const blocks = Array.from(root.querySelectorAll(BLOCK_SELECTOR)).filter((el) => !el.querySelector(BLOCK_SELECTOR));
  if (blocks.length === 0) {
    for (const line of (root.textContent ?? '').split(/\n+/)) lines.push(normaliseSpace(line));
  }
  for (const el of blocks) {
    const text = normaliseSpace(el.textContent ?? '');
    if (!text) continue;
    if (dropCaptions && (el.tagName === 'FIGCAPTION' || el.closest('figure'))) marked.set(lines.length, 'caption');
    else if (maxLinkDensity < 1 && linkDensity(el, text.length) >= maxLinkDensity) marked.set(lines.length, 'link-list');
    if (HEADING.test(el.tagName)) headingLines.add(lines.length);
    lines.push(el.tagName === 'LI' ? `- ${text}` : text);
  }
  return { lines, headingLines, marked };
}

/** Share of a block's text that sits inside links (Readability's and boilerpipe's link density). */
function linkDensity(el: Element, length: number): number {
  if (length === 0) return 0;
  let linked = 0;
  for (const a of Array.from(el.querySelectorAll('a'))) linked += normaliseSpace(a.textContent ?? '').length;
  return linked / length;
}

function normaliseSpace(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

function metaHints(document: Document): Hints {
  const meta = (...names: string[]): string | undefined => {
    for (const name of names) {
      const el = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
      const value = el?.getAttribute('content')?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const hints: Hints = {};
  const title = meta('og:title', 'twitter:title') ?? document.querySelector('h1')?.textContent?.trim() ?? document.title?.trim();
  if (title) hints.title = normaliseSpace(title);
  const source = meta('og:site_name', 'application-name', 'publisher');
  if (source) hints.source = source;
  const date = meta('article:published_time', 'datePublished', 'pubdate', 'publish-date', 'date', 'dc.date', 'DC.date.issued', 'sailthru.date', 'parsely-pub-date') ?? document.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined;
  if (date) hints.date = date;
  const byline = meta('author', 'article:author', 'byl', 'parsely-author', 'sailthru.author');
  if (byline && !/^https?:/.test(byline)) hints.byline = byline;
  const url = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('og:url');
  if (url) hints.url = url;
  const dek = meta('og:description', 'description', 'twitter:description');
  if (dek) hints.dek = dek;
  const lang = document.documentElement?.getAttribute('lang');
  if (lang) hints.lang = lang.split('-')[0].toLowerCase();
  return hints;
}
