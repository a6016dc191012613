/**
 * A drop-in's sitemap patched from the last build's files (sitemap.ts patchSitemap) is byte for byte
 * sitemapFiles of the new page list; files it cannot read as sitemapFiles' own are not patched.
 */
import { describe, expect, it } from 'vitest';
import { firstPath, patchSitemap, sitemapFiles, sitemapIndexed } from '../src/lib/site/sitemap';

/** A deterministic generator (no Math.random: the same cases every run). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const oldFiles = (files: Map<string, string>) => [...files].filter(([n]) => n !== 'sitemap-index.xml').map(([, t]) => t);

describe('patchSitemap', () => {
  const sites: Array<[string, string]> = [
    ['https://example.net', '/'],
    ['https://example.net', '/news/'],
    ['http://localhost:4321', '/a&b/'],
  ];
  it('gives the files sitemapFiles gives the edited list, across file boundaries, added and removed', () => {
    for (const [site, base] of sites) {
      for (let seed = 1; seed <= 40; seed++) {
        const r = rng(seed);
        const perFile = 1 + Math.floor(r() * 6);
        const all = Array.from({ length: 40 }, (_, i) => ['articles/', 'days/', 'stories/', 'outlets/'][i % 4] + `x${Math.floor(r() * 1000)}-${i}/`);
        all.push('');
        const before = all.filter(() => r() < 0.5);
        const after = new Set(before);
        const edits = new Map<string, boolean>();
        for (let k = Math.floor(r() * 8); k > 0; k--) {
          const p = all[Math.floor(r() * all.length)];
          const listed = r() < 0.5;
          edits.set(p, listed);
          if (listed) after.add(p);
          else after.delete(p);
        }
        const old = sitemapFiles(before, site, base, perFile);
        const patched = patchSitemap(oldFiles(old), edits, site, base, perFile);
        // No URL at all: not patched (nothing to tell the root from).
        if (!before.length) {
          expect(patched).toBeNull();
          continue;
        }
        const want = sitemapFiles([...after], site, base, perFile);
        expect(patched && [...sitemapIndexed(patched, site, base)], `seed ${seed} ${base}`).toEqual([...want]);
        // From a later file on, when no edit falls before it: the files from there on.
        const texts = oldFiles(old);
        const first = Math.floor(r() * texts.length);
        const head = first ? firstPath(texts[first], site, base)! : '';
        const later = new Map([...edits].filter(([p]) => p >= head));
        const laterAfter = new Set(before);
        for (const [p, listed] of later) if (listed) laterAfter.add(p);
        else laterAfter.delete(p);
        const laterWant = [...sitemapFiles([...laterAfter], site, base, perFile)].filter(([n]) => n !== 'sitemap-index.xml' && Number(n.slice(8, -4)) >= first);
        expect(patchSitemap(texts.slice(first), later, site, base, perFile, first) && [...patchSitemap(texts.slice(first), later, site, base, perFile, first)!], `seed ${seed} from ${first}`).toEqual(laterWant);
      }
    }
  });

  it('is not made from files it cannot read as sitemapFiles wrote them, nor for a path that is not plain', () => {
    const files = sitemapFiles(['a/', 'b/', 'c/'], 'https://example.net', '/', 2);
    const old = oldFiles(files);
    expect(patchSitemap(old, new Map([['b2/', true]]), 'https://example.net', '/', 2)).not.toBeNull();
    // Another site's files, a path not plain, a file altered, the files cut otherwise (a file missing is
    // the manifest's to tell: site-build.ts reads the files it names, each checked by its hash).
    expect(patchSitemap(old, new Map([['b2/', true]]), 'https://example.org', '/', 2)).toBeNull();
    expect(patchSitemap(old, new Map([['b 2/', true]]), 'https://example.net', '/', 2)).toBeNull();
    // A path not plain and not listed (a feed, rss.xml) is not in the files: nothing to change.
    expect(sitemapIndexed(patchSitemap(old, new Map([['rss.xml', false], ['b/', false]]), 'https://example.net', '/', 2)!, 'https://example.net', '/')).toEqual(sitemapFiles(['a/', 'c/'], 'https://example.net', '/', 2));
    expect(patchSitemap([old[0].replace('b/', 'b%20/'), old[1]], new Map(), 'https://example.net', '/', 2)).toBeNull();
    expect(patchSitemap(old, new Map(), 'https://example.net', '/', 3)).toBeNull();
    // Files with a path not plain (written through siteUrl): not patched.
    expect(patchSitemap(oldFiles(sitemapFiles(['a b/', 'c/'], 'https://example.net', '/')), new Map([['d/', true]]), 'https://example.net', '/')).toBeNull();
  });
});

describe('keptSitemap (build/site-build.ts)', () => {
  it('patches only the files the manifest names, as it names them (their hashes), else gives none', async () => {
    const { mkdtemp, rm, writeFile, appendFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { keptSitemap } = await import('../src/lib/build/site-build');
    const { textHash } = await import('../src/lib/search/write-fs');
    const dist = await mkdtemp(path.join(os.tmpdir(), 'nf-sitemap-'));
    try {
      const site = 'https://example.net';
      const paths = Array.from({ length: 100_030 }, (_, i) => `articles/a${String(i).padStart(6, '0')}/`);
      // Files of at most 50,000 URLs: three here, and their index.
      const old = sitemapFiles(paths, site, '/');
      const files: Record<string, string> = {};
      for (const [name, text] of old) {
        await writeFile(path.join(dist, name), text);
        files[name] = textHash(text);
      }
      const previous = { fingerprint: 'fp', site: 's', pages: {}, files };
      const page = (p: string, route: 'article' | 'feed') => ({ route, path: p, group: 'site' }) as never;
      const text = (m: Map<string, { text: string | Buffer }> | null) => m && new Map([...m].map(([n, f]) => [n, String(f.text)]));
      // An edit in the second file: the first as it was (its bytes, its recorded hash), the others made again.
      const toRender = { render: [page('articles/a060000x/', 'article'), page('rss.xml', 'feed')], removed: ['articles/a070003/'] };
      const want = sitemapFiles([...paths.filter((p) => p !== 'articles/a070003/'), 'articles/a060000x/'], site, '/');
      const kept = keptSitemap(dist, previous, toRender, site, '/');
      expect(text(kept)).toEqual(want);
      expect(Buffer.isBuffer(kept!.get('sitemap-0.xml')!.text)).toBe(true);
      // A page rendered again where it was listed (the home page, every drop-in's) changes no file.
      const again = keptSitemap(dist, previous, { ...toRender, render: [page('articles/a000001/', 'article'), ...toRender.render] }, site, '/');
      expect(text(again)).toEqual(want);
      expect(Buffer.isBuffer(again!.get('sitemap-0.xml')!.text)).toBe(true);
      expect(kept!.get('sitemap-0.xml')!.hash).toBe(files['sitemap-0.xml']);
      for (const [name, f] of kept!) expect(f.hash, name).toBe(textHash(want.get(name)!));
      // An edit before every file's first path, one that removes a file's worth, none at all.
      const early = { render: [page('articles/', 'article')], removed: paths.slice(0, 30) };
      expect(text(keptSitemap(dist, previous, early, site, '/'))).toEqual(sitemapFiles(['articles/', ...paths.slice(30)], site, '/'));
      expect(text(keptSitemap(dist, previous, { render: [], removed: paths.slice(100_000) }, site, '/'))).toEqual(sitemapFiles(paths.slice(0, 100_000), site, '/'));
      expect(text(keptSitemap(dist, previous, { render: [page('rss.xml', 'feed')], removed: [] }, site, '/'))).toEqual(old);
      // No files named (an older manifest), a file not as named, a file missing: none.
      expect(keptSitemap(dist, { ...previous, files: undefined }, toRender, site, '/')).toBeNull();
      expect(keptSitemap(dist, { ...previous, files: { ...files, 'sitemap-0.xml': 'another' } }, toRender, site, '/')).toBeNull();
      await appendFile(path.join(dist, 'sitemap-0.xml'), ' ');
      expect(keptSitemap(dist, previous, toRender, site, '/')).toBeNull();
      await rm(path.join(dist, 'sitemap-0.xml'));
      expect(keptSitemap(dist, previous, toRender, site, '/')).toBeNull();
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });
});
