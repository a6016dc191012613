/**
 * npm run build -- [flags]   (`--help` lists them)
 *
 * Incremental, atomic build: ingest, then the site rendered in shards by astro
 * children and swapped in, or a drop-in's pages laid into dist/ through a
 * journal (src/lib/build/index.ts). Also the site alone (`--no-ingest`) and a
 * CI matrix's parts (`--shard k/n`, `--merge part...`: src/lib/build/ci.ts).
 * Exit codes: 0 built or up to date, 1 failed, 2 bad usage, 3 another build holds the lock,
 * 4 the config or the overrides are not valid (nothing written; the previous site still serves).
 */
import { AstroOutOfMemory, BUILD_COMMAND, buildPart, buildSiteOnly, ConfigError, describeChanges, LockedError, mergeParts, parseFlags, runBuild } from '../src/lib/build/index.ts';

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
  const { values, positionals } = parsed;
  if (positionals.length && !values.merge) {
    console.error(`unexpected argument ${positionals[0]} (part folders follow --merge)`);
    return 2;
  }
  const log = values.quiet ? () => {} : (line: string) => console.error(`  ${line}`);
  const folders = { content: values.content, cache: values.cache, config: values.config, verbose: values.verbose, log };
  const dist = values.dist ?? 'dist';
  try {
    if (values.shard !== undefined) {
      const m = /^(\d+)\/(\d+)$/.exec(values.shard);
      if (!m) {
        console.error('--shard takes k/n, e.g. --shard 3/12');
        return 2;
      }
      const part = await buildPart(Number(m[1]), Number(m[2]), dist, folders);
      const peak = Math.max(0, ...part.shards.map((s) => s.peakMB ?? 0));
      console.log(`newsfold: part ${values.shard}: ${part.pages} pages into ${dist} in ${part.ms} ms (${part.shards.length} astro child(ren), peak ${peak} MB)`);
      return 0;
    }
    if (values.merge) {
      if (!positionals.length) {
        console.error('--merge takes the part folders after the flags');
        return 2;
      }
      const merged = await mergeParts(positionals, dist, folders);
      console.log(`newsfold: merged ${positionals.length} part(s) into ${dist}: ${merged.pagesRendered} pages`);
      return 0;
    }
    if (values['no-ingest']) {
      const site = await buildSiteOnly(dist, { ...folders, force: values.force });
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
