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
import { articlesLoader, storiesLoader } from '../src/lib/loader';
import { articleSchema, storySchema } from '../src/lib/schema';
import { readHtml } from '../src/lib/html-store';

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

/** A renderer that records what it was asked to render. */
function countingRender() {
  const renders: string[] = [];
  const render = (md: string) => {
    renders.push(md);
    return md.trim().split(/\n\n+/).map((p) => `<p>${p}</p>`).join('\n');
  };
  return { renders, render };
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
  it('stores validated data and rendered HTML; re-renders only what changed', async () => {
    const root = await project();
    const dir = path.join(root, 'content/articles');
    await writeFile(path.join(dir, 'a.md'), article('a', 'First body.'));
    await writeFile(path.join(dir, 'b.md'), article('b', 'Second body.'));
    await writeFile(path.join(dir, 'c.md'), article('c', 'Second body.'));
    const htmlDir = path.join(root, 'html');
    const { renders, render } = countingRender();
    const loader = articlesLoader({ dir: 'content/articles', htmlDir, prune: true, render });
    const htmlOf = (e: Entry) => readHtml(htmlDir, String(e.rendered!.metadata!.bodyDigest));

    const first = fakeContext(root, articleSchema);
    await loader.load(first.ctx);
    expect([...first.store.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(await htmlOf(first.store.get('a')!)).toBe('<p>First body.</p>');
    // The store keeps only the body's digest: the HTML lives beside it.
    expect(first.store.get('a')!.rendered!.html).toBe('');
    expect(first.store.get('a')!.data.removed).toEqual([]); // schema defaults applied
    // The same body is rendered once even when two files carry it.
    expect(renders).toHaveLength(2);
    renders.length = 0;

    // Next build: a changes only its front matter, b is gone, d is new.
    await writeFile(path.join(dir, 'a.md'), article('a', 'First body.', 'date: "2024-01-02"\n'));
    await rm(path.join(dir, 'b.md'));
    await writeFile(path.join(dir, 'd.md'), article('d', 'Fourth body.'));
    const second = fakeContext(root, articleSchema, first.store);
    await loader.load(second.ctx);
    expect([...second.store.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(second.store.get('a')!.data.date).toBe('2024-01-02');
    expect(renders).toEqual(['\nFourth body.\n']);
    renders.length = 0;
    expect(await htmlOf(second.store.get('d')!)).toBe('<p>Fourth body.</p>');
    // c still carries the second body; nothing carries a removed one, and its HTML is pruned.
    expect((await readdir(htmlDir)).sort()).toEqual(
      [...new Set([...second.store.values()].map((e) => `${e.rendered!.metadata!.bodyDigest}.html`))].sort(),
    );

    // A partial build's loader sees only a few files and prunes nothing; bodies rendered before are reused.
    const partialRoot = await project();
    await writeFile(path.join(partialRoot, 'content/articles/c.md'), article('c', 'Second body.'));
    const partial = fakeContext(partialRoot, articleSchema);
    await articlesLoader({ dir: 'content/articles', htmlDir, render }).load(partial.ctx);
    expect(renders).toEqual([]);
    expect(await readdir(htmlDir)).toHaveLength(3);
  });

  it('renders bodies with raw HTML as text and only http(s) links', async () => {
    const root = await project();
    const body = ['Plain "quoted" text (c) -- kept.', '<script>alert(1)</script> <img src=x onerror=alert(1)>', '[bad](javascript:alert(1)) [good](https://example.org/a)', '## A heading'].join('\n\n');
    await writeFile(path.join(root, 'content/articles/x.md'), article('x', body));
    const htmlDir = path.join(root, 'html');
    const { ctx, store } = fakeContext(root, articleSchema);
    await articlesLoader({ dir: 'content/articles', htmlDir }).load(ctx);
    const html = await readHtml(htmlDir, String(store.get('x')!.rendered!.metadata!.bodyDigest));
    expect(html).toContain('<p>Plain “quoted” text (c) -- kept.</p>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('<a href="https://example.org/a">good</a>');
    expect(html).toContain('<h2>A heading</h2>');
  });

  it('never builds a path out of a digest that is not one', async () => {
    await expect(readHtml('/tmp', '../etc/passwd')).rejects.toThrow(/not a body digest/);
  });

  it('rejects a file that breaks the schema', async () => {
    const root = await project();
    await writeFile(path.join(root, 'content/articles/bad.md'), '---\nid: Bad Id\n---\n\nBody.\n');
    const { ctx } = fakeContext(root, articleSchema);
    await expect(articlesLoader({ dir: 'content/articles', htmlDir: path.join(root, 'html') }).load(ctx)).rejects.toThrow();
  });

  it('treats a missing folder as empty', async () => {
    const root = await project();
    const { ctx, store } = fakeContext(root, articleSchema);
    await articlesLoader({ dir: 'nowhere/articles', htmlDir: path.join(root, 'html') }).load(ctx);
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
