/**
 * Bad input (#7): every kind of hostile or broken file a scraper produces is
 * reported with its name and a reason, never stops the build, and nothing in
 * the drop folder is written, moved or deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runIngest, type RunResult } from '../src/lib/build/ingest-fs';
import { reportSchema } from '../src/lib/schema';
import { copySample, scratch, snapshot } from './helpers/tree';

/** Windows-1252 bytes for text: Latin-1 plus the 0x80-0x9f punctuation block. */
const CP1252_EXTRA: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
function cp1252(text: string): Buffer {
  return Buffer.from([...text].map((ch) => CP1252_EXTRA[ch] ?? (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 0x3f)));
}

let dir: string;
let raw: string;
let out: string;
let outside: string;
let sample: string[];
let article: string; // text of one real sample article
let result: RunResult;
let rawBefore: Record<string, string>;
let yamlBadLine: number;

const rejectedFor = (name: string) => result.rejected.filter((r) => r.raw === name);
const articleFor = (name: string) => result.articles.find((a) => a.raw === name);

beforeAll(async () => {
  dir = await scratch();
  raw = path.join(dir, 'raw');
  out = path.join(dir, 'content');
  outside = path.join(dir, 'outside');
  sample = await copySample(raw);
  article = await readFile(path.join(raw, sample[0]), 'utf8');
  const lines = article.split('\n');

  await writeFile(path.join(raw, 'empty.txt'), '');
  await writeFile(path.join(raw, 'blank.txt'), ' \n\n\t\n');
  await writeFile(path.join(raw, 'picture.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  await writeFile(path.join(raw, 'photo-saved-as.txt'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)]));
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 256;
  await writeFile(path.join(raw, 'noise.txt'), noise);
  // The sample with accented letters worked into its first paragraph, in Windows-1252 and in UTF-8.
  const accented = article.replace(/[^\x00-\xff’“”–—…]/g, ' ').replace(/^(.*?) /, '$1 (déjà vu à la café, €5) ');
  await writeFile(path.join(raw, 'windows-1252.txt'), cp1252(accented));
  await writeFile(path.join(raw, 'utf8-twin.txt'), accented);
  // Bytes that Windows-1252 leaves undefined: neither UTF-8 nor Windows-1252.
  await writeFile(path.join(raw, 'not-text-encoding.txt'), Buffer.concat([cp1252(article.slice(0, 400)), Buffer.from([0x81, 0x8d, 0x8f, 0x90, 0x9d])]));
  await writeFile(path.join(raw, 'with-bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(article)]));
  await writeFile(path.join(raw, 'crlf.txt'), article.replace(/\n/g, '\r\n'));
  await writeFile(path.join(raw, 'huge.txt'), Buffer.alloc(5 * 1024 * 1024 + 1, 'a'));
  // A page of navigation, share buttons and legal lines, many times over.
  const chrome = ['Home', 'World', 'Business', 'Sport', 'Sign in', 'Subscribe', 'Share on Facebook', 'Share on Twitter', 'Cookie settings', 'Privacy policy', 'Terms of use', '© 2025 All rights reserved'];
  await writeFile(path.join(raw, 'boilerplate.txt'), Array.from({ length: 6 }, () => chrome.join('\n')).join('\n\n'));
  const yaml = ['---', 'title: A fine title', 'source: Wire', '  date: 2025-01-01', '---', '', ...lines];
  yamlBadLine = yaml.findIndex((l) => l.startsWith('  date')) + 1;
  await writeFile(path.join(raw, 'bad-front-matter.md'), yaml.join('\n'));
  await writeFile(path.join(raw, 'front matter is a list.md'), ['---', '- a', '- b', '---', '', article].join('\n'));
  await writeFile(path.join(raw, 'Mon article été 2025.txt'), article);
  await mkdir(path.join(raw, 'nested', 'deeper'), { recursive: true });
  await writeFile(path.join(raw, 'nested', 'deeper', 'story.txt'), article);
  await writeFile(path.join(raw, '.hidden.txt'), article);
  await mkdir(path.join(raw, '.git'), { recursive: true });
  await writeFile(path.join(raw, '.git', 'config.txt'), article);
  await writeFile(path.join(raw, 'notes.docx'), 'not an article');
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'secret.txt'), `${article}\n\nOUTSIDE-THE-DROP-FOLDER-${process.pid}\n`);
  await symlink(path.join(outside, 'secret.txt'), path.join(raw, 'link-outside.txt'));
  await symlink(outside, path.join(raw, 'link-to-folder'));
  await symlink(path.join(raw, 'missing.txt'), path.join(raw, 'broken-link.txt'));
  await symlink(path.join(raw, sample[1]), path.join(raw, 'link-inside.txt'));

  rawBefore = await snapshot(raw);
  result = await runIngest({ raw, out, report: path.join(dir, 'report.json') });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad input is reported, never fatal', () => {
  it('keeps every good article', () => {
    for (const name of sample) expect(articleFor(name), name).toBeDefined();
  });

  it.each([
    ['empty.txt', /empty/i],
    ['blank.txt', /empty/i],
    ['picture.png', /unsupported file type/i],
    ['photo-saved-as.txt', /binary.*JPEG/i],
    ['noise.txt', /binary|not UTF-8/i],
    ['not-text-encoding.txt', /not UTF-8/i],
    ['huge.txt', /too large/i],
    ['boilerplate.txt', /no article text/i],
    ['bad-front-matter.md', /front matter/i],
    ['front matter is a list.md', /front matter/i],
    ['notes.docx', /unsupported file type/i],
    ['link-outside.txt', /outside the drop folder/i],
    ['link-to-folder', /folder/i],
    ['broken-link.txt', /broken/i],
  ])('rejects %s with its reason', (name, reason) => {
    const r = rejectedFor(name);
    expect(r, `rejections: ${JSON.stringify(result.rejected)}`).toHaveLength(1);
    expect(r[0].reason).toMatch(reason);
    expect(articleFor(name)).toBeUndefined();
  });

  it('names the line of a YAML error', () => {
    expect(rejectedFor('bad-front-matter.md')[0].reason).toMatch(new RegExp(`line ${yamlBadLine}\\b`));
  });

  it('decodes Windows-1252 with a warning', () => {
    const a = articleFor('windows-1252.txt');
    expect(a, JSON.stringify(rejectedFor("windows-1252.txt"))).toBeDefined();
    const twin = articleFor('utf8-twin.txt')!;
    expect(twin.body.map((b) => b.text).join('\n')).toContain('déjà vu à la café, €5');
    expect(a!.title).toBe(twin.title);
    expect(a!.body).toEqual(twin.body);
    expect(result.warnings.some((w) => w.raw === 'windows-1252.txt' && /Windows-1252/.test(w.message))).toBe(true);
  });

  it('strips a byte-order mark and CRLF line ends', async () => {
    const plain = articleFor(sample[0])!;
    for (const name of ['with-bom.txt', 'crlf.txt']) {
      const a = articleFor(name)!;
      expect(a, name).toBeDefined();
      expect(a.title).toBe(plain.title);
      expect(a.body).toEqual(plain.body);
    }
    for (const file of await readdir(path.join(out, 'articles'))) {
      const text = await readFile(path.join(out, 'articles', file), 'utf8');
      expect(text).not.toMatch(/\r|\ufeff/);
    }
  });

  it('accepts names with spaces and non-ASCII letters, and nested folders, with safe ids', () => {
    for (const name of ['Mon article été 2025.txt', 'nested/deeper/story.txt']) {
      const a = articleFor(name);
      expect(a, name).toBeDefined();
      expect(a!.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    }
  });

  it('ignores dotfiles silently, follows links inside the folder, never outside', async () => {
    expect(result.articles.some((a) => a.raw.split('/').some((p) => p.startsWith('.')))).toBe(false);
    expect(result.rejected.some((r) => r.raw.split('/').some((p) => p.startsWith('.')))).toBe(false);
    expect(articleFor('link-inside.txt')).toBeDefined();
    const all = Object.keys(await snapshot(out));
    for (const rel of all.filter((r) => r.startsWith('articles/'))) {
      expect(await readFile(path.join(out, rel), 'utf8')).not.toContain('OUTSIDE-THE-DROP-FOLDER');
    }
  });

  it('writes every problem into the report with file and reason', async () => {
    const report = reportSchema.parse(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')));
    expect(report.rejected).toEqual(result.rejected);
    for (const r of report.rejected) {
      expect(r.raw).not.toBe('');
      expect(r.reason.length).toBeGreaterThan(5);
    }
  });

  it('never writes, moves or deletes anything in the drop folder', async () => {
    await runIngest({ raw, out });
    expect(await snapshot(raw)).toEqual(rawBefore);
  });
});
