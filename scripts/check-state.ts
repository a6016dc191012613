/**
 * npx tsx scripts/check-state.ts [work folder]   (default bench/work/state; several minutes)
 *
 * Checks docs/architecture.md's state inventory on a real build: builds a
 * 150-article bench corpus, then deletes, or writes garbage into, each file of
 * content/.newsfold/ (and the lexicon cache) in turn and rebuilds, and prints
 * what each rebuild did, whether content/ and dist/ came out byte-identical,
 * and whether the run after it was a no-change run. Then the files that exist
 * only while a build runs (lock, journal, staging), left behind as a crash
 * leaves them, and a drop-in after each cache is lost, ending with a cold
 * build of the same folder to compare with.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './lib/corpus.ts';
import { makeCorpus } from './bench/corpus.ts';
const run = promisify(execFile);

const code = repoRoot;
const work = path.resolve(process.argv[2] ?? path.join(repoRoot, 'bench/work/state'));
const raw = path.join(work, 'raw');
const content = path.join(work, 'content');
const dist = path.join(work, 'dist');
const state = path.join(content, '.newsfold');
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
await makeCorpus({ articles: 150, seed: 5, outDir: raw });

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (abs: string, rel: string) => {
    for (const e of (await readdir(abs, { withFileTypes: true }).catch(() => [])).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(abs, e.name), r);
      else out[r] = createHash('sha256').update(await readFile(path.join(abs, e.name))).digest('hex');
    }
  };
  await walk(dir, '');
  return out;
}
const outputs = async () => JSON.stringify([await snapshot(path.join(content, 'articles')), await snapshot(path.join(content, 'stories')), await snapshot(dist)]);

async function build(extra: string[] = []): Promise<{ code: number; summary: string; log: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--raw', raw, '--content', content, '--dist', dist, ...extra], { cwd: code, maxBuffer: 1 << 26 });
    return { code: 0, summary: stdout.split('\n')[0], log: stderr + stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, summary: (e.stderr || e.stdout).split('\n')[0], log: e.stderr + e.stdout };
  }
}
const brief = (r: { code: number; summary: string; log: string }) => {
  const m = r.summary.match(/(\d+) file\(s\) parsed.*?; (.*?) in \d+ ms/);
  const digested = r.log.match(/digested (\d+) stories/)?.[1];
  const notes = r.log.split('\n').filter((l) => /repair:|warning|malformed|full build:|partial build:|another build|rejected \.newsfold/.test(l)).map((l) => l.trim().replace(/ \(site index.*$/, '').slice(0, 110));
  return `exit ${r.code}; ${m ? `${m[1]} parsed, ${m[2]}` : r.summary.slice(0, 120)}${digested ? `; ${digested} stories digested` : ''}${notes.length ? ` [${notes.join(' | ')}]` : ''}`;
};

console.log('cold:', brief(await build()));
console.log('no change:', brief(await build()));
const reference = await outputs();

/** Garbage in the file, or in every file of the folder. */
const damage = async (target: string): Promise<void> => {
  const s = await stat(target).catch(() => null);
  if (!s?.isDirectory()) return writeFile(target, '{"damaged": tru');
  for (const e of await readdir(target, { withFileTypes: true })) await damage(path.join(target, e.name));
};
const names = (await readdir(state)).sort();
const lexicon = path.join(code, 'node_modules/.cache/newsfold');
const cases = [...names.map((n) => path.join(state, n)), lexicon];
for (const target of cases) {
  // Astro's cache is read only when Astro runs, the lexicon only when a story is digested.
  const isAstroCache = path.basename(target).startsWith('astro-cache');
  const args = isAstroCache ? ['--force'] : [];
  const prepare = async () => {
    if (target !== lexicon) return;
    await rm(path.join(state, 'corpus-memo.json'), { force: true });
    await rm(path.join(state, 'digest-cache.log'), { force: true });
  };
  for (const how of ['delete', 'damage'] as const) {
    if (how === 'delete') await rm(target, { recursive: true, force: true });
    else {
      if (!existsSync(target)) {
        await prepare();
        await build(args);
      }
      await damage(target);
    }
    await prepare();
    const first = await build(args);
    const same = (await outputs()) === reference;
    const second = await build();
    const settled = /dist is up to date/.test(second.summary) && /\b0 file\(s\) parsed/.test(second.summary);
    console.log(`${path.relative(work, target)} ${how}: ${brief(first)}; output ${same ? 'identical' : 'DIFFERENT'}; next run ${settled ? 'no-change' : brief(second)}`);
  }
}

