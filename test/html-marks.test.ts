/** HTML: figure captions and link-dense blocks inside the article container are removed, and recorded. */
import { describe, expect, it } from 'vitest';
import { parseHtml } from '../src/lib/ingest/html';
import { clean } from '../src/lib/ingest/clean';

// Invented text, not taken from the seeds or the corpus.
const para = (n: number) =>
  `<p>Paragraph ${n}: the river authority said on Monday that the old lock gates would be replaced over the winter, after engineers found that the oak beams had rotted much faster than anyone had expected, and boats will use a temporary channel.</p>`;

const page = `<!doctype html><html lang="en"><head><title>Lock gates to be replaced</title></head><body>
<article><h1>Lock gates to be replaced</h1>${para(1)}
<figure><img src="x.jpg"><figcaption>The old gates, photographed last spring.</figcaption></figure>
${para(2)}
<ul><li><a href="/a">Canal festival returns for a third year</a></li><li><a href="/b">Bridge closed for a week of repairs</a></li></ul>
${para(3)}${para(4)}</article></body></html>`;

describe('HTML marks', () => {
  it('removes captions and link lists with their kinds, keeping the paragraphs', () => {
    const out = clean(parseHtml('x.html', page));
    const body = out.body.map((b) => b.text).join('\n');
    for (const n of [1, 2, 3, 4]) expect(body).toContain(`Paragraph ${n}:`);
    expect(body).not.toContain('photographed last spring');
    expect(body).not.toContain('Canal festival');
    const kinds = out.removed.map((r) => r.kind);
    expect(kinds).toContain('caption');
    expect(kinds).toContain('link-list');
  });

  it('keeps them when asked to', () => {
    const doc = parseHtml('x.html', page, { dropCaptions: false, maxLinkDensity: 1 });
    expect(doc.marked?.size ?? 0).toBe(0);
  });
});
