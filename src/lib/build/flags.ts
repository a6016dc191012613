/**
 * The one flag parser of the command-line tools (scripts/build.ts, ingest.ts,
 * watch.ts), on Node's own `util.parseArgs`: a few flags do not justify a
 * dependency (commander, yargs). Each tool declares its flags once, with a
 * sentence saying what each does; the same declaration gives the parsing, the
 * defaults (a flag may also come from an environment variable) and `--help`.
 * Unknown flags, missing values and bad numbers are usage errors (exit 2).
 */
import { parseArgs } from 'node:util';

export interface FlagSpec {
  type: 'string' | 'boolean' | 'number';
  /** One sentence: what the flag does. */
  help: string;
  /** The value's placeholder in the help, e.g. `dir`. */
  arg?: string;
  /** Default when neither the flag nor its environment variable is given. */
  default?: string | number | boolean;
  /** The default as the help states it, when it is not a fixed value. */
  defaultHelp?: string;
  /** An environment variable that gives the value when the flag is absent. */
  env?: string;
  short?: string;
}

export interface Command {
  /** How it is run, e.g. `npm run build --`. */
  usage: string;
  /** One or two sentences: what the command does. */
  summary: string;
  flags: Record<string, FlagSpec>;
  /** Arguments after the flags, when the command takes any: their placeholder and one sentence. */
  positionals?: { arg: string; help: string };
  /** Lines printed after the flags (exit codes, examples). */
  epilogue?: string[];
}

/** Each flag's value after defaults: a string, number or boolean by its type; undefined when absent with no default. */
export type FlagValues<F extends Record<string, FlagSpec>> = {
  [K in keyof F]: F[K]['type'] extends 'boolean' ? boolean : F[K]['type'] extends 'number' ? number | undefined : string | undefined;
};

export type Parsed<F extends Record<string, FlagSpec>> =
  | { kind: 'run'; values: FlagValues<F>; positionals: string[] }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

const HELP: FlagSpec = { type: 'boolean', short: 'h', help: 'Prints this help and exits.' };

/** Parses `argv` (without node and the script) against `command`; `env` gives the environment defaults. */
export function parseFlags<F extends Record<string, FlagSpec>>(command: Command & { flags: F }, argv: string[], env: NodeJS.ProcessEnv = process.env): Parsed<F> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: HELP.short } };
  for (const [name, spec] of Object.entries(command.flags)) options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: !!command.positionals }));
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message}\n${usageLine(command)}` };
  }
  if (values.help) return { kind: 'help', text: helpText(command) };
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(command.flags)) {
    const given = values[name] ?? (spec.env && env[spec.env] ? env[spec.env] : undefined);
    if (spec.type === 'boolean') {
      out[name] = given === undefined ? ((spec.default as boolean | undefined) ?? false) : given === true || given === '1' || given === 'true';
    } else if (spec.type === 'number') {
      const n = given === undefined ? spec.default : Number(given);
      if (typeof n === 'number' && !Number.isFinite(n)) return { kind: 'error', message: `--${name} must be a number, not ${JSON.stringify(given)}\n${usageLine(command)}` };
      out[name] = n as number | undefined;
    } else {
      out[name] = (given as string | undefined) ?? (spec.default as string | undefined);
    }
  }
  return { kind: 'run', values: out as FlagValues<F>, positionals };
}

function usageLine(command: Command): string {
  return `usage: ${command.usage} [flags]${command.positionals ? ` [${command.positionals.arg}...]` : ''}   (--help lists them)`;
}

/** The `--help` text: the summary, then one line per flag with its sentence, default and variable. */
export function helpText(command: Command): string {
  const rows: Array<[string, string]> = [];
  for (const [name, spec] of [...Object.entries(command.flags), ['help', HELP] as const]) {
    const left = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'boolean' ? '' : ` <${spec.arg ?? spec.type}>`}`;
    const extras: string[] = [];
    const shown = spec.defaultHelp ?? (spec.default === false ? undefined : spec.default);
    if (shown !== undefined) extras.push(`default ${shown}`);
    if (spec.env) extras.push(`or $${spec.env}`);
    rows.push([left, extras.length ? `${spec.help.replace(/\.$/, '')} (${extras.join(', ')}).` : spec.help]);
  }
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const args = command.positionals;
  return [
    `usage: ${command.usage} [flags]${args ? ` [${args.arg}...]` : ''}`,
    '',
    command.summary,
    '',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    ...(args ? ['', `  ${args.arg}...`.padEnd(width + 2) + args.help] : []),
    ...(command.epilogue?.length ? ['', ...command.epilogue] : []),
  ].join('\n');
}

/** The folders `npm run build` and `npm run watch` both take. */
export const FOLDER_FLAGS = {
  raw: { type: 'string', arg: 'dir', default: 'content/raw', env: 'NEWSFOLD_RAW', help: 'The drop folder of raw articles; it is only ever read.' },
  content: { type: 'string', arg: 'dir', default: 'content', env: 'NEWSFOLD_CONTENT', help: 'The content folder the ingest writes: articles/, stories/ and the build state in .newsfold/.' },
  dist: { type: 'string', arg: 'dir', default: 'dist', env: 'NEWSFOLD_OUT', help: 'The site folder, replaced whole only once a new build is complete.' },
  cache: { type: 'string', arg: 'dir', env: 'NEWSFOLD_CACHE', defaultHelp: '<content>/.newsfold/astro-cache', help: "Astro's cache folder, kept between builds." },
} as const satisfies Record<string, FlagSpec>;

