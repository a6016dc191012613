/**
 * HTML -> ParsedDoc. Mozilla Readability (on linkedom, a light DOM) finds the
 * article container; the text cleaner then runs on its blocks like on any scrape.
 * Metadata comes from `<meta>` tags, which publishers fill for social cards.
 */
import { library } from '../libraries.ts';
import type { Hints, ParsedDoc } from '../types.ts';
import { wordCount } from '../../text.ts';

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
  /**
   * On a page (Readability on), text sitting loose in a layout element (a `<div>` or
   * `<section>`, not in a paragraph, heading, list item, cell or quote) that is short
   * (under `looseMaxWords` words) and does not end like a sentence is marked
   * `page-chrome`: templates put URL echoes, "Updated …" stamps, gallery counters
   * and breadcrumbs there. Loose prose (sentences, long runs) is article text.
   */
  markLooseText: boolean;
  looseMaxWords: number;
  /** Blocks whose class or id names them as page furniture are marked (see BLOCK_HINTS). */
  classHints: boolean;
}

export const defaultHtmlOptions: HtmlOptions = {
  readability: true,
  dropCaptions: true,
  maxLinkDensity: 0.8,
  markLooseText: true,
  looseMaxWords: 25,
  classHints: true,
};

/**
 * A parsed HTML page may carry lines the parser already knows are not article
 * text; the cleaner removes them and records them with this kind.
 */
export interface MarkedDoc extends ParsedDoc {
  marked?: Map<number, string>;
}

/**
 * Elements that start a new line of text. Text is read by walking the DOM, so
 * text sitting loose in a container (a `<section>` holding text, headings and
 * lists; text after an image) is read too, not only text inside `<p>`-like blocks.
 */
const BLOCK_TAGS = new Set(
  'ADDRESS ARTICLE ASIDE BLOCKQUOTE CAPTION CENTER DD DETAILS DIALOG DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HGROUP HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL'.split(' '),
);
/** Elements whose content is never article text (scripts, embeds, form controls). */
const SKIP_TAGS = new Set('SCRIPT STYLE NOSCRIPT TEMPLATE SVG IFRAME FORM BUTTON SELECT TEXTAREA OBJECT EMBED CANVAS'.split(' '));
/**
 * Elements that hold text as content: a paragraph, heading, list item, quote,
 * cell or caption (and a table row read as one line). Text whose nearest block is
 * anything else (a `<div>`, `<section>`, `<nav>`) is loose (see `markLooseText`).
 */
const TEXT_BLOCKS = new Set('P H1 H2 H3 H4 H5 H6 LI BLOCKQUOTE PRE FIGCAPTION TD TH TR DD DT CAPTION ADDRESS SUMMARY'.split(' '));
const HEADING = /^H[1-6]$/;
/** Elements that make a container read as HTML paragraphs rather than as a text fragment. */
const PARAGRAPH_SELECTOR = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td, dd, dt';
/**
 * Class and id names that templates give to furniture inside the article
 * container, and the kind a block under one is removed as. Only names whose
 * meaning is the block's role, not its look: an author's bio box ("author-bio",
 * "about-the-author", "post-author"), a newsletter sign-up box, the byline or time
 * stamp line, and utility classes that hide a block on screen. Names for captions,
 * dates, "meta" or "read more" are not here: CMSs put them on article text as
 * often as on chrome.
 */
const BLOCK_HINTS: Array<[RegExp, string]> = [
  [/author[-_]?(?:bio|info|details|box|card|about|text|description|profile)|about[-_]?(?:the[-_]?)?author|(?:post|entry|article)[-_]?author|(?:^|[-_\s])bio(?:$|[-_\s])|contributor/i, 'author-bio'],
  [/newsletter|sign[-_]?up|subscri(?:be|ption)/i, 'subscribe-prompt'],
  [/byline|timestamp|dateline/i, 'byline'],
  // Utility classes that hide a block on screen (print-only copies, screen-reader labels).
  [/(?:^|\s)(?:d-none|sr-only|visually-hidden|screen-reader-text)(?:\s|$)/i, 'hidden-text'],
];
/** Hints are dropped if they would take more than this share of the container's text (a hint on the article's own wrapper). */
const MAX_HINTED_SHARE = 0.5;
/** A sentence ending, in Latin and CJK punctuation, before closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？]["”’')\]」』]*$/u;
/**
 * A table row whose cells hold no blocks of their own is one record ("3  Jane Doe  5,033  4"):
 * its cells are read as one line, so figures that repeat down a column are not
 * taken for repeated paragraphs, and the row reads as it does on the page.
 */
const CELL_BLOCKS = 'p, div, ul, ol, table, h1, h2, h3, h4, h5, h6, blockquote, pre, dl, section, article';