// Files that exist only while a build runs, left behind as a crash would leave them.
const lockFile = path.join(state, 'build.lock');
await writeFile(lockFile, JSON.stringify({ pid: 999999, host: os.hostname(), started: 'then', what: 'build' }) + '\n');
console.log(`build.lock of a dead process: ${brief(await build())}; left behind: ${existsSync(lockFile)}`);
await writeFile(lockFile, JSON.stringify({ pid: process.pid, host: os.hostname(), started: 'now', what: 'build' }) + '\n');
console.log(`build.lock of a live process: ${brief(await build())}`);
await writeFile(lockFile, 'garbage');
console.log(`build.lock damaged: ${brief(await build())}; left behind: ${existsSync(lockFile)}`);
await writeFile(path.join(state, 'journal.json'), '{"moves": [');
console.log(`journal.json damaged: ${brief(await build())}; output ${(await outputs()) === reference ? 'identical' : 'DIFFERENT'}; left behind: ${existsSync(path.join(state, 'journal.json'))}`);
await mkdir(path.join(state, 'staging/articles'), { recursive: true });
await writeFile(path.join(state, 'staging/articles/half.md'), 'half a file');
console.log(`staging/ left behind: ${brief(await build())}; output ${(await outputs()) === reference ? 'identical' : 'DIFFERENT'}; staging left: ${existsSync(path.join(state, 'staging'))}`);
for (const dir of ['trash', 'partial']) {
  await mkdir(path.join(state, dir, 'x'), { recursive: true });
  await writeFile(path.join(state, dir, 'x/f'), 'x');
}
const afterLeft = await build();
await new Promise((r) => setTimeout(r, 2000));
console.log(`trash/ and partial/ left behind: ${brief(afterLeft)}; trash left: ${existsSync(path.join(state, 'trash'))}, partial left: ${existsSync(path.join(state, 'partial'))}`);

// A drop-in after each cache is lost: what is recomputed, and the result equals a cold build.
let k = 0;
for (const name of ['digest-cache.log', 'doc-cache.log', 'render-cache.log', 'records.log', 'site-entries', 'search-terms', 'dist-manifest.json', 'site-index.json', 'output-stamp.json', 'corpus-memo.json', 'raw-index.log', 'file-cache.log']) {
  await rm(path.join(state, name), { recursive: true, force: true });
  const md = (await readdir(raw)).filter((n) => n.endsWith('.md')).sort()[k * 7];
  const text = await readFile(path.join(raw, md), 'utf8');
  await writeFile(path.join(raw, `zz-drop-${k++}.md`), text.replace(/^source: .*$/m, 'source: "Drop-in Desk"').replace(/\n\n([^\n]+)\n/, '\n\n$1 Reported again.\n'));
  console.log(`drop-in with ${name} deleted: ${brief(await build())}`);
}
const final = await outputs();
// The same raw folder built cold elsewhere: the drop-ins after damage must give the same bytes.
const cold = path.join(work, 'cold');
await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--raw', raw, '--content', path.join(cold, 'content'), '--dist', path.join(cold, 'dist'), '--quiet'], { cwd: code, maxBuffer: 1 << 26 });
const coldOut = JSON.stringify([await snapshot(path.join(cold, 'content/articles')), await snapshot(path.join(cold, 'content/stories')), await snapshot(path.join(cold, 'dist'))]);
console.log(`after the drop-ins: content and dist ${final === coldOut ? 'identical to' : 'DIFFERENT from'} a cold build of the same folder`);
