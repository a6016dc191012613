/**
 * npm run build -- [--raw content/raw] [--content content] [--dist dist] [--cache dir]
 *                  [--report file.json] [--force] [--quiet] [--verbose]
 *
 * Incremental, atomic build: ingest, then `astro build` into a temporary folder
 * swapped in when complete (see scripts/lib/build.ts). Flags may also be given
 * as NEWSFOLD_RAW, NEWSFOLD_CONTENT, NEWSFOLD_OUT (dist) and NEWSFOLD_CACHE.
 * Exit codes: 0 built or up to date, 1 failed, 2 bad usage, 3 another build holds the lock.
 */
import { parseArgs } from 'node:util';
import { describeChanges, LockedError, runBuild } from '../src/lib/build/index.ts';

const USAGE =
  'usage: npm run build -- [--raw content/raw] [--content content] [--dist dist] [--cache dir] [--report file.json] [--force] [--quiet] [--verbose]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        raw: { type: 'string', default: process.env.NEWSFOLD_RAW || 'content/raw' },
        content: { type: 'string', default: process.env.NEWSFOLD_CONTENT || 'content' },
        dist: { type: 'string', default: process.env.NEWSFOLD_OUT || 'dist' },
        cache: { type: 'string', default: process.env.NEWSFOLD_CACHE || undefined },
        report: { type: 'string' },
        force: { type: 'boolean', default: false },
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
  const log = values.quiet ? () => {} : (line: string) => console.error(`  ${line}`);
  try {
    const result = await runBuild({
      raw: values.raw,
      content: values.content,
      dist: values.dist,
      cache: values.cache,
      report: values.report,
      force: values.force,
      verbose: values.verbose,
      log,
    });
    const { ingest, ms } = result;
    console.log(
      `newsfold: ${ingest.summary.articles} articles, ${ingest.summary.stories} stories, ${ingest.rejected.length} rejected; ` +
        `${ingest.cache.misses} file(s) parsed, ${ingest.cache.hits} from cache; ` +
        `${result.built ? `site built (${result.reason})` : result.reason} in ${ms.total} ms (ingest ${ms.ingest} ms, astro ${ms.astro} ms)`,
    );
    if (!values.quiet) for (const line of describeChanges(result)) console.log(`  ${line}`);
    return 0;
  } catch (err) {
    if (err instanceof LockedError) {
      console.error(`newsfold build: ${err.message}`);
      return 3;
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
