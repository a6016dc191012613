/**
 * npm run build -- [flags]   (`--help` lists them)
 *
 * Incremental, atomic build: ingest, then `astro build` into a temporary folder
 * swapped in when complete (src/lib/build/index.ts).
 * Exit codes: 0 built or up to date, 1 failed, 2 bad usage, 3 another build holds the lock,
 * 4 the config or the overrides are not valid (nothing written; the previous site still serves).
 */
import { BUILD_COMMAND, ConfigError, describeChanges, LockedError, parseFlags, runBuild } from '../src/lib/build/index.ts';

async function main(): Promise<number> {
  const parsed = parseFlags(BUILD_COMMAND, process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    return 2;
  }
  const { values } = parsed;
  const log = values.quiet ? () => {} : (line: string) => console.error(`  ${line}`);
  try {
    const result = await runBuild({
      raw: values.raw,
      content: values.content,
      dist: values.dist,
      cache: values.cache,
      report: values.report,
      config: values.config,
      overrides: values.overrides,
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
    if (err instanceof ConfigError) {
      console.error(`newsfold build: ${err.message}\nNothing was built; the previous site still serves.`);
      return 4;
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