/** The project's YAML files (src/lib/config-fs.ts), which build, ingest and watch all read. */
export const PROJECT_FLAGS = {
  config: {
    type: 'string',
    arg: 'file',
    env: 'NEWSFOLD_CONFIG',
    defaultHelp: 'newsfold.config.yaml, if there is one',
    help: "The site's config (title, description, language, time zone, site and base, outlets), validated before anything is written.",
  },
  overrides: {
    type: 'string',
    arg: 'file',
    env: 'NEWSFOLD_OVERRIDES',
    defaultHelp: '<content>/overrides.yaml, if there is one',
    help: "The editors' overrides (pinned headlines, merged stories, moved and hidden articles), validated before anything is written.",
  },
} as const satisfies Record<string, FlagSpec>;

// The commands, declared here so their flags can be tested without running them.

export const BUILD_COMMAND = {
  usage: 'npm run build --',
  summary: 'Ingests the drop folder and builds the site, incrementally (only what changed is redone) and atomically (a crash leaves the previous site).',
  flags: {
    ...FOLDER_FLAGS,
    ...PROJECT_FLAGS,
    report: { type: 'string', arg: 'file.json', help: 'Also writes the ingest report (articles, stories, rejected files with reasons, hidden articles) to this file.' },
    force: { type: 'boolean', help: 'Renders every page even when the content and the site are unchanged.' },
    quiet: { type: 'boolean', help: 'Prints only the summary line, not the progress and the list of changes.' },
    verbose: { type: 'boolean', help: "Shows Astro's own output." },
    'no-ingest': { type: 'boolean', help: 'Builds the site from the content folder as it is, without the ingest (a content folder made elsewhere).' },
    shard: { type: 'string', arg: 'k/n', help: 'Renders only part k of n of the site into --dist, from the content folder as it is, for one job of a CI matrix.' },
    merge: { type: 'boolean', help: 'Joins the part folders that --shard k/n runs made (given after the flags) into --dist, with the sitemap and the search index.' },
  },
  positionals: { arg: 'part', help: 'With --merge: the part folders, one per k of n.' },
  epilogue: [
    "NEWSFOLD_SITE and NEWSFOLD_BASE override the config's site and base (the origin and sub-path the site is served from).",
    'How the site is split into shards: NEWSFOLD_SHARD_PAGES, NEWSFOLD_ASTRO_HEAP_MB, NEWSFOLD_ASTRO_CHILDREN (docs/site.md); what pages show: newsfold.config.yaml.',
    'Exit codes: 0 built or up to date, 1 failed (also when astro ran out of memory: the message names the setting), 2 bad usage,',
    '3 another build holds the lock, 4 the config or the overrides are not valid (nothing was written; the previous site still serves).',
  ],
} as const satisfies Command;

export const INGEST_COMMAND = {
  usage: 'npm run ingest --',
  summary: 'Cleans the raw articles of the drop folder, groups them into stories and writes the content collections (articles/*.md, stories/*.json); no site is built.',
  flags: {
    raw: { type: 'string', arg: 'dir', default: 'content/raw', help: 'The drop folder of raw articles; it is only ever read.' },
    out: { type: 'string', arg: 'dir', default: 'content', help: 'The content folder to write: articles/, stories/ and the build state in .newsfold/.' },
    config: PROJECT_FLAGS.config,
    overrides: { ...PROJECT_FLAGS.overrides, defaultHelp: '<out>/overrides.yaml, if there is one' },
    report: { type: 'string', arg: 'file.json', help: 'Also writes the report (articles, stories, rejected files with reasons, warnings) to this file.' },
    recluster: { type: 'boolean', help: 'Groups the stories from scratch, ignoring the grouping state kept by month (the same stories, computed over the whole archive).' },
    quiet: { type: 'boolean', help: 'Prints the summary and the rejected files, not the progress and the warnings.' },
  },
  epilogue: [
    'Exit codes: 0 the folder was processed (rejected files or not), 1 failed, 2 bad usage, 3 another build holds the lock,',
    '4 the config or the overrides are not valid (nothing was written).',
  ],
} as const satisfies Command;

export const WATCH_COMMAND = {
  usage: 'npm run watch --',
  summary: 'Builds once, then rebuilds after each burst of changes in the drop folder, printing what changed; Ctrl-C stops it.',
  flags: {
    ...FOLDER_FLAGS,
    ...PROJECT_FLAGS,
    debounce: { type: 'number', arg: 'ms', default: 500, help: 'Waits this long after the last change before rebuilding, so a burst of files makes one build.' },
    poll: { type: 'number', arg: 'seconds', default: 60, help: 'Also rebuilds this often (0: never), for network file systems whose changes send no events.' },
  },
} as const satisfies Command;
