/**
 * npm run build -- [--raw content/raw] [--content content] [--dist dist] [--cache dir]
 *                  [--report file.json] [--force] [--ingest-only] [--quiet] [--verbose]
 * npm run build -- --no-ingest [--content content] [--dist dist]   (the site from the content folder as it is)
 * npm run build -- --shard k/n --dist part-k [--content content]   (part k of n of the pages, no ingest)
 * npm run build -- --merge part-1 ... part-n [--dist dist]          (the parts into dist/, swapped in)
 *
 * Incremental, atomic build: ingest, then `astro build` into a temporary folder
 * swapped in when complete (see scripts/lib/build.ts). Flags may also be given
 * as NEWSFOLD_RAW, NEWSFOLD_CONTENT, NEWSFOLD_OUT (dist) and NEWSFOLD_CACHE.
 * Exit codes: 0 built or up to date, 1 failed, 2 bad usage, 3 another build holds the lock.
 */
import { parseArgs } from 'node:util';
import { runBuild, describeChanges } from '../src/lib/build/index.ts';
import { LockedError } from '../src/lib/build/lock-fs.ts';
import { AstroOutOfMemory } from '../src/lib/build/astro-child.ts';
import { buildPart, buildSiteOnly, mergeParts } from '../src/lib/build/ci.ts';

const USAGE =
  'usage: npm run build -- [--raw content/raw] [--content content] [--dist dist] [--cache dir] [--report file.json] [--force] [--ingest-only] [--quiet] [--verbose]\n' +
  '       npm run build -- --no-ingest [--content content] [--dist dist] [--force]\n' +
  '       npm run build -- --shard k/n --dist <part folder> [--content content]\n' +
  '       npm run build -- --merge <part folder>... [--dist dist] [--content content]';

async function main(): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        raw: { type: 'string', default: process.env.NEWSFOLD_RAW || 'content/raw' },
        content: { type: 'string', default: process.env.NEWSFOLD_CONTENT || 'content' },
        dist: { type: 'string', default: process.env.NEWSFOLD_OUT || 'dist' },
        cache: { type: 'string', default: process.env.NEWSFOLD_CACHE || undefined },
        report: { type: 'string' },
        force: { type: 'boolean', default: false },
        'ingest-only': { type: 'boolean', default: false },
        'no-ingest': { type: 'boolean', default: false },
        shard: { type: 'string' },
        merge: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length && !values.merge) {
    console.error(`unexpected argument ${positionals[0]}\n${USAGE}`);
    return 2;
  }
  const log = values.quiet ? () => {} : (line: string) => console.error(`  ${line}`);
  try {
    if (values.shard !== undefined) {
      const m = /^(\d+)\/(\d+)$/.exec(values.shard);
      if (!m) {
        console.error(`--shard takes k/n, e.g. --shard 3/12\n${USAGE}`);
        return 2;
      }
      const part = await buildPart(Number(m[1]), Number(m[2]), values.dist, { content: values.content, cache: values.cache, verbose: values.verbose, log });
      const peak = Math.max(0, ...part.shards.map((s) => s.peakMB ?? 0));
      console.log(`newsfold: part ${values.shard}: ${part.pages} pages into ${values.dist} in ${part.ms} ms (${part.shards.length} astro child(ren), peak ${peak} MB)`);
      return 0;
    }
    if (values['no-ingest']) {
      const site = await buildSiteOnly(values.dist, { content: values.content, cache: values.cache, verbose: values.verbose, force: values.force, log });
      if (site.upToDate) console.log('newsfold: dist is up to date');
      else {
        console.log(
          `newsfold: site built from ${values.content} (${site.mode}: ${site.pagesRendered} pages${site.shards.length > 1 ? ` in ${site.shards.length} shards` : ''}) ` +
            `in ${site.indexMs + site.ms.render + site.ms.finish} ms (index ${site.indexMs} ms, render ${site.ms.render} ms, finish ${site.ms.finish} ms); ` +
            `peak memory: build ${Math.round(process.resourceUsage().maxRSS / 1024)} MB, largest astro child ${site.astroPeakMB ?? '?'} MB`,
        );
      }
      return 0;
    }
    if (values.merge) {
      if (!positionals.length) {
        console.error(`--merge takes the part folders\n${USAGE}`);
        return 2;
      }
      const merged = await mergeParts(positionals, values.dist, { content: values.content, cache: values.cache, log });
      console.log(`newsfold: merged ${positionals.length} part(s) into ${values.dist}: ${merged.pagesRendered} pages`);
      return 0;
    }
    const result = await runBuild({
      raw: values.raw,
      content: values.content,
      dist: values.dist,
      cache: values.cache,
      report: values.report,
      force: values.force,
      ingestOnly: values['ingest-only'],
      verbose: values.verbose,
      log,
    });
    const { ingest, ms, memory } = result;
    console.log(
      `newsfold: ${ingest.summary.articles} articles, ${ingest.summary.stories} stories, ${ingest.rejected.length} rejected; ` +
        `${ingest.cache.misses} file(s) parsed, ${ingest.cache.hits} from cache; ` +
        `${result.built ? `site built (${result.reason}: ${result.pagesRendered} pages${result.shards.length > 1 ? ` in ${result.shards.length} shards` : ''})` : result.reason} ` +
        `in ${ms.total} ms (ingest ${ms.ingest} ms, astro ${ms.astro} ms); ` +
        `peak memory: build ${memory.buildMB} MB${memory.astroMB !== null ? `, largest astro child ${memory.astroMB} MB` : ''}`,
    );
    if (!values.quiet) for (const line of describeChanges(result)) console.log(`  ${line}`);
    return 0;
  } catch (err) {
    if (err instanceof LockedError) {
      console.error(`newsfold build: ${err.message}`);
      return 3;
    }
    if (err instanceof AstroOutOfMemory) {
      console.error(`newsfold build failed: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`newsfold build failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
