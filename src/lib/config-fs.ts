/**
 * The project's YAML files, read at the build's edge: `newsfold.config.yaml`
 * (the site's config, src/lib/config.ts) and `overrides.yaml` (the editors'
 * corrections, schema.ts `overridesSchema`). Each is parsed with the `yaml`
 * package (YAML 1.2: `yes` is a string, not true; duplicate keys are errors;
 * alias expansion bounded) and validated with its zod schema; what the stages
 * get is plain, validated data.
 *
 * A file that cannot be read, parsed or validated throws a ConfigError whose
 * message names the file, the line and column, the key path and what was
 * expected, one line per problem, so the build stops before it writes
 * anything and the previous site keeps serving. Node-only (`*-fs.ts`); the
 * build, the ingest CLI, watch and astro.config.mjs use it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'astro/zod';
import { configSchema, DEFAULT_CONFIG, SETTINGS_ENV, siteSettings, type Config, type SiteSettings } from './config.ts';
import { overridesSchema, type Overrides } from './schema.ts';

/** The config's file name, looked for in the current directory (the project root) unless `--config` names another. */
export const CONFIG_FILE = 'newsfold.config.yaml';
/** The overrides' file name, looked for in the content folder unless `--overrides` names another. */
export const OVERRIDES_FILE = 'overrides.yaml';

/** A config or overrides file that cannot be used; `problems` are the lines of the message after the first. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The keys each mapping of a file may hold, for "unknown key" messages; by path with ids and indices as `*`. */
const KNOWN_KEYS: Record<string, Record<string, string[]>> = {
  config: {
    '': Object.keys(configSchema.innerType().shape),
    'outlets.*': ['name', 'domains', 'aliases', 'homepage'],
  },
  overrides: {
    '': ['stories', 'articles'],
    'stories.*': ['headline', 'merge'],
    'articles.*': ['story', 'hidden'],
  },
};

/** What a loaded file gave: the data, and the file it came from (null: none, the defaults). */
export interface Loaded<T> {
  data: T;
  file: string | null;
}

/**
 * Reads `file`: undefined when it does not exist and was not asked for
 * (`required` false); throws ConfigError when it is unreadable, or missing
 * and required.
 */
