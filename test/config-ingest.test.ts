/**
 * What the ingest takes from the config: outlets named by URL domain and
 * spelling (src/lib/ingest/describe/outlets.ts), the day an article belongs to
 * in the site's time zone (describe/metadata.ts), a feed's day start in that
 * zone (site/settings.ts), and a config change re-describing the articles
 * while an overrides-only change parses nothing again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameOutlet, outletDomains, type OutletRule } from '../src/lib/ingest/describe/outlets';
import { normaliseDate } from '../src/lib/ingest/describe/metadata';
import type { Article } from '../src/lib/ingest/types';
import { dayStart } from '../src/lib/site/settings';
import { readProject, runIngest } from '../src/lib/build/index';
import { NEWSROOM, writeNewsroom } from './helpers/newsroom';
import { scratch } from './helpers/tree';

const rules: OutletRule[] = [
  { name: 'Associated Press', domains: ['apnews.com'], aliases: ['AP'] },
  { name: 'Harbor Post', domains: ['harborpost.com'], aliases: [] },
];
const article = (source: string, url: string | null = null): Article => ({
  id: 'x', raw: 'x.md', part: 0, format: 'md', title: 'T', titleDerived: false, dek: null, source, byline: null, date: null, url,
  lang: 'en', body: [], removed: [], words: 20, excerpt: '',
});

describe('outlets from the config', () => {
  it('names an outlet from its URL domain, a subdomain too, whatever the page says', () => {
    expect(nameOutlet(article('unknown', 'https://www.harborpost.com/news/a'), rules).source).toBe('Harbor Post');
    expect(nameOutlet(article('harborpost.com', 'https://harborpost.com/a'), rules).source).toBe('Harbor Post');
    expect(nameOutlet(article('Some Syndicator', 'https://m.apnews.com/article/x'), rules).source).toBe('Associated Press');
    // Not a suffix at a dot: notapnews.com is someone else.
    expect(nameOutlet(article('Other', 'https://notapnews.com/a'), rules).source).toBe('Other');
  });

  it('unifies spellings: aliases, the name folded, a bare domain', () => {
    for (const s of ['AP', 'ap', 'The Associated Press', 'associated-press', 'Associated Préss', 'apnews.com']) {
      expect(nameOutlet(article(s), rules).source, s).toBe('Associated Press');
    }
    expect(nameOutlet(article('APTN'), rules).source).toBe('APTN');
    const same = article('Daily Ledger');
    expect(nameOutlet(same, rules)).toBe(same);
    expect(nameOutlet(same, [])).toBe(same);
  });

  it('gives the metadata stage its domain map (#17 outletDomains)', () => {
    expect(outletDomains(rules)).toEqual({ 'apnews.com': 'Associated Press', 'harborpost.com': 'Harbor Post' });
  });
});

describe("an article's day in the site's time zone", () => {
  const now = new Date('2000-01-01T00:00:00Z');
  it('puts a date naming an instant on that instant’s day in the zone; a plain date stays as written', () => {
    const cases: Array<[string, string, string]> = [
      ['2025-07-20T23:30:00-04:00', 'UTC', '2025-07-21'],
      ['2025-07-20T23:30:00-04:00', 'America/New_York', '2025-07-20'],
      ['2025-07-20T23:30:00Z', 'Europe/Berlin', '2025-07-21'],
      ['2025-07-20T02:00:00+0200', 'UTC', '2025-07-20'],
      ['2025-07-20T01:00:00+0200', 'UTC', '2025-07-19'],
      ['Sun, 20 Jul 2025 23:30:00 GMT', 'Asia/Tokyo', '2025-07-21'],
      ['July 20, 2025 11:30 PM EDT', 'UTC', '2025-07-21'],
      ['2025-07-20', 'Asia/Tokyo', '2025-07-20'],
      ['2025-07-20T23:30:00', 'Asia/Tokyo', '2025-07-20'],
      ['July 20, 2025', 'Pacific/Kiritimati', '2025-07-20'],
    ];
    for (const [value, zone, day] of cases) expect(normaliseDate(value, now, zone), `${value} in ${zone}`).toBe(day);
  });

  it('starts a day at its midnight in the zone, summer time included', () => {
    expect(dayStart('2025-07-20', 'UTC').toISOString()).toBe('2025-07-20T00:00:00.000Z');
    expect(dayStart('2025-07-20', 'Europe/London').toISOString()).toBe('2025-07-19T23:00:00.000Z');
    expect(dayStart('2025-01-20', 'Europe/London').toISOString()).toBe('2025-01-20T00:00:00.000Z');
    expect(dayStart('2025-03-09', 'America/New_York').toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(dayStart('2025-07-20', 'Asia/Kolkata').toISOString()).toBe('2025-07-19T18:30:00.000Z');
  });
});

describe('the config and the overrides through runIngest', () => {
  it('re-describes the articles when the config changes, and parses nothing again when only the overrides do', async () => {
    const dir = await scratch('newsfold-config-ingest-');
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'content');
    await writeNewsroom(raw);
    const configFile = path.join(dir, 'newsfold.config.yaml');
    const run = async () => {
      const project = readProject({ config: configFile, content: out, env: {} });
      return runIngest({ raw, out, ingest: project.ingest, overrides: project.overrides });
    };
    await writeFile(configFile, 'title: Harbor Daily\n');
    const first = await run();
    const sources = () => Object.fromEntries(first.articles.map((a) => [a.id, a.source]));
    expect(sources()['budget-post']).toBe('harborpost.com');
    expect(sources()['bridge-ap']).toBe('AP');

    await writeFile(configFile, 'title: Harbor Daily\ntimezone: Pacific/Honolulu\noutlets:\n  - {name: Associated Press, domains: [apnews.com], aliases: [AP]}\n  - {name: Harbor Post, domains: [harborpost.com]}\n');
    const second = await run();
    expect(second.cache.misses).toBe(NEWSROOM.length);
    const by = Object.fromEntries(second.articles.map((a) => [a.id, a]));
    expect([by['budget-post'].source, by['bridge-ap'].source, by['festival-ap'].source]).toEqual(['Harbor Post', 'Associated Press', 'Associated Press']);
    // 09:00 UTC on 3 March is 23:00 on 2 March in Honolulu; a date without a time stays as written.
    expect(by['bridge-ap'].date).toBe('2025-03-02');
    expect(by['bridge-ledger'].date).toBe('2025-03-03');
    const front = await readFile(path.join(out, 'articles', 'budget-post.md'), 'utf8');
    expect(front).toMatch(/^source: Harbor Post$/m);

    await writeFile(path.join(out, 'overrides.yaml'), 'articles:\n  bridge-gazette:\n    hidden: true\n');
    const third = await run();
    expect(third.cache.misses).toBe(0);
    expect(third.corpusReused).toBe(false);
    expect(third.hidden).toEqual([{ id: 'bridge-gazette', raw: 'bridge-gazette.md' }]);
    expect(third.written.removed).toEqual(['articles/bridge-gazette.md']);
    expect(third.report.hidden).toEqual([{ id: 'bridge-gazette', raw: 'bridge-gazette.md' }]);

    // A comment is no change: the memo stands, and still reports the hidden article.
    await writeFile(path.join(out, 'overrides.yaml'), '# checked by the night desk\narticles:\n  bridge-gazette: {hidden: true}\n');
    const fourth = await run();
    expect(fourth.corpusReused).toBe(true);
    expect(fourth.hidden).toEqual(third.hidden);
    expect(fourth.report.hidden).toEqual(third.report.hidden);
  });
});
