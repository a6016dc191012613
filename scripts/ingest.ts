/**
 * npm run ingest -- [flags]   (`--help` lists them)
 *
 * The ingest alone: reads the drop folder, writes the content collections and
 * the build state, and a report; no site. Takes the same lock as the build.
 * Exit codes: 0 the folder was processed (rejected files or not), 1 failed,
 * 2 bad usage, 3 another build or ingest holds the lock, 4 the config or the
 * overrides are not valid (nothing written).
 */
import path from 'node:path';
import { ConfigError, INGEST_COMMAND, LockedError, lockPath, parseFlags, readProject, repairOutput, runIngest, withLock, type ProjectInputs } from '../src/lib/build/index.ts';

async function main(): Promise<number> {
  const parsed = parseFlags(INGEST_COMMAND, process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    return 2;
  }
  const { values } = parsed;
  const raw = values.raw!;
  const out = values.out!;
  const started = performance.now();
  const log = values.quiet ? () => {} : (line: string) => console.error(`  ${line}`);
  // The config's outlets and time zone, and the overrides, as `npm run build` reads them: validated before anything is written.
  let project: ProjectInputs;
  try {
    project = readProject({ config: values.config, overrides: values.overrides, content: path.resolve(out) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`newsfold ingest: ${err.message}\nNothing was written.`);
    return 4;
  }
  // The same lock as `npm run build`: two writers must never interleave in one content folder.
  let result;
  try {
    result = await withLock(lockPath(out), 'ingest', async () => {
      const repaired = await repairOutput(path.resolve(out));
      if (repaired) log(`repair: ${repaired}`);
      return runIngest({ raw, out, report: values.report, log, recluster: values.recluster, ingest: project.ingest, overrides: project.overrides });
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
  for (const h of result.hidden) console.log(`  hidden ${h.id} (${h.raw}): by overrides`);
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