function readText(file: string, shown: string, required: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    throw new ConfigError(shown, [code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(err as Error).message}`]);
  }
}

/** Parses YAML text and validates it; throws ConfigError naming every problem. */
export function parseYamlFile<S extends z.ZodTypeAny>(text: string, shown: string, schema: S, kind: keyof typeof KNOWN_KEYS): z.output<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const where = (offset: number | undefined) => {
    if (offset === undefined) return shown;
    const { line, col } = lines.linePos(offset);
    return `${shown}:${line}:${col}`;
  };
  if (doc.errors.length) {
    throw new ConfigError(
      shown,
      doc.errors.slice(0, 5).map((e) => `${where(e.pos?.[0])}: cannot read YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(shown, [`cannot read YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  // An empty file (or only comments) is an empty mapping: all defaults, no overrides.
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  // In the order of the file, so an editor reads them top to bottom.
  const problems: Array<{ at: number; text: string }> = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = KNOWN_KEYS[kind][pattern(issue.path)] ?? [];
      for (const key of issue.keys) {
        const at = offsetOf(doc, [...issue.path, key]);
        problems.push({ at: at ?? -1, text: `${where(at)}: ${keyPath([...issue.path, key])}: unknown key${known.length ? `; expected one of ${known.join(', ')}` : ''}${hint(key, known)}` });
      }
      continue;
    }
    const at = offsetOf(doc, issue.path);
    problems.push({ at: at ?? -1, text: `${where(at)}: ${keyPath(issue.path) || '(the whole file)'}: ${explain(issue, valueAt(data, issue.path))}` });
  }
  problems.sort((a, b) => a.at - b.at);
  throw new ConfigError(
    shown,
    problems.map((p) => p.text),
  );
}

/** `outlets[1].domains[0]`, `articles.some-id.hidden`. */
function keyPath(p: Array<string | number>): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A path with its ids and indices as `*`, to look the known keys up. */
function pattern(p: Array<string | number>): string {
  return p.map((k, i) => (typeof k === 'number' || i % 2 === 1 ? '*' : k)).join('.');
}

/** `; did you mean hidden?` for a key one or two edits from a known one. */
function hint(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const close = known.find((k) => {
    const l = k.toLowerCase();
    return distance(l, lower) <= (l.length >= 6 ? 3 : l.length >= 4 ? 2 : 1) || (lower.length >= 3 && (l.startsWith(lower) || lower.startsWith(l)));
  });
  return close ? `; did you mean ${close}?` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length];
}

function valueAt(data: unknown, p: Array<string | number>): unknown {
  let at = data;
  for (const k of p) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[k];
  }
  return at;
}

function describeValue(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'number' ? `the number ${v}` : String(v);
}

const TYPE_NAMES: Record<string, string> = { string: 'text', number: 'a number', boolean: 'true or false', object: 'a mapping of keys', array: 'a list' };

/** What was expected, in words, and what was found. */
function explain(issue: z.ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') {
    if (value === undefined) return `missing; expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    const expected = issue.message.startsWith('expected ') ? issue.message.slice(9) : (TYPE_NAMES[issue.expected] ?? issue.expected);
    return `expected ${expected}, got ${describeValue(value)}`;
  }
  const message = /^expected /.test(issue.message) ? issue.message : issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  // A check that names what it found itself says so (config.ts: `params: { named: true }`).
  const named = issue.code === 'custom' && (issue.params as { named?: boolean } | undefined)?.named;
  return value === undefined || typeof value === 'object' || named ? message : `${message}, got ${describeValue(value)}`;
}

/** Where in the text the value (or, for a mapping's key, the key) at `p` is: a character offset. */
function offsetOf(doc: Document, p: Array<string | number>): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = (doc.contents as { range?: [number] } | null)?.range?.[0];
  for (const k of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(k));
      if (!pair) return best;
      best = (pair.key as { range?: [number] }).range?.[0] ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof k === 'number') {
      node = node.items[k];
      best = (node as { range?: [number] } | undefined)?.range?.[0] ?? best;
    } else {
      return best;
    }
  }
  return best;
}

/**
 * The site's config. `file` undefined: `newsfold.config.yaml` in the current
 * directory, if there is one (else the defaults); a file named explicitly
 * must exist.
 */
export function loadConfig(file?: string): Loaded<Config> {
  const abs = path.resolve(file ?? CONFIG_FILE);
  const shown = shownPath(abs);
  const text = readText(abs, shown, file !== undefined);
  if (text === undefined) return { data: DEFAULT_CONFIG, file: null };
  return { data: parseYamlFile(text, shown, configSchema, 'config'), file: abs };
}

/**
 * The editors' overrides. `file` undefined: `<content>/overrides.yaml`, if
 * there is one (else none); a file named explicitly must exist.
 */
export function loadOverrides(content: string, file?: string): Loaded<Overrides> | null {
  const abs = path.resolve(file ?? path.join(content, OVERRIDES_FILE));
  const shown = shownPath(abs);
  const text = readText(abs, shown, file !== undefined);
  if (text === undefined) return null;
  return { data: parseYamlFile(text, shown, overridesSchema, 'overrides'), file: abs };
}

/** A path as a message shows it: relative to the current directory when inside it. */
export function shownPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

/**
 * The site's settings for Astro (astro.config.mjs) and its pages: the JSON
 * the build put in NEWSFOLD_SETTINGS (it validated the config before it
 * started), else the config file named by NEWSFOLD_CONFIG or found in the
 * current directory (a bare `astro build` or `astro dev`), with
 * NEWSFOLD_SITE and NEWSFOLD_BASE over the file's.
 */
export function settingsFromEnv(env: Record<string, string | undefined> = process.env): SiteSettings {
  const given = env[SETTINGS_ENV];
  if (given) return JSON.parse(given) as SiteSettings;
  return siteSettings(loadConfig(env.NEWSFOLD_CONFIG || undefined).data, env);
}
