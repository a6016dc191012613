/**
 * The bundled sample (content/raw, the five seed articles) must come out as
 * issue #2 says: five articles in one story, every boilerplate family gone,
 * every real sentence kept, and the metadata each page states.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ingest, type IngestResult } from '../src/lib/ingest/pipeline';
import { repoRoot } from '../scripts/lib/corpus';
import { endsLikeSentence, wordCount } from '../src/lib/text';

const rawDir = path.join(repoRoot, 'content/raw');
const files = readdirSync(rawDir)
  .filter((f) => !f.startsWith('.'))
  .sort()
  .map((raw) => ({ raw, bytes: new Uint8Array(readFileSync(path.join(rawDir, raw))) }));
const rawText = (prefix: string) => readFileSync(path.join(rawDir, files.find((f) => f.raw.startsWith(prefix))!.raw), 'utf8');

let result: IngestResult;
const article = (prefix: string) => result.articles.find((a) => a.raw.startsWith(prefix))!;
const bodyText = (prefix: string) => article(prefix).body.map((b) => b.text).join('\n');

beforeAll(() => {
  result = ingest(files);
});

describe('the bundled sample', () => {
  it('gives five articles in one story, nothing rejected', () => {
    expect(result.rejected).toEqual([]);
    expect(result.articles).toHaveLength(5);
    expect(result.stories).toHaveLength(1);
    expect(result.stories[0].articles).toHaveLength(5);
  });

  it('reads the titles the pages state', () => {
    expect(article('001').title).toBe('Zelensky reveals new proposed phases of peace discussions with Russia');
    expect(article('002').title).toBe('Ukraine Peace Talks: Zelenskyy Urges Russia to Meet NEXT WEEK!');
    expect(article('003').title).toBe('Kyiv Seeks Renewed Peace Talks with Russia');
    expect(article('004').title).toBe('Ukraine Proposes New Round of Peace Talks with Russia in Istanbul');
    for (const prefix of ['001', '002', '003', '004']) expect(article(prefix).titleDerived).toBe(false);
  });

  it('derives a short title for the page without a headline, and says so', () => {
    const a = article('000');
    expect(a.titleDerived).toBe(true);
    expect(a.title.length).toBeGreaterThan(10);
    expect(a.title.length).toBeLessThanOrEqual(120);
    const lead = a.body.find((b) => b.kind === 'p')!.text;
    expect(a.title).not.toBe(lead);
    expect(a.title.length).toBeLessThan(lead.length);
  });

  it('reads outlet, date and byline', () => {
    for (const prefix of ['001', '003']) {
      expect(article(prefix).source).toBe('MENAFN');
      expect(article(prefix).date).toBe('2025-07-20');
    }
    expect(article('004').byline).toBe('Brian Wellbrock');
  });

  it('turns subheadings into headings', () => {
    const headings = article('002').body.filter((b) => b.kind === 'h2').map((b) => b.text);
    expect(headings).toContain('Sticking Points Remain');
    expect(headings.length).toBeGreaterThanOrEqual(2);
  });

  it('does not repeat title, dek, byline or header lines in the body', () => {
    for (const a of result.articles) {
      const body = a.body.map((b) => b.text);
      expect(body).not.toContain(a.title);
      if (a.dek) expect(body).not.toContain(a.dek);
      if (a.byline) expect(body).not.toContain(a.byline);
    }
  });

  it('removes every boilerplate family, recording each removal with its kind', () => {
    const kinds = (prefix: string) => new Set(article(prefix).removed.map((r) => r.kind));
    for (const kind of ['status-header', 'error-banner', 'disclaimer', 'promo-list', 'widget', 'duplicate-paragraph']) {
      expect(kinds('003'), kind).toContain(kind);
    }
    expect(kinds('004')).toContain('tag-line');
    expect(kinds('004')).toContain('byline');
    // What was removed is gone from the body; lines the raw file had that the
    // body lacks are all accounted for in `removed` or the metadata.
    for (const a of result.articles) {
      const body = a.body.map((b) => b.text).join('\n');
      for (const r of a.removed.filter((r) => r.kind !== 'duplicate-paragraph' && r.kind !== 'dateline')) {
        expect(body, `${a.id}: ${r.kind}`).not.toContain(r.text.replace(/…$/, ''));
      }
    }
  });

  it('collapses the repeated body to a single copy', () => {
    const paragraphs = article('003').body.map((b) => b.text);
    expect(new Set(paragraphs).size).toBe(paragraphs.length);
  });

  it('keeps every real sentence of every page', () => {
    for (const a of result.articles) {
      const raw = rawText(a.raw.slice(0, 3));
      const body = bodyText(a.raw.slice(0, 3));
      // Prose-length boilerplate the page itself carries (a legal notice, a 404
      // banner) is not article text; everything else of sentence length must stay.
      const removedText = a.removed
        .filter((r) => r.kind === 'disclaimer' || r.kind === 'error-banner')
        .map((r) => r.text.replace(/…$/, ''));
      for (const line of raw.split('\n').map((l) => l.trim())) {
        // A real sentence: prose of some length (a list of promo headlines is not),
        // that the page did not mark as boilerplate.
        const words = wordCount(line);
        const prose = words >= 25 || (words >= 12 && endsLikeSentence(line));
        if (!prose || removedText.some((t) => line.startsWith(t))) continue;
        const withoutMarker = line.replace(/^\([A-Z]+\)\s*/, '');
        expect(body, `${a.id} lost: ${line.slice(0, 80)}`).toContain(withoutMarker);
      }
    }
  });
});
