/**
 * The layout's rules (docs/architecture.md), checked on the source:
 *  - src/lib/ingest is pure: no file system, no threads, no child processes,
 *    no environment; it imports nothing of the project but its own files,
 *    text.ts and schema.ts;
 *  - the store sits below the build: nothing in src/lib/store imports src/lib/build;
 *  - ingest/, store/ and build/ are entered only through their entry points
 *    (ingest/index.ts; store/index.ts, or store/layout.ts, which holds names
 *    only; build/index.ts) from anywhere else in src/ and scripts/. Tests, and
 *    the bench and eval harnesses timing or scoring one stage alone, may reach
 *    an ingest stage module directly;
 *  - no file over 500 lines without a `Size:` reason in its header comment;
 *  - every file src/lib holds is in the README's module map, and every file
 *    the map names exists; docs/architecture.md names every state file of
 *    store/layout.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/corpus';
import { DIRS, FILES, OBSOLETE, STORES } from '../src/lib/store/layout';

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'scripts', 'test'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(path.join(repoRoot, f)));
const sources = tracked.filter((f) => /\.(ts|mts|mjs|js|astro)$/.test(f) && !f.startsWith('test/fixtures/'));
const read = (f: string) => readFileSync(path.join(repoRoot, f), 'utf8');

/** Comments removed (block and line), so a rule is checked on code only. Strings stay. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every module specifier a file names: static and dynamic imports, re-exports, worker and tsx entries. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const body = code(text);
  for (const m of body.matchAll(/\b(?:from|import)\s*\(?\s*(['"])([^'"]+)\1/g)) out.push(m[2]);
  for (const m of body.matchAll(/\b(?:tsImport\(|new URL\()\s*(['"])([^'"]+)\1/g)) out.push(m[2]);
  return out;
}

const EXTS = ['', '.ts', '.mjs', '.js', '/index.ts'];
const known = new Set(tracked);
/** The repository path a relative specifier of `from` names, or null for a package or a built-in. */
function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const ext of EXTS) if (known.has(base + ext)) return base + ext;
  return base;
}

const areaOf = (file: string): string | null => file.match(/^src\/lib\/(ingest|store|build|site|search)\//)?.[1] ?? null;
const ENTRY: Record<string, string[]> = {
  ingest: ['src/lib/ingest/index.ts'],
  store: ['src/lib/store/index.ts', 'src/lib/store/layout.ts'],
  build: ['src/lib/build/index.ts'],
};
/** Harnesses that time or score one stage alone, as tests do. */
const STAGE_HARNESS = /^(test\/|scripts\/(bench|eval)\/)/;

describe('architecture', () => {
  it('keeps src/lib/ingest pure', () => {
    const ingest = sources.filter((f) => f.startsWith('src/lib/ingest/'));
    expect(ingest.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const file of ingest) {
      const text = read(file);
      for (const spec of specifiers(text)) {
        if (/^(node:)?(fs|fs\/promises|worker_threads|child_process|cluster|net|http|https)$/.test(spec)) problems.push(`${file} imports ${spec}`);
        const target = resolve(file, spec);
        if (target && !target.startsWith('src/lib/ingest/') && target !== 'src/lib/text.ts' && target !== 'src/lib/schema.ts') problems.push(`${file} imports ${target}`);
      }
      if (/\bprocess\.(env|cwd|argv|exit|on)\b/.test(code(text))) problems.push(`${file} reads the process (process.env and kin)`);
      if (/\brequire\(|createRequire/.test(code(text))) problems.push(`${file} loads modules at run time`);
    }
    expect(problems).toEqual([]);
  });

  it('enters ingest/, store/ and build/ only through their entry points, and keeps the store below the build', () => {
    const problems: string[] = [];
    for (const file of sources) {
      const from = areaOf(file);
      for (const spec of specifiers(read(file))) {
        const target = resolve(file, spec);
        if (!target) continue;
        const to = areaOf(target);
        if (from === 'store' && to === 'build') problems.push(`${file} (store) imports ${target} (build)`);
        if (!to || to === from || !ENTRY[to] || ENTRY[to].includes(target)) continue;
        if (to === 'ingest' && STAGE_HARNESS.test(file)) continue;
        if (file.startsWith('test/')) continue;
        problems.push(`${file} reaches into ${target}; import ${ENTRY[to].join(' or ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives a reason in the header of any file over 500 lines', () => {
    const long: string[] = [];
    for (const file of sources) {
      const text = read(file);
      const lines = text.split('\n').length;
      const header = text.match(/^(?:\/\/ @ts-check\s*)?\/\*\*[\s\S]*?\*\//)?.[0] ?? '';
      if (lines > 500 && !/\bSize:/.test(header)) long.push(`${file}: ${lines} lines, no "Size:" reason in its header`);
    }
    expect(long).toEqual([]);
  });

  it("matches the README's module map to src/lib, file for file", () => {
    const readme = read('README.md');
    const block = readme.match(/<!-- module map -->\s*```\n([\s\S]*?)```/)?.[1];
    expect(block, 'README.md has a module map: a fenced block after <!-- module map -->').toBeTruthy();
    const mapped: string[] = [];
    const stack: string[] = [];
    for (const line of block!.split('\n')) {
      const m = line.match(/^( *)(\S+)/);
      if (!m) continue;
      const depth = m[1].length / 2;
      stack.length = depth;
      const name = m[2];
      if (name.endsWith('/')) stack.push(name.slice(0, -1));
      else mapped.push([...stack, name].join('/'));
    }
    const actual = tracked.filter((f) => f.startsWith('src/lib/') && !/\.test\./.test(f));
    expect(mapped.filter((f) => !actual.includes(f)), 'named in the map, not in the tree').toEqual([]);
    expect(actual.filter((f) => !mapped.includes(f)), 'in the tree, missing from the map').toEqual([]);
  });

  it('documents every state file of the layout in docs/architecture.md', () => {
    const doc = read('docs/architecture.md');
    const names = [...Object.values(STORES), ...Object.values(FILES), ...Object.values(DIRS)].map((s) => s.file);
    for (const name of [...names, ...OBSOLETE]) expect(doc, name).toContain(`\`${name}`);
  });
});
