/**
 * The site half's state of a drop-in (build/site-build.ts siteState: the kept
 * entries, the related lists, the site index, the page plan and hashes) and
 * the sitemap, timed on copies of a built state's site stores, without an
 * ingest or an astro child: so two versions of the code can be compared in
 * turn on the same archive (#15).
 *
 *   node --import tsx scripts/bench/site-state.ts --from <content> --work <dir> [--runs 3]
 *
 * `--from` is a built content folder (its `.newsfold/site-entries/`,
 * `site-related*.json` and `dist-manifest*.json` are copied into
 * `<work>/content/.newsfold` once; its `articles/` and `stories/` are linked,
 * never written). Each run follows on from the content the copied entries
 * agree with, with no file changed (what a drop-in's site half does for the
 * files it did not write), and prints this process's CPU time. The first run
 * is what a build pays (one run per process); later ones run warm.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { siteState } from '../../src/lib/build/site-build.ts';
import { readMerged } from '../../src/lib/build/partial.ts';
import { sitemapFiles } from '../../src/lib/site/sitemap.ts';
import { inSitemap } from '../../src/lib/site/plan.ts';

const { values } = parseArgs({ options: { from: { type: 'string' }, work: { type: 'string' }, runs: { type: 'string', default: '1' } } });
if (!values.from || !values.work) throw new Error('usage: site-state.ts --from <content> --work <dir> [--runs N]');
const content = path.join(path.resolve(values.work), 'content');
const state = path.join(content, '.newsfold');
if (!existsSync(state)) {
  mkdirSync(state, { recursive: true });
  const from = path.resolve(values.from);
  cpSync(path.join(from, '.newsfold', 'site-entries'), path.join(state, 'site-entries'), { recursive: true });
  for (const name of readdirSync(path.join(from, '.newsfold'))) {
    if (/^(site-related|dist-manifest).*\.json$/.test(name)) cpSync(path.join(from, '.newsfold', name), path.join(state, name));
  }
  for (const folder of ['articles', 'stories']) symlinkSync(path.join(from, folder), path.join(content, folder));
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return Math.round((c.user + c.system) / 1000);
};

for (let run = 0; run < Number(values.runs); run++) {
  // The content the kept entries agree with (store/site-entries.ts `synced.json`): this run follows on from it.
  const synced = JSON.parse(readFileSync(path.join(state, 'site-entries', 'synced.json'), 'utf8')) as { content: string };
  const before = (await readMerged(content))?.pages ?? null;
  const c0 = process.cpuUsage();
  const { cached, pages } = await siteState(content, process.env, { from: synced.content, to: `${synced.content}+${run}`, files: [] }, before);
  const state_ = cpuMs(c0);
  const c1 = process.cpuUsage();
  const files = sitemapFiles(pages.plan.pages.filter(inSitemap).map((p) => p.path), 'https://example.org', '/');
  console.log(
    `run ${run}: siteState ${state_} ms CPU, sitemap ${cpuMs(c1)} ms CPU (${cached.entries.articles.length} articles, ${cached.parsed} parsed, ${pages.plan.pages.length} pages, ${files.size} sitemap files)`,
  );
}
