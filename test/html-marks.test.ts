/**
 * HTML: figure captions, link-dense blocks and loose page chrome inside the article container are
 * removed, and recorded; text outside paragraph elements, line breaks, table rows and lists are read as on the page.
 */
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { blocksOf, parseHtml } from '../src/lib/ingest/read/html';
import { clean } from '../src/lib/ingest/clean/clean';

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

// Each page below is invented; the paragraphs are long enough for Readability to take the article.
const prose = (n: number) =>
  `Paragraph ${n}: the ferry company said the winter timetable would add an early sailing on weekdays, because commuters had asked for it at every public meeting since the spring, and the harbour board agreed to open the gates sooner.`;

describe('HTML text outside paragraph elements', () => {
  it('reads prose that sits loose in a section between headings and lists', () => {
    const html = `<html><body><article><h1>Timetable changes</h1><section>
      <h2>Early sailings</h2><img src="a.jpg">${prose(1)}<br><ul><li>Weekday boats at 6:10</li></ul>
      <h2>Late sailings</h2>${prose(2)}<br><ul><li>Friday boats at 23:40</li></ul>
      <p>${prose(3)}</p></section></article></body></html>`;
    const body = clean(parseHtml('x.html', html)).body.map((b) => b.text).join('\n');
    for (const n of [1, 2, 3]) expect(body).toContain(`Paragraph ${n}:`);
  });

  it('marks short loose lines that are not sentences as page chrome, and keeps loose sentences', () => {
    // Readability turns a <div> of phrasing text into a <p>; loose text survives in sections and mixed containers.
    const html = `<html><body><article><h1>Timetable changes</h1>
      <section><span>https://news.example.org/2031/ferry-timetable-changes</span><h2>Timetable changes</h2>
      Updated 6:02 am, Tuesday, March 4, 2031<figure><img src="a.jpg"></figure>Picture 1 of / 6<hr>
      This article was corrected after publication.<p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p></section></article></body></html>`;
    const doc = parseHtml('x.html', html);
    const chrome = doc.lines.filter((_, i) => doc.marked?.get(i) === 'page-chrome');
    expect(chrome).toEqual(['https://news.example.org/2031/ferry-timetable-changes', 'Updated 6:02 am, Tuesday, March 4, 2031', 'Picture 1 of / 6']);
    const out = clean(doc);
    const body = out.body.map((b) => b.text).join('\n');
    expect(body).toContain('This article was corrected after publication.');
    expect(body).not.toContain('Picture 1 of');
    expect(out.removed.filter((r) => r.kind === 'page-chrome')).toHaveLength(3);
  });

  it('leaves loose text alone in a fragment (Readability off), and when told to', () => {
    const html = `<article><div>Harbour notes</div><p>${prose(1)}</p></article>`;
    expect(parseHtml('x.html', html, { readability: false }).marked?.size ?? 0).toBe(0);
    const page = `<html><body><article><h1>Timetable</h1><div>Picture 1 of / 6</div><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p></article></body></html>`;
    expect(parseHtml('x.html', page, { markLooseText: false }).marked?.size ?? 0).toBe(0);
  });
});

/** The lines of an HTML fragment, read as the body of a page. */
const linesOf = (fragment: string) => blocksOf(parseHTML(`<html><body>${fragment}</body></html>`).document.body as unknown as Element).lines;

