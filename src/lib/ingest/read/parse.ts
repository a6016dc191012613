/**
 * Text -> ParsedDoc(s), one function per input format. Parsing only reads what a
 * format states explicitly (front matter, `<meta>`, JSON fields) and splits the
 * text into blocks; judging what is boilerplate is the cleaner's job.
 */
import matter from 'gray-matter';
import { fromMarkdown } from './markdown.ts';
import { parseHtml } from './html.ts';
import type { Hints, InputFormat, ParsedDoc } from '../types.ts';

export type ParseResult = { ok: true; docs: ParsedDoc[] } | { ok: false; reason: string };

export function formatOf(path: string): InputFormat | null {
  const ext = path.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  switch (ext) {
    case 'txt':
    case 'text':
      return 'txt';
    case 'md':
    case 'markdown':
      return 'md';
    case 'html':
    case 'htm':
    case 'xhtml':
      return 'html';
    case 'json':
      return 'json';
    default:
      return null;
  }
}

export function parse(raw: string, format: InputFormat, text: string): ParseResult {
  switch (format) {
    case 'txt':
      return { ok: true, docs: [parseText(raw, text)] };
    case 'md':
      return parseMarkdownFile(raw, text);
    case 'html':
      return { ok: true, docs: [parseHtml(raw, text)] };
    case 'json':
      return parseJson(raw, text);
  }
}

function parseText(raw: string, text: string): ParsedDoc {
  return { raw, part: 0, format: 'txt', hints: {}, lines: text.split('\n'), warnings: [] };
}

/** Front matter is data, never code: gray-matter would otherwise eval `---js` blocks. */
const refuseCode = (): never => {
  throw new Error('executable front matter (---js) is not allowed; front matter is data');
};
const MATTER_OPTIONS = {
  engines: { js: refuseCode, javascript: refuseCode, coffee: refuseCode, coffeescript: refuseCode },
};

function parseMarkdownFile(raw: string, text: string): ParseResult {
  let data: Record<string, unknown>;
  let content: string;
  try {
    const parsed = matter(text, MATTER_OPTIONS);
    data = (parsed.data ?? {}) as Record<string, unknown>;
    content = parsed.content;
  } catch (err) {
    return { ok: false, reason: `malformed front matter: ${describeYamlError(err)}` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, reason: 'malformed front matter: expected key: value pairs' };
  }
  const { lines, headingLines } = fromMarkdown(content);
  const doc: ParsedDoc = { raw, part: 0, format: 'md', hints: hintsFrom(data), lines, headingLines, warnings: [] };
  return { ok: true, docs: [doc] };
}

function describeYamlError(err: unknown): string {
  const e = err as { reason?: string; message?: string; mark?: { line?: number; column?: number } };
  // js-yaml counts from the line after the opening `---`, starting at 0 there,
  // which makes mark.line + 1 the line number in the file.
  if (e.mark && typeof e.mark.line === 'number') {
    return `${e.reason ?? 'YAML error'} at line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}`;
  }
  return String(e.message ?? err).split('\n')[0];
}

const FIELD_ALIASES: Record<keyof Hints, string[]> = {
  title: ['title', 'headline', 'name'],
  dek: ['dek', 'subtitle', 'description', 'summary', 'excerpt'],
  source: ['source', 'outlet', 'publisher', 'site', 'site_name', 'siteName', 'publication'],
  date: ['date', 'published', 'published_at', 'publishedAt', 'publishedTime', 'pubDate', 'datePublished'],
  url: ['url', 'link', 'canonical', 'href'],
  byline: ['byline', 'author', 'authors', 'by'],
  lang: ['lang', 'language'],
};

/** Reads the metadata fields under their common names; values are coerced to strings. */
export function hintsFrom(data: Record<string, unknown>): Hints {
  const hints: Hints = {};
  for (const [field, names] of Object.entries(FIELD_ALIASES) as Array<[keyof Hints, string[]]>) {
    for (const name of names) {
      const value = stringValue(data[name]);
      if (value) {
        hints[field] = value;
        break;
      }
    }
  }
  return hints;
}

function stringValue(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(stringValue).filter((v): v is string => !!v);
    return parts.length ? parts.join(', ') : undefined;
  }
  if (value && typeof value === 'object' && 'name' in value) return stringValue((value as { name: unknown }).name);
  return undefined;
}

const BODY_FIELDS = ['body', 'text', 'content', 'articleBody', 'article', 'story'];

function parseJson(raw: string, text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `malformed JSON: ${(err as Error).message}` };
  }
  const items = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { articles?: unknown }).articles) ? (data as { articles: unknown[] }).articles : [data];
  const docs: ParsedDoc[] = [];
  const skipped: string[] = [];
  items.forEach((item, part) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      skipped.push(`item ${part}: not an object`);
      return;
    }
    const record = item as Record<string, unknown>;
    const bodyField = BODY_FIELDS.find((f) => typeof record[f] === 'string' && (record[f] as string).trim());
    if (!bodyField) {
      skipped.push(`item ${part}: no body/text/content field`);
      return;
    }
    const body = record[bodyField] as string;
    // A JSON body may be HTML (from a CMS export) or plain text.
    const looksHtml = /<(p|div|br|h[1-6])\b[^>]*>/i.test(body);
    const parsed = looksHtml
      ? parseHtml(raw, `<html><body><article>${body}</article></body></html>`, { readability: false })
      : { lines: body.replace(/\r\n?/g, '\n').split('\n'), headingLines: undefined };
    docs.push({
      raw,
      part,
      format: 'json',
      hints: hintsFrom(record),
      lines: parsed.lines,
      headingLines: parsed.headingLines,
      warnings: [],
    });
  });
  if (docs.length === 0) {
    return { ok: false, reason: `JSON holds no article (${skipped.slice(0, 3).join('; ') || 'no objects'})` };
  }
  if (skipped.length) docs[0].warnings.push(`skipped ${skipped.length} JSON item(s): ${skipped.slice(0, 3).join('; ')}`);
  return { ok: true, docs };
}
