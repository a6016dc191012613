/**
 * Real page text for the tests that check a rule or a pre-test against every line a scrape can hold:
 * the bundled samples and the fixtures, and with ../shared the seeds and the Zyte page dumps (skipped
 * loudly without it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { announceSkip, corpusDir, seedsDir } from '../../scripts/lib/corpus';

const root = path.join(__dirname, '../..');

/** Text files of a folder (and its subfolders), in name order, at most `limit`; none when it is absent. */
export function pagesIn(dir: string | null, limit = Infinity): string[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => n.endsWith('.txt') || n.endsWith('.md'))
    .sort()
    .slice(0, limit)
    .map((n) => readFileSync(path.join(dir, n), 'utf8'));
}

/** The pages: samples, fixtures, seeds, and the first `zytePages` Zyte dumps; `label` names the test in the skip notice. */
export function realPages(label: string, zytePages = Infinity): string[] {
  const pages = [...pagesIn(path.join(root, 'content/raw')), ...pagesIn(path.join(root, 'test/fixtures/cases'))];
  const seeds = seedsDir();
  const corpus = corpusDir();
  if (!seeds || !corpus) announceSkip(`${label}: the seeds and Zyte page dumps`);
  pages.push(...pagesIn(seeds), ...pagesIn(corpus && path.join(corpus, 'boilerplate-zyte/raw'), zytePages));
  return pages;
}
