/**
 * The pipeline fingerprint (src/lib/store/fingerprint.ts) guards every cache kept
 * between builds: it must change whenever the code that made an entry does,
 * including code in the ingest's sub-folders, or a cache would outlive a
 * change to a cleaning rule.
 */
import { execFile } from 'node:child_process';
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/corpus';
import { fingerprintSources } from '../src/lib/store/fingerprint';
import { frozenCheckout, scratch } from './helpers/tree';

const run = promisify(execFile);

async function sourcesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourcesUnder(abs)));
    else if (!/\.test\./.test(e.name)) out.push(abs);
  }
  return out;
}

/** The fingerprint a fresh process of the checkout at `root` computes. */
async function fingerprintOf(root: string): Promise<string> {
  const script = "const m = await import('./src/lib/store/fingerprint.ts'); console.log(m.pipelineFingerprint({}));";
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd: root });
  return stdout.trim();
}

let dir = '';
let code = '';
beforeAll(async () => {
  dir = await scratch();
  code = await frozenCheckout(dir);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pipeline fingerprint', () => {
  it('covers every file of src/lib/ingest, recursively, and what the stages import', async () => {
    const covered = new Set(fingerprintSources());
    const ingest = await sourcesUnder(path.join(repoRoot, 'src/lib/ingest'));
    expect(ingest.some((f) => f.includes(`${path.sep}clean${path.sep}`))).toBe(true);
    for (const file of ingest) expect(covered, file).toContain(file);
    for (const rel of ['src/lib/text.ts', 'src/lib/schema.ts', 'package-lock.json', 'src/lib/store/log-store.ts', 'src/lib/build/ingest-fs.ts']) {
      expect(covered, rel).toContain(path.join(repoRoot, rel));
    }
  });

  it('changes when a stage in a sub-folder is edited, or a file is added', async () => {
    const before = await fingerprintOf(code);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await fingerprintOf(code)).toBe(before);
    await appendFile(path.join(code, 'src/lib/ingest/clean/rules.ts'), '\n// edited\n');
    const edited = await fingerprintOf(code);
    expect(edited).not.toBe(before);
    await writeFile(path.join(code, 'src/lib/ingest/digest/extra.ts'), 'export const extra = 1;\n');
    expect(await fingerprintOf(code)).not.toBe(edited);
  });
});
