/**
 * Outlets from every place a scrape shows them (issue #17): datelines, copyright
 * lines, disclaimers naming their provider, og:site_name / JSON-LD publisher in
 * HTML, the site config's domain map, and a readable name from the URL's domain.
 * Names are invented.
 */
import { describe, expect, it } from 'vitest';
import { articlesFromFile, defaultIngestOptions, type IngestOptions } from '../src/lib/ingest/pipeline';
import { outletFromCopyright } from '../src/lib/ingest/clean/outlet-evidence';

const BODY = [
  'The river authority said on Monday that the old lock gates would be replaced over the winter, after engineers found that the oak beams had rotted.',
  'Boats will pass through a temporary channel on the eastern bank while the work goes on, although the authority warned of delays at busy times.',
  'A spokeswoman for the boat owners said its members had asked for the repairs for years and were relieved that the money had been found.',
];
const source = (raw: string, text: string, outlets: IngestOptions['outlets'] = []) =>
  articlesFromFile({ raw, bytes: new TextEncoder().encode(text) }, { ...defaultIngestOptions, outlets }).articles[0]?.source;

describe('outlets', () => {
  it('reads parenthesised and capitalised datelines', () => {
    expect(source('a.txt', ['Lock Gates To Be Replaced', `(Fenland Courier) — ${BODY[0]}`, ...BODY.slice(1)].join('\n'))).toBe('Fenland Courier');
    expect(source('a.txt', ['Lock Gates To Be Replaced', `ELY, March 3 (Fenland Courier) - ${BODY[0]}`, ...BODY.slice(1)].join('\n'))).toBe('Fenland Courier');
    expect(source('a.txt', ['Lock Gates To Be Replaced', `FENLAND NEWS, Ely — ${BODY[0]}`, ...BODY.slice(1)].join('\n'))).toBe('FENLAND NEWS');
    // The same shape with a place and no outlet word is not taken for an outlet.
    expect(source('a.txt', ['Lock Gates To Be Replaced', `CAMBRIDGE, England — ${BODY[0]}`, ...BODY.slice(1)].join('\n'))).toBe('unknown');
  });

  it('reads copyright lines in their common shapes', () => {
    expect(outletFromCopyright('Copyright © 2024 Fenland Courier. All Rights Reserved.')).toBe('Fenland Courier');
    expect(outletFromCopyright('© Fenland Courier 2024')).toBe('Fenland Courier');
    expect(outletFromCopyright('©2024 Fenland Courier Inc.')).toBe('Fenland Courier');
    expect(outletFromCopyright('Fenland Courier © 2024 – all rights reserved')).toBe('Fenland Courier');
    expect(source('a.txt', ['Lock Gates To Be Replaced', ...BODY, '© 2024 Fenland Courier Ltd. All rights reserved.'].join('\n'))).toBe('Fenland Courier');
  });

  it('reads a disclaimer naming its provider', () => {
    expect(source('a.txt', ['Lock Gates To Be Replaced', ...BODY, 'Disclaimer:', 'Fenland Courier provides this content without warranty of any kind.'].join('\n'))).toBe('Fenland Courier');
  });

  it('reads the same shapes however a house punctuates or words them', () => {
    // A place set off by dashes, a marker followed by a dot.
    expect(source('a.txt', ['Lock Gates To Be Replaced', `ELY — (Fen 7 News) — ${BODY[0]}`, ...BODY.slice(1)].join('\n'))).toBe('Fen 7 News');
    expect(source('a.txt', ['Lock Gates To Be Replaced', `(FENLAND COURIER) · ${BODY[0]}`, ...BODY.slice(1)].join('\n'))).toBe('FENLAND COURIER');
    // A copyright line that a promo list swallowed, worded without the usual mark.
    expect(source('a.txt', ['Lock Gates To Be Replaced', ...BODY, 'More stories', '• Ferry Fares Rise Again', '• Market Hall Reopens Its Doors', '• Floods Close The Old Road', 'All content copyright Fenland Courier 2024'].join('\n'))).toBe('Fenland Courier');
    // A notice naming its provider in a relative clause.
    expect(source('a.txt', ['Lock Gates To Be Replaced', ...BODY, 'Notice', 'Letters are the readers\' own views and are not endorsed by Fenland Courier, which accepts no liability for them.'].join('\n'))).toBe('Fenland Courier');
    // A byline suffix that could be a second person's name counts only when another place agrees.
    expect(source('a.txt', ['Lock Gates To Be Replaced', 'Ada Lowe - Fenland Examiner', ...BODY].join('\n'))).toBe('unknown');
    expect(source('a.txt', ['Lock Gates To Be Replaced', 'Ada Lowe - Fenland Examiner', '(Photo: Jo Marsh, Fenland Examiner)', ...BODY].join('\n'))).toBe('Fenland Examiner');
  });

  it('reads og:site_name and the JSON-LD publisher in HTML', () => {
    const page = (head: string) => `<html><head>${head}<title>Lock gates</title></head><body><article><h1>Lock Gates To Be Replaced</h1>${BODY.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
    expect(source('a.html', page('<meta property="og:site_name" content="Fenland Courier">'))).toBe('Fenland Courier');
    const ld = JSON.stringify({ '@context': 'https://schema.org', '@graph': [{ '@type': 'NewsArticle', publisher: { '@type': 'Organization', name: 'Fenland Courier' } }] });
    expect(source('a.html', page(`<script type="application/ld+json">${ld}</script>`))).toBe('Fenland Courier');
  });

  it('maps the URL domain through the config, else names it readably', () => {
    const md = (url: string, body = BODY) => `---\ntitle: Lock gates\nurl: ${url}\n---\n\n${body.join('\n\n')}\n`;
    expect(source('a.md', md('https://news.fenlandcourier.co.uk/a/1'), [{ name: 'The Fenland Courier', domains: ['fenlandcourier.co.uk'], aliases: [] }])).toBe('The Fenland Courier');
    // Spelled out on the page: the words; otherwise the domain itself.
    expect(source('a.md', md('https://www.fenlandcourier.com/a/1', [...BODY, 'A spokesman told the Fenland Courier that the work would start in May, weather permitting.']))).toBe('Fenland Courier');
    expect(source('a.md', md('https://www.fenlandcourier.com/a/1'))).toBe('fenlandcourier.com');
  });
});
