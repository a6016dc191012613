/**
 * scripts/bundle-entry.mjs (#15): `npm run build`, `ingest` and `watch` run
 * their entry point from an esbuild bundle kept in node_modules/.cache, made
 * again whenever a file it was made from changed, with each module's
 * `import.meta.url` its source file's, and through tsx whenever no bundle can
 * be made.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledEntry } from '../scripts/bundle-entry.mjs';
import { scratch } from './helpers/tree';

/** A checkout in small: scripts/entry.ts prints what src/where.ts says. */
async function checkout(): Promise<string> {
  const root = await scratch('newsfold-bundle-');
  await mkdir(path.join(root, 'scripts'));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
  await writeFile(path.join(root, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
  await writeFile(path.join(root, 'src/where.ts'), "export const where: string = import.meta.url;\nexport const word: string = 'one';\n");
  // The pipeline's pattern: a module loaded on demand stays a chunk of its own.
  await writeFile(path.join(root, 'src/later.ts'), "export const later: string = import.meta.url;\n");
  await writeFile(
    path.join(root, 'scripts/entry.ts'),
    "import { where, word } from '../src/where.ts';\nconst { later } = await import('../src/later.ts');\nconsole.log(JSON.stringify({ where, word, later, self: import.meta.url }));\n",
  );
  return root;
}

const runNode = (entry: string) => {
  const r = spawnSync(process.execPath, [entry], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { where: string; word: string; later: string; self: string };
};

describe('bundled entry points', () => {
  it('runs a script from a bundle whose modules keep their own source URLs, reused until a source changes', async () => {
    const root = await checkout();
    const script = path.join(root, 'scripts/entry.ts');
    const entry = await bundledEntry(script, { root, env: {} });
    expect(entry).not.toBeNull();
    expect(entry!.startsWith(path.join(root, 'node_modules', '.cache', 'newsfold-bundle') + path.sep)).toBe(true);
    const out = runNode(entry!);
    expect(out).toEqual({
      where: pathToFileURL(path.join(root, 'src/where.ts')).href,
      word: 'one',
      later: pathToFileURL(path.join(root, 'src/later.ts')).href,
      self: pathToFileURL(script).href,
    });
    // Nothing changed: the same bundle.
    expect(await bundledEntry(script, { root, env: {} })).toBe(entry);
    // A source changed: a new bundle, with the change.
    await writeFile(path.join(root, 'src/where.ts'), "export const where: string = import.meta.url;\nexport const word: string = 'two';\n");
    const again = await bundledEntry(script, { root, env: {} });
    expect(again).not.toBe(entry);
    expect(runNode(again!).word).toBe('two');
    // So does the module loaded on demand, the tsconfig and the lock file.
    await writeFile(path.join(root, 'src/later.ts'), "export const later: string = 'changed';\n");
    const third = await bundledEntry(script, { root, env: {} });
    expect(third).not.toBe(again);
    expect(runNode(third!).later).toBe('changed');
    await writeFile(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "strict": false } }\n');
    const fourth = await bundledEntry(script, { root, env: {} });
    expect(fourth).not.toBe(third);
    // And the lock file (another esbuild, or another tsconfig ours extends).
    await writeFile(path.join(root, 'package-lock.json'), '{ "lockfileVersion": 3, "packages": {} }\n');
    expect(await bundledEntry(script, { root, env: {} })).not.toBe(fourth);
  });

  it('falls back to tsx (null) outside scripts/, when asked to, and when the script does not compile, saying why', async () => {
    const root = await checkout();
    await writeFile(path.join(root, 'src/alone.ts'), 'console.log(1);\n');
    expect(await bundledEntry(path.join(root, 'src/alone.ts'), { root, env: {} })).toBeNull();
    expect(await bundledEntry(path.join(root, 'scripts/entry.ts'), { root, env: { NEWSFOLD_NO_BUNDLE: '1' } })).toBeNull();
    await writeFile(path.join(root, 'scripts/broken.ts'), "import { nothing } from '../src/missing.ts';\nconsole.log(nothing);\n");
    const why: string[] = [];
    expect(await bundledEntry(path.join(root, 'scripts/broken.ts'), { root, env: {}, onFallback: (w: string) => why.push(w) })).toBeNull();
    expect(why.join('\n')).toMatch(/missing/);
  });

  it("runs the build's own entry point from its bundle as it runs through tsx", () => {
    const guard = path.resolve('scripts/heap-guard.mjs');
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [guard, 'scripts/build.ts', '--help'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    const bundled = run({});
    const plain = run({ NEWSFOLD_NO_BUNDLE: '1' });
    expect(bundled.status).toBe(0);
    expect(bundled.stderr).toBe('');
    expect(bundled.stdout).toBe(plain.stdout);
    expect(bundled.stdout).toMatch(/--raw/);
  });
});