describe('HTML line breaks and tables', () => {
  it('reads one <br> as a space inside a paragraph and two as a paragraph break', () => {
    expect(linesOf('<div><p>Sailings:<br>6:10 Northport<br>6:40 Southport<br><br>Fares are unchanged.</p></div>')).toEqual(['Sailings: 6:10 Northport 6:40 Southport', 'Fares are unchanged.']);
  });

  it('reads a fragment without paragraph elements by its own line breaks, one <div> a line', () => {
    expect(linesOf('<div>The gates open at six.\n\nThe cafe opens at seven.<br>Both close at dusk.</div><div>Tickets <b>online</b>.</div>')).toEqual([
      'The gates open at six.',
      'The cafe opens at seven. Both close at dusk.',
      'Tickets online.',
    ]);
  });

  it('reads a data table row as one line, so repeated figures in a column survive dedupe', () => {
    const rows = [['1', 'Northport', '12', '0'], ['2', 'Southport', '12', '0'], ['3', 'Eastbay', '9', '1']];
    const table = `<table><tr><th>Pos</th><th>Harbour</th><th>Boats</th><th>Delays</th></tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
    expect(linesOf(`<div>${table}</div>`)).toEqual(['Pos Harbour Boats Delays', '1 Northport 12 0', '2 Southport 12 0', '3 Eastbay 9 1']);
    // A layout table whose cells hold paragraphs keeps one line per paragraph.
    expect(linesOf(`<table><tr><td><p>${prose(1)}</p></td><td><p>${prose(2)}</p></td></tr></table>`)).toHaveLength(2);
  });
});

describe('HTML lists', () => {
  const listPage = `<html><body><article><h1>Which harbours qualified</h1><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p>
    <h3>Qualified harbours</h3><ul><li>Northport (Group A): Third Entry</li><li>Southport (Group B): First Entry</li><li>Eastbay (Group A): Fifth Entry</li><li>Westholm (Group C): Second Entry</li></ul></article></body></html>`;

  it('keeps a list of title-cased items that ends the article', () => {
    const body = clean(parseHtml('x.html', listPage)).body.map((b) => b.text);
    expect(body.filter((t) => t.startsWith('- '))).toHaveLength(4);
  });

  it('drops it as a promo list or trailing fragments when HTML lists are not trusted', () => {
    const out = clean(parseHtml('x.html', listPage), { trustHtmlLists: false });
    expect(out.body.some((b) => b.text.includes('Northport (Group A)'))).toBe(false);
  });
});

describe('HTML class and id hints', () => {
  const hinted = (wrapper = 'story') => `<html><body><article class="${wrapper}"><h1>Timetable changes</h1>
    <div class="story-timestamp"><p>Filed from the quay</p><p><time>Tuesday morning</time></p></div>
    <p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p><p>${prose(4)}</p>
    <div class="newsletter-box"><h3>Morning tides</h3><p>The harbour day, in your inbox before breakfast.</p></div>
    <div class="writer-bio"><h3>Ada Quill</h3><p>Ada Quill has covered the harbour for nine years and sails on weekends.</p></div>
    </article></body></html>`;

  it('removes an author bio, a newsletter box and a byline line named by their class, with their kinds', () => {
    const out = clean(parseHtml('x.html', hinted()));
    const body = out.body.map((b) => b.text).join('\n');
    for (const n of [1, 2, 3, 4]) expect(body).toContain(`Paragraph ${n}:`);
    expect(body).not.toContain('in your inbox');
    expect(body).not.toContain('sails on weekends');
    expect(body).not.toContain('Filed from the quay');
    const kinds = out.removed.map((r) => r.kind);
    for (const kind of ['author-bio', 'subscribe-prompt', 'byline']) expect(kinds).toContain(kind);
  });

  it('ignores a hint that would take most of the article (a class on its own wrapper), and can be turned off', () => {
    const body = clean(parseHtml('x.html', hinted('post-author-content'))).body.map((b) => b.text).join('\n');
    for (const n of [1, 2, 3, 4]) expect(body).toContain(`Paragraph ${n}:`);
    const off = parseHtml('x.html', hinted(), { classHints: false });
    expect([...(off.marked?.values() ?? [])]).not.toContain('author-bio');
  });
});

describe('HTML captions and hidden copies', () => {
  it('marks a figcaption that has no <figure> around it as a caption', () => {
    const root = parseHTML(`<html><body><div><img src="a.jpg"><figcaption><div><p>The new pontoon, seen from the breakwater.</p></div></figcaption></div><p>${prose(1)}</p></body></html>`).document.body as unknown as Element;
    const { lines, marked } = blocksOf(root, { dropCaptions: true });
    expect(marked.get(lines.indexOf('The new pontoon, seen from the breakwater.'))).toBe('caption');
    expect(marked.size).toBe(1);
  });

  it('removes a block a utility class hides on screen (a print-only copy)', () => {
    const html = `<html><body><article><h1>Timetable changes</h1><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p>
      <div class="d-none d-print-block"><p>This page was printed from the harbour authority's website and may be out of date.</p><p>Printed copies are not updated.</p></div>
      </article></body></html>`;
    const out = clean(parseHtml('x.html', html));
    const body = out.body.map((b) => b.text).join('\n');
    for (const n of [1, 2, 3]) expect(body).toContain(`Paragraph ${n}:`);
    expect(body).not.toContain('was printed from');
    expect(out.removed.map((r) => r.kind)).toContain('hidden-text');
  });
});
