/**
 * Fingerprints of everything the cleaner decides, so a change made for speed
 * can be shown to change no output: per set of pages, a SHA-256 over each
 * page's articles (cleaned body, title, dek, outlet, byline, date, language,
 * every removal with its kind), rejections and warnings as the per-file
 * pipeline gives them (articlesFromFile: clean, dedupe, describe), and the
 * views the training scripts fit the models to (pageBlocks, pageHeader).
 *
 *   node --import tsx scripts/bench/clean-hash.ts [rawDir ...] [--out file.tsv]
 *
 * Sets: each raw folder given (say the bench's 10,000-article corpus), the
 * Zyte page-text and HTML pages and the Readability pages (../shared/corpus,
 * skipped loudly without it), and the seed-like pages of the three splits
 * (the eval's fixed seeds). `--out` writes one line per page (set, name,
 * hash), for finding the page that changed when a set's hash does.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { articlesFromFile, defaultIngestOptions } from '../../src/lib/ingest/pipeline.ts';
import { decode } from '../../src/lib/ingest/read/decode.ts';
import { formatOf, parse } from '../../src/lib/ingest/read/parse.ts';
import { pageBlocks, pageHeader } from '../../src/lib/ingest/clean/clean.ts';
import type { RawFile } from '../../src/lib/ingest/types.ts';
import { announceSkip, corpusDir } from '../lib/corpus.ts';
import { SEEDLIKE_PAGES, SEEDLIKE_SEEDS, cleanGenerated, seedlikePages } from '../eval/seedlike.ts';
import { setLibraries } from '../../src/lib/ingest/index.ts';
import { nodeLibraries } from '../../src/lib/store/index.ts';

// The stages' libraries (linkedom, Readability, chrono-node, the lexicon), loaded when first needed.
setLibraries(nodeLibraries);

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** One page's fingerprint: what the pipeline made of it, and (for page text) what the models are shown. */
function fileHash(file: RawFile, views: boolean): string {
  const out: unknown[] = [articlesFromFile(file, defaultIngestOptions)];
  if (views) {
    const format = formatOf(file.raw);
    const decoded = format ? decode(file.bytes) : null;
    const parsed = format && decoded?.ok ? parse(file.raw, format, decoded.text) : null;
    if (parsed?.ok) for (const doc of parsed.docs) out.push(pageBlocks(doc), pageHeader(doc));
  }
  return sha(out);
}

async function filesIn(dir: string, ext: string, gz = false): Promise<RawFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(ext)).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name));
      return { raw: gz ? name.replace(/\.gz$/, '') : name, bytes: new Uint8Array(gz ? gunzipSync(bytes) : bytes) };
    }),
  );
}

async function main() {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const outFile = outAt >= 0 ? args[outAt + 1] : null;
  const rawDirs = args.filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1));
  const lines: string[] = [];
  const report = (set: string, hashes: Array<[string, string]>) => {
    for (const [name, h] of hashes) lines.push(`${set}\t${name}\t${h}`);
    process.stdout.write(`${set}\t${hashes.length} pages\t${sha(hashes)}\n`);
  };

  for (const dir of rawDirs) {
    const names = (await readdir(dir)).filter((n) => formatOf(n)).sort();
    const hashes: Array<[string, string]> = [];
    for (const name of names) {
      const file = { raw: name, bytes: new Uint8Array(await readFile(path.join(dir, name))) };
      hashes.push([name, fileHash(file, false)]);
    }
    report(`raw:${dir}`, hashes);
  }

  const corpus = corpusDir();
  if (!corpus) announceSkip('clean-hash: Zyte, Readability and seed-like pages');
  else {
    const sets: Array<[string, RawFile[], boolean]> = [
      ['zyte-text', await filesIn(path.join(corpus, 'boilerplate-zyte/raw'), '.txt'), true],
      ['zyte-html', await filesIn(path.join(corpus, 'boilerplate-zyte/html'), '.html.gz', true), false],
      ['readability-html', await filesIn(path.join(corpus, 'boilerplate-readability/html'), '.html.gz', true), false],
    ];
    for (const [set, files, views] of sets) report(set, files.map((f) => [f.raw, fileHash(f, views)]));
    for (const split of ['train', 'test', 'heldout'] as const) {
      const pages = seedlikePages(corpus, split, SEEDLIKE_PAGES, SEEDLIKE_SEEDS[split]);
      const hashes: Array<[string, string]> = pages.map((p, i) => {
        const file = { raw: 'page.txt', bytes: new TextEncoder().encode(p.text) };
        const parsed = parse('page.txt', 'txt', p.text);
        const views = parsed.ok ? parsed.docs.map((d) => [pageBlocks(d), pageHeader(d)]) : [];
        return [String(i), sha([p.text, cleanGenerated(p), articlesFromFile(file, defaultIngestOptions), views])];
      });
      report(`seedlike-${split}`, hashes);
    }
  }
  if (outFile) await writeFile(outFile, `${lines.join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
