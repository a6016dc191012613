/**
 * The content loaders: validate with the shared schema, hand Astro rendered
 * HTML, and skip work by content hash. Driven with a small stand-in for Astro's
 * loader context (a Map-backed store, a counting renderer).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { articlesLoader, storiesLoader } from '../src/lib/site/loader';
import { articleSchema, storySchema } from '../src/lib/schema';

interface Entry {
  id: string;
  data: Record<string, unknown>;
  body?: string;
  digest?: string;
  rendered?: { html: string; metadata?: Record<string, unknown> };
}

function fakeContext(root: string, schema: { parse(x: unknown): unknown }, store = new Map<string, Entry>()) {
  const ctx = {
    collection: 'x',
    store: {
      get: (id: string) => store.get(id),
      set: (e: Entry) => (store.set(e.id, e), true),
      delete: (id: string) => void store.delete(id),
      keys: () => [...store.keys()],
      values: () => [...store.values()],
      has: (id: string) => store.has(id),
    },
    meta: new Map(),
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    config: { root: pathToFileURL(`${root}/`) },
    parseData: async ({ data }: { data: unknown }) => schema.parse(data),
    generateDigest: (x: unknown) => createHash('sha1').update(typeof x === 'string' ? x : JSON.stringify(x)).digest('hex').slice(0, 16),
  };
  return { ctx: ctx as never, store };
}

const article = (id: string, body: string, extra = '') =>
  `---\nid: ${id}\ntitle: Title ${id}\nsource: Outlet\nraw: ${id}.txt\nstory: s1\nwords: 3\nexcerpt: x\n${extra}---\n\n${body}\n`;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function project(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'newsfold-loader-'));
  dirs.push(root);
  await mkdir(path.join(root, 'content/articles'), { recursive: true });
  await mkdir(path.join(root, 'content/stories'), { recursive: true });
  return root;
}

describe('articlesLoader', () => {
  it('stores validated data and its file path; re-parses only what changed', async () => {
    const root = await project();
    const dir = path.join(root, 'content/articles');
    await writeFile(path.join(dir, 'a.md'), article('a', 'First body.'));
    await writeFile(path.join(dir, 'b.md'), article('b', 'Second body.'));
    const loader = articlesLoader({ dir: 'content/articles', retainBody: false });

    const first = fakeContext(root, articleSchema);
    await loader.load(first.ctx);
    expect([...first.store.keys()].sort()).toEqual(['a', 'b']);
    expect(first.store.get('a')!.data.removed).toEqual([]); // schema defaults applied
    // No body in the store: the page reads it from the file the entry names.
    expect(first.store.get('a')!.body).toBeUndefined();
    expect((first.store.get('a') as Entry & { filePath: string }).filePath).toBe(path.join('content', 'articles', 'a.md'));

    // Next build: a changes only its front matter, b is gone, d is new; an unchanged entry keeps its record.
    const before = first.store.get('a');
    await writeFile(path.join(dir, 'a.md'), article('a', 'First body.', 'date: "2024-01-02"\n'));
    await rm(path.join(dir, 'b.md'));
    await writeFile(path.join(dir, 'd.md'), article('d', 'Fourth body.'));
    const second = fakeContext(root, articleSchema, first.store);
    await loader.load(second.ctx);
    expect([...second.store.keys()].sort()).toEqual(['a', 'd']);
    expect(second.store.get('a')).not.toBe(before);
    expect(second.store.get('a')!.data.date).toBe('2024-01-02');
    const d = second.store.get('d');
    await loader.load(fakeContext(root, articleSchema, second.store).ctx);
    expect(second.store.get('d')).toBe(d);
  });

  it('rejects a file that breaks the schema', async () => {
    const root = await project();
    await writeFile(path.join(root, 'content/articles/bad.md'), '---\nid: Bad Id\n---\n\nBody.\n');
    const { ctx } = fakeContext(root, articleSchema);
    await expect(articlesLoader({ dir: 'content/articles' }).load(ctx)).rejects.toThrow();
  });

  it('treats a missing folder as empty', async () => {
    const root = await project();
    const { ctx, store } = fakeContext(root, articleSchema);
    await articlesLoader({ dir: 'nowhere/articles' }).load(ctx);
    expect(store.size).toBe(0);
  });
});

describe('storiesLoader', () => {
  it('loads and validates stories, dropping removed ones', async () => {
    const root = await project();
    const dir = path.join(root, 'content/stories');
    const story = (id: string) => JSON.stringify({ id, headline: `H ${id}`, articles: ['a'], sources: ['Outlet'], independent: 1 });
    await writeFile(path.join(dir, 's1.json'), story('s1'));
    await writeFile(path.join(dir, 's2.json'), story('s2'));
    const first = fakeContext(root, storySchema);
    await storiesLoader({ dir: 'content/stories' }).load(first.ctx);
    expect([...first.store.keys()].sort()).toEqual(['s1', 's2']);
    expect(first.store.get('s1')!.data.summary).toEqual([]);
    await rm(path.join(dir, 's2.json'));
    const second = fakeContext(root, storySchema, first.store);
    await storiesLoader({ dir: 'content/stories' }).load(second.ctx);
    expect([...second.store.keys()]).toEqual(['s1']);
  });
});
