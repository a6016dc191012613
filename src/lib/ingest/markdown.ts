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