export function parseHtml(raw: string, html: string, options: Partial<HtmlOptions> = {}): MarkedDoc {
  const opts = { ...defaultHtmlOptions, ...options };
  const { readability } = opts;
  const { parseHTML, Readability } = library('html');
  const { document } = parseHTML(html);
  const hints = metaHints(document);
  const warnings: string[] = [];

  let container: Element | null = null;
  if (readability) {
    try {
      // Readability mutates the document it is given; metadata was read above.
      // Classes are kept: they name the blocks (author bio, newsletter box) for BLOCK_HINTS.
      const article = new Readability(document as unknown as Document, { charThreshold: 200, keepClasses: true }).parse();
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

  // A fragment (Readability off) is the article: nothing in it is loose page chrome.
  const { lines, headingLines, marked } = blocksOf(container, {
    ...opts,
    markLooseText: opts.markLooseText && readability,
    classHints: opts.classHints && readability,
  });
  return { raw, part: 0, format: 'html', hints, lines, headingLines, warnings, marked };
}

/**
 * Flattens the container's text into lines in document order: one line per run of
 * text between block boundaries, headings noted, list items prefixed "- ", and
 * lines the parser can tell are not article text marked. A single `<br>` is a
 * space (a line break inside a paragraph); two in a row end the paragraph.
 */
export function blocksOf(
  root: Element,
  options: Partial<Pick<HtmlOptions, 'dropCaptions' | 'maxLinkDensity' | 'markLooseText' | 'looseMaxWords' | 'classHints'>> = {},
): { lines: string[]; headingLines: Set<number>; marked: Map<number, string> } {
  const { dropCaptions = false, maxLinkDensity = 1, markLooseText = false, looseMaxWords = defaultHtmlOptions.looseMaxWords, classHints = false } = options;
  const marked = new Map<number, string>();
  const lines: string[] = [];
  const headingLines = new Set<number>();
  // The run of text being read, how many of its non-space characters sit inside
  // links, and the stack of block elements it belongs to (innermost last).
  let run = '';
  let linked = 0;
  let linkDepth = 0;
  const owners: Element[] = [root];
  // The furniture kind named by a class or id on the innermost block, or an enclosing one.
  const hints: Array<string | undefined> = [undefined];
  const hinted = new Map<number, string>();
  let hintedChars = 0;
  let textChars = 0;
  // No paragraph elements at all (bare text in <div>s): the text's own line
  // breaks are all the structure it has, so each is a line, as in a text file.
  const plain = !root.querySelector(PARAGRAPH_SELECTOR);
  const flush = () => {
    const all = normaliseSpace(run);
    const linkShare = linked / Math.max(1, all.length - countSpaces(all));
    const parts = plain ? run.split(/\n+/) : [run];
    run = '';
    linked = 0;
    for (const part of parts) emit(plain ? normaliseSpace(part) : all, linkShare);
  };
  const emit = (text: string, linkShare: number) => {
    if (!text) return;
    const owner = owners[owners.length - 1];
    const tag = owner.tagName;
    const hint = hints[hints.length - 1];
    textChars += text.length;
    if (hint) {
      hinted.set(lines.length, hint);
      hintedChars += text.length;
    }
    if (dropCaptions && owner.closest('figure, figcaption')) marked.set(lines.length, 'caption');
    else if (maxLinkDensity < 1 && linkShare >= maxLinkDensity) marked.set(lines.length, 'link-list');
    else if (markLooseText && !plain && !TEXT_BLOCKS.has(tag) && !SENTENCE_END.test(text) && wordCount(text) < looseMaxWords) marked.set(lines.length, 'page-chrome');
    if (HEADING.test(tag)) headingLines.add(lines.length);
    lines.push(tag === 'LI' ? `- ${text}` : text);
  };
  const visit = (el: Element, cellsInline: boolean) => {
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        const t = node.nodeValue ?? '';
        run += t;
        if (linkDepth > 0) linked += t.length - countSpaces(t);
        continue;
      }
      if (node.nodeType !== 1) continue;
      const child = node as Element;
      const tag = child.tagName;
      if (SKIP_TAGS.has(tag)) continue;
      if (tag === 'BR') {
        if (nextElementIsBr(child)) flush();
        else run += ' ';
      } else if (cellsInline && (tag === 'TD' || tag === 'TH')) {
        run += ' ';
        visit(child, false);
        run += ' ';
      } else if (BLOCK_TAGS.has(tag)) {
        flush();
        owners.push(child);
        hints.push((classHints && hintOf(child)) || hints[hints.length - 1]);
        visit(child, tag === 'TR' && !child.querySelector(CELL_BLOCKS));
        flush();
        owners.pop();
        hints.pop();
      } else if (tag === 'A') {
        linkDepth++;
        visit(child, false);
        linkDepth--;
      } else visit(child, false);
    }
  };
  visit(root, false);
  flush();
  if (hintedChars <= MAX_HINTED_SHARE * textChars) for (const [at, kind] of hinted) if (!marked.has(at)) marked.set(at, kind);
  return { lines, headingLines, marked };
}

/** The furniture kind an element's class or id names, if any (BLOCK_HINTS). */
function hintOf(el: Element): string | undefined {
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  if (names.length < 3) return undefined;
  for (const [pattern, kind] of BLOCK_HINTS) if (pattern.test(names)) return kind;
  return undefined;
}

/** The next sibling, past white space, is another `<br>`: a paragraph break. */
function nextElementIsBr(br: Element): boolean {
  let next = br.nextSibling;
  while (next && next.nodeType === 3 && !(next.nodeValue ?? '').trim()) next = next.nextSibling;
  return !!next && next.nodeType === 1 && (next as Element).tagName === 'BR';
}

function countSpaces(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 0xa0) n++;
  }
  return n;
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
  const source = meta('og:site_name', 'application-name', 'publisher') ?? ldPublisher(document);
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

/**
 * The publisher's name in the page's JSON-LD (schema.org NewsArticle and kin):
 * `publisher.name`, in a top-level object, an array or an `@graph`. Malformed
 * JSON is skipped: many pages ship some.
 */
function ldPublisher(document: Document): string | undefined {
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const stack: unknown[] = [data];
    for (let n = 0; stack.length && n < 200; n++) {
      const item = stack.pop();
      if (Array.isArray(item)) stack.push(...item);
      else if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        const publisher = o.publisher as Record<string, unknown> | Array<Record<string, unknown>> | undefined;
        const first = Array.isArray(publisher) ? publisher[0] : publisher;
        const name = typeof first?.name === 'string' ? first.name.trim() : undefined;
        if (name) return name;
        if (o['@graph']) stack.push(o['@graph']);
      }
    }
  }
  return undefined;
}
