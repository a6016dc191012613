/**
 * npm run ingest -- --raw <dir> --out <dir> [--report <file.json>]
 *
 * Flags are parsed with Node's built-in util.parseArgs: three flags do not
 * justify a dependency.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { LockedError, lockPath, repairOutput, runIngest, withLock } from '../src/lib/build/index.ts';

const USAGE = 'usage: npm run ingest -- [--raw content/raw] [--out content] [--report report.json] [--recluster] [--quiet]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        raw: { type: 'string', default: 'content/raw' },
        out: { type: 'string', default: 'content' },
        report: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        // Group from scratch, ignoring the story state that keeps story ids stable across builds.
        recluster: { type: 'boolean', default: false },
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
  const started = performance.now();
  const log = values.quiet ? () => {} : (line: string) => console.error(`  ${line}`);
  // The same lock as `npm run build`: two writers must never interleave in one content folder.
  const lockFile = lockPath(values.out!);
  let result;
  try {
    result = await withLock(lockFile, 'ingest', async () => {
      const repaired = await repairOutput(path.resolve(values.out!));
      if (repaired) log(`repair: ${repaired}`);
      return runIngest({ raw: values.raw!, out: values.out!, report: values.report, log, recluster: values.recluster });
    });
  } catch (err) {
    if (!(err instanceof LockedError)) throw err;
    console.error(`newsfold ingest: ${err.message}`);
    return 3;
  }
  const ms = Math.round(performance.now() - started);
  console.log(
    `newsfold: ${result.summary.articles} articles (${result.summary.copies} republications), ${result.summary.stories} stories, ${result.rejected.length} rejected, ${result.warnings.length} warnings in ${ms} ms` +
      ` (${result.cache.misses} file(s) parsed, ${result.cache.hits} from cache; ${result.written.added.length + result.written.updated.length} written, ${result.written.removed.length} removed)`,
  );
  for (const r of result.rejected) console.log(`  rejected ${r.raw}: ${r.reason}`);
  if (!values.quiet) for (const w of result.warnings) console.log(`  warning ${w.raw}: ${w.message}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`newsfold ingest failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
