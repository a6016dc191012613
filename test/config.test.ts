/**
 * newsfold.config.yaml and overrides.yaml as files (src/lib/config.ts,
 * src/lib/config-fs.ts, schema.ts `overridesSchema`): every key's default,
 * what it accepts and the message for what it does not (file, line, key,
 * what was expected), unknown keys, unreadable YAML, the environment over
 * site and base, and what the ingest gets from the config.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, DEFAULT_CONFIG, ingestOptionsOf, siteSettings } from '../src/lib/config';
import { ConfigError, loadConfig, loadOverrides, parseYamlFile } from '../src/lib/config-fs';
import { overridesSchema } from '../src/lib/schema';
import { readProject } from '../src/lib/build/index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (text: string) => parseYamlFile(text, 'newsfold.config.yaml', configSchema, 'config');
const overrides = (text: string) => parseYamlFile(text, 'overrides.yaml', overridesSchema, 'overrides');
/** The ConfigError's problem lines for `text`, or a failure if it parses. */
function problems(parse: (t: string) => unknown, text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('newsfold.config.yaml', () => {
  it('has a default for every key, and an empty file is the defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      title: 'Newsfold',
      description: 'Every source on each story, side by side, with cited extractive summaries.',
      language: 'en',
      timezone: 'UTC',
      site: 'https://newsfold.example.org',
      base: '/',
      homeDays: 3,
      homeStories: 50,
      storiesPerPage: 50,
      outletPageSize: 100,
      feedSize: 50,
      outlets: [],
    });
    expect(config('')).toEqual(DEFAULT_CONFIG);
    expect(config('# only a comment\n')).toEqual(DEFAULT_CONFIG);
  });

  it('takes every key, normalised', () => {
    const c = config(
      [
        'title: "  Harbor Daily "',
        'description: The Harborton region, every source side by side.',
        'language: en-gb',
        'timezone: America/New_York',
        'site: https://news.example.com',
        'base: news',
        'homeDays: 7',
        'homeStories: 30',
        'storiesPerPage: 20',
        'outletPageSize: 40',
        'feedSize: 10',
        'outlets:',
        '  - name: Associated Press',
        '    domains: [APNews.com, www.ap.org]',
        '    aliases: [AP]',
        '    homepage: https://apnews.com/',
      ].join('\n'),
    );
    expect(c).toEqual({
      title: 'Harbor Daily',
      description: 'The Harborton region, every source side by side.',
      language: 'en-GB',
      timezone: 'America/New_York',
      site: 'https://news.example.com',
      base: '/news/',
      homeDays: 7,
      homeStories: 30,
      storiesPerPage: 20,
      outletPageSize: 40,
      feedSize: 10,
      outlets: [{ name: 'Associated Press', domains: ['apnews.com', 'ap.org'], aliases: ['AP'], homepage: 'https://apnews.com/' }],
    });
  });

  it('names the file, line, column, key and what was expected for each wrong value', () => {
    const cases: Array<[string, RegExp]> = [
      ['title: ""', /^newsfold\.config\.yaml:1:1: title: expected a non-empty title/],
      ['title: [a, b]', /^newsfold\.config\.yaml:1:1: title: expected text, got a list$/],
      ['description: 42', /^newsfold\.config\.yaml:1:1: description: expected text, got the number 42$/],
      ['language: "??"', /language: expected a language tag such as en, en-GB or fr, got the text "\?\?"/],
      ['timezone: Mars/Olympus', /timezone: expected an IANA time zone such as UTC or Europe\/London, got the text "Mars\/Olympus"/],
      ['site: ftp://example.com', /site: expected the origin the site is served from, an absolute http\(s\) URL/],
      ['base: "/a b/"', /base: expected a path such as \/ or \/news\//],
      ['homeDays: 2.5', /homeDays: expected a whole number, got the number 2\.5/],
      ['storiesPerPage: 0', /storiesPerPage: expected at least 1, got the number 0/],
      ['feedSize: fifty', /^newsfold\.config\.yaml:1:1: feedSize: expected a whole number, got the text "fifty"$/],
      ['outlets: {name: AP}', /outlets: expected a list, got a mapping/],
      ['outlets:\n  - domains: [apnews.com]', /^newsfold\.config\.yaml:2:5: outlets\[0\]\.name: missing; expected text$/],
      ['outlets:\n  - name: AP\n    domains: ["https://apnews.com"]', /^newsfold\.config\.yaml:3:15: outlets\[0\]\.domains\[0\]: expected a domain such as reuters\.com, not a URL/],
      ['outlets:\n  - name: AP\n    homepage: apnews.com', /outlets\[0\]\.homepage: expected the home page, an absolute http\(s\) URL/],
    ];
    for (const [text, expected] of cases) {
      const found = problems(config, text);
      expect(found, text).toHaveLength(1);
      expect(found[0], text).toMatch(expected);
    }
  });

  it('calls an unknown key an error, with the keys it could be', () => {
    const found = problems(config, 'title: Harbor Daily\ntittle: Harbor\noutlets:\n  - name: AP\n    homepag: https://apnews.com\n');
    expect(found).toEqual([
      'newsfold.config.yaml:2:1: tittle: unknown key; expected one of title, description, language, timezone, site, base, homeDays, homeStories, storiesPerPage, outletPageSize, feedSize, outlets; did you mean title?',
      'newsfold.config.yaml:5:5: outlets[0].homepag: unknown key; expected one of name, domains, aliases, homepage; did you mean homepage?',
    ]);
  });

  it('lists every problem in the order of the file', () => {
    const found = problems(config, 'feedSize: x\ntitle: ""\nnope: 1\n');
    expect(found.map((p) => p.split(': ')[0])).toEqual(['newsfold.config.yaml:1:1', 'newsfold.config.yaml:2:1', 'newsfold.config.yaml:3:1']);
  });

  it('calls YAML it cannot read an error, with where', () => {
    expect(problems(config, 'title: [unclosed\n')[0]).toMatch(/^newsfold\.config\.yaml:2:1: cannot read YAML: /);
    expect(problems(config, 'title: a\ntitle: b\n')[0]).toMatch(/^newsfold\.config\.yaml:2:1: cannot read YAML: Map keys must be unique/);
    expect(problems(config, '- just\n- a list\n')[0]).toMatch(/\(the whole file\): expected a mapping of keys, got a list/);
  });

  it('gives a domain or a spelling to one outlet only', () => {
    const found = problems(config, 'outlets:\n  - name: Associated Press\n    domains: [apnews.com]\n  - name: The associated press\n    domains: [apnews.com]\n');
    expect(found).toEqual([
      `newsfold.config.yaml:4:5: outlets[1].name: the name "The associated press" is already outlets[0]'s (Associated Press)`,
      `newsfold.config.yaml:5:15: outlets[1].domains[0]: apnews.com is already outlets[0]'s (Associated Press)`,
    ]);
  });

  it('reads the file at its default place when there is one, and requires a file named explicitly', async () => {
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expect(loadConfig()).toEqual({ data: DEFAULT_CONFIG, file: null });
      await writeFile(path.join(dir, 'newsfold.config.yaml'), 'title: Harbor Daily\n');
      expect(loadConfig().data.title).toBe('Harbor Daily');
      expect(() => loadConfig('missing.yaml')).toThrow(/missing\.yaml is not valid:\n {2}file not found/);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('site settings', () => {
  it('are the config, with NEWSFOLD_SITE and NEWSFOLD_BASE over site and base', () => {
    const c = config('title: Harbor Daily\nsite: https://a.example\nbase: /a/\noutlets:\n  - {name: AP, homepage: "https://apnews.com"}\n  - {name: Ledger}\n');
    const s = siteSettings(c, {});
    expect(s).toMatchObject({ title: 'Harbor Daily', site: 'https://a.example', base: '/a/', outlets: [{ name: 'AP', homepage: 'https://apnews.com' }] });
    expect(siteSettings(c, { NEWSFOLD_SITE: 'https://b.example', NEWSFOLD_BASE: '/b' })).toMatchObject({ site: 'https://b.example', base: '/b/' });
    expect(() => siteSettings(c, { NEWSFOLD_SITE: 'not a url' })).toThrow(/^NEWSFOLD_SITE: expected the origin/);
  });

  it('give the ingest only what differs from its defaults', () => {
    expect(ingestOptionsOf(DEFAULT_CONFIG)).toEqual({});
    const c = config('timezone: Asia/Tokyo\noutlets:\n  - {name: AP, domains: [apnews.com], aliases: [A.P.], homepage: "https://apnews.com"}\n');
    expect(ingestOptionsOf(c)).toEqual({ outlets: [{ name: 'AP', domains: ['apnews.com'], aliases: ['A.P.'] }], metadata: { timeZone: 'Asia/Tokyo' } });
  });

  it('are read with the overrides by readProject, before anything is written', async () => {
    const content = path.join(dir, 'content-a');
    const project = readProject({ content, env: {} });
    expect(project.overrides).toBeUndefined();
    await writeFile(path.join(dir, 'o.yaml'), 'articles:\n  a-1:\n    hidden: true\n');
    expect(readProject({ content, overrides: path.join(dir, 'o.yaml'), env: {} }).overrides?.data).toEqual({ stories: {}, articles: { 'a-1': { hidden: true } } });
    expect(() => readProject({ content, env: { NEWSFOLD_BASE: 'a b' } })).toThrow(ConfigError);
  });
});

describe("the README's examples", () => {
  it('are a valid config and a valid overrides file, with every config key', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(path.join(process.cwd(), 'README.md'), 'utf8');
    const block = (first: string) => readme.match(new RegExp('```yaml\\n(' + first + '\\n[\\s\\S]*?)```'))?.[1];
    const configText = block('# newsfold.config.yaml');
    const overridesText = block('# content/overrides.yaml');
    expect(configText && overridesText).toBeTruthy();
    const c = config(configText!);
    for (const key of Object.keys(DEFAULT_CONFIG)) expect(configText, key).toMatch(new RegExp(`^${key}:`, 'm'));
    expect(c.outlets.map((o) => o.name)).toEqual(['Associated Press', 'Harbor Post']);
    const o = overrides(overridesText!);
    expect(Object.keys(o.stories).length + Object.keys(o.articles).length).toBe(4);
  });
});

describe('overrides.yaml', () => {
  it('reads every override; an empty file or an empty section is no override', () => {
    expect(overrides('')).toEqual({ stories: {}, articles: {} });
    expect(overrides('stories:\narticles:\n')).toEqual({ stories: {}, articles: {} });
    const o = overrides(
      ['stories:', '  bridge-1:', '    headline: Pinned', '    merge: [bridge-2, bridge-3]', 'articles:', '  a-1:', '    story: bridge-1', '  a-2:', '    hidden: true'].join('\n'),
    );
    expect(o).toEqual({ stories: { 'bridge-1': { headline: 'Pinned', merge: ['bridge-2', 'bridge-3'] } }, articles: { 'a-1': { story: 'bridge-1' }, 'a-2': { hidden: true } } });
  });

  it('calls a typo an error, so a hidden article is never published by mistake', () => {
    expect(problems(overrides, 'articles:\n  a-2:\n    hiden: true\n')).toEqual([
      'overrides.yaml:2:3: articles.a-2: expected story or hidden',
      'overrides.yaml:3:5: articles.a-2.hiden: unknown key; expected one of story, hidden; did you mean hidden?',
    ]);
    // YAML 1.2: `yes` is the text "yes", not true.
    expect(problems(overrides, 'articles:\n  a-2:\n    hidden: yes\n')).toEqual(['overrides.yaml:3:5: articles.a-2.hidden: expected true or false, got the text "yes"']);
    expect(problems(overrides, 'stories:\n  Bridge One:\n    headline: x\n')[0]).toMatch(/^overrides\.yaml:2:3: stories\.Bridge One: expected an id: lowercase letters, digits, - and _/);
    expect(problems(overrides, 'stories:\n  b:\n    merge: []\n')).toEqual(['overrides.yaml:3:5: stories.b.merge: expected at least one story id']);
    expect(problems(overrides, 'story:\n  b: {}\n')[0]).toMatch(/story: unknown key; expected one of stories, articles; did you mean stories\?/);
    expect(problems(overrides, 'articles:\n  a-1: {hidden: true}\n  a-1: {hidden: false}\n')[0]).toMatch(/cannot read YAML: Map keys must be unique/);
  });

  it('is looked for in the content folder, and is required where named', async () => {
    const content = path.join(dir, 'content-b');
    expect(loadOverrides(content)).toBeNull();
    expect(() => loadOverrides(content, path.join(content, 'nope.yaml'))).toThrow(/file not found/);
  });
});
