/**
 * The ingest command is a stable contract (acceptance checks call it exactly
 * so): `npm run ingest -- --raw <dir> --out <dir> [--report <file.json>]`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../scripts/lib/corpus';
import { reportSchema, type Report } from '../src/lib/schema';

const run = promisify(execFile);

describe('npm run ingest', () => {
  let dir: string;
  let report: Report;
  let stdout: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-cli-'));
    const raw = path.join(dir, 'drop');
    await cp(path.join(repoRoot, 'content/raw'), path.join(raw, 'nested/folder'), { recursive: true });
    await writeFile(path.join(raw, 'empty.txt'), '');
    await writeFile(path.join(raw, 'notes.pdf'), 'not an article format');
    await writeFile(path.join(raw, '.hidden.txt'), 'ignored dotfile');
    await mkdir(path.join(dir, 'site'));
    ({ stdout } = await run('npm', ['run', '--silent', 'ingest', '--', '--raw', raw, '--out', path.join(dir, 'site'), '--report', path.join(dir, 'report.json')], { cwd: repoRoot }));
    report = reportSchema.parse(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the report in the documented shape', () => {
    expect(report.articles).toHaveLength(5);
    for (const a of report.articles) {
      expect(a.raw).toMatch(/^nested\/folder\/[^/]+\.txt$/);
      expect(a.path).toBe(`articles/${a.id}.md`);
      expect(report.stories.some((s) => s.id === a.story && s.articles.includes(a.id))).toBe(true);
      if (a.date) expect(a.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('writes one Markdown file per article and one file per story', async () => {
    const articles = await readdir(path.join(dir, 'site/articles'));
    expect(articles.sort()).toEqual(report.articles.map((a) => `${a.id}.md`).sort());
    const stories = await readdir(path.join(dir, 'site/stories'));
    expect(stories.map((s) => s.replace(/\.(json|md)$/, '')).sort()).toEqual(report.stories.map((s) => s.id).sort());
  });

  it('rejects bad files with a reason, ignores dotfiles, and goes on', () => {
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.raw, r.reason]));
    expect(reasons['empty.txt']).toMatch(/empty/);
    expect(reasons['notes.pdf']).toMatch(/unsupported/);
    expect(Object.keys(reasons)).not.toContain('.hidden.txt');
    expect(stdout).toMatch(/5 articles/);
    expect(stdout).toMatch(/empty\.txt/);
  });

  it('fails with a clear message when the drop folder does not exist', async () => {
    const err = await run('npm', ['run', '--silent', 'ingest', '--', '--raw', path.join(dir, 'missing'), '--out', path.join(dir, 'x')], { cwd: repoRoot }).catch((e) => e);
    expect(err.code).not.toBe(0);
    expect(String(err.stderr)).toMatch(/drop folder not found/);
  });
});
