/**
 * Article bodies to HTML (src/lib/site/body-html.ts): the Markdown the ingest
 * writes renders as prose, and raw text can never become markup.
 */
import { describe, expect, it } from 'vitest';
import { renderBody } from '../src/lib/site/body-html';
import { escapeMarkdown } from '../src/lib/ingest/write/render';
import { articleBody } from '../src/lib/site/site-index';

describe('renderBody', () => {
  it('renders paragraphs and headings, with curly quotes and no other rewriting', () => {
    expect(renderBody('## A heading\n\nPlain "quoted" text, it\'s (c) -- kept.\n')).toBe(
      '<h2>A heading</h2>\n<p>Plain “quoted” text, it’s (c) -- kept.</p>\n',
    );
  });

  it('shows raw HTML as text and links only http(s) URLs', () => {
    const html = renderBody(
      ['<script>alert(1)</script> <img src=x onerror=alert(1)>', '[bad](javascript:alert(1)) [data](data:text/html,x) [good](https://example.org/a)', '![i](http://example.org/i.png)'].join('\n\n'),
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img src=x|href="(javascript|data)/i);
    expect(html).toContain('<a href="https://example.org/a">good</a>');
  });

  it('renders escaped untrusted text exactly as written', () => {
    const hostile = '<iframe src="javascript:alert(1)"></iframe> & [x](javascript:y) *not emphasis* # not a heading';
    expect(renderBody(escapeMarkdown(hostile))).toBe(
      '<p>&lt;iframe src=“javascript:alert(1)”&gt;&lt;/iframe&gt; &amp; [x](javascript:y) *not emphasis* # not a heading</p>\n',
    );
  });

  it('reads the body after the front matter, with or without the quick path', () => {
    expect(articleBody('---\nid: a-1\ntitle: T\n---\n\nBody.\n')).toBe('\nBody.\n');
    expect(articleBody("---\nid: 'Quoted Id'\n---\nBody.\n")).toBe('Body.\n');
  });
});
