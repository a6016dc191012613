/**
 * Markdown body -> text blocks. Users drop pre-scraped Markdown; we keep its
 * paragraph and heading structure but not its markup, because the body is
 * re-emitted as escaped Markdown by the writer (raw text is untrusted).
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { toString } from 'mdast-util-to-string';
import type { Root, RootContent } from 'mdast';

const parser = unified().use(remarkParse);

export function fromMarkdown(content: string): { lines: string[]; headingLines: Set<number> } {
  const plain = plainParagraphs(content);
  if (plain) return { lines: plain.map((l) => l.replace(/\s*\n\s*/g, ' ').trim()), headingLines: new Set() };
  const tree = parser.parse(content) as Root;
  const lines: string[] = [];
  const headingLines = new Set<number>();
  const visit = (node: RootContent) => {
    switch (node.type) {
      case 'heading':
        headingLines.add(lines.length);
        lines.push(toString(node));
        break;
      case 'list':
        for (const item of node.children) lines.push(`- ${toString(item)}`);
        break;
      case 'blockquote':
        for (const child of node.children) visit(child);
        break;
      case 'html':
        // Raw HTML in a Markdown file is shown as text, never rendered.
        lines.push(node.value);
        break;
      case 'code':
        lines.push(node.value);
        break;
      case 'thematicBreak':
        break;
      default:
        lines.push(toString(node));
    }
    lines.push('');
  };
  for (const node of tree.children) visit(node);
  return { lines: lines.map((l) => l.replace(/\s*\n\s*/g, ' ').trim()), headingLines };
}

/**
 * Characters that can start Markdown syntax anywhere in a line (escapes, code,
 * emphasis, links, images, autolinks, raw HTML, character references), and
 * those micromark rewrites or treats specially (tab, CR, NUL, BOM).
 */
const INLINE_SYNTAX = /[\\`*_[\]<>&\t\r\0\ufeff]| {2}\n/;
/** A line that is safe as paragraph text: it cannot open a heading, list, quote, fence, break or indented code. */
const SAFE_LINE_START = /^ {0,3}[\p{L}"“‘'(]/u;

/**
 * The `fromMarkdown` lines (before whitespace folding) of a body that is only
 * plain paragraphs, or null when it might hold any other Markdown construct.
 * Most scraped bodies are just paragraphs, and parsing them with micromark was
 * 40% of the per-file stages' time. The test is conservative: anything that
 * could be markup (see INLINE_SYNTAX, SAFE_LINE_START) takes the parser.
 * Lines starting with a digit are left to the parser too ("1. " is a list).
 */
function plainParagraphs(content: string): string[] | null {
  if (INLINE_SYNTAX.test(content)) return null;
  const out: string[] = [];
  let para: string[] = [];
  for (const line of content.split('\n')) {
    if (/^ *$/.test(line)) {
      if (para.length) out.push(para.join('\n'), '');
      para = [];
      continue;
    }
    if (!SAFE_LINE_START.test(line)) return null;
    para.push(line);
  }
  if (para.length) out.push(para.join('\n'), '');
  return out;
}
